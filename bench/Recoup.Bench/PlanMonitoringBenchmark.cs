using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Recoup.Domain.Compliance;
using Recoup.Services.Plans;
using Recoup.Services.Storage;
using Spectre.Console;

namespace Recoup.Bench;

/// <summary>
/// The daily monitoring of promises and plans on a large PostgreSQL database built by
/// <c>account-search --keep-db</c>: gives N accounts with a balance a six-installment monthly plan
/// (set up in SQL, staggered over the five months before the date, so some installments are due, some
/// kept by the portfolio's own payments, some missed) and a quarter of them a promise, then times the
/// monitoring as of the date (the first run judges everything), again (nothing changes), and the day after.
/// </summary>
public static class PlanMonitoringBenchmark
{
    public const string Usage = """
        Usage: Recoup.Bench plan-monitoring --reuse-db NAME [options]
          --reuse-db NAME    a database built by account-search --keep-db NAME on the RECOUP_TEST_PG server
          --plans N          active plans to set up (default 200000)
          --date DATE        the business date to monitor (default 2026-11-30)
        """;

    public static async Task<int> RunAsync(ReadOnlyMemory<string> arguments)
    {
        string? name = null;
        var plans = 200_000;
        var date = new DateOnly(2026, 11, 30);
        var args = arguments.Span;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--reuse-db": name = args[i + 1]; break;
                case "--plans": plans = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--date": date = DateOnly.ParseExact(args[i + 1], "yyyy-MM-dd", CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine(Usage); return 2;
            }
        }

        if (await KeptDatabase.OpenAsync(name) is not { } database)
        {
            return 2;
        }

        var measurements = new Measurements("postgres");
        var seed = Stopwatch.StartNew();
        var counts = await SeedAsync(database, plans, date);
        measurements.Seconds("seed", "set up the plans and promises in SQL (not part of the target)", seed.Elapsed);
        measurements.Count("accounts", "accounts in the database", counts.Accounts, "accounts");
        measurements.Count("plans", "active plans", counts.Plans, "plans");
        measurements.Count("installments", "installments", counts.Installments, "rows");
        measurements.Count("promises", "pending promises", counts.Promises, "promises");

        var clock = new FixedClock(new DateTimeOffset(date.ToDateTime(new TimeOnly(5, 0)), TimeSpan.Zero));
        var monitoring = new PlanMonitoring(database, clock, new PlanSettings(), RuleSet.Default);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"plan-monitoring on {name}: {counts.Plans:N0} plans, {counts.Accounts:N0} accounts; {Environment.ProcessorCount} CPUs; load average {LoadAverage()}");
        await RunAsync(measurements, monitoring, date, "first", "first run: every installment judged for the first time");
        await RunAsync(measurements, monitoring, date, "again", "the same date again: nothing changes");
        clock.Now = clock.Now.AddDays(1);
        await RunAsync(measurements, monitoring, date.AddDays(1), "next_day", "the next day (daily run)");

        measurements.Print();

        return 0;
    }

    private static async Task RunAsync(Measurements measurements, PlanMonitoring monitoring, DateOnly date, string metric, string label)
    {
        var watch = Stopwatch.StartNew();
        var result = await monitoring.RunAsync(date);
        measurements.Seconds($"monitor.{metric}", label, watch.Elapsed);
        measurements.Count($"monitor.{metric}.changed", "installments changed", result.InstallmentsChanged, "rows");
        measurements.Count($"monitor.{metric}.defaulted", "plans defaulted", result.PlansDefaulted, "plans");
        measurements.Count($"monitor.{metric}.completed", "plans completed", result.PlansCompleted, "plans");
        measurements.Count($"monitor.{metric}.reminders", "reminders queued", result.RemindersQueued, "messages");
        foreach (var (stage, elapsed) in result.Stages)
        {
            measurements.Seconds($"monitor.{metric}.stage.{stage}", stage, elapsed);
        }
    }

    private sealed record Counts(long Accounts, long Plans, long Installments, long Promises);

    private static async Task<Counts> SeedAsync(RecoupDatabase database, int plans, DateOnly date)
    {
        await using var db = database.CreateContext();
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
        var day = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        foreach (var sql in new[]
        {
            "TRUNCATE plan_installments, plan_revisions, payment_plans, promises, settlements, outbox",
            $"""
            INSERT INTO payment_plans (id, account_id, debtor_id, currency, total_minor, down_payment_minor, frequency, first_due, start_on, status,
                                      schedule_version, created_by, created_at)
            SELECT gen_random_uuid(), s.account_id, s.debtor_id, s.currency, s.balance_minor, 0, 'Monthly',
                   (DATE '{day}' - ((abs(hashtext(s.account_id::text)) % 150) || ' days')::interval)::date,
                   (DATE '{day}' - ((abs(hashtext(s.account_id::text)) % 150) || ' days')::interval - interval '7 days')::date - 200,
                   'Active', 1, 'bench', now()
            FROM account_summaries s WHERE s.balance_minor >= 600 ORDER BY s.account_id LIMIT {plans}
            """,
            """
            INSERT INTO plan_installments (plan_id, version, number, due, amount_minor, paid_minor, covered_on, status)
            SELECT p.id, 1, n, (p.first_due + make_interval(months => n - 1))::date,
                   CASE WHEN n < 6 THEN p.total_minor / 6 ELSE p.total_minor - 5 * (p.total_minor / 6) END, 0, NULL, 'Pending'
            FROM payment_plans p, generate_series(1, 6) AS n
            """,
            "INSERT INTO plan_revisions (plan_id, version, kind, by, at) SELECT id, 1, 'created', 'bench', now() FROM payment_plans",
            $"""
            INSERT INTO promises (id, account_id, debtor_id, currency, amount_minor, promised_for, taken_on, channel, taken_by, taken_at, status, paid_minor)
            SELECT gen_random_uuid(), p.account_id, p.debtor_id, p.currency, p.total_minor / 6,
                   (DATE '{day}' + (abs(hashtext(p.id::text)) % 20) - 10), (DATE '{day}' - 20), 'call', 'bench', now(), 'Pending', 0
            FROM payment_plans p WHERE abs(hashtext(p.id::text)) % 4 = 0
            """,
            "ANALYZE payment_plans", "ANALYZE plan_installments", "ANALYZE promises",
        })
        {
            await db.Database.ExecuteSqlRawAsync(sql);
        }

        return new Counts(
            await db.Accounts.LongCountAsync(), await db.PaymentPlans.LongCountAsync(), await db.PlanInstallments.LongCountAsync(), await db.Promises.LongCountAsync());
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private sealed class FixedClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
