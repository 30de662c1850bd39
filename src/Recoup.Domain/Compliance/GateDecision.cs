namespace Recoup.Domain.Compliance;

/// <summary>One reason a contact is blocked.</summary>
/// <param name="Rule">The rule's stable id, e.g. <c>call-frequency</c> (see <see cref="ComplianceRules"/>).</param>
/// <param name="Citation">The law the rule comes from, e.g. <c>12 CFR 1006.14(b)(2)(i)(A)</c>.</param>
/// <param name="Message">Plain language for the collector: what is wrong and until when.</param>
/// <param name="ExceptionAllowed">A manager may record a documented exception to this rule.</param>
public sealed record GateReason(string Rule, string Citation, string Message, bool ExceptionAllowed);

/// <summary>A reason that would block a contact, lifted by a manager's documented exception.</summary>
/// <param name="Rule">The rule's id.</param>
/// <param name="Citation">The law it comes from.</param>
/// <param name="Message">What would have blocked the contact, as <see cref="GateReason.Message"/> says it.</param>
/// <param name="GrantId">The exception grant that lifts it (<see cref="ExceptionGrantFacts.GrantId"/>).</param>
public sealed record ExceptedReason(string Rule, string Citation, string Message, string GrantId);

/// <summary>The gate's answer.</summary>
/// <param name="Allowed">The contact may be made now.</param>
/// <param name="Reasons">Every reason it is blocked (empty when allowed).</param>
/// <param name="NextAllowedAt">
/// The earliest instant at or after the attempt's time at which the same contact would be allowed on the same facts
/// (UTC); null when it is allowed now, or when no passing of time allows it (a cease request, an opt-out, a missing
/// consent: the facts must change first).
/// </param>
/// <param name="RequiredDisclosures">Ids of disclosures the message must carry (see <see cref="Disclosures"/>).</param>
public sealed record GateDecision(bool Allowed, IReadOnlyList<GateReason> Reasons, DateTimeOffset? NextAllowedAt, IReadOnlyList<string> RequiredDisclosures)
{
    /// <summary>
    /// Reasons that would block the contact at the attempt's time but are lifted by a manager's documented exception
    /// (<see cref="ContactCase.ExceptionGrants"/>), each with the grant that lifts it; empty when none. A contact
    /// allowed only thanks to these must be recorded with them.
    /// </summary>
    public IReadOnlyList<ExceptedReason> Excepted { get; init; } = [];

    internal static GateDecision AllowedWithoutDisclosures { get; } = new(true, [], null, []);

    internal static GateDecision AllowedWithOptOutNotice { get; } = new(true, [], null, [Disclosures.ElectronicOptOut]);
}

/// <summary>Ids of disclosures a message must carry.</summary>
public static class Disclosures
{
    /// <summary>
    /// The debt is time-barred: the message must say that the debtor cannot be sued for it. Regulation F does not
    /// prescribe this disclosure federally (12 CFR 1006.26 only forbids suing or threatening suit); several states
    /// require it, and the default rule set requires it everywhere as best practice.
    /// </summary>
    public const string TimeBarredDebt = "time-barred-debt";

    /// <summary>An e-mail or text must say how to opt out of such messages (12 CFR 1006.6(e)).</summary>
    public const string ElectronicOptOut = "electronic-opt-out";
}

/// <summary>What is known about one rule: its id, its citation, whether a manager may make an exception, whether it protects consumers only.</summary>
/// <param name="Id">Stable kebab-case id, used in decisions, the audit log and the API.</param>
/// <param name="Citation">The law it comes from.</param>
/// <param name="Title">A short name for screens.</param>
/// <param name="ExceptionAllowed">A manager may record a documented exception (e.g. the debtor's consent).</param>
/// <param name="ConsumerOnly">Applies only to consumer (and medical) debts of a person; see <see cref="RuleSet"/> for first-party creditors and commercial debts.</param>
public sealed record ComplianceRule(string Id, string Citation, string Title, bool ExceptionAllowed, bool ConsumerOnly);

/// <summary>The rules the gate applies, with their metadata.</summary>
public static class ComplianceRules
{
    public static ComplianceRule InconvenientTime { get; } = new("inconvenient-time", "12 CFR 1006.6(b)(1)(i)", "Inconvenient time", ExceptionAllowed: true, ConsumerOnly: true);

    public static ComplianceRule CallFrequency { get; } = new("call-frequency", "12 CFR 1006.14(b)(2)(i)(A)", "More than 7 calls in 7 days", ExceptionAllowed: true, ConsumerOnly: true);

    public static ComplianceRule CallAfterConversation { get; } = new("call-after-conversation", "12 CFR 1006.14(b)(2)(i)(B)", "Call within 7 days of a conversation", ExceptionAllowed: true, ConsumerOnly: true);

    public static ComplianceRule CeaseCommunication { get; } = new("cease-communication", "12 CFR 1006.6(c)", "Debtor asked us to stop", ExceptionAllowed: false, ConsumerOnly: true);

    public static ComplianceRule AttorneyRepresented { get; } = new("attorney-represented", "12 CFR 1006.6(b)(2)", "Represented by an attorney", ExceptionAllowed: true, ConsumerOnly: true);

    public static ComplianceRule DisputedDebt { get; } = new("disputed-debt", "12 CFR 1006.38(d)(2)(i)", "Disputed, verification not sent", ExceptionAllowed: false, ConsumerOnly: true);

    public static ComplianceRule OriginalCreditorRequest { get; } = new("original-creditor-request", "12 CFR 1006.38(d)(2)(ii)", "Original creditor requested, not sent", ExceptionAllowed: false, ConsumerOnly: true);

    public static ComplianceRule DisputeHold { get; } = new("dispute-hold", "Recoup policy: the disputed amount is held out of collection (docs/disputes.md)", "Whole balance disputed", ExceptionAllowed: false, ConsumerOnly: false);

    public static ComplianceRule OptedOut { get; } = new("opted-out", "12 CFR 1006.14(h)(1); 12 CFR 1006.6(e)", "Opted out", ExceptionAllowed: false, ConsumerOnly: false);

    public static ComplianceRule WorkplaceContact { get; } = new("workplace-contact", "12 CFR 1006.6(b)(3)", "Workplace contact prohibited", ExceptionAllowed: true, ConsumerOnly: true);

    public static ComplianceRule TcpaConsent { get; } = new("tcpa-consent", "47 U.S.C. 227(b)(1)(A)(iii); 47 CFR 64.1200(a)", "No consent to automated contact", ExceptionAllowed: false, ConsumerOnly: false);

    public static ComplianceRule TimeBarred { get; } = new("time-barred", "12 CFR 1006.26(b)", "Time-barred debt", ExceptionAllowed: false, ConsumerOnly: true);

    public static ComplianceRule PassiveCollection { get; } = new("passive-collection", "12 CFR 1006.30(a)", "Credit reporting before contact", ExceptionAllowed: false, ConsumerOnly: true);

    public static ComplianceRule StateCallLimit { get; } = new("state-call-limit", "state law (see the state rule)", "State call limit", ExceptionAllowed: false, ConsumerOnly: true);

    /// <summary>The rule with this id, or null.</summary>
    public static ComplianceRule? Find(string? id)
    {
        foreach (var rule in All)
        {
            if (string.Equals(rule.Id, id, StringComparison.Ordinal))
            {
                return rule;
            }
        }

        return null;
    }

    /// <summary>Every rule, in the order the gate reports them.</summary>
    public static IReadOnlyList<ComplianceRule> All { get; } =
    [
        CeaseCommunication, AttorneyRepresented, OptedOut, DisputedDebt, OriginalCreditorRequest, DisputeHold, TimeBarred, TcpaConsent,
        WorkplaceContact, InconvenientTime, CallFrequency, CallAfterConversation, StateCallLimit, PassiveCollection,
        HoldComplianceRules.CollectionHold, HoldComplianceRules.PlacedWithAgency,
    ];
}
