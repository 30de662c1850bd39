using System.Globalization;
using Recoup.Domain.Debtors;

namespace Recoup.Domain.Strategies;

/// <summary>An open invoice as the strategy sees it: how much is open and when it fell or falls due.</summary>
public readonly record struct OpenInvoice(InvoiceId Id, string Number, DateOnly DueDate, long OpenMinor)
{
    /// <summary>Days past due on <paramref name="asOf"/>: 0 on the due date, negative before it.</summary>
    public int DaysPastDueOn(DateOnly asOf) => asOf.DayNumber - DueDate.DayNumber;
}

/// <summary>Something that happened on the account, once: <paramref name="Key"/> tells two occurrences apart (the promise's or the returned debit's id).</summary>
public sealed record EventOccurrence(StrategyEvent Event, DateOnly On, string Key);

/// <summary>
/// What the run knows of an account when it decides its steps. <paramref name="Episode"/> names the
/// account's current delinquency (the run keeps it from when the account fell past due until it is
/// cured), so that a step taken in one delinquency is taken again in the next.
/// <paramref name="BalanceMinor"/> is what is collectible: the balance less what open disputes hold.
/// <paramref name="Disputed"/> is true when open disputes hold the whole balance.
/// <paramref name="Client"/> is the code of the creditor client that placed the debtor; null when none.
/// </summary>
public sealed record AccountStrategyFacts(
    AccountId AccountId,
    DebtorId DebtorId,
    DebtType DebtType,
    Currency Currency,
    long BalanceMinor,
    IReadOnlyList<OpenInvoice> OpenInvoices,
    string Episode,
    string Language = "en",
    string? Region = null,
    int? RiskScore = null,
    bool Disputed = false,
    bool OnPlan = false,
    IReadOnlyList<EventOccurrence>? Events = null,
    string? StoppedBy = null,
    string? Client = null)
{
    /// <summary>Whether collection is stopped on the account (<see cref="StoppedBy"/> says why: a collection hold, a placement): it gets no step.</summary>
    public bool Stopped => StoppedBy is not null;

    /// <summary>The days past due of the oldest open invoice; null when nothing is open.</summary>
    public int? DaysPastDueOn(DateOnly asOf) => OpenInvoices.Count == 0 ? null : OpenInvoices.Max(i => i.DaysPastDueOn(asOf));
}

/// <summary>
/// One action the run takes on an account. <see cref="Step"/> is the furthest step of its kind that is
/// due; <see cref="TakenKeys"/> are every due step it stands for (the earlier ones of the same kind are
/// taken with it, never sent late), and <see cref="Invoices"/> what it is about.
/// </summary>
public sealed record PlannedStep(StrategyStep Step, int Rank, IReadOnlyList<string> TakenKeys, IReadOnlyList<OpenInvoice> Invoices);

/// <summary>What the strategy decides for one account on one date: its segment and arm, and the steps due now (maybe none).</summary>
public sealed record StrategyDecision(AccountId AccountId, string Segment, string Arm, IReadOnlyList<PlannedStep> Steps);

/// <summary>
/// Decides, for one account on one business date, which segment and arm take it and which steps are
/// due. Pure: what was taken before comes in as keys, what to take goes out as keys.
/// </summary>
/// <remarks>
/// <para>A days-past-due step is due from the day the days past due reach its number (the account's
/// oldest open invoice, or each invoice under <see cref="DunningLevel.Invoice"/>) until it is taken.
/// An event step is due once per occurrence.</para>
/// <para>Several due steps of the same action become one (<see cref="PlannedStep"/>): the furthest in
/// the arm's order is taken, listing every invoice any of them is about, and the earlier ones are
/// recorded as taken with it. So an account first seen at 65 days gets the 60-day letter, not the
/// 10-, 30- and 60-day letters, and a debtor gets one letter per run, never one per invoice.</para>
/// </remarks>
public static class StrategyEvaluator
{
    /// <summary>The first segment whose condition holds, or null (nothing open, or no segment takes the account).</summary>
    public static StrategySegment? SegmentFor(StrategyDefinition strategy, AccountStrategyFacts facts, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        return facts.DaysPastDueOn(asOf) is null ? null : strategy.Segments.FirstOrDefault(s => Matches(s.When, facts, asOf));
    }

    public static bool Matches(SegmentCondition when, AccountStrategyFacts facts, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(when);
        ArgumentNullException.ThrowIfNull(facts);
        var days = facts.DaysPastDueOn(asOf) ?? 0;
        return (when.DebtTypes is not { Count: > 0 } types || types.Contains(facts.DebtType))
            && (when.BalanceFrom is not { } from || facts.BalanceMinor >= Minor(from, facts.Currency))
            && (when.BalanceTo is not { } to || facts.BalanceMinor <= Minor(to, facts.Currency))
            && (when.DaysPastDueFrom is not { } daysFrom || days >= daysFrom)
            && (when.DaysPastDueTo is not { } daysTo || days <= daysTo)
            && (when.RiskScoreFrom is not { } riskFrom || facts.RiskScore >= riskFrom)
            && (when.RiskScoreTo is not { } riskTo || facts.RiskScore <= riskTo)
            && (when.Languages is not { Count: > 0 } languages || languages.Contains(facts.Language, StringComparer.OrdinalIgnoreCase))
            && (when.Regions is not { Count: > 0 } regions || (facts.Region is { } region && regions.Contains(region, StringComparer.OrdinalIgnoreCase)))
            && (when.Disputed is not { } disputed || facts.Disputed == disputed)
            && (when.OnPlan is not { } onPlan || facts.OnPlan == onPlan)
            && (!when.HasClientCondition || MatchesClient(when, facts.Client));
    }

    /// <summary>An account with a client matches when its code is listed; one without, when the condition takes "no client".</summary>
    private static bool MatchesClient(SegmentCondition when, string? client) =>
        client is null ? when.NoClient == true : when.Clients is { Count: > 0 } codes && codes.Contains(client, StringComparer.OrdinalIgnoreCase);

    /// <summary>The segment, arm and due steps; null when no segment takes the account.</summary>
    /// <param name="taken">Keys of the steps already taken on this account (<see cref="PlannedStep.TakenKeys"/> of earlier runs).</param>
    public static StrategyDecision? Decide(StrategyDefinition strategy, AccountStrategyFacts facts, DateOnly asOf, IReadOnlySet<string> taken)
    {
        ArgumentNullException.ThrowIfNull(taken);
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.Stopped || SegmentFor(strategy, facts, asOf) is not { } segment)
        {
            return null;
        }

        var arm = StableSplit.ArmFor(facts.AccountId, segment);
        var due = new List<(StrategyStep Step, int Rank, string Key, IReadOnlyList<OpenInvoice> Invoices)>();
        for (var rank = 0; rank < arm.Steps.Count; rank++)
        {
            var step = arm.Steps[rank];
            if (step.DaysPastDue is { } days)
            {
                if (strategy.Dunning == DunningLevel.Account)
                {
                    var key = $"{step.Key}|{facts.Episode}";
                    if (facts.DaysPastDueOn(asOf) >= days && !taken.Contains(key))
                    {
                        // Every past-due invoice; for a reminder before the due date, those coming due within its days.
                        due.Add((step, rank, key, facts.OpenInvoices.Where(i => i.DaysPastDueOn(asOf) >= Math.Min(days, 1)).ToList()));
                    }
                }
                else
                {
                    foreach (var invoice in facts.OpenInvoices.Where(i => i.DaysPastDueOn(asOf) >= days))
                    {
                        var key = string.Create(CultureInfo.InvariantCulture, $"{step.Key}|invoice:{invoice.Id.Value:N}");
                        if (!taken.Contains(key))
                        {
                            due.Add((step, rank, key, [invoice]));
                        }
                    }
                }
            }
            else if (step.OnEvent is { } kind)
            {
                foreach (var occurrence in (facts.Events ?? []).Where(e => e.Event == kind && e.On <= asOf))
                {
                    var key = $"{step.Key}|event:{occurrence.Key}";
                    if (!taken.Contains(key))
                    {
                        due.Add((step, rank, key, facts.OpenInvoices.Where(i => i.DaysPastDueOn(asOf) > 0).ToList()));
                    }
                }
            }
        }

        var planned = due
            .GroupBy(d => d.Step.Action)
            .Select(g =>
            {
                var furthest = g.MaxBy(d => d.Rank);
                var invoices = g.SelectMany(d => d.Invoices).DistinctBy(i => i.Id).OrderBy(i => i.DueDate).ThenBy(i => i.Number, StringComparer.Ordinal).ToList();
                return new PlannedStep(furthest.Step, furthest.Rank, g.Select(d => d.Key).Distinct(StringComparer.Ordinal).ToList(), invoices);
            })
            .OrderBy(p => p.Rank)
            .ToList();
        return new StrategyDecision(facts.AccountId, segment.Name, arm.Name, planned);
    }

    private static long Minor(decimal major, Currency currency) => Money.FromMajor(major, currency, MidpointRounding.AwayFromZero).Minor;
}
