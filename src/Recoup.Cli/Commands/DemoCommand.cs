using System.CommandLine;
using Recoup.Services.Aging;
using Recoup.Services.Imports;
using Recoup.Services.Storage;
using Spectre.Console;

namespace Recoup.Cli.Commands;

/// <summary>
/// <c>recoup demo</c>: a fresh demo database filled from the sample files in <c>samples/</c>, and its
/// aging. (The web application takes this command over when it arrives.)
/// </summary>
public static class DemoCommand
{
    public const string DemoFile = "recoup-demo.db";

    public static Command Create(CliHost host)
    {
        var samples = new Option<string?>("--samples") { Description = "The folder of sample CSV files. Default: samples/ of the Recoup checkout." };
        var asOf = Arguments.AsOf();
        var command = new Command("demo", $"Import the sample portfolio into a fresh {DemoFile} and print its aging.") { samples, asOf };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!Arguments.TryDate(parse.GetValue(asOf), host.Today, out var date, out var dateError))
            {
                return host.Fail(dateError!);
            }

            var folder = parse.GetValue(samples) ?? FindSamples();
            if (folder is null)
            {
                return host.Fail("Could not find the samples/ folder; give it with --samples DIR.");
            }

            var option = parse.GetValue(RecoupCli.DatabaseOption);
            if (option is null && File.Exists(DemoFile))
            {
                File.Delete(DemoFile);
            }

            var database = option is null ? RecoupDatabase.Sqlite(DemoFile) : host.Database(option);
            var outcome = await ProgressDisplay.RunAsync<ImportOutcome, ImportProgress>(
                host, "Importing samples", p => new ImportPortfolio(database, host.Clock).RunAsync(folder, p, cancellationToken), p => (p.Stage, p.Done, p.Total));
            if (!outcome.Succeeded)
            {
                foreach (var error in outcome.Errors)
                {
                    host.Error.WriteLine($"error: {error}");
                }

                return host.Fail("the sample files could not be imported.");
            }

            host.Console.MarkupLineInterpolated($"Imported {outcome.Summary!.Debtors} debtors, {outcome.Summary.Invoices} invoices and {outcome.Summary.Payments} payments into {database.Description}.");
            host.Console.WriteLine();
            var aging = new AgingQuery(database);
            var report = await aging.ByBucketAsync(date, Domain.Aging.AgingBuckets.Default, cancellationToken);
            var table = new Table().Title($"Aging as of {Formatting.Iso(date)}").AddColumn("Currency");
            foreach (var bucket in Domain.Aging.AgingBuckets.Default.Buckets)
            {
                table.AddColumn(new TableColumn(bucket.Name).RightAligned());
            }

            table.AddColumn(new TableColumn("Total").RightAligned());
            foreach (var currency in report.Currencies)
            {
                table.AddRow([currency.Currency.Code, .. currency.Buckets.Select(b => Formatting.Grouped(b.Amount)), Formatting.Grouped(currency.Total)]);
            }

            host.Console.Write(table);
            host.Console.MarkupLine($"Look closer with [bold]recoup aging --db {DemoFile} --by debtor[/] or [bold]recoup account ID --db {DemoFile}[/].");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>samples/ in the working directory, or in the checkout the program was built from.</summary>
    private static string? FindSamples()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "samples");
                if (File.Exists(Path.Combine(candidate, "debtors.csv")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
