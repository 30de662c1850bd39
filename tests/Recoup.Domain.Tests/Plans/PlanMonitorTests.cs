using Recoup.Domain.Plans;

namespace Recoup.Domain.Tests.Plans;

public sealed class PlanMonitorTests
{
    private static readonly DateOnly First = new(2027, 1, 10);

    // 300.00 in three monthly installments of 100.00: Jan 10, Feb 10, Mar 10.
    private static readonly IReadOnlyList<ScheduledInstallment> Schedule = PlanSchedule.Build(
        new PlanTerms(new Money(30_000, Currency.USD), Money.Zero(Currency.USD), PlanFrequency.Monthly, First, 3, null)).Value;

    private static PlanStanding On(DateOnly asOf, params (int Month, int Day, long Minor)[] payments) =>
        PlanMonitor.Evaluate(Schedule, payments.Select(p => new PaymentReceived(new DateOnly(2027, p.Month, p.Day), p.Minor)), asOf, graceDays: 5, missesToDefault: 2);

    [Fact]
    public void Paid_on_time_is_kept()
    {
        var standing = On(new DateOnly(2027, 1, 20), (1, 9, 10_000));

        Assert.Equal(InstallmentStatus.Kept, standing.Installments[0].Status);
        Assert.Equal(InstallmentStatus.Pending, standing.Installments[1].Status);
        Assert.Equal(PlanStatus.Active, standing.Status);
    }

    [Fact]
    public void Paid_within_grace_is_late_not_missed()
    {
        var standing = On(new DateOnly(2027, 1, 20), (1, 15, 10_000));

        Assert.Equal(InstallmentStatus.Late, standing.Installments[0].Status);
        Assert.Equal(new DateOnly(2027, 1, 15), standing.Installments[0].CoveredOn);
    }

    [Fact]
    public void A_partial_payment_leaves_the_installment_pending_during_grace_and_missed_after()
    {
        Assert.Equal(InstallmentStatus.Pending, On(new DateOnly(2027, 1, 15), (1, 10, 6_000)).Installments[0].Status);

        var after = On(new DateOnly(2027, 1, 16), (1, 10, 6_000));
        Assert.Equal(InstallmentStatus.Missed, after.Installments[0].Status);
        Assert.Equal(6_000, after.Installments[0].PaidMinor);
        Assert.Equal(1, after.UnpaidMissed);
        Assert.Equal(PlanStatus.Active, after.Status);
    }

    [Fact]
    public void Two_unpaid_misses_default_the_plan_on_the_day_after_the_second_grace_ends()
    {
        Assert.Equal(PlanStatus.Active, On(new DateOnly(2027, 2, 15), (1, 10, 5_000)).Status);

        var standing = On(new DateOnly(2027, 2, 16), (1, 10, 5_000));
        Assert.Equal(PlanStatus.Defaulted, standing.Status);
        Assert.Equal(new DateOnly(2027, 2, 16), standing.StatusSince);
    }

    [Fact]
    public void A_missed_installment_made_up_later_no_longer_counts_toward_default()
    {
        var standing = On(new DateOnly(2027, 2, 16), (1, 20, 10_000), (2, 12, 10_000));

        Assert.Equal(InstallmentStatus.Missed, standing.Installments[0].Status);
        Assert.Equal(InstallmentStatus.Late, standing.Installments[1].Status);
        Assert.Equal(0, standing.UnpaidMissed);
        Assert.Equal(PlanStatus.Active, standing.Status);
    }

    [Fact]
    public void A_payment_larger_than_the_installment_covers_the_next_ones()
    {
        var standing = On(new DateOnly(2027, 3, 31), (1, 5, 20_000), (3, 1, 10_000));

        Assert.All(standing.Installments, i => Assert.Equal(InstallmentStatus.Kept, i.Status));
        Assert.Equal(new DateOnly(2027, 1, 5), standing.Installments[1].CoveredOn);
        Assert.Equal(PlanStatus.Completed, standing.Status);
        Assert.Equal(new DateOnly(2027, 3, 1), standing.StatusSince);
    }

    [Fact]
    public void The_plan_completes_the_day_payments_reach_the_total()
    {
        var standing = On(new DateOnly(2027, 3, 10), (1, 10, 10_000), (2, 10, 10_000), (3, 10, 10_000));

        Assert.Equal(PlanStatus.Completed, standing.Status);
        Assert.Equal(new DateOnly(2027, 3, 10), standing.StatusSince);
    }

    [Fact]
    public void Payments_after_the_as_of_date_are_not_seen()
    {
        var standing = On(new DateOnly(2027, 1, 9), (1, 10, 30_000));

        Assert.Equal(0, standing.PaidMinor);
        Assert.Equal(PlanStatus.Active, standing.Status);
    }
}
