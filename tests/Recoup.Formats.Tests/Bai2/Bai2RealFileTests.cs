using Recoup.Formats.Bai2;
using Recoup.Formats.Payments;

namespace Recoup.Formats.Tests.Bai2;

public sealed class Bai2RealFileTests
{
    private static Bai2File Read(string name, Bai2ReadOptions? options = null) => Bai2File.Read(RealData.Path("bai2", name), options);

    private static PaymentFileException Rejected(string name, Bai2ReadOptions? options = null) =>
        Assert.Throws<PaymentFileException>(() => Read(name, options));

    [RealDataFact]
    public void Sample1_ParsesToUpstreamFigures()
    {
        var file = Read("sample1.txt");

        Assert.Equal(("0004", "12345"), (file.Header.Sender, file.Header.Receiver));
        var group = Assert.Single(file.Groups);
        Assert.Equal(("CAD", new DateOnly(2006, 3, 17)), (group.Header.Currency, group.Header.AsOfDate));
        Assert.Equal(["10200123456", "10200123456"], group.Accounts.Select(a => a.Account.AccountNumber));
        Assert.Equal((1280000L, 27), (file.Trailer.ControlTotal, file.Trailer.RecordCount));

        var first = group.Accounts[0];
        Assert.Equal((834000L, 14, 11), (first.Trailer.ControlTotal, first.Trailer.RecordCount, first.Details.Count));
        Assert.Equal(["040", "045", "100", "400"], first.Account.Summaries.Select(s => s.TypeCode));
        var credits = first.Account.Summaries[2];
        Assert.Equal((208500L, 3), (credits.AmountMinor, credits.ItemCount));
        Assert.Equal((Bai2FundsType.ValueDated, new DateOnly(2006, 3, 16)), (credits.Availability.Type, credits.Availability.ValueDate));
        Assert.Equal((208500L, 8), (first.Account.Summaries[3].AmountMinor, first.Account.Summaries[3].ItemCount));
        Assert.Equal("RETURNED CHEQUE", first.Details[0].Text);
        Assert.Equal((446000L, 9, 6), (group.Accounts[1].Trailer.ControlTotal, group.Accounts[1].Trailer.RecordCount, group.Accounts[1].Details.Count));
        Assert.Empty(file.Warnings);
    }

    [RealDataFact]
    public void Sample2_WithEveryFundsType_AgreesWithItsControls()
    {
        var file = Read("sample2.txt");

        Assert.Equal(4, file.Groups.Count);
        Assert.Equal(5, file.Groups.Sum(g => g.Accounts.Count));
        Assert.Equal((345450000L, 4, 31), (file.Trailer.ControlTotal, file.Trailer.GroupCount, file.Trailer.RecordCount));

        var lockbox = file.Groups[0].Accounts[0].Details.Single();
        Assert.Equal(("115", 450000L, Bai2FundsType.Distributed), (lockbox.TypeCode, lockbox.AmountMinor, lockbox.Availability.Type));
        Assert.Equal([new(0, 100000), new(1, 200000), new(2, 150000)], lockbox.Availability.Distribution);
        Assert.Equal("LOCK BOX NO.68751", file.Groups[0].Accounts[1].Details.Single().Text);

        var letterOfCredit = file.Groups[1].Accounts[0].Details[0];
        Assert.Equal(("SP4738", "YRC065321"), (letterOfCredit.BankReference, letterOfCredit.CustomerReference));
        Assert.Equal("PROCEEDS OF LETTER OF CREDIT FROM THE ARAMCO OIL CO", letterOfCredit.Text);
        Assert.Equal(new DateOnly(2004, 6, 22), letterOfCredit.Availability.ValueDate);
        Assert.Equal(Bai2FundsType.OneDay, file.Groups[1].Accounts[0].Details[1].Availability.Type);

        var byDays = file.Groups[2].Accounts[0].Account.Summaries.Single(s => s.TypeCode == "110");
        Assert.Equal([new(0, 20000000), new(1, 30000000), new(3, 20000000)], byDays.Availability.Distribution);
        Assert.Equal(4, file.Groups[3].Accounts[0].Account.Summaries.Single(s => s.TypeCode == "110").ItemCount);
        Assert.All(file.Groups[0].Accounts, a => Assert.Equal("USD", a.Account.Currency));
    }

    [RealDataFact]
    public void Sample3_WithSeveralRecordsPerLineAndWrappedText_AgreesWithItsControls()
    {
        var file = Read("sample3.txt");

        var group = Assert.Single(file.Groups);
        Assert.Equal(15, group.Accounts.Count);
        Assert.Equal((2508440L, 72), (group.Trailer.ControlTotal, group.Trailer.RecordCount));
        Assert.Equal((2508440L, 74), (file.Trailer.ControlTotal, file.Trailer.RecordCount));
        Assert.Equal("TRANSFER   PAYPAL             PPD", group.Accounts[0].Details[0].Text);
        Assert.Equal("TRANSFER   MSPBNA BANK        PPD", group.Accounts[0].Details[1].Text);
        Assert.Equal("111111     ACH_SETL           1111111111 111111111111111 1111111111", group.Accounts[7].Details[0].Text);
        Assert.Equal(14, group.Accounts[7].Trailer.RecordCount);
        Assert.Equal(new[] { 6, 0, 0, 2, 0, 0, 0, 6, 4, 8, 0, 0, 0, 0, 0 }, group.Accounts.Select(a => a.Details.Count));
    }

    [RealDataTheory]
    [InlineData("sample4-continuations-newline-delimited.txt", new[] { 0, 3, 14, 0, 0 })]
    [InlineData("sample5-issue113.txt", new[] { 0, 3, 17, 0, 0 })]
    public void UpstreamInconsistentSamples_ReadLeniently_GiveUpstreamCounts(string name, int[] details)
    {
        var file = Read(name, Bai2ReadOptions.Lenient);

        var group = Assert.Single(file.Groups);
        Assert.Equal(details, group.Accounts.Select(a => a.Details.Count));
        Assert.Equal((13060195162L, 18), (file.Trailer.ControlTotal, file.Trailer.RecordCount));
        Assert.Contains(file.Warnings, w => w.FileLine == 22 && w.Field == "49 account control total");
        Assert.Contains(file.Warnings, w => w.Field == "98 number of accounts" && w.Reason.Contains("counts 4 accounts but the group has 5", StringComparison.Ordinal));
    }

    [RealDataTheory]
    [InlineData("sample4-continuations-newline-delimited.txt")]
    [InlineData("sample5-issue113.txt")]
    public void UpstreamInconsistentSamples_ReadStrictly_AreRejectedAtTheFirstWrongTrailer(string name)
    {
        var error = Rejected(name);

        Assert.Equal((22, "49 account control total"), (error.FileLine, error.Field));
        Assert.Contains("-1260161341762", error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"{name} line 22, 49 account control total:", error.Message, StringComparison.Ordinal);
    }

    [RealDataFact]
    public void Sample5_KeepsSlashesInsideReferencesAndText()
    {
        var details = Read("sample5-issue113.txt", Bai2ReadOptions.Lenient).Groups[0].Accounts[1].Details;

        Assert.Equal("AB/GS/RPFILERP0001/RPBA0001", details[2].CustomerReference);
        Assert.EndsWith("EREF: AB/GS/RPFILERP0001/RPBA0001 DBNM: SAMPLE INC CACT: ACHCONTROLOUTUSD01", details[2].Text, StringComparison.Ordinal);
    }

    [RealDataFact]
    public void VenturehacksDaily_ProjectsItsOtherDepositAsAPayment()
    {
        var file = Read("venturehacks_daily.bai2");
        var detail = file.Groups.Single().Accounts.Single().Details.Single();
        Assert.Equal(("121140399", "9999999999"), (file.Groups[0].Header.Originator, file.Groups[0].Header.UltimateReceiver));
        Assert.Equal(("174", 25001L, "SAMPLE CONTINUATION TEXT"), (detail.TypeCode, detail.AmountMinor, detail.Text));

        using var text = new StreamReader(RealData.Path("bai2", "venturehacks_daily.bai2"));
        var payment = Assert.Single(Bai2File.Payments(text, "daily.bai2"));
        Assert.Equal((4, 25001L, "USD", new DateOnly(2005, 6, 7)), (payment.Line, payment.AmountMinor, payment.Currency, payment.ValueDate));
        Assert.Equal(("SAMPLE CONTINUATION TEXT", "BAI2 174", null), (payment.RemittanceText, payment.TypeCode, payment.BankReference));
        Assert.Equal(["50848"], payment.References);
    }

    [RealDataFact]
    public void VenturehacksDailyWithSummary_JoinsThreeSummaryContinuations()
    {
        var file = Read("venturehacks_daily_with_summary.bai2");
        var account = file.Groups.Single().Accounts.Single();

        Assert.Equal((50002L, 7), (account.Trailer.ControlTotal, account.Trailer.RecordCount));
        Assert.Equal(["010", "015", "040", "045", "072", "074", "100", "400"], account.Account.Summaries.Select(s => s.TypeCode));
        Assert.Equal(17, account.Account.Summaries.Single(s => s.TypeCode == "100").ItemCount);
    }

    [RealDataTheory]
    [InlineData("venturehacks_eod.bai2", 15, 17)]
    [InlineData("venturehacks_eod_with_slash_in_text.bai2", 16, 18)]
    public void VenturehacksEod_ReadsTheWireWithItsTenContinuations(string name, int groupRecords, int fileRecords)
    {
        var file = Read(name);
        var group = file.Groups.Single();
        var detail = group.Accounts.Single().Details.Single();

        Assert.Equal(("195", 8325982L), (detail.TypeCode, detail.AmountMinor));
        Assert.Equal((groupRecords, fileRecords), (group.Trailer.RecordCount, file.Trailer.RecordCount));
        Assert.StartsWith("FED NO: 20100831L1B77D1CDSDSDJSIO15608310954FT01 SENDER BNK:=ETRADE BANK", detail.Text, StringComparison.Ordinal);
        Assert.EndsWith("OBI:=INVOICE 123456", detail.Text, StringComparison.Ordinal);
        Assert.Equal("USD", group.Accounts[0].Account.Currency);
    }

    [RealDataFact]
    public void SlashInText_IsKeptAsText()
    {
        var detail = Read("venturehacks_eod_with_slash_in_text.bai2").Groups[0].Accounts[0].Details[0];

        Assert.Contains("ORG ADDRESS:=2/AV MAIN 2/AVENUE DE ANGELLIST 3/MX /MEXICO ;", detail.Text, StringComparison.Ordinal);
        Assert.Null(Read("venturehacks_eod_with_slash_in_text.bai2").Groups[0].Header.AsOfTime);
    }

    [RealDataFact]
    public void InvalidChecksum_IsRejectedAtTheAccountTrailer()
    {
        var error = Rejected(Path.Combine("invalid", "venturehacks_invalid_checksum_eod.bai2"));

        Assert.Equal("venturehacks_invalid_checksum_eod.bai2 line 15, 49 account control total: the account control total is 8325983 but the amounts of account 3333333333 add up to 8325982", error.Message);
    }

    [RealDataFact]
    public void InvalidChecksum_ReadLeniently_ListsEveryTrailerThatDisagrees()
    {
        var file = Read(Path.Combine("invalid", "venturehacks_invalid_checksum_eod.bai2"), Bai2ReadOptions.Lenient);

        Assert.Equal([15, 16, 17], file.Warnings.Select(w => w.FileLine));
    }

    [RealDataFact]
    public void ParseError_IsRejectedAsAnUnsupportedRecordType()
    {
        var error = Rejected(Path.Combine("invalid", "sample-parseError.txt"));

        Assert.Equal("sample-parseError.txt line 1, record type: unsupported record type 00", error.Message);
    }

    [RealDataFact]
    public void Sample1_HasNoCreditDetails_Sample3_ProjectsItsAchCredits()
    {
        using var sample1 = new StreamReader(RealData.Path("bai2", "sample1.txt"));
        var payments1 = Bai2File.Payments(sample1, "sample1.txt").ToList();
        Assert.Equal(5, payments1.Count); // the 108 credits
        Assert.All(payments1, p => Assert.Equal(("CAD", "BAI2 108"), (p.Currency, p.TypeCode)));

        using var sample3 = new StreamReader(RealData.Path("bai2", "sample3.txt"));
        var payments3 = Bai2File.Payments(sample3, "sample3.txt").ToList();
        Assert.Contains(payments3, p => p is { TypeCode: "BAI2 195", AmountMinor: 13855 } && p.RemittanceText!.EndsWith("FOSTER CITY       CA 94404", StringComparison.Ordinal));
        Assert.All(payments3, p => Assert.Equal(new DateOnly(2022, 9, 19), p.ValueDate));
    }
}
