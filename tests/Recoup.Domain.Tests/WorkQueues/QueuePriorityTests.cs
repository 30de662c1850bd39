using Recoup.Domain.WorkQueues;
using static Recoup.Domain.Tests.WorkQueues.Candidates;

namespace Recoup.Domain.Tests.WorkQueues;

public class QueuePriorityTests
{
    private static readonly QueuePriorityWeights Weights = QueuePriorityWeights.Default;

    private static readonly QueueCandidate Whale =
        ACandidate(id: 2, balance: 50_000_000m, daysPastDue: 400, daysSinceContact: null, risk: 100);

    /// <summary>Pairs a supervisor would order the same way: the first is worked before the second.</summary>
    public static TheoryData<string, QueueCandidate, QueueCandidate> Orderings => new()
    {
        { "broken promise above a huge, old, risky, never-contacted balance", ACandidate(id: 9, balance: 50m, daysPastDue: 1, daysSinceContact: 0, risk: 0, signals: QueueSignals.PromiseBroken), Whale },
        { "defaulted plan above a huge balance", ACandidate(id: 9, balance: 50m, signals: QueueSignals.PlanDefaulted), Whale },
        { "returned payment above a huge balance", ACandidate(id: 9, balance: 50m, signals: QueueSignals.PaymentReturned), Whale },
        { "promise due today above a huge balance", ACandidate(id: 9, balance: 50m, signals: QueueSignals.PromiseDueToday), Whale },
        { "callback due now above a huge balance", ACandidate(id: 9, balance: 50m, signals: QueueSignals.CallbackRequested), Whale },
        { "callback due now above a broken promise", ACandidate(id: 9, signals: QueueSignals.CallbackRequested), ACandidate(id: 1, balance: 50_000m, signals: QueueSignals.PromiseBroken) },
        { "broken promise above a promise due today", ACandidate(id: 9, signals: QueueSignals.PromiseBroken), ACandidate(id: 1, balance: 50_000m, signals: QueueSignals.PromiseDueToday) },
        { "two events above one", ACandidate(id: 9, signals: QueueSignals.PromiseBroken | QueueSignals.PaymentReturned), ACandidate(id: 1, balance: 50_000m, signals: QueueSignals.CallbackRequested) },
        { "longer uncontacted first", ACandidate(id: 9, daysSinceContact: 20), ACandidate(id: 1, daysSinceContact: 5) },
        { "never contacted above contacted yesterday", ACandidate(id: 9, daysSinceContact: null), ACandidate(id: 1, daysSinceContact: 1) },
        { "never contacted equals the contact cap, so the larger balance decides", ACandidate(id: 9, daysSinceContact: 30, balance: 500.01m), ACandidate(id: 1, daysSinceContact: null) },
        { "past the contact cap waiting longer adds nothing", ACandidate(id: 9, daysSinceContact: 31, balance: 500.01m), ACandidate(id: 1, daysSinceContact: 300) },
        { "more days past due first, below the cap", ACandidate(id: 9, daysPastDue: 90), ACandidate(id: 1, daysPastDue: 60) },
        { "400 days past due is not above 180 (the cap): the larger balance decides", ACandidate(id: 9, daysPastDue: 180, balance: 1_000.01m), ACandidate(id: 1, daysPastDue: 400, balance: 1_000m) },
        { "not yet due counts as zero days past due", ACandidate(id: 9, daysPastDue: 0, balance: 500.01m), ACandidate(id: 1, daysPastDue: -20) },
        { "riskier first", ACandidate(id: 9, risk: 80), ACandidate(id: 1, risk: 30) },
        { "unscored counts as neutral: above a 40", ACandidate(id: 9, risk: null), ACandidate(id: 1, risk: 40) },
        { "unscored counts as neutral: below a 60", ACandidate(id: 9, risk: 60), ACandidate(id: 1, risk: null) },
        { "a balance ten times larger first", ACandidate(id: 9, balance: 10_000m), ACandidate(id: 1, balance: 1_000m) },
        { "equal scores: the larger balance first", ACandidate(id: 9, balance: 1_000.01m), ACandidate(id: 1, balance: 1_000m) },
        { "equal scores and balances: the smaller account id first", ACandidate(id: 1), ACandidate(id: 2) },
        { "balances under 1 score alike: the larger first", ACandidate(id: 9, balance: 0.50m), ACandidate(id: 1, balance: 0.01m) },
    };

    [Theory]
    [MemberData(nameof(Orderings))]
    public void Queue_OrdersAsASupervisorExpects(string why, QueueCandidate first, QueueCandidate second)
    {
        Assert.True(QueuePriority.Compare(first, second, Weights) < 0, why);
        Assert.True(QueuePriority.Compare(second, first, Weights) > 0, why);
        Assert.Equal([1, 0], QueuePriority.Order([second, first], Weights));
    }

    [Fact]
    public void Score_AddsTheDocumentedTerms()
    {
        // The worked example in docs/work-queues.md.
        var account = ACandidate(balance: 2_500m, risk: 70, daysSinceContact: 12, daysPastDue: 95, signals: QueueSignals.PromiseBroken);

        Assert.Equal(400_000 + 3_398 + 1_400 + 600 + 475, QueuePriority.Score(account, Weights));
    }

    [Theory]
    [InlineData(0.01, 0)]
    [InlineData(1, 0)]
    [InlineData(10, 1_000)]
    [InlineData(100, 2_000)]
    [InlineData(2_500, 3_398)]
    [InlineData(10_000, 4_000)]
    [InlineData(1_000_000, 6_000)]
    public void Score_GivesBalanceItsLogarithm(decimal balance, long points)
    {
        var withoutBalance = QueuePriority.Score(ACandidate(balance: 1m), Weights);

        Assert.Equal(points, QueuePriority.Score(ACandidate(balance: balance), Weights) - withoutBalance);
    }

    [Fact]
    public void DefaultBonuses_OutweighEverythingElseTogether()
    {
        var everythingElse = QueuePriority.Score(
            new QueueCandidate(Id(1), Id(2), default, long.MaxValue, int.MaxValue, null, QueueSignals.None, 100, null, "en", null), Weights);

        Assert.True(everythingElse < 20_000, $"{everythingElse}");
        Assert.True(everythingElse < Weights.PromiseDueTodayBonus);
        Assert.True(everythingElse < Weights.PaymentReturnedBonus);
        Assert.True(everythingElse < Weights.PlanDefaultedBonus);
    }

    [Fact]
    public void Weights_WithANegativeRiskWeight_WorkTheLikeliestPayersFirst()
    {
        var likeliestFirst = Weights with { RiskPerPoint = -20 };

        Assert.True(QueuePriority.Compare(ACandidate(id: 9, risk: 10), ACandidate(id: 1, risk: 90), likeliestFirst) < 0);
        Assert.Empty(likeliestFirst.Validate());
    }

    [Fact]
    public void Weights_WithALongerContactCap_KeepCountingTheDays()
    {
        var weights = Weights with { UncontactedCapDays = 90 };

        Assert.True(QueuePriority.Compare(ACandidate(id: 9, daysSinceContact: 60), ACandidate(id: 1, daysSinceContact: 31), weights) < 0);
        Assert.True(QueuePriority.Compare(ACandidate(id: 9, daysSinceContact: null), ACandidate(id: 1, daysSinceContact: 89), weights) < 0);
    }

    [Fact]
    public void DefaultWeights_AreValid() => Assert.Empty(Weights.Validate());

    [Fact]
    public void Weights_OutOfRange_AreReportedTogether()
    {
        var errors = (Weights with { PromiseBrokenBonus = -1, PastDueCapDays = -5, UnscoredRisk = 101, BalancePerDecade = 2_000_000_000 }).Validate();

        Assert.Equal(
            ["BalancePerDecade", "PastDueCapDays", "PromiseBrokenBonus", "UnscoredRisk"],
            errors.Select(e => e.Field).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(-0.01, false)]
    [InlineData(0, false)]
    [InlineData(0.0001, true)]
    [InlineData(12.5, true)]
    public void OnlyAccountsThatOweSomething_AreQueueable(decimal balance, bool queueable)
    {
        var account = ACandidate(balance: balance, signals: QueueSignals.CallbackRequested);

        Assert.Equal(queueable, QueuePriority.IsQueueable(account));
        Assert.Equal(queueable ? [0] : [], QueuePriority.Order([account], Weights));
    }

    [Fact]
    public void Order_LeavesOutNegativeBalances_AndRanksTheRest()
    {
        QueueCandidate[] accounts =
        [
            ACandidate(id: 1, balance: 100m),
            ACandidate(id: 2, balance: -300m, signals: QueueSignals.PromiseBroken),
            ACandidate(id: 3, balance: 100m, signals: QueueSignals.PromiseDueToday),
            ACandidate(id: 4, balance: 0m),
            ACandidate(id: 5, balance: 10_000m),
        ];

        Assert.Equal([2, 4, 0], QueuePriority.Order(accounts, Weights));
    }

    [Fact]
    public void Order_DoesNotDependOnTheInputOrder()
    {
        var accounts = Enumerable.Range(1, 200)
            .Select(i => ACandidate(id: i, balance: 100m + (i % 7), daysSinceContact: i % 3 == 0 ? null : i % 40, risk: i % 5 == 0 ? null : i % 101))
            .ToArray();
        var reversed = accounts.Reverse().ToArray();

        Assert.Equal(
            QueuePriority.Order(accounts, Weights).Select(i => accounts[i].AccountId),
            QueuePriority.Order(reversed, Weights).Select(i => reversed[i].AccountId));
    }
}
