using Recoup.Formats.Nacha;
using Recoup.Formats.Payments;

namespace Recoup.Formats.Tests.Nacha;

public sealed class NachaRealFileTests
{
    private static NachaFile Read(string name, NachaReadOptions? options = null) => NachaFile.Read(RealData.Path(["nacha", .. name.Split('/')]), options);

    private static PaymentFileException Rejected(string name, NachaReadOptions? options = null) =>
        Assert.Throws<PaymentFileException>(() => Read(name, options));

    [RealDataTheory]
    [InlineData("ppd-debit.ach", 100000000L)]
    [InlineData("short-line.ach", 100000000L)]
    [InlineData("examples-ppd-debit.ach", 200000000L)]
    public void PpdDebit_HasOneDebitEntry(string name, long amount)
    {
        var file = Read(name);

        var batch = Assert.Single(file.Batches);
        Assert.Equal("PPD", batch.Header.SecCode);
        var entry = Assert.Single(batch.Entries);
        Assert.Equal((27, amount, true), (entry.TransactionCode, entry.AmountMinor, entry.IsDebit));
        Assert.Equal((amount, 0L), (file.Control.TotalDebitMinor, file.Control.TotalCreditMinor));
        Assert.Equal("231380104", entry.RoutingNumber);
    }

    [RealDataFact]
    public void WebCredit_HasItsPaymentAddenda()
    {
        var file = Read("examples-web-credit.ach");

        var entry = Assert.Single(file.Entries);
        Assert.Equal(("WEB", 22, 10000L), (file.Batches[0].Header.SecCode, entry.TransactionCode, entry.AmountMinor));
        var addenda = Assert.Single(entry.Addenda);
        Assert.Equal("05", addenda.TypeCode);
        Assert.StartsWith("PAY-GATE payment\\", addenda.Text, StringComparison.Ordinal);
        Assert.Equal((0L, 10000L), (file.Control.TotalDebitMinor, file.Control.TotalCreditMinor));
    }

    [RealDataFact]
    public void WebDebit_IsThreeBatchesOfCreditsAndOneDebit()
    {
        var file = Read("web-debit.ach");

        Assert.Equal(["WEB", "WEB", "PPD"], file.Batches.Select(b => b.Header.SecCode));
        Assert.Equal([4, 1, 1], file.Batches.Select(b => b.Entries.Count));
        Assert.Equal((15000L, 26820L, 50600106L), (file.Control.TotalDebitMinor, file.Control.TotalCreditMinor, file.Control.EntryHash));
        Assert.Equal(new DateOnly(2015, 3, 5), file.Batches[0].Header.EffectiveDate);
    }

    [RealDataFact]
    public void MixedDebitCredit_HasOneDebitAndTwoCredits()
    {
        var entries = Read("ppd-mixedDebitCredit.ach").Entries.ToList();

        Assert.Equal([true, false, false], entries.Select(e => e.IsDebit));
        Assert.Equal([200000000L, 100000000L, 100000000L], entries.Select(e => e.AmountMinor));
    }

    [RealDataFact]
    public void TwoMicroDeposits_AreTwoBatchesOfThreeWithAddenda()
    {
        var file = Read("two-micro-deposits.ach");

        Assert.Equal([3, 3], file.Batches.Select(b => b.Entries.Count));
        Assert.Equal([32, 32, 27], file.Batches[0].Entries.Select(e => e.TransactionCode));
        Assert.All(file.Entries, e => Assert.Equal("05", Assert.Single(e.Addenda).TypeCode));
        Assert.Equal((120L, 120L), (file.Control.TotalDebitMinor, file.Control.TotalCreditMinor));
    }

    [RealDataFact]
    public void LargeFile_AgreesWithItsControls()
    {
        var file = Read("PPD-200-batches-100000-entries.ach.gz");

        Assert.Equal(200, file.Batches.Count);
        Assert.Equal(100_199, file.Entries.Count());
        Assert.Equal((20123398766L, 8405463990L), (file.Control.TotalCreditMinor, file.Control.EntryHash));
    }

    [RealDataFact]
    public void ReturnWeb_ProjectsTwoReturns()
    {
        var file = Read("returns/return-WEB.ach");

        Assert.Equal([1, 1], file.Batches.Select(b => b.Entries.Count));
        var returns = file.Returns.ToList();
        Assert.Equal(2, returns.Count);
        Assert.Equal(("R01", 12354L, false, "091400600000001"), (returns[0].ReturnCode, returns[0].AmountMinor, returns[0].StopFurtherDebits, returns[0].OriginalTrace));
        Assert.Equal(("R03", 4565L, true), (returns[1].ReturnCode, returns[1].AmountMinor, returns[1].StopFurtherDebits));
        Assert.Equal(("Paul Jones", "Insufficient funds", 3), (returns[0].IndividualName, returns[0].Description, returns[0].Line));
        Assert.Equal((12354L, 4565L), (file.Control.TotalDebitMinor, file.Control.TotalCreditMinor));
    }

    [RealDataFact]
    public void CustomReasonCode_IsRejected_UnlessCustomCodesAreAllowed()
    {
        var error = Rejected("returns/return-PPD-custom-reason-code.ach");
        Assert.Equal("return-PPD-custom-reason-code.ach line 4, return reason code: R97 is not a standard return reason code (R01–R85)", error.Message);

        var file = Read("returns/return-PPD-custom-reason-code.ach", new NachaReadOptions(AllowCustomReturnCodes: true));
        var r = Assert.Single(file.Returns);
        Assert.Equal(("R97", 106161L, "Custom return reason"), (r.ReturnCode, r.AmountMinor, r.Description));
    }

    [RealDataFact]
    public void NotificationOfChange_IsNoReturn()
    {
        var file = Read("returns/cor-example.ach");

        Assert.Empty(file.Returns);
        var entry = Assert.Single(file.Entries);
        Assert.Equal(("COR", 21, 0L), (file.Batches[0].Header.SecCode, entry.TransactionCode, entry.AmountMinor));
        Assert.Equal(("C01", "1918171614"), (entry.Change!.ChangeCode, entry.Change.CorrectedData));
    }

    [RealDataFact]
    public void InvalidCheckDigit_IsRejected_UnlessAllowed()
    {
        var error = Rejected("invalid/ppd-debit-invalid-entryDetail-checkDigit.ach");
        Assert.Equal("ppd-debit-invalid-entryDetail-checkDigit.ach line 3, check digit: routing number 231380105 has check digit 5; the ABA check digit is 4", error.Message);

        Assert.Single(Read("invalid/ppd-debit-invalid-entryDetail-checkDigit.ach", new NachaReadOptions(AllowInvalidCheckDigit: true)).Entries);
    }

    [RealDataFact]
    public void OriginThatIsNotARoutingNumber_IsRejected()
    {
        var error = Rejected("invalid/ppd-mixedDebitCredit-invalid.ach");

        Assert.Equal((1, "immediate origin"), (error.FileLine, error.Field));
    }

    [RealDataFact]
    public void CorruptedAmount_IsRejectedAtItsLine()
    {
        var error = Rejected("invalid/invalid-two-micro-deposits.ach");

        Assert.Equal("invalid-two-micro-deposits.ach line 15, amount: '00CCC00004' is not a number", error.Message);
    }

    [RealDataFact]
    public void UnknownReturnCode_IsRejected()
    {
        var error = Rejected("invalid/pos-invalidReturnFile.ach");

        Assert.Equal(("return reason code", 4), (error.Field, error.FileLine));
        Assert.Contains("R96 is not a standard return reason code", error.Message, StringComparison.Ordinal);
    }

    [RealDataFact]
    public void ReturnWithoutHeaderOrControls_IsRejectedAtLineOne()
    {
        var error = Rejected("invalid/return-no-batch-controls.ach");

        Assert.Equal("return-no-batch-controls.ach line 1, record type: the file must begin with a file header (1), not a record of type '5'", error.Message);
    }

    [RealDataFact]
    public void FiservZeroFile_IsRejectedForItsDestinationCheckDigit()
    {
        var error = Rejected("invalid/FISERV-ZEROFILE-PIMRET825324_032720_110221.ach");
        Assert.Equal((1, "immediate destination"), (error.FileLine, error.Field));
        Assert.Contains("routing number 100067554 has check digit 4", error.Message, StringComparison.Ordinal);

        var file = Read("invalid/FISERV-ZEROFILE-PIMRET825324_032720_110221.ach", new NachaReadOptions(AllowInvalidCheckDigit: true));
        Assert.Equal(("100067554", "182327390", "PIMRET825324", "FISERV", 0), (file.Header.ImmediateDestination, file.Header.ImmediateOrigin, file.Header.DestinationName, file.Header.OriginName, file.Control.BatchCount));
    }

    [RealDataFact]
    public void File20110805A_ClaimsFiveBatchesForFour()
    {
        var error = Rejected("20110805A.ach");
        Assert.Equal("batch count", error.Field);
        Assert.Contains("the file control counts 5 batches but the file has 4", error.Message, StringComparison.Ordinal);

        var file = Read("20110805A.ach", new NachaReadOptions(Strict: false));
        Assert.Equal(4, file.Batches.Count);
        Assert.Equal((48, 35), (file.Entries.Count(), file.Entries.Sum(e => e.Addenda.Count)));
        Assert.Equal((5101000L, 200L), (file.Control.TotalDebitMinor, file.Control.TotalCreditMinor));
        Assert.Equal(2, file.Batches.Count(b => b.Header.SecCode == "IAT"));
    }
}
