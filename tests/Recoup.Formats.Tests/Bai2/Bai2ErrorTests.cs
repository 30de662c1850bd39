using Recoup.Formats.Bai2;
using Recoup.Formats.Payments;

namespace Recoup.Formats.Tests.Bai2;

public sealed class Bai2ErrorTests
{
    private const string Valid = """
        01,SENDER,RECEIVER,260508,1200,1,,,2/
        02,RECEIVER,SENDER,1,260507,,USD,2/
        03,123,,010,500,,/
        16,115,1000,0,BANKREF,INV-42,LOCKBOX/
        49,1500,3/
        98,1500,1,5/
        99,1500,1,7/
        """;

    private static PaymentFileException Rejected(string text) =>
        Assert.Throws<PaymentFileException>(() => Bai2File.Read(new StringReader(text), "test.bai"));

    [Fact]
    public void Valid_ReadsAndProjectsTheLockboxCredit()
    {
        var payment = Assert.Single(Bai2File.Payments(new StringReader(Valid), "test.bai"));

        Assert.Equal((4, 1000L, "USD", new DateOnly(2026, 5, 7), "BANKREF", "LOCKBOX", "BAI2 115"), (payment.Line, payment.AmountMinor, payment.Currency, payment.ValueDate, payment.BankReference, payment.RemittanceText, payment.TypeCode));
        Assert.Equal(["INV-42"], payment.References);
    }

    [Fact]
    public void BadAccountCount_NamesTheLine() =>
        Assert.Equal("test.bai line 5, 49 number of records: the account trailer counts 4 records but account 123 has 3", Rejected(Valid.Replace("49,1500,3/", "49,1500,4/", StringComparison.Ordinal)).Message);

    [Fact]
    public void BadGroupTotal_NamesTheLine() =>
        Assert.Equal((6, "98 group control total"), (Rejected(Valid.Replace("98,1500", "98,1501", StringComparison.Ordinal)) is var e ? (e.FileLine, e.Field) : default));

    [Fact]
    public void BadFileCount_NamesTheLine() =>
        Assert.Equal((7, "99 number of records"), (Rejected(Valid.Replace("99,1500,1,7", "99,1500,1,8", StringComparison.Ordinal)) is var e ? (e.FileLine, e.Field) : default));

    [Fact]
    public void UnknownRecordType_NamesTheLine() =>
        Assert.Equal("test.bai line 4, record type: unsupported record type 17", Rejected(Valid.Replace("16,115", "17,115", StringComparison.Ordinal)).Message);

    [Fact]
    public void BadAmount_NamesTheField() =>
        Assert.Equal("test.bai line 4, 16 amount: '10O0' is not an amount in minor units", Rejected(Valid.Replace("1000,0", "10O0,0", StringComparison.Ordinal)).Message);

    [Fact]
    public void UnknownFundsType_NamesTheField() =>
        Assert.Equal((4, "16 funds type"), (Rejected(Valid.Replace("1000,0,", "1000,X,", StringComparison.Ordinal)) is var e ? (e.FileLine, e.Field) : default));

    [Fact]
    public void DetailOutsideAnAccount_IsRejected() =>
        Assert.Equal(3, Rejected(Valid.Replace("03,123,,010,500,,/\n", "", StringComparison.Ordinal)).FileLine);

    [Fact]
    public void MissingFileTrailer_IsRejected() =>
        Assert.Contains("ends without a file trailer", Rejected(Valid[..Valid.IndexOf("99,", StringComparison.Ordinal)]).Message, StringComparison.Ordinal);

    [Fact]
    public void Empty_IsRejected() =>
        Assert.Equal("test.bai: the file is empty", Rejected("").Message);

    [Fact]
    public void Reader_StreamsRecordsInOrder()
    {
        var records = new Bai2Reader(new StringReader(Valid), "test.bai").Records().Select(r => r.GetType().Name);

        Assert.Equal(["Bai2FileHeader", "Bai2GroupHeader", "Bai2Account", "Bai2Detail", "Bai2AccountTrailer", "Bai2GroupTrailer", "Bai2FileTrailer"], records);
    }
}
