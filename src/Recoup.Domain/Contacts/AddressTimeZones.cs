using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using Recoup.Domain.Debtors;

namespace Recoup.Domain.Contacts;

/// <summary>The IANA time zones a postal address may be in, from its country and its state or province.</summary>
/// <remarks>
/// <para>
/// The tables are by state or province, not by county or postal code, so a state that spans zones gives
/// all of them (Texas: <c>America/Chicago</c> and <c>America/Denver</c>). Calling-hours checks must then be
/// convenient in every zone, which is the cautious reading of FDCPA 15 U.S.C. 1692c(a)(1).
/// </para>
/// <para>
/// US states use one representative zone per offset (<c>America/New_York</c> for all of Eastern time, the
/// zone libphonenumber also uses), except where the state's own IANA zone differs in rules or history:
/// Arizona (<c>America/Phoenix</c>, no daylight saving; the Navajo Nation observes it, hence
/// <c>America/Denver</c> too), Indiana (<c>America/Indiana/Indianapolis</c>), Idaho and eastern Oregon
/// (<c>America/Boise</c>). Canadian provinces list every zone of IANA's zone.tab for the province.
/// </para>
/// <para>
/// The region may be the postal code (<c>TX</c>, <c>on</c>) or the name (<c>Texas</c>, <c>Québec</c>),
/// in any case. Without a country, a US state implies the US and a province Canada. The United Kingdom
/// (<c>GB</c> or <c>UK</c>) and a few dozen single-zone countries need no region. Anything else gives an
/// empty list: unknown, not guessed.
/// </para>
/// </remarks>
public static class AddressTimeZones
{
    private const string Eastern = "America/New_York";
    private const string Central = "America/Chicago";
    private const string Mountain = "America/Denver";
    private const string Pacific = "America/Los_Angeles";

    private static readonly Region[] UnitedStates =
    [
        new("AL", "Alabama", Central),
        new("AK", "Alaska", "America/Anchorage", "America/Adak"),
        new("AZ", "Arizona", "America/Phoenix", Mountain),
        new("AR", "Arkansas", Central),
        new("CA", "California", Pacific),
        new("CO", "Colorado", Mountain),
        new("CT", "Connecticut", Eastern),
        new("DE", "Delaware", Eastern),
        new("DC", "District of Columbia", Eastern) { Aliases = ["Washington DC"] },
        new("FL", "Florida", Eastern, Central),
        new("GA", "Georgia", Eastern),
        new("HI", "Hawaii", "Pacific/Honolulu"),
        new("ID", "Idaho", "America/Boise", Pacific),
        new("IL", "Illinois", Central),
        new("IN", "Indiana", "America/Indiana/Indianapolis", Central),
        new("IA", "Iowa", Central),
        new("KS", "Kansas", Central, Mountain),
        new("KY", "Kentucky", Eastern, Central),
        new("LA", "Louisiana", Central),
        new("ME", "Maine", Eastern),
        new("MD", "Maryland", Eastern),
        new("MA", "Massachusetts", Eastern),
        new("MI", "Michigan", Eastern, Central),
        new("MN", "Minnesota", Central),
        new("MS", "Mississippi", Central),
        new("MO", "Missouri", Central),
        new("MT", "Montana", Mountain),
        new("NE", "Nebraska", Central, Mountain),

        // West Wendover keeps Mountain time by federal order.
        new("NV", "Nevada", Pacific, Mountain),
        new("NH", "New Hampshire", Eastern),
        new("NJ", "New Jersey", Eastern),
        new("NM", "New Mexico", Mountain),
        new("NY", "New York", Eastern),
        new("NC", "North Carolina", Eastern),
        new("ND", "North Dakota", Central, Mountain),
        new("OH", "Ohio", Eastern),
        new("OK", "Oklahoma", Central),
        new("OR", "Oregon", Pacific, "America/Boise"),
        new("PA", "Pennsylvania", Eastern),
        new("RI", "Rhode Island", Eastern),
        new("SC", "South Carolina", Eastern),
        new("SD", "South Dakota", Central, Mountain),
        new("TN", "Tennessee", Central, Eastern),
        new("TX", "Texas", Central, Mountain),
        new("UT", "Utah", Mountain),
        new("VT", "Vermont", Eastern),
        new("VA", "Virginia", Eastern),
        new("WA", "Washington", Pacific),
        new("WV", "West Virginia", Eastern),
        new("WI", "Wisconsin", Central),
        new("WY", "Wyoming", Mountain),

        // Territories and the freely associated states, which have USPS codes.
        new("PR", "Puerto Rico", "America/Puerto_Rico"),
        new("VI", "U.S. Virgin Islands", "America/St_Thomas") { Aliases = ["Virgin Islands", "USVI"] },
        new("GU", "Guam", "Pacific/Guam"),
        new("MP", "Northern Mariana Islands", "Pacific/Saipan"),
        new("AS", "American Samoa", "Pacific/Pago_Pago"),
        new("UM", "U.S. Minor Outlying Islands", "Pacific/Midway", "Pacific/Wake"),
        new("MH", "Marshall Islands", "Pacific/Majuro", "Pacific/Kwajalein"),
        new("FM", "Micronesia", "Pacific/Chuuk", "Pacific/Pohnpei", "Pacific/Kosrae") { Aliases = ["Federated States of Micronesia"] },
        new("PW", "Palau", "Pacific/Palau"),
    ];

    private static readonly Region[] Canada =
    [
        new("AB", "Alberta", "America/Edmonton"),

        // Most of BC is Pacific; the East Kootenays keep Mountain time; Creston, Dawson Creek and Fort Nelson Mountain standard time all year.
        new("BC", "British Columbia", "America/Vancouver", "America/Edmonton", "America/Creston", "America/Dawson_Creek", "America/Fort_Nelson"),
        new("MB", "Manitoba", "America/Winnipeg"),
        new("NB", "New Brunswick", "America/Moncton"),

        // The island and south-east Labrador keep Newfoundland time (UTC-3:30); the rest of Labrador Atlantic time.
        new("NL", "Newfoundland and Labrador", "America/St_Johns", "America/Goose_Bay") { Aliases = ["Newfoundland", "NF", "Labrador"] },
        new("NS", "Nova Scotia", "America/Halifax", "America/Glace_Bay"),
        new("NT", "Northwest Territories", "America/Edmonton", "America/Inuvik"),
        new("NU", "Nunavut", "America/Iqaluit", "America/Rankin_Inlet", "America/Resolute", "America/Cambridge_Bay", "America/Atikokan"),

        // North-western Ontario keeps Central time; Atikokan Eastern standard time all year.
        new("ON", "Ontario", "America/Toronto", "America/Winnipeg", "America/Atikokan"),
        new("PE", "Prince Edward Island", "America/Halifax"),

        // The Magdalen Islands keep Atlantic time; the Lower North Shore Atlantic standard time all year.
        new("QC", "Quebec", "America/Toronto", "America/Halifax", "America/Blanc-Sablon") { Aliases = ["PQ"] },

        // Central standard time all year, except Lloydminster, which keeps Alberta's time.
        new("SK", "Saskatchewan", "America/Regina", "America/Swift_Current", "America/Edmonton"),
        new("YT", "Yukon", "America/Whitehorse", "America/Dawson") { Aliases = ["Yukon Territory"] },
    ];

    // Countries with a single time zone, where the country alone is enough.
    private static readonly Region[] SingleZoneCountries =
    [
        new("GB", "United Kingdom", "Europe/London") { Aliases = ["UK", "Great Britain", "England", "Scotland", "Wales", "Northern Ireland"] },
        new("IE", "Ireland", "Europe/Dublin"),
        new("FR", "France", "Europe/Paris"),
        new("DE", "Germany", "Europe/Berlin"),
        new("IT", "Italy", "Europe/Rome"),
        new("NL", "Netherlands", "Europe/Amsterdam"),
        new("BE", "Belgium", "Europe/Brussels"),
        new("LU", "Luxembourg", "Europe/Luxembourg"),
        new("CH", "Switzerland", "Europe/Zurich"),
        new("AT", "Austria", "Europe/Vienna"),
        new("SE", "Sweden", "Europe/Stockholm"),
        new("NO", "Norway", "Europe/Oslo"),
        new("DK", "Denmark", "Europe/Copenhagen"),
        new("FI", "Finland", "Europe/Helsinki"),
        new("IS", "Iceland", "Atlantic/Reykjavik"),
        new("PL", "Poland", "Europe/Warsaw"),
        new("CZ", "Czechia", "Europe/Prague") { Aliases = ["Czech Republic"] },
        new("GR", "Greece", "Europe/Athens"),
        new("RO", "Romania", "Europe/Bucharest"),
        new("HU", "Hungary", "Europe/Budapest"),
        new("IL", "Israel", "Asia/Jerusalem"),
        new("TR", "Turkey", "Europe/Istanbul") { Aliases = ["Türkiye"] },
        new("IN", "India", "Asia/Kolkata"),
        new("PK", "Pakistan", "Asia/Karachi"),
        new("PH", "Philippines", "Asia/Manila"),
        new("JP", "Japan", "Asia/Tokyo"),
        new("KR", "South Korea", "Asia/Seoul") { Aliases = ["Korea"] },
        new("CN", "China", "Asia/Shanghai"),
        new("HK", "Hong Kong", "Asia/Hong_Kong"),
        new("TW", "Taiwan", "Asia/Taipei"),
        new("SG", "Singapore", "Asia/Singapore"),
        new("VN", "Vietnam", "Asia/Ho_Chi_Minh") { Aliases = ["Viet Nam"] },
        new("TH", "Thailand", "Asia/Bangkok"),
        new("AE", "United Arab Emirates", "Asia/Dubai") { Aliases = ["UAE"] },
        new("SA", "Saudi Arabia", "Asia/Riyadh"),
        new("EG", "Egypt", "Africa/Cairo"),
        new("NG", "Nigeria", "Africa/Lagos"),
        new("KE", "Kenya", "Africa/Nairobi"),
        new("ZA", "South Africa", "Africa/Johannesburg"),
        new("JM", "Jamaica", "America/Jamaica"),
        new("DO", "Dominican Republic", "America/Santo_Domingo"),
        new("GT", "Guatemala", "America/Guatemala"),
        new("SV", "El Salvador", "America/El_Salvador"),
        new("HN", "Honduras", "America/Tegucigalpa"),
        new("CO", "Colombia", "America/Bogota"),
        new("PE", "Peru", "America/Lima"),
        new("VE", "Venezuela", "America/Caracas"),
    ];

    private static readonly FrozenDictionary<string, Region> StatesByKey = Index(UnitedStates);
    private static readonly FrozenDictionary<string, Region> ProvincesByKey = Index(Canada);
    private static readonly FrozenDictionary<string, Region> CountriesByKey = Index(SingleZoneCountries);

    private static readonly FrozenSet<string> UnitedStatesNames = Keys("US", "USA", "United States", "United States of America", "U.S.A.");
    private static readonly FrozenSet<string> CanadaNames = Keys("CA", "CAN", "Canada");

    /// <summary>
    /// The zones the address may be in, sorted (ordinal); empty when the country or region is unknown, or a
    /// US or Canadian address has no region.
    /// </summary>
    public static IReadOnlyList<string> For(PostalAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var country = Key(address.Country);
        var region = Key(address.Region);
        if (country.Length == 0)
        {
            return StatesByKey.TryGetValue(region, out var state) ? state.Zones
                : ProvincesByKey.TryGetValue(region, out var province) ? province.Zones
                : [];
        }

        if (UnitedStatesNames.Contains(country))
        {
            return StatesByKey.TryGetValue(region, out var state) ? state.Zones : [];
        }

        if (CanadaNames.Contains(country))
        {
            return ProvincesByKey.TryGetValue(region, out var province) ? province.Zones : [];
        }

        return CountriesByKey.TryGetValue(country, out var single) ? single.Zones : [];
    }

    /// <summary>Whether <paramref name="region"/> names a US state, district or territory, or a Canadian province or territory (code or name).</summary>
    public static bool IsKnownRegion(string? region) => StatesByKey.ContainsKey(Key(region)) || ProvincesByKey.ContainsKey(Key(region));

    /// <summary>Every zone <see cref="For"/> can return.</summary>
    public static IEnumerable<string> AllZones =>
        UnitedStates.Concat(Canada).Concat(SingleZoneCountries).SelectMany(r => r.Zones).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    private static FrozenDictionary<string, Region> Index(Region[] regions)
    {
        var index = new Dictionary<string, Region>(StringComparer.Ordinal);
        foreach (var region in regions)
        {
            foreach (var name in (string[])[region.Code, region.Name, .. region.Aliases])
            {
                // Two spellings of one region may share a key ("Québec" and "Quebec"); two regions may not.
                if (index.TryGetValue(Key(name), out var other) && !ReferenceEquals(other, region))
                {
                    throw new InvalidOperationException($"'{name}' names both {other.Code} and {region.Code}");
                }

                index[Key(name)] = region;
            }
        }

        return index.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static FrozenSet<string> Keys(params string[] names) => names.Select(Key).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Upper case, without accents, full stops and commas, single spaces: "Québec" and "quebec", "D.C." and "DC" match.</summary>
    private static string Key(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        var key = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark || c is '.' or ',')
            {
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                if (key.Length > 0 && key[^1] != ' ')
                {
                    key.Append(' ');
                }

                continue;
            }

            key.Append(char.ToUpperInvariant(c));
        }

        return key.ToString().TrimEnd();
    }

    private sealed record Region(string Code, string Name, params string[] ZoneIds)
    {
        public string[] Aliases { get; init; } = [];

        public IReadOnlyList<string> Zones { get; } = Array.AsReadOnly(ZoneIds.Order(StringComparer.Ordinal).ToArray());
    }
}
