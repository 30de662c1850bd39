using System.CommandLine;
using System.Globalization;
using Recoup.Domain;
using Recoup.Domain.Payments;
using Recoup.Formats.Payments;
using Recoup.Services.Payments;
using Spectre.Console;
using static Recoup.Cli.Formatting;

namespace Recoup.Cli.Commands;

/// <summary>
/// <c>recoup payments import FILE [--format auto|bai2|camt053|camt054|nacha-returns|csv] [--dry-run] [--output table|json]</c>:
/// a bank or lockbox file, all or nothing, posted once, with cash application.
/// </summary>
public static class PaymentsCommand
{
    /// <summary>The environment variable that sets the auto-post threshold for the CLI (as <c>Recoup:CashApplication:AutoPostThreshold</c> does for the server).</summary>
    public const string ThresholdVariable = "Recoup__CashApplication__AutoPostThreshold";

    private const int QueuedShown = 50;

    public static Command Create(CliHost host)
    {
        var file = new Argument<string>("FILE") { Description = "The bank or lockbox file (see docs/cash-application.md)." };
        var format = new Option<string>("--format") { Description = "auto (recognise it), bai2, camt053, camt054, nacha-returns or csv.", DefaultValueFactory = _ => PaymentFormats.Auto };
        format.AcceptOnlyFromAmong([.. PaymentFormats.All]);
        var dryRun = new Option<bool>("--dry-run") { Description = "Read the file, check its control totals and match the payments, but write nothing." };
        var output = new Option<string>("--output") { Description = "table or json.", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "json");
        var import = new Command("import", "Import a bank or lockbox file: match each payment to an account, post the confident matches, queue the rest. " +
            "A malformed file posts nothing; the same file is never posted twice.")
        {
            file, format, dryRun, output,
        };
        import.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                return host.Fail($"There is no file {Path.GetFullPath(path)}.");
            }

            if (Threshold() is not { } threshold)
            {
                return host.Fail($"{ThresholdVariable} must be a whole number from 0 to 100.");
            }

            if (await host.ExistingDatabaseAsync(parse.GetValue(RecoupCli.DatabaseOption), cancellationToken) is not { } database)
            {
                return ExitCodes.UserError;
            }

            var name = Path.GetFileName(path);
            if (IsNachaReturns(parse.GetValue(format)!, path))
            {
                return await ImportReturnsAsync(host, database, path, name, parse.GetValue(dryRun), parse.GetValue(output) == "json", cancellationToken);
            }

            var use = new ImportPaymentFile(database, host.Clock, PaymentReaders.Default) { AutoPostThreshold = threshold };
            var outcome = await ProgressDisplay.RunAsync<PaymentImportOutcome, PaymentImportProgress>(host, $"Importing {name}", async progress =>
            {
                await using var stream = File.OpenRead(path);
                return await use.RunAsync(stream, name, parse.GetValue(format)!, parse.GetValue(dryRun), CliHost.Actor, progress, cancellationToken);
            }, p => (p.Stage, p.Done, p.Total));

            if (outcome.Error is { } error)
            {
                // Plain text, so that a script can read the file and line: "error: payments.bai2 line 12, amount: …".
                host.Error.WriteLine($"error: {error.Message}");
                if (outcome.Problem is not null)
                {
                    host.Error.WriteLine("Nothing was imported. Fix the file and run the import again.");
                }

                return ExitCodes.UserError;
            }

            var report = outcome.Report!;
            if (parse.GetValue(output) == "json")
            {
                WriteJson(host.Output, report);
            }
            else
            {
                WriteTable(host, report, database.Description);
            }

            return ExitCodes.Ok;
        });
        return new Command("payments", "Bank and lockbox payment files.") { import };
    }

    /// <summary>A NACHA return file (asked for, or recognised by its <c>101</c> file header): it reverses payments rather than bringing money in.</summary>
    private static bool IsNachaReturns(string format, string path)
    {
        if (format != PaymentFormats.Auto)
        {
            return format == PaymentFormats.NachaReturns;
        }

        using var stream = File.OpenRead(path);
        var head = new byte[3];
        return stream.Read(head, 0, 3) == 3 && head is [(byte)'1', (byte)'0', (byte)'1'];
    }

    private static async Task<int> ImportReturnsAsync(CliHost host, Services.Storage.RecoupDatabase database, string path, string name, bool dryRun, bool json, CancellationToken ct)
    {
        Services.Ach.AchReturnsResult result;
        try
        {
            var returns = new Services.Ach.AchReturns(database, host.Clock, Services.Ach.AchSettings.Load(null));
            result = await returns.ImportAsync(await File.ReadAllBytesAsync(path, ct), name, CliHost.Actor, dryRun, ct);
        }
        catch (PaymentFileException e)
        {
            host.Error.WriteLine($"error: {e.Message}");
            host.Error.WriteLine("Nothing was imported. Fix the file and run the import again.");
            return ExitCodes.UserError;
        }

        if (result.AlreadyImported)
        {
            host.Error.WriteLine($"error: {name} was already applied as return file {result.FileId}; nothing was reversed again.");
            return ExitCodes.UserError;
        }

        var reversed = new Money(result.ReversedMinor, Currency.USD);
        if (json)
        {
            WriteContract(host.Output, PaymentFormats.NachaReturns, result.Returns, [reversed], result.Reversed, result.Unmatched.Count, dryRun ? 0 : result.Reversed,
                result.Unmatched.Select(u => (u.Line, u.Reason)));
            return ExitCodes.Ok;
        }

        host.Output.WriteLine($"{(dryRun ? "Checked (dry run, nothing written)" : "Applied")} {name} (nacha-returns): {Count(result.Returns)} returns; " +
            $"{Count(result.Reversed)} payments {(dryRun ? "would be " : "")}reversed ({Grouped(reversed)} USD), {Count(result.FeesCharged)} returned-payment fees, " +
            $"{Count(result.AuthorizationsStopped)} authorizations stopped.");
        foreach (var problem in result.Unmatched)
        {
            host.Output.WriteLine($"  line {problem.Line}: {problem.Reason}");
        }

        return ExitCodes.Ok;
    }

    private static int? Threshold()
    {
        var text = Environment.GetEnvironmentVariable(ThresholdVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return CashApplication.DefaultAutoPostThreshold;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= 100 ? value : null;
    }

    private static void WriteJson(TextWriter output, PaymentImportReport report) =>
        WriteContract(output, report.Format, report.Records, report.Totals, report.Matched, report.Unmatched, report.Posted, report.Rejected.Select(r => (r.Line, r.Reason)));

    /// <summary>The contract: <c>{"format","files","records","total":{"CUR":"amount"},"matched","unmatched","posted","rejected":[{"line","reason"}]}</c>.</summary>
    private static void WriteContract(
        TextWriter output, string format, int records, IEnumerable<Money> totals, int matched, int unmatched, int posted, IEnumerable<(int Line, string Reason)> rejected) =>
        Formatting.WriteJson(output, writer =>
        {
            writer.WriteString("format", format);
            writer.WriteNumber("files", 1);
            writer.WriteNumber("records", records);
            writer.WriteStartObject("total");
            foreach (var total in totals)
            {
                writer.WriteString(total.Currency.Code, total.ToDecimalString());
            }

            writer.WriteEndObject();
            writer.WriteNumber("matched", matched);
            writer.WriteNumber("unmatched", unmatched);
            writer.WriteNumber("posted", posted);
            writer.WriteStartArray("rejected");
            foreach (var (line, reason) in rejected)
            {
                writer.WriteStartObject();
                writer.WriteNumber("line", line);
                writer.WriteString("reason", reason);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });

    private static void WriteTable(CliHost host, PaymentImportReport report, string database)
    {
        var totals = string.Join(", ", report.Totals.Select(t => $"{Grouped(t)} {t.Currency.Code}"));
        var verb = report.DryRun ? "Checked (dry run, nothing written)" : "Imported";
        // Plain text, one line each (no wrapping at the console's width), so a script can read the counts.
        host.Output.WriteLine($"{verb} {report.FileName} ({report.Format}): {Count(report.Records)} payments, {totals}.");
        host.Output.WriteLine(
            $"{Count(report.Matched)} matched {(report.DryRun ? "(would post)" : "and posted")}, {Count(report.Unmatched)} to the unmatched queue, {Count(report.Rejected.Count)} rejected; auto-match rate {report.AutoMatchRate.ToString("0.0", CultureInfo.InvariantCulture)}%.");
        if (report.ImportId is { } id)
        {
            host.Output.WriteLine($"Import {id} into {database}.");
        }

        var queued = report.Decisions.Where(d => !d.Posted).Take(QueuedShown).ToList();
        if (queued.Count > 0)
        {
            var table = new Table().Title("Not posted").AddColumn(new TableColumn("Line").RightAligned()).AddColumn(new TableColumn("Amount").RightAligned())
                .AddColumns("Payer", "Best match", "Why");
            foreach (var decision in queued)
            {
                var best = decision.Match.Best;
                table.AddRow(
                    Count(decision.Payment.Line),
                    $"{Grouped(decision.Amount)} {decision.Amount.Currency.Code}",
                    Markup.Escape(decision.Payment.PayerName ?? ""),
                    best is null ? "" : Markup.Escape($"{best.DebtorExternalId} {best.DebtorName} ({Count(best.Confidence)}%)"),
                    Markup.Escape(decision.Reason ?? ""));
            }

            host.Console.Write(table);
        }

        foreach (var rejected in report.Rejected)
        {
            host.Console.MarkupLineInterpolated($"[yellow]rejected[/] line {Count(rejected.Line)}: {rejected.Reason}");
        }
    }
}
