using Recoup.Domain.Plans;

namespace Recoup.Domain.Tests.Plans;

public sealed class PromiseAndSettlementTests
{
    private static readonly Guid A = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid B = Guid.Parse("00000000-0000-0000-0000-00000000000b");

    private static PromiseStatus StatusOf(long paid, DateOnly paidOn, DateOnly asOf)
    {
        var promise = new PromiseTerms(A, new DateOnly(2027, 1, 1), new DateOnly(2027, 1, 10), 10_000, Cancelled: false);
        return PromiseEvaluator.Evaluate([promise], [new PaymentReceived(paidOn, paid)], asOf, graceDays: 2).Single().Status;
    }

    [Fact]
    public void A_promise_covered_within_grace_is_kept()
    {
        Assert.Equal(PromiseStatus.Kept, StatusOf(10_000, new DateOnly(2027, 1, 12), new DateOnly(2027, 1, 20)));
    }

    [Fact]
    public void A_partial_payment_is_partially_kept_not_kept()
    {
        Assert.Equal(PromiseStatus.Pending, StatusOf(5_000, new DateOnly(2027, 1, 9), new DateOnly(2027, 1, 12)));
        Assert.Equal(PromiseStatus.PartiallyKept, StatusOf(5_000, new DateOnly(2027, 1, 9), new DateOnly(2027, 1, 13)));
    }

    [Fact]
    public void Nothing_by_the_date_plus_grace_is_broken_and_a_payment_after_does_not_mend_it()
    {
        Assert.Equal(PromiseStatus.Broken, StatusOf(10_000, new DateOnly(2027, 1, 13), new DateOnly(2027, 1, 20)));
    }

    [Fact]
    public void A_payment_before_the_promise_was_taken_does_not_count()
    {
        Assert.Equal(PromiseStatus.Broken, StatusOf(10_000, new DateOnly(2026, 12, 31), new DateOnly(2027, 1, 20)));
    }

    [Fact]
    public void One_payment_is_never_counted_for_two_promises()
    {
        var first = new PromiseTerms(A, new DateOnly(2027, 1, 1), new DateOnly(2027, 1, 10), 10_000, false);
        var second = new PromiseTerms(B, new DateOnly(2027, 1, 1), new DateOnly(2027, 1, 20), 10_000, false);

        var standings = PromiseEvaluator.Evaluate([second, first], [new PaymentReceived(new DateOnly(2027, 1, 5), 15_000)], new DateOnly(2027, 1, 31), 0);

        Assert.Equal(PromiseStatus.Kept, standings.Single(s => s.Id == A).Status);
        Assert.Equal(PromiseStatus.PartiallyKept, standings.Single(s => s.Id == B).Status);
        Assert.Equal(5_000, standings.Single(s => s.Id == B).PaidMinor);
    }

    [Fact]
    public void A_cancelled_promise_stays_cancelled_and_takes_no_money()
    {
        var cancelled = new PromiseTerms(A, new DateOnly(2027, 1, 1), new DateOnly(2027, 1, 10), 10_000, true);
        var other = new PromiseTerms(B, new DateOnly(2027, 1, 1), new DateOnly(2027, 1, 12), 10_000, false);

        var standings = PromiseEvaluator.Evaluate([cancelled, other], [new PaymentReceived(new DateOnly(2027, 1, 5), 10_000)], new DateOnly(2027, 1, 31), 0);

        Assert.Equal(PromiseStatus.Cancelled, standings.Single(s => s.Id == A).Status);
        Assert.Equal(PromiseStatus.Kept, standings.Single(s => s.Id == B).Status);
    }

    [Theory]
    [InlineData(SettlementRole.Collector, 800, true)]
    [InlineData(SettlementRole.Collector, 799.99, false)]
    [InlineData(SettlementRole.Supervisor, 799.99, true)]
    [InlineData(SettlementRole.Supervisor, 600, true)]
    [InlineData(SettlementRole.Supervisor, 599.99, false)]
    [InlineData(SettlementRole.Manager, 100, true)]
    public void Each_role_settles_within_its_own_authority(SettlementRole role, decimal offer, bool allowed)
    {
        var authority = new SettlementAuthority();
        var discount = SettlementAuthority.DiscountPercent(new Money(100_000, Currency.USD), Money.FromMajor(offer, Currency.USD, MidpointRounding.ToEven));

        Assert.Equal(allowed, authority.Allows(role, discount));
        Assert.Equal(allowed, authority.Refusal(role, discount) is null);
    }

    [Fact]
    public void A_refusal_names_who_must_approve()
    {
        var authority = new SettlementAuthority();

        Assert.Equal(
            "A discount of 35 % is more than a collector may give (20 %); a supervisor must approve it",
            authority.Refusal(SettlementRole.Collector, 35m));
        Assert.Equal(SettlementRole.Manager, authority.LeastRoleFor(55m));
        Assert.Null(new SettlementAuthority(ManagerMaxPercent: 60m).LeastRoleFor(70m));
    }

    [Fact]
    public void The_forecast_discounts_by_keep_rate_and_puts_overdue_items_in_the_first_week()
    {
        var monday = new DateOnly(2027, 1, 4);
        var weeks = CashFlowForecast.ByWeek(
            [
                new ExpectedReceipt(monday.AddDays(-3), 10_000, 0.5m, true),
                new ExpectedReceipt(monday.AddDays(2), 20_000, 0.75m, false),
                new ExpectedReceipt(monday.AddDays(8), 10_000, 1m, false),
                new ExpectedReceipt(monday.AddDays(30), 99_999, 1m, false),
            ],
            monday,
            2);

        Assert.Equal(new ForecastWeek(monday, 30_000, 20_000, 1, 1), weeks[0]);
        Assert.Equal(new ForecastWeek(monday.AddDays(7), 10_000, 10_000, 0, 1), weeks[1]);
    }
}
