using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Recoup.Services.Reporting;
using Recoup.Services.Storage;
using Recoup.Testing;
using Spectre.Console;

namespace Recoup.Bench;

/// <summary>
/// The monthly (or weekly) report pack on the large PostgreSQL database kept by
/// <c>account-search --keep-db</c>: builds the pack, writes its PDF and XLSX, and prints how long each
/// query took. Only reads the database (it is not migrated: a database behind the code's migrations
/// is refused with the list of what is missing).
/// </summary>
public static class ReportPackBenchmark
{
    public const string Usage = """
        Usage: Recoup.Bench report-pack --reuse-db NAME [options]
          --reuse-db NAME    a database built by account-search --keep-db NAME on the RECOUP_TEST_PG server (read only)
          --pack KIND        monthly (default) or weekly
          --as-of DATE       the pack's last day (default 2026-10-31)
          --out DIR          where the PDF and XLSX go (default a temporary folder)
          --collector NAME, --debt-type TYPE, --currency CUR   filters, as on the reports screen
        """;

    public static async Task<int> RunAsync(ReadOnlyMemory<string> arguments)
    {
        string? name = null, collector = null, debtType = null, currency = null;
        var kind = PackKind.Monthly;
        var asOf = new DateOnly(2026, 10, 31);
        var folder = Path.Combine(Path.GetTempPath(), "recoup-bench-pack");
        var args = arguments.Span;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--reuse-db": name = args[i + 1]; break;
                case "--pack": kind = Enum.Parse<PackKind>(args[i + 1], ignoreCase: true); break;
                case "--as-of": asOf = DateOnly.ParseExact(args[i + 1], "yyyy-MM-dd", CultureInfo.InvariantCulture); break;
                case "--out": folder = args[i + 1]; break;
                case "--collector": collector = args[i + 1]; break;
                case "--debt-type": debtType = args[i + 1]; break;
                case "--currency": currency = args[i + 1]; break;
                default: Console.Error.WriteLine(Usage); return 2;
            }
        }

        var filter = ReportFilter.Parse(collector, debtType, currency);
        if (filter.Error is { } problem)
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]{problem.Message}[/]");
            return 2;
        }

        var server = await PostgresServer.SharedAsync();
        if (name is null || !server.IsExternal)
        {
            AnsiConsole.MarkupLine("[red]Give --reuse-db NAME and set RECOUP_TEST_PG to the server that holds it (docs/benchmarks.md).[/]");
            return 2;
        }

        var database = RecoupDatabase.Postgres(server.ConnectionStringFor(name));
        await using (var db = database.CreateContext())
        {
            var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
            if (pending.Count > 0)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[yellow]{name} lacks migrations {string.Join(", ", pending)}; the pack reads only tables it has, so the run goes on.[/]");
            }
        }

        var measurements = new Measurements("postgres");
        var timings = new ReportTimings();
        var watch = Stopwatch.StartNew();
        var pack = await new ReportPacks(database, timings).BuildAsync(kind, asOf, filter.Value!);
        var built = watch.Elapsed;
        Directory.CreateDirectory(folder);
        var pdf = Path.Combine(folder, pack.FileName + ".pdf");
        await File.WriteAllBytesAsync(pdf, ReportExports.Pdf(pack));
        await using (var stream = File.Create(Path.Combine(folder, pack.FileName + ".xlsx")))
        {
            ReportExports.Xlsx(pack.Tables, stream);
        }

        var total = watch.Elapsed;
        foreach (var (stage, elapsed) in timings.Stages)
        {
            measurements.Seconds("pack.query." + Metric(stage), stage, elapsed);
        }

        measurements.Seconds("pack.build", "build the pack (the queries above, concurrent on PostgreSQL)", built);
        measurements.Seconds("pack.files", "write the PDF and the XLSX", total - built);
        measurements.Seconds("pack.total", $"the {kind.ToString().ToLowerInvariant()} pack as of {asOf:yyyy-MM-dd}, {filter.Value!.Describe()}", total);
        measurements.Count("pack.rows", "rows in the pack's tables", pack.Tables.Sum(t => t.Rows.Count), "rows");
        measurements.Megabytes("pack.memory", "peak working set", Process.GetCurrentProcess().PeakWorkingSet64);
        measurements.Print();
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"Wrote {pdf} and its .xlsx");
        return 0;
    }

    private static string Metric(string stage) =>
        new([.. stage.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);
}
