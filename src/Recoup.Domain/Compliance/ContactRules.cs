using System.Globalization;
using Recoup.Domain.Debtors;
using static Recoup.Domain.Compliance.GateContext;

namespace Recoup.Domain.Compliance;

/// <summary>
/// One rule of the gate. <see cref="Check"/> answers for the contact as if made at <c>t</c> (UTC ticks):
/// <see cref="GateContext.Passes"/>, or the earliest instant after <c>t</c> at which this rule alone stops blocking
/// (<see cref="GateContext.Never"/> when time alone never lifts it). When <c>reasons</c> collects (the first check,
/// at the attempt's own time), it adds one reason per thing that blocks; otherwise no message is written.
/// </summary>
internal interface IContactRule
{
    ComplianceRule Rule { get; }

    long Check(ref readonly GateContext c, long t, ref ReasonSink reasons);

    /// <summary>The rule set switches this rule on.</summary>
    bool EnabledIn(RuleSet rules) => rules.IsEnabled(Rule);
}

/// <summary>
/// Where rules put their reasons: made only when the first one comes, so an allowed decision allocates nothing. A
/// reason lifted by a documented exception (<see cref="GateContext.ExceptionFor"/>) goes to <see cref="Excepted"/>.
/// </summary>
internal struct ReasonSink(bool collect)
{
    public readonly bool Collect = collect;

    public List<GateReason>? Items { get; private set; }

    public List<ExceptedReason>? Excepted { get; private set; }

    public void Add(ComplianceRule rule, string message, string? citation = null, ExceptionGrantFacts? exceptedBy = null)
    {
        if (exceptedBy is null)
        {
            (Items ??= new List<GateReason>(2)).Add(new GateReason(rule.Id, citation ?? rule.Citation, message, rule.ExceptionAllowed));
        }
        else
        {
            (Excepted ??= new List<ExceptedReason>(1)).Add(new ExceptedReason(rule.Id, citation ?? rule.Citation, message, exceptedBy.GrantId));
        }
    }
}

internal static class Reasons
{
    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>After a cease request only letters confirming that we stop, or notifying of a remedy, may go (12 CFR 1006.6(c)).</summary>
internal sealed class CeaseCommunicationRule : IContactRule
{
    public ComplianceRule Rule => ComplianceRules.CeaseCommunication;

    public long Check(ref readonly GateContext c, long t, ref ReasonSink reasons)
    {
        if (!c.PersonInScope || c.Case.CeaseCommunicationAt is not { } since || since.UtcTicks > t)
        {
            return Passes;
        }

        var purpose = c.Attempt.Purpose;
        const ContactPurpose exempt = ContactPurpose.CeaseAcknowledgement | ContactPurpose.NoticeOfRemedy;
        if (c.Attempt.Channel == ContactChannel.Letter && (purpose & exempt) != 0 && (purpose & ~exempt) == 0)
        {
            return Passes;
        }

        if (reasons.Collect)
        {
            reasons.Add(Rule, $"The debtor asked us to stop communicating on {c.Describe(since.UtcTicks)}. Only a letter confirming that we stop, or notifying of a remedy, may be sent.");
        }

        return Never;
    }
}

/// <summary>No communication with a debtor we know is represented by an attorney about the debt (12 CFR 1006.6(b)(2)).</summary>
internal sealed class AttorneyRepresentedRule : IContactRule
{
    public ComplianceRule Rule => ComplianceRules.AttorneyRepresented;

    public long Check(ref readonly GateContext c, long t, ref ReasonSink reasons)
    {
        if (!c.PersonInScope || c.Case.AttorneyRepresentedSince is not { } since || since.UtcTicks > t)
        {
            return Passes;
        }

        var next = Never;
        var grant = c.ExceptionFor(Rule, null, t, ref next);
        if (reasons.Collect)
        {
            reasons.Add(Rule, $"The debtor is represented by an attorney (known since {c.Describe(since.UtcTicks)}). Contact the attorney instead; a manager may record an exception if the attorney consents or does not respond in a reasonable time.", exceptedBy: grant);
        }

        return grant is null ? next : Passes;
    }
}

/// <summary>A medium, or a particular number or address, the debtor opted out of (12 CFR 1006.14(h)(1), 1006.6(e)).</summary>
internal sealed class OptOutRule : IContactRule
{
    public ComplianceRule Rule => ComplianceRules.OptedOut;

    public long Check(ref readonly GateContext c, long t, ref ReasonSink reasons)
    {
        var optOuts = c.Case.OptOuts;
        var result = Passes;
        for (var i = 0; i < optOuts.Count; i++)
        {
            var o = optOuts[i];
            if (o.At.UtcTicks > t || (o.Channel is null && o.ContactPointId is null))
            {
                continue;
            }

            var channelMatches = o.Channel is null || o.Channel == c.Attempt.Channel;
            var pointMatches = o.ContactPointId is null || string.Equals(o.ContactPointId, c.Attempt.Point.Id, StringComparison.Ordinal);
            if (channelMatches && pointMatches)
            {
                if (reasons.Collect)
                {
                    reasons.Add(Rule, o.ContactPointId is null
                        ? $"The debtor opted out of {c.ChannelNoun} on {c.Describe(o.At.UtcTicks)}."
                        : $"The debtor opted out of {(o.Channel is null ? "contact" : c.ChannelNoun)} at this {(c.Attempt.Point.Kind == ContactKind.Phone ? "number" : "address")} ({c.Attempt.Point.Id}) on {c.Describe(o.At.UtcTicks)}.");
                }

                result = Never;
            }
        }

        return result;
    }
}

/// <summary>
/// A debt disputed in writing within the validation period, or whose original creditor was requested, is not
/// collected until the verification (or the name and address) is sent (12 CFR 1006.38(d)(2)). Other debts are not affected.
/// </summary>
internal sealed class DisputedDebtRule(bool originalCreditor) : IContactRule
{
    public ComplianceRule Rule => originalCreditor ? ComplianceRules.OriginalCreditorRequest : ComplianceRules.DisputedDebt;

    public long Check(ref readonly GateContext c, long t, ref ReasonSink reasons)
    {
        if ((c.Attempt.Purpose & ContactPurpose.DisputeResponse) != 0)
        {
            return Passes;
        }

        var result = Passes;
        var count = c.DebtCount;
        for (var i = 0; i < count; i++)
        {
            if (c.DebtAt(i) is not { } debt || !c.DebtInScope(i))
            {
                continue;
            }

            var (on, answeredAt) = originalCreditor
                ? (debt.OriginalCreditorRequestedOn, debt.OriginalCreditorSentAt)
                : (debt.DisputedOn, debt.VerificationSentAt);
            if (on is not { } requested || (debt.ValidationNoticeSentOn is { } sent && !ValidationPeriod.Includes(sent, requested)))
            {
                continue;
            }

            if (answeredAt is { } answered && answered.UtcTicks <= t)
            {
                continue;
            }

            if (reasons.Collect)
            {
                reasons.Add(Rule, originalCreditor
                    ? $"On {Reasons.Date(requested)}, within the validation period, the debtor asked for the original creditor of debt {debt.DebtId}; it is not collected until the original creditor's name and address are sent. Other debts are not affected."
                    : $"Debt {debt.DebtId} was disputed on {Reasons.Date(requested)}, within the validation period; it is not collected until the verification is sent. Other debts are not affected.");
            }

            result = Math.Max(result, answeredAt is { } later ? later.UtcTicks : Never);
        }

        return result;
    }
}

/// <summary>No suit, and no threat of suit, on a time-barred debt (12 CFR 1006.26(b)).</summary>
internal sealed class TimeBarredRule : IContactRule
{
    public ComplianceRule Rule => ComplianceRules.TimeBarred;

    public long Check(ref readonly GateContext c, long t, ref ReasonSink reasons)
    {
        if ((c.Attempt.Purpose & ContactPurpose.ThreatOfSuit) == 0)
        {
            return Passes;
        }

        var result = Passes;
        var today = c.LocalDate(t);
        var count = c.DebtCount;
        for (var i = 0; i < count; i++)
        {
            if (c.DebtAt(i) is { } debt && c.DebtInScope(i) && c.Rules.Limitations.TimeBarredFrom(debt) is { } from && today >= from)
            {
                var row = c.Rules.Limitations.For(debt.State, debt.Type)!;
                if (reasons.Collect)
                {
                    reasons.Add(Rule, $"Debt {debt.DebtId} is time-barred since {Reasons.Date(from)} ({row.Years} years, {row.Citation}); it may not be sued on, and a lawsuit may not be threatened or mentioned as possible.");
                }

                result = Never;
            }
        }

        return result;
    }
}

/// <summary>Automated calls and texts to a mobile number need the debtor's recorded consent, until revoked (TCPA, 47 U.S.C. 227(b)(1)(A)(iii)).</summary>
internal sealed class TcpaConsentRule : IContactRule
{
    public ComplianceRule Rule => ComplianceRules.TcpaConsent;

    public long Check(ref readonly GateContext c, long t, ref ReasonSink reasons)
    {
        var attempt = c.Attempt;
        if (!attempt.Automated || attempt.Channel is not (ContactChannel.Call or ContactChannel.Sms) || attempt.Point.Kind != ContactKind.Phone)
        {
            return Passes;
        }

        var line = attempt.Point.LineType;
        if (line == PhoneLineType.Landline || (line == PhoneLineType.Unknown && !c.Rules.TreatUnknownLinesAsMobile))
        {
            return Passes;
        }

        var next = Never;
        var revokedAt = long.MinValue;
        var consents = c.Case.Consents;
        for (var i = 0; i < consents.Count; i++)
        {
            var consent = consents[i];
            if (!string.Equals(consent.ContactPointId, attempt.Point.Id, StringComparison.Ordinal) || (consent.Channel is { } channel && channel != attempt.Channel))
            {
                continue;
            }

            var given = consent.GivenAt.UtcTicks;
            var revoked = consent.RevokedAt?.UtcTicks ?? long.MaxValue;
            if (given <= t && t < revoked)
            {
                return Passes;
            }

            if (given > t && revoked > given)
            {
                next = Math.Min(next, given);
            }

            if (revoked <= t)
            {
                revokedAt = Math.Max(revokedAt, revoked);
            }
        }

        var what = attempt.Channel == ContactChannel.Call ? "automated or prerecorded calls" : "automated text messages";
        var kind = line == PhoneLineType.Mobile ? "a mobile number" : "a number that may be mobile (line type unknown)";
        if (reasons.Collect)
        {
            reasons.Add(Rule, revokedAt != long.MinValue
                ? $"The debtor revoked consent to {what} on {c.Describe(revokedAt)}; {attempt.Point.Id} is {kind}. Call by hand, or record new consent."
                : $"No recorded consent to {what} on {attempt.Point.Id}, {kind}. Call by hand, or record the debtor's consent.");
        }

        return next;
    }
}

/// <summary>No communication at the workplace when the employer prohibits it (12 CFR 1006.6(b)(3)).</summary>
internal sealed class WorkplaceContactRule : IContactRule
{
    public ComplianceRule Rule => ComplianceRules.WorkplaceContact;

    public long Check(ref readonly GateContext c, long t, ref ReasonSink reasons)
    {
        if (!c.PersonInScope || !c.Case.WorkplaceContactProhibited || !c.Attempt.Point.IsWorkplace)
        {
            return Passes;
        }

        var next = Never;
        var grant = c.ExceptionFor(Rule, null, t, ref next);
        if (reasons.Collect)
        {
            reasons.Add(Rule, $"{c.Attempt.Point.Id} is the debtor's workplace, and the debtor's employer prohibits such communications there.", exceptedBy: grant);
        }

        return grant is null ? next : Passes;
    }
}
