using Recoup.Domain.Debtors;

namespace Recoup.Domain.WorkQueues;

/// <summary>
/// Events on an account that move it up a work queue. The services set them from promises, plans,
/// payments and follow-ups; the domain only weighs them (<see cref="QueuePriorityWeights"/>).
/// </summary>
[Flags]
public enum QueueSignals : byte
{
    None = 0,

    /// <summary>A promise to pay falls due today.</summary>
    PromiseDueToday = 1,

    /// <summary>A promise to pay was not kept.</summary>
    PromiseBroken = 2,

    /// <summary>A payment plan went into default.</summary>
    PlanDefaulted = 4,

    /// <summary>A payment came back (returned cheque, charge-back, failed direct debit).</summary>
    PaymentReturned = 8,

    /// <summary>A callback the debtor asked for is due now.</summary>
    CallbackRequested = 16,
}

/// <summary>
/// What work-queue priority and assignment know about one account: a flat value built by the
/// service layer for every open account (a million of them), so it holds ids, numbers and shared
/// strings only. Dates are already turned into day counts as of the day the queues are built.
/// </summary>
/// <param name="BalanceSortKey">
/// The balance in ten-thousandths of the major unit (1.00 USD = 10,000), as
/// <c>AccountSummary.BalanceSortKey</c> stores it, so balances in any currency compare as amounts.
/// </param>
/// <param name="DaysPastDue">Days past due of the oldest unpaid invoice; zero or less is not past due.</param>
/// <param name="DaysSinceLastContact">Days since anyone last tried to reach the debtor about the account (<c>AccountSummary.LastContactAt</c>); null when nobody ever did.</param>
/// <param name="RiskScore">0 to 100, higher is riskier; null when the account is not scored.</param>
/// <param name="Region">State or province code in upper case (<c>TX</c>, <c>ON</c>); null when unknown.</param>
/// <param name="Language">The debtor's language, ISO 639-1 (<c>en</c>, <c>es</c>).</param>
/// <param name="Collector">The user name of the collector the account is assigned to; null when unassigned.</param>
public readonly record struct QueueCandidate(
    Guid AccountId,
    Guid DebtorId,
    DebtType DebtType,
    long BalanceSortKey,
    int DaysPastDue,
    int? DaysSinceLastContact,
    QueueSignals Signals,
    int? RiskScore,
    string? Region,
    string Language,
    string? Collector);
