using System.Globalization;
using Recoup.Domain.Debtors;

namespace Recoup.Domain.Compliance;

/// <summary>What a manager asks to grant: the rule, its scope, its validity and why.</summary>
/// <param name="Rule">The rule's id, e.g. <c>inconvenient-time</c> (see <see cref="ComplianceRules"/>).</param>
/// <param name="AccountId">The only account (debt) it applies to; null for every account of the debtor.</param>
/// <param name="Channel">The only medium it applies to; null for every medium.</param>
/// <param name="ContactPointId">The only number or address it applies to; null for any.</param>
/// <param name="ValidFrom">When it starts; null for now.</param>
/// <param name="ValidUntil">When it ends (exclusive); at most <see cref="ComplianceExceptionGrant.MaxValidity"/> after it starts.</param>
/// <param name="Documentation">Why, in words an examiner can check: who agreed to what, when and how.</param>
public sealed record ExceptionGrantDraft(
    string Rule,
    AccountId? AccountId,
    ContactChannel? Channel,
    ContactPointId? ContactPointId,
    DateTimeOffset? ValidFrom,
    DateTimeOffset ValidUntil,
    string Documentation);

/// <summary>
/// A manager's documented exception to one compliance rule for one debtor. Collectors cannot override a block; a
/// manager may record an exception only where the rule allows one (<see cref="ComplianceRule.ExceptionAllowed"/>):
/// the debtor's prior consent, given directly to us, to a contact at a time otherwise inconvenient or at the
/// workplace (12 CFR 1006.6(b)(1), (b)(3)); the attorney's consent to direct contact, or the attorney's failure to
/// respond within a reasonable time (12 CFR 1006.6(b)(2)); facts that rebut the call-frequency presumptions of
/// 12 CFR 1006.14(b)(2).
/// </summary>
/// <remarks>
/// A grant is never deleted. It ends at <see cref="ValidUntil"/>, or earlier when revoked (<see cref="Revoke"/>);
/// both stay on record. Rules that allow no exception — a cease-communication request (12 CFR 1006.6(c)), an opt-out
/// (12 CFR 1006.14(h)), a missing TCPA consent (47 U.S.C. 227(b)), a disputed debt (12 CFR 1006.38(d)), a time-barred
/// debt (12 CFR 1006.26(b)), a state limit — are refused by <see cref="Grant"/>; only the facts changing lifts them.
/// </remarks>
public sealed class ComplianceExceptionGrant
{
    /// <summary>The shortest documentation accepted, in characters.</summary>
    public const int MinDocumentationLength = 20;

    /// <summary>The longest documentation accepted, in characters.</summary>
    public const int MaxDocumentationLength = 2000;

    /// <summary>The longest a grant may last: an exception is for a stated occasion, not a standing waiver. A new one may follow.</summary>
    public static readonly TimeSpan MaxValidity = TimeSpan.FromDays(30);

    private ComplianceExceptionGrant()
    {
        Rule = "";
        Documentation = "";
        GrantedBy = "";
    }

    private ComplianceExceptionGrant(ExceptionGrantId id, DebtorId debtorId, ComplianceRule rule, ExceptionGrantDraft draft, DateTimeOffset validFrom,
        string grantedBy, DateTimeOffset grantedAt)
    {
        Id = id;
        DebtorId = debtorId;
        AccountId = draft.AccountId;
        Rule = rule.Id;
        Channel = draft.Channel;
        ContactPointId = draft.ContactPointId;
        ValidFrom = validFrom;
        ValidUntil = draft.ValidUntil.ToUniversalTime();
        Documentation = draft.Documentation.Trim();
        GrantedBy = grantedBy;
        GrantedAt = grantedAt;
    }

    public ExceptionGrantId Id { get; private set; }
    public DebtorId DebtorId { get; private set; }

    /// <summary>The only account it applies to; null for every account of the debtor.</summary>
    public AccountId? AccountId { get; private set; }

    /// <summary>The rule's id (<see cref="ComplianceRule.Id"/>).</summary>
    public string Rule { get; private set; }

    /// <summary>The only medium it applies to; null for every medium.</summary>
    public ContactChannel? Channel { get; private set; }

    /// <summary>The only number or address it applies to; null for any.</summary>
    public ContactPointId? ContactPointId { get; private set; }

    /// <summary>When it starts to apply (UTC, inclusive).</summary>
    public DateTimeOffset ValidFrom { get; private set; }

    /// <summary>When it stops applying (UTC, exclusive), unless revoked before.</summary>
    public DateTimeOffset ValidUntil { get; private set; }

    /// <summary>Why: who agreed to what, when and how.</summary>
    public string Documentation { get; private set; }

    /// <summary>The manager who granted it.</summary>
    public string GrantedBy { get; private set; }

    public DateTimeOffset GrantedAt { get; private set; }

    /// <summary>When it was revoked, which ended it; null when not revoked.</summary>
    public DateTimeOffset? RevokedAt { get; private set; }

    public string? RevokedBy { get; private set; }

    /// <summary>When it stops applying: the end of its validity, or its revocation if earlier.</summary>
    public DateTimeOffset EndsAt => RevokedAt is { } revoked && revoked < ValidUntil ? revoked : ValidUntil;

    /// <summary>It applies at <paramref name="at"/>.</summary>
    public bool IsInForceAt(DateTimeOffset at) => ValidFrom <= at && at < EndsAt;

    /// <summary>The ids of the rules a manager may make an exception to.</summary>
    public static IReadOnlyList<string> ExceptableRules { get; } = [.. ComplianceRules.All.Where(r => r.ExceptionAllowed).Select(r => r.Id)];

    /// <summary>
    /// Records an exception for <paramref name="debtor"/>, whose accounts are <paramref name="accounts"/>: refused when
    /// the rule is unknown or allows no exception, the documentation is shorter than
    /// <see cref="MinDocumentationLength"/>, the validity starts in the past, does not end after it starts or lasts
    /// longer than <see cref="MaxValidity"/>, or the account or contact point is not the debtor's.
    /// </summary>
    public static Result<ComplianceExceptionGrant> Grant(
        ExceptionGrantId id, Debtor debtor, IReadOnlyCollection<AccountId> accounts, ExceptionGrantDraft draft, string grantedBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(debtor);
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentException.ThrowIfNullOrWhiteSpace(grantedBy);
        var exceptable = string.Join(", ", ExceptableRules);
        if (ComplianceRules.Find(draft.Rule?.Trim()) is not { } rule)
        {
            return new Error("rule_unknown", $"'{draft.Rule}' is not a compliance rule; a manager may record an exception to {exceptable}", "rule");
        }

        if (!rule.ExceptionAllowed)
        {
            return new Error("exception_not_allowed",
                $"No exception may be recorded to {rule.Id} ({rule.Title}, {rule.Citation}): only a change of the facts lifts it. A manager may record an exception to {exceptable}", "rule");
        }

        var documentation = draft.Documentation?.Trim() ?? "";
        if (documentation.Length < MinDocumentationLength)
        {
            return new Error("documentation_too_short",
                $"Document the exception in at least {MinDocumentationLength} characters: who agreed to what, when and how (e.g. \"debtor consented on a recorded call on 2026-11-20 to calls at 7:30\")", "documentation");
        }

        if (documentation.Length > MaxDocumentationLength)
        {
            return new Error("documentation_too_long", string.Create(CultureInfo.InvariantCulture, $"The documentation is limited to {MaxDocumentationLength:#,0} characters"), "documentation");
        }

        var from = (draft.ValidFrom ?? now).ToUniversalTime();
        var until = draft.ValidUntil.ToUniversalTime();
        if (from < now.AddMinutes(-1))
        {
            return new Error("valid_from_in_past", $"An exception cannot start in the past ({Instant(from)} is before now, {Instant(now)})", "valid_from");
        }

        if (until <= from)
        {
            return new Error("valid_until_not_after_valid_from", $"An exception must end after it starts ({Instant(until)} is not after {Instant(from)})", "valid_until");
        }

        if (until - from > MaxValidity)
        {
            return new Error("validity_too_long", string.Create(CultureInfo.InvariantCulture,
                $"An exception lasts at most {MaxValidity.TotalDays:0} days; this one would last until {Instant(until)}, more than {MaxValidity.TotalDays:0} days after {Instant(from)}. Record a new one when it ends"), "valid_until");
        }

        if (draft.AccountId is { } account && !accounts.Contains(account))
        {
            return new Error("account_not_found", $"Account {account} does not belong to debtor '{debtor.ExternalId}'", "account_id");
        }

        if (draft.ContactPointId is { } pointId)
        {
            if (debtor.ContactPoints.FirstOrDefault(c => c.Id == pointId) is not { } point)
            {
                return new Error("contact_point_not_found", $"Contact point {pointId} does not belong to debtor '{debtor.ExternalId}'", "contact_point_id");
            }

            if (draft.Channel is { } channel && point.Kind != ContactChannels.KindFor(channel))
            {
                return new Error("contact_point_wrong_kind",
                    $"A contact by {ContactChannels.Name(channel)} needs {ContactChannels.Describe(ContactChannels.KindFor(channel))}, not {point.Value}", "contact_point_id");
            }
        }

        return new ComplianceExceptionGrant(id, debtor.Id, rule, draft with { Documentation = documentation }, from, grantedBy, now);
    }

    /// <summary>Ends the grant now. Refused when it was already revoked or has already ended.</summary>
    public Result<DateTimeOffset> Revoke(string by, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        if (RevokedAt is { } revoked)
        {
            return new Error("exception_revoked", $"This exception was already revoked by {RevokedBy} at {Instant(revoked)}");
        }

        if (ValidUntil <= now)
        {
            return new Error("exception_ended", $"This exception already ended at {Instant(ValidUntil)}; there is nothing to revoke");
        }

        RevokedAt = now;
        RevokedBy = by;
        return now;
    }

    /// <summary>The grant as the gate reads it.</summary>
    public ExceptionGrantFacts ToFacts() =>
        new(Id.ToString(), Rule, ValidFrom, ValidUntil, AccountId?.ToString(), Channel, ContactPointId?.ToString(), RevokedAt);

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
