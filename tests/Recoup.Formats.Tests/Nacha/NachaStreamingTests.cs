using Recoup.Formats.Nacha;
using Recoup.Formats.Payments;

namespace Recoup.Formats.Tests.Nacha;

/// <summary>The streaming readers hand out entries as they are read, and still check every control.</summary>
public sealed class NachaStreamingTests
{
    private static readonly NachaOriginator Originator = new("231380104", "1210428821", "Federal Reserve Bank", "Recoup Collections", "RECOUP", "1234567890", "12104288");

    private static string LargeFile(int debits)
    {
        var batch = new NachaDebitBatch("PPD", "PAYMENT", new DateOnly(2026, 5, 11),
            Enumerable.Range(1, debits).Select(i => new NachaDebit("231380104", $"ACCT{i}", 1_000 + i, $"ACC-{i}", "Maria Gonzalez")).ToList());
        var text = new StringWriter();
        NachaWriter.Write(text, Originator, new DateTime(2026, 5, 8, 15, 5, 0), 'A', [batch]);
        return text.ToString();
    }

    [Fact]
    public void Entries_AreHandedOut_BeforeTheRestOfTheFileIsRead()
    {
        var reader = new CountingReader(LargeFile(20_000));

        using var entries = NachaFile.ReadEntries(reader, "large.ach").GetEnumerator();
        Assert.True(entries.MoveNext());

        Assert.Equal("ACCT1", entries.Current.Account);
        Assert.True(reader.Lines < 10, $"{reader.Lines} lines were read to hand out the first entry");
        var count = 1;
        while (entries.MoveNext())
        {
            count++;
        }

        Assert.Equal(20_000, count);
        Assert.True(reader.Lines > 20_000);
    }

    [Fact]
    public void AControlThatDisagrees_ThrowsAtItsLine_AfterTheEntriesBeforeIt()
    {
        var lines = LargeFile(3).Split("\r\n");
        var control = Array.FindIndex(lines, l => l.StartsWith('8'));
        lines[control] = lines[control][..20] + "000000099999" + lines[control][32..]; // the batch's debit total
        var read = new List<NachaEntry>();

        var error = Assert.Throws<PaymentFileException>(() =>
        {
            foreach (var entry in NachaFile.ReadEntries(new StringReader(string.Join("\r\n", lines)), "bad.ach"))
            {
                read.Add(entry);
            }
        });

        Assert.Equal(3, read.Count);
        Assert.Equal(control + 1, error.FileLine);
        Assert.Equal("total debit entry dollar amount", error.Field);
    }

    [RealDataFact]
    public void ReadReturns_GivesTheSameReturnsAsTheWholeFile()
    {
        var path = RealData.Path(["nacha", "returns", "return-WEB.ach"]);
        var whole = NachaFile.Read(path).Returns.ToList();

        using var text = new StreamReader(path);
        var streamed = NachaFile.ReadReturns(text, "return-WEB.ach").ToList();

        Assert.NotEmpty(whole);
        Assert.Equal(whole, streamed);
    }

    private sealed class CountingReader(string text) : TextReader
    {
        private readonly StringReader _inner = new(text);

        public int Lines { get; private set; }

        public override string? ReadLine()
        {
            var line = _inner.ReadLine();
            if (line is not null)
            {
                Lines++;
            }

            return line;
        }
    }
}
