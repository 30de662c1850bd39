using CsCheck;
using Recoup.Domain.Debtors;
using Recoup.Domain.WorkQueues;
using static Recoup.Domain.Tests.WorkQueues.Candidates;

namespace Recoup.Domain.Tests.WorkQueues;

/// <summary>
/// <see cref="QueuePriority.Compare"/> is a total order that agrees with <see cref="QueuePriority.Score"/>,
/// on candidates drawn from small ranges so that equal scores, balances and ids are common.
/// </summary>
public class QueuePriorityPropertyTests
{
    private static readonly QueuePriorityWeights Weights = QueuePriorityWeights.Default;

    internal static readonly Gen<QueueCandidate> AnyCandidate = Gen.Select(
        Gen.Int[1, 6],
        Gen.OneOf(Gen.Long[-20_000, 20_000], Gen.OneOf(10_000L, 10_001L, 5_000_000L, 5_000_100L, 1_000_000_000L)),
        Gen.Int[-10, 400],
        Gen.Int[0, 45].Nullable(0.2),
        Gen.Int[0, 31].Select(flags => (QueueSignals)flags),
        Gen.Int[0, 100].Nullable(0.2),
        (id, balance, daysPastDue, contact, signal, risk) =>
            new QueueCandidate(Id(id), Id(id), DebtType.Consumer, balance, daysPastDue, contact, signal, risk, "TX", "en", null));

    [Fact]
    public void Compare_IsATotalOrderConsistentWithScore() =>
        Gen.Select(AnyCandidate, AnyCandidate, AnyCandidate).Sample((a, b, c) =>
        {
            int Cmp(QueueCandidate x, QueueCandidate y) => Math.Sign(QueuePriority.Compare(x, y, Weights));

            Assert.Equal(0, Cmp(a, a));
            Assert.Equal(-Cmp(a, b), Cmp(b, a));
            if (Cmp(a, b) <= 0 && Cmp(b, c) <= 0)
            {
                Assert.True(Cmp(a, c) <= 0);
            }

            if (Cmp(a, b) == 0)
            {
                Assert.Equal(a.AccountId, b.AccountId);
            }

            var (scoreA, scoreB) = (QueuePriority.Score(a, Weights), QueuePriority.Score(b, Weights));
            if (scoreA != scoreB)
            {
                Assert.Equal(scoreA > scoreB ? -1 : 1, Cmp(a, b));
            }
            else if (a.BalanceSortKey != b.BalanceSortKey)
            {
                Assert.Equal(a.BalanceSortKey > b.BalanceSortKey ? -1 : 1, Cmp(a, b));
            }
        }, iter: 5_000);

    [Fact]
    public void Order_SortsTheQueueableByCompare() =>
        AnyCandidate.Array[0, 40].Sample(candidates =>
        {
            var order = QueuePriority.Order(candidates, Weights);

            Assert.Equal(candidates.Count(c => QueuePriority.IsQueueable(c)), order.Length);
            for (var i = 1; i < order.Length; i++)
            {
                Assert.True(QueuePriority.Compare(candidates[order[i - 1]], candidates[order[i]], Weights) <= 0);
            }
        }, iter: 1_000);
}
