using System.Globalization;

namespace Recoup.Domain.Risk;

/// <summary>
/// What the scorecard looks at on one account, as of one business date (nothing after it). The
/// service layer counts them from the ledger, the promises and the disputes; the scorecard only weighs
/// them.
/// </summary>
/// <param name="DaysPastDue">Days past due of the oldest open invoice on the date; zero or less when nothing is past due.</param>
/// <param name="BrokenPromises">Promises to pay broken in the <see cref="RiskScorecard.LookbackDays"/> days up to the date.</param>
/// <param name="ReturnedPayments">Payments reversed in those days: ACH debits returned, checks bounced, charge-backs.</param>
/// <param name="InvoicesDue">Invoices that fell due in the <see cref="RiskScorecard.HistoryDays"/> days before the date.</param>
/// <param name="InvoicesPaidLate">How many of <paramref name="InvoicesDue"/> were not paid in full by their due date.</param>
/// <param name="OpenDisputes">Disputes open on the date.</param>
public sealed record RiskInputs(
    int DaysPastDue = 0,
    int BrokenPromises = 0,
    int ReturnedPayments = 0,
    int InvoicesDue = 0,
    int InvoicesPaidLate = 0,
    int OpenDisputes = 0)
{
    /// <summary>An account with nothing against it: nothing past due, every promise kept, every invoice paid on time.</summary>
    public static RiskInputs Clean { get; } = new();
}

/// <summary>The behaviours the scorecard weighs, in the order of its table (docs/risk.md).</summary>
public enum RiskFactor
{
    /// <summary>The oldest open invoice is past due.</summary>
    PastDue,

    /// <summary>Promises to pay were broken lately.</summary>
    BrokenPromises,

    /// <summary>Payments came back lately.</summary>
    ReturnedPayments,

    /// <summary>Invoices of the last year were paid after their due date (or not at all).</summary>
    LatePayments,

    /// <summary>The debtor disputes the debt.</summary>
    OpenDisputes,
}

/// <summary>One behaviour that added points to a score, in words a collector reads on the account page.</summary>
public sealed record RiskReason(RiskFactor Factor, int Points, string Text)
{
    /// <summary>The factor's stable name: <c>past_due</c>, <c>broken_promises</c>, <c>returned_payments</c>, <c>late_payments</c>, <c>open_disputes</c>.</summary>
    public string Code => Factor switch
    {
        RiskFactor.PastDue => "past_due",
        RiskFactor.BrokenPromises => "broken_promises",
        RiskFactor.ReturnedPayments => "returned_payments",
        RiskFactor.LatePayments => "late_payments",
        RiskFactor.OpenDisputes => "open_disputes",
        _ => throw new ArgumentOutOfRangeException(nameof(Factor), Factor, "not a risk factor"),
    };
}

/// <summary>
/// A score and why: <see cref="Reasons"/> are the behaviours that added points, the largest first, and
/// their points add up to <see cref="Score"/>. A clean account scores 0 with no reason.
/// </summary>
public sealed record RiskAssessment(int Score, IReadOnlyList<RiskReason> Reasons);

/// <summary>How a collector reads a score (<see cref="RiskScorecard.LevelOf"/>).</summary>
public enum RiskLevel
{
    Low,
    Some,
    High,
}

/// <summary>
/// The account risk score: a points scorecard from 0 (nothing against the account) to 100 (every
/// behaviour at its worst), higher is riskier. Each behaviour adds the points of its band; the bands
/// are the table in docs/risk.md, and nothing else goes in, so a collector can check a score by hand.
/// </summary>
/// <remarks>
/// The late-payment factor is what flags a current account before it is delinquent: an account with
/// nothing past due today that paid most of last year's invoices late still scores up to 20. The
/// points are chosen by judgement, not fitted to outcomes; they are meant to rank accounts, and each
/// band is worse than the one before, so worse behaviour on any one factor never lowers a score.
/// </remarks>
public static class RiskScorecard
{
    /// <summary>Broken promises and returned payments count for this many days up to the date.</summary>
    public const int LookbackDays = 180;

    /// <summary>Invoices that fell due in this many days before the date make the payment history.</summary>
    public const int HistoryDays = 365;

    public const int MaxScore = 100;

    /// <summary>The level a collector reads a score as: low below 20, some 20–49, high 50 and over.</summary>
    public static RiskLevel LevelOf(int score) => score switch
    {
        >= 50 => RiskLevel.High,
        >= 20 => RiskLevel.Some,
        _ => RiskLevel.Low,
    };

    /// <summary>The score of <paramref name="inputs"/> with its reasons, largest first (ties in the table's order).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative, or more invoices were paid late than fell due: the caller counted wrong.</exception>
    public static RiskAssessment Assess(RiskInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfNegative(inputs.BrokenPromises);
        ArgumentOutOfRangeException.ThrowIfNegative(inputs.ReturnedPayments);
        ArgumentOutOfRangeException.ThrowIfNegative(inputs.InvoicesDue);
        ArgumentOutOfRangeException.ThrowIfNegative(inputs.InvoicesPaidLate);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(inputs.InvoicesPaidLate, inputs.InvoicesDue);
        ArgumentOutOfRangeException.ThrowIfNegative(inputs.OpenDisputes);

        var reasons = new List<RiskReason>(5);
        Add(RiskFactor.PastDue, PastDuePoints(inputs.DaysPastDue), () => $"Oldest open invoice {PastDueBand(inputs.DaysPastDue)} past due");
        Add(RiskFactor.BrokenPromises, BrokenPromisePoints(inputs.BrokenPromises),
            () => Say($"{Count(inputs.BrokenPromises, "broken promise", "broken promises")} to pay in the last {LookbackDays} days"));
        Add(RiskFactor.ReturnedPayments, ReturnedPaymentPoints(inputs.ReturnedPayments),
            () => Say($"{Count(inputs.ReturnedPayments, "payment", "payments")} returned or reversed in the last {LookbackDays} days"));
        Add(RiskFactor.LatePayments, LatePaymentPoints(inputs.InvoicesPaidLate, inputs.InvoicesDue),
            () => Say($"{inputs.InvoicesPaidLate} of {Count(inputs.InvoicesDue, "invoice", "invoices")} due in the last 12 months not paid in full by the due date"));
        Add(RiskFactor.OpenDisputes, DisputePoints(inputs.OpenDisputes), () => Count(inputs.OpenDisputes, "open dispute", "open disputes"));

        // A stable sort: equal points keep the table's order.
        var ordered = reasons.OrderByDescending(r => r.Points).ToList();
        return new RiskAssessment(Math.Min(MaxScore, ordered.Sum(r => r.Points)), ordered);

        void Add(RiskFactor factor, int points, Func<string> text)
        {
            if (points > 0)
            {
                reasons.Add(new RiskReason(factor, points, text()));
            }
        }
    }

    /// <summary>Days past due of the oldest open invoice: none 0, 1–30 days 10, 31–60 20, 61–90 28, over 90 35.</summary>
    public static int PastDuePoints(int daysPastDue) => daysPastDue switch
    {
        <= 0 => 0,
        <= 30 => 10,
        <= 60 => 20,
        <= 90 => 28,
        _ => 35,
    };

    /// <summary>
    /// The band of <see cref="PastDuePoints"/> in words. The reason names the band rather than the day, so that it
    /// changes when the points do and not every day (the account page shows the exact days past due beside it).
    /// </summary>
    private static string PastDueBand(int daysPastDue) => daysPastDue switch
    {
        <= 30 => "1–30 days",
        <= 60 => "31–60 days",
        <= 90 => "61–90 days",
        _ => "more than 90 days",
    };

    /// <summary>Promises broken in the last 180 days: none 0, one 10, two 16, three or more 20.</summary>
    public static int BrokenPromisePoints(int broken) => broken switch
    {
        <= 0 => 0,
        1 => 10,
        2 => 16,
        _ => 20,
    };

    /// <summary>Payments returned or reversed in the last 180 days: none 0, one 10, two or more 15.</summary>
    public static int ReturnedPaymentPoints(int returned) => returned switch
    {
        <= 0 => 0,
        1 => 10,
        _ => 15,
    };

    /// <summary>
    /// The share of the last year's invoices not paid in full by their due date: none late (or none
    /// due) 0, up to a quarter 8, up to half 14, more than half 20.
    /// </summary>
    /// <remarks>Compared in whole numbers (late × 4 ≤ due), so that exactly a quarter or exactly a half falls in the lower band.</remarks>
    public static int LatePaymentPoints(int late, int due) =>
        late <= 0 || due <= 0 ? 0
        : (long)late * 4 <= due ? 8
        : (long)late * 2 <= due ? 14
        : 20;

    /// <summary>Disputes open on the date: none 0, one or more 10.</summary>
    public static int DisputePoints(int open) => open <= 0 ? 0 : 10;

    private static string Count(int n, string one, string many) => string.Create(CultureInfo.InvariantCulture, $"{n} {(n == 1 ? one : many)}");

    private static string Say(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
