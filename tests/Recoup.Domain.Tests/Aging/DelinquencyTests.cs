using Recoup.Domain.Aging;
using static Recoup.Domain.Tests.Builders;

namespace Recoup.Domain.Tests.Aging;

public class DelinquencyTests
{
    /// <summary>An invoice A of 100.00 issued on day 0 and due on day 30.</summary>
    private static LedgerBuilder AnInvoiceDueOnDay30() => ALedger().WithInvoice("A", 100, issuedOn: 0, dueOn: 30);

    private static DelinquencyStatus StatusOn(LedgerBuilder ledger, int day, DelinquencyPolicy? policy = null) =>
        (policy ?? DelinquencyPolicy.Default).StatusOf(ledger.Build(), Day(day));

    [Fact]
    public void Status_WhenNothingBilled_IsCurrent() => Assert.Equal(DelinquencyStatus.Current, StatusOn(ALedger(), 100));

    [Fact]
    public void Status_BeforeTheDueDate_IsCurrent() => Assert.Equal(DelinquencyStatus.Current, StatusOn(AnInvoiceDueOnDay30(), 10));

    [Fact]
    public void Status_OnTheDueDate_IsCurrent() => Assert.Equal(DelinquencyStatus.Current, StatusOn(AnInvoiceDueOnDay30(), 30));

    [Fact]
    public void Status_ADayAfterTheDueDate_IsPastDue() => Assert.Equal(DelinquencyStatus.PastDue, StatusOn(AnInvoiceDueOnDay30(), 31));

    [Fact]
    public void Status_AtTheThreshold_IsStillPastDue() => Assert.Equal(DelinquencyStatus.PastDue, StatusOn(AnInvoiceDueOnDay30(), 60));

    [Fact]
    public void Status_BeyondTheThreshold_IsDelinquent() => Assert.Equal(DelinquencyStatus.Delinquent, StatusOn(AnInvoiceDueOnDay30(), 61));

    [Theory]
    [InlineData(90, DelinquencyStatus.PastDue)]
    [InlineData(91, DelinquencyStatus.Delinquent)]
    public void Status_WithAConfiguredThreshold_TurnsDelinquentAfterIt(int day, DelinquencyStatus expected) =>
        Assert.Equal(expected, StatusOn(AnInvoiceDueOnDay30(), day, new DelinquencyPolicy(DelinquentAfterDays: 60)));

    [Fact]
    public void Status_WhenPartlyPaid_IsStillPastDue() =>
        Assert.Equal(DelinquencyStatus.PastDue, StatusOn(AnInvoiceDueOnDay30().WithPayment(99.99m, on: 31), 40));

    [Fact]
    public void Status_FollowsTheOldestUnpaidInvoice()
    {
        // A (due day 30) is paid; B (due day 50) is what counts.
        var ledger = AnInvoiceDueOnDay30().WithInvoice("B", 100, issuedOn: 20, dueOn: 50).WithPayment(100, on: 30);

        Assert.Equal(DelinquencyStatus.Current, StatusOn(ledger, 50));
        Assert.Equal(DelinquencyStatus.PastDue, StatusOn(ledger, 80));
        Assert.Equal(DelinquencyStatus.Delinquent, StatusOn(ledger, 81));
    }

    [Fact]
    public void Status_WhenPaidInFull_IsPaid() =>
        Assert.Equal(DelinquencyStatus.Paid, StatusOn(AnInvoiceDueOnDay30().WithPayment(100, on: 90), 100));

    [Fact]
    public void Status_AsOfBeforeTheLatePayment_WasDelinquent() =>
        Assert.Equal(DelinquencyStatus.Delinquent, StatusOn(AnInvoiceDueOnDay30().WithPayment(100, on: 90), 89));

    [Fact]
    public void Status_WhenCreditedInFull_IsPaid() =>
        Assert.Equal(DelinquencyStatus.Paid, StatusOn(AnInvoiceDueOnDay30().WithCreditMemo(100, on: 5), 100));

    [Fact]
    public void Status_WhenWrittenOff_IsWrittenOff() =>
        Assert.Equal(DelinquencyStatus.WrittenOff, StatusOn(AnInvoiceDueOnDay30().WithWriteOff(100, on: 200), 200));

    [Fact]
    public void Status_WhenPartlyPaidThenTheRestWrittenOff_IsWrittenOff() =>
        Assert.Equal(DelinquencyStatus.WrittenOff, StatusOn(AnInvoiceDueOnDay30().WithPayment(40, on: 20).WithWriteOff(60, on: 200), 250));

    [Fact]
    public void Status_WhenPartlyWrittenOffWithDebtStillOpen_FollowsTheOpenDebt() =>
        Assert.Equal(DelinquencyStatus.Delinquent, StatusOn(AnInvoiceDueOnDay30().WithWriteOff(60, on: 200), 250));

    [Fact]
    public void Status_WhenWrittenOffDebtFullyRecovered_IsPaid() =>
        Assert.Equal(DelinquencyStatus.Paid, StatusOn(AnInvoiceDueOnDay30().WithWriteOff(100, on: 200).WithRecovery(100, on: 300), 300));

    [Fact]
    public void Status_WhenWrittenOffDebtPartlyRecovered_IsStillWrittenOff() =>
        Assert.Equal(DelinquencyStatus.WrittenOff, StatusOn(AnInvoiceDueOnDay30().WithWriteOff(100, on: 200).WithRecovery(30, on: 300), 300));

    [Fact]
    public void Status_AsOfBeforeTheWriteOff_IsDelinquent() =>
        Assert.Equal(DelinquencyStatus.Delinquent, StatusOn(AnInvoiceDueOnDay30().WithWriteOff(100, on: 200), 199));

    [Fact]
    public void Status_WhenTheWriteOffIsReversed_FollowsTheReinstatedDebt()
    {
        var ledger = AnInvoiceDueOnDay30().WithWriteOff(100, on: 200).Build();
        ledger.Reverse(ledger.LastEntry().Id, Day(210), Now, "written off by mistake").Ok();

        Assert.Equal(DelinquencyStatus.Delinquent, DelinquencyPolicy.Default.StatusOf(ledger, Day(220)));
        Assert.Equal(new DelinquencyFacts(10_000, 190, 0, 1), DelinquencyPolicy.FactsOf(ledger, Day(220)));
    }

    [Fact]
    public void Facts_CountOnlyInvoicesIssuedByTheDate()
    {
        var ledger = AnInvoiceDueOnDay30().WithInvoice("B", 50, issuedOn: 40, dueOn: 70).Build();

        Assert.Equal(new DelinquencyFacts(10_000, 9, 0, 1), DelinquencyPolicy.FactsOf(ledger, Day(39)));
        Assert.Equal(new DelinquencyFacts(15_000, 10, 0, 2), DelinquencyPolicy.FactsOf(ledger, Day(40)));
    }

    [Theory]
    [InlineData(0, 0, 0, 0, DelinquencyStatus.Current)]
    [InlineData(100, 0, 0, 1, DelinquencyStatus.Current)]
    [InlineData(100, 1, 0, 1, DelinquencyStatus.PastDue)]
    [InlineData(100, 30, 0, 1, DelinquencyStatus.PastDue)]
    [InlineData(100, 31, 0, 1, DelinquencyStatus.Delinquent)]
    [InlineData(100, 31, 500, 1, DelinquencyStatus.Delinquent)]
    [InlineData(0, 0, 500, 1, DelinquencyStatus.WrittenOff)]
    [InlineData(0, 0, 0, 3, DelinquencyStatus.Paid)]
    public void Status_FromFacts_FollowsTheDefaultPolicy(long openMinor, int daysPastDue, long writtenOffMinor, int invoices, DelinquencyStatus expected) =>
        Assert.Equal(expected, DelinquencyPolicy.Default.StatusOf(new DelinquencyFacts(openMinor, daysPastDue, writtenOffMinor, invoices)));

    [Fact]
    public void DefaultPolicy_TurnsDelinquentAfterThirtyDays() => Assert.Equal(30, DelinquencyPolicy.Default.DelinquentAfterDays);
}
