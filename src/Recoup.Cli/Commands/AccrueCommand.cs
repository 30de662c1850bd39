using System.CommandLine;
using System.Text.Json;
using Recoup.Services.Charges;
using Spectre.Console;

using static Recoup.Cli.Formatting;

namespace Recoup.Cli.Commands;

/// <summary><c>recoup accrue [--as-of DATE] [--output table|json]</c>: late fees and interest as of a date, as the daily run accrues them.</summary>
public static class AccrueCommand
{
    public static Command Create(CliHost host)
    {
        var asOf = Arguments.AsOf();
        var output = new Option<string>("--output") { Description = "table or json.", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "json");
        var command = new Command("accrue", "Accrue late fees and interest as of a date where the terms allow them; running again for the same date posts nothing.") { asOf, output };
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

            AccrualResult? result = null;
            await host.ErrorConsole.Status().StartAsync($"Accruing fees and interest as of {Iso(date)}…",
                async _ => result = await new AccrueFeesAndInterest(database, host.Clock).RunAsync(date, cancellationToken));
            var r = result!;
            if (parse.GetValue(output) == "json")
            {
                host.Output.WriteLine(JsonSerializer.Serialize(new
                {
                    as_of = Iso(r.AsOf),
                    accounts_checked = r.AccountsChecked,
                    fees_posted = r.FeesPosted,
                    interest_posted = r.InterestPosted,
                    refused = r.Refused,
                    held = r.Held,
                }));
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("", "Count");
            table.AddRow("Past-due accounts with terms", r.AccountsChecked.ToString("N0", Invariant));
            table.AddRow("Late fees posted", r.FeesPosted.ToString("N0", Invariant));
            table.AddRow("Interest entries posted", r.InterestPosted.ToString("N0", Invariant));
            table.AddRow("Refused (consumer charges not authorized)", r.Refused.ToString("N0", Invariant));
            table.AddRow("Held or placed (no late fee)", r.Held.ToString("N0", Invariant));
            host.Console.Write(table);
            return ExitCodes.Ok;
        });

        return command;
    }

    private static readonly System.Globalization.CultureInfo Invariant = System.Globalization.CultureInfo.InvariantCulture;
}
