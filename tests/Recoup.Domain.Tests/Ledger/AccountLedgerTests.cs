using Recoup.Domain.Ledger;
using static Recoup.Domain.Tests.Builders;

namespace Recoup.Domain.Tests.Ledger;

public class AccountLedgerTests
{
    /// <summary>One invoice A of 100.00, issued on day 0 and due on day 30.</summary>
    private static AccountLedger OneInvoice() => ALedger().WithInvoice("A", 100, issuedOn: 0, dueOn: 30).Build();

    private static InvoiceId UnknownInvoice => InvoiceId.New(Now);

    // ---- Invoices ------------------------------------------------------------------------------

    [Fact]
    public void AddInvoice_BillsTheInvoiceWithOneChargeOnItsIssueDate()
    {
        var ledger = ALedger().Build();

        var invoice = ledger.AddInvoice("INV-1", Day(3), Day(33), Usd(250), Now).Ok();

        var charge = Assert.Single(ledger.Entries);
        Assert.Equal(EntryKind.Charge, charge.Kind);
        Assert.Equal(Usd(250), charge.Amount);
        Assert.Equal(Day(3), charge.EffectiveDate);
        Assert.Equal(invoice.Id, charge.InvoiceId);
        Assert.Equal(1, charge.Sequence);
        Assert.Equal(Usd(250), ledger.OpenOn(invoice.Id));
        Assert.Equal(Usd(250), ledger.Balance);
        Assert.Equal([invoice], ledger.NewInvoices);
        Assert.Empty(ledger.Violations());
    }

    [Fact]
    public void AddInvoice_WhenDueOnTheIssueDate_IsAccepted() =>
        ALedger().Build().AddInvoice("A", Day(5), Day(5), Usd(1), Now).Ok();

    [Theory]
    [InlineData(0)]
    [InlineData(-10)]
    public void AddInvoice_WhenAmountNotPositive_IsRefused(decimal amount) =>
        OneInvoice().AssertRefused(l => l.AddInvoice("B", Day(0), Day(30), Usd(amount), Now), "amount_not_positive");

    [Fact]
    public void AddInvoice_WhenInAnotherCurrency_IsRefused() =>
        OneInvoice().AssertRefused(l => l.AddInvoice("B", Day(0), Day(30), Eur(10), Now), "currency_mismatch");

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void AddInvoice_WhenNumberMissing_IsRefused(string number) =>
        OneInvoice().AssertRefused(l => l.AddInvoice(number, Day(0), Day(30), Usd(10), Now), "invoice_number_missing");

    [Fact]
    public void AddInvoice_WhenNumberAlreadyOnTheAccount_IsRefused() =>
        OneInvoice().AssertRefused(l => l.AddInvoice("A", Day(1), Day(30), Usd(10), Now), "duplicate_invoice");

    [Fact]
    public void AddInvoice_WhenDueBeforeIssued_IsRefused() =>
        OneInvoice().AssertRefused(l => l.AddInvoice("B", Day(10), Day(9), Usd(10), Now), "due_before_issue");

    // ---- Payments ------------------------------------------------------------------------------

    [Fact]
    public void Payment_ReducesTheBalanceAndWhatIsOpen()
    {
        var ledger = OneInvoice();

        var payment = ledger.PostPayment(Usd(40), Day(10), Now, "chk 7").Ok();

        Assert.Equal(EntryKind.Payment, payment.Kind);
        Assert.Equal(Usd(-40), payment.Amount);
        Assert.Equal("chk 7", payment.Reference);
        Assert.Equal(Usd(60), ledger.Balance);
        Assert.Equal(Usd(60), ledger.OpenOn("A"));
        Assert.Empty(ledger.Violations());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Payment_WhenAmountNotPositive_IsRefused(decimal amount) =>
        OneInvoice().AssertRefused(l => l.PostPayment(Usd(amount), Day(10), Now), "amount_not_positive");

    [Fact]
    public void Payment_WhenInAnotherCurrency_IsRefused() =>
        OneInvoice().AssertRefused(l => l.PostPayment(Eur(10), Day(10), Now), "currency_mismatch");

    [Fact]
    public void Payment_WhenNamedInvoiceNotOnTheAccount_IsRefused() =>
        OneInvoice().AssertRefused(l => l.PostPayment(Usd(10), Day(10), Now, target: UnknownInvoice), "invoice_not_found");

    [Fact]
    public void Payment_WhenNamedInvoiceIssuedAfterThePayment_IsRefused()
    {
        var ledger = ALedger().WithInvoice("A", 100, issuedOn: 20).Build();

        ledger.AssertRefused(l => l.PostPayment(Usd(10), Day(19), Now, target: l.Id("A")), "invoice_not_yet_issued");
    }

    // ---- Credit memos and adjustments ------------------------------------------------------------

    [Fact]
    public void CreditMemo_CreditsTheNamedInvoiceWithItsReason()
    {
        var ledger = ALedger().WithInvoice("A", 100, dueOn: 10).WithInvoice("B", 100, dueOn: 20).Build();

        var memo = ledger.PostCreditMemo(Usd(30), Day(5), Now, "damaged goods", ledger.Id("B")).Ok();

        Assert.Equal(EntryKind.CreditMemo, memo.Kind);
        Assert.Equal("damaged goods", memo.Memo);
        Assert.Equal(Usd(100), ledger.OpenOn("A"));
        Assert.Equal(Usd(70), ledger.OpenOn("B"));
        Assert.Empty(ledger.Violations());
    }

    [Fact]
    public void CreditMemo_WhenAmountNotPositive_IsRefused() =>
        OneInvoice().AssertRefused(l => l.PostCreditMemo(Usd(0), Day(5), Now, "x"), "amount_not_positive");

    [Fact]
    public void CreditMemo_WhenNamedInvoiceNotOnTheAccount_IsRefused() =>
        OneInvoice().AssertRefused(l => l.PostCreditMemo(Usd(5), Day(5), Now, "x", UnknownInvoice), "invoice_not_found");

    [Fact]
    public void Adjustment_WhenPositive_IncreasesTheNamedInvoice()
    {
        var ledger = OneInvoice();

        var adjustment = ledger.PostAdjustment(Usd(15), Day(5), Now, "underbilled", ledger.Id("A")).Ok();

        Assert.Equal(Usd(15), adjustment.Amount);
        Assert.Equal(Usd(115), ledger.OpenOn("A"));
        Assert.Equal(Usd(115), ledger.Balance);
        Assert.Empty(ledger.Violations());
    }

    [Fact]
    public void Adjustment_WhenNegative_CreditsLikeACreditMemo()
    {
        var ledger = OneInvoice();

        var adjustment = ledger.PostAdjustment(Usd(-120), Day(5), Now, "overbilled").Ok();

        Assert.Equal(EntryKind.Adjustment, adjustment.Kind);
        Assert.Equal(Usd(-120), adjustment.Amount);
        Assert.Equal(Usd(0), ledger.OpenOn("A"));
        Assert.Equal(Usd(20), ledger.UnappliedCredit);
        Assert.Empty(ledger.Violations());
    }

    [Fact]
    public void Adjustment_WhenZero_IsRefused() =>
        OneInvoice().AssertRefused(l => l.PostAdjustment(Usd(0), Day(5), Now, "x", l.Id("A")), "amount_not_positive");

    [Fact]
    public void Adjustment_WhenPositiveWithoutAnInvoice_IsRefused() =>
        OneInvoice().AssertRefused(l => l.PostAdjustment(Usd(5), Day(5), Now, "x"), "invoice_required");

    [Fact]
    public void Adjustment_WhenInAnotherCurrency_IsRefused() =>
        OneInvoice().AssertRefused(l => l.PostAdjustment(Eur(-5), Day(5), Now, "x"), "currency_mismatch");

    [Fact]
    public void Adjustment_WhenPositiveOnAnInvoiceNotYetIssued_IsRefused()
    {
        var ledger = ALedger().WithInvoice("A", 100, issuedOn: 10).Build();

        ledger.AssertRefused(l => l.PostAdjustment(Usd(5), Day(9), Now, "x", l.Id("A")), "invoice_not_yet_issued");
    }

    // ---- Fees and interest ----------------------------------------------------------------------

    [Fact]
    public void Fee_IncreasesTheInvoiceItIsChargedOn()
    {
        var ledger = OneInvoice();

        var fee = ledger.PostFee(Usd(25), ledger.Id("A"), Day(40), Now, "late fee").Ok();

        Assert.Equal(EntryKind.Fee, fee.Kind);
        Assert.Equal(ledger.Id("A"), fee.InvoiceId);
        Assert.Equal(Usd(125), ledger.OpenOn("A"));
        Assert.Equal(Usd(125), ledger.Balance);
        Assert.Empty(ledger.Violations());
    }

    [Fact]
    public void Interest_IncreasesTheInvoiceItIsChargedOn()
    {
        var ledger = OneInvoice();

        var interest = ledger.PostInterest(Usd(1.5m), ledger.Id("A"), Day(60), Now, "1.5% monthly").Ok();

        Assert.Equal(EntryKind.Interest, interest.Kind);
        Assert.Equal(Usd(101.5m), ledger.OpenOn("A"));
        Assert.Empty(ledger.Violations());
    }

    [Fact]
    public void Fee_WhenAmountNotPositive_IsRefused() =>
        OneInvoice().AssertRefused(l => l.PostFee(Usd(-1), l.Id("A"), Day(40), Now, "x"), "amount_not_positive");

    [Fact]
    public void Fee_WhenInvoiceNotOnTheAccount_IsRefused() =>
        OneInvoice().AssertRefused(l => l.PostFee(Usd(1), UnknownInvoice, Day(40), Now, "x"), "invoice_not_found");

    [Fact]
    public void Fee_WhenChargedBeforeTheInvoiceIsIssued_IsRefused()
    {
        var ledger = ALedger().WithInvoice("A", 100, issuedOn: 10).Build();

        ledger.AssertRefused(l => l.PostFee(Usd(1), l.Id("A"), Day(9), Now, "x"), "invoice_not_yet_issued");
    }

    [Fact]
    public void Interest_WhenInAnotherCurrency_IsRefused() =>
        OneInvoice().AssertRefused(l => l.PostInterest(Eur(1), l.Id("A"), Day(40), Now, "x"), "currency_mismatch");

    // ---- Refunds --------------------------------------------------------------------------------

    [Fact]
    public void Refund_PaysBackUnappliedCredit()
    {
        var ledger = OneInvoice();
        ledger.PostPayment(Usd(130), Day(10), Now).Ok();

        var refund = ledger.PostRefund(Usd(30), Day(12), Now, "overpaid").Ok();

        Assert.Equal(EntryKind.Refund, refund.Kind);
        Assert.Equal(Usd(30), refund.Amount);
        Assert.Equal(Usd(0), ledger.UnappliedCredit);
        Assert.Equal(Usd(0), ledger.Balance);
        Assert.Empty(ledger.Violations());
    }

    [Fact]
    public void Refund_WhenMoreThanTheUnappliedCredit_IsRefused()
    {
        var ledger = OneInvoice();
        ledger.PostPayment(Usd(130), Day(10), Now).Ok();

        ledger.AssertRefused(l => l.PostRefund(Usd(30.01m), Day(12), Now, "x"), "refund_exceeds_credit");
    }

    [Fact]
    public void Refund_WhenNoCreditAtAll_IsRefused() =>
        OneInvoice().AssertRefused(l => l.PostRefund(Usd(1), Day(12), Now, "x"), "refund_exceeds_credit");

    [Fact]
    public void Refund_WhenDatedBeforeTheCreditArrived_IsRefused()
    {
        var ledger = OneInvoice();
        ledger.PostPayment(Usd(130), Day(10), Now).Ok();

        ledger.AssertRefused(l => l.PostRefund(Usd(30), Day(9), Now, "x"), "refund_exceeds_credit");
    }

    [Fact]
    public void Refund_WhenTheCreditIsSpokenForByALaterRefund_IsRefused()
    {
        var ledger = OneInvoice();
        ledger.PostPayment(Usd(130), Day(10), Now).Ok();
        ledger.PostRefund(Usd(30), Day(20), Now, "first").Ok();

        ledger.AssertRefused(l => l.PostRefund(Usd(10), Day(15), Now, "backdated"), "refund_exceeds_credit");
    }

    [Fact]
    public void Refund_WhenAmountNotPositive_IsRefused() =>
        OneInvoice().AssertRefused(l => l.PostRefund(Usd(0), Day(12), Now, "x"), "amount_not_positive");

    // ---- Write-offs and recoveries -----------------------------------------------------------------

    [Fact]
    public void WriteOff_TakesTheOldestDebtOffTheBooks()
    {
        var ledger = ALedger().WithInvoice("A", 100, dueOn: 10).WithInvoice("B", 100, dueOn: 20).Build();

        var writeOff = ledger.WriteOff(Usd(150), Day(200), Now, "uncollectable").Ok();

        Assert.Equal(EntryKind.WriteOff, writeOff.Kind);
        Assert.Equal(Usd(-150), writeOff.Amount);
        Assert.Equal(Usd(0), ledger.OpenOn("A"));
        Assert.Equal(Usd(50), ledger.OpenOn("B"));
        Assert.Equal(Usd(150), ledger.WrittenOffOutstanding);
        Assert.Equal(Usd(50), ledger.Balance);
        Assert.Empty(ledger.Violations());
    }

    [Fact]
    public void WriteOff_WhenInvoiceNamed_WritesOffOnlyThatInvoice()
    {
        var ledger = ALedger().WithInvoice("A", 100, dueOn: 10).WithInvoice("B", 100, dueOn: 20).Build();

        ledger.WriteOff(Usd(100), Day(200), Now, "bankrupt", ledger.Id("B")).Ok();

        Assert.Equal(Usd(100), ledger.OpenOn("A"));
        Assert.Equal(Usd(0), ledger.OpenOn("B"));
    }

    [Fact]
    public void WriteOff_WhenMoreThanIsOpen_IsRefused()
    {
        var ledger = OneInvoice();
        ledger.PostPayment(Usd(30), Day(10), Now).Ok();

        ledger.AssertRefused(l => l.WriteOff(Usd(70.01m), Day(200), Now, "x"), "write_off_exceeds_balance");
    }

    [Fact]
    public void WriteOff_WhenMoreThanIsOpenOnTheNamedInvoice_IsRefused()
    {
        var ledger = ALedger().WithInvoice("A", 100).WithInvoice("B", 10).Build();

        ledger.AssertRefused(l => l.WriteOff(Usd(20), Day(200), Now, "x", l.Id("B")), "write_off_exceeds_balance");
    }

    [Fact]
    public void WriteOff_NeverTakesDebtNotYetBilledOnItsDate()
    {
        var ledger = ALedger().WithInvoice("A", 100, issuedOn: 0).WithInvoice("B", 100, issuedOn: 50).Build();

        ledger.AssertRefused(l => l.WriteOff(Usd(150), Day(40), Now, "x"), "write_off_exceeds_balance");
    }

    [Fact]
    public void WriteOff_WhenAmountNotPositive_IsRefused() =>
        OneInvoice().AssertRefused(l => l.WriteOff(Usd(0), Day(200), Now, "x"), "amount_not_positive");

    [Fact]
    public void WriteOff_WhenNamedInvoiceNotOnTheAccount_IsRefused() =>
        OneInvoice().AssertRefused(l => l.WriteOff(Usd(1), Day(200), Now, "x", UnknownInvoice), "invoice_not_found");

    [Fact]
    public void Recovery_AfterWriteOff_ReinstatesAndPaysTheRecoveredDebt()
    {
        var ledger = OneInvoice();
        ledger.WriteOff(Usd(100), Day(200), Now, "uncollectable").Ok();

        var (recovery, payment) = ledger.RecordRecovery(Usd(40), Day(300), Now, "agency").Ok();

        Assert.Equal(EntryKind.Recovery, recovery.Kind);
        Assert.Equal(Usd(40), recovery.Amount);
        Assert.Equal(EntryKind.Payment, payment.Kind);
        Assert.Equal(Usd(-40), payment.Amount);
        Assert.Equal(Usd(60), ledger.WrittenOffOutstanding);
        Assert.Equal(Usd(0), ledger.OpenOn("A"));
        Assert.Equal(Usd(0), ledger.Balance);
        Assert.Empty(ledger.Violations());
    }

    [Fact]
    public void Recovery_BeyondTheWrittenOffDebt_PaysWhatIsStillOpen()
    {
        var ledger = ALedger().WithInvoice("A", 100, dueOn: 10).WithInvoice("B", 50, dueOn: 20).Build();
        ledger.WriteOff(Usd(100), Day(200), Now, "uncollectable", ledger.Id("A")).Ok();

        ledger.RecordRecovery(Usd(130), Day(300), Now).Ok();

        Assert.Equal(Usd(0), ledger.WrittenOffOutstanding);
        Assert.Equal(Usd(0), ledger.OpenOn("A"));
        Assert.Equal(Usd(20), ledger.OpenOn("B"));
        Assert.Equal(Usd(20), ledger.Balance);
        Assert.Empty(ledger.Violations());
    }

    [Fact]
    public void Recovery_BeyondEverythingOwed_KeepsTheRestAsUnappliedCredit()
    {
        var ledger = OneInvoice();
        ledger.WriteOff(Usd(100), Day(200), Now, "uncollectable").Ok();

        ledger.RecordRecovery(Usd(150), Day(300), Now).Ok();

        Assert.Equal(Usd(0), ledger.WrittenOffOutstanding);
        Assert.Equal(Usd(0), ledger.OpenOn("A"));
        Assert.Equal(Usd(50), ledger.UnappliedCredit);
        Assert.Equal(Usd(-50), ledger.Balance);
        Assert.Empty(ledger.Violations());
    }

    [Fact]
    public void Recovery_AfterPartialWriteOff_AlsoPaysWhatWasLeftOpen()
    {
        var ledger = OneInvoice();
        ledger.WriteOff(Usd(60), Day(200), Now, "settled for less").Ok();

        ledger.RecordRecovery(Usd(100), Day(300), Now).Ok();

        Assert.Equal(Usd(0), ledger.WrittenOffOutstanding);
        Assert.Equal(Usd(0), ledger.OpenOn("A"));
        Assert.Equal(Usd(0), ledger.UnappliedCredit);
        Assert.Empty(ledger.Violations());
    }

    [Fact]
    public void Recovery_DatedBeforeTheWriteOff_IsRefused()
    {
        var ledger = OneInvoice();
        ledger.WriteOff(Usd(100), Day(200), Now, "uncollectable").Ok();

        ledger.AssertRefused(l => l.RecordRecovery(Usd(10), Day(199), Now), "nothing_written_off");
    }

    [Fact]
    public void Recovery_WhenNothingWasWrittenOff_IsRefused() =>
        OneInvoice().AssertRefused(l => l.RecordRecovery(Usd(10), Day(300), Now), "nothing_written_off");

    [Fact]
    public void Recovery_WhenAmountNotPositive_IsRefused()
    {
        var ledger = OneInvoice();
        ledger.WriteOff(Usd(100), Day(200), Now, "uncollectable").Ok();

        ledger.AssertRefused(l => l.RecordRecovery(Usd(0), Day(300), Now), "amount_not_positive");
    }

    // ---- Reversals ------------------------------------------------------------------------------

    [Fact]
    public void Reverse_OfAPayment_ReopensWhatItPaid()
    {
        var ledger = OneInvoice();
        var payment = ledger.PostPayment(Usd(130), Day(10), Now).Ok();

        var reversal = ledger.Reverse(payment.Id, Day(14), Now, "check bounced").Ok();

        Assert.Equal(EntryKind.Reversal, reversal.Kind);
        Assert.Equal(payment.Id, reversal.ReversesEntryId);
        Assert.Equal(Usd(130), reversal.Amount);
        Assert.True(ledger.IsReversed(payment.Id));
        Assert.Equal(Usd(100), ledger.OpenOn("A"));
        Assert.Equal(Usd(0), ledger.UnappliedCredit);
        Assert.Equal(Usd(100), ledger.Balance);
        Assert.Empty(ledger.Violations());
    }

    [Fact]
    public void Reverse_OfACharge_CancelsTheInvoicesDebt()
    {
        var ledger = OneInvoice();

        ledger.Reverse(ledger.Entries[0].Id, Day(1), Now, "billed in error").Ok();

        Assert.Equal(Usd(0), ledger.OpenOn("A"));
        Assert.Equal(Usd(0), ledger.Balance);
        Assert.Empty(ledger.Violations());
    }

    [Fact]
    public void Reverse_OfAWriteOff_ReinstatesTheDebt()
    {
        var ledger = OneInvoice();
        var writeOff = ledger.WriteOff(Usd(100), Day(200), Now, "uncollectable").Ok();

        ledger.Reverse(writeOff.Id, Day(210), Now, "written off by mistake").Ok();

        Assert.Equal(Usd(100), ledger.OpenOn("A"));
        Assert.Equal(Usd(0), ledger.WrittenOffOutstanding);
        Assert.Empty(ledger.Violations());
    }

    [Fact]
    public void Reverse_OfARefund_GivesTheCreditBack()
    {
        var ledger = OneInvoice();
        ledger.PostPayment(Usd(130), Day(10), Now).Ok();
        var refund = ledger.PostRefund(Usd(30), Day(12), Now, "overpaid").Ok();

        ledger.Reverse(refund.Id, Day(20), Now, "refund returned").Ok();

        Assert.Equal(Usd(30), ledger.UnappliedCredit);
        Assert.Empty(ledger.Violations());
    }

    [Fact]
    public void Reverse_WhenEntryNotOnTheAccount_IsRefused() =>
        OneInvoice().AssertRefused(l => l.Reverse(LedgerEntryId.New(Now), Day(5), Now, "x"), "entry_not_found");

    [Fact]
    public void Reverse_OfAReversal_IsRefused()
    {
        var ledger = OneInvoice();
        var payment = ledger.PostPayment(Usd(10), Day(10), Now).Ok();
        var reversal = ledger.Reverse(payment.Id, Day(11), Now, "x").Ok();

        ledger.AssertRefused(l => l.Reverse(reversal.Id, Day(12), Now, "x"), "cannot_reverse_reversal");
    }

    [Fact]
    public void Reverse_WhenAlreadyReversed_IsRefused()
    {
        var ledger = OneInvoice();
        var payment = ledger.PostPayment(Usd(10), Day(10), Now).Ok();
        ledger.Reverse(payment.Id, Day(11), Now, "x").Ok();

        ledger.AssertRefused(l => l.Reverse(payment.Id, Day(12), Now, "again"), "already_reversed");
    }

    [Fact]
    public void Reverse_WhenDatedBeforeTheOriginal_IsRefused()
    {
        var ledger = OneInvoice();
        var payment = ledger.PostPayment(Usd(10), Day(10), Now).Ok();

        ledger.AssertRefused(l => l.Reverse(payment.Id, Day(9), Now, "x"), "reversal_before_original");
    }

    [Fact]
    public void Reverse_OfAChargeAlreadyPaid_IsBlocked()
    {
        var ledger = OneInvoice();
        ledger.PostPayment(Usd(10), Day(10), Now).Ok();

        ledger.AssertRefused(l => l.Reverse(l.Entries[0].Id, Day(11), Now, "x"), "reversal_blocked");
    }

    [Fact]
    public void Reverse_OfAPaymentWhoseCreditWasRefunded_IsBlocked()
    {
        var ledger = OneInvoice();
        var payment = ledger.PostPayment(Usd(130), Day(10), Now).Ok();
        ledger.PostRefund(Usd(30), Day(12), Now, "overpaid").Ok();

        ledger.AssertRefused(l => l.Reverse(payment.Id, Day(14), Now, "x"), "reversal_blocked");
    }

    [Fact]
    public void Reverse_OfARecoveryWhosePaymentStands_IsBlocked()
    {
        var ledger = OneInvoice();
        ledger.WriteOff(Usd(100), Day(200), Now, "uncollectable").Ok();
        var (recovery, _) = ledger.RecordRecovery(Usd(40), Day(300), Now).Ok();

        ledger.AssertRefused(l => l.Reverse(recovery.Id, Day(301), Now, "x"), "reversal_blocked");
    }

    [Fact]
    public void Reverse_OfAWriteOffAlreadyRecovered_IsBlocked()
    {
        // The recovery reinstated the written-off debt and the payment paid it; reversing the write-off
        // too would bill the debt a second time.
        var ledger = OneInvoice();
        var writeOff = ledger.WriteOff(Usd(100), Day(200), Now, "uncollectable").Ok();
        ledger.RecordRecovery(Usd(100), Day(300), Now).Ok();

        ledger.AssertRefused(l => l.Reverse(writeOff.Id, Day(320), Now, "x"), "reversal_blocked");
        Assert.Equal(Usd(0), ledger.OpenOn("A"));
    }

    [Fact]
    public void Reverse_OfARecoveryPayment_PutsTheDebtBackToWrittenOff()
    {
        // A bounced check on written-off debt: the money never came, so the debt is written off again
        // (not open and collectable), and reversing the write-off afterwards reinstates it once.
        var ledger = OneInvoice();
        var writeOff = ledger.WriteOff(Usd(100), Day(200), Now, "uncollectable").Ok();
        var (recovery, payment) = ledger.RecordRecovery(Usd(100), Day(300), Now).Ok();

        ledger.Reverse(payment.Id, Day(310), Now, "check bounced").Ok();

        Assert.Equal(Usd(0), ledger.OpenOn("A"));
        Assert.Equal(Usd(100), ledger.WrittenOffOutstanding);
        Assert.Equal(2, ledger.Entries.Count(e => e.Kind == EntryKind.Reversal));
        Assert.Contains(ledger.Entries, e => e.ReversesEntryId == recovery.Id);
        ledger.AssertRefused(l => l.Reverse(recovery.Id, Day(310), Now, "again"), "already_reversed");

        ledger.Reverse(writeOff.Id, Day(320), Now, "written off by mistake").Ok();

        Assert.Equal(Usd(100), ledger.OpenOn("A"));
        Assert.Equal(Usd(100), ledger.Balance);
        Assert.Equal(Usd(0), ledger.WrittenOffOutstanding);
        Assert.Empty(ledger.Violations());
    }

    [Fact]
    public void Payment_OnAFullyWrittenOffAccount_IsARecovery()
    {
        var ledger = OneInvoice();
        ledger.WriteOff(Usd(100), Day(200), Now, "uncollectable").Ok();

        var payment = ledger.PostPayment(Usd(40), Day(300), Now, "chk 1001").Ok();

        var recovery = Assert.Single(ledger.Entries, e => e.Kind == EntryKind.Recovery);
        Assert.Equal(Usd(40), recovery.Amount);
        Assert.Equal(payment.Sequence - 1, recovery.Sequence);
        Assert.Equal(Usd(60), ledger.WrittenOffOutstanding);
        Assert.Equal(Usd(0), ledger.UnappliedCredit);
        Assert.Equal(Usd(0), ledger.Balance);
        Assert.Empty(ledger.Violations());
    }

    [Fact]
    public void Payment_OnAPartlyWrittenOffAccount_PaysOpenDebtFirst_ThenRecovers_ThenKeepsCredit()
    {
        var ledger = ALedger().WithInvoice("A", 100, dueOn: 10).WithInvoice("B", 50, dueOn: 20).Build();
        ledger.WriteOff(Usd(100), Day(200), Now, "uncollectable", ledger.Id("A")).Ok();

        ledger.PostPayment(Usd(170), Day(300), Now).Ok();

        Assert.Equal(Usd(0), ledger.OpenOn("B"));
        Assert.Equal(Usd(100), Assert.Single(ledger.Entries, e => e.Kind == EntryKind.Recovery).Amount);
        Assert.Equal(Usd(0), ledger.WrittenOffOutstanding);
        Assert.Equal(Usd(20), ledger.UnappliedCredit);
        Assert.Empty(ledger.Violations());
    }

    [Fact]
    public void Payment_ThatOnlyPaysOpenDebt_RecoversNothing()
    {
        var ledger = ALedger().WithInvoice("A", 100, dueOn: 10).WithInvoice("B", 50, dueOn: 20).Build();
        ledger.WriteOff(Usd(100), Day(200), Now, "uncollectable", ledger.Id("A")).Ok();

        ledger.PostPayment(Usd(50), Day(300), Now).Ok();

        Assert.DoesNotContain(ledger.Entries, e => e.Kind == EntryKind.Recovery);
        Assert.Equal(Usd(100), ledger.WrittenOffOutstanding);
    }

    // ---- Concurrency, persistence and points in time ------------------------------------------------

    [Fact]
    public void EverySuccessfulOperation_BumpsTheAccountVersion_ARefusedOneDoesNot()
    {
        var ledger = OneInvoice();
        var version = ledger.Account.Version;

        ledger.PostPayment(Usd(10), Day(5), Now).Ok();
        ledger.PostRefund(Usd(1), Day(5), Now, "x");

        Assert.Equal(version + 1, ledger.Account.Version);
    }

    [Fact]
    public void Sequence_NumbersEntriesOneTwoThree()
    {
        var ledger = ALedger().WithInvoice("A", 100).WithPayment(10, on: 5).WithFee(5, "A", on: 40).Build();

        Assert.Equal([1L, 2L, 3L], ledger.Entries.Select(e => e.Sequence));
    }

    [Fact]
    public void Rebuild_FromStoredRows_GivesTheSameLedgerWithNothingNew()
    {
        var original = ALedger()
            .WithInvoice("A", 100, dueOn: 10)
            .WithInvoice("B", 100, dueOn: 20)
            .WithPayment(130, on: 15)
            .WithWriteOff(50, on: 200)
            .WithRecovery(20, on: 300)
            .WithPayment(40, on: 310)
            .Build();
        var reversed = original.Entries[2];
        original.Reverse(reversed.Id, Day(320), Now, "bounced").Ok();

        var rebuilt = new AccountLedger(original.Account, original.Invoices, original.Entries, original.Allocations);

        Assert.Equal(original.Snapshot(), rebuilt.Snapshot());
        Assert.Equal(original.OpenItems(), rebuilt.OpenItems());
        Assert.True(rebuilt.IsReversed(reversed.Id));
        Assert.Empty(rebuilt.NewInvoices);
        Assert.Empty(rebuilt.NewEntries);
        Assert.Empty(rebuilt.NewAllocations);

        var payment = rebuilt.PostPayment(Usd(1), Day(330), Now).Ok();
        Assert.Equal([payment], rebuilt.NewEntries);
        Assert.Equal(original.Entries.Count + 1, payment.Sequence);
    }

    [Fact]
    public void BalanceAsOf_CountsOnlyEntriesEffectiveByTheEndOfThatDay()
    {
        var ledger = ALedger()
            .WithInvoice("A", 100, issuedOn: 0)
            .WithInvoice("B", 50, issuedOn: 10)
            .WithPayment(30, on: 20)
            .Build();

        Assert.Equal(Usd(0), ledger.BalanceAsOf(Day(-1)));
        Assert.Equal(Usd(100), ledger.BalanceAsOf(Day(0)));
        Assert.Equal(Usd(100), ledger.BalanceAsOf(Day(9)));
        Assert.Equal(Usd(150), ledger.BalanceAsOf(Day(10)));
        Assert.Equal(Usd(120), ledger.BalanceAsOf(Day(20)));
        Assert.Equal(ledger.Balance, ledger.BalanceAsOf(Day(1000)));
    }

    [Fact]
    public void OpenOnAsOf_ShowsWhatWasOpenOnThatDay_EvenWhenPostedLater()
    {
        var ledger = OneInvoice();
        ledger.PostPayment(Usd(60), Day(40), Now).Ok();
        ledger.PostPayment(Usd(15), Day(20), Now).Ok(); // posted late, effective earlier

        Assert.Equal(Usd(0), ledger.OpenOnAsOf(ledger.Id("A"), Day(-1)));
        Assert.Equal(Usd(100), ledger.OpenOnAsOf(ledger.Id("A"), Day(19)));
        Assert.Equal(Usd(85), ledger.OpenOnAsOf(ledger.Id("A"), Day(20)));
        Assert.Equal(Usd(25), ledger.OpenOnAsOf(ledger.Id("A"), Day(40)));
        Assert.Equal(Usd(25), ledger.OpenOn("A"));
        Assert.Empty(ledger.Violations());
    }
}
