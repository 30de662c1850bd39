using System.Text;
using Recoup.Formats.Payments;

namespace Recoup.Formats.Tests.Payments;

public sealed class CsvPaymentFileReaderTests
{
    private static readonly CsvPaymentFileReader Reader = new();

    private static Stream Bytes(string text) => new MemoryStream(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void APaymentsFile_IsRecognised_AndOtherFilesAreNot()
    {
        Assert.True(Reader.Sniff(Encoding.UTF8.GetBytes("\uFEFFpayment_id,debtor_id,received_on,amount,currency,invoice_id\r\nP1,D1,2026-06-01,1.00,USD,\r\n")));
        Assert.True(Reader.Sniff(Encoding.UTF8.GetBytes("\"amount\",\"currency\",\"payment_id\",\"debtor_id\",\"received_on\"\n")));
        Assert.False(Reader.Sniff(Encoding.UTF8.GetBytes("01,BANK,RECOUP,261123,0900,1,,,2/\n")));
        Assert.False(Reader.Sniff(Encoding.UTF8.GetBytes("invoice_id,debtor_id,issue_date,due_date,amount,currency\n")));
    }

    [Fact]
    public void EachRow_BecomesAnIncomingPayment_WithTheInvoiceAndDebtorAsReferences()
    {
        var payments = Reader.Read(Bytes("payment_id,debtor_id,received_on,amount,currency,invoice_id\nP1,D1,2026-06-01,1234.50,USD,INV-9\nP2,D2,2026-06-02,7,JPY,\n"), "lockbox.csv").ToList();

        Assert.Equal(
            [
                new IncomingPayment(2, 123_450, "USD", new DateOnly(2026, 6, 1), null, "P1", ["INV-9", "D1"], null, "csv payment"),
                new IncomingPayment(3, 7, "JPY", new DateOnly(2026, 6, 2), null, "P2", ["D2"], null, "csv payment"),
            ],
            payments,
            (a, b) => a with { References = [] } == b with { References = [] } && a.References.SequenceEqual(b.References));
    }

    [Fact]
    public void ABadRow_ThrowsNamingFileLineAndField_AndCountsTheOthers()
    {
        var error = Assert.Throws<PaymentFileException>(() =>
            Reader.Read(Bytes("payment_id,debtor_id,received_on,amount,currency\nP1,D1,2026-06-01,-5.00,USD\nP2,D2,2026-06-31,5.00,USD\n"), "lockbox.csv"));

        Assert.Equal(("lockbox.csv", 2, "amount"), (error.File, error.FileLine, error.Field));
        Assert.Equal("lockbox.csv line 2, amount: must be greater than zero, not -5.00 (and 1 more problem)", error.Message);
    }
}
