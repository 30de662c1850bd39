using System.CommandLine;
using System.Globalization;
using Recoup.Formats.Csv;
using Recoup.Services.Contacts;

namespace Recoup.Cli.Commands;

/// <summary><c>recoup skip-trace import FILE</c>: add skip-trace results to debtors' contact points, all or nothing.</summary>
public static class SkipTraceCommand
{
    private const int ErrorsShown = 200;

    /// <summary>The audit log keeps at most this much of the file's name.</summary>
    private const int MaxNameLength = 64;

    public static Command Create(CliHost host)
    {
        var file = new Argument<string>("FILE") { Description = "The CSV file: debtor_id,kind,value,source,confidence (see docs/contacts.md)." };
        var import = new Command("import", "Import skip-trace results: new phones, e-mails and addresses for known debtors. Any bad row rejects the whole file; values a debtor already has are left as they were.")
        {
            file,
        };
        import.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                return host.Fail($"There is no file {Path.GetFullPath(path)}.");
            }

            if (await host.ExistingDatabaseAsync(parse.GetValue(RecoupCli.DatabaseOption), cancellationToken) is not { } database)
            {
                return ExitCodes.UserError;
            }

            var name = Path.GetFileName(path);
            name = name.Length > MaxNameLength ? name[..MaxNameLength] : name;
            var use = new ImportSkipTrace(database, host.Clock);

            // The import reports no progress of its own: the bar shows that it is working and for how long.
            var outcome = await ProgressDisplay.RunAsync<SkipTraceOutcome, string>(host, "Importing skip-trace results", async _ =>
            {
                using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
                return await use.RunAsync(reader, name, CliHost.Actor, cancellationToken);
            }, _ => ("Importing skip-trace results", 0, 1));

            if (!outcome.Succeeded)
            {
                ShowErrors(host, outcome.Errors);
                return ExitCodes.UserError;
            }

            var rows = outcome.Added + outcome.AlreadyKnown;
            // Plain text on one line (no wrapping at the console's width), so a script can read the counts.
            host.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Imported {name}: {outcome.Added} new contact {(outcome.Added == 1 ? "point" : "points")} added, {outcome.AlreadyKnown} already known and left as they were ({rows} {(rows == 1 ? "row" : "rows")}) into {database.Description}."));
            return ExitCodes.Ok;
        });
        return new Command("skip-trace", "Skip-trace results.") { import };
    }

    // One line per problem, "file line N, column C: reason", as `recoup import` writes them.
    private static void ShowErrors(CliHost host, IReadOnlyList<CsvError> errors)
    {
        foreach (var error in errors.Take(ErrorsShown))
        {
            host.Error.WriteLine($"error: {error}");
        }

        host.Error.WriteLine($"{errors.Count} problem{(errors.Count == 1 ? "" : "s")} found; nothing was imported. Fix the file and run the import again.");
    }
}
