using CsCheck;
using Recoup.Formats.Nacha;
using Recoup.Formats.Payments;

namespace Recoup.Formats.Tests.Nacha;

public sealed class NachaWriterTests
{
    private static readonly NachaOriginator Originator = new("231380104", "1210428821", "Federal Reserve Bank", "Recoup Collections", "RECOUP", "1234567890", "12104288");

    private static string Write(params NachaDebitBatch[] batches)
    {
        var text = new StringWriter();
        NachaWriter.Write(text, Originator, new DateTime(2026, 5, 8, 15, 5, 0), 'A', batches);
        return text.ToString();
    }

    private static NachaFile ReadBack(string text, NachaReadOptions? options = null) => NachaFile.Read(new StringReader(text), "written.ach", options);

    private static string[] Lines(string text) => text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

    private static readonly NachaDebitBatch Sample = new("PPD", "PAYMENT", new DateOnly(2026, 5, 11),
    [
        new("231380104", "12345678", 10_050, "ACC-1", "Maria Gonzalez"),
        new("011000015", "987654321", 99_99, "ACC-2", "John Smith", 37, "Plan installment 3 of 6"),
    ]);

    [Fact]
    public void Written_ReadsBackIdentically_AndItsControlsPass()
    {
        var text = Write(Sample, Sample with { SecCode = "WEB", WebPaymentType = 'R' });
        var file = ReadBack(text);

        Assert.Equal(20, Lines(text).Length); // 12 records padded to two blocks
        Assert.All(Lines(text), l => Assert.Equal(94, l.Length));
        Assert.Equal(["PPD", "WEB"], file.Batches.Select(b => b.Header.SecCode));
        Assert.All(file.Batches, b => Assert.Equal((225, "RECOUP", "1234567890", "PAYMENT", new DateOnly(2026, 5, 11)), (b.Header.ServiceClass, b.Header.CompanyName, b.Header.CompanyId, b.Header.EntryDescription, b.Header.EffectiveDate)));
        var entries = file.Entries.ToList();
        Assert.Equal(
            Sample.Debits.Concat(Sample.Debits).Select(d => (d.RoutingNumber, d.Account, d.AmountMinor, d.IndividualId, d.IndividualName, d.TransactionCode)),
            entries.Select(e => (e.RoutingNumber, e.Account, e.AmountMinor, e.IndividualId, e.IndividualName, e.TransactionCode)));
        Assert.Equal("Plan installment 3 of 6", entries[1].Addenda.Single().Text[..23]);
        Assert.Equal(["", "", "R", "R"], entries.Select(e => e.DiscretionaryData));
        Assert.Equal(["121042880000001", "121042880000002", "121042880000003", "121042880000004"], entries.Select(e => e.Trace));
        Assert.Equal((2 * 20_049L, 0L, 2), (file.Control.TotalDebitMinor, file.Control.TotalCreditMinor, file.Control.BlockCount));
    }

    [Fact]
    public void AnyDebits_WrittenAndReadBack_AreTheSame()
    {
        var routing = Gen.Int[0, 99_999_999].Select(i =>
        {
            var rdfi = i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
            return rdfi + NachaCodes.CheckDigit(rdfi).ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
        var text = Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"].Array[1, 15].Select(c => new string(c));
        var debit = Gen.Select(routing, text, Gen.Long[1, 99_999_999_99], text, text, Gen.OneOf(27, 37, 28, 38),
            (r, account, amount, id, name, code) => new NachaDebit(r, account, amount, id, name, code));
        var batch = Gen.Select(Gen.OneOf("PPD", "WEB"), debit.List[1, 30], (sec, debits) => new NachaDebitBatch(sec, "COLLECT", new DateOnly(2026, 6, 1), debits));

        batch.List[1, 4].Sample(batches =>
        {
            var file = ReadBack(Write([.. batches]));
            var written = batches.SelectMany(b => b.Debits).Select(d => (d.RoutingNumber, d.Account, d.AmountMinor, d.IndividualId, d.IndividualName, d.TransactionCode));
            var read = file.Entries.Select(e => (e.RoutingNumber, e.Account, e.AmountMinor, e.IndividualId, e.IndividualName, e.TransactionCode));
            Assert.Equal(written, read);
            Assert.Equal(batches.Count, file.Batches.Count);
            Assert.Equal(batches.Sum(b => b.Debits.Sum(d => d.AmountMinor)), file.Control.TotalDebitMinor);
        }, iter: 200);
    }

    [Fact]
    public void Writer_RefusesABadRoutingNumber()
    {
        var bad = Sample with { Debits = [new NachaDebit("231380105", "1", 1, "A", "B")] };

        Assert.Throws<ArgumentException>(() => Write(bad));
    }

    private static string Replace(string text, int line, int column, string value)
    {
        var lines = Lines(text);
        lines[line - 1] = lines[line - 1][..(column - 1)] + value + lines[line - 1][(column - 1 + value.Length)..];
        return string.Join("\r\n", lines) + "\r\n";
    }

    [Fact]
    public void WrongBatchCount_IsNamedWithItsLine()
    {
        var error = Assert.Throws<PaymentFileException>(() => ReadBack(Replace(Write(Sample), 6, 5, "000004")));

        Assert.Equal("written.ach line 6, entry/addenda count: the batch control counts 4 entries and addenda but batch 1 has 3", error.Message);
    }

    [Fact]
    public void WrongHash_IsNamedWithItsLine()
    {
        var error = Assert.Throws<PaymentFileException>(() => ReadBack(Replace(Write(Sample), 6, 11, "0000000001")));

        Assert.Equal((6, "entry hash"), (error.FileLine, error.Field));
        Assert.Contains("the batch control's entry hash is 1 but the RDFI identifications of batch 1 add up to 24238011", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongLineLength_IsNamedWithItsLine()
    {
        var lines = Lines(Write(Sample));
        lines[2] += "XX";
        var error = Assert.Throws<PaymentFileException>(() => ReadBack(string.Join("\n", lines)));

        Assert.Equal("written.ach line 3, record length: the line is 96 characters; NACHA records are 94", error.Message);
    }

    [Fact]
    public void UnknownRecordType_IsNamedWithItsLine()
    {
        var error = Assert.Throws<PaymentFileException>(() => ReadBack(Replace(Write(Sample), 3, 1, "4")));

        Assert.Equal("written.ach line 3, record type: unknown record type '4'", error.Message);
    }

    [Fact]
    public void WrongFileTotals_ReadLeniently_AreListed()
    {
        var file = ReadBack(Replace(Write(Sample), 7, 32, "000000000001"), new NachaReadOptions(Strict: false));

        var warning = Assert.Single(file.Warnings);
        Assert.Equal((7, "total debit entry dollar amount"), (warning.FileLine, warning.Field));
    }
}
