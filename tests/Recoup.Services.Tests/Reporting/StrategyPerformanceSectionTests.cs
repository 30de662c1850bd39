using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Data.Plans;
using Recoup.Data.WorkQueues;
using Recoup.Domain;
using Recoup.Domain.Debtors;
using Recoup.Domain.Ledger;
using Recoup.Domain.Plans;
using Recoup.Domain.Reporting;
using Recoup.Domain.Strategies;
using Recoup.Services.Imports;
using Recoup.Services.Payments;
using Recoup.Services.Reporting;
using Recoup.Services.Storage;
using Recoup.Services.Strategies;
using Recoup.Testing;

namespace Recoup.Services.Tests.Reporting;

/// <summary>
/// The strategy performance section of the packs after two real daily runs over a split segment: every figure
/// against one the test computes from the raw rows (states, steps, ledger, allocations, promises), a client
/// filter, and a payment after the as-of date — on both providers; and the section in the XLSX and PDF.
/// </summary>
public sealed class StrategyPerformanceSectionTests
{
    private static readonly DateOnly November30 = new(2026, 11, 30);
    private static readonly string[] ArmOrder = ["champion", "challenger"];
    private static readonly IReadOnlyDictionary<string, long> CostMinor = new Dictionary<string, long>(StringComparer.Ordinal)
    {
        ["letter"] = 85, ["email"] = 1, ["sms"] = 5, ["call_task"] = 250,
    };

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 10, 1, 5, 0, 0, TimeSpan.Zero));

    /// <summary>ACME's and GLOBEX's accounts share a segment split 50/50; in-house accounts (no client) have a one-arm segment.</summary>
    private static readonly StrategyDefinition Split = new("Split test", DunningLevel.Account,
    [
        new("Placed", new SegmentCondition(Clients: ["ACME", "GLOBEX"]),
        [
            new("champion", 50, [new("early-call", StepAction.CallTask, DaysPastDue: 5, Priority: 2), new("late-call", StepAction.CallTask, DaysPastDue: 30, Priority: 1)]),
            new("challenger", 50, [new("first-call", StepAction.CallTask, DaysPastDue: 5, Priority: 1)]),
        ]),
        new("In-house", new SegmentCondition(NoClient: true), [new("champion", 100, [new("house-call", StepAction.CallTask, DaysPastDue: 10, Priority: 3)])]),
    ]);

    private sealed record Seeded(RecoupDatabase Database, Dictionary<string, AccountId> Accounts, Dictionary<string, string> ClientOf);

    /// <summary>
    /// Ten ACME and ten GLOBEX debtors, four in-house (N04's invoice falls due later, so it has no step yet); runs on
    /// 10 October and 5 November; payments before and after the accounts' assignment, a reversed one, promises.
    /// </summary>
    private async Task<Seeded> SeedAsync(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        await TestClients.AddAsync(database, "ACME", "GLOBEX");
        var clientOf = Enumerable.Range(1, 10).SelectMany(n => new[] { ($"A{n:00}", "ACME"), ($"G{n:00}", "GLOBEX") })
            .Concat(Enumerable.Range(1, 4).Select(n => ($"N{n:00}", ""))).ToDictionary(d => d.Item1, d => d.Item2);
        var portfolio = new TestPortfolio()
            .DebtorsWithClient([.. clientOf.Select(d => TestPortfolio.Person(d.Key) + "," + d.Value)])
            .Invoices([.. clientOf.Keys.Select(d => $"{d}-INV,{d},2026-09-01,{(d == "N04" ? "2026-10-30" : "2026-10-01")},200.00,USD")]);
        Assert.True((await new ImportPortfolio(database, _clock).RunAsync(portfolio.Folder)).Succeeded);

        Dictionary<string, AccountId> accounts;
        await using (var db = database.CreateContext())
        {
            accounts = (await db.AccountSummaries.Select(s => new { s.DebtorExternalId, s.AccountId }).ToListAsync())
                .ToDictionary(s => s.DebtorExternalId, s => new AccountId(s.AccountId));
            foreach (var (debtor, account) in accounts)
            {
                db.AccountAssignments.Add(new AccountAssignment { AccountId = account.Value, Collector = clientOf[debtor] == "ACME" ? "ana" : "ben", AssignedAt = _clock.GetUtcNow(), AssignedBy = "test" });
            }

            await db.SaveChangesAsync();
        }

        var (saved, errors) = await new StrategyStore(database, _clock).SaveAsync(DebtType.Consumer, Split, "test");
        Assert.True(saved is not null, string.Join("; ", errors.Select(e => e.Message)));
        foreach (var day in new[] { new DateOnly(2026, 10, 10), new DateOnly(2026, 11, 5) })
        {
            _clock.SetUtcNow(new DateTimeOffset(day.ToDateTime(new TimeOnly(5, 0)), TimeSpan.Zero));
            var run = await DailyRunSetup.Create(database, _clock, null, batchSize: 5).RunAsync(day, dryRun: false, "system:test");
            Assert.Null(run.Error);
        }

        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        var post = new PostPayment(database, _clock);
        async Task<PostedPayment> Pay(string debtor, decimal amount, DateOnly on)
        {
            var posted = await post.RunAsync(new PostPaymentRequest(accounts[debtor], amount, on, "cash", null, null, null), "ana");
            Assert.True(posted.IsSuccess, posted.Error?.Message);
            return posted.Value;
        }

        await Pay("A01", 200m, new DateOnly(2026, 11, 10));
        await Pay("A02", 50m, new DateOnly(2026, 10, 5)); // before the account's assignment on 10 October
        await Pay("A03", 80m, new DateOnly(2026, 11, 12));
        await Pay("A05", 200m, new DateOnly(2026, 10, 28));
        await Pay("A07", 15.5m, new DateOnly(2026, 11, 1));
        var bounced = await Pay("A04", 120m, new DateOnly(2026, 10, 20));
        Assert.True((await new ReversePayment(database, _clock).RunAsync(accounts["A04"], bounced.EntryId, "check returned unpaid", "ana", null, null)).IsSuccess);
        await Pay("G01", 200m, new DateOnly(2026, 11, 3));
        await Pay("G02", 30m, new DateOnly(2026, 11, 25));
        await Pay("G04", 199.99m, new DateOnly(2026, 10, 15));
        await Pay("G06", 200m, new DateOnly(2026, 11, 20));
        await Pay("N01", 200m, new DateOnly(2026, 11, 8));
        await Pay("N04", 60m, new DateOnly(2026, 11, 9));

        await using (var db = database.CreateContext())
        {
            var debtorOf = await db.Accounts.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.DebtorId);
            void Promise(string debtor, DateOnly takenOn) => db.Promises.Add(new PromiseRecord
            {
                Id = Guid.NewGuid(), AccountId = accounts[debtor], DebtorId = debtorOf[accounts[debtor]], Currency = Currency.USD, AmountMinor = 5000,
                PromisedFor = takenOn.AddDays(7), TakenOn = takenOn, Channel = "call", TakenBy = "ana", TakenAt = _clock.GetUtcNow(), Status = PromiseStatus.Pending,
            });
            Promise("A01", new DateOnly(2026, 10, 15));
            Promise("A06", new DateOnly(2026, 10, 1)); // before its assignment
            Promise("A06", new DateOnly(2026, 11, 2));
            Promise("A08", new DateOnly(2026, 11, 3));
            Promise("A08", new DateOnly(2026, 11, 4));
            Promise("G03", new DateOnly(2026, 11, 20));
            Promise("G05", new DateOnly(2026, 10, 12));
            Promise("G07", new DateOnly(2026, 12, 5)); // after the as-of date
            Promise("N02", new DateOnly(2026, 11, 25));
            await db.SaveChangesAsync();
        }

        return new Seeded(database, accounts, clientOf);
    }

    /// <summary>The section's rows computed from the raw rows, for the accounts <paramref name="selected"/> keeps.</summary>
    private static async Task<List<object?[]>> ExpectedAsync(RecoupDatabase database, DateOnly asOf, Func<AccountId, bool> selected)
    {
        await using var db = database.CreateContext();
        var states = (await db.AccountStrategyStates.AsNoTracking().ToListAsync()).Where(s => selected(s.AccountId)).ToList();
        var steps = await db.StrategyStepsTaken.AsNoTracking().ToListAsync();
        var currencyOf = await db.Accounts.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.Currency);
        var entries = await db.LedgerEntries.AsNoTracking().ToListAsync();
        var kindOf = entries.ToDictionary(e => e.Id, e => e.Kind);
        var allocations = (await db.Allocations.AsNoTracking().ToListAsync()).Where(a => a.InvoiceId is not null).ToList();
        var dueOf = await db.Invoices.AsNoTracking().ToDictionaryAsync(i => i.Id, i => i.DueDate);
        var promises = await db.Promises.AsNoTracking().ToListAsync();

        var members = states.Select(s =>
        {
            var mine = steps.Where(t => t.AccountId == s.AccountId && t.Segment == s.Segment && t.Arm == s.Arm).ToList();
            return (State: s, Since: mine.Count == 0 ? s.LastRunOn : mine.Min(t => t.AsOf), Currency: currencyOf[s.AccountId]);
        }).Where(m => m.Since <= asOf).ToList();

        long Recovered((Data.Strategies.AccountStrategyState State, DateOnly Since, Currency Currency) m) => -entries
            .Where(e => e.AccountId == m.State.AccountId && e.EffectiveDate >= m.Since && e.EffectiveDate <= asOf)
            .Where(e => e.Kind == EntryKind.Payment || (e.Kind == EntryKind.Reversal && e.ReversesEntryId is { } r && kindOf[r] == EntryKind.Payment))
            .Sum(e => e.AmountMinor);
        bool Cured((Data.Strategies.AccountStrategyState State, DateOnly Since, Currency Currency) m) => !allocations
            .Where(a => a.AccountId == m.State.AccountId && a.EffectiveDate <= asOf && dueOf[a.InvoiceId!.Value] < asOf)
            .GroupBy(a => a.InvoiceId).Any(g => g.Sum(a => a.AmountMinor) > 0);
        int Promises((Data.Strategies.AccountStrategyState State, DateOnly Since, Currency Currency) m) =>
            promises.Count(p => p.AccountId == m.State.AccountId && p.TakenOn >= m.Since && p.TakenOn <= asOf);
        List<Data.Strategies.StrategyStepTaken> Done((Data.Strategies.AccountStrategyState State, DateOnly Since, Currency Currency) m) =>
            steps.Where(t => t.AccountId == m.State.AccountId && t.Segment == m.State.Segment && t.Arm == m.State.Arm && t.Outcome == "done" && t.AsOf <= asOf).ToList();

        var rows = new List<object?[]>();
        foreach (var segment in members.GroupBy(m => (m.State.DebtType, m.State.Segment, m.Currency)).OrderBy(g => g.Key.DebtType).ThenBy(g => g.Key.Segment, StringComparer.Ordinal))
        {
            var arms = segment.GroupBy(m => m.State.Arm).OrderBy(g => Array.IndexOf(ArmOrder, g.Key)).Select(g => (
                Arm: g.Key,
                Accounts: g.Count(),
                Amounts: g.Select(Recovered).ToList(),
                Cured: g.Count(Cured),
                WithPromise: g.Count(m => Promises(m) > 0),
                Steps: g.SelectMany(Done).ToList())).ToList();
            var champion = arms[0];
            foreach (var arm in arms)
            {
                var challenger = arm.Arm != champion.Arm;
                var recovered = challenger ? ArmComparison.WelchTTest(SampleSummary.Of(champion.Amounts.Select(a => (double)a)), SampleSummary.Of(arm.Amounts.Select(a => (double)a))) : null;
                var cure = challenger ? ArmComparison.TwoProportionZTest(champion.Cured, champion.Accounts, arm.Cured, arm.Accounts) : null;
                var promise = challenger ? ArmComparison.TwoProportionZTest(champion.WithPromise, champion.Accounts, arm.WithPromise, arm.Accounts) : null;
                decimal? P(SignificanceTest? t) => t?.PValue is { } p ? Math.Round((decimal)p, 4, MidpointRounding.AwayFromZero) : null;
                string? verdict = arms.Count == 1 ? null : !challenger ? "champion"
                    : new[] { recovered!, cure!, promise! }.All(t => t.PValue is null) ? "no test"
                    : string.Join(", ", new[] { (recovered!, "recovered"), (cure!, "cure rate"), (promise!, "promise rate") }.Where(t => t.Item1.Significant).Select(t => t.Item2)) is { Length: > 0 } named ? named : "no";
                var total = arm.Amounts.Sum();
                rows.Add([
                    segment.Key.DebtType.ToString().ToLowerInvariant(), segment.Key.Segment, arm.Arm, segment.Key.Currency.Code, arm.Accounts,
                    total / 100m, Math.Round((decimal)total / arm.Accounts, MidpointRounding.AwayFromZero) / 100m,
                    Kpis.Round((decimal)arm.Cured / arm.Accounts * 100), Kpis.Round((decimal)arm.WithPromise / arm.Accounts * 100),
                    arm.Steps.Count, arm.Steps.Sum(t => CostMinor.GetValueOrDefault(t.Action)) / 100m, P(recovered), P(cure), P(promise), verdict]);
            }
        }

        return rows;
    }

    private static ReportTable Section(ReportPack pack, DateOnly asOf) => pack.Tables.Single(t => t.Title == $"Strategy performance {asOf:yyyy-MM-dd}");

    private static void AssertRows(List<object?[]> expected, ReportTable actual)
    {
        Assert.Equal(ReportPacks.StrategyColumns, actual.Columns);
        Assert.Equal(expected.Count, actual.Rows.Count);
        for (var r = 0; r < expected.Count; r++)
        {
            Assert.Equal(expected[r], actual.Rows[r].ToArray());
        }
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Every_figure_of_each_arm_is_what_the_raw_rows_say_with_the_challenger_tested_against_the_champion(DatabaseProvider provider)
    {
        var seeded = await SeedAsync(provider);

        var table = Section(await new ReportPacks(seeded.Database).BuildAsync(PackKind.Monthly, November30), November30);

        AssertRows(await ExpectedAsync(seeded.Database, November30, _ => true), table);
        Assert.Equal(["In-house champion", "Placed champion", "Placed challenger"], table.Rows.Select(r => $"{r[1]} {r[2]}"));
        Assert.Equal(24, table.Rows.Sum(r => (int)r[4]!));
        Assert.Null(table.Rows[0][14]); // one arm: nothing to test
        Assert.Equal("champion", table.Rows[1][14]);
        Assert.True(table.Rows.Sum(r => (decimal)r[5]!) > 0);
        Assert.True(table.Rows.Sum(r => (int)r[9]!) >= 20); // each placed account had its first call on 10 October

        // The same arms and figures as the champion/challenger screen's report for that segment.
        var report = await new ChampionChallengerReport(seeded.Database, ContactCosts.Default).RunAsync(DebtType.Consumer, "Placed", November30, armOrder: ArmOrder);
        Assert.Equal(report.Arms.Select(a => (a.Arm, a.Accounts, a.RecoveredMinor / 100m, (int)a.Contacts.Values.Sum())), table.Rows.Skip(1).Select(r => ((string)r[2]!, (int)r[4]!, (decimal)r[5]!, (int)r[9]!)));
        Assert.Equal(ChampionChallengerTableP(report.Tests[0].Cure), table.Rows[2][12]);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_client_filter_keeps_only_that_client_s_accounts(DatabaseProvider provider)
    {
        var seeded = await SeedAsync(provider);
        var acme = seeded.Accounts.Where(a => seeded.ClientOf[a.Key] == "ACME").Select(a => a.Value).ToHashSet();

        var table = Section(await new ReportPacks(seeded.Database).BuildAsync(PackKind.Monthly, November30, new ReportFilter(Client: "acme")), November30);

        AssertRows(await ExpectedAsync(seeded.Database, November30, acme.Contains), table);
        Assert.All(table.Rows, r => Assert.Equal("Placed", r[1]));
        Assert.Equal(10, table.Rows.Sum(r => (int)r[4]!));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_payment_after_the_as_of_date_does_not_count_until_a_later_date(DatabaseProvider provider)
    {
        var seeded = await SeedAsync(provider);
        var november15 = new DateOnly(2026, 11, 15);
        var packs = new ReportPacks(seeded.Database);
        var before = Section(await packs.BuildAsync(PackKind.Weekly, november15), november15);
        var before30 = Section(await packs.BuildAsync(PackKind.Monthly, November30), November30);
        AssertRows(await ExpectedAsync(seeded.Database, november15, _ => true), before);

        // G08 pays its whole invoice on 18 November: the report as of the 15th does not move; as of the 30th its arm has 200.00 more.
        var paid = await new PostPayment(seeded.Database, _clock).RunAsync(new PostPaymentRequest(seeded.Accounts["G08"], 200m, new DateOnly(2026, 11, 18), "cash", null, null, null), "ana");
        Assert.True(paid.IsSuccess, paid.Error?.Message);
        var after = Section(await packs.BuildAsync(PackKind.Weekly, november15), november15);
        var after30 = Section(await packs.BuildAsync(PackKind.Monthly, November30), November30);

        Assert.Equal(before.Rows.Select(r => r.ToArray()), after.Rows.Select(r => r.ToArray()));
        AssertRows(await ExpectedAsync(seeded.Database, November30, _ => true), after30);
        await using var db = seeded.Database.CreateContext();
        var arm = (await db.AccountStrategyStates.AsNoTracking().SingleAsync(s => s.AccountId == seeded.Accounts["G08"])).Arm;
        object?[] Row(ReportTable table) => table.Rows.Single(r => (string)r[1]! == "Placed" && (string)r[2]! == arm).ToArray();
        Assert.Equal((decimal)Row(before30)[5]! + 200.00m, Row(after30)[5]);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_segment_dropped_from_the_live_strategy_keeps_its_champion_first(DatabaseProvider provider)
    {
        var seeded = await SeedAsync(provider);
        var withoutPlaced = Split with { Segments = [Split.Segments[1] with { When = SegmentCondition.Any }] };
        var (saved, errors) = await new StrategyStore(seeded.Database, _clock).SaveAsync(DebtType.Consumer, withoutPlaced, "test");
        Assert.True(saved is not null, string.Join("; ", errors.Select(e => e.Message)));

        var table = Section(await new ReportPacks(seeded.Database).BuildAsync(PackKind.Monthly, November30), November30);

        Assert.Equal(["champion", "challenger"], table.Rows.Where(r => (string)r[1]! == "Placed").Select(r => (string)r[2]!));
        AssertRows(await ExpectedAsync(seeded.Database, November30, _ => true), table);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_section_s_numbers_are_in_the_xlsx_read_back_with_MiniExcel_and_in_the_pdf_read_back_with_PdfPig(DatabaseProvider provider)
    {
        var seeded = await SeedAsync(provider);
        var pack = await new ReportPacks(seeded.Database).BuildAsync(PackKind.Monthly, November30);

        Assert.Equal("Strategy performance 2026-11-30", pack.Tables[^1].Title);
        Assert.Contains(Section(pack, November30).Rows, r => r[5] is decimal and > 0 && r[12] is decimal);
        ReportPackTests.AssertExportsCarry(pack);
    }

    private static decimal? ChampionChallengerTableP(SignificanceTest test) => test.PValue is { } p ? Math.Round((decimal)p, 4, MidpointRounding.AwayFromZero) : null;
}
