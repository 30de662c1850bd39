using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Domain;
using Recoup.Domain.Compliance;
using Recoup.Domain.Debtors;
using Recoup.Domain.Plans;
using Recoup.Services.Compliance;
using Recoup.Services.Holds;
using Recoup.Services.Imports;
using Recoup.Services.Plans;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Services.Tests.Holds;

/// <summary>Collection holds set (backdated), honoured by the gate, shown as held, released, and lifting by themselves — on both providers.</summary>
public sealed class CollectionHoldTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 15, 0, 0, TimeSpan.Zero));

    private DateOnly Today => DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime);

    private async Task<(RecoupDatabase Database, AccountId Account, ContactPointId Phone)> SeedAsync(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var portfolio = new TestPortfolio()
            .Debtors("H1,Dana Whitfield,person,consumer,dana@example.com,+1 312 555 0199,1418 W Belmont Ave,Chicago,IL,60657,US,America/Chicago")
            .Invoices("H-INV-1,H1,2026-08-01,2026-08-31,300.00,USD", "H-INV-2,H1,2026-09-01,2026-09-30,200.00,USD");
        Assert.True((await new ImportPortfolio(database, _clock).RunAsync(portfolio.Folder)).Succeeded);
        await using var db = database.CreateContext();
        var account = await db.Accounts.SingleAsync();
        var phone = await db.ContactPoints.SingleAsync(c => c.Kind == ContactKind.Phone);
        return (database, account.Id, phone.Id);
    }

    // 15:00 UTC is 09:00 in Chicago: inside calling hours, so only a hold can block.
    private async Task<GateDecision> CallAsync(RecoupDatabase database, AccountId account, ContactPointId phone) =>
        (await new ComplianceCheck(database, _clock, RuleSet.Default).RunAsync(new ComplianceQuestion("H1", account, ContactChannel.Call, phone, _clock.GetUtcNow()), "sam")).Value;

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ABackdatedHold_BlocksEveryContact_IsShownAsHeld_AndLiftsByItselfOnItsEndDate(DatabaseProvider provider)
    {
        var (database, account, phone) = await SeedAsync(provider);
        var holds = new CollectionHolds(database, _clock);
        var set = await holds.SetAsync(new SetCollectionHold(account, null, "Customer says goods were never delivered", Today.AddDays(-3), Today.AddDays(3)), "sam");
        Assert.True(set.IsSuccess, set.Error?.Message);

        var blocked = await CallAsync(database, account, phone);
        Assert.False(blocked.Allowed);
        Assert.Equal("collection-hold", Assert.Single(blocked.Reasons).Rule);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 14, 0, 0, TimeSpan.Zero), blocked.NextAllowedAt); // 08:00 in Chicago on the end date
        var mark = (await holds.HeldAsync([account.Value]))[account.Value];
        Assert.True(mark.WholeAccount);
        Assert.Equal(Today.AddDays(3), mark.Until);

        await using (var db = database.CreateContext())
        {
            var record = await db.AuditLog.AsNoTracking().SingleAsync(a => a.Action == "collection_hold.set");
            Assert.Equal("sam", record.Actor);
            Assert.Equal(_clock.GetUtcNow(), record.At);
            Assert.Contains("\"backdated\":true", record.After);
            Assert.Contains("\"starts_on\":\"2026-11-20\"", record.After);
        }

        _clock.Advance(TimeSpan.FromDays(2));
        Assert.False((await CallAsync(database, account, phone)).Allowed);

        _clock.Advance(TimeSpan.FromDays(1));
        Assert.True((await CallAsync(database, account, phone)).Allowed);
        Assert.Empty(await holds.HeldAsync([account.Value]));
        Assert.False(Assert.Single((await holds.ListAsync(account)).Value).InForce);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task APlanReminder_DuringAHold_IsNotSentBeforeTheHoldEnds(DatabaseProvider provider)
    {
        var (database, account, _) = await SeedAsync(provider);
        var settings = new PlanSettings { ReminderDaysBefore = 3 };
        var plan = await new PaymentPlans(database, _clock, settings).CreateAsync(
            new CreatePlan(account, null, Money.Zero(Currency.USD), PlanFrequency.Monthly, Today.AddDays(2), 5, null), "sam", mayApprove: true);
        Assert.True(plan.IsSuccess, plan.Error?.Message);
        await new CollectionHolds(database, _clock).SetAsync(new SetCollectionHold(account, null, "Hardship review", Today, Today.AddDays(5)), "sam");

        await new PlanMonitoring(database, _clock, settings, RuleSet.Default).RunAsync(Today);

        await using var db = database.CreateContext();
        var reminder = await db.Outbox.AsNoTracking().SingleAsync(m => m.Purpose == PlanReminders.Purpose);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 14, 0, 0, TimeSpan.Zero), reminder.NotBefore); // 08:00 in Chicago on the day the hold ends
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AnInvoiceHold_LeavesTheRestCollectable_UntilEveryOpenInvoiceIsHeld(DatabaseProvider provider)
    {
        var (database, account, phone) = await SeedAsync(provider);
        var holds = new CollectionHolds(database, _clock);
        Assert.True((await holds.SetAsync(new SetCollectionHold(account, "H-INV-1", "Pricing query with sales", Today, Today.AddDays(10)), "sam")).IsSuccess);

        Assert.True((await CallAsync(database, account, phone)).Allowed);
        var mark = (await holds.HeldAsync([account.Value]))[account.Value];
        Assert.Equal((false, 1), (mark.WholeAccount, mark.Invoices));

        Assert.True((await holds.SetAsync(new SetCollectionHold(account, "H-INV-2", "Pricing query with sales", Today, Today.AddDays(5)), "sam")).IsSuccess);
        var blocked = await CallAsync(database, account, phone);
        Assert.False(blocked.Allowed);
        Assert.Contains("Everything open", Assert.Single(blocked.Reasons).Message);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ReleasingAHold_ResumesCollectionAtOnce_AndBadHoldsAreRefused(DatabaseProvider provider)
    {
        var (database, account, phone) = await SeedAsync(provider);
        var holds = new CollectionHolds(database, _clock);
        var hold = (await holds.SetAsync(new SetCollectionHold(account, null, "Bankruptcy check", Today, Today.AddDays(30)), "sam")).Value;

        Assert.Equal("reason_missing", (await holds.ReleaseAsync(hold.Id, " ", "morgan")).Error?.Code);
        var released = await holds.ReleaseAsync(hold.Id, "No bankruptcy found", "morgan");
        Assert.True(released.IsSuccess);
        Assert.Equal(("morgan", (DateOnly?)Today, false), (released.Value.ReleasedBy, released.Value.ReleasedOn, released.Value.InForce));
        Assert.True((await CallAsync(database, account, phone)).Allowed);
        Assert.Equal("hold_not_in_force", (await holds.ReleaseAsync(hold.Id, "again", "morgan")).Error?.Code);

        Assert.Equal("invoice_not_on_account", (await holds.SetAsync(new SetCollectionHold(account, "NOPE", "x", Today, Today.AddDays(1)), "sam")).Error?.Code);
        Assert.Equal("hold_already_ended", (await holds.SetAsync(new SetCollectionHold(account, null, "x", Today.AddDays(-5), Today), "sam")).Error?.Code);
        Assert.Equal("account_not_found", (await holds.SetAsync(new SetCollectionHold(AccountId.New(_clock.GetUtcNow()), null, "x", Today, Today.AddDays(1)), "sam")).Error?.Code);
    }
}
