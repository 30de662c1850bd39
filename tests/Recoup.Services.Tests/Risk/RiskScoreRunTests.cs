using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Data.Disputes;
using Recoup.Data.Plans;
using Recoup.Data.WorkQueues;
using Recoup.Domain;
using Recoup.Domain.Debtors;
using Recoup.Domain.Disputes;
using Recoup.Domain.Ledger;
using Recoup.Domain.Plans;
using Recoup.Domain.Risk;
using Recoup.Domain.Strategies;
using Recoup.Services.Imports;
using Recoup.Services.Payments;
using Recoup.Services.Risk;
using Recoup.Services.Storage;
using Recoup.Services.Strategies;
using Recoup.Testing;

namespace Recoup.Services.Tests.Risk;

/// <summary>
/// The daily run scores every account from its history up to the run's date (docs/risk.md), stores the score once,
/// and uses it the same day: in the strategy's risk segments and in the collectors' queues — on both providers.
/// </summary>
/// <remarks>
/// Six debtors on 2026-11-30, each account's score worked out by hand from the table:
/// <list type="bullet">
/// <item>C1: everything paid on time (a late payment more than a year ago does not count), next invoice not yet due: 0.</item>
/// <item>L1: nothing past due, but two of its three invoices of the last year paid late (20) and a dispute open (10): 30.</item>
/// <item>B1: 25 days past due (10), its only invoice of the year late (20), two promises broken in the last 180 days (16) — one older and one after the date do not count: 46.</item>
/// <item>B2: 95 days past due (35), its invoice late (20), three promises broken (20): 75.</item>
/// <item>R1: paid on time, but the payment was reversed on the date (10), so 60 days past due (20): 30.</item>
/// <item>P1: as B1 without the broken promises: 25 days past due (10), its invoice late (20): 30.</item>
/// </list>
/// </remarks>
public sealed class RiskScoreRunTests
{
    private static readonly DateOnly AsOf = new(2026, 11, 30);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 5, 0, 0, TimeSpan.Zero));

    private static readonly Dictionary<string, int> ByHand = new(StringComparer.Ordinal)
    {
        ["C1"] = 0, ["L1"] = 20 + 10, ["B1"] = 10 + 20 + 16, ["B2"] = 35 + 20 + 20, ["R1"] = 20 + 10, ["P1"] = 10 + 20,
    };

    private static readonly StrategyDefinition ByRisk = new("By risk", DunningLevel.Account,
    [
        new("Risky", new SegmentCondition(RiskScoreFrom: 40), [new("champion", 100, [new("risk-call", StepAction.CallTask, DaysPastDue: -60, Priority: 1)])]),
        new("Everyone else", SegmentCondition.Any, [new("champion", 100, [new("later-call", StepAction.CallTask, DaysPastDue: 30, Priority: 4)])]),
    ]);

    /// <summary>The six debtors of the remarks, every account assigned to ana, the consumer strategy <see cref="ByRisk"/>; account ids by debtor id.</summary>
    private async Task<(RecoupDatabase Database, Dictionary<string, Guid> Accounts)> SeedAsync(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var portfolio = new TestPortfolio()
            .Debtors([.. ByHand.Keys.Select(id => TestPortfolio.Person(id))])
            .Invoices(
                "C1-OLD,C1,2025-09-01,2025-10-01,100.00,USD",
                "C1-A,C1,2026-05-01,2026-06-01,100.00,USD",
                "C1-B,C1,2026-11-01,2026-12-01,100.00,USD",
                "L1-A,L1,2026-05-01,2026-06-01,100.00,USD",
                "L1-B,L1,2026-06-01,2026-07-01,100.00,USD",
                "L1-C,L1,2026-07-01,2026-08-01,100.00,USD",
                "L1-D,L1,2026-11-01,2026-12-01,100.00,USD",
                "B1-A,B1,2026-10-01,2026-11-05,300.00,USD",
                "B2-A,B2,2026-07-28,2026-08-27,300.00,USD",
                "R1-A,R1,2026-09-01,2026-10-01,200.00,USD",
                "P1-A,P1,2026-10-01,2026-11-05,300.00,USD")
            .Payments(
                "CP-OLD,C1,2025-11-15,100.00,USD,C1-OLD",
                "CP-A,C1,2026-05-20,100.00,USD,C1-A",
                "LP-A,L1,2026-06-20,100.00,USD,L1-A",
                "LP-B,L1,2026-07-25,100.00,USD,L1-B",
                "LP-C,L1,2026-07-30,100.00,USD,L1-C",
                "RP-A,R1,2026-09-25,200.00,USD,R1-A");
        Assert.True((await new ImportPortfolio(database, _clock).RunAsync(portfolio.Folder)).Succeeded);

        await using var db = database.CreateContext();
        var accounts = await db.AccountSummaries.AsNoTracking().ToDictionaryAsync(s => s.DebtorExternalId, s => s.AccountId);
        var debtors = await db.Accounts.AsNoTracking().ToDictionaryAsync(a => a.Id.Value, a => a.DebtorId);
        db.CollectorProfiles.Add(new CollectorProfile { UserName = "ana", Capacity = 100 });
        foreach (var account in accounts.Values)
        {
            db.AccountAssignments.Add(new AccountAssignment { AccountId = account, Collector = "ana", AssignedAt = _clock.GetUtcNow(), AssignedBy = "test" });
        }

        void Broken(string debtor, DateOnly resolvedOn) => db.Promises.Add(new PromiseRecord
        {
            Id = Guid.NewGuid(), AccountId = new AccountId(accounts[debtor]), DebtorId = debtors[accounts[debtor]], Currency = Currency.USD, AmountMinor = 5_000,
            TakenOn = resolvedOn.AddDays(-10), PromisedFor = resolvedOn.AddDays(-3), Channel = "call", TakenBy = "ana",
            TakenAt = new DateTimeOffset(resolvedOn.AddDays(-10).ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero), Status = PromiseStatus.Broken, ResolvedOn = resolvedOn,
        });
        Broken("B1", new DateOnly(2026, 11, 10));
        Broken("B1", new DateOnly(2026, 11, 20));
        Broken("B1", new DateOnly(2026, 5, 1)); // more than 180 days before the date
        Broken("B1", new DateOnly(2026, 12, 5)); // after the date
        Broken("B2", new DateOnly(2026, 9, 1));
        Broken("B2", new DateOnly(2026, 10, 1));
        Broken("B2", new DateOnly(2026, 11, 1));

        void Dispute(string debtor, DateOnly openedOn, DateOnly? resolvedOn) => db.Disputes.Add(new DisputeRecord
        {
            Id = Guid.NewGuid(), AccountId = new AccountId(accounts[debtor]), DebtorId = debtors[accounts[debtor]], Currency = Currency.USD, AmountMinor = 1_000,
            Reason = DisputeReason.WrongAmount, Source = DisputeSource.Collector, Department = DisputeDepartment.Billing, Description = "Charged twice for delivery",
            OpenedOn = openedOn, OpenedAt = new DateTimeOffset(openedOn.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero), OpenedBy = "ana", DueOn = openedOn.AddDays(30),
            Status = resolvedOn is null ? DisputeStatus.Open : DisputeStatus.Rejected, ResolvedOn = resolvedOn,
        });
        Dispute("L1", new DateOnly(2026, 11, 20), null);
        Dispute("C1", new DateOnly(2026, 9, 1), new DateOnly(2026, 9, 20)); // resolved before the date
        await db.SaveChangesAsync();

        var r1 = new AccountId(accounts["R1"]);
        var payment = await db.LedgerEntries.AsNoTracking().Where(e => e.AccountId == r1 && e.Kind == EntryKind.Payment).Select(e => e.Id).SingleAsync();
        var reversed = await new ReversePayment(database, _clock).RunAsync(r1, payment, "check returned unpaid", "sam", null, null);
        Assert.True(reversed.IsSuccess, reversed.Error?.Message);
        var (saved, errors) = await new StrategyStore(database, _clock).SaveAsync(DebtType.Consumer, ByRisk, "test");
        Assert.True(saved is not null, string.Join("; ", errors.Select(e => e.Message)));
        return (database, accounts);
    }

    private DailyRun Run(RecoupDatabase database) => DailyRunSetup.Create(database, _clock, null, batchSize: 4);

    private static async Task<Dictionary<Guid, (short Score, string Reasons, DateOnly ScoredOn)>> StoredAsync(RecoupDatabase database)
    {
        await using var db = database.CreateContext();
        return await db.AccountRiskScores.AsNoTracking().ToDictionaryAsync(r => r.AccountId, r => (r.Score, r.Reasons, r.ScoredOn));
    }

    /// <summary>Key and value pairs in key order, so that two dictionaries compare whatever order their rows came in.</summary>
    private static List<(TKey, TValue)> Sorted<TKey, TValue>(IEnumerable<KeyValuePair<TKey, TValue>> pairs) =>
        pairs.OrderBy(p => p.Key).Select(p => (p.Key, p.Value)).ToList();

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AfterARun_EveryAccountHasTheScoreItsHistoryUpToTheDateGives_WithItsReasons(DatabaseProvider provider)
    {
        var (database, accounts) = await SeedAsync(provider);

        var run = await Run(database).RunAsync(AsOf, dryRun: false, "system:test");

        Assert.Null(run.Error);
        var stored = await StoredAsync(database);
        var fromRows = await ScoresFromTheRawRowsAsync(database, AsOf);
        Assert.Equal(Sorted(ByHand), Sorted(accounts.ToDictionary(a => a.Key, a => (int)stored[a.Value].Score, StringComparer.Ordinal)));
        Assert.Equal(Sorted(fromRows), Sorted(stored.ToDictionary(s => s.Key, s => (int)s.Value.Score)));
        Assert.All(stored.Values, s => Assert.Equal(AsOf, s.ScoredOn));
        var b1 = JsonSerializer.Deserialize<List<JsonElement>>(stored[accounts["B1"]].Reasons)!
            .Select(r => (r.GetProperty("code").GetString(), r.GetProperty("points").GetInt32(), r.GetProperty("text").GetString())).ToList();
        (string?, int, string?)[] expected =
        [
            ("late_payments", 20, "1 of 1 invoice due in the last 12 months not paid in full by the due date"),
            ("broken_promises", 16, "2 broken promises to pay in the last 180 days"),
            ("past_due", 10, "Oldest open invoice 1–30 days past due"),
        ];
        Assert.Equal(expected, b1);
        Assert.Equal("[]", stored[accounts["C1"]].Reasons);

        var page = await new AccountRiskScores(database).GetAsync(new AccountId(accounts["R1"]));
        Assert.Equal((30, AsOf), (page!.Score, page.ScoredOn));
        Assert.Equal(["past_due", "returned_payments"], page.Reasons.Select(r => r.Code));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ASegmentFromRiskScore40_TakesExactlyTheRiskyAccounts_InADryRunAndInTheRun(DatabaseProvider provider)
    {
        var (database, accounts) = await SeedAsync(provider);

        var dry = await Run(database).RunAsync(AsOf, dryRun: true, "system:test");
        var scoredByTheDryRun = (await StoredAsync(database)).Count;
        var run = await Run(database).RunAsync(AsOf, dryRun: false, "system:test");

        Assert.Equal(2, dry.Value!.BySegment["By risk / Risky / champion"]);
        Assert.Equal(0, scoredByTheDryRun);
        Assert.Equal(2, run.Value!.BySegment["By risk / Risky / champion"]);
        await using var db = database.CreateContext();
        var debtorOf = accounts.ToDictionary(a => a.Value, a => a.Key);
        var risky = (await db.AccountStrategyStates.AsNoTracking().Where(s => s.Segment == "Risky").Select(s => s.AccountId).ToListAsync())
            .Select(a => debtorOf[a.Value]).Order(StringComparer.Ordinal);
        Assert.Equal(ByHand.Where(s => s.Value >= 40).Select(s => s.Key).Order(StringComparer.Ordinal), risky);
        Assert.Equal(["B1", "B2"], risky);
        Assert.Equal(4, await db.AccountStrategyStates.CountAsync(s => s.Segment == "Everyone else"));
        var riskCalls = await db.StrategyStepsTaken.AsNoTracking().Where(t => t.StepKey == "risk-call").Select(t => t.AccountId).ToListAsync();
        Assert.Equal(["B1", "B2"], riskCalls.Select(a => debtorOf[a.Value]).Order(StringComparer.Ordinal));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task OfTwoAccountsAlikeButForBrokenPromises_TheRiskierComesFirstInTheQueue_By20PointsPerPointOfRisk(DatabaseProvider provider)
    {
        var (database, accounts) = await SeedAsync(provider);

        var run = await Run(database).RunAsync(AsOf, dryRun: false, "system:test");

        Assert.Null(run.Error);
        await using var db = database.CreateContext();
        var queue = await db.WorkQueueEntries.AsNoTracking().Where(e => e.Collector == "ana").ToListAsync();
        var order = queue.OrderByDescending(e => e.Priority).Select(e => e.AccountId).ToList();
        var (b1, p1) = (queue.Single(e => e.AccountId == accounts["B1"]), queue.Single(e => e.AccountId == accounts["P1"]));
        Assert.True(order.IndexOf(b1.AccountId) < order.IndexOf(p1.AccountId));
        Assert.Equal(20 * (ByHand["B1"] - ByHand["P1"]), b1.Priority - p1.Priority);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ASecondRunForTheSameDate_WritesNoNewScore_AndTheNextDayMovesOnlyTheScoreThatChanged(DatabaseProvider provider)
    {
        var (database, accounts) = await SeedAsync(provider);

        await Run(database).RunAsync(AsOf, dryRun: false, "system:test");
        var first = await StoredAsync(database);
        await Run(database).RunAsync(AsOf, dryRun: false, "system:test");
        var second = await StoredAsync(database);
        _clock.Advance(TimeSpan.FromDays(1));
        await Run(database).RunAsync(AsOf.AddDays(1), dryRun: false, "system:test");
        var nextDay = await StoredAsync(database);

        Assert.Equal(accounts.Count, first.Count);
        Assert.Equal(Sorted(first), Sorted(second));
        // R1 is 61 days past due on 1 December: the next band (28 instead of 20). Nothing else changes band.
        Assert.Equal((38, AsOf.AddDays(1)), ((int)nextDay[accounts["R1"]].Score, nextDay[accounts["R1"]].ScoredOn));
        Assert.Equal(Sorted(first.Where(s => s.Key != accounts["R1"])), Sorted(nextDay.Where(s => s.Key != accounts["R1"])));
        Assert.Equal(Sorted(await ScoresFromTheRawRowsAsync(database, AsOf.AddDays(1))), Sorted(nextDay.ToDictionary(s => s.Key, s => (int)s.Value.Score)));
    }

    /// <summary>
    /// Each account's score worked out from every row in memory: the ledger's allocations replayed per invoice, the
    /// reversals matched to their payments, the promises and disputes filtered by their dates.
    /// </summary>
    private static async Task<Dictionary<Guid, int>> ScoresFromTheRawRowsAsync(RecoupDatabase database, DateOnly asOf)
    {
        await using var db = database.CreateContext();
        var accounts = await db.Accounts.AsNoTracking().Select(a => a.Id).ToListAsync();
        var invoices = await db.Invoices.AsNoTracking().Select(i => new { i.Id, i.AccountId, i.DueDate }).ToListAsync();
        var allocations = await db.Allocations.AsNoTracking().Where(a => a.InvoiceId != null).Select(a => new { a.InvoiceId, a.EffectiveDate, a.AmountMinor }).ToListAsync();
        var entries = await db.LedgerEntries.AsNoTracking().Select(e => new { e.Id, e.AccountId, e.Kind, e.EffectiveDate, e.ReversesEntryId }).ToListAsync();
        var kinds = entries.ToDictionary(e => e.Id, e => e.Kind);
        var promises = await db.Promises.AsNoTracking().ToListAsync();
        var disputes = await db.Disputes.AsNoTracking().ToListAsync();
        var lookbackFrom = asOf.AddDays(-180);
        long OpenAtEndOf(InvoiceId invoice, DateOnly day) => allocations.Where(a => a.InvoiceId == invoice && a.EffectiveDate <= day).Sum(a => a.AmountMinor);

        return accounts.ToDictionary(a => a.Value, account =>
        {
            var mine = invoices.Where(i => i.AccountId == account).ToList();
            var fellDue = mine.Where(i => i.DueDate < asOf && i.DueDate >= asOf.AddDays(-365)).ToList();
            var inputs = new RiskInputs(
                DaysPastDue: mine.Where(i => i.DueDate < asOf && OpenAtEndOf(i.Id, asOf) > 0).Select(i => asOf.DayNumber - i.DueDate.DayNumber).DefaultIfEmpty(0).Max(),
                BrokenPromises: promises.Count(p => p.AccountId == account && p.Status == PromiseStatus.Broken && p.ResolvedOn > lookbackFrom && p.ResolvedOn <= asOf),
                ReturnedPayments: entries.Count(e => e.AccountId == account && e.Kind == EntryKind.Reversal && e.ReversesEntryId is { } original
                    && kinds[original] == EntryKind.Payment && e.EffectiveDate > lookbackFrom && e.EffectiveDate <= asOf),
                InvoicesDue: fellDue.Count,
                InvoicesPaidLate: fellDue.Count(i => OpenAtEndOf(i.Id, i.DueDate) > 0),
                OpenDisputes: disputes.Count(d => d.AccountId == account && d.OpenedOn <= asOf && (d.ResolvedOn is null || d.ResolvedOn > asOf)));
            return RiskScorecard.Assess(inputs).Score;
        });
    }
}
