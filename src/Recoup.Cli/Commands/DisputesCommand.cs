using System.CommandLine;
using System.Text.Json;
using Recoup.Domain.Disputes;
using Recoup.Services.Disputes;
using Spectre.Console;

namespace Recoup.Cli.Commands;

/// <summary>
/// <c>recoup disputes import FILE [--dry-run] [--output table|json]</c>: disputes received elsewhere, from a CSV file with the
/// header <c>account_number,invoice_number,amount,currency,reason,opened_on,channel,note</c> (docs/disputes.md); all or
/// nothing, each problem named with its file, line and column; the same content never opened twice.
/// </summary>
public static class DisputesCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create(CliHost host)
    {
        var file = new Argument<string>("FILE") { Description = "The CSV file: account_number,invoice_number,amount,currency,reason,opened_on,channel,note (docs/disputes.md)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check every line as if opening the disputes, but open nothing." };
        var output = new Option<string>("--output") { Description = "table or json.", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "json");
        var import = new Command("import", "Import disputes received by e-mail, letter or another system: all or nothing; the same file is never imported twice.")
        {
            file, dryRun, output,
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
            var use = new DisputeImport(database, host.Clock, DisputeSettings.Load(null));
            var result = await use.RunAsync(await File.ReadAllTextAsync(path, cancellationToken), name, parse.GetValue(dryRun), CliHost.Actor, cancellationToken);
            if (!result.Succeeded)
            {
                // Plain text, so that a script can read the file and line: "error: disputes.csv line 3, column amount: …".
                foreach (var error in result.Errors)
                {
                    host.Error.WriteLine($"error: {error}");
                }

                host.Error.WriteLine("No dispute was opened. Fix the file and run the import again.");
                return ExitCodes.UserError;
            }

            if (parse.GetValue(output) == "json")
            {
                host.Output.WriteLine(JsonSerializer.Serialize(new
                {
                    file = result.File,
                    sha256 = result.Sha256,
                    dry_run = result.DryRun,
                    already_imported = result.AlreadyImported,
                    opened = result.Disputes.Count,
                    disputes = result.Disputes.Select(d => new
                    {
                        dispute_id = d.Id,
                        account_id = d.AccountId.ToString(),
                        debtor_id = d.DebtorId,
                        amount = d.Amount.ToDecimalString(),
                        currency = d.Amount.Currency.Code,
                        reason = DisputeNames.Name(d.Reason),
                        channel = DisputeNames.Name(d.Source),
                        invoices = d.Items.Select(i => i.InvoiceNumber),
                        opened_on = d.OpenedOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                        due_on = d.DueOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    }),
                }, Indented));
                return ExitCodes.Ok;
            }

            if (result.AlreadyImported)
            {
                host.Output.WriteLine($"{name} was imported before (sha256 {result.Sha256}); no dispute was opened again.");
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("Debtor", "Name", "Amount", "Reason", "Channel", "Invoices", "Due");
            foreach (var d in result.Disputes)
            {
                table.AddRow(Markup.Escape(d.DebtorId), Markup.Escape(d.DebtorName), Markup.Escape(d.Amount.ToString()), DisputeNames.Name(d.Reason), DisputeNames.Name(d.Source),
                    Markup.Escape(d.Items.Count == 0 ? "whole account" : string.Join(", ", d.Items.Select(i => i.InvoiceNumber))),
                    d.DueOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            }

            host.Console.Write(table);
            host.Output.WriteLine(result.DryRun
                ? $"Checked {name} (dry run): {result.Disputes.Count} disputes would be opened; nothing was written."
                : $"Imported {name}: {result.Disputes.Count} disputes opened, their amounts held out of collection.");
            return ExitCodes.Ok;
        });
        return new Command("disputes", "Disputes received outside Recoup.") { import };
    }
}
