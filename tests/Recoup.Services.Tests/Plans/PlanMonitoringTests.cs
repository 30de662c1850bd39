using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Data.Outbox;
using Recoup.Data.Plans;
using Recoup.Data.WorkQueues;
using Recoup.Domain;
using Recoup.Domain.Compliance;
using Recoup.Domain.Ledger;
using Recoup.Domain.Plans;
using Recoup.Services.Imports;
using Recoup.Services.Payments;
using Recoup.Services.Plans;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Services.Tests.Plans;

/// <summary>Plans, promises and settlements held to account by the daily monitoring, on a simulated calendar, on both providers.</summary>
public sealed class PlanMonitoringTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 15, 0, 0, TimeSpan.Zero));
    private readonly PlanSettings _settings = new() { InstallmentGraceDays = 5, MissesToDefault = 2, PromiseGraceDays = 2, ReminderDaysBefore = 3 };

    private static Money Usd(decimal major) => Money.FromMajor(major, Currency.USD, MidpointRounding.ToEven);

    private async Task<(RecoupDatabase Database, AccountId Account)> SeedAsync(DatabaseProvider provider, string balance = "300.00")
    {
        var database = await TestDatabases.CreateAsync(provider);
        var portfolio = new TestPortfolio()
            .Debtors("P1,Dana Whitfield,person,consumer,dana@example.com,+1 312 555 0199,1418 W Belmont Ave,Chicago,IL,60657,US,America/Chicago")
            .Invoices($"P-INV-1,P1,2026-08-01,2026-08-31,{balance},USD");
        Assert.True((await new ImportPortfolio(database, _clock).RunAsync(portfolio.Folder)).Succeeded);
        await using var db = database.CreateContext();
        var account = await db.Accounts.SingleAsync();
        db.AccountAssignments.Add(new AccountAssignment { AccountId = account.Id.Value, Collector = "sam", AssignedAt = _clock.GetUtcNow(), AssignedBy = "test" });
        await db.SaveChangesAsync();
        return (database, account.Id);
    }

    private void Goto(int year, int month, int day) => _clock.SetUtcNow(new DateTimeOffset(year, month, day, 15, 0, 0, TimeSpan.Zero));

    private DateOnly Today => DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime);

    private async Task PayAsync(RecoupDatabase database, AccountId account, decimal amount)
    {
        var posted = await new PostPayment(database, _clock).RunAsync(new PostPaymentRequest(account, amount, Today, "check", "CHK 1", null, null), "sam");
        Assert.True(posted.IsSuccess, posted.Error?.Message);
    }

    private Task<MonitoringResult> MonitorAsync(RecoupDatabase database) =>
        new PlanMonitoring(database, _clock, _settings, RuleSet.Default).RunAsync(Today);

    private async Task<PlanView> PlanAsync(RecoupDatabase database, AccountId account, decimal total = 300m, int installments = 3)
    {
        var created = await new PaymentPlans(database, _clock, _settings).CreateAsync(
            new CreatePlan(account, Usd(total), Usd(0m), PlanFrequency.Monthly, new DateOnly(2026, 12, 1), installments, null), "sam", mayApprove: false);
        Assert.True(created.IsSuccess, created.Error?.Message);
        return created.Value;
    }

    private static async Task<PlanView> ReloadAsync(RecoupDatabase database, Guid id, FakeTimeProvider clock) =>
        (await new PaymentPlans(database, clock, new PlanSettings()).GetAsync(id)).Value;

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Installments_are_kept_then_late_then_missed_and_two_misses_default_the_plan_and_tell_the_collector(DatabaseProvider provider)
    {
        var (database, account) = await SeedAsync(provider);
        var plan = await PlanAsync(database, account);
        Assert.Equal(["2026-12-01 100.00", "2027-01-01 100.00", "2027-02-01 100.00"], plan.Installments.Select(i => $"{i.Due:yyyy-MM-dd} {i.Amount.ToDecimalString()}"));

        Goto(2026, 11, 30);
        await PayAsync(database, account, 100m);
        Goto(2026, 12, 1);
        await MonitorAsync(database);
        Assert.Equal(InstallmentStatus.Kept, (await ReloadAsync(database, plan.Id, _clock)).Installments[0].Status);

        Goto(2027, 1, 5);
        await PayAsync(database, account, 60m);
        await MonitorAsync(database);
        var partial = await ReloadAsync(database, plan.Id, _clock);
        Assert.Equal((InstallmentStatus.Pending, "60.00"), (partial.Installments[1].Status, partial.Installments[1].Paid.ToDecimalString()));

        Goto(2027, 1, 7);
        await MonitorAsync(database);
        var missed = await ReloadAsync(database, plan.Id, _clock);
        Assert.Equal(InstallmentStatus.Missed, missed.Installments[1].Status);
        Assert.Equal(PlanStatus.Active, missed.Status);

        Goto(2027, 2, 7);
        var result = await MonitorAsync(database);
        var defaulted = await ReloadAsync(database, plan.Id, _clock);
        Assert.Equal(PlanStatus.Defaulted, defaulted.Status);
        Assert.Equal(new DateOnly(2027, 2, 7), defaulted.StatusSince);
        Assert.Equal(1, result.PlansDefaulted);

        await using var db = database.CreateContext();
        var task = await db.FollowUps.AsNoTracking().SingleAsync(f => f.AccountId == account);
        Assert.Equal("sam", task.Owner);
        Assert.StartsWith("Broken plan", task.Note);
        Assert.True(task.DueAt <= _clock.GetUtcNow());
        Assert.Single(await db.AuditLog.AsNoTracking().Where(a => a.Action == "plan.defaulted").ToListAsync());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_payment_within_grace_is_late_and_one_larger_than_the_installment_covers_the_next(DatabaseProvider provider)
    {
        var (database, account) = await SeedAsync(provider);
        var plan = await PlanAsync(database, account);

        Goto(2026, 12, 4);
        await PayAsync(database, account, 200m);
        await MonitorAsync(database);
        var view = await ReloadAsync(database, plan.Id, _clock);

        Assert.Equal([InstallmentStatus.Late, InstallmentStatus.Kept, InstallmentStatus.Pending], view.Installments.Select(i => i.Status));
        Assert.Equal("200.00", view.Paid.ToDecimalString());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Paying_everything_completes_the_plan_and_a_second_run_changes_nothing(DatabaseProvider provider)
    {
        var (database, account) = await SeedAsync(provider);
        var plan = await PlanAsync(database, account);

        Goto(2026, 11, 25);
        await PayAsync(database, account, 300m);
        var first = await MonitorAsync(database);
        var second = await MonitorAsync(database);

        var view = await ReloadAsync(database, plan.Id, _clock);
        Assert.Equal(PlanStatus.Completed, view.Status);
        Assert.Equal(1, first.PlansCompleted);
        Assert.Equal((0, 0, 0), (second.PlansChecked, second.InstallmentsChanged, second.PlansCompleted));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_reversed_payment_does_not_keep_an_installment(DatabaseProvider provider)
    {
        var (database, account) = await SeedAsync(provider);
        var plan = await PlanAsync(database, account);
        Goto(2026, 11, 30);
        await PayAsync(database, account, 100m);
        await using (var db = database.CreateContext())
        {
            var ledger = (await Ledger.LedgerLoader.LoadAsync(db, a => a.Id == account, tracked: true, default)).Single();
            var payment = ledger.Entries.Single(e => e.Kind == EntryKind.Payment);
            Assert.True(ledger.Reverse(payment.Id, Today, _clock.GetUtcNow(), "check bounced").IsSuccess);
            db.LedgerEntries.AddRange(ledger.NewEntries);
            db.Allocations.AddRange(ledger.NewAllocations);
            await db.SaveChangesAsync();
        }

        Goto(2026, 12, 7);
        await MonitorAsync(database);

        Assert.Equal(InstallmentStatus.Missed, (await ReloadAsync(database, plan.Id, _clock)).Installments[0].Status);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Promises_are_kept_partially_kept_or_broken(DatabaseProvider provider)
    {
        var (database, account) = await SeedAsync(provider);
        var promises = new Promises(database, _clock);
        var kept = (await promises.TakeAsync(new TakePromise(account, Usd(50m), new DateOnly(2026, 11, 27), "call"), "sam")).Value;
        var partial = (await promises.TakeAsync(new TakePromise(account, Usd(80m), new DateOnly(2026, 12, 4), "call"), "sam")).Value;
        var broken = (await promises.TakeAsync(new TakePromise(account, Usd(40m), new DateOnly(2026, 12, 10), "email"), "sam")).Value;

        Goto(2026, 11, 28);
        await PayAsync(database, account, 50m);
        Goto(2026, 12, 3);
        await PayAsync(database, account, 30m);
        Goto(2026, 12, 20);
        var result = await MonitorAsync(database);

        var after = (await promises.ListAsync(account)).ToDictionary(p => p.Id);
        Assert.Equal(PromiseStatus.Kept, after[kept.Id].Status);
        Assert.Equal((PromiseStatus.PartiallyKept, "30.00"), (after[partial.Id].Status, after[partial.Id].Paid.ToDecimalString()));
        Assert.Equal(PromiseStatus.Broken, after[broken.Id].Status);
        Assert.Equal((1, 1, 1), (result.PromisesKept, result.PromisesPartiallyKept, result.PromisesBroken));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_paid_lump_sum_settlement_writes_off_the_rest_with_reason_settlement(DatabaseProvider provider)
    {
        var (database, account) = await SeedAsync(provider, "1000.00");
        var offered = await new Settlements(database, _clock, _settings).OfferAsync(
            new OfferSettlement(account, Usd(850m), SettlementKind.LumpSum, new DateOnly(2026, 12, 15)), "sam", SettlementRole.Collector);
        Assert.Equal(SettlementStatus.Active, offered.Value.Status);

        Goto(2026, 12, 10);
        await PayAsync(database, account, 850m);
        var result = await MonitorAsync(database);

        Assert.Equal(1, result.SettlementsCompleted);
        await using var db = database.CreateContext();
        var writeOff = await db.LedgerEntries.AsNoTracking().SingleAsync(e => e.AccountId == account && e.Kind == EntryKind.WriteOff);
        Assert.Equal(("settlement", -15_000L), (writeOff.Memo, writeOff.AmountMinor));
        Assert.Equal(0, (await db.AccountSummaries.SingleAsync(s => s.AccountId == account.Value)).BalanceMinor);
        Assert.Equal(SettlementStatus.Completed, (await db.Settlements.SingleAsync()).Status);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_reminder_goes_to_the_outbox_once_before_an_installment(DatabaseProvider provider)
    {
        var (database, account) = await SeedAsync(provider);
        await PlanAsync(database, account);

        Goto(2026, 11, 28);
        var first = await MonitorAsync(database);
        var again = await MonitorAsync(database);

        Assert.Equal(1, first.RemindersQueued);
        Assert.Equal(0, again.RemindersQueued);
        await using var db = database.CreateContext();
        var message = await db.Outbox.AsNoTracking().SingleAsync();
        Assert.Equal((OutboxChannel.Email, "dana@example.com", OutboxStatus.Pending), (message.Channel, message.Recipient, message.Status));
        Assert.Contains("100.00 USD", message.Body);
        Assert.Contains("December 1, 2026", message.Body);
        Assert.Contains($"/opt-out/{message.Id:D}", message.Body);
        Assert.Equal(("installment_reminder", 1, "en"), (message.TemplateKey, message.TemplateVersion, message.Language));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_reminder_to_a_debtor_who_asked_us_to_stop_is_kept_as_blocked(DatabaseProvider provider)
    {
        var (database, account) = await SeedAsync(provider);
        await PlanAsync(database, account);
        await using (var db = database.CreateContext())
        {
            var debtor = await db.Debtors.SingleAsync();
            debtor.CeaseCommunication(_clock.GetUtcNow());
            await db.SaveChangesAsync();
        }

        Goto(2026, 11, 28);
        var result = await MonitorAsync(database);

        Assert.Equal((0, 1), (result.RemindersQueued, result.RemindersBlocked));
        await using var check = database.CreateContext();
        var message = await check.Outbox.AsNoTracking().SingleAsync();
        Assert.Equal(OutboxStatus.Blocked, message.Status);
        Assert.Contains("cease", message.LastError, StringComparison.OrdinalIgnoreCase);
    }
}
