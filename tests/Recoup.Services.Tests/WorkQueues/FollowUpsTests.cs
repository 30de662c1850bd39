using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Data.Identity;
using Recoup.Domain;
using Recoup.Domain.WorkQueues;
using Recoup.Services.Imports;
using Recoup.Services.Storage;
using Recoup.Services.WorkQueues;
using Recoup.Testing;

namespace Recoup.Services.Tests.WorkQueues;

public sealed class FollowUpsTests
{
    // 16:00 UTC on Monday 23 November 2026 is 10:00 in Chicago (CST, UTC−6).
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 16, 0, 0, TimeSpan.Zero);

    private sealed record Seeded(RecoupDatabase Database, FakeTimeProvider Clock, AccountId Chicago, AccountId TwoZones, AccountId NoZone);

    private static async Task<Seeded> SeedAsync(DatabaseProvider provider)
    {
        var clock = new FakeTimeProvider(Start);
        var database = await TestDatabases.CreateAsync(provider);
        var portfolio = new TestPortfolio()
            .Debtors(
                "K1,Maria Gonzalez,person,consumer,maria@example.com,+1 312 555 0147,1418 W Belmont Ave,Chicago,IL,60657,US,",
                "K2,Ray Moss,person,consumer,,+1 212 555 0134,12 Ocean Ave,Santa Monica,CA,90401,US,",
                TestPortfolio.Person("K3", "Lena Hoffmann"))
            .Invoices(
                "K-INV-1,K1,2026-05-01,2026-05-31,100.00,USD",
                "K-INV-2,K2,2026-05-01,2026-05-31,100.00,USD",
                "K-INV-3,K3,2026-05-01,2026-05-31,100.00,USD");
        Assert.True((await new ImportPortfolio(database, clock).RunAsync(portfolio.Folder)).Succeeded);
        await using var db = database.CreateContext();
        db.Users.AddRange(User("sam"), User("ana"));
        await db.SaveChangesAsync();
        var accounts = await db.Accounts.AsNoTracking().Select(a => new { a.Id, a.Debtor!.ExternalId }).ToListAsync();
        return new Seeded(database, clock, accounts.Single(a => a.ExternalId == "K1").Id, accounts.Single(a => a.ExternalId == "K2").Id,
            accounts.Single(a => a.ExternalId == "K3").Id);
    }

    private static RecoupUser User(string name) => new() { UserName = name, NormalizedUserName = name.ToUpperInvariant(), DisplayName = name };

    private static DateTime Local(int day, int hour, int minute = 0) => new(2026, 11, day, hour, minute, 0, DateTimeKind.Unspecified);

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ACallbackAt1030_InTheDebtorsOnlyZone_IsStoredAsTheUtcInstant_AndOnTheTimeline(DatabaseProvider provider)
    {
        var seeded = await SeedAsync(provider);
        var followUps = new FollowUps(seeded.Database, seeded.Clock);

        var scheduled = await followUps.ScheduleAsync(
            new ScheduleFollowUp(seeded.Chicago, FollowUpKind.Callback, Local(24, 10, 30), TimeZone: null, "SAM", "Call after her shift"), "ana");

        Assert.True(scheduled.IsSuccess, scheduled.Error?.Message);
        await using var db = seeded.Database.CreateContext();
        var stored = await db.FollowUps.AsNoTracking().SingleAsync();
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 16, 30, 0, TimeSpan.Zero), stored.DueAt);
        Assert.Equal((Local(24, 10, 30), "America/Chicago", "sam", "ana"), (stored.DueLocal, stored.DueTimeZone, stored.Owner, stored.CreatedBy));
        var audit = await db.AuditLog.AsNoTracking().SingleAsync(a => a.Action == "follow_up.scheduled");
        Assert.Equal(("account", seeded.Chicago.ToString(), "ana"), (audit.Entity, audit.EntityId, audit.Actor));
        Assert.Contains("\"due_local\":\"2026-11-24T10:30\"", audit.After, StringComparison.Ordinal);
        Assert.Contains("\"time_zone\":\"America/Chicago\"", audit.After, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task WithoutAZone_ADebtorWithSeveralOrNone_MustBeToldWhich_AndNothingIsStored(DatabaseProvider provider)
    {
        var seeded = await SeedAsync(provider);
        var followUps = new FollowUps(seeded.Database, seeded.Clock);

        var several = await followUps.ScheduleAsync(new ScheduleFollowUp(seeded.TwoZones, FollowUpKind.Callback, Local(24, 10), null, "sam"), "ana");
        var none = await followUps.ScheduleAsync(new ScheduleFollowUp(seeded.NoZone, FollowUpKind.Task, Local(24, 10), null, "sam"), "ana");
        var chosen = await followUps.ScheduleAsync(new ScheduleFollowUp(seeded.TwoZones, FollowUpKind.Callback, Local(24, 10), "America/Los_Angeles", "sam"), "ana");

        Assert.Equal(("time_zone_required", "time_zone"), (several.Error!.Code, several.Error.Field));
        Assert.Equal("Ray Moss may be in America/Los_Angeles or America/New_York; say which time zone the follow-up is agreed in", several.Error.Message);
        Assert.Equal("Lena Hoffmann's time zone is not known; give the time zone the follow-up is agreed in (an IANA zone such as America/Chicago)", none.Error!.Message);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 18, 0, 0, TimeSpan.Zero), chosen.Value.FollowUp.DueAt);
        await using var db = seeded.Database.CreateContext();
        Assert.Equal(1, await db.FollowUps.CountAsync());
        Assert.Equal(1, await db.AuditLog.CountAsync(a => a.Action == "follow_up.scheduled"));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task RefusedRequests_SayWhichFieldIsWrong(DatabaseProvider provider)
    {
        var seeded = await SeedAsync(provider);
        var followUps = new FollowUps(seeded.Database, seeded.Clock);

        async Task<Error> RefusedAsync(ScheduleFollowUp request) => (await followUps.ScheduleAsync(request, "ana")).Error!;

        var unknownOwner = await RefusedAsync(new ScheduleFollowUp(seeded.Chicago, FollowUpKind.Callback, Local(24, 10), null, "nobody"));
        var past = await RefusedAsync(new ScheduleFollowUp(seeded.Chicago, FollowUpKind.Callback, Local(23, 9), null, "sam"));
        var skipped = await RefusedAsync(new ScheduleFollowUp(seeded.Chicago, FollowUpKind.Callback, new DateTime(2027, 3, 14, 2, 30, 0), null, "sam"));
        var badZone = await RefusedAsync(new ScheduleFollowUp(seeded.Chicago, FollowUpKind.Callback, Local(24, 10), "Mars/Olympus", "sam"));
        var origin = await RefusedAsync(new ScheduleFollowUp(seeded.Chicago, FollowUpKind.Callback, Local(24, 10), null, "sam", Origin: InteractionId.New(Start)));
        var account = await RefusedAsync(new ScheduleFollowUp(AccountId.New(Start), FollowUpKind.Callback, Local(24, 10), null, "sam"));

        Assert.Equal(("owner_unknown", "owner", "There is no user 'nobody' to own the follow-up"), (unknownOwner.Code, unknownOwner.Field, unknownOwner.Message));
        Assert.Equal(("due_in_past", "due_at", "2026-11-23 09:00 in America/Chicago has already passed"), (past.Code, past.Field, past.Message));
        Assert.Equal(("due_time_skipped", "due_at"), (skipped.Code, skipped.Field));
        Assert.Equal(("time_zone_unknown", "time_zone"), (badZone.Code, badZone.Field));
        Assert.Equal(("origin_not_found", "origin_interaction_id"), (origin.Code, origin.Field));
        Assert.Equal("account_not_found", account.Code);
        await using var db = seeded.Database.CreateContext();
        Assert.Equal(0, await db.FollowUps.CountAsync());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AnOwnersList_HasOverdueOnesFirst_ThenByDueInstant_AndOnlyOpenOnesOfTheirOwn(DatabaseProvider provider)
    {
        var seeded = await SeedAsync(provider);
        var followUps = new FollowUps(seeded.Database, seeded.Clock);
        async Task<FollowUp> ScheduleAsync(AccountId account, DateTime local, string zone, string owner = "sam") =>
            (await followUps.ScheduleAsync(new ScheduleFollowUp(account, FollowUpKind.Callback, local, zone, owner), "ana")).Value.FollowUp;

        var tomorrow = await ScheduleAsync(seeded.Chicago, Local(24, 9), "America/Chicago");             // 15:00Z on the 24th
        var thisMorningInNewYork = await ScheduleAsync(seeded.TwoZones, Local(23, 12), "America/New_York"); // 17:00Z today
        var lunchInChicago = await ScheduleAsync(seeded.Chicago, Local(23, 12), "America/Chicago");     // 18:00Z today
        var closed = await ScheduleAsync(seeded.NoZone, Local(23, 11), "America/Chicago");              // 17:00Z today, then done
        await ScheduleAsync(seeded.NoZone, Local(23, 11), "America/Chicago", owner: "ana");
        Assert.True((await followUps.CloseAsync(closed.Id, FollowUpState.Done, "sam")).IsSuccess);

        var list = await followUps.ListForOwnerAsync("sam", new DateTimeOffset(2026, 11, 23, 18, 30, 0, TimeSpan.Zero));

        Assert.Equal([thisMorningInNewYork.Id, lunchInChicago.Id, tomorrow.Id], list.Select(i => i.FollowUp.Id));
        Assert.Equal([true, true, false], list.Select(i => i.Overdue));
        Assert.Equal(("K2", "Ray Moss"), (list[0].DebtorId, list[0].DebtorName));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Closing_IsAuditedOnce_AndAClosedFollowUpCannotBeClosedAgain(DatabaseProvider provider)
    {
        var seeded = await SeedAsync(provider);
        var followUps = new FollowUps(seeded.Database, seeded.Clock);
        var first = (await followUps.ScheduleAsync(new ScheduleFollowUp(seeded.Chicago, FollowUpKind.Task, Local(24, 9), null, "sam", "Check the ACH arrived"), "ana")).Value.FollowUp;
        var second = (await followUps.ScheduleAsync(new ScheduleFollowUp(seeded.Chicago, FollowUpKind.Callback, Local(25, 9), null, "sam"), "ana")).Value.FollowUp;

        var done = await followUps.CloseAsync(first.Id, FollowUpState.Done, "sam");
        var again = await followUps.CloseAsync(first.Id, FollowUpState.Cancelled, "ana");
        var open = await followUps.CloseAsync(second.Id, FollowUpState.Open, "ana");
        var missing = await followUps.CloseAsync(FollowUpId.New(Start), FollowUpState.Done, "ana");
        var closedAt = seeded.Clock.GetUtcNow();
        seeded.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await followUps.CloseAsync(second.Id, FollowUpState.Cancelled, "ana")).IsSuccess);

        Assert.Equal((FollowUpState.Done, "sam"), (done.Value.FollowUp.State, done.Value.FollowUp.ClosedBy));
        Assert.Equal(("follow_up_closed", "This follow-up was already done by sam"), (again.Error!.Code, again.Error.Message));
        Assert.Equal("state_invalid", open.Error!.Code);
        Assert.Equal(FollowUps.NotFound, missing.Error!.Code);
        await using var db = seeded.Database.CreateContext();
        var stored = await db.FollowUps.AsNoTracking().SingleAsync(f => f.Id == first.Id);
        Assert.Equal((FollowUpState.Done, "sam", (DateTimeOffset?)closedAt), (stored.State, stored.ClosedBy, stored.ClosedAt));
        Assert.Equal(1, await db.AuditLog.CountAsync(a => a.Action == "follow_up.done"));
        Assert.Equal(1, await db.AuditLog.CountAsync(a => a.Action == "follow_up.cancelled"));

        var listed = (await followUps.ListForAccountAsync(seeded.Chicago)).Value;
        Assert.Equal([second.Id, first.Id], listed.Select(i => i.FollowUp.Id));
        Assert.Equal("account_not_found", (await followUps.ListForAccountAsync(AccountId.New(Start))).Error!.Code);
    }
}
