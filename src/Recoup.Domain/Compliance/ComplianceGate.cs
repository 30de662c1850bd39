using static Recoup.Domain.Compliance.GateContext;

namespace Recoup.Domain.Compliance;

/// <summary>
/// The compliance gate: one pure function that every outbound contact passes through. It reads no clock, no
/// database and no file; time comes in with the attempt.
/// </summary>
/// <remarks>
/// A block by a rule that allows an exception (<see cref="ComplianceRule.ExceptionAllowed"/>) is lifted while a
/// manager's documented exception for it is in force (<see cref="ContactCase.ExceptionGrants"/>); the decision lists
/// such reasons in <see cref="GateDecision.Excepted"/> with the grant. Every rule is checked and every blocking reason reported. <see cref="GateDecision.NextAllowedAt"/> is found by
/// moving forward from the attempt's time to the latest instant at which each blocking rule alone stops blocking,
/// then checking every rule again there, until all pass (a quiet period that ends at midnight rolls on to 08:00 in
/// every zone, and so on) or one blocks for good.
/// </remarks>
public static class ComplianceGate
{
    private const int MaxSteps = 1000;
    private const long Horizon = 5 * 366 * LocalTime.TicksPerDay;

    // The rules, in the order the gate reports them; held by their sealed types so that Evaluate calls them directly
    // (no interface dispatch per rule and step).
    private static readonly CeaseCommunicationRule Cease = new();
    private static readonly AttorneyRepresentedRule Attorney = new();
    private static readonly OptOutRule OptOut = new();
    private static readonly DisputedDebtRule Disputed = new(originalCreditor: false);
    private static readonly DisputedDebtRule OriginalCreditor = new(originalCreditor: true);
    private static readonly Disputes.DisputeHoldRule DisputeHold = new();
    private static readonly TimeBarredRule TimeBarred = new();
    private static readonly TcpaConsentRule Tcpa = new();
    private static readonly WorkplaceContactRule Workplace = new();
    private static readonly InconvenientTimeRule InconvenientTime = new();
    private static readonly CallFrequencyRule CallFrequency = new();
    private static readonly StateCallLimitRule StateCallLimit = new();
    private static readonly CollectionHoldRule CollectionHold = new();
    private static readonly PlacedWithAgencyRule PlacedWithAgency = new();

    private static readonly string[] OptOutNotice = [Disclosures.ElectronicOptOut];
    private static readonly string[] TimeBarredNotice = [Disclosures.TimeBarredDebt];
    private static readonly string[] BothNotices = [Disclosures.ElectronicOptOut, Disclosures.TimeBarredDebt];
    private static readonly GateDecision AllowedWithTimeBarredNotice = new(true, [], null, TimeBarredNotice);
    private static readonly GateDecision AllowedWithBothNotices = new(true, [], null, BothNotices);

    /// <summary>May <paramref name="attempt"/> be made, on these facts and rules? With every reason if not, and when it could be.</summary>
    public static GateDecision Check(ContactCase facts, ContactAttempt attempt, RuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(rules);
        var context = new GateContext(facts, attempt, rules);
        var at = attempt.At.UtcTicks;
        var reasons = new ReasonSink(collect: true);
        var next = Evaluate(in context, at, ref reasons);
        var disclosures = DisclosuresFor(in context, at);
        if (next == Passes)
        {
            return reasons.Excepted is { } excepted ? new GateDecision(true, [], null, disclosures) { Excepted = excepted } : AllowedDecision(disclosures);
        }

        var t = at;
        for (var step = 0; step < MaxSteps && next != Never; step++)
        {
            t = Math.Max(next, t + 1);
            if (t - at > Horizon)
            {
                next = Never;
                break;
            }

            var none = new ReasonSink(collect: false);
            next = Evaluate(in context, t, ref none);
            if (next == Passes)
            {
                break;
            }
        }

        DateTimeOffset? nextAllowed = next == Passes ? new DateTimeOffset(t, TimeSpan.Zero) : null;
        var blocked = new GateDecision(false, reasons.Items!, nextAllowed, disclosures);
        return reasons.Excepted is { } lifted ? blocked with { Excepted = lifted } : blocked;
    }

    /// <summary>
    /// May debt <paramref name="debtId"/> be furnished to a consumer reporting agency at <paramref name="at"/>? Not
    /// before we spoke with the debtor about it, or sent a letter or electronic message about it and
    /// <see cref="RuleSet.PassiveCollectionWaitDays"/> days passed without it coming back undeliverable (12 CFR 1006.30(a)).
    /// </summary>
    public static GateDecision CheckFurnishing(ContactCase facts, string debtId, DateTimeOffset at, RuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(debtId);
        ArgumentNullException.ThrowIfNull(rules);
        var rule = ComplianceRules.PassiveCollection;
        var attempt = new ContactAttempt(ContactChannel.Letter, new ContactPointFacts("", Debtors.ContactKind.Postal), at, [debtId]);
        var context = new GateContext(facts, attempt, rules);
        if (!rules.IsEnabled(rule) || !context.PersonInScope)
        {
            return GateDecision.AllowedWithoutDisclosures;
        }

        var slots = facts.History.Slots[..context.HistoryEnd];
        var firstSent = long.MaxValue;
        var bit = facts.History.BitOf(debtId);
        foreach (ref readonly var s in slots)
        {
            if (!s.Covers(debtId, bit))
            {
                continue;
            }

            if (s.Channel == ContactChannel.Call && s.Outcome == ContactOutcome.Conversation)
            {
                return GateDecision.AllowedWithoutDisclosures;
            }

            if (s.Channel != ContactChannel.Call && s.Direction == ContactDirection.Outbound && s.Outcome == ContactOutcome.Sent)
            {
                firstSent = Math.Min(firstSent, s.Ticks);
            }
        }

        if (firstSent == long.MaxValue)
        {
            return new GateDecision(false, [Reason(rule, $"Debt {debtId} may not be reported to a credit bureau yet: we have not spoken with the debtor about it, and no letter or electronic message about it was sent (or every one came back undeliverable).")], null, []);
        }

        var allowedFrom = firstSent + (rules.PassiveCollectionWaitDays * LocalTime.TicksPerDay);
        if (at.UtcTicks >= allowedFrom)
        {
            return GateDecision.AllowedWithoutDisclosures;
        }

        return new GateDecision(
            false,
            [Reason(rule, $"Debt {debtId} may not be reported to a credit bureau yet: the first message about it was sent on {context.Describe(firstSent)}, and {rules.PassiveCollectionWaitDays} days must pass without a notice that it was undeliverable (until {context.Describe(allowedFrom)}).")],
            new DateTimeOffset(allowedFrom, TimeSpan.Zero),
            []);
    }

    private static GateReason Reason(ComplianceRule rule, string message) => new(rule.Id, rule.Citation, message, rule.ExceptionAllowed);

    /// <summary>Checks every rule at <paramref name="t"/>: <see cref="GateContext.Passes"/>, or the latest of the blocking rules' next instants.</summary>
    private static long Evaluate(ref readonly GateContext context, long t, ref ReasonSink reasons)
    {
        // Nothing disabled (the usual rule set): every rule is on, and a consumer-only rule needs only the person in scope.
        var all = !context.Rules.AnyDisabled;
        var person = context.PersonInScope;
        var rules = context.Rules;
        var result = Passes;
        if ((person || !Cease.Rule.ConsumerOnly) && (all || rules.IsEnabled(Cease.Rule)) && Blocks(ref result, Cease.Check(in context, t, ref reasons), in reasons))
        {
            return Never;
        }

        if ((person || !Attorney.Rule.ConsumerOnly) && (all || rules.IsEnabled(Attorney.Rule)) && Blocks(ref result, Attorney.Check(in context, t, ref reasons), in reasons))
        {
            return Never;
        }

        if ((person || !OptOut.Rule.ConsumerOnly) && (all || rules.IsEnabled(OptOut.Rule)) && Blocks(ref result, OptOut.Check(in context, t, ref reasons), in reasons))
        {
            return Never;
        }

        if ((person || !Disputed.Rule.ConsumerOnly) && (all || rules.IsEnabled(Disputed.Rule)) && Blocks(ref result, Disputed.Check(in context, t, ref reasons), in reasons))
        {
            return Never;
        }

        if ((person || !OriginalCreditor.Rule.ConsumerOnly) && (all || rules.IsEnabled(OriginalCreditor.Rule)) && Blocks(ref result, OriginalCreditor.Check(in context, t, ref reasons), in reasons))
        {
            return Never;
        }

        if ((person || !DisputeHold.Rule.ConsumerOnly) && (all || rules.IsEnabled(DisputeHold.Rule)) && Blocks(ref result, DisputeHold.Check(in context, t, ref reasons), in reasons))
        {
            return Never;
        }

        if ((person || !TimeBarred.Rule.ConsumerOnly) && (all || rules.IsEnabled(TimeBarred.Rule)) && Blocks(ref result, TimeBarred.Check(in context, t, ref reasons), in reasons))
        {
            return Never;
        }

        if ((person || !Tcpa.Rule.ConsumerOnly) && (all || rules.IsEnabled(Tcpa.Rule)) && Blocks(ref result, Tcpa.Check(in context, t, ref reasons), in reasons))
        {
            return Never;
        }

        if ((person || !Workplace.Rule.ConsumerOnly) && (all || rules.IsEnabled(Workplace.Rule)) && Blocks(ref result, Workplace.Check(in context, t, ref reasons), in reasons))
        {
            return Never;
        }

        if ((person || !InconvenientTime.Rule.ConsumerOnly) && (all || rules.IsEnabled(InconvenientTime.Rule)) && Blocks(ref result, InconvenientTime.Check(in context, t, ref reasons), in reasons))
        {
            return Never;
        }

        if ((person || !CallFrequency.Rule.ConsumerOnly) && (all || CallFrequency.EnabledIn(rules)) && Blocks(ref result, CallFrequency.Check(in context, t, ref reasons), in reasons))
        {
            return Never;
        }

        if ((person || !StateCallLimit.Rule.ConsumerOnly) && (all || rules.IsEnabled(StateCallLimit.Rule)) && Blocks(ref result, StateCallLimit.Check(in context, t, ref reasons), in reasons))
        {
            return Never;
        }

        if ((all || rules.IsEnabled(CollectionHold.Rule)) && Blocks(ref result, CollectionHold.Check(in context, t, ref reasons), in reasons))
        {
            return Never;
        }

        if ((all || rules.IsEnabled(PlacedWithAgency.Rule)) && Blocks(ref result, PlacedWithAgency.Check(in context, t, ref reasons), in reasons))
        {
            return Never;
        }

        return result;
    }

    /// <summary>Folds one rule's verdict into <paramref name="result"/>; true when the evaluation can stop (blocked for good, and no reasons are collected).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static bool Blocks(ref long result, long verdict, ref readonly ReasonSink reasons)
    {
        if (verdict == Passes)
        {
            return false;
        }

        result = Math.Max(result, verdict);
        return !reasons.Collect && verdict == Never;
    }

    private static string[] DisclosuresFor(ref readonly GateContext context, long at)
    {
        var channel = context.Attempt.Channel;
        var electronic = channel is ContactChannel.Email or ContactChannel.Sms;
        var timeBarred = false;
        if (channel is ContactChannel.Letter or ContactChannel.Email && context.Rules.RequireTimeBarredDisclosure && context.PersonInScope)
        {
            var today = context.LocalDate(at);
            for (var i = 0; i < context.DebtCount && !timeBarred; i++)
            {
                timeBarred = context.DebtAt(i) is { } debt && context.DebtInScope(i) && context.Rules.Limitations.IsTimeBarred(debt, today);
            }
        }

        return (electronic, timeBarred) switch
        {
            (false, false) => [],
            (true, false) => OptOutNotice,
            (false, true) => TimeBarredNotice,
            (true, true) => BothNotices,
        };
    }

    private static GateDecision AllowedDecision(string[] disclosures) =>
        ReferenceEquals(disclosures, OptOutNotice) ? GateDecision.AllowedWithOptOutNotice
        : ReferenceEquals(disclosures, TimeBarredNotice) ? AllowedWithTimeBarredNotice
        : ReferenceEquals(disclosures, BothNotices) ? AllowedWithBothNotices
        : GateDecision.AllowedWithoutDisclosures;
}
