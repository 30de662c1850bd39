namespace Recoup.Domain.Debtors;

public enum ContactKind
{
    Phone,
    Email,
    Postal,
}

public enum ContactStatus
{
    Unverified,
    Good,
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

/// <summary>A postal address as the creditor gave it; <see cref="Country"/> is an ISO 3166 alpha-2 code.</summary>
public sealed record PostalAddress(string Line1, string? City, string? Region, string? PostalCode, string? Country)
{
    public override string ToString() =>
        string.Join(", ", new[] { Line1, City, Region, PostalCode, Country }.Where(p => !string.IsNullOrWhiteSpace(p)));
}

/// <summary>One way to reach a debtor: a phone number, an e-mail address or a postal address.</summary>
public sealed class ContactPoint
{
    private ContactPoint()
    {
        Value = "";
    }

    internal ContactPoint(ContactPointId id, DebtorId debtorId, ContactKind kind, string value, ContactSource source, bool isPrimary, PostalAddress? address)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        if ((kind == ContactKind.Postal) != (address is not null))
        {
            throw new ArgumentException("A postal contact point needs an address, and only a postal one", nameof(address));
        }

        Id = id;
        DebtorId = debtorId;
        Kind = kind;
        Value = value;
        Source = source;
        IsPrimary = isPrimary;
        Status = ContactStatus.Unverified;
        Address = address;
    }

    public ContactPointId Id { get; private set; }
    public DebtorId DebtorId { get; private set; }
    public ContactKind Kind { get; private set; }

    /// <summary>The phone number, the e-mail address, or the address on one line.</summary>
    public string Value { get; private set; }

    public ContactStatus Status { get; private set; }
    public ContactSource Source { get; private set; }
    public bool IsPrimary { get; private set; }
    public PostalAddress? Address { get; private set; }
}
