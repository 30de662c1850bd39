using Recoup.Domain.Debtors;
using Recoup.Domain.WorkQueues;
using static Recoup.Domain.Tests.WorkQueues.Candidates;

namespace Recoup.Domain.Tests.WorkQueues;

public class AssignerTests
{
    private static readonly QueuePriorityWeights Weights = QueuePriorityWeights.Default;

    private static AssignmentResult Assign(QueueCandidate[] candidates, AssignmentRule[] rules, params CollectorCapacity[] collectors) =>
        Assigner.Assign(candidates, rules, collectors, Weights);

    /// <summary>Where each candidate went: a collector's name, <c>kept:name</c>, or the unassigned reason's code.</summary>
    private static string Outcome(AssignmentResult result, QueueCandidate candidate)
    {
        foreach (var assignment in result.Assignments)
        {
            if (assignment.AccountId == candidate.AccountId)
            {
                return assignment.Collector;
            }
        }

        foreach (var unassigned in result.Unassigned)
        {
            if (unassigned.AccountId == candidate.AccountId)
            {
                return unassigned.Reason.Code();
            }
        }

        return "kept or not queueable";
    }

    private static Dictionary<string, int> Totals(AssignmentResult result) => result.Collectors.ToDictionary(c => c.UserName, c => c.Total);

    [Theory]
    [InlineData(1, 2, "ann")]
    [InlineData(2, 1, "bob")]
    public void Rules_AreTriedByOrder_NotByListPosition(int annOrder, int bobOrder, string expected)
    {
        AssignmentRule[] rules = [ARule("bob's", ["bob"], order: bobOrder), ARule("ann's", ["ann"], order: annOrder)];

        var result = Assign([ACandidate()], rules, Collector("ann"), Collector("bob"));

        Assert.Equal(expected, Outcome(result, ACandidate()));
    }

    [Fact]
    public void Rules_WithEqualOrder_AreTriedById()
    {
        AssignmentRule[] rules = [ARule("second", ["bob"], order: 1, id: 2), ARule("first", ["ann"], order: 1, id: 1)];

        var result = Assign([ACandidate()], rules, Collector("ann"), Collector("bob"));

        Assert.Equal("ann", Outcome(result, ACandidate()));
        Assert.Equal(Id(900_001), result.Assignments[0].RuleId);
    }

    [Theory]
    [InlineData(0.01, "small")]
    [InlineData(999.99, "small")]
    [InlineData(1_000, "medium")]
    [InlineData(9_999.99, "medium")]
    [InlineData(10_000, "large")]
    [InlineData(5_000_000, "large")]
    public void BalanceBands_IncludeTheirMinimum_AndStopBelowTheirMaximum(decimal balance, string expected)
    {
        AssignmentRule[] rules =
        [
            ARule("small", ["small"], order: 1, maxBalance: 1_000m),
            ARule("medium", ["medium"], order: 2, minBalance: 1_000m, maxBalance: 10_000m),
            ARule("large", ["large"], order: 3, minBalance: 10_000m),
        ];
        var account = ACandidate(balance: balance);

        var result = Assign([account], rules, Collector("small"), Collector("medium"), Collector("large"));

        Assert.Equal(expected, Outcome(result, account));
    }

    [Theory]
    [InlineData("TX", "es", "rosa")]
    [InlineData("tx", "ES", "rosa")]
    [InlineData("TX", "en", "ann")]
    [InlineData("NM", "es", "no-rule")]
    [InlineData("QC", "fr", "marc")]
    [InlineData("ON", "fr", "marc")]
    [InlineData("QC", "en", "marc")]
    [InlineData(null, "en", "ann")]
    [InlineData(null, "fr", "no-rule")]
    [InlineData("CA", "fr", "no-rule")]
    public void RegionAndLanguage_MustBothHold(string? region, string language, string expected)
    {
        AssignmentRule[] rules =
        [
            ARule("Texas, Spanish", ["rosa"], order: 1, regions: new HashSet<string> { "TX" }, language: "es"),
            ARule("Canada, French", ["marc"], order: 2, regions: new HashSet<string> { "QC", "ON" }),
            ARule("English", ["ann"], order: 3, language: "en"),
        ];
        var account = ACandidate(region: region, language: language);

        var result = Assign([account], rules, Collector("rosa"), Collector("marc"), Collector("ann"));

        Assert.Equal(expected, Outcome(result, account));
    }

    [Theory]
    [InlineData(DebtType.Medical, "meg")]
    [InlineData(DebtType.Commercial, "cole")]
    [InlineData(DebtType.Consumer, "no-rule")]
    public void DebtType_IsACondition(DebtType debtType, string expected)
    {
        AssignmentRule[] rules = [ARule("medical", ["meg"], order: 1, debtType: DebtType.Medical), ARule("commercial", ["cole"], order: 2, debtType: DebtType.Commercial)];
        var account = ACandidate(debtType: debtType);

        var result = Assign([account], rules, Collector("meg"), Collector("cole"));

        Assert.Equal(expected, Outcome(result, account));
    }

    [Fact]
    public void RoundRobin_SpreadsEvenly_InTheRulesOrder()
    {
        var result = Assign(Many(1_000), [ARule("all", ["ann", "bob", "cy"])], Collector("ann"), Collector("bob"), Collector("cy"));

        Assert.Equal(new Dictionary<string, int> { ["ann"] = 334, ["bob"] = 333, ["cy"] = 333 }, Totals(result));
        Assert.Equal(["ann", "bob", "cy", "ann", "bob", "cy"], result.Assignments.Take(6).Select(a => a.Collector));
    }

    [Fact]
    public void RoundRobin_SkipsFullCollectors_AndNeverExceedsCapacity()
    {
        var result = Assign(Many(25), [ARule("all", ["ann", "bob", "cy"])], Collector("ann", 2), Collector("bob", 10), Collector("cy", 5));

        Assert.Equal(new Dictionary<string, int> { ["ann"] = 2, ["bob"] = 10, ["cy"] = 5 }, Totals(result));
        Assert.Equal(8, result.UnassignedCount(UnassignedReason.Capacity));
        Assert.All(result.Unassigned, u => Assert.Equal("capacity", u.Reason.Code()));
    }

    [Fact]
    public void Capacity_CountsTheAccountsACollectorKeeps()
    {
        QueueCandidate[] accounts = [.. Many(8, firstId: 1, collector: "ann"), .. Many(20, firstId: 101)];

        var result = Assign(accounts, [ARule("all", ["ann", "bob"])], Collector("ann", 10), Collector("bob", 10));

        Assert.Equal(new CollectorLoad("ann", 10, true, Kept: 8, Assigned: 2), result.Collectors[0]);
        Assert.Equal(new CollectorLoad("bob", 10, true, Kept: 0, Assigned: 10), result.Collectors[1]);
        Assert.Equal(8, result.Kept);
        Assert.Equal(8, result.UnassignedCount(UnassignedReason.Capacity));
    }

    [Fact]
    public void Capacity_LoweredBelowTheLoad_TakesNothingAway_AndGivesNothingMore()
    {
        QueueCandidate[] accounts = [.. Many(12, firstId: 1, collector: "ann"), .. Many(3, firstId: 101)];

        var result = Assign(accounts, [ARule("all", ["ann"])], Collector("ann", 10));

        Assert.Equal(new CollectorLoad("ann", 10, true, Kept: 12, Assigned: 0), result.Collectors[0]);
        Assert.Equal(3, result.UnassignedCount(UnassignedReason.Capacity));
    }

    [Fact]
    public void Capacity_OfTheFirstMatchingRule_DoesNotFallThroughToTheNext()
    {
        AssignmentRule[] rules = [ARule("Texas", ["tex"], order: 1, regions: new HashSet<string> { "TX" }), ARule("everyone", ["ann"], order: 2)];

        var result = Assign(Many(3), rules, Collector("tex", 1), Collector("ann"));

        Assert.Equal(["tex", "capacity", "capacity"], Many(3).Select(c => Outcome(result, c)));
    }

    [Fact]
    public void CollectorsInSeveralRules_ShareOneCapacity()
    {
        AssignmentRule[] rules = [ARule("Texas", ["ann"], order: 1, regions: new HashSet<string> { "TX" }), ARule("everyone", ["ann", "bob"], order: 2)];
        QueueCandidate[] accounts = [.. Many(3, firstId: 1), .. Enumerable.Range(11, 4).Select(i => ACandidate(id: i, region: "OK"))];

        var result = Assign(accounts, rules, Collector("ann", 3), Collector("bob", 2));

        Assert.Equal(new Dictionary<string, int> { ["ann"] = 3, ["bob"] = 2 }, Totals(result));
        Assert.Equal(2, result.UnassignedCount(UnassignedReason.Capacity));
    }

    [Fact]
    public void InactiveCollectors_LoseTheirAccounts_AndGetNoNewOnes()
    {
        QueueCandidate[] accounts = [.. Many(6, firstId: 1, collector: "carl"), .. Many(2, firstId: 101, collector: "gone")];

        var result = Assign(accounts, [ARule("all", ["carl", "ann", "bob"])], Collector("ann"), Collector("bob"), Collector("carl", active: false));

        Assert.Equal(new Dictionary<string, int> { ["ann"] = 4, ["bob"] = 4, ["carl"] = 0 }, Totals(result));
        Assert.Equal(0, result.Kept);
        Assert.Equal(8, result.Assignments.Count);
    }

    [Fact]
    public void ARuleWithNoActiveCollector_LeavesItsAccountsUnassignedForCapacity()
    {
        var result = Assign(Many(2), [ARule("carl's", ["carl", "nobody"])], Collector("carl", active: false));

        Assert.Equal(2, result.UnassignedCount(UnassignedReason.Capacity));
    }

    [Fact]
    public void Priority_DecidesWhoGetsTheLastFreeSlots()
    {
        QueueCandidate[] accounts =
        [
            ACandidate(id: 1, balance: 100m),
            ACandidate(id: 2, balance: 90_000m),
            ACandidate(id: 3, balance: 20m, signals: QueueSignals.PromiseBroken),
            ACandidate(id: 4, balance: 100m, daysSinceContact: null),
            ACandidate(id: 5, balance: 100m, daysSinceContact: 0),
        ];

        var result = Assign(accounts, [ARule("all", ["ann"])], Collector("ann", 2));

        Assert.Equal([Id(3), Id(2)], result.Assignments.Select(a => a.AccountId));
        Assert.Equal([Id(4), Id(1), Id(5)], result.Unassigned.Select(u => u.AccountId));
    }

    [Fact]
    public void AccountsWithNothingOwed_EnterNoQueue_AndDoNotCountAgainstCapacity()
    {
        QueueCandidate[] accounts =
        [
            ACandidate(id: 1, balance: 0m, collector: "ann"),
            ACandidate(id: 2, balance: -40m, collector: "ann"),
            ACandidate(id: 3, balance: -10m, signals: QueueSignals.CallbackRequested),
            ACandidate(id: 4, balance: 10m),
        ];

        var result = Assign(accounts, [ARule("all", ["ann"])], Collector("ann", 1));

        Assert.Equal([Id(4)], result.Assignments.Select(a => a.AccountId));
        Assert.Empty(result.Unassigned);
        Assert.Equal(3, result.NotQueueable);
        Assert.Equal(0, result.Kept);
    }

    [Fact]
    public void Assign_DoesNotDependOnTheOrderOfTheCandidates()
    {
        var accounts = Enumerable.Range(1, 300)
            .Select(i => ACandidate(id: i, balance: 50m + (i % 13), region: i % 4 == 0 ? "ON" : "TX", daysSinceContact: i % 5 == 0 ? null : i % 31,
                collector: i % 10 == 0 ? "ann" : i % 10 == 1 ? "carl" : null))
            .ToArray();
        AssignmentRule[] rules = [ARule("Ontario", ["bob", "cy"], order: 1, regions: new HashSet<string> { "ON" }), ARule("rest", ["ann", "bob"], order: 2)];
        CollectorCapacity[] collectors = [Collector("ann", 80), Collector("bob", 90), Collector("cy", 30), Collector("carl", active: false)];

        var forward = Assigner.Assign(accounts, rules, collectors, Weights);
        var shuffled = Assigner.Assign(accounts.OrderBy(a => a.AccountId.GetHashCode()).Reverse().ToArray(), rules, collectors, Weights);

        Assert.Equal(forward.Assignments, shuffled.Assignments);
        Assert.Equal(forward.Unassigned, shuffled.Unassigned);
        Assert.Equal(forward.Collectors, shuffled.Collectors);
    }

    [Fact]
    public void ACollectorGivenTwice_IsABug() =>
        Assert.Throws<ArgumentException>(() => Assign(Many(1), [ARule("all", ["ann"])], Collector("ann"), Collector("ann", 5)));

    [Theory]
    [InlineData(UnassignedReason.NoRule, "no-rule")]
    [InlineData(UnassignedReason.Capacity, "capacity")]
    public void UnassignedReasons_HaveStableCodes(UnassignedReason reason, string code) => Assert.Equal(code, reason.Code());

    [Fact]
    public void Rule_Validate_ReportsEveryProblem()
    {
        var rule = ARule(" ", [], minBalance: 100m, maxBalance: 100m);

        Assert.Equal(["rule_name", "rule_band", "rule_collectors"], rule.Validate().Select(e => e.Code));
        Assert.Empty(ARule("fine", ["ann"], minBalance: 0m, maxBalance: 100m).Validate());
    }
}
