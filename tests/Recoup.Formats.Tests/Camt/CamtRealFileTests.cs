using Recoup.Formats.Camt;
using Recoup.Formats.Payments;

namespace Recoup.Formats.Tests.Camt;

public sealed class CamtRealFileTests
{
    private static CamtFile Read(string name, CamtReadOptions? options = null) => CamtFile.Read(RealData.Path("camt", name), options);

    private static List<IncomingPayment> Payments(string name)
    {
        using var text = new StreamReader(RealData.Path("camt", name));
        return CamtFile.Payments(text, name).ToList();
    }

    [RealDataTheory]
    [InlineData("camt053.v2.minimal.xml", "camt.053.001.02")]
    [InlineData("camt053.v8.xml", "camt.053.001.08")]
    public void Minimal_ParsesToUpstreamFigures(string name, string version)
    {
        var file = Read(name);

        Assert.Equal((CamtMessageKind.Statement, version, "CAMT053RIB000000000001"), (file.Message.Kind, file.Message.Version, file.Message.MessageId));
        var statement = Assert.Single(file.Statements);
        Assert.Equal(("253EURNL26VAYB8060476890", "NL26VAYB8060476890", "12312", "12312"),
            (statement.Report.Id, statement.Report.AccountId, statement.Report.ElectronicSequenceNumber, statement.Report.LegalSequenceNumber));
        Assert.Equal(
            [("OPBD", 1815L, "EUR"), ("CLBD", -2700L, "SEK"), ("OPAV", 3500L, "CHF"), ("CLAV", -2700L, "JPY")],
            statement.Report.Balances.Select(b => (b.Type, b.AmountMinor, b.Currency)));
        var entry = Assert.Single(statement.Entries);
        Assert.Equal((885L, "EUR", true, false), (entry.AmountMinor, entry.Currency, entry.IsCredit, entry.IsReversal));
        Assert.Equal((new DateOnly(2014, 12, 31), new DateOnly(2015, 1, 2)), (entry.BookingDate, entry.ValueDate));
        Assert.Contains("4654654654654654", entry.Transactions.Single().CreditorReferences);
        Assert.False(statement.End.BalanceChecked); // opening EUR, closing SEK: nothing to reconcile
        Assert.Empty(file.Warnings);
    }

    [RealDataFact]
    public void MinimalV2_HasAProprietaryTransactionCode()
    {
        var entry = Read("camt053.v2.minimal.xml").Statements[0].Entries[0];

        Assert.Equal("544", entry.BankTransactionCode!.Proprietary);
        Assert.Equal("544", entry.BankTransactionCode.ToString());
    }

    [RealDataFact]
    public void MultiStatement_ReconcilesBoth()
    {
        var file = Read("camt053.v2.multi.statement.xml");

        Assert.Equal(2, file.Statements.Count);
        Assert.All(file.Statements, s => Assert.True(s.End.BalanceChecked));
        var first = file.Statements[0].Entries.Single();
        var second = file.Statements[1].Entries.Single();
        Assert.Equal((885L, "000000001"), (first.SignedAmountMinor, first.Transactions.Single().EndToEndId));
        Assert.Equal((-700L, "000000002"), (second.SignedAmountMinor, second.Transactions.Single().EndToEndId));
        Assert.Contains("Transaction Description 1", first.Transactions.Single().Unstructured);
        Assert.Equal("Company Name 2", second.Transactions.Single().CreditorName);
    }

    [RealDataFact]
    public void FiveDecimals_DecodesWithTheCurrencysExponent()
    {
        var file = Read("camt053.v2.five.decimals.xml", CamtReadOptions.Lenient);

        var statement = Assert.Single(file.Statements);
        Assert.Equal([1815L, 2705L], statement.Report.Balances.Select(b => b.AmountMinor));
        Assert.Equal(885L, statement.Entries.Single().AmountMinor);
    }

    [RealDataFact]
    public void FiveDecimals_ItsSyntheticClosingBalance_IsFlaggedInStrictMode()
    {
        var error = Assert.Throws<PaymentFileException>(() => Read("camt053.v2.five.decimals.xml"));

        Assert.Equal((49, "Bal CLBD"), (error.FileLine, error.Field));
        Assert.Contains("is 27.05 EUR but the opening balance 18.15 EUR and the booked entries (8.85 EUR) make 27.00 EUR", error.Message, StringComparison.Ordinal);
    }

    [RealDataFact]
    public void AllBalanceTypes_ReadsTenBalances()
    {
        var file = Read("camt053.v2.all-balance-types.xml", CamtReadOptions.Lenient);

        Assert.Equal(
            ["OPBD", "PRCD", "OPAV", "CLBD", "CLAV", "FWAV", "INFO", "ITAV", "ITBD", "XPCD"],
            file.Statements[0].Report.Balances.Select(b => b.Type));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => i * 101L), file.Statements[0].Report.Balances.Select(b => b.AmountMinor));
        Assert.Single(file.Warnings); // synthetic: 1.01 + 8.85 is not 4.04
    }

    [RealDataTheory]
    [InlineData("camt054.v2.xml")]
    [InlineData("camt054.v8.xml")]
    public void Notification_ParsesToUpstreamFigures(string name)
    {
        var file = Read(name);

        Assert.Equal((CamtMessageKind.Notification, "AAAASESS-FP-ACCR001"), (file.Message.Kind, file.Message.MessageId));
        var statement = Assert.Single(file.Statements);
        Assert.Equal("CH2801234000123456789", statement.Report.AccountId);
        var entry = Assert.Single(statement.Entries);
        Assert.Equal((-20000000L, "SEK", new DateOnly(2007, 10, 18), new DateOnly(2007, 10, 18)), (entry.SignedAmountMinor, entry.Currency, entry.BookingDate, entry.ValueDate));
        Assert.Equal("PMNT/ICDT/DMCT", entry.BankTransactionCode!.ToString());
        Assert.Equal(3, entry.Transactions.Count);
        Assert.Equal(["Ref number V3 block 1", "Ref number V3 block 2"], entry.Transactions[2].CreditorReferences);
        Assert.Empty(Payments(name)); // a debit
    }

    [RealDataFact]
    public void NotificationWithUetr_KeepsIt()
    {
        var entry = Read("camt054.v8-with-UETR.xml").Statements.Single().Entries.Single();

        Assert.Equal("255ae394-9965-4438-ac86-f406feada396", entry.Transactions.Single().Uetr);
    }

    [RealDataFact]
    public void AccountReport_Camt052_IsAccepted()
    {
        var file = Read("camt052.v2.xml");

        Assert.Equal(CamtMessageKind.AccountReport, file.Message.Kind);
        Assert.Equal((-20000000L, "SEK"), (file.Statements.Single().Entries.Single().SignedAmountMinor, file.Statements[0].Entries[0].Currency));
    }

    [RealDataFact]
    public void Wrong_WithoutAStatement_IsRejectedNamingTheLine()
    {
        var error = Assert.Throws<PaymentFileException>(() => Read(Path.Combine("invalid", "camt053.v2.wrong.xml")));

        Assert.Equal("camt053.v2.wrong.xml line 3, Stmt: the camt.053.001.02 message has no <Stmt>: there is nothing to read", error.Message);
    }

    [RealDataFact]
    public void FinnishStatement_ReconcilesAndMatchesItsSummary()
    {
        var file = Read(Path.Combine("fi", "FI_camt_053_sample.xml.xml"));

        var statement = Assert.Single(file.Statements);
        Assert.True(statement.End.BalanceChecked);
        Assert.Equal(10, statement.Entries.Count);
        Assert.Equal((6, 2307500L), (statement.Entries.Count(e => e.IsCredit), statement.Entries.Where(e => e.IsCredit).Sum(e => e.AmountMinor)));
        Assert.Equal((4, 943017L), (statement.Entries.Count(e => !e.IsCredit), statement.Entries.Where(e => !e.IsCredit).Sum(e => e.AmountMinor)));
        Assert.Equal((1000000L, 2364483L), (statement.Report.Balances.Single(b => b.Type == "OPBD").AmountMinor, statement.Report.Balances.Single(b => b.Type == "CLBD").AmountMinor));
        Assert.Equal((10, 6, 4), (statement.Report.Summary!.EntryCount, statement.Report.Summary.CreditCount, statement.Report.Summary.DebitCount));
    }

    [RealDataFact]
    public void FinnishNotification_NetsAReversalAsADebit_AndSplitsCreditsPerTransaction()
    {
        var file = Read(Path.Combine("fi", "FI_camt_054_sample.xml.xml"));

        var statement = Assert.Single(file.Statements);
        Assert.Equal(6, statement.Entries.Count);
        Assert.Equal((1083005L, 16995L), (statement.Report.Summary!.EntrySumMinor, statement.Report.Summary.NetAmountMinor));
        var reversal = statement.Entries[5];
        Assert.Equal((true, true, "INFO", -10000L), (reversal.IsCredit, reversal.IsReversal, reversal.Status, reversal.SignedAmountMinor));
        Assert.Equal(["AC01", "CUST"], reversal.Transactions.Select(t => t.ReturnReason));

        var payments = Payments(Path.Combine("fi", "FI_camt_054_sample.xml.xml"));
        Assert.Equal(550000L, payments.Sum(p => p.AmountMinor));
        Assert.Equal([190000L, 10000L, 40000L, 10000L], payments.Take(4).Select(p => p.AmountMinor));
        Assert.Equal(("PAYERS NAME1", "D091029N987654321S001"), (payments[0].PayerName, payments[0].BankReference));
        Assert.Equal(["3900", "12344"], payments[0].References);
        Assert.Contains(payments, p => p.References.Contains("RF7812345") && p.PayerName == "AT-02 DEBTOR NAME 01" && p.TypeCode == "camt PMNT/RCDT/ESCT");
        Assert.All(payments, p => Assert.Equal(("EUR", new DateOnly(2009, 10, 29)), (p.Currency, p.ValueDate)));
    }

    [RealDataFact]
    public void LithuanianStatement_ReadsUtf8NamesAndReconcilesAvailableBalances()
    {
        var file = Read(Path.Combine("fi", "statement_1.xml"));

        var statement = Assert.Single(file.Statements);
        Assert.Equal(4, statement.Entries.Count);
        Assert.All(statement.Entries, e => Assert.False(e.IsCredit));
        Assert.Equal(276808L, statement.Entries.Sum(e => e.AmountMinor));
        Assert.Equal(
            [("OPAV", 276808L), ("CLAV", 0L)],
            statement.Report.Balances.Where(b => b.Type is "OPAV" or "CLAV").Select(b => (b.Type, b.AmountMinor)));
    }

    [RealDataFact]
    public void MinimalCredit_BecomesOnePayment()
    {
        var payment = Assert.Single(Payments("camt053.v2.minimal.xml"));

        Assert.Equal((885L, "EUR", new DateOnly(2015, 1, 2), "NAME NAME", "camt 544"), (payment.AmountMinor, payment.Currency, payment.ValueDate, payment.PayerName, payment.TypeCode));
        Assert.Contains("4654654654654654", payment.References);
    }
}
