using System.Globalization;
using Recoup.Domain;

namespace Recoup.Cli;

/// <summary>How the CLI writes dates, counts, money and CSV fields: always culture-invariant.</summary>
public static class Formatting
{
    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Count(long count) => count.ToString(CultureInfo.InvariantCulture);

    /// <summary>For people: 1,234,567.89 with the currency's own number of decimals.</summary>
    public static string Grouped(Money money) =>
        money.ToDecimal().ToString("N" + money.Currency.Exponent.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>One CSV line (RFC 4180 quoting where needed).</summary>
    public static string Csv(params string[] fields) =>
        string.Join(',', fields.Select(f => f.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{f.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : f));
}
