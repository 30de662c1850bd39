using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Recoup.Services.Demo;
using Recoup.Services.Imports;
using Recoup.Services.Storage;
using Recoup.Services.Strategies;
using Recoup.Testing;
using Spectre.Console;

namespace Recoup.Bench;

/// <summary>
/// The daily collections run over a whole portfolio: on the large PostgreSQL database built by
/// <c>account-search --keep-db</c> (<c>--reuse-db NAME</c>), or on a SQLite portfolio generated and imported here
/// (<c>--sqlite-debtors N</c>). Times the bare aggregate the run cannot beat — the open invoice amounts summed per
/// debtor — then the full run (monitoring, accrual, small-balance write-offs, every account's strategy, the queue
/// rebuild), the same date again (nothing to do) and the next day (the steady state), and reports the run as a multiple of the bare query and the
/// process's peak working set. Targets: 1,000,000 accounts with 5,000,000 invoices on PostgreSQL in under 120 s and
/// 2 GB; 100,000 accounts on SQLite in under 30 s.
/// </summary>
public static class DailyRunBenchmark
{
    public const string Usage = """
        Usage: Recoup.Bench daily-run (--reuse-db NAME | --sqlite-debtors N) [options]
          --reuse-db NAME      a database built by account-search --keep-db NAME on the RECOUP_TEST_PG server
          --sqlite-debtors N   generate and import N debtors into a fresh SQLite file instead
          --sqlite-seed FILE   with --sqlite-debtors: start from a copy of FILE when it exists, else save the imported
                               portfolio there before the run (so before/after runs start from the same database)
          --date DATE          the business date of the run (default 2026-11-30)
          --batch N            accounts per batch (default 5000)
          --sql                print the statements that took longest in the first run (count, total time, rows)
        Note: the run writes (messages, tasks, steps taken); a kept PostgreSQL database is changed by it, and a second
        benchmark on the same database and date finds nothing left to do.
        """;

    /// <summary>The bare aggregate: every open invoice amount, summed per debtor.</summary>
    public const string BareQuery = """
        SELECT a.debtor_id, sum(al.amount_minor)
        FROM allocations al JOIN accounts a ON a.id = al.account_id
        WHERE al.invoice_id IS NOT NULL
        GROUP BY a.debtor_id
        """;

    public static async Task<int> RunAsync(ReadOnlyMemory<string> arguments)
    {
        string? name = null;
        int? sqliteDebtors = null;
        string? sqliteSeed = null;
        var date = new DateOnly(2026, 11, 30);
        var batch = 5_000;
        var args = arguments.Span;
        var sql = false;
        for (var i = 0; i < args.Length; i += 2)
        {
            if (args[i] == "--sql")
            {
                sql = true;
                i--;
                continue;
            }

            if (i + 1 >= args.Length)
            {
                Console.Error.WriteLine(Usage);
                return 2;
            }

            switch (args[i])
            {
                case "--reuse-db": name = args[i + 1]; break;
                case "--sqlite-debtors": sqliteDebtors = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--sqlite-seed": sqliteSeed = args[i + 1]; break;
                case "--date": date = DateOnly.ParseExact(args[i + 1], "yyyy-MM-dd", CultureInfo.InvariantCulture); break;
                case "--batch": batch = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine(Usage); return 2;
            }
        }

        if ((name is null) == (sqliteDebtors is null))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        var measurements = new Measurements(name is null ? "sqlite" : "postgres");
        RecoupDatabase database;
        if (sqliteDebtors is { } debtors)
        {
            var seed = Stopwatch.StartNew();
            var work = TempFolder.Create("daily-run");
            var file = Path.Combine(work, "daily-run.db");
            if (sqliteSeed is not null && File.Exists(sqliteSeed))
            {
                File.Copy(sqliteSeed, file);
                database = RecoupDatabase.Sqlite(file);
                await database.MigrateAsync();
            }
            else
            {
                var portfolio = Path.Combine(work, "portfolio");
                Directory.CreateDirectory(portfolio);
                PortfolioGenerator.Write(portfolio, new PortfolioSpec(debtors, date));
                database = RecoupDatabase.Sqlite(file);
                await database.MigrateAsync();
                if (!(await new ImportPortfolio(database, TimeProvider.System).RunAsync(portfolio)).Succeeded)
                {
                    AnsiConsole.MarkupLine("[red]The generated portfolio did not import.[/]");
                    return 1;
                }

                if (sqliteSeed is not null)
                {
                    await using (var db = database.CreateContext())
                    {
                        await db.Database.ExecuteSqlRawAsync("VACUUM INTO {0}", Path.GetFullPath(sqliteSeed));
                    }
                }
            }

            measurements.Seconds("seed", "generate and import the portfolio, or copy the saved one (not part of the target)", seed.Elapsed);
        }
        else if (await KeptDatabase.OpenAsync(name) is { } kept)
        {
            database = kept;
        }
        else
        {
            return 2;
        }

        long accounts, invoices;
        await using (var db = database.CreateContext())
        {
            accounts = await db.AccountSummaries.LongCountAsync();
            invoices = await db.Invoices.LongCountAsync();
        }

        measurements.Count("accounts", "accounts", accounts, "accounts");
        measurements.Count("invoices", "invoices", invoices, "invoices");
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"daily-run on {name ?? "a generated SQLite portfolio"}: {accounts:N0} accounts, {invoices:N0} invoices; {Environment.ProcessorCount} CPUs; load average {LoadAverage()}");

        var (bare, rows) = await BareAsync(database);
        measurements.Seconds("bare", "bare SELECT debtor_id, sum(open amount) … GROUP BY debtor_id", bare);
        measurements.Count("bare.rows", "debtors it returned", rows, "rows");

        var clock = new FixedClock(new DateTimeOffset(date.ToDateTime(new TimeOnly(6, 0)), TimeSpan.Zero));
        var run = DailyRunSetup.Create(database, clock, null, batchSize: batch);
        var totals = sql ? new SqlTotals() : null;
        var loadBefore = LoadAverage();
        var watch = Stopwatch.StartNew();
        var first = await run.RunAsync(date, dryRun: false, "bench", new ProgressPrinter(watch, run));
        var elapsed = watch.Elapsed;
        totals?.Dispose();
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"load average before the run {loadBefore}, after it {LoadAverage()}");
        foreach (var (statement, count, time, read) in totals?.Top(25) ?? [])
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SQL {time.TotalSeconds,8:F3} s {count,7}x {read,10} rows  {statement}"));
        }

        if (first.Error is { } error)
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]{error.Message}[/]");
            return 1;
        }

        var report = first.Value!;
        measurements.Seconds("run", "the full daily run", elapsed);
        measurements.Count("run.multiple", "the run as a multiple of the bare query", (long)Math.Round(elapsed.TotalSeconds / Math.Max(bare.TotalSeconds, 0.001)), "×");
        foreach (var (stage, time) in run.LastStages.OrderByDescending(s => s.Value))
        {
            measurements.Seconds("run.stage." + stage, "stage: " + stage, time);
        }

        measurements.Count("run.accounts", "accounts decided", report.Accounts, "accounts");
        foreach (var (action, count) in report.Steps.Where(s => s.Value > 0))
        {
            measurements.Count("run.steps." + DailyRun.ActionName(action), "steps taken: " + DailyRun.ActionName(action), count, "steps");
        }

        measurements.Count("run.blocked", "blocked by compliance", report.BlockedByCompliance, "steps");
        measurements.Count("run.waiting", "waiting (no contact point or collector)", report.Deferred, "steps");

        watch.Restart();
        var again = await run.RunAsync(date, dryRun: false, "bench");
        measurements.Seconds("again", "the same date again (nothing to do)", watch.Elapsed);
        foreach (var (stage, time) in run.LastStages.OrderByDescending(s => s.Value).Take(6))
        {
            measurements.Seconds("again.stage." + stage, "stage: " + stage, time);
        }

        measurements.Count("again.steps", "steps taken by it", again.Value?.Steps.Values.Sum() ?? -1, "steps");

        // The steady state: the next business day, when only the accounts reaching a step's day are acted on.
        var nextDay = DailyRunSetup.Create(database, new FixedClock(clock.GetUtcNow().AddDays(1)), null, batchSize: batch);
        watch.Restart();
        var next = await nextDay.RunAsync(date.AddDays(1), dryRun: false, "bench");
        measurements.Seconds("next_day", "the next business day's run", watch.Elapsed);
        foreach (var (stage, time) in nextDay.LastStages.OrderByDescending(s => s.Value).Take(6))
        {
            measurements.Seconds("next_day.stage." + stage, "stage: " + stage, time);
        }

        measurements.Count("next_day.steps", "steps taken by it", next.Value?.Steps.Values.Sum() ?? -1, "steps");

        using var process = Process.GetCurrentProcess();
        process.Refresh();
        measurements.Megabytes("peak_working_set", "peak working set of the process", process.PeakWorkingSet64);
        measurements.Print();
        return 0;
    }

    private static async Task<(TimeSpan Elapsed, long Rows)> BareAsync(RecoupDatabase database)
    {
        await using var db = database.CreateContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = BareQuery;
        command.CommandTimeout = 3600;
        var watch = Stopwatch.StartNew();
        long rows = 0;
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows++;
            }
        }

        return (watch.Elapsed, rows);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    /// <summary>Prints the run's progress every tenth of the accounts, with the time so far and the slowest stages, so a run cut short still tells its pace.</summary>
    private sealed class ProgressPrinter(Stopwatch watch, DailyRun run) : IProgress<DailyRunProgress>
    {
        private int _printed = -1;

        public void Report(DailyRunProgress value)
        {
            var tenth = value.Total == 0 ? 10 : (int)(10L * value.Done / value.Total);
            if (tenth == _printed && value.Done < value.Total)
            {
                return;
            }

            _printed = tenth;
            var stages = string.Join(", ", run.LastStages.OrderByDescending(s => s.Value).Take(5).Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Value.TotalSeconds:F1}s")));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"PROGRESS {watch.Elapsed.TotalSeconds,8:F1}s {value.Stage}: {value.Done:N0}/{value.Total:N0}; load {LoadAverage()}; {stages}; working set {Environment.WorkingSet / 1048576} MB"));
        }
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
