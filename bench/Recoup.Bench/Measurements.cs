using System.Globalization;
using System.Text.RegularExpressions;
using Recoup.Services.Storage;
using Recoup.Testing;
using Spectre.Console;

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

    /// <summary>Prints the figures as a table, then one machine-readable <c>BENCH …</c> line each.</summary>
    public void Print()
    {
        var table = new Table().AddColumns("Metric", "Value", "What");
        foreach (var item in _items)
        {
            table.AddRow(Markup.Escape(item.Metric), item.Formatted, Markup.Escape(item.Label));
        }

        AnsiConsole.Write(table);
        foreach (var item in _items)
        {
            Console.WriteLine(item.ToLine());
        }
    }
}

/// <summary>A large database kept by <c>account-search --keep-db NAME</c> on the <c>RECOUP_TEST_PG</c> server, brought up to the current schema.</summary>
public static class KeptDatabase
{
    /// <summary>The database, or null (with the reason printed) when no name was given or <c>RECOUP_TEST_PG</c> is not set.</summary>
    public static async Task<RecoupDatabase?> OpenAsync(string? name)
    {
        var server = await PostgresServer.SharedAsync();
        if (name is null || !server.IsExternal)
        {
            AnsiConsole.MarkupLine("[red]Give --reuse-db NAME and set RECOUP_TEST_PG to the server that holds it (docs/benchmarks.md).[/]");
            return null;
        }

        var database = RecoupDatabase.Postgres(server.ConnectionStringFor(name));
        await database.MigrateAsync();
        return database;
    }
}
