using System.CommandLine;
using System.Globalization;
using Recoup.Services.Reporting;
using Recoup.Services.Strategies;

namespace Recoup.Cli.Commands;

/// <summary><c>recoup report weekly|monthly --as-of DATE --out DIR</c>: the pack as one PDF and one XLSX.</summary>
public static class ReportPackCommand
{
    public static IEnumerable<Command> Create(CliHost host)
    {
        yield return Pack(host, PackKind.Weekly, "weekly", "The weekly pack (the seven days to --as-of) as one PDF and one XLSX.");
        yield return Pack(host, PackKind.Monthly, "monthly", "The monthly pack (--as-of's month up to --as-of) as one PDF and one XLSX.");
        yield return Deliver(host);
    }

    /// <summary>
    /// <c>recoup report deliver --as-of DATE [--dry-run]</c>: what the scheduler in <c>recoup serve</c> does on that date — on a
    /// Monday the weekly pack of the week to Sunday, on the 1st the monthly pack of the month before, one e-mail per
    /// subscriber into the outbox with the PDF and XLSX attached. Running it again for the same date queues nothing more.
    /// </summary>
    private static Command Deliver(CliHost host)
    {
        var asOf = Arguments.AsOf("The delivery date, YYYY-MM-DD: a Monday delivers the week before, the 1st the month before. Default: today.");
        var dryRun = new Option<bool>("--dry-run") { Description = "List who would receive which pack, without building or queuing anything." };
        var command = new Command("deliver", "Queue the report packs due on --as-of for their e-mail subscribers (the outbox sends them).") { asOf, dryRun };
        command.SetAction(async (parse, ct) =>
        {
            if (!Arguments.TryDate(parse.GetValue(asOf), host.Today, out var date, out var error))
            {
                return host.Fail(error!);
            }

            if (await host.ExistingDatabaseAsync(parse.GetValue(RecoupCli.DatabaseOption), ct) is not { } database)
            {
                return ExitCodes.UserError;
            }

            var run = await new ReportDelivery(database, host.Clock, ContactCosts.Load(CliHost.Configuration())).RunAsync(date, parse.GetValue(dryRun), "cli", ct);
            if (run.Error is { } refused)
            {
                return host.Fail(refused.Message);
            }

            var result = run.Value;
            var iso = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (result.Due.Count == 0)
            {
                await host.Output.WriteLineAsync($"No pack is due on {iso}: the weekly pack goes out on Mondays, the monthly pack on the 1st.");
                return ExitCodes.Ok;
            }

            foreach (var due in result.Due)
            {
                var (from, to) = ReportPacks.PeriodOf(due.Kind, due.PeriodEnd);
                var items = result.Items.Where(i => i.Pack == due.Name).ToList();
                await host.Output.WriteLineAsync(
                    $"{(result.DryRun ? "Dry run: " : "")}{due.Name} pack {from:yyyy-MM-dd} to {to:yyyy-MM-dd}: {items.Count} subscriber(s)");
                foreach (var item in items)
                {
                    await host.Output.WriteLineAsync($"  {item.Email}  {item.Outcome}");
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Pack(CliHost host, PackKind kind, string name, string description)
    {
        var asOf = Arguments.AsOf("The pack's last day, YYYY-MM-DD. Default: today.");
        var outOption = new Option<string>("--out") { Description = "The folder to write the files to (created if missing).", DefaultValueFactory = _ => "." };
        var collector = new Option<string?>("--collector") { Description = "Only accounts assigned to this collector." };
        var debtType = new Option<string?>("--debt-type") { Description = "Only debtors of this debt type: consumer, commercial or medical." };
        var currency = new Option<string?>("--currency") { Description = "Only this currency (ISO 4217). Default: every currency." };
        var client = new Option<string?>("--client") { Description = "Only debtors placed by this creditor client (its code, e.g. ACME)." };
        var command = new Command(name, description) { asOf, outOption, collector, debtType, currency, client };
        command.SetAction(async (parse, ct) =>
        {
            if (!Arguments.TryDate(parse.GetValue(asOf), host.Today, out var date, out var error))
            {
                return host.Fail(error!);
            }

            var filter = ReportFilter.Parse(parse.GetValue(collector), parse.GetValue(debtType), parse.GetValue(currency), parse.GetValue(client));
            if (filter.Error is { } refused)
            {
                return host.Fail($"--{refused.Field?.Replace('_', '-')}: {refused.Message}");
            }

            if (await host.ExistingDatabaseAsync(parse.GetValue(RecoupCli.DatabaseOption), ct) is not { } database)
            {
                return ExitCodes.UserError;
            }

            if (await filter.Value!.UnknownClientAsync(database, ct) is { } unknown)
            {
                return host.Fail($"--client: {unknown.Message}");
            }

            var pack = await new ReportPacks(database, costs: ContactCosts.Load(CliHost.Configuration())).BuildAsync(kind, date, filter.Value!, ct);
            var folder = Path.GetFullPath(parse.GetValue(outOption)!);
            Directory.CreateDirectory(folder);
            var pdf = Path.Combine(folder, pack.FileName + ".pdf");
            var xlsx = Path.Combine(folder, pack.FileName + ".xlsx");
            await File.WriteAllBytesAsync(pdf, ReportExports.Pdf(pack), ct);
            await using (var stream = File.Create(xlsx))
            {
                ReportExports.Xlsx(pack.Tables, stream);
            }

            await host.Output.WriteLineAsync(pdf);
            await host.Output.WriteLineAsync(xlsx);
            return ExitCodes.Ok;
        });
        return command;
    }
}
