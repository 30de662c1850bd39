using Recoup.Domain.Debtors;

namespace Recoup.Domain.Contacts;

/// <summary>The time zones a debtor may be in, from all of their phone numbers and postal addresses.</summary>
/// <remarks>
/// The union, not a vote: a debtor with a New York number and a California address may be in either
/// place (people keep their numbers when they move), so both zones are kept and calling hours must suit
/// both. Which contact points count — usable ones only, say — is for the caller to choose.
/// </remarks>
public static class DebtorTimeZones
{
    /// <summary>The distinct zones of the phones and addresses, sorted ordinally; empty when none is known.</summary>
    public static IReadOnlyList<string> Derive(IEnumerable<ParsedPhone> phones, IEnumerable<PostalAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(phones);
        return DeriveFromZones(phones.Select(p => p.TimeZones), addresses);
    }

    /// <summary>
    /// The same from zone lists already worked out for each phone (a stored contact point's time zones) and
    /// the addresses.
    /// </summary>
    public static IReadOnlyList<string> DeriveFromZones(IEnumerable<IReadOnlyList<string>> phoneZones, IEnumerable<PostalAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(phoneZones);
        ArgumentNullException.ThrowIfNull(addresses);
        return Union(phoneZones.Concat(addresses.Select(AddressTimeZones.For)));
    }

    /// <summary>The distinct zones of several lists (each contact point's, the creditor's), sorted ordinally.</summary>
    public static IReadOnlyList<string> Union(IEnumerable<IEnumerable<string>> zoneLists)
    {
        ArgumentNullException.ThrowIfNull(zoneLists);
        return zoneLists.SelectMany(z => z).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }
}
