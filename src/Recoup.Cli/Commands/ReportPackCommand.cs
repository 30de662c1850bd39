using System.CommandLine;
using Recoup.Services.Reporting;

namespace Recoup.Cli.Commands;

/// <summary><c>recoup report weekly|monthly --as-of DATE --out DIR</c>: the pack as one PDF and one XLSX.</summary>
public static class ReportPackCommand
{
    public static IEnumerable<Command> Create(CliHost host)
    {
        yield return Pack(host, PackKind.Weekly, "weekly", "The weekly pack (the seven days to --as-of) as one PDF and one XLSX.");
        yield return Pack(host, PackKind.Monthly, "monthly", "The monthly pack (--as-of's month up to --as-of) as one PDF and one XLSX.");
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

            var pack = await new ReportPacks(database).BuildAsync(kind, date, filter.Value!, ct);
            var folder = Path.GetFullPath(parse.GetValue(outOption)!);
            Directory.CreateDirectory(folder);
            var pdf = Path.Combine(folder, pack.FileName + ".pdf");
            var xlsx = Path.Combine(folder, pack.FileName + ".xlsx");
            await File.WriteAllBytesAsync(pdf, ReportExports.Pdf(pack.Title, pack.Tables), ct);
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
