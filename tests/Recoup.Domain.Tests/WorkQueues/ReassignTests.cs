using Recoup.Domain.WorkQueues;
using static Recoup.Domain.Tests.WorkQueues.Candidates;

namespace Recoup.Domain.Tests.WorkQueues;

public class ReassignTests
{
    private static readonly QueuePriorityWeights Weights = QueuePriorityWeights.Default;

    private static readonly CollectorCapacity[] Team = [Collector("ann", 10), Collector("bob", 10), Collector("cy", 10), Collector("carl", 10, active: false)];

    private static ReassignmentResult Reassign(QueueCandidate[] accounts, string[] targets, Dictionary<string, int>? load = null) =>
        Assigner.Reassign(accounts, targets, Team, load ?? [], Weights);

    [Fact]
    public void BulkMove_SpreadsRoundRobinOverTheTargets()
    {
        var result = Reassign(Many(9, collector: "ann"), ["bob", "cy"]);

        Assert.Equal(["bob", "cy", "bob", "cy", "bob", "cy", "bob", "cy", "bob"], result.Moves.Select(m => m.To));
        Assert.All(result.Moves, m => Assert.Equal("ann", m.From));
        Assert.Empty(result.NotMoved);
    }

    [Fact]
    public void BulkMove_HonoursCapacity_MovingTheHighestPriorityFirst()
    {
        QueueCandidate[] accounts = [.. Many(4, collector: "ann"), ACandidate(id: 99, collector: "ann", signals: QueueSignals.PromiseBroken)];

        var result = Reassign(accounts, ["bob", "cy"], new Dictionary<string, int> { ["bob"] = 9, ["cy"] = 9, ["ann"] = 5 });

        Assert.Equal([new Move(Id(99), "ann", "bob"), new Move(Id(1), "ann", "cy")], result.Moves);
        Assert.Equal([Id(2), Id(3), Id(4)], result.NotMoved.Select(n => n.AccountId));
        Assert.All(result.NotMoved, n => Assert.Equal("capacity", n.Reason.Code()));
    }

    [Fact]
    public void BulkMove_LeavesAccountsAlreadyWithATarget()
    {
        QueueCandidate[] accounts = [ACandidate(id: 1, collector: "bob"), ACandidate(id: 2, collector: null), ACandidate(id: 3, collector: "carl")];

        var result = Reassign(accounts, ["bob"]);

        Assert.Equal([new Move(Id(2), null, "bob"), new Move(Id(3), "carl", "bob")], result.Moves);
        Assert.Equal([new NotMoved(Id(1), NotMovedReason.AlreadyWithTarget)], result.NotMoved);
    }

    [Fact]
    public void BulkMove_IgnoresInactiveAndUnknownTargets_AndSaysSo()
    {
        var result = Reassign(Many(2, collector: "ann"), ["carl", "bob", "nobody", "bob"]);

        Assert.Equal(["carl", "nobody"], result.IgnoredTargets);
        Assert.All(result.Moves, m => Assert.Equal("bob", m.To));
    }

    [Fact]
    public void BulkMove_ToNobodyWithRoom_MovesNothing()
    {
        var result = Reassign(Many(2, collector: "ann"), ["carl"]);

        Assert.Empty(result.Moves);
        Assert.All(result.NotMoved, n => Assert.Equal(NotMovedReason.Capacity, n.Reason));
    }

    [Fact]
    public void BulkMove_LeavesAccountsWithNothingOwed()
    {
        QueueCandidate[] accounts = [ACandidate(id: 1, collector: "ann", balance: 0m), ACandidate(id: 2, collector: "ann")];

        var result = Reassign(accounts, ["bob"]);

        Assert.Equal([new Move(Id(2), "ann", "bob")], result.Moves);
        Assert.Equal([new NotMoved(Id(1), NotMovedReason.NotQueueable)], result.NotMoved);
        Assert.Equal("not-queueable", NotMovedReason.NotQueueable.Code());
    }
}
