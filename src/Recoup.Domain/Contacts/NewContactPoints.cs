using Recoup.Domain.Debtors;

namespace Recoup.Domain.Contacts;

/// <summary>
/// What Recoup works out about a new phone number, e-mail or address before storing it: its canonical
/// form (for duplicates), its line type and its time zones. One place, used by the import, the
/// skip-trace import and the screens.
/// </summary>
public static class NewContactPoints
{
    /// <summary>
    /// The details of a new contact point. A phone number that does not parse is still kept (the
    /// portfolio import accepts any 7 to 15 digits) with its digits as canonical form and no zones.
    /// </summary>
    /// <param name="phoneType">What the source said the line is; when unknown, libphonenumber's line type decides between mobile and unknown.</param>
    /// <param name="country">The country to read a number without a country code in; the address's, or US.</param>
    public static ContactPointDetails Describe(
        ContactKind kind, string value, PostalAddress? address, DateTimeOffset now,
        PhoneType phoneType = PhoneType.Unknown, string? country = null, string? sourceDetail = null, int? confidence = null)
    {
        var details = new ContactPointDetails(now, phoneType, SourceDetail: sourceDetail, Confidence: confidence);
        switch (kind)
        {
            case ContactKind.Phone:
                var region = Phone.IsKnownRegion(country) ? country!.ToUpperInvariant() : "US";
                var parsed = Phone.Parse(value, region);
                if (!parsed.IsSuccess)
                {
                    return details with { Normalized = new string(value.Where(char.IsAsciiDigit).ToArray()) };
                }

                var type = phoneType == PhoneType.Unknown && parsed.Value.LineType == PhoneLineType.Mobile ? PhoneType.Mobile : phoneType;
                return details with { Normalized = parsed.Value.E164, PhoneType = type, TimeZones = parsed.Value.TimeZones };
            case ContactKind.Postal when address is not null:
                return details with { Normalized = address.ToString().ToLowerInvariant(), TimeZones = AddressTimeZones.For(address) };
            default:
                return details with { Normalized = value.Trim().ToLowerInvariant() };
        }
    }
}
