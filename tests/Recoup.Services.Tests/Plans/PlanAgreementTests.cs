using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Data.Plans;
using Recoup.Domain;
using Recoup.Domain.Plans;
using Recoup.Services.Imports;
using Recoup.Services.Plans;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Services.Tests.Plans;

/// <summary>Setting plans and settlements up: policy, approval, authority, changes with history — on both providers.</summary>
public sealed class PlanAgreementTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 15, 0, 0, TimeSpan.Zero));
    private readonly PlanSettings _settings = new();

    private static Money Usd(decimal major) => Money.FromMajor(major, Currency.USD, MidpointRounding.ToEven);

    private async Task<(RecoupDatabase Database, AccountId Account)> SeedAsync(DatabaseProvider provider, string balance = "1000.00")
    {
        var database = await TestDatabases.CreateAsync(provider);
        var portfolio = new TestPortfolio()
            .Debtors("Q1,Lee Okafor,person,consumer,lee@example.com,,,,,,,America/New_York")
            .Invoices($"Q-INV-1,Q1,2026-08-01,2026-08-31,{balance},USD");
        Assert.True((await new ImportPortfolio(database, _clock).RunAsync(portfolio.Folder)).Succeeded);
        await using var db = database.CreateContext();
        return (database, (await db.Accounts.SingleAsync()).Id);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_collector_s_plan_outside_policy_waits_for_a_supervisor_who_approves_it(DatabaseProvider provider)
    {
        var (database, account) = await SeedAsync(provider);
        var plans = new PaymentPlans(database, _clock, _settings);

        // Consumer policy: installments of at least 25.00. 1000.00 in 50 is 20.00.
        var created = await plans.CreateAsync(new CreatePlan(account, null, Usd(0m), PlanFrequency.Weekly, new DateOnly(2026, 11, 27), 50, null), "sam", mayApprove: false);
        Assert.True(created.IsSuccess, created.Error?.Message);
        Assert.Equal(PlanStatus.PendingApproval, created.Value.Status);
        Assert.Equal(["Installments of 20.00 are below the minimum of 25.00 USD"], created.Value.PolicyBreaches);

        var approved = await plans.ApproveAsync(created.Value.Id, "morgan");
        Assert.Equal((PlanStatus.Active, "morgan"), (approved.Value.Status, approved.Value.ApprovedBy));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_supervisor_s_own_plan_outside_policy_is_active_with_the_approval_recorded(DatabaseProvider provider)
    {
        var (database, account) = await SeedAsync(provider);

        var created = await new PaymentPlans(database, _clock, _settings).CreateAsync(
            new CreatePlan(account, null, Usd(0m), PlanFrequency.Monthly, new DateOnly(2026, 12, 1), 30, null), "morgan", mayApprove: true);

        Assert.Equal((PlanStatus.Active, "morgan"), (created.Value.Status, created.Value.ApprovedBy));
        Assert.Contains(created.Value.PolicyBreaches, b => b.Contains("longer than the maximum of 24", StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_second_plan_on_the_same_account_is_refused(DatabaseProvider provider)
    {
        var (database, account) = await SeedAsync(provider);
        var plans = new PaymentPlans(database, _clock, _settings);
        var request = new CreatePlan(account, null, Usd(100m), PlanFrequency.Monthly, new DateOnly(2026, 12, 1), 6, null);
        Assert.True((await plans.CreateAsync(request, "sam", false)).IsSuccess);

        Assert.Equal("plan_already_open", (await plans.CreateAsync(request, "sam", false)).Error?.Code);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Skipping_and_rescheduling_keep_the_old_schedules_in_history(DatabaseProvider provider)
    {
        var (database, account) = await SeedAsync(provider, "300.00");
        var plans = new PaymentPlans(database, _clock, _settings);
        var plan = (await plans.CreateAsync(new CreatePlan(account, null, Usd(0m), PlanFrequency.Monthly, new DateOnly(2026, 12, 1), 3, null), "sam", false)).Value;

        var skipped = await plans.ChangeAsync(plan.Id, new ChangePlan("skip", "Debtor's hours were cut in December"), "sam");
        Assert.True(skipped.IsSuccess, skipped.Error?.Message);
        Assert.Equal(["2027-01-01", "2027-02-01", "2027-03-01"], skipped.Value.Installments.Select(i => i.Due.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));

        var rescheduled = await plans.ChangeAsync(plan.Id,
            new ChangePlan("reschedule", "Paid weekly now", Frequency: PlanFrequency.BiWeekly, FirstDue: new DateOnly(2026, 12, 4), Installments: 4), "sam");
        Assert.True(rescheduled.IsSuccess, rescheduled.Error?.Message);
        Assert.Equal(["75.00", "75.00", "75.00", "75.00"], rescheduled.Value.Installments.Select(i => i.Amount.ToDecimalString()));
        Assert.Equal(3, rescheduled.Value.Version);
        Assert.Equal(["created", "skip", "reschedule"], rescheduled.Value.History.Select(h => h.Kind));
        Assert.Equal("2026-12-01", rescheduled.Value.History[0].Installments[0].Due.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("Paid weekly now", rescheduled.Value.History[2].Reason);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Settlements_are_agreed_within_each_role_s_authority_and_escalate_beyond_it(DatabaseProvider provider)
    {
        var (database, account) = await SeedAsync(provider);
        var settlements = new Settlements(database, _clock, _settings);

        // 30 % off is beyond a collector (20 %) but within a supervisor (40 %), not 50 %.
        var offer = await settlements.OfferAsync(new OfferSettlement(account, Usd(700m), SettlementKind.LumpSum, new DateOnly(2026, 12, 20)), "sam", SettlementRole.Collector);
        Assert.Equal((SettlementStatus.PendingApproval, "supervisor"), (offer.Value.Status, offer.Value.NeedsApprovalBy));
        Assert.Equal(30m, offer.Value.DiscountPercent);

        var approved = await settlements.ApproveAsync(offer.Value.Id, "morgan", SettlementRole.Supervisor);
        Assert.Equal((SettlementStatus.Active, "morgan"), (approved.Value.Status, approved.Value.ApprovedBy));

        Assert.True((await settlements.WithdrawAsync(offer.Value.Id, "Debtor declined", "sam")).IsSuccess);
        var deep = await settlements.OfferAsync(new OfferSettlement(account, Usd(500m), SettlementKind.LumpSum, new DateOnly(2026, 12, 20)), "sam", SettlementRole.Collector);
        var refused = await settlements.ApproveAsync(deep.Value.Id, "morgan", SettlementRole.Supervisor);
        Assert.Equal("beyond_authority", refused.Error?.Code);
        Assert.Contains("a manager must approve it", refused.Error!.Message, StringComparison.Ordinal);
        Assert.True((await settlements.ApproveAsync(deep.Value.Id, "alex", SettlementRole.Manager)).IsSuccess);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_settlement_in_installments_is_paid_by_its_own_plan(DatabaseProvider provider)
    {
        var (database, account) = await SeedAsync(provider);

        var offer = await new Settlements(database, _clock, _settings).OfferAsync(
            new OfferSettlement(account, Usd(900m), SettlementKind.Installments, null, PlanFrequency.Monthly, new DateOnly(2026, 12, 1), 3), "sam", SettlementRole.Collector);

        Assert.True(offer.IsSuccess, offer.Error?.Message);
        var plan = (await new PaymentPlans(database, _clock, _settings).GetAsync(offer.Value.PlanId!.Value)).Value;
        Assert.Equal(("900.00", offer.Value.Id), (plan.Total.ToDecimalString(), plan.SettlementId!.Value));
        Assert.Equal(["300.00", "300.00", "300.00"], plan.Installments.Select(i => i.Amount.ToDecimalString()));
    }
}
