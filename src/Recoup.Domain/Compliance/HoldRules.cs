using System.Globalization;
using static Recoup.Domain.Compliance.GateContext;

namespace Recoup.Domain.Compliance;

/// <summary>
/// A collection hold as the gate reads it: on debt <paramref name="DebtId"/> (an account), or only on one invoice of it
/// (<paramref name="InvoiceId"/>), in force on the debtor's local dates from <paramref name="StartsOn"/> until
/// <paramref name="EndsOn"/> (exclusive), or until <paramref name="ReleasedAt"/> when released earlier.
/// </summary>
/// <param name="InvoiceOpenMinor">For an invoice hold: what is open on the invoice (the held amount).</param>
/// <param name="DebtOpenMinor">What is open on the whole account, to tell whether anything outside the hold is left to collect.</param>
public sealed record CollectionHoldFacts(
    string HoldId,
    string DebtId,
    string? InvoiceId,
    string? InvoiceNumber,
    DateOnly StartsOn,
    DateOnly EndsOn,
    string Reason,
    string SetBy,
    DateTimeOffset? ReleasedAt = null,
    long InvoiceOpenMinor = 0,
    long DebtOpenMinor = 0);

/// <summary>
/// An account placed with an attorney or an outside agency, from <paramref name="Since"/> until <paramref name="EndedAt"/>
/// (recalled or returned; null while placed). Only contacts on <paramref name="AllowedChannels"/> (what the placement
/// allows Recoup to keep doing, e.g. statements by letter) may go meanwhile.
/// </summary>
public sealed record PlacementFacts(
    string PlacementId,
    string DebtId,
    string PlacedWith,
    DateTimeOffset Since,
    DateTimeOffset? EndedAt,
    IReadOnlyList<ContactChannel> AllowedChannels);

public sealed partial record ContactCase
{
    /// <summary>Collection holds on the debtor's accounts and invoices (past, in force and future: the gate picks those in force).</summary>
    public IReadOnlyList<CollectionHoldFacts> CollectionHolds { get; init; } = [];

    /// <summary>Placements of the debtor's accounts with attorneys and agencies.</summary>
    public IReadOnlyList<PlacementFacts> Placements { get; init; } = [];
}

public sealed partial record ContactAttempt
{
    /// <summary>The invoices (ids as strings) the contact is about; empty means the whole open balance of its debts.</summary>
    public IReadOnlyList<string> InvoiceIds { get; init; } = [];
}

/// <summary>The rules that stop collection for a business reason rather than a law: a collection hold, a placement.</summary>
public static class HoldComplianceRules
{
    public static ComplianceRule CollectionHold { get; } = new("collection-hold", "collection hold (company policy)", "Collection hold", ExceptionAllowed: false, ConsumerOnly: false);

    public static ComplianceRule PlacedWithAgency { get; } = new("placed-with-agency", "placement agreement with the attorney or agency", "Placed with an attorney or agency", ExceptionAllowed: false, ConsumerOnly: false);
}

/// <summary>
/// A held account gets no contact at all; a held invoice gets none about it, and a contact about the whole account
/// is refused when everything open on it is held. The hold lifts by itself at local midnight of its end date.
/// </summary>
internal sealed class CollectionHoldRule : IContactRule
{
    public ComplianceRule Rule => HoldComplianceRules.CollectionHold;

    public long Check(ref readonly GateContext c, long t, ref ReasonSink reasons)
    {
        var holds = c.Case.CollectionHolds;
        if (holds.Count == 0)
        {
            return Passes;
        }

        var today = c.LocalDate(t);
        var invoices = c.Attempt.InvoiceIds;
        var result = Passes;
        for (var i = 0; i < c.DebtCount; i++)
        {
            var debtId = c.DebtIdAt(i);
            long heldOpen = 0, debtOpen = 0, heldUntil = Passes;
            CollectionHoldFacts? anyInvoiceHold = null;
            foreach (var hold in holds)
            {
                if (!string.Equals(hold.DebtId, debtId, StringComparison.Ordinal) || !InForce(hold, today, t))
                {
                    continue;
                }

                var lifts = LiftsAt(in c, hold);
                if (hold.InvoiceId is null || Names(invoices, hold.InvoiceId))
                {
                    if (reasons.Collect)
                    {
                        reasons.Add(Rule, hold.InvoiceId is null
                            ? $"Account {debtId} is on a collection hold from {Reasons.Date(hold.StartsOn)} until {Reasons.Date(hold.EndsOn)} ({hold.Reason}; set by {hold.SetBy}). Nothing is collected on it until then."
                            : $"Invoice {hold.InvoiceNumber} of account {debtId} is on a collection hold until {Reasons.Date(hold.EndsOn)} ({hold.Reason}; set by {hold.SetBy}): no contact about it until then.");
                    }

                    result = Math.Max(result, lifts);
                    continue;
                }

                if (invoices.Count == 0)
                {
                    heldOpen += hold.InvoiceOpenMinor;
                    debtOpen = hold.DebtOpenMinor;
                    heldUntil = Math.Max(heldUntil, lifts);
                    anyInvoiceHold = hold;
                }
            }

            if (anyInvoiceHold is not null && heldOpen > 0 && heldOpen >= debtOpen)
            {
                if (reasons.Collect)
                {
                    reasons.Add(Rule, $"Everything open on account {debtId} is on invoices under a collection hold ({anyInvoiceHold.Reason}); nothing on it may be collected until the holds end.");
                }

                result = Math.Max(result, heldUntil);
            }
        }

        return result;
    }

    private static bool InForce(CollectionHoldFacts hold, DateOnly today, long t) =>
        hold.StartsOn <= today && today < hold.EndsOn && (hold.ReleasedAt is not { } released || t < released.UtcTicks);

    private static bool Names(IReadOnlyList<string> invoices, string invoiceId)
    {
        for (var i = 0; i < invoices.Count; i++)
        {
            if (string.Equals(invoices[i], invoiceId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The instant the hold stops: the first instant of its end date in the debtor's (first) zone, or its release.</summary>
    private static long LiftsAt(ref readonly GateContext c, CollectionHoldFacts hold)
    {
        var end = c.Zones[0].FirstInstantAtOrAfter(hold.EndsOn.ToDateTime(TimeOnly.MinValue).Ticks);
        return hold.ReleasedAt is { } released ? Math.Min(end, released.UtcTicks) : end;
    }
}

/// <summary>While an account is placed with an attorney or agency, Recoup contacts the debtor about it only as the placement allows.</summary>
internal sealed class PlacedWithAgencyRule : IContactRule
{
    public ComplianceRule Rule => HoldComplianceRules.PlacedWithAgency;

    public long Check(ref readonly GateContext c, long t, ref ReasonSink reasons)
    {
        var placements = c.Case.Placements;
        if (placements.Count == 0)
        {
            return Passes;
        }

        var result = Passes;
        for (var i = 0; i < c.DebtCount; i++)
        {
            var debtId = c.DebtIdAt(i);
            foreach (var placement in placements)
            {
                if (!string.Equals(placement.DebtId, debtId, StringComparison.Ordinal) || placement.Since.UtcTicks > t
                    || (placement.EndedAt is { } ended && ended.UtcTicks <= t) || placement.AllowedChannels.Contains(c.Attempt.Channel))
                {
                    continue;
                }

                if (reasons.Collect)
                {
                    var allowed = placement.AllowedChannels.Count == 0 ? "no contact by Recoup" : "only " + string.Join(", ", placement.AllowedChannels.Select(ContactChannels.Name));
                    reasons.Add(Rule, string.Create(CultureInfo.InvariantCulture,
                        $"Account {debtId} is placed with {placement.PlacedWith} since {placement.Since:yyyy-MM-dd}; the placement allows {allowed}. Recall it to collect here."));
                }

                result = Math.Max(result, placement.EndedAt?.UtcTicks ?? Never);
            }
        }

        return result;
    }
}
