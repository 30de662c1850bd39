using Recoup.Domain;
using Recoup.Domain.Debtors;
using Recoup.Domain.Reporting;
using Recoup.Domain.Strategies;
using Recoup.Services.Storage;
using Recoup.Services.Strategies;

namespace Recoup.Services.Reporting;

/// <summary>
/// The strategy performance section (R8 in the packs): the champion/challenger report's figures for every
/// debt type, segment, arm and currency as of the pack's date, under the report filter (docs/reports.md).
/// </summary>
public sealed partial class ReportPacks
{
    /// <summary>The section's columns; the p-values and the verdict are those of each challenger against its segment's champion.</summary>
    public static readonly IReadOnlyList<string> StrategyColumns =
    [
        "Debt type", "Segment", "Arm", "Currency", "Accounts", "Recovered", "Recovered per account", "Cure rate %", "Promise rate %",
        "Contacts", "Contact cost", "p (recovered)", "p (cure)", "p (promise)", "Significant at 95 %",
    ];

    private async Task<ReportTable> StrategyPerformanceAsync(ReportSql sql, DateOnly asOf, CancellationToken ct)
    {
        List<ReportSql.ArmGroup> groups;
        List<(DebtType DebtType, string Segment, string Arm, Currency Currency, string Action, int Steps)> contacts;
        if (database.Provider == DatabaseProvider.Postgres)
        {
            // On PostgreSQL the two queries run at once, each on its own connection (as the KPIs' do).
            var groupsTask = Task.Run(() => ReportTimings.TimeAsync(timings, "Strategy arms", () => sql.ArmGroupsAsync(asOf, ct)), ct);
            var contactsTask = Task.Run(() => ReportTimings.TimeAsync(timings, "Strategy contacts", () => sql.ArmContactsAsync(asOf, ct)), ct);
            await Task.WhenAll(groupsTask, contactsTask);
            (groups, contacts) = (groupsTask.Result, contactsTask.Result);
        }
        else
        {
            groups = await ReportTimings.TimeAsync(timings, "Strategy arms", () => sql.ArmGroupsAsync(asOf, ct));
            contacts = await ReportTimings.TimeAsync(timings, "Strategy contacts", () => sql.ArmContactsAsync(asOf, ct));
        }

        // The champion is the segment's first arm in the newest version of the strategy that has the segment
        // (a segment renamed or dropped since keeps its accounts' order); a run has stored the strategies once there are arms.
        var store = new StrategyStore(database, TimeProvider.System);
        var versions = new Dictionary<DebtType, IReadOnlyList<StoredStrategy>>();
        foreach (var type in groups.Select(g => g.DebtType).Distinct())
        {
            versions[type] = await store.VersionsAsync(type, ct);
        }

        IReadOnlyList<string>? ArmOrder(DebtType type, string segment) =>
            versions.TryGetValue(type, out var all)
                ? all.Select(v => v.Definition.Segments.FirstOrDefault(s => s.Name == segment)).FirstOrDefault(s => s is not null)?.Arms.Select(a => a.Name).ToList()
                : null;
        return StrategyPerformance(asOf, groups, contacts, ContactCosts, ArmOrder);
    }

    /// <summary>
    /// One row per debt type, segment, arm and currency: accounts, recovered and recovered per account, cure and
    /// promise rates, contacts and their cost; in a segment with several arms, each challenger's p-values against
    /// the champion (<see cref="ChallengerTests.Of"/>: Welch's t-test on recovered per account, the two-proportion
    /// z-test on the cure and promise rates) and which differences are significant at 95 %.
    /// </summary>
    internal static ReportTable StrategyPerformance(
        DateOnly asOf, IReadOnlyList<ReportSql.ArmGroup> groups, IReadOnlyList<(DebtType DebtType, string Segment, string Arm, Currency Currency, string Action, int Steps)> contacts,
        ContactCosts costs, Func<DebtType, string, IReadOnlyList<string>?> armOrder)
    {
        var actions = Enum.GetValues<StepAction>().ToDictionary(DailyRun.ActionName, a => a, StringComparer.Ordinal);
        var rows = new List<IReadOnlyList<object?>>();
        var segments = groups.GroupBy(g => (g.DebtType, g.Segment, g.Currency))
            .OrderBy(s => s.Key.DebtType).ThenBy(s => s.Key.Segment, StringComparer.Ordinal).ThenBy(s => s.Key.Currency.Code, StringComparer.Ordinal);
        foreach (var segment in segments)
        {
            var (type, name, currency) = segment.Key;
            var arms = ChampionChallengerReport.InArmOrder(segment, g => g.Arm, armOrder(type, name)).Select(g =>
            {
                var steps = contacts.Where(c => c.DebtType == type && c.Segment == name && c.Arm == g.Arm && c.Currency == currency && actions.ContainsKey(c.Action))
                    .GroupBy(c => actions[c.Action]).ToDictionary(c => c.Key, c => c.Sum(x => x.Steps));
                return new ArmFigures(g.Arm, g.Accounts, currency, g.RecoveredMinor, g.Cured, g.AccountsWithPromise, g.Promises, steps, costs.CostMinor(steps, currency),
                    SampleSummary.FromSums(g.Accounts, g.RecoveredMinor, g.RecoveredSquares));
            }).ToList();

            foreach (var arm in arms)
            {
                var tests = ReferenceEquals(arm, arms[0]) ? null : ChallengerTests.Of(arms[0], arm);
                string? verdict = arms.Count == 1 ? null : tests is null ? "champion" : Verdict(tests);
                rows.Add([
                    type.ToString().ToLowerInvariant(), name, arm.Arm, currency.Code, arm.Accounts,
                    ReportTable.Amount(new Money(arm.RecoveredMinor, currency)),
                    ReportTable.Amount(new Money(arm.Accounts == 0 ? 0 : (long)Math.Round((decimal)arm.RecoveredMinor / arm.Accounts, MidpointRounding.AwayFromZero), currency)),
                    Kpis.Round(Kpis.Percent(arm.Cured, arm.Accounts)), Kpis.Round(Kpis.Percent(arm.AccountsWithPromise, arm.Accounts)),
                    arm.Contacts.Values.Sum(), ReportTable.Amount(new Money(arm.CostMinor, currency)),
                    P(tests?.Recovered), P(tests?.Cure), P(tests?.Promise), verdict]);
            }
        }

        return new ReportTable($"Strategy performance {asOf:yyyy-MM-dd}", StrategyColumns, rows);
    }

    /// <summary>A p-value to four places; null (n/a) for the champion, a one-arm segment, or a test that could not be computed.</summary>
    internal static decimal? P(SignificanceTest? test) => test?.PValue is { } p ? Math.Round((decimal)p, 4, MidpointRounding.AwayFromZero) : null;

    /// <summary>The measures whose difference from the champion is significant ("recovered, cure rate"), "no", or "no test" when none could be computed.</summary>
    internal static string Verdict(ChallengerTests tests)
    {
        ArgumentNullException.ThrowIfNull(tests);
        (SignificanceTest Test, string Measure)[] all = [(tests.Recovered, "recovered"), (tests.Cure, "cure rate"), (tests.Promise, "promise rate")];
        if (all.All(t => t.Test.PValue is null))
        {
            return "no test";
        }

        var significant = all.Where(t => t.Test.Significant).Select(t => t.Measure).ToList();
        return significant.Count == 0 ? "no" : string.Join(", ", significant);
    }
}
