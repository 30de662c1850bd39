using System.CommandLine;
using System.Globalization;
using Recoup.Domain.Compliance;
using Recoup.Services.Messaging.Letters;
using Recoup.Services.Messaging.Templates;
using Spectre.Console;

namespace Recoup.Cli.Commands;

/// <summary>
/// <c>recoup letters run --as-of DATE --kind statements|delinquency --out DIR</c>: the monthly letter run — one PDF per
/// letter and the print vendor's manifest in DIR; skipped letters listed (returned mail, no address, refused by the
/// compliance gate with the rule) and written to skipped.csv.
/// </summary>
public static class LettersCommand
{
    public static Command Create(CliHost host)
    {
        var asOf = Arguments.AsOf("The business date of the letters, YYYY-MM-DD. Default: today.");
        var kind = new Option<string>("--kind") { Description = "statements (every account with a balance) or delinquency (every past-due account).", DefaultValueFactory = _ => "delinquency" };
        kind.AcceptOnlyFromAmong("statements", "delinquency");
        var output = new Option<string>("--out") { Description = "The folder the PDFs and manifest.csv are written to.", Required = true };
        var run = new Command("run", "Print the month's letters: one PDF per letter and manifest.csv for the print vendor; letters are marked sent.") { asOf, kind, output };
        run.SetAction(async (parse, cancellationToken) =>
        {
            if (!Arguments.TryDate(parse.GetValue(asOf), host.Today, out var date, out var dateError))
            {
                return host.Fail(dateError!);
            }

            if (await host.ExistingDatabaseAsync(parse.GetValue(RecoupCli.DatabaseOption), cancellationToken) is not { } database)
            {
                return ExitCodes.UserError;
            }

            var letterKind = parse.GetValue(kind) == "statements" ? LetterKind.Statements : LetterKind.Delinquency;
            var folder = Path.GetFullPath(parse.GetValue(output)!);
            var letters = new LetterRun(database, host.Clock, MessagingSettings.Load(null), RuleSet.Default);
            var result = await ProgressDisplay.RunAsync<LetterRunResult, LetterRunProgress>(
                host, "Printing letters", p => letters.RunAsync(date, letterKind, folder, CliHost.Actor, p, cancellationToken), p => (p.Stage, p.Done, p.Total));

            var table = new Table().AddColumns("", "Count");
            table.AddRow("Letters printed", result.Printed.ToString("N0", CultureInfo.InvariantCulture));
            table.AddRow("  of which queued in the outbox", result.OutboxLetters.ToString("N0", CultureInfo.InvariantCulture));
            table.AddRow("Skipped", result.Skipped.Count.ToString("N0", CultureInfo.InvariantCulture));
            host.Console.Write(table);
            foreach (var skipped in result.Skipped.Take(50))
            {
                var until = skipped.NextAllowedAt is { } at ? $" (allowed from {at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC)" : "";
                host.Output.WriteLine($"skipped {skipped.DebtorId} {skipped.AccountNumber}: {skipped.Reason}{until}");
            }

            if (result.Skipped.Count > 50)
            {
                host.Output.WriteLine($"… and {result.Skipped.Count - 50:N0} more skipped");
            }

            host.Output.WriteLine($"manifest: {result.Manifest}");
            if (result.Skipped.Count > 0)
            {
                host.Output.WriteLine($"skipped: {Path.Combine(folder, LetterRun.SkippedName)}");
            }
            return ExitCodes.Ok;
        });

        return new Command("letters", "Letters: the monthly statements and delinquency notices.") { run };
    }
}
