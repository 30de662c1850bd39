using Recoup.Domain.Debtors;

namespace Recoup.Domain.Compliance;

/// <summary>The medium of a contact. The API spells them <c>call</c>, <c>sms</c>, <c>email</c>, <c>letter</c>.</summary>
public enum ContactChannel
{
    Call,
    Sms,
    Email,
    Letter,
}

/// <summary>What kind of line a phone number is; the TCPA protects mobile numbers from automated calls and texts.</summary>
public enum PhoneLineType
{
    Unknown,
    Mobile,
    Landline,
}

/// <summary>Who started a contact: we (outbound) or the debtor (inbound).</summary>
public enum ContactDirection
{
    Outbound,
    Inbound,
}

/// <summary>How a past contact ended.</summary>
public enum ContactOutcome
{
    /// <summary>The call did not connect to the dialled number (busy signal, number not in service): not counted as a placed call (12 CFR 1006.14(b)(3)(ii)).</summary>
    NotConnected,

    /// <summary>The call rang and nobody answered; no message was left.</summary>
    Unanswered,

    /// <summary>A message was left on voicemail or an answering machine.</summary>
    Voicemail,

    /// <summary>We spoke with the debtor: a telephone conversation.</summary>
    Conversation,

    /// <summary>A letter, e-mail or text message was sent and no notice of undeliverability came back.</summary>
    Sent,

    /// <summary>A letter, e-mail or text message came back as undeliverable.</summary>
    Undeliverable,
}

/// <summary>Who is collecting: a debt collector (Regulation F applies) or the creditor collecting its own debts.</summary>
public enum CompanyRole
{
    DebtCollector,
    FirstPartyCreditor,
}

/// <summary>What a contact is for, where a rule depends on it.</summary>
[Flags]
public enum ContactPurpose
{
    None = 0,

    /// <summary>The contact threatens, or announces, a lawsuit (forbidden on a time-barred debt, 12 CFR 1006.26(b)).</summary>
    ThreatOfSuit = 1,

    /// <summary>A letter telling the debtor that our collection efforts stop (allowed after a cease request, 12 CFR 1006.6(c)(2)(i)).</summary>
    CeaseAcknowledgement = 2,

    /// <summary>A letter notifying the debtor of a remedy we or the creditor may or will invoke (allowed after a cease request, 12 CFR 1006.6(c)(2)(ii)-(iii)).</summary>
    NoticeOfRemedy = 4,

    /// <summary>The verification of a disputed debt, or the original creditor's name and address, answering the debtor's request (12 CFR 1006.38(d)).</summary>
    DisputeResponse = 8,
}

/// <summary>The contact point an attempt uses, as the gate needs to know it.</summary>
/// <param name="Id">The contact point's id (as a string, so that the gate does not depend on storage ids).</param>
/// <param name="Kind">Phone, e-mail or postal.</param>
/// <param name="LineType">For a phone: mobile, landline or unknown.</param>
/// <param name="IsWorkplace">The number or address is the debtor's place of employment.</param>
/// <param name="TimeZones">IANA time zones this point suggests (e.g. from a phone number's area code); null or empty when none.</param>
public sealed record ContactPointFacts(
    string Id,
    ContactKind Kind,
    PhoneLineType LineType = PhoneLineType.Unknown,
    bool IsWorkplace = false,
    IReadOnlyList<string>? TimeZones = null);

/// <summary>A contact we intend to make: the question put to the gate.</summary>
/// <param name="Channel">Call, SMS, e-mail or letter.</param>
/// <param name="Point">The number or address used.</param>
/// <param name="At">When the call is placed or the message is sent (for a letter: mailed).</param>
/// <param name="DebtIds">The debts the contact concerns; empty means every debt of the case.</param>
/// <param name="Automated">Placed by an autodialer, with a prerecorded or artificial voice, or by an automatic strategy step.</param>
/// <param name="CreditorInitiated">We start it of our own accord; false for a call the debtor asked for.</param>
/// <param name="Purpose">What the contact is for, where a rule depends on it.</param>
/// <param name="DirectConsentAt">When the debtor directly consented to this call (e.g. "call me back tomorrow"); calls within seven days of such consent are outside the call frequencies (12 CFR 1006.14(b)(3)(i)).</param>
public sealed partial record ContactAttempt(
    ContactChannel Channel,
    ContactPointFacts Point,
    DateTimeOffset At,
    IReadOnlyList<string> DebtIds,
    bool Automated = false,
    bool CreditorInitiated = true,
    ContactPurpose Purpose = ContactPurpose.None,
    DateTimeOffset? DirectConsentAt = null);

/// <summary>
/// A time the debtor said is inconvenient, in the debtor's local time: on <paramref name="Days"/> (empty: every day)
/// from <paramref name="From"/> until <paramref name="To"/>.
/// </summary>
/// <remarks>
/// When <paramref name="To"/> is not after <paramref name="From"/> the range runs past midnight into the next day
/// (22:00–09:00); <c>From == To</c> is the whole day. The range is checked in every time zone the debtor may be in.
/// </remarks>
public sealed record InconvenientTime(IReadOnlyList<DayOfWeek> Days, TimeOnly From, TimeOnly To);

/// <summary>
/// The debtor asked us not to use a medium (<paramref name="Channel"/>) or a particular number or address
/// (<paramref name="ContactPointId"/>); both set means that medium on that point only.
/// </summary>
public sealed record OptOut(ContactChannel? Channel, string? ContactPointId, DateTimeOffset At);

/// <summary>
/// The debtor's recorded consent to automated calls and texts on one number (TCPA, 47 U.S.C. 227(b)(1)(A)(iii)),
/// for one <paramref name="Channel"/> or, when null, for both calls and texts. A revocation by any reasonable means
/// is recorded in <paramref name="RevokedAt"/>.
/// </summary>
public sealed record AutomatedContactConsent(string ContactPointId, DateTimeOffset GivenAt, DateTimeOffset? RevokedAt = null, ContactChannel? Channel = null);

/// <summary>
/// A manager's documented exception to one rule, as the gate reads it (see <see cref="ComplianceExceptionGrant"/> for
/// how one is granted). While it is in force — from <paramref name="ValidFrom"/> (inclusive) until the earlier of
/// <paramref name="ValidUntil"/> and <paramref name="RevokedAt"/> (exclusive) — a block by rule <paramref name="Rule"/>
/// no longer blocks, on the debt, channel and contact point it names (null: any).
/// </summary>
/// <remarks>
/// Only rules whose <see cref="ComplianceRule.ExceptionAllowed"/> is set can be excepted: a grant for any other rule
/// (cease communication, an opt-out, a missing TCPA consent, a disputed debt, ...) is ignored by the gate. A grant
/// that names a debt lifts a block about that debt; for a block about the person (calling hours, attorney,
/// workplace) it applies only when the attempt is about that debt alone. The case is one debtor's: the caller passes
/// only that debtor's grants.
/// </remarks>
/// <param name="GrantId">The grant's id, reported in <see cref="GateDecision.Excepted"/> so that the record shows which grant allowed a contact.</param>
/// <param name="Rule">The rule's id (<see cref="ComplianceRule.Id"/>).</param>
/// <param name="ValidFrom">When it starts to apply.</param>
/// <param name="ValidUntil">When it stops applying.</param>
/// <param name="DebtId">The debt it is limited to, or null for every debt of the debtor.</param>
/// <param name="Channel">The medium it is limited to, or null for every medium.</param>
/// <param name="ContactPointId">The number or address it is limited to, or null for any.</param>
/// <param name="RevokedAt">When a manager revoked it; it ends then.</param>
public sealed record ExceptionGrantFacts(
    string GrantId,
    string Rule,
    DateTimeOffset ValidFrom,
    DateTimeOffset ValidUntil,
    string? DebtId = null,
    ContactChannel? Channel = null,
    string? ContactPointId = null,
    DateTimeOffset? RevokedAt = null);

/// <summary>The facts about one debt that rules need.</summary>
/// <param name="DebtId">The account's id, as a string.</param>
/// <param name="Type">Consumer, medical or commercial.</param>
/// <param name="State">The US state (two letters) whose statute of limitations governs the debt; null when unknown.</param>
/// <param name="LimitationsStartOn">The date the statute of limitations started to run (e.g. the default date or the last payment).</param>
/// <param name="ValidationNoticeSentOn">When the validation notice (12 CFR 1006.34) was sent.</param>
/// <param name="InitialCommunicationAt">Our initial communication with the debtor about this debt.</param>
/// <param name="DisputedOn">When the debtor disputed the debt in writing; it stops collection when within the validation period.</param>
/// <param name="VerificationSentAt">When the verification of the disputed debt was sent.</param>
/// <param name="OriginalCreditorRequestedOn">When the debtor asked in writing for the original creditor's name and address.</param>
/// <param name="OriginalCreditorSentAt">When that name and address were sent.</param>
/// <param name="HeldInFullSince">Since when open disputes cover the debt's whole balance (the dispute hold); null when they do not.</param>
public sealed record DebtFacts(
    string DebtId,
    DebtType Type,
    string? State = null,
    DateOnly? LimitationsStartOn = null,
    DateOnly? ValidationNoticeSentOn = null,
    DateTimeOffset? InitialCommunicationAt = null,
    DateOnly? DisputedOn = null,
    DateTimeOffset? VerificationSentAt = null,
    DateOnly? OriginalCreditorRequestedOn = null,
    DateTimeOffset? OriginalCreditorSentAt = null,
    DateTimeOffset? HeldInFullSince = null);

/// <summary>
/// Everything the gate knows about a debtor and their debts at the moment of a decision. Built by the caller from
/// storage; the gate reads no clock and no database.
/// </summary>
public sealed partial record ContactCase
{
    /// <summary>A person (the consumer rules may apply) or a business (they do not).</summary>
    public DebtorKind DebtorKind { get; init; } = DebtorKind.Person;

    /// <summary>The debt type of a debt not listed in <see cref="Debts"/>.</summary>
    public DebtType DebtType { get; init; } = DebtType.Consumer;

    /// <summary>Whether we collect as a debt collector or as the creditor.</summary>
    public CompanyRole Role { get; init; } = CompanyRole.DebtCollector;

    /// <summary>The IANA time zones the debtor may be in (address, phone area codes, what they told us). Empty: the rule set's fallback zones.</summary>
    public IReadOnlyList<string> TimeZones { get; init; } = [];

    /// <summary>The US states (two letters) the debtor may live in; their overlays apply.</summary>
    public IReadOnlyList<string> States { get; init; } = [];

    /// <summary>Times the debtor said are inconvenient.</summary>
    public IReadOnlyList<InconvenientTime> InconvenientTimes { get; init; } = [];

    /// <summary>When the debtor asked in writing that we stop communicating, or refused to pay (12 CFR 1006.6(c)).</summary>
    public DateTimeOffset? CeaseCommunicationAt { get; init; }

    /// <summary>Since when we know the debtor is represented by an attorney about the debt (12 CFR 1006.6(b)(2)).</summary>
    public DateTimeOffset? AttorneyRepresentedSince { get; init; }

    /// <summary>We know or have reason to know the debtor's employer prohibits such communications (12 CFR 1006.6(b)(3)).</summary>
    public bool WorkplaceContactProhibited { get; init; }

    /// <summary>Media and contact points the debtor opted out of.</summary>
    public IReadOnlyList<OptOut> OptOuts { get; init; } = [];

    /// <summary>Recorded consents to automated calls and texts.</summary>
    public IReadOnlyList<AutomatedContactConsent> Consents { get; init; } = [];

    /// <summary>The debtor's documented exceptions granted by a manager (in force, past and future: the gate picks those in force at each instant).</summary>
    public IReadOnlyList<ExceptionGrantFacts> ExceptionGrants { get; init; } = [];

    /// <summary>The debts of the case.</summary>
    public IReadOnlyList<DebtFacts> Debts { get; init; } = [];

    /// <summary>Past contacts, sorted by time.</summary>
    public ContactHistory History { get; init; } = ContactHistory.Empty;

    /// <summary>The facts of one debt, or null when the case does not list it.</summary>
    public DebtFacts? Debt(string debtId)
    {
        var debts = Debts;
        for (var i = 0; i < debts.Count; i++)
        {
            if (string.Equals(debts[i].DebtId, debtId, StringComparison.Ordinal))
            {
                return debts[i];
            }
        }

        return null;
    }
}
