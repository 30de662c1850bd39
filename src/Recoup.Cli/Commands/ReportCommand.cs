using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Recoup.Domain;
using Recoup.Services.Reporting;
using Recoup.Web.Api;
using Spectre.Console;

namespace Recoup.Cli.Commands;

/// <summary><c>recoup report kpis|weekly|monthly</c>: the KPIs and the report packs.</summary>
public static class ReportCommand
{
    public static Command Create(CliHost host)
    {
        var command = new Command("report", "KPIs and report packs (docs/reports.md, docs/kpis.md).");
        command.Subcommands.Add(Kpis(host));
        foreach (var pack in ReportPackCommand.Create(host))
        {
            command.Subcommands.Add(pack);
        }

        return command;
    }

    private static Command Kpis(CliHost host)
    {
        var fromOption = new Option<string?>("--from") { Description = "First day of the period, YYYY-MM-DD. Default: the first of --to's month." };
        var toOption = new Option<string?>("--to") { Description = "Last day of the period, YYYY-MM-DD. Default: today." };
        var currencyOption = new Option<string>("--currency") { Description = "ISO 4217 code.", DefaultValueFactory = _ => "USD" };
        var output = new Option<string>("--output") { Description = "table or json (the JSON of GET /api/reports/kpis).", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "json");

        var collector = new Option<string?>("--collector") { Description = "Only accounts assigned to this collector (and the calls they made)." };
        var debtType = new Option<string?>("--debt-type") { Description = "Only debtors of this debt type: consumer, commercial or medical." };
        var client = new Option<string?>("--client") { Description = "Only debtors placed by this creditor client (its code, e.g. ACME)." };
        var command = new Command("kpis", "DSO, countback DSO, best possible DSO, ADD, CEI, roll rates and collection rates of a period.") { fromOption, toOption, currencyOption, collector, debtType, client, output };
        command.SetAction(async (parse, ct) =>
        {
            if (!TryDate(parse.GetValue(toOption), "--to", host.Today, out var to, out var error)
                || !TryDate(parse.GetValue(fromOption), "--from", new DateOnly(to.Year, to.Month, 1), out var from, out error))
            {
                return host.Fail(error!);
            }

            if (!Currency.TryFromCode(parse.GetValue(currencyOption), out var currency))
            {
                return host.Fail($"--currency '{parse.GetValue(currencyOption)}' is not an ISO 4217 currency code");
            }

            var request = KpiRequest.Create(from, to, currency);
            if (request.Error is { } refused)
            {
                return host.Fail(refused.Message);
            }

            var filter = ReportFilter.Parse(parse.GetValue(collector), parse.GetValue(debtType), null, parse.GetValue(client));
            if (filter.Error is { } badFilter)
            {
                return host.Fail($"--{badFilter.Field?.Replace('_', '-')}: {badFilter.Message}");
            }

            if (await host.ExistingDatabaseAsync(parse.GetValue(RecoupCli.DatabaseOption), ct) is not { } database)
            {
                return ExitCodes.UserError;
            }

            if (await filter.Value!.UnknownClientAsync(database, ct) is { } unknown)
            {
                return host.Fail($"--client: {unknown.Message}");
            }

            var json = KpisJson.Of(await new KpiQuery(database, filter.Value).RunAsync(request.Value, ct));
            if (parse.GetValue(output) == "json")
            {
                await host.Output.WriteLineAsync(JsonSerializer.Serialize(json, KpisJson.SerializerOptions));
            }
            else
            {
                WriteTable(host, json);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Parses a date option; <paramref name="fallback"/> when absent.</summary>
    internal static bool TryDate(string? text, string option, DateOnly fallback, out DateOnly date, out string? error)
    {
        error = null;
        date = fallback;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            return true;
        }

        error = $"{option} '{text}' is not a date in the form YYYY-MM-DD, e.g. 2026-10-31";
        return false;
    }

    private static void WriteTable(CliHost host, KpisJson k)
    {
        host.Console.MarkupLineInterpolated($"[bold]KPIs {k.From} to {k.To}, {k.Currency}[/]");
        var table = new Table().AddColumn("KPI").AddColumn(new TableColumn("Value").RightAligned()).AddColumn("From");
        var i = k.Inputs;
        table.AddRow("DSO", Days(k.Dso), Markup.Escape($"{i.EndingReceivables.Amount} receivables ÷ {i.CreditSales.Amount} sales × {i.Days} days"));
        table.AddRow("DSO (countback)", Days(k.DsoCountback), "receivables matched to the latest months' sales");
        table.AddRow("Best possible DSO", Days(k.BestPossibleDso), Markup.Escape($"{i.EndingCurrentReceivables.Amount} current ÷ {i.CreditSales.Amount} sales × {i.Days} days"));
        table.AddRow("Average days delinquent", Days(k.Add), "DSO − best possible DSO");
        table.AddRow("CEI", Percent(k.Cei), Markup.Escape($"beginning {i.BeginningReceivables.Amount}, sales ÷ {i.Months} months, ending {i.EndingReceivables.Amount} / current {i.EndingCurrentReceivables.Amount}"));
        foreach (var (transition, rate) in k.RollRates)
        {
            table.AddRow(Markup.Escape($"Roll {transition.Replace("_to_", " → ", StringComparison.Ordinal)}"), Percent(rate), "last month of the period");
        }

        table.AddRow("Liquidation rate", Percent(k.LiquidationRate), Markup.Escape($"{k.Collected.Amount} collected ÷ ({i.BeginningReceivables.Amount} + {i.CreditSales.Amount})"));
        table.AddRow("Promise-kept rate", Percent(k.PromiseKeptRate), Markup.Escape($"{i.PromisesKept} of {i.PromisesResolved} promises resolved in the period"));
        table.AddRow("Right-party-contact rate", Percent(k.RightPartyContactRate), Markup.Escape($"{i.RightPartyContacts} of {i.OutboundCalls} outbound calls"));
        table.AddRow("Cure rate", Percent(k.CureRate), Markup.Escape($"{i.AccountsCured} of {i.AccountsPastDueAtStart} past-due accounts"));
        table.AddRow("Average days to pay", Days(k.AverageDaysToPay), Markup.Escape($"weighted by {i.PaidToInvoices.Amount} paid"));
        table.AddRow("Collected", k.Collected.Amount, "");
        table.AddRow("Written off", k.WrittenOff.Amount, "");
        table.AddRow("Recovered", k.Recovered.Amount, "");
        host.Console.Write(table);
    }

    private static string Days(decimal? days) => days is { } d ? d.ToString("0.00", CultureInfo.InvariantCulture) + " days" : "n/a";

    private static string Percent(decimal? percent) => percent is { } p ? p.ToString("0.00", CultureInfo.InvariantCulture) + " %" : "n/a";
}
