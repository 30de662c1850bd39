namespace Recoup.Domain.Debtors;

public enum ContactKind
{
    Phone,
    Email,
    Postal,
}

/// <summary>What kind of line a phone number is, as far as anyone knows; decides whether an autodialer may call it (TCPA).</summary>
public enum PhoneType
{
    Unknown,
    Mobile,
    Home,
    Work,
}

public enum ContactStatus
{
    Unverified,
    Good,

    /// <summary>Bad number or address: a wrong party answers, or it never belonged to the debtor.</summary>
    Bad,
    Disconnected,
    ReturnedMail,
}

/// <summary>Where a contact point came from; verified points from the debtor outrank skip-trace guesses.</summary>
public enum ContactSource
{
    OriginalCreditor,
    Debtor,
    SkipTrace,
}

/// <summary>The two consents the TCPA asks for before automated contact of a mobile number.</summary>
public enum ConsentKind
{
    /// <summary>Calls placed by an autodialer or with a prerecorded voice.</summary>
    Autodialer,

    /// <summary>Text messages.</summary>
    Text,
}

/// <summary>A consent as it was given: when, and how it was obtained (e.g. "application form", "recorded call 2026-03-02").</summary>
public sealed record Consent(DateTimeOffset GivenAt, string HowObtained, DateTimeOffset? RevokedAt = null)
{
    /// <summary>Whether the consent stands at <paramref name="at"/>: given by then and not revoked by then.</summary>
    public bool IsActiveAt(DateTimeOffset at) => GivenAt <= at && (RevokedAt is null || RevokedAt > at);
}

/// <summary>A postal address as the creditor gave it; <see cref="Country"/> is an ISO 3166 alpha-2 code.</summary>
public sealed record PostalAddress(string Line1, string? City, string? Region, string? PostalCode, string? Country)
{
    public override string ToString() =>
        string.Join(", ", new[] { Line1, City, Region, PostalCode, Country }.Where(p => !string.IsNullOrWhiteSpace(p)));
}

/// <summary>
/// One way to reach a debtor: a phone number, an e-mail address or a postal address, with what is
/// known about it — whether it works, where it came from, what the debtor consented to, and the time
/// zones the number or address places the debtor in.
/// </summary>
public sealed class ContactPoint
{
    private ContactPoint()
    {
        Value = "";
        Normalized = "";
        TimeZones = [];
    }

    internal ContactPoint(
        ContactPointId id, DebtorId debtorId, ContactKind kind, string value, ContactSource source, bool isPrimary, PostalAddress? address,
        ContactPointDetails details)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        if ((kind == ContactKind.Postal) != (address is not null))
        {
            throw new ArgumentException("A postal contact point needs an address, and only a postal one", nameof(address));
        }

        if (details.Confidence is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(details), "Confidence is a percentage from 0 to 100");
        }

        Id = id;
        DebtorId = debtorId;
        Kind = kind;
        Value = value;
        Source = source;
        IsPrimary = isPrimary;
        Status = ContactStatus.Unverified;
        Address = address;
        PhoneType = kind == ContactKind.Phone ? details.PhoneType : null;
        Normalized = details.Normalized ?? value.Trim().ToLowerInvariant();
        SourceDetail = details.SourceDetail;
        Confidence = details.Confidence;
        TimeZones = details.TimeZones ?? [];
        CreatedAt = details.CreatedAt;
    }

    public ContactPointId Id { get; private set; }
    public DebtorId DebtorId { get; private set; }
    public ContactKind Kind { get; private set; }

    /// <summary>The phone number, the e-mail address, or the address on one line, as given.</summary>
    public string Value { get; private set; }

    /// <summary>
    /// The value in one canonical form, for finding duplicates: E.164 for phones (<c>+12125550134</c>),
    /// lower case for e-mail addresses and postal addresses.
    /// </summary>
    public string Normalized { get; private set; }

    /// <summary>Mobile, home, work or unknown for phones; null for e-mail and postal addresses.</summary>
    public PhoneType? PhoneType { get; private set; }

    public ContactStatus Status { get; private set; }
    public ContactSource Source { get; private set; }

    /// <summary>Who exactly supplied it: the skip-trace vendor's name, the form the debtor filled in.</summary>
    public string? SourceDetail { get; private set; }

    /// <summary>The source's confidence that this point reaches the debtor, 0–100, when it gave one.</summary>
    public int? Confidence { get; private set; }

    public bool IsPrimary { get; private set; }
    public PostalAddress? Address { get; private set; }

    /// <summary>IANA time zones the number or address may place the debtor in (several where a state spans zones).</summary>
    public IReadOnlyList<string> TimeZones { get; private set; }

    public Consent? AutodialerConsent { get; private set; }
    public Consent? TextConsent { get; private set; }

    /// <summary>When the debtor asked not to be contacted at this number or address (Regulation F 1006.14(h), 1006.6(e)).</summary>
    public DateTimeOffset? OptedOutAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>
    /// Whether the point may still reach the debtor: not known to be bad, disconnected or returned.
    /// Unverified points count: most numbers are never verified before the first call.
    /// </summary>
    public bool IsUsable => Status is ContactStatus.Unverified or ContactStatus.Good;

    /// <summary>Whether this is a workplace number or address (a debtor may forbid contact at work).</summary>
    public bool IsWorkplace => PhoneType == Debtors.PhoneType.Work;

    /// <summary>Records what a contact attempt or the post office taught us about the point.</summary>
    public Result<ContactStatus> ChangeStatus(ContactStatus status)
    {
        if (status == ContactStatus.ReturnedMail && Kind != ContactKind.Postal)
        {
            return new Error("status_not_applicable", "Only a postal address can have mail returned", "status");
        }

        if (status == ContactStatus.Disconnected && Kind != ContactKind.Phone)
        {
            return new Error("status_not_applicable", "Only a phone number can be disconnected", "status");
        }

        Status = status;
        return status;
    }

    /// <summary>Records the debtor's consent to automated calls or texts on this number.</summary>
    public Result<Consent> GiveConsent(ConsentKind kind, DateTimeOffset at, string howObtained)
    {
        if (Kind != ContactKind.Phone)
        {
            return new Error("consent_not_applicable", "Consent to calls and texts is recorded on phone numbers only", "kind");
        }

        if (string.IsNullOrWhiteSpace(howObtained))
        {
            return new Error("consent_source_missing", "Say how the consent was obtained (e.g. recorded call, signed form)", "how_obtained");
        }

        var consent = new Consent(at, howObtained.Trim());
        SetConsent(kind, consent);
        return consent;
    }

    /// <summary>Records a revocation; under the TCPA a consumer may revoke by any reasonable means.</summary>
    public Result<Consent> RevokeConsent(ConsentKind kind, DateTimeOffset at)
    {
        var current = kind == ConsentKind.Autodialer ? AutodialerConsent : TextConsent;
        if (current is null || current.RevokedAt is not null)
        {
            return new Error("no_consent", $"There is no {(kind == ConsentKind.Autodialer ? "autodialer" : "text")} consent to revoke on {Value}", "kind");
        }

        var revoked = current with { RevokedAt = at };
        SetConsent(kind, revoked);
        return revoked;
    }

    /// <summary>The debtor asked not to be contacted here any more.</summary>
    public void OptOut(DateTimeOffset at) => OptedOutAt ??= at;

    internal void SetPrimary(bool isPrimary) => IsPrimary = isPrimary;

    private void SetConsent(ConsentKind kind, Consent consent)
    {
        if (kind == ConsentKind.Autodialer)
        {
            AutodialerConsent = consent;
        }
        else
        {
            TextConsent = consent;
        }
    }
}

/// <summary>The optional facts about a new contact point.</summary>
/// <param name="Normalized">Canonical form for duplicate checks; the trimmed lower-case value when null.</param>
public sealed record ContactPointDetails(
    DateTimeOffset CreatedAt,
    PhoneType PhoneType = PhoneType.Unknown,
    string? Normalized = null,
    string? SourceDetail = null,
    int? Confidence = null,
    IReadOnlyList<string>? TimeZones = null);
