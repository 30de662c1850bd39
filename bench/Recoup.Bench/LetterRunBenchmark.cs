using System.Diagnostics;
using System.Globalization;
using Recoup.Services.Demo;
using Recoup.Services.Imports;
using Recoup.Domain.Compliance;
using Recoup.Services.Messaging.Letters;
using Recoup.Services.Messaging.Templates;
using Recoup.Services.Storage;
using Recoup.Testing;
using Spectre.Console;

namespace Recoup.Bench;

/// <summary>
/// The monthly letter run on a generated portfolio in a fresh SQLite file: imports N debtors, then prints a
/// statement for every account with a balance (one PDF each plus the manifest) and times it. The target is
/// 10,000 letters in under 60 s.
/// </summary>
public static class LetterRunBenchmark
{
    public const string Usage = """
        Usage: Recoup.Bench letter-run [options]
          --debtors N        debtors to generate (default 12000; about 90% have a balance and an address)
          --kind KIND        statements or delinquency (default statements)
          --date DATE        the as-of date (default 2026-11-30)
          --out DIR          where the letters go (default a temporary folder, removed afterwards)
        """;

    public static async Task<int> RunAsync(ReadOnlyMemory<string> arguments)
    {
        var debtors = 12_000;
        var kind = LetterKind.Statements;
        var date = new DateOnly(2026, 11, 30);
        string? output = null;
        var args = arguments.Span;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--debtors": debtors = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--kind": kind = args[i + 1] == "delinquency" ? LetterKind.Delinquency : LetterKind.Statements; break;
                case "--date": date = DateOnly.ParseExact(args[i + 1], "yyyy-MM-dd", CultureInfo.InvariantCulture); break;
                case "--out": output = args[i + 1]; break;
                default: Console.Error.WriteLine(Usage); return 2;
            }
        }

        var measurements = new Measurements("sqlite");
        var work = TempFolder.Create("letter-run");
        var seed = Stopwatch.StartNew();
        var portfolio = Path.Combine(work, "portfolio");
        Directory.CreateDirectory(portfolio);
        PortfolioGenerator.Write(portfolio, new PortfolioSpec(debtors, date));
        var database = RecoupDatabase.Sqlite(Path.Combine(work, "letters.db"));
        await database.MigrateAsync();
        var imported = await new ImportPortfolio(database, TimeProvider.System).RunAsync(portfolio);
        if (!imported.Succeeded)
        {
            AnsiConsole.MarkupLine("[red]The generated portfolio did not import.[/]");
            return 1;
        }

        measurements.Seconds("seed", "generate and import the portfolio (not part of the target)", seed.Elapsed);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"letter-run: {debtors:N0} debtors, {kind}; {Environment.ProcessorCount} CPUs; load average {LoadAverage()}");

        var folder = output ?? Path.Combine(work, "out");
        var clock = new FixedClock(new DateTimeOffset(date.ToDateTime(new TimeOnly(6, 0)), TimeSpan.Zero));
        var watch = Stopwatch.StartNew();
        var result = await new LetterRun(database, clock, new MessagingSettings(), RuleSet.Default).RunAsync(date, kind, folder, "bench");
        var elapsed = watch.Elapsed;
        var files = Directory.GetFiles(folder, "*.pdf");
        var pages = File.ReadLines(result.Manifest).Skip(1).Sum(l => int.Parse(l.Split(',')[^2], CultureInfo.InvariantCulture));
        measurements.Seconds("letters.total", "the letter run: load, render, PDF, manifest, outbox and timeline", elapsed);
        foreach (var (stage, time) in result.Stages)
        {
            measurements.Seconds($"letters.{stage}", stage switch
            {
                "read" => "read ledgers, debtors, plans (chunks of 500)",
                "render_and_print" => "render the templates and write the PDFs (every core)",
                _ => "write the outbox rows and timeline records",
            }, time);
        }

        measurements.Count("letters.printed", "letters printed (one PDF each)", result.Printed, "letters");
        measurements.Count("letters.pages", "pages", pages, "pages");
        measurements.Count("letters.skipped", "skipped (no address, returned mail, opted out)", result.Skipped.Count, "letters");
        measurements.Milliseconds("letters.per_letter", "milliseconds per letter", elapsed.TotalMilliseconds / Math.Max(1, result.Printed));
        measurements.Megabytes("letters.size", "size of the PDFs", files.Sum(f => new FileInfo(f).Length));
        measurements.Print();
        return result.Printed == files.Length ? 0 : 1;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
