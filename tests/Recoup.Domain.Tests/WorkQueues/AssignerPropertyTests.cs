using CsCheck;
using Recoup.Domain.Debtors;
using Recoup.Domain.WorkQueues;
using static Recoup.Domain.Tests.WorkQueues.Candidates;

namespace Recoup.Domain.Tests.WorkQueues;

/// <summary>
/// Random candidates, rules and capacities, drawn from small sets of regions, languages and names so
/// that rules overlap, collectors fill up and some accounts belong to inactive or unknown collectors.
/// </summary>
public class AssignerPropertyTests
{
    private static readonly QueuePriorityWeights Weights = QueuePriorityWeights.Default;
    private static readonly string[] Names = ["ann", "bob", "cy", "dee", "eve"];

    private static readonly Gen<string?> AnyRegion = Gen.OneOf<string?>("TX", "ON", "QC", "CA", "tx", null);
    private static readonly Gen<long> AnyBalance = Gen.OneOf(Gen.Long[-20_000, 20_000_000], Gen.OneOf(0L, 100_000L, 1_000_000L));

    private static readonly Gen<Func<int, QueueCandidate>> AnyCandidate = Gen.Select(
        Gen.Enum<DebtType>(),
        AnyBalance,
        Gen.Int[0, 45].Nullable(0.2),
        Gen.Int[0, 31].Select(flags => (QueueSignals)flags),
        AnyRegion,
        Gen.OneOf("en", "es", "fr", "EN"),
        Gen.OneOf<string?>(null, null, "ann", "bob", "cy", "dee", "eve", "zed"),
        (debtType, balance, contact, signals, region, language, collector) =>
            new Func<int, QueueCandidate>(i => new QueueCandidate(Id(i), Id(i), debtType, balance, i % 200, contact, signals, (i * 37) % 101, region, language, collector)));

    private static readonly Gen<Func<int, AssignmentRule>> AnyRule = Gen.Select(
        Gen.Int[0, 3],
        Gen.Enum<DebtType>().Nullable(0.6),
        Gen.OneOf<long?>(null, 0L, 100_000L, 1_000_000L),
        Gen.OneOf<long?>(null, 100_000L, 1_000_000L, 10_000_000L),
        Gen.OneOf("TX", "ON", "QC", "qc").Array[0, 2],
        Gen.OneOf<string?>(null, null, "en", "es", "Es"),
        Gen.OneOf("ann", "bob", "cy", "dee", "eve", "zed").Array[0, 4],
        (order, debtType, min, max, regions, language, collectors) =>
            new Func<int, AssignmentRule>(i => new AssignmentRule(Id(900 + i), order, $"rule {i}", debtType, min, max,
                new HashSet<string>(regions, StringComparer.OrdinalIgnoreCase), language, collectors)));

    private static readonly Gen<CollectorCapacity[]> AnyCollectors =
        Gen.Select(Gen.Int[0, 15], Gen.Frequency((4, Gen.Const(true)), (1, Gen.Const(false)))).Array[Names.Length]
            .Select(picks => picks.Select((p, i) => new CollectorCapacity(Names[i], p.Item1, p.Item2)).ToArray());

    private static readonly Gen<(QueueCandidate[] Candidates, AssignmentRule[] Rules, CollectorCapacity[] Collectors)> AnyPortfolio =
        Gen.Select(AnyCandidate.Array[0, 120], AnyRule.Array[0, 5], AnyCollectors, (candidates, rules, collectors) => (
            candidates.Select((make, i) => make(i + 1)).ToArray(),
            rules.Select((make, i) => make(i)).ToArray(),
            collectors));

    /// <summary>The rule conditions, written again plainly, so the compiled matcher is checked against something independent.</summary>
    private static bool Holds(AssignmentRule rule, QueueCandidate c) =>
        (rule.DebtType is null || rule.DebtType == c.DebtType)
        && (rule.MinBalanceSortKey is null || c.BalanceSortKey >= rule.MinBalanceSortKey)
        && (rule.MaxBalanceSortKey is null || c.BalanceSortKey < rule.MaxBalanceSortKey)
        && (rule.Regions.Count == 0 || (c.Region is not null && rule.Regions.Select(r => r.ToUpperInvariant()).Contains(c.Region.ToUpperInvariant())))
        && (rule.Language is null || rule.Language.Equals(c.Language, StringComparison.OrdinalIgnoreCase));

    [Fact]
    public void Assign_KeepsAssignsOrExplains_EveryAccount_WithinCapacity() =>
        AnyPortfolio.Sample(portfolio =>
        {
            var (candidates, rules, collectors) = portfolio;
            var result = Assigner.Assign(candidates, rules, collectors, Weights);
            var byName = collectors.ToDictionary(c => c.UserName);
            var loads = result.Collectors.ToDictionary(c => c.UserName);
            var assigned = result.Assignments.ToDictionary(a => a.AccountId);
            var unassigned = result.Unassigned.ToDictionary(u => u.AccountId, u => u.Reason);
            var ordered = rules.OrderBy(r => r.Order).ThenBy(r => r.Id).ToArray();

            foreach (var load in result.Collectors)
            {
                Assert.True(load.Assigned == 0 || load.Total <= load.Capacity, $"{load.UserName} holds {load.Total} of {load.Capacity}");
                Assert.True(load.Active || load.Total == 0);
                Assert.Equal(candidates.Count(c => c.Collector == load.UserName && load.Active && c.BalanceSortKey > 0), load.Kept);
            }

            foreach (var c in candidates)
            {
                var isKept = c.Collector is not null && byName.TryGetValue(c.Collector, out var holder) && holder.Active;
                if (c.BalanceSortKey <= 0 || isKept)
                {
                    Assert.False(assigned.ContainsKey(c.AccountId) || unassigned.ContainsKey(c.AccountId));
                    continue;
                }

                var rule = ordered.FirstOrDefault(r => Holds(r, c));
                Assert.Equal(rule, ordered.FirstOrDefault(r => r.Matches(c)));
                if (rule is null)
                {
                    Assert.Equal(UnassignedReason.NoRule, unassigned[c.AccountId]);
                }
                else if (assigned.TryGetValue(c.AccountId, out var assignment))
                {
                    Assert.Equal(rule.Id, assignment.RuleId);
                    Assert.Contains(assignment.Collector, rule.Collectors);
                    Assert.True(byName[assignment.Collector].Active);
                }
                else
                {
                    Assert.Equal(UnassignedReason.Capacity, unassigned[c.AccountId]);
                    Assert.All(rule.Collectors.Where(n => byName.TryGetValue(n, out var k) && k.Active), n => Assert.True(loads[n].Total >= loads[n].Capacity));

                    // Whatever the rule gave away went to accounts ranked above this one.
                    Assert.All(result.Assignments.Where(a => a.RuleId == rule.Id), a =>
                        Assert.True(QueuePriority.Compare(candidates.Single(x => x.AccountId == a.AccountId), c, Weights) < 0));
                }
            }

            Assert.Equal(candidates.Length, result.Kept + result.NotQueueable + result.Assignments.Count + result.Unassigned.Count);
            Assert.Equal(result.Unassigned.Count(u => u.Reason == UnassignedReason.Capacity), result.UnassignedCount(UnassignedReason.Capacity));
            Assert.Equal(result.Assignments.Count, result.Collectors.Sum(c => c.Assigned));
        }, iter: 500);
}
