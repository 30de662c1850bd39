using Recoup.Domain.Debtors;
using Recoup.Domain.WorkQueues;

namespace Recoup.Domain.Tests.WorkQueues;

/// <summary>
/// Queue candidates with ordinary defaults (500.00 owed, 60 days past due, contacted 10 days ago,
/// risk 50, Texas, English, unassigned), so that each test states only what matters to it. Account
/// ids are small numbers, so id order is number order.
/// </summary>
internal static class Candidates
{
    public static Guid Id(int number) => new(number, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public static long Major(decimal amount) => decimal.ToInt64(amount * 10_000m);

    public static QueueCandidate ACandidate(
        int id = 1,
        decimal balance = 500m,
        int daysPastDue = 60,
        int? daysSinceContact = 10,
        QueueSignals signals = QueueSignals.None,
        int? risk = 50,
        string? region = "TX",
        string language = "en",
        string? collector = null,
        DebtType debtType = DebtType.Consumer) =>
        new(Id(id), Id(100_000 + id), debtType, Major(balance), daysPastDue, daysSinceContact, signals, risk, region, language, collector);

    /// <summary>Candidates numbered from <paramref name="firstId"/>, all alike but for the id (so id order is priority order).</summary>
    public static QueueCandidate[] Many(int count, int firstId = 1, string? collector = null, decimal balance = 500m) =>
        [.. Enumerable.Range(firstId, count).Select(i => ACandidate(id: i, collector: collector, balance: balance))];

    public static AssignmentRule ARule(
        string name,
        IReadOnlyList<string> collectors,
        int order = 1,
        DebtType? debtType = null,
        decimal? minBalance = null,
        decimal? maxBalance = null,
        IReadOnlySet<string>? regions = null,
        string? language = null,
        int? id = null) =>
        new(Id(900_000 + (id ?? order)), order, name, debtType, minBalance is null ? null : Major(minBalance.Value),
            maxBalance is null ? null : Major(maxBalance.Value), regions ?? new HashSet<string>(), language, collectors);

    public static CollectorCapacity Collector(string userName, int capacity = 1_000, bool active = true) => new(userName, capacity, active);
}
