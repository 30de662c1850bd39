using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Recoup.Domain.Aging;
using Recoup.Formats.Csv;
using Recoup.Services.Aging;
using Recoup.Services.Demo;
using Recoup.Services.Imports;
using Recoup.Services.Storage;
using Recoup.Testing;
using Spectre.Console;

namespace Recoup.Bench;

/// <summary>
/// Generates a portfolio, imports it into a fresh database and ages it, timing each step. With
/// <c>--provider both</c> each provider runs in a child process of its own, so that each one's peak
/// working set is its own (a process's peak only ever grows).
/// </summary>
public static class ImportAgingBenchmark
{
    private const int AgingRuns = 3;
    private const string PortfolioColumn = "portfolio";

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var generated = options.Portfolio is null;
        var folder = options.Portfolio ?? Directory.CreateTempSubdirectory("recoup-bench-").FullName;
        try
        {
            var all = new List<Measurement>();
            if (!options.Child)
            {
                PrintMachine(options);
                all.AddRange(Prepare(options, folder, generated));
            }

            if (options.Provider == "both")
            {
                foreach (var provider in new[] { "sqlite", "postgres" })
                {
                    var child = await RunChildAsync(options, provider, folder);
                    if (child is null)
                    {
                        return 1;
                    }

                    all.AddRange(child);
                }
            }
            else
            {
                var measured = await RunProviderAsync(options, options.Provider, folder);
                if (measured is null)
                {
                    return 1;
                }

                all.AddRange(measured.Items);
            }

            if (!options.Child)
            {
                PrintTable(all);
            }

            Console.WriteLine();
            foreach (var measurement in all)
            {
                Console.WriteLine(measurement.ToLine());
            }

            return 0;
        }
        finally
        {
            if (generated && !options.Keep)
            {
                Directory.Delete(folder, recursive: true);
            }
            else if (generated)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"Kept the portfolio in {folder}");
            }
        }
    }

    private static IEnumerable<Measurement> Prepare(BenchOptions options, string folder, bool generate)
    {
        var measurements = new Measurements(PortfolioColumn);
        if (generate)
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"Generating {options.Debtors:#,0} debtors (seed {options.Seed}, as of {options.AsOf:yyyy-MM-dd}) into {folder} …");
            var watch = Stopwatch.StartNew();
            var counts = PortfolioGenerator.Write(folder, new PortfolioSpec(options.Debtors, options.AsOf, options.Seed));
            measurements.Seconds("generate", "Generate the CSV files", watch.Elapsed);
            measurements.Count("rows.debtors", "Rows in debtors.csv", counts.Debtors);
            measurements.Count("rows.invoices", "Rows in invoices.csv", counts.Invoices);
            measurements.Count("rows.payments", "Rows in payments.csv", counts.Payments);
        }
        else
        {
            foreach (var (file, metric) in new[] { (PortfolioCsv.DebtorsFile, "rows.debtors"), (PortfolioCsv.InvoicesFile, "rows.invoices"), (PortfolioCsv.PaymentsFile, "rows.payments") })
            {
                var path = Path.Combine(folder, file);
                measurements.Count(metric, $"Rows in {file}", File.Exists(path) ? File.ReadLines(path).LongCount() - 1 : 0);
            }
        }

        measurements.Megabytes("files", "Size of the CSV files", Directory.GetFiles(folder, "*.csv").Sum(f => new FileInfo(f).Length));
        return measurements.Items;
    }

    /// <summary>Runs one provider in a child process of this program and collects its measurements.</summary>
    private static async Task<IReadOnlyList<Measurement>?> RunChildAsync(BenchOptions options, string provider, string folder)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot tell which program is running");
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ImportAgingBenchmark).Assembly.Location);
        }

        foreach (var argument in new[]
        {
            "import-aging", "--child", "--provider", provider, "--portfolio", folder,
            "--debtors", options.Debtors.ToString(CultureInfo.InvariantCulture),
            "--seed", options.Seed.ToString(CultureInfo.InvariantCulture),
            "--as-of", options.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }

        if (options.Keep)
        {
            start.ArgumentList.Add("--keep");
        }

        if (options.Sql)
        {
            start.ArgumentList.Add("--sql");
        }

        AnsiConsole.WriteLine();
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[bold]{provider}[/] (in a process of its own)");
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {self}");
        var measurements = new List<Measurement>();
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (Measurement.TryParse(line) is { } measurement)
            {
                measurements.Add(measurement);
            }
            else if (line.Length > 0)
            {
                Console.WriteLine(line);
            }
        }

        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]The {provider} run failed (exit code {process.ExitCode}).[/]");
            return null;
        }

        return measurements;
    }

    private static async Task<Measurements?> RunProviderAsync(BenchOptions options, string provider, string folder)
    {
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]{provider}: starting{LoadAverage()}[/]");
        var measurements = new Measurements(provider);
        var (database, cleanUp, keptNote) = await CreateDatabaseAsync(provider, measurements);
        var phase = "Migrations";
        StageClock? clock = null;
        using var trace = options.Sql ? new SqlTrace(() => clock?.Current ?? phase) : null;
        try
        {
            var watch = Stopwatch.StartNew();
            await database.MigrateAsync();
            measurements.Seconds("migrate", "Create the schema (migrations, before the import)", watch.Elapsed);

            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var gen2Before = GC.CollectionCount(2);
            clock = new StageClock(provider);
            var outcome = await new ImportPortfolio(database, TimeProvider.System).RunAsync(folder, clock);
            var importTime = clock.Elapsed;
            if (!outcome.Succeeded)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]The import into {database.Description} failed with {outcome.Errors.Count} errors; the first ones:[/]");
                foreach (var error in outcome.Errors.Take(30))
                {
                    Console.WriteLine(error.ToString());
                }

                return null;
            }

            foreach (var (stage, duration) in clock.Stages(importTime))
            {
                measurements.Seconds("import.stage." + Slug(stage), "  " + stage, duration);
            }

            measurements.Seconds("import.total", "Import total", importTime);
            measurements.Megabytes("import.allocated", "Managed memory allocated by the import", GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore);
            measurements.Count("import.gen2", "Gen 2 collections during the import", GC.CollectionCount(2) - gen2Before, "count");
            measurements.Megabytes("peak.import", "Peak working set after the import", PeakWorkingSet());
            clock = null;

            phase = "Counting rows";
            await CountRowsAsync(database, measurements);
            await AgeAsync(database, options.AsOf, measurements, p => phase = p);

            measurements.Megabytes("peak", "Peak working set (whole process)", PeakWorkingSet());
            await DatabaseSizeAsync(database, measurements);
            trace?.Print(provider);
            return measurements;
        }
        finally
        {
            if (!options.Keep)
            {
                await cleanUp();
            }
            else
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"Kept {database.Description}{keptNote}");
            }
        }
    }

    private static async Task<(RecoupDatabase Database, Func<Task> CleanUp, string KeptNote)> CreateDatabaseAsync(string provider, Measurements measurements)
    {
        if (provider == "sqlite")
        {
            var path = Path.Combine(Path.GetTempPath(), $"recoup-bench-{Guid.NewGuid():N}.db");
            return (RecoupDatabase.Sqlite(path), () =>
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                foreach (var file in new[] { path, path + "-wal", path + "-shm" }.Where(File.Exists))
                {
                    File.Delete(file);
                }

                return Task.CompletedTask;
            }, "");
        }

        var watch = Stopwatch.StartNew();
        var server = await PostgresServer.SharedAsync();
        measurements.Seconds("server.start", "Start the PostgreSQL test server", watch.Elapsed);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]{server}[/]");
        var connectionString = await server.CreateDatabaseAsync("bench");
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;

        return (
            RecoupDatabase.Postgres(connectionString),
            () => server.DropDatabaseAsync(name),
            server.IsExternal
                ? " (RECOUP_TEST_PG: dropped when the process exits, like every database the test server class creates)"
                : $" (but the throwaway server is deleted when this process exits; set {PostgresServer.ExternalServerVariable} to use a server of your own)");
    }

    private static async Task CountRowsAsync(RecoupDatabase database, Measurements measurements)
    {
        await using var db = database.CreateContext();
        measurements.Count("db.debtors", "Debtors in the database", await db.Debtors.LongCountAsync());
        measurements.Count("db.contact_points", "Contact points", await db.ContactPoints.LongCountAsync());
        measurements.Count("db.accounts", "Accounts (debtor × currency)", await db.Accounts.LongCountAsync());
        measurements.Count("db.invoices", "Invoices", await db.Invoices.LongCountAsync());
        measurements.Count("db.entries", "Ledger entries", await db.LedgerEntries.LongCountAsync());
        measurements.Count("db.allocations", "Allocations", await db.Allocations.LongCountAsync());
    }

    private static async Task AgeAsync(RecoupDatabase database, DateOnly asOf, Measurements measurements, Action<string> phase)
    {
        var aging = new AgingQuery(database);
        var best = TimeSpan.MaxValue;
        AgingReport? report = null;
        for (var run = 1; run <= AgingRuns; run++)
        {
            phase($"Aging by bucket, run {run}");
            var watch = Stopwatch.StartNew();
            report = await aging.ByBucketAsync(asOf, AgingBuckets.Default);
            var elapsed = watch.Elapsed;
            best = elapsed < best ? elapsed : best;
            measurements.Seconds($"aging.bucket.run{run}", $"Aging by bucket, run {run}", elapsed);
        }

        measurements.Seconds("aging.bucket.best", "Aging by bucket, best", best);
        measurements.Count("aging.open_invoices", "Open invoices aged", report!.Currencies.Sum(c => c.Count));
        foreach (var currency in report.Currencies)
        {
            AnsiConsole.MarkupLineInterpolated(
                CultureInfo.InvariantCulture,
                $"[grey]{currency.Currency.Code}: {string.Join("  ", currency.Buckets.Select(b => $"{b.Bucket.Name} {b.Amount.ToDecimalString()} ({b.Count})"))}[/]");
        }

        best = TimeSpan.MaxValue;
        var debtors = 0;
        for (var run = 1; run <= AgingRuns; run++)
        {
            phase($"Aging by debtor, run {run}");
            var watch = Stopwatch.StartNew();
            debtors = (await aging.ByDebtorAsync(asOf, AgingBuckets.Default)).Count;
            var elapsed = watch.Elapsed;
            best = elapsed < best ? elapsed : best;
            measurements.Seconds($"aging.debtor.run{run}", $"Aging by debtor, run {run}", elapsed);
        }

        measurements.Seconds("aging.debtor.best", "Aging by debtor, best", best);
        measurements.Count("aging.debtor_rows", "Debtor × currency rows aged", debtors);
    }

    private static async Task DatabaseSizeAsync(RecoupDatabase database, Measurements measurements)
    {
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            var path = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
            measurements.Megabytes("db.size", "Database size (file)", new FileInfo(path).Length);
            measurements.Megabytes("db.wal", "Write-ahead log (file)", File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0);
            return;
        }

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_database_size(current_database())", connection);
        measurements.Megabytes("db.size", "Database size (pg_database_size)", (long)(await command.ExecuteScalarAsync())!);
    }

    private static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }

    private static string Slug(string stage)
    {
        var slug = new StringBuilder();
        foreach (var c in stage.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '_')
            {
                slug.Append('_');
            }

            if (c == '(')
            {
                break;
            }
        }

        return slug.ToString().TrimEnd('_');
    }

    private static void PrintMachine(BenchOptions options)
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        AnsiConsole.MarkupLineInterpolated(
            CultureInfo.InvariantCulture,
            $"[bold]import-aging[/] {options.Debtors:#,0} debtors, provider {options.Provider}; {Environment.ProcessorCount} CPUs ({cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}), {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024 / 1024:#,0} MB, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}{LoadAverage()}");
    }

    /// <summary>
    /// Every metric once, in the order the providers measured them: a metric only one provider has
    /// goes right after the one that provider measured before it (or before the one it measured next).
    /// </summary>
    private static List<string> MergedOrder(IReadOnlyList<Measurement> all)
    {
        var order = new List<string>();
        foreach (var provider in all.GroupBy(m => m.Provider))
        {
            var metrics = provider.Select(m => m.Metric).ToList();
            var after = -1;
            for (var i = 0; i < metrics.Count; i++)
            {
                var at = order.IndexOf(metrics[i]);
                if (at < 0)
                {
                    var next = metrics.Skip(i + 1).Select(m => order.IndexOf(m)).FirstOrDefault(index => index >= 0, -1);
                    at = after >= 0 ? after + 1 : next >= 0 ? next : order.Count;
                    order.Insert(at, metrics[i]);
                }

                after = at;
            }
        }

        return order;
    }

    /// <summary>The machine's load when a run starts: other work on it skews every figure.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? $"; load average {string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3))}" : "";

    private static void PrintTable(IReadOnlyList<Measurement> all)
    {
        var columns = all.Select(m => m.Provider).Distinct().ToList();
        var table = new Table().Title("import-aging").AddColumn("Measurement");
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        foreach (var metric in MergedOrder(all))
        {
            var row = all.Where(m => m.Metric == metric).ToList();
            table.AddRow([Markup.Escape(row[0].Label), .. columns.Select(c => row.FirstOrDefault(m => m.Provider == c)?.Formatted ?? "")]);
        }

        AnsiConsole.WriteLine();
        AnsiConsole.Write(table);
    }
}
