using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Data.Disputes;
using Recoup.Data.Outbox;
using Recoup.Data.WorkQueues;
using Recoup.Domain;
using Recoup.Domain.Disputes;
using Recoup.Domain.Holds;
using Recoup.Domain.Strategies;
using Recoup.Services.Disputes;
using Recoup.Services.Holds;
using Recoup.Services.Imports;
using Recoup.Services.Placements;
using Recoup.Services.Storage;
using Recoup.Services.Strategies;
using Recoup.Testing;

namespace Recoup.Services.Tests.Strategies;

/// <summary>What the daily run's steps do: consolidated messages, stops, proposals and holds — on both providers.</summary>
public sealed class DailyRunStepsTests
{
    private static readonly DateOnly AsOf = new(2026, 11, 30);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 5, 0, 0, TimeSpan.Zero));

    private static string Consumer(string id, string name) => $"{id},{name},person,consumer,{id.ToLowerInvariant()}@example.com,,1 Main St,Springfield,IL,62701,US,America/Chicago";

    private async Task<RecoupDatabase> SeedAsync(DatabaseProvider provider, string[] debtors, string[] invoices)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var portfolio = new TestPortfolio().Debtors(debtors).Invoices(invoices);
        Assert.True((await new ImportPortfolio(database, _clock).RunAsync(portfolio.Folder)).Succeeded);
        await using var db = database.CreateContext();
        foreach (var account in await db.Accounts.Select(a => a.Id).ToListAsync())
        {
            db.AccountAssignments.Add(new AccountAssignment { AccountId = account.Value, Collector = "ana", AssignedAt = _clock.GetUtcNow(), AssignedBy = "test" });
        }

        await db.SaveChangesAsync();
        return database;
    }

    private DailyRun Run(RecoupDatabase database) => DailyRunSetup.Create(database, _clock, null, batchSize: 5);

    private static async Task<AccountId> AccountOfAsync(RecoupDatabase database, string debtor, string currency = "USD")
    {
        await using var db = database.CreateContext();
        return new AccountId(await db.AccountSummaries.Where(s => s.DebtorExternalId == debtor && s.Currency == Currency.FromCode(currency)).Select(s => s.AccountId).SingleAsync());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ADebtor_GetsOneLetterAndOneEmailPerCurrency_ListingEveryPastDueInvoice_AndASecondRunSendsNothing(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider, [Consumer("C1", "Pat Doe")],
        [
            "C1-A,C1,2026-09-20,2026-10-20,100.00,USD", // 41 days past due: the second-reminder letter is the furthest letter reached
            "C1-B,C1,2026-09-25,2026-10-25,50.00,USD",
            "C1-C,C1,2026-10-10,2026-11-10,70.00,USD",
            "C1-E,C1,2026-11-15,2026-12-15,30.00,USD", // not yet due
            "C1-D,C1,2026-10-15,2026-11-15,80.00,EUR", // 15 days: the first-reminder letter
        ]);

        var first = await Run(database).RunAsync(AsOf, dryRun: false, "system:test");
        await using var db = database.CreateContext();
        var messages = await db.Outbox.AsNoTracking().Where(m => m.Channel == OutboxChannel.Letter || m.Channel == OutboxChannel.Email).ToListAsync();
        var second = await Run(database).RunAsync(AsOf, dryRun: false, "system:test");

        Assert.Equal((2, 2), (first.Value!.Steps[StepAction.Letter], first.Value.Steps[StepAction.Email]));
        var letters = messages.Where(m => m.Channel == OutboxChannel.Letter).OrderBy(m => m.TemplateKey, StringComparer.Ordinal).ToList();
        Assert.Equal(["first_reminder", "second_reminder"], letters.Select(l => l.TemplateKey));
        Assert.All(["C1-A", "C1-B", "C1-C"], n => Assert.Contains(n, letters[1].Body, StringComparison.Ordinal));
        Assert.DoesNotContain("C1-E", letters[1].Body, StringComparison.Ordinal);
        Assert.DoesNotContain("C1-D", letters[1].Body, StringComparison.Ordinal);
        Assert.Contains("C1-D", letters[0].Body, StringComparison.Ordinal);
        Assert.Equal(2, messages.Count(m => m.Channel == OutboxChannel.Email));
        Assert.Equal(0, second.Value!.Steps.Values.Sum());
        Assert.Equal(messages.Count, await db.Outbox.CountAsync(m => m.Channel == OutboxChannel.Letter || m.Channel == OutboxChannel.Email));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task DisputedHeldAndPlacedAccounts_GetNoSteps(DatabaseProvider provider)
    {
        string[] ids = ["S1", "S2", "S3", "S4"];
        var database = await SeedAsync(provider, [.. ids.Select(id => Consumer(id, "Pat " + id))], [.. ids.Select(id => $"{id}-INV,{id},2026-10-01,2026-11-05,300.00,USD")]);
        var disputed = await AccountOfAsync(database, "S1");
        Assert.True((await new Recoup.Services.Disputes.Disputes(database, _clock, DisputeSettings.Load(null))
            .OpenAsync(new OpenDispute(disputed, DisputeReason.NotMine, DisputeSource.Collector, "Says it is not theirs"), "test")).IsSuccess);
        Assert.True((await new CollectionHolds(database, _clock).SetAsync(new SetCollectionHold(await AccountOfAsync(database, "S2"), null, "Bankruptcy check", AsOf, AsOf.AddDays(30)), "test")).IsSuccess);
        Assert.True((await new AccountPlacements(database, _clock).PlaceAsync(
            new PlaceAccount(await AccountOfAsync(database, "S3"), PlacementKind.Agency, "Acme Recovery", null, 25m, null, []), "test")).IsSuccess);

        var run = await Run(database).RunAsync(AsOf, dryRun: false, "system:test");

        Assert.Equal(2, run.Value!.Stopped);
        Assert.Equal(1, run.Value.BySegment["Consumer standard / Standard / champion"]);
        await using var db = database.CreateContext();
        var dunned = (await db.Outbox.Select(m => new { m.Purpose, m.AccountId }).ToListAsync())
            .Where(m => m.Purpose.StartsWith("strategy:", StringComparison.Ordinal)).Select(m => m.AccountId).Distinct().ToList();
        Assert.Equal([(await AccountOfAsync(database, "S4")).Value], dunned);
        Assert.Equal("Disputed", (await db.AccountStrategyStates.SingleAsync(s => s.AccountId == disputed)).Segment);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task WriteOffIsAProposalAwaitingApproval_CreditHoldIsOnePerCustomer_AndEscalationAsksTheCollector(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider,
        [
            Consumer("W1", "Small Balance"),
            Consumer("E1", "Long Overdue"),
            "B1,Acme Ltd,business,commercial,ap@acme.example,,2 Dock Rd,Boston,MA,02110,US,America/New_York",
        ],
        [
            "W1-INV,W1,2026-06-01,2026-07-01,10.00,USD", // 152 days, small balance: the write-off proposal at 120
            "E1-INV,E1,2026-06-01,2026-07-01,500.00,USD", // 152 days: escalation at 120
            "B1-USD,B1,2026-09-20,2026-10-20,1000.00,USD", // 41 days: credit hold at 30
            "B1-EUR,B1,2026-09-20,2026-10-20,900.00,EUR",
        ]);

        var run = await Run(database).RunAsync(AsOf, dryRun: false, "system:test");

        Assert.Equal((1, 2, 1), (run.Value!.Steps[StepAction.WriteOff], run.Value.Steps[StepAction.CreditHold], run.Value.Steps[StepAction.Escalation]));
        await using var db = database.CreateContext();
        var proposal = await db.BalanceChanges.SingleAsync();
        Assert.Equal((BalanceChangeKind.BadDebtWriteOff, BalanceChangeStatus.PendingApproval, 1000L, (LedgerEntryId?)null),
            (proposal.Kind, proposal.Status, proposal.AmountMinor, proposal.EntryId));
        var w1 = await AccountOfAsync(database, "W1");
        Assert.Equal(1000, (await db.AccountSummaries.SingleAsync(s => s.AccountId == w1.Value)).BalanceMinor);
        Assert.Equal(1, await db.CreditHolds.CountAsync(h => h.ReleasedAt == null));
        var e1 = await AccountOfAsync(database, "E1");
        Assert.Contains(await db.FollowUps.Where(f => f.AccountId == e1).Select(f => f.Note).ToListAsync(), n => n!.Contains("escalate", StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AMessageTheGateRefuses_IsCountedAsBlocked_AndTriedAgainByTheNextRun(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider, [Consumer("G1", "Pat Gate")], ["G1-INV,G1,2026-10-01,2026-11-05,300.00,USD"]);
        await using (var db = database.CreateContext())
        {
            var debtor = await db.Debtors.SingleAsync();
            debtor.CeaseCommunication(_clock.GetUtcNow().AddDays(-3));
            await db.SaveChangesAsync();
        }

        var run = await Run(database).RunAsync(AsOf, dryRun: false, "system:test");
        _clock.Advance(TimeSpan.FromDays(1));
        var next = await Run(database).RunAsync(AsOf.AddDays(1), dryRun: false, "system:test");

        Assert.Equal((0, 0), (run.Value!.Steps[StepAction.Letter], run.Value.Steps[StepAction.Email]));
        Assert.Equal(2, run.Value.BlockedByCompliance); // the e-mail and the letter
        Assert.Equal(2, next.Value!.BlockedByCompliance); // still due, refused again
        await using var check = database.CreateContext();
        Assert.Equal(0, await check.Outbox.CountAsync(m => m.Channel == OutboxChannel.Letter || m.Channel == OutboxChannel.Email));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ADryRun_ShowsCountsPerSegment_AndSampleAccounts_WithoutWriting(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider, [Consumer("D1", "Pat One"), Consumer("D2", "Pat Two")],
            ["D1-INV,D1,2026-10-01,2026-11-05,300.00,USD", "D2-INV,D2,2026-10-01,2026-11-05,300.00,USD"]);

        var dry = await Run(database).RunAsync(AsOf, dryRun: true, "system:test");

        Assert.Equal(2, dry.Value!.BySegment["Consumer standard / Standard / champion"]);
        Assert.Contains(dry.Value.Samples, s => s.Step == "first-call" && s.Action == StepAction.CallTask);
        await using var db = database.CreateContext();
        Assert.Equal((0, 0), (await db.Outbox.CountAsync(), await db.FollowUps.CountAsync()));
    }
}
