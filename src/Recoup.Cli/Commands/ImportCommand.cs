using System.CommandLine;
using System.Globalization;
using Recoup.Formats.Csv;
using Recoup.Services.Imports;
using Spectre.Console;

namespace Recoup.Cli.Commands;

/// <summary><c>recoup import DIR</c>: import debtors.csv, invoices.csv and payments.csv, all or nothing.</summary>
public static class ImportCommand
{
    private const int ErrorsShown = 200;

    public static Command Create(CliHost host)
    {
        var directory = new Argument<string>("DIR") { Description = "The folder holding debtors.csv, invoices.csv and/or payments.csv (see docs/import.md)." };
        var command = new Command("import", "Import debtors, invoices and payments from CSV files. Any bad row rejects the whole import.") { directory };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var folder = parse.GetValue(directory)!;
            var database = host.Database(parse.GetValue(RecoupCli.DatabaseOption));
            var import = new ImportPortfolio(database, host.Clock, CliHost.Actor);
            var outcome = await ProgressDisplay.RunAsync<ImportOutcome, ImportProgress>(
                host, "Importing", progress => import.RunAsync(folder, progress, cancellationToken), p => (p.Stage, p.Done, p.Total));

            if (!outcome.Succeeded)
            {
                ShowErrors(host, outcome.Errors);
                return ExitCodes.UserError;
            }

            var summary = outcome.Summary!;
            host.Console.MarkupLineInterpolated(
                $"[green]Imported[/] {summary.Debtors:N0} debtors, {summary.Invoices:N0} invoices and {summary.Payments:N0} payments from {string.Join(", ", summary.Files)} into {database.Description} in {summary.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s.");
            return ExitCodes.Ok;
        });
        return command;
    }

    // One line per problem, "file line N, column C: reason", so a person can read it and a script can grep it.
    private static void ShowErrors(CliHost host, IReadOnlyList<CsvError> errors)
    {
        foreach (var error in errors.Take(ErrorsShown))
        {
            host.Error.WriteLine($"error: {error}");
        }

        var more = errors.Count > ErrorsShown ? $" (the first {ErrorsShown} are shown)" : "";
        host.Error.WriteLine($"{errors.Count} problem{(errors.Count == 1 ? "" : "s")} found{more}; nothing was imported. Fix the files and run the import again.");
    }
}
