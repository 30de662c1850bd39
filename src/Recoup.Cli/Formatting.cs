using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
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

    /// <summary>One JSON object on one line of standard output (no escaping of non-ASCII text), for scripts.</summary>
    public static void WriteJson(TextWriter output, Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
