using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Recoup.Data.WorkQueues;
using Recoup.Domain.Debtors;
using Recoup.Services.Storage;
using Recoup.Services.WorkQueues;
using Recoup.Testing;
using Spectre.Console;

namespace Recoup.Bench;

/// <summary>
/// Work queues on a large PostgreSQL database built by <c>account-search --keep-db</c>: the queue build
/// of 50 collectors (first build, every account assigned; then the daily rebuild, every assignment
/// kept) and "next account" for random collectors, in business hours and early in the morning, when
/// the gate passes over most of the queue.
/// </summary>
public static class WorkQueueBenchmark
{
    public const string Usage = """
        Usage: Recoup.Bench work-queues --reuse-db NAME [options]
          --reuse-db NAME    a database built by account-search --keep-db NAME on the RECOUP_TEST_PG server
          --collectors N     collectors sharing the accounts (default 50)
          --samples N        timed "next" calls per time of day (default 200)
          --date DATE        the business day (default 2026-11-02, a Monday)
          --next-only        keep the queues of the last run and time only "next account"
        """;

    private sealed record Options(string Database, int Collectors, int Samples, DateOnly Date, bool NextOnly);

    public static async Task<int> RunAsync(ReadOnlyMemory<string> arguments)
    {
        if (Parse(arguments.Span) is not { } options)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        var server = await PostgresServer.SharedAsync();
        if (!server.IsExternal)
        {
            AnsiConsole.MarkupLine("[red]Set RECOUP_TEST_PG to the server that holds the database (docs/benchmarks.md).[/]");
            return 2;
        }

        var database = RecoupDatabase.Postgres(server.ConnectionStringFor(options.Database));
        await database.MigrateAsync();
        var measurements = new Measurements("postgres");
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"work-queues on {options.Database}: {options.Collectors} collectors, {options.Samples} samples per kind; {Environment.ProcessorCount} CPUs; load average {LoadAverage()}");

        var clock = new BenchClock(new DateTimeOffset(options.Date.ToDateTime(new TimeOnly(18, 0)), TimeSpan.Zero));
        List<string> working;
        if (options.NextOnly)
        {
            await using var db = database.CreateContext();
            working = await db.WorkQueueEntries.Select(e => e.Collector).Distinct().ToListAsync();
            await db.WorkQueueEntries.Where(e => e.WorkedAt != null).ExecuteUpdateAsync(e => e.SetProperty(x => x.WorkedAt, (DateTimeOffset?)null));
        }
        else
        {
            await SeedAsync(database, options.Collectors);
            var build = new BuildWorkQueues(database, clock);
            var first = await build.RunAsync("bench");
            Report(measurements, "build.first", "first build: every account assigned by the rules and queued", first);
            foreach (var (stage, elapsed) in first.Stages)
            {
                measurements.Seconds("build.first.stage." + stage, "first build, stage " + stage, elapsed);
            }

            var daily = await build.RunAsync("bench");
            Report(measurements, "build.daily", "daily rebuild: every assignment kept, queues rebuilt", daily);
            var again = await build.RunAsync("bench");
            Report(measurements, "build.daily2", "daily rebuild, again", again);
            foreach (var (stage, elapsed) in daily.Stages)
            {
                measurements.Seconds("build.daily.stage." + stage, "daily rebuild, stage " + stage, elapsed);
            }

            working = daily.Collectors.Where(c => c.Total > 0).Select(c => c.UserName).ToList();
        }

        var next = new NextAccount(database, clock);
        var random = new Random(42);

        // 18:00 UTC is 13:00 in New York and 8:00 in Honolulu: (almost) everyone may be called.
        await TimeNextAsync(measurements, "next.business-hours", "next account at 18:00 UTC (13:00 ET): nearly every debtor callable", next, clock,
            clock.Start, working, options.Samples, random);

        // 13:30 UTC is 8:30 in New York, 7:30 in Chicago: the gate passes over every debtor west of the Eastern zone.
        await TimeNextAsync(measurements, "next.early-morning", "next account at 13:30 UTC (8:30 ET): the gate skips everyone west of Eastern", next, clock,
            clock.Start.AddHours(-4.5), working, options.Samples, random);

        measurements.Print();

        return 0;
    }

    private static void Report(Measurements measurements, string metric, string label, WorkQueueBuild build)
    {
        measurements.Seconds(metric, label, build.Elapsed);
        measurements.Count(metric + ".accounts", "accounts read", build.Accounts, "accounts");
        measurements.Count(metric + ".queued", "accounts queued", build.Queued, "accounts");
        measurements.Count(metric + ".assigned", "accounts newly assigned", build.Assigned, "accounts");
    }

    private static async Task TimeNextAsync(Measurements measurements, string metric, string label, NextAccount next, BenchClock clock, DateTimeOffset at,
        IReadOnlyList<string> collectors, int samples, Random random)
    {
        clock.Now = at;
        for (var i = 0; i < 10; i++)
        {
            await next.FindAsync(collectors[random.Next(collectors.Count)]);
        }

        var times = new List<double>(samples);
        var skipped = 0L;
        var found = 0;
        for (var i = 0; i < samples; i++)
        {
            var collector = collectors[random.Next(collectors.Count)];
            var watch = Stopwatch.StartNew();
            var result = await next.FindAsync(collector);
            times.Add(watch.Elapsed.TotalMilliseconds);
            skipped += result.Skipped.Count;
            found += result.Next is null ? 0 : 1;
        }

        times.Sort();
        measurements.Milliseconds(metric + ".p50", label, Rank(times, 0.50));
        measurements.Milliseconds(metric + ".p95", label, Rank(times, 0.95));
        measurements.Milliseconds(metric + ".p99", label, Rank(times, 0.99));
        measurements.Milliseconds(metric + ".max", label, times[^1]);
        measurements.Count(metric + ".found", "calls that found an account", found, "calls");
        measurements.Count(metric + ".skipped", "accounts passed over, all calls together", skipped, "accounts");
    }

    private static double Rank(List<double> sorted, double percentile) => sorted[Math.Max(0, (int)Math.Ceiling(percentile * sorted.Count) - 1)];

    /// <summary>
    /// Starts from nothing: no assignment, no queue; 50 collectors (capacity with 10 % room) and six rules —
    /// medical, large commercial, other commercial, Spanish-speaking consumers, large consumer balances, other consumers.
    /// </summary>
    private static async Task<IReadOnlyList<string>> SeedAsync(RecoupDatabase database, int count)
    {
        await using var db = database.CreateContext();
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        await db.Database.ExecuteSqlRawAsync("TRUNCATE work_queue_entries, account_assignments, assignment_rules, collector_profiles");
        await db.Database.ExecuteSqlRawAsync("DELETE FROM audit_log WHERE action IN ('compliance.allowed', 'compliance.blocked', 'work_queues.built')");
        await db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE account_summaries");
        var accounts = await db.AccountSummaries.CountAsync();
        var names = Enumerable.Range(1, count).Select(i => $"collector{i:00}").ToList();
        var capacity = (int)Math.Ceiling(accounts / (double)count * 1.1 * 2);
        db.CollectorProfiles.AddRange(names.Select(n => new CollectorProfile { UserName = n, Capacity = capacity }));
        List<string> Slice(int from, int to) => names.Skip(from * count / 50).Take(Math.Max(1, (to - from) * count / 50)).ToList();
        var order = 0;
        AssignmentRuleRecord Rule(string name, DebtType type, long? minMajor, string? language, List<string> who) => new()
        {
            Id = Guid.CreateVersion7(),
            Order = ++order,
            Name = name,
            DebtType = type,
            MinBalanceSortKey = minMajor * 10_000,
            Language = language,
            Collectors = who,
        };
        db.AssignmentRules.AddRange(
            Rule("Medical", DebtType.Medical, null, null, Slice(40, 50)),
            Rule("Commercial 10k+", DebtType.Commercial, 10_000, null, Slice(30, 35)),
            Rule("Commercial", DebtType.Commercial, null, null, Slice(30, 40)),
            Rule("Consumer Spanish", DebtType.Consumer, null, "es", Slice(25, 30)),
            Rule("Consumer 5k+", DebtType.Consumer, 5_000, null, Slice(0, 10)),
            Rule("Consumer", DebtType.Consumer, null, null, Slice(0, 25)));
        await db.SaveChangesAsync();
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"{accounts:#,0} accounts, {count} collectors with room for {capacity:#,0} each, 6 rules");
        return names;
    }

    private static Options? Parse(ReadOnlySpan<string> args)
    {
        string? name = null;
        var collectors = 50;
        var samples = 200;
        var date = new DateOnly(2026, 11, 2);
        var nextOnly = false;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            if (args[i] == "--next-only")
            {
                nextOnly = true;
                continue;
            }

            switch (args[i])
            {
                case "--reuse-db" when value is not null:
                    name = value;
                    break;
                case "--collectors" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c > 0:
                    collectors = c;
                    break;
                case "--samples" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0:
                    samples = s;
                    break;
                case "--date" when DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d):
                    date = d;
                    break;
                default:
                    Console.Error.WriteLine($"work-queues: '{args[i]}' is not an option here, or its value is missing or invalid.");
                    return null;
            }

            i++;
        }

        return name is null ? null : new Options(name, collectors, samples, date, nextOnly);
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>A clock the benchmark sets; elapsed time still comes from the stopwatch.</summary>
    private sealed class BenchClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Start { get; } = start;

        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
