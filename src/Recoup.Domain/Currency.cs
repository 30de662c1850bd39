using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Recoup.Domain;

/// <summary>
/// An ISO 4217 currency: its three-letter code and its exponent, the number of digits after the
/// decimal separator of its minor unit (USD 2, JPY 0, BHD 3).
/// </summary>
/// <remarks>
/// Only currencies in the table below exist; <see cref="FromCode"/> refuses anything else, so an
/// amount can never be interpreted with a guessed number of decimals. The table follows ISO 4217
/// (list one, active codes); funds codes and precious metals are left out on purpose.
/// </remarks>
public readonly record struct Currency
{
    private Currency(string code, int exponent)
    {
        Code = code;
        Exponent = exponent;
    }

    /// <summary>The three upper-case letters, e.g. <c>USD</c>.</summary>
    public string Code { get; }

    /// <summary>Digits after the decimal separator in the currency's minor unit.</summary>
    public int Exponent { get; }

    /// <summary>How many minor units make one major unit (10 to the power of <see cref="Exponent"/>).</summary>
    public long MinorPerMajor => Exponent switch
    {
        0 => 1,
        1 => 10,
        2 => 100,
        3 => 1_000,
        4 => 10_000,
        _ => throw new InvalidOperationException($"Unsupported exponent {Exponent}"),
    };

    public static Currency USD => FromCode("USD");
    public static Currency EUR => FromCode("EUR");
    public static Currency GBP => FromCode("GBP");
    public static Currency JPY => FromCode("JPY");
    public static Currency BHD => FromCode("BHD");

    /// <summary>The currency with this code; throws <see cref="ArgumentException"/> for an unknown code.</summary>
    public static Currency FromCode(string code) =>
        TryFromCode(code, out var currency)
            ? currency
            : throw new ArgumentException($"'{code}' is not an ISO 4217 currency code", nameof(code));

    /// <summary>Looks a code up; the code must be three upper-case letters exactly as ISO 4217 writes it.</summary>
    public static bool TryFromCode([NotNullWhen(true)] string? code, out Currency currency)
    {
        if (code is not null && Table.TryGetValue(code, out var exponent))
        {
            currency = new Currency(code, exponent);
            return true;
        }

        currency = default;
        return false;
    }

    /// <summary>Every known currency code.</summary>
    public static IEnumerable<string> KnownCodes => Table.Keys;

    public override string ToString() => Code ?? "";

    private static readonly FrozenDictionary<string, int> Table = BuildTable();

    private static FrozenDictionary<string, int> BuildTable()
    {
        const string twoDecimals =
            "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP BYN BZD " +
            "CAD CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ " +
            "GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA " +
            "MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR " +
            "RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD " +
            "TWD TZS UAH USD UYU UZS VES WST XCD XCG YER ZAR ZMW ZWG";
        const string noDecimals = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF";
        const string threeDecimals = "BHD IQD JOD KWD LYD OMR TND";
        const string fourDecimals = "CLF UYW";

        var table = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (codes, exponent) in new[] { (twoDecimals, 2), (noDecimals, 0), (threeDecimals, 3), (fourDecimals, 4) })
        {
            foreach (var code in codes.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                table.Add(code, exponent);
            }
        }

        return table.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
