using System.CommandLine;
using System.Text.Json;
using Recoup.Domain.Compliance;
using Recoup.Services.Plans;
using Spectre.Console;

using static Recoup.Cli.Formatting;

namespace Recoup.Cli.Commands;

/// <summary><c>recoup plans monitor [--as-of DATE] [--output table|json]</c>: the daily monitoring of promises, plans and settlements.</summary>
public static class PlansCommand
{
    public static Command Create(CliHost host)
    {
        var asOf = Arguments.AsOf();
        var output = new Option<string>("--output") { Description = "table or json.", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "json");
        var monitor = new Command("monitor", "Judge every open promise, plan and settlement as of a date: kept, late, missed, broken, defaulted, completed; queue installment reminders.") { asOf, output };
        monitor.SetAction(async (parse, cancellationToken) =>
        {
            if (!Arguments.TryDate(parse.GetValue(asOf), host.Today, out var date, out var dateError))
            {
                return host.Fail(dateError!);
            }

            if (await host.ExistingDatabaseAsync(parse.GetValue(RecoupCli.DatabaseOption), cancellationToken) is not { } database)
            {
                return ExitCodes.UserError;
            }

            var monitoring = new PlanMonitoring(database, host.Clock, PlanSettings.Load(null), RuleSet.Default, Recoup.Services.Messaging.Templates.MessagingSettings.Load(null));
            MonitoringResult? result = null;
            await host.ErrorConsole.Status().StartAsync($"Monitoring promises and plans as of {Iso(date)}…", async _ => result = await monitoring.RunAsync(date, cancellationToken));
            var r = result!;
            if (parse.GetValue(output) == "json")
            {
                host.Output.WriteLine(JsonSerializer.Serialize(new
                {
                    as_of = Iso(r.AsOf),
                    plans_checked = r.PlansChecked,
                    installments_changed = r.InstallmentsChanged,
                    plans_completed = r.PlansCompleted,
                    plans_defaulted = r.PlansDefaulted,
                    promises_checked = r.PromisesChecked,
                    promises_kept = r.PromisesKept,
                    promises_partially_kept = r.PromisesPartiallyKept,
                    promises_broken = r.PromisesBroken,
                    settlements_completed = r.SettlementsCompleted,
                    settlements_broken = r.SettlementsBroken,
                    reminders_queued = r.RemindersQueued,
                    reminders_blocked = r.RemindersBlocked,
                }));
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("", "Count");
            table.AddRow("Plans checked", r.PlansChecked.ToString("N0", Invariant));
            table.AddRow("Installments changed", r.InstallmentsChanged.ToString("N0", Invariant));
            table.AddRow("Plans completed", r.PlansCompleted.ToString("N0", Invariant));
            table.AddRow("Plans defaulted", r.PlansDefaulted.ToString("N0", Invariant));
            table.AddRow("Promises kept / partially kept / broken", $"{r.PromisesKept:N0} / {r.PromisesPartiallyKept:N0} / {r.PromisesBroken:N0}");
            table.AddRow("Settlements completed / broken", $"{r.SettlementsCompleted:N0} / {r.SettlementsBroken:N0}");
            table.AddRow("Reminders queued / blocked by the gate", $"{r.RemindersQueued:N0} / {r.RemindersBlocked:N0}");
            host.Console.Write(table);
            return ExitCodes.Ok;
        });

        return new Command("plans", "Promises to pay, payment plans and settlements.") { monitor };
    }

    private static readonly System.Globalization.CultureInfo Invariant = System.Globalization.CultureInfo.InvariantCulture;
}
