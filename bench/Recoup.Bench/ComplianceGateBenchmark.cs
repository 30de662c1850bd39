using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Recoup.Domain.Compliance;
using Recoup.Domain.Debtors;
using Spectre.Console;

namespace Recoup.Bench;

/// <summary>
/// Times <see cref="ComplianceGate.Check"/> single-threaded on generated, realistic cases: 1–3 time zones, 1–3
/// debts, 0–30 history entries over the previous five weeks, some stated inconvenient times, consents, opt-outs,
/// disputes and Massachusetts debtors; attempts spread over the day so that many are blocked (and so also compute
/// their next allowed time). Case generation is not timed: in production the facts come from the database.
/// </summary>
public static class ComplianceGateBenchmark
{
    public const string Usage = """
        Usage: Recoup.Bench compliance-gate [options]

          --decisions N      gate decisions per timed run (default 1000000)
          --cases N          distinct generated cases and attempts, used round-robin (default 20000)
          --runs N           timed runs (default 3); the best and the median are reported
          --seed N           generator seed (default 42)
          --budget S         the time one run must stay under, in seconds (default 2)
        """;

    private static readonly string[] Zones =
        ["America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu", "America/Detroit", "America/Indiana/Indianapolis"];

    private static readonly string[] States = ["NY", "CA", "TX", "FL", "MA", "IL", "PA", "OH", "GA", "WA"];

    public static int Run(ReadOnlySpan<string> args)
    {
        int decisions = 1_000_000, cases = 20_000, runs = 3, seed = 42;
        double budget = 2;
        for (var i = 0; i < args.Length; i++)
        {
            string Value(ReadOnlySpan<string> all) => i + 1 < all.Length ? all[++i] : throw new FormatException($"{all[i]} needs a value");
            try
            {
                switch (args[i])
                {
                    case "--decisions": decisions = int.Parse(Value(args), NumberStyles.None, CultureInfo.InvariantCulture); break;
                    case "--cases": cases = int.Parse(Value(args), NumberStyles.None, CultureInfo.InvariantCulture); break;
                    case "--runs": runs = int.Parse(Value(args), NumberStyles.None, CultureInfo.InvariantCulture); break;
                    case "--seed": seed = int.Parse(Value(args), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture); break;
                    case "--budget": budget = double.Parse(Value(args), NumberStyles.Float, CultureInfo.InvariantCulture); break;
                    default: throw new FormatException($"unknown option {args[i]}");
                }
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine($"{e.Message}\n\n{Usage}");
                return 2;
            }
        }

        if (decisions < 1 || cases < 1 || runs < 1)
        {
            Console.Error.WriteLine($"--decisions, --cases and --runs must be at least 1.\n\n{Usage}");
            return 2;
        }

        AnsiConsole.MarkupLineInterpolated(
            CultureInfo.InvariantCulture,
            $"[bold]compliance-gate[/] {decisions:#,0} decisions x {runs} runs over {cases:#,0} cases; {Environment.ProcessorCount} CPUs, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024 / 1024:#,0} MB, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");

        var generate = Stopwatch.StartNew();
        var (facts, attempts) = Generate(cases, seed);
        generate.Stop();
        var historyEntries = facts.Sum(f => f.History.Count);

        // Warm-up: the JIT's tiers and the time-zone cache.
        var warmup = Math.Min(decisions, 200_000);
        Decide(facts, attempts, warmup, out _, out _);

        var measured = new List<(TimeSpan Elapsed, long Bytes, int Gen0, int Allowed, int WithNext)>();
        for (var run = 0; run < runs; run++)
        {
            var gen0 = GC.CollectionCount(0);
            var bytes = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            var allowed = Decide(facts, attempts, decisions, out var withNext, out _);
            clock.Stop();
            measured.Add((clock.Elapsed, GC.GetAllocatedBytesForCurrentThread() - bytes, GC.CollectionCount(0) - gen0, allowed, withNext));
        }

        var ordered = measured.OrderBy(m => m.Elapsed).ToList();
        var best = ordered[0];
        var median = ordered[ordered.Count / 2];
        var results = new Measurements("domain");
        results.Seconds("gate.generate", $"Generate {cases:#,0} cases ({historyEntries:#,0} history entries)", generate.Elapsed);
        for (var run = 0; run < measured.Count; run++)
        {
            results.Seconds($"gate.run{run + 1}", $"Run {run + 1}: {decisions:#,0} decisions", measured[run].Elapsed);
        }

        results.Seconds("gate.best", $"Best of {runs}", best.Elapsed);
        results.Count("gate.decisions_per_s", "Decisions per second (best run)", (long)(decisions / best.Elapsed.TotalSeconds), "decisions/s");
        results.Count("gate.decisions_per_s_median", "Decisions per second (median run)", (long)(decisions / median.Elapsed.TotalSeconds), "decisions/s");
        results.Count("gate.bytes_per_decision", "Bytes allocated per decision (best run)", best.Bytes / decisions, "B");
        results.Count("gate.gen0", "Gen 0 collections (best run)", best.Gen0, "collections");
        results.Count("gate.allowed", "Allowed decisions (per run)", best.Allowed, "decisions");
        results.Count("gate.blocked_with_next", "Blocked with a next allowed time", best.WithNext, "decisions");
        results.Count("gate.blocked_never", "Blocked until the facts change", decisions - best.Allowed - best.WithNext, "decisions");

        var table = new Table().AddColumn("Figure").AddColumn(new TableColumn("Value").RightAligned());
        foreach (var m in results.Items)
        {
            table.AddRow(Markup.Escape(m.Label), Markup.Escape(m.Formatted + (m.Unit is "s" or "MB" or "ms" ? "" : " " + m.Unit)));
        }

        AnsiConsole.Write(table);
        var met = best.Elapsed.TotalSeconds < budget;
        var verdict = string.Create(CultureInfo.InvariantCulture, $"best run {best.Elapsed.TotalSeconds:0.000} s for {decisions:#,0} decisions (budget {budget:0.###} s).");
        AnsiConsole.MarkupLine((met ? "[green]Met[/]: " : "[red]Missed[/]: ") + Markup.Escape(verdict));
        Console.WriteLine();
        foreach (var m in results.Items)
        {
            Console.WriteLine(m.ToLine());
        }

        return met ? 0 : 1;
    }

    private static int Decide(ContactCase[] facts, ContactAttempt[] attempts, int decisions, out int blockedWithNext, out int reasons)
    {
        var rules = RuleSet.Default;
        int allowed = 0, withNext = 0, reasonCount = 0;
        for (int i = 0, c = 0; i < decisions; i++, c = c + 1 == facts.Length ? 0 : c + 1)
        {
            var decision = ComplianceGate.Check(facts[c], attempts[c], rules);
            if (decision.Allowed)
            {
                allowed++;
            }
            else if (decision.NextAllowedAt is not null)
            {
                withNext++;
            }

            reasonCount += decision.Reasons.Count;
        }

        blockedWithNext = withNext;
        reasons = reasonCount;
        return allowed;
    }

    /// <summary>Cases around Monday 23 November 2026 (the attempt's day), each with one attempt.</summary>
    private static (ContactCase[] Facts, ContactAttempt[] Attempts) Generate(int count, int seed)
    {
        var random = new Random(seed);
        var day = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
        var facts = new ContactCase[count];
        var attempts = new ContactAttempt[count];
        for (var n = 0; n < count; n++)
        {
            var zones = Pick(random, Zones, random.Next(1, 4));
            var debtIds = Enumerable.Range(1, random.Next(1, 4)).Select(i => string.Create(CultureInfo.InvariantCulture, $"ACC-{n:D6}-{i}")).ToArray();
            var state = States[random.Next(States.Length)];
            var debts = debtIds.Select(id => new DebtFacts(
                id,
                random.Next(10) == 0 ? DebtType.Medical : DebtType.Consumer,
                state,
                LimitationsStartOn: DateOnly.FromDateTime(day.UtcDateTime).AddDays(-random.Next(200, 3000)),
                ValidationNoticeSentOn: DateOnly.FromDateTime(day.UtcDateTime).AddDays(-random.Next(5, 120)),
                DisputedOn: random.Next(30) == 0 ? DateOnly.FromDateTime(day.UtcDateTime).AddDays(-random.Next(1, 20)) : null)).ToArray();
            var points = new[] { "P1", "P2", "P3" }.Take(random.Next(1, 4)).Select(p => $"{n}-{p}").ToArray();
            var history = new List<ContactHistoryEntry>();
            var entries = random.Next(0, 31);
            for (var e = 0; e < entries; e++)
            {
                var at = day.AddMinutes(-random.Next(1, 35 * 1440));
                var channel = random.Next(10) switch { < 7 => ContactChannel.Call, 7 => ContactChannel.Sms, 8 => ContactChannel.Email, _ => ContactChannel.Letter };
                var outcome = channel == ContactChannel.Call
                    ? random.Next(20) switch { < 4 => ContactOutcome.NotConnected, < 12 => ContactOutcome.Unanswered, < 18 => ContactOutcome.Voicemail, _ => ContactOutcome.Conversation }
                    : random.Next(20) == 0 ? ContactOutcome.Undeliverable : ContactOutcome.Sent;
                history.Add(new ContactHistoryEntry(
                    at,
                    channel,
                    channel == ContactChannel.Call && random.Next(10) == 0 ? ContactDirection.Inbound : ContactDirection.Outbound,
                    points[random.Next(points.Length)],
                    Pick(random, debtIds, random.Next(1, debtIds.Length + 1)),
                    outcome,
                    random.Next(25) == 0 ? at.AddHours(-random.Next(1, 72)) : null));
            }

            facts[n] = new ContactCase
            {
                TimeZones = zones,
                States = random.Next(4) == 0 ? [state, States[random.Next(States.Length)]] : [state],
                InconvenientTimes = random.Next(10) == 0 ? [new InconvenientTime([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday], new TimeOnly(9, 0), new TimeOnly(17, 0))] : [],
                CeaseCommunicationAt = random.Next(100) == 0 ? day.AddDays(-3) : null,
                AttorneyRepresentedSince = random.Next(100) == 0 ? day.AddDays(-10) : null,
                WorkplaceContactProhibited = random.Next(10) == 0,
                OptOuts = random.Next(20) == 0 ? [new OptOut(ContactChannel.Sms, null, day.AddDays(-5))] : [],
                Consents = random.Next(2) == 0 ? [new AutomatedContactConsent(points[0], day.AddDays(-200))] : [],
                Debts = debts,
                History = new ContactHistory(history),
            };
            var channel2 = random.Next(10) switch { < 7 => ContactChannel.Call, 7 => ContactChannel.Sms, 8 => ContactChannel.Email, _ => ContactChannel.Letter };
            var point = channel2 switch
            {
                ContactChannel.Call or ContactChannel.Sms => new ContactPointFacts(points[random.Next(points.Length)], ContactKind.Phone, (PhoneLineType)random.Next(3), random.Next(20) == 0, random.Next(3) == 0 ? [Zones[random.Next(Zones.Length)]] : null),
                ContactChannel.Email => new ContactPointFacts($"{n}-E1", ContactKind.Email),
                ContactChannel.Letter => new ContactPointFacts($"{n}-A1", ContactKind.Postal),
            };
            attempts[n] = new ContactAttempt(
                channel2,
                point,
                day.AddMinutes(random.Next(0, 1440)),
                Pick(random, debtIds, random.Next(1, debtIds.Length + 1)),
                Automated: random.Next(3) == 0);
        }

        return (facts, attempts);
    }

    private static string[] Pick(Random random, string[] from, int count)
    {
        var copy = (string[])from.Clone();
        random.Shuffle(copy);
        return copy[..Math.Min(count, copy.Length)];
    }
}
