using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Domain.Debtors;
using Recoup.Domain.Strategies;
using Recoup.Services.Imports;
using Recoup.Services.Storage;
using Recoup.Services.Strategies;
using Recoup.Testing;

namespace Recoup.Services.Tests.Strategies;

/// <summary>A strategy with a segment per client: the daily run, on both providers, puts each client's accounts in its own segment.</summary>
public sealed class ClientSegmentRunTests
{
    private static readonly DateOnly AsOf = new(2026, 11, 30);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 5, 0, 0, TimeSpan.Zero));

    private static readonly StrategyDefinition ByClient = new("By client", DunningLevel.Account,
    [
        new("Acme accounts", new SegmentCondition(Clients: ["acme"]), [new("champion", 100, [new("acme-call", StepAction.CallTask, DaysPastDue: 10, Priority: 1)])]),
        new("Globex and in-house", new SegmentCondition(Clients: ["GLOBEX"], NoClient: true), [new("champion", 100, [new("later-call", StepAction.CallTask, DaysPastDue: 20, Priority: 4)])]),
    ]);

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task TwoClientsAccounts_FollowDifferentSegments_AndAnAccountOfAClientNoSegmentNames_FollowsNone(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        await TestClients.AddAsync(database, "ACME", "GLOBEX", "INITECH");
        (string Debtor, string Client)[] debtors = [("A1", "ACME"), ("A2", "ACME"), ("G1", "GLOBEX"), ("N1", ""), ("I1", "INITECH")];
        var portfolio = new TestPortfolio()
            .DebtorsWithClient([.. debtors.Select(d => TestPortfolio.Person(d.Debtor) + "," + d.Client)])
            .Invoices([.. debtors.Select(d => $"{d.Debtor}-INV,{d.Debtor},2026-10-01,2026-11-05,300.00,USD")]);
        Assert.True((await new ImportPortfolio(database, _clock).RunAsync(portfolio.Folder)).Succeeded);
        await using (var seed = database.CreateContext())
        {
            foreach (var account in await seed.Accounts.Select(a => a.Id).ToListAsync())
            {
                seed.AccountAssignments.Add(new Recoup.Data.WorkQueues.AccountAssignment { AccountId = account.Value, Collector = "ana", AssignedAt = _clock.GetUtcNow(), AssignedBy = "test" });
            }

            await seed.SaveChangesAsync();
        }

        var (saved, errors) = await new StrategyStore(database, _clock).SaveAsync(DebtType.Consumer, ByClient, "test");
        Assert.True(saved is not null, string.Join("; ", errors.Select(e => e.Message)));

        var run = await DailyRunSetup.Create(database, _clock, null, batchSize: 2).RunAsync(AsOf, dryRun: false, "system:test");

        Assert.Null(run.Error);
        await using var db = database.CreateContext();
        var debtorOf = await db.AccountSummaries.AsNoTracking().ToDictionaryAsync(a => a.AccountId, a => a.DebtorExternalId);
        var segments = (await db.AccountStrategyStates.AsNoTracking().ToListAsync()).ToDictionary(s => debtorOf[s.AccountId.Value], s => s.Segment);
        Assert.Equal("Acme accounts", segments["A1"]);
        Assert.Equal("Acme accounts", segments["A2"]);
        Assert.Equal("Globex and in-house", segments["G1"]);
        Assert.Equal("Globex and in-house", segments["N1"]);
        Assert.False(segments.ContainsKey("I1"));
        Assert.Equal(2, run.Value!.BySegment["By client / Acme accounts / champion"]);
        Assert.Equal(2, run.Value.BySegment["By client / Globex and in-house / champion"]);
        var taken = await db.StrategyStepsTaken.AsNoTracking().Select(t => t.TakenKey).ToListAsync();
        Assert.Equal(2, taken.Count(k => k.StartsWith("acme-call|", StringComparison.Ordinal)));
        Assert.Equal(2, taken.Count(k => k.StartsWith("later-call|", StringComparison.Ordinal)));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task SavingAStrategyThatNamesAnUnknownClient_IsRefusedAtTheSegmentsClientsField(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        await TestClients.AddAsync(database, "ACME");
        var store = new StrategyStore(database, _clock);

        var unknown = await store.UnknownClientsAsync(["acme", "GLOBEX", "globex"]);

        Assert.Equal(["GLOBEX"], unknown);
    }
}
