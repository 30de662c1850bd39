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

    public IReadOnlyList<ContactPoint> ContactPoints => _contactPoints;

    public ContactPoint AddContactPoint(ContactPointId id, ContactKind kind, string value, ContactSource source, PostalAddress? address = null)
    {
        var isFirstOfKind = _contactPoints.TrueForAll(c => c.Kind != kind);
        var contact = new ContactPoint(id, Id, kind, value, source, isFirstOfKind, address);
        _contactPoints.Add(contact);
        return contact;
    }
}
