namespace Recoup.Domain.WorkQueues;

/// <summary>
/// The weights of the work-queue priority formula (<see cref="QueuePriority.Score"/>). Every weight
/// can be changed with <c>with</c>; the service layer binds them from the configuration section
/// <c>Recoup:WorkQueues:Priority</c> (see docs/work-queues.md).
/// </summary>
/// <remarks>
/// The event bonuses are meant to sit above anything the other terms can add up to, so that an
/// account with an event is always worked before one without: with the defaults the other terms
/// reach at most about 19,400 points (balance 15,000 for the largest balance a long can hold, risk
/// 2,000, contact 1,500, days past due 900) and the smallest bonus is 200,000. Bonuses add up, so
/// a broken promise with a returned payment outranks a broken promise alone.
/// </remarks>
public sealed record QueuePriorityWeights
{
    /// <summary>The weights in docs/work-queues.md.</summary>
    public static QueuePriorityWeights Default { get; } = new();

    /// <summary>The largest magnitude a weight may have, so that no score can overflow.</summary>
    public const long MaxWeight = 1_000_000_000;

    /// <summary>The longest cap in days (a hundred years).</summary>
    public const int MaxCapDays = 36_500;

    /// <summary>Added when a callback the debtor asked for is due now (<see cref="QueueSignals.CallbackRequested"/>).</summary>
    public long CallbackRequestedBonus { get; init; } = 500_000;

    /// <summary>Added when a promise to pay was broken (<see cref="QueueSignals.PromiseBroken"/>).</summary>
    public long PromiseBrokenBonus { get; init; } = 400_000;

    /// <summary>Added when a payment plan defaulted (<see cref="QueueSignals.PlanDefaulted"/>).</summary>
    public long PlanDefaultedBonus { get; init; } = 300_000;

    /// <summary>Added when a payment was returned (<see cref="QueueSignals.PaymentReturned"/>).</summary>
    public long PaymentReturnedBonus { get; init; } = 300_000;

    /// <summary>Added when a promise to pay falls due today (<see cref="QueueSignals.PromiseDueToday"/>).</summary>
    public long PromiseDueTodayBonus { get; init; } = 200_000;

    /// <summary>
    /// Points per power of ten of the balance in major units: × log10(balance), balances under 1
    /// counting as 1 (zero points). 100 USD gives 2,000, 10,000 USD 4,000.
    /// </summary>
    public long BalancePerDecade { get; init; } = 1_000;

    /// <summary>Points per point of risk score (0–100). Negative works the likeliest payers first.</summary>
    public long RiskPerPoint { get; init; } = 20;

    /// <summary>The risk score an unscored account counts as.</summary>
    public int UnscoredRisk { get; init; } = 50;

    /// <summary>Points per day since the last contact, up to <see cref="UncontactedCapDays"/>.</summary>
    public long PerDayUncontacted { get; init; } = 50;

    /// <summary>Days since the last contact beyond which waiting longer adds nothing; a debtor never contacted counts as this many.</summary>
    public int UncontactedCapDays { get; init; } = 30;

    /// <summary>Points per day past due, up to <see cref="PastDueCapDays"/>.</summary>
    public long PerDayPastDue { get; init; } = 5;

    /// <summary>Days past due beyond which being later adds nothing.</summary>
    public int PastDueCapDays { get; init; } = 180;

    /// <summary>
    /// Every reason these weights cannot be used (empty when they can): bonuses and per-day weights
    /// must not be negative, no weight may exceed <see cref="MaxWeight"/> in magnitude, caps must lie
    /// within 0 and <see cref="MaxCapDays"/>, and the unscored risk within 0 and 100.
    /// </summary>
    public IReadOnlyList<Error> Validate()
    {
        var errors = new List<Error>();
        NonNegative(CallbackRequestedBonus, nameof(CallbackRequestedBonus));
        NonNegative(PromiseBrokenBonus, nameof(PromiseBrokenBonus));
        NonNegative(PlanDefaultedBonus, nameof(PlanDefaultedBonus));
        NonNegative(PaymentReturnedBonus, nameof(PaymentReturnedBonus));
        NonNegative(PromiseDueTodayBonus, nameof(PromiseDueTodayBonus));
        NonNegative(BalancePerDecade, nameof(BalancePerDecade));
        NonNegative(PerDayUncontacted, nameof(PerDayUncontacted));
        NonNegative(PerDayPastDue, nameof(PerDayPastDue));
        if (RiskPerPoint is < -MaxWeight or > MaxWeight)
        {
            errors.Add(new Error("weight_range", $"{nameof(RiskPerPoint)} must lie within ±{MaxWeight}", nameof(RiskPerPoint)));
        }

        if (UnscoredRisk is < 0 or > 100)
        {
            errors.Add(new Error("risk_range", $"{nameof(UnscoredRisk)} must lie within 0 and 100", nameof(UnscoredRisk)));
        }

        Cap(UncontactedCapDays, nameof(UncontactedCapDays));
        Cap(PastDueCapDays, nameof(PastDueCapDays));
        return errors;

        void NonNegative(long weight, string name)
        {
            if (weight is < 0 or > MaxWeight)
            {
                errors.Add(new Error("weight_range", $"{name} must lie within 0 and {MaxWeight}", name));
            }
        }

        void Cap(int days, string name)
        {
            if (days is < 0 or > MaxCapDays)
            {
                errors.Add(new Error("cap_range", $"{name} must lie within 0 and {MaxCapDays} days", name));
            }
        }
    }
}

/// <summary>
/// The order of a work queue: a documented additive score (<see cref="Score"/>), then balance, then
/// account id, so that two builds of the same queue always agree.
/// </summary>
public static class QueuePriority
{
    private const long OneMajorUnit = 10_000;

    /// <summary>Whether the account belongs in a queue at all: only accounts with something owed (a positive balance) do.</summary>
    public static bool IsQueueable(in QueueCandidate candidate) => candidate.BalanceSortKey > 0;

    /// <summary>
    /// The account's priority, higher first:
    /// <c>bonuses for its <see cref="QueueSignals"/> + BalancePerDecade × log10(balance)
    /// + RiskPerPoint × (risk ?? UnscoredRisk) + PerDayUncontacted × min(days since contact ?? cap, cap)
    /// + PerDayPastDue × min(days past due, cap)</c>.
    /// </summary>
    /// <remarks>
    /// The balance is in major units and counts as 1 below 1 (so it adds nothing); its term is
    /// rounded to the nearest point, halves away from zero. Negative day counts count as zero and a
    /// risk score outside 0–100 is clamped. The weights are assumed valid
    /// (<see cref="QueuePriorityWeights.Validate"/>); arithmetic is checked, so invalid ones throw
    /// rather than wrap.
    /// </remarks>
    public static long Score(in QueueCandidate candidate, QueuePriorityWeights weights)
    {
        var signals = candidate.Signals;
        var score = 0L;
        if ((signals & QueueSignals.CallbackRequested) != 0)
        {
            score += weights.CallbackRequestedBonus;
        }

        if ((signals & QueueSignals.PromiseBroken) != 0)
        {
            score += weights.PromiseBrokenBonus;
        }

        if ((signals & QueueSignals.PlanDefaulted) != 0)
        {
            score += weights.PlanDefaultedBonus;
        }

        if ((signals & QueueSignals.PaymentReturned) != 0)
        {
            score += weights.PaymentReturnedBonus;
        }

        if ((signals & QueueSignals.PromiseDueToday) != 0)
        {
            score += weights.PromiseDueTodayBonus;
        }

        score += BalancePoints(candidate.BalanceSortKey, weights.BalancePerDecade);
        score += weights.RiskPerPoint * Math.Clamp(candidate.RiskScore ?? weights.UnscoredRisk, 0, 100);

        var uncontactedCap = weights.UncontactedCapDays;
        score += weights.PerDayUncontacted * Math.Clamp(candidate.DaysSinceLastContact ?? uncontactedCap, 0, uncontactedCap);
        score += weights.PerDayPastDue * Math.Clamp(candidate.DaysPastDue, 0, weights.PastDueCapDays);
        return score;
    }

    /// <summary>
    /// Queue order: negative when <paramref name="left"/> comes first. Higher score first, then the
    /// larger balance, then the smaller account id; zero only for the same account id with equal score
    /// and balance.
    /// </summary>
    public static int Compare(in QueueCandidate left, in QueueCandidate right, QueuePriorityWeights weights) =>
        new RankKey(Score(left, weights), left.BalanceSortKey, left.AccountId, 0)
            .CompareTo(new RankKey(Score(right, weights), right.BalanceSortKey, right.AccountId, 0));

    /// <summary>
    /// The indexes of the queueable candidates (<see cref="IsQueueable"/>) in queue order, each score
    /// computed once.
    /// </summary>
    public static int[] Order(ReadOnlySpan<QueueCandidate> candidates, QueuePriorityWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var keys = new RankKey[candidates.Length];
        var count = 0;
        for (var i = 0; i < candidates.Length; i++)
        {
            ref readonly var candidate = ref candidates[i];
            if (IsQueueable(candidate))
            {
                keys[count++] = new RankKey(Score(candidate, weights), candidate.BalanceSortKey, candidate.AccountId, i);
            }
        }

        var ranked = keys.AsSpan(0, count);
        ranked.Sort();
        var order = new int[count];
        for (var i = 0; i < count; i++)
        {
            order[i] = ranked[i].Index;
        }

        return order;
    }

    private static long BalancePoints(long balanceSortKey, long perDecade) =>
        balanceSortKey <= OneMajorUnit
            ? 0
            : (long)Math.Round(perDecade * Math.Log10(balanceSortKey / (double)OneMajorUnit), MidpointRounding.AwayFromZero);
}

/// <summary>
/// A candidate's place in queue order, computed once so that sorting a million costs no scoring. The
/// index breaks the last tie (the same account given twice), so that no two keys compare equal.
/// </summary>
internal readonly struct RankKey(long score, long balance, Guid accountId, int index, int tag = 0) : IComparable<RankKey>
{
    public long Score { get; } = score;
    public long Balance { get; } = balance;
    public Guid AccountId { get; } = accountId;
    public int Index { get; } = index;

    /// <summary>What the caller worked out in the sequential pass (the matching rule), so the ranked pass need not go back to the candidate.</summary>
    public int Tag { get; } = tag;

    public int CompareTo(RankKey other)
    {
        if (Score != other.Score)
        {
            return Score > other.Score ? -1 : 1;
        }

        if (Balance != other.Balance)
        {
            return Balance > other.Balance ? -1 : 1;
        }

        var byId = AccountId.CompareTo(other.AccountId);
        return byId != 0 ? byId : Index.CompareTo(other.Index);
    }
}
