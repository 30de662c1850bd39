using System.CommandLine;
using System.Globalization;
using Recoup.Domain.Strategies;
using Recoup.Services.Strategies;
using Spectre.Console;

using static Recoup.Cli.Formatting;

namespace Recoup.Cli.Commands;

/// <summary>
/// <c>recoup run --as-of DATE [--dry-run] [--output table|json]</c>: the daily collections run for a business date
/// (docs/strategies.md). A second run for the same date takes no new step; a run that crashed resumes from its last
/// batch; <c>--dry-run</c> shows what it would do without writing.
/// </summary>
public static class RunCommand
{
    /// <summary>The step counts in the JSON answer, always all of them, in this order.</summary>
    public static IReadOnlyList<StepAction> ReportedSteps { get; } =
        [StepAction.Letter, StepAction.Email, StepAction.Sms, StepAction.CallTask, StepAction.CreditHold, StepAction.WriteOff, StepAction.Escalation];

    public static Command Create(CliHost host)
    {
        var asOf = new Option<string?>("--as-of") { Description = "The business date of the run, YYYY-MM-DD.", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what the run would do (counts per step and segment, sample accounts) without doing it." };
        var output = new Option<string>("--output") { Description = "table or json.", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "json");
        var command = new Command("run", "The daily collections run: monitoring, fees and interest, small-balance write-offs, every account's strategy steps, the work queues.")
        {
            asOf, dryRun, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!Arguments.TryDate(parse.GetValue(asOf), host.Today, out var date, out var dateError))
            {
                return host.Fail(dateError!);
            }

            if (await host.ExistingDatabaseAsync(parse.GetValue(RecoupCli.DatabaseOption), cancellationToken) is not { } database)
            {
                return ExitCodes.UserError;
            }

            var configuration = CliHost.Configuration();
            DailyRun run;
            try
            {
                run = DailyRunSetup.Create(database, host.Clock, configuration);
            }
            catch (InvalidOperationException e)
            {
                return host.Fail(e.Message);
            }

            var dry = parse.GetValue(dryRun);
            var result = await ProgressDisplay.RunAsync<Recoup.Domain.Result<DailyRunReport>, DailyRunProgress>(
                host, dry ? "Dry run" : "Daily run", p => run.RunAsync(date, dry, CliHost.Actor, p, cancellationToken), p => (p.Stage, p.Done, p.Total));
            if (result.Error is { } error)
            {
                return host.Fail(error.Message);
            }

            var report = result.Value!;
            if (parse.GetValue(output) == "json")
            {
                WriteJson(host.Output, json =>
                {
                    json.WriteString("as_of", Iso(report.AsOf));
                    json.WriteNumber("accounts", report.Accounts);
                    json.WriteStartObject("steps");
                    foreach (var action in ReportedSteps)
                    {
                        json.WriteNumber(DailyRun.ActionName(action), report.Steps.GetValueOrDefault(action));
                    }

                    json.WriteEndObject();
                    json.WriteNumber("broken_promises", report.BrokenPromises);
                    json.WriteNumber("missed_installments", report.MissedInstallments);
                    json.WriteNumber("blocked_by_compliance", report.BlockedByCompliance);
                    json.WriteNumber("duration_ms", report.DurationMs);
                });
                return ExitCodes.Ok;
            }

            WriteTable(host, report);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteTable(CliHost host, DailyRunReport report)
    {
        var verb = report.DryRun ? "would take" : "taken";
        host.Console.MarkupLineInterpolated($"{(report.DryRun ? "Dry run (nothing written)" : report.Resumed ? "Daily run (resumed)" : "Daily run")} as of [bold]{Iso(report.AsOf)}[/]");
        var table = new Table().AddColumns("", "Count");
        table.AddRow("Accounts decided", N(report.Accounts));
        foreach (var (action, count) in report.Steps.Where(s => s.Value > 0 || ReportedSteps.Contains(s.Key)))
        {
            table.AddRow(Markup.Escape($"Steps {verb}: {DailyRun.ActionName(action)}"), N(count));
        }

        table.AddRow("Blocked by compliance (tried again next run)", N(report.BlockedByCompliance));
        table.AddRow("Waiting (no contact point or collector yet)", N(report.Deferred));
        table.AddRow("Stopped (collection hold or placement)", N(report.Stopped));
        if (!report.DryRun)
        {
            table.AddRow("Broken promises", N(report.BrokenPromises));
            table.AddRow("Missed installments", N(report.MissedInstallments));
            table.AddRow("Late fees posted", N(report.FeesPosted));
            table.AddRow("Interest entries posted", N(report.InterestPosted));
            table.AddRow("Small balances written off", N(report.SmallBalanceWriteOffs));
            if (report.Queued is { } queued)
            {
                table.AddRow("Accounts in work queues", N(queued));
            }
        }

        table.AddRow("Duration", string.Create(CultureInfo.InvariantCulture, $"{report.DurationMs / 1000.0:0.0} s"));
        host.Console.Write(table);

        if (report.BySegment.Count > 0)
        {
            var segments = new Table().AddColumns("Strategy / segment / arm", "Accounts with a step");
            foreach (var (segment, count) in report.BySegment.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                segments.AddRow(Markup.Escape(segment), N(count));
            }

            host.Console.Write(segments);
        }

        if (report.DryRun && report.Samples.Count > 0)
        {
            // One line each, not a table: account ids are long and a narrow terminal would wrap the columns.
            host.Output.WriteLine("Sample accounts (account, strategy / segment / arm, step, action):");
            foreach (var sample in report.Samples)
            {
                host.Output.WriteLine($"  {sample.AccountId}  {sample.Strategy} / {sample.Segment} / {sample.Arm}  {sample.Step}  {DailyRun.ActionName(sample.Action)}");
            }
        }
    }

    private static string N(int count) => count.ToString("N0", CultureInfo.InvariantCulture);
}
