namespace Recoup.Domain.Debtors;

public enum DebtorKind
{
    Person,
    Business,
}

/// <summary>The kind of debt, which decides which laws apply (consumer and medical debt fall under the FDCPA).</summary>
public enum DebtType
{
    Consumer,
    Commercial,
    Medical,
}

/// <summary>A person or business that owes money. <see cref="ExternalId"/> is the creditor's own reference.</summary>
public sealed class Debtor
{
    private readonly List<ContactPoint> _contactPoints = [];

    private Debtor()
    {
        ExternalId = "";
        Name = "";
    }

    public Debtor(DebtorId id, string externalId, string name, DebtorKind kind, DebtType debtType, string? timeZone, DateTimeOffset createdAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(externalId);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Id = id;
        ExternalId = externalId;
        Name = name;
        Kind = kind;
        DebtType = debtType;
        TimeZone = timeZone;
        CreatedAt = createdAt;
    }

    public DebtorId Id { get; private set; }
    public string ExternalId { get; private set; }
    public string Name { get; private set; }
    public DebtorKind Kind { get; private set; }
    public DebtType DebtType { get; private set; }

    /// <summary>IANA time zone id (e.g. <c>America/Chicago</c>) when known.</summary>
    public string? TimeZone { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The creditor client that placed the debtor with the agency; null for an in-house team's debtor (no client).</summary>
    public ClientId? ClientId { get; private set; }

    /// <summary>The debtor's preferred language for letters and calls, as a two-letter ISO 639-1 code (<c>en</c>, <c>es</c>).</summary>
    public string Language { get; private set; } = "en";

    public IReadOnlyList<ContactPoint> ContactPoints => _contactPoints;

    /// <summary>When the debtor asked in writing that all communication stop (Regulation F 1006.6(c)).</summary>
    public DateTimeOffset? CeaseCommunicationAt { get; private set; }

    /// <summary>Since when we know an attorney represents the debtor for the debt (1006.6(b)(2)).</summary>
    public DateTimeOffset? AttorneyRepresentedSince { get; private set; }

    /// <summary>The attorney's name and how to reach them.</summary>
    public string? Attorney { get; private set; }

    /// <summary>The debtor said the employer forbids contact at work (1006.6(b)(3)).</summary>
    public bool WorkplaceContactProhibited { get; private set; }

    /// <summary>
    /// Times the debtor said are inconvenient, local time, in the form <c>mon-fri 09:00-17:00; sun 00:00-00:00</c>
    /// (see <see cref="Compliance.InconvenientTimes"/>); empty when none.
    /// </summary>
    public string InconvenientTimes { get; private set; } = "";

    /// <summary>Media the debtor opted out of (<c>call</c>, <c>sms</c>, <c>email</c>, <c>letter</c>), separated by spaces, with <see cref="OptedOutAt"/>.</summary>
    public string OptedOutChannels { get; private set; } = "";

    /// <summary>When the debtor last opted out of a medium.</summary>
    public DateTimeOffset? OptedOutAt { get; private set; }

    /// <summary>Records a cease-communication request; only the first one's date counts.</summary>
    public void CeaseCommunication(DateTimeOffset at) => CeaseCommunicationAt ??= at;

    /// <summary>Records that an attorney represents the debtor, or (null) that the representation ended.</summary>
    public void RepresentedBy(string? attorney, DateTimeOffset at)
    {
        Attorney = string.IsNullOrWhiteSpace(attorney) ? null : attorney.Trim();
        AttorneyRepresentedSince = Attorney is null ? null : AttorneyRepresentedSince ?? at;
    }

    /// <summary>Records whether the debtor may be contacted at work.</summary>
    public void ProhibitWorkplaceContact(bool prohibited) => WorkplaceContactProhibited = prohibited;

    /// <summary>Sets the times the debtor said are inconvenient (checked by <see cref="Compliance.InconvenientTimes.Parse"/>).</summary>
    public Result<string> ChangeInconvenientTimes(string text)
    {
        var parsed = Compliance.InconvenientTimes.Parse(text);
        if (!parsed.IsSuccess)
        {
            return parsed.Error!;
        }

        InconvenientTimes = Compliance.InconvenientTimes.Format(parsed.Value);
        return InconvenientTimes;
    }

    /// <summary>The debtor opted out of a medium: <c>call</c>, <c>sms</c>, <c>email</c> or <c>letter</c>.</summary>
    public Result<string> OptOutOf(string channel, DateTimeOffset at)
    {
        if (Compliance.ContactChannels.Parse(channel) is not { } medium)
        {
            return new Error("channel_unknown", $"'{channel}' is not a medium; use call, sms, email or letter", "channel");
        }

        var name = Compliance.ContactChannels.Name(medium);

        var channels = OptedOutChannels.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        if (channels.Add(name))
        {
            OptedOutChannels = string.Join(' ', channels.Order(StringComparer.Ordinal));
            OptedOutAt = at;
        }

        return name;
    }

    /// <summary>
    /// Every IANA time zone the debtor may be in: the zone the creditor gave, and the zones of every
    /// usable phone number and address. Where they disagree all are kept, so that calling hours can
    /// be respected in each of them.
    /// </summary>
    public IReadOnlyList<string> PossibleTimeZones() => PossibleTimeZones(TimeZone, _contactPoints);

    /// <summary>The same for a debtor whose contact points were read apart from it.</summary>
    public static IReadOnlyList<string> PossibleTimeZones(string? given, IEnumerable<ContactPoint> contacts) =>
        Contacts.DebtorTimeZones.Union(contacts.Where(c => c.IsUsable).Select(c => c.TimeZones).Prepend(given is null ? [] : [given]));

    public ContactPoint AddContactPoint(ContactPointId id, ContactKind kind, string value, ContactSource source, PostalAddress? address = null) =>
        AddContactPoint(id, kind, value, source, address, new ContactPointDetails(CreatedAt));

    /// <summary>Adds a phone, e-mail or address; the first of its kind becomes the primary one.</summary>
    public ContactPoint AddContactPoint(ContactPointId id, ContactKind kind, string value, ContactSource source, PostalAddress? address, ContactPointDetails details)
    {
        var isFirstOfKind = _contactPoints.TrueForAll(c => c.Kind != kind);
        var contact = new ContactPoint(id, Id, kind, value, source, isFirstOfKind, address, details);
        _contactPoints.Add(contact);
        return contact;
    }

    /// <summary>Makes one contact point the primary of its kind (the one letters and calls use first).</summary>
    public Result<ContactPoint> MakePrimary(ContactPointId id)
    {
        var chosen = _contactPoints.Find(c => c.Id == id);
        if (chosen is null)
        {
            return new Error("contact_point_not_found", $"There is no contact point {id} for debtor {ExternalId}", "contact_point_id");
        }

        foreach (var contact in _contactPoints)
        {
            if (contact.Kind == chosen.Kind)
            {
                contact.SetPrimary(contact == chosen);
            }
        }

        return chosen;
    }

    /// <summary>Records the client that placed the debtor (null: none).</summary>
    public void PlacedBy(ClientId? client) => ClientId = client;

    /// <summary>Sets the preferred language (ISO 639-1, lower case).</summary>
    public Result<string> ChangeLanguage(string language)
    {
        var code = language.Trim().ToLowerInvariant();
        if (code.Length != 2 || !code.All(char.IsAsciiLetterLower))
        {
            return new Error("language_invalid", $"'{language}' is not a two-letter language code such as en or es", "language");
        }

        Language = code;
        return code;
    }
}
