using System.Globalization;
using System.Text.RegularExpressions;

namespace Recoup.Bench;

/// <summary>One figure of a run: seconds, megabytes or a count.</summary>
public sealed partial record Measurement(string Provider, string Metric, string Label, double Value, string Unit)
{
    private const string Prefix = "BENCH ";

    /// <summary>The machine-readable line: <c>BENCH provider=sqlite metric=import.total value=12.345 unit=s label="…"</c>.</summary>
    public string ToLine() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Prefix}provider={Provider} metric={Metric} value={Value:0.###} unit={Unit} label=\"{Label.Replace("\"", "'", StringComparison.Ordinal)}\"");

    public string Formatted => Unit switch
    {
        "s" => Value.ToString("0.000", CultureInfo.InvariantCulture) + " s",
        "MB" => Value.ToString("#,0", CultureInfo.InvariantCulture) + " MB",
        "ms" => Value.ToString("0.0", CultureInfo.InvariantCulture) + " ms",
        _ => Value.ToString("#,0", CultureInfo.InvariantCulture),
    };

    /// <summary>Reads a line written by <see cref="ToLine"/> (from a child process); null for any other line.</summary>
    public static Measurement? TryParse(string line)
    {
        if (!line.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var match = LinePattern().Match(line);
        return match.Success
            ? new Measurement(
                match.Groups["provider"].Value,
                match.Groups["metric"].Value,
                match.Groups["label"].Value,
                double.Parse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture),
                match.Groups["unit"].Value)
            : null;
    }

    [GeneratedRegex("""^BENCH provider=(?<provider>\S+) metric=(?<metric>\S+) value=(?<value>\S+) unit=(?<unit>\S+) label="(?<label>[^"]*)"$""")]
    private static partial Regex LinePattern();
}

/// <summary>The figures of one provider's run, in the order they were taken.</summary>
public sealed class Measurements(string provider)
{
    private readonly List<Measurement> _items = [];

    public IReadOnlyList<Measurement> Items => _items;

    public void Seconds(string metric, string label, TimeSpan elapsed) => _items.Add(new(provider, metric, label, elapsed.TotalSeconds, "s"));

    public void Milliseconds(string metric, string label, double milliseconds) => _items.Add(new(provider, metric, label, milliseconds, "ms"));

    public void Megabytes(string metric, string label, long bytes) => _items.Add(new(provider, metric, label, bytes / 1024.0 / 1024.0, "MB"));

    public void Count(string metric, string label, long count, string unit = "rows") => _items.Add(new(provider, metric, label, count, unit));
}
