using System.CommandLine;
using Recoup.Services.Ledger;
using Spectre.Console;
using static Recoup.Cli.Formatting;

namespace Recoup.Cli.Commands;

/// <summary><c>recoup verify</c>: check the ledger invariants over the whole database; non-zero exit on any breach.</summary>
public static class VerifyCommand
{
    private const int Shown = 100;

    public static Command Create(CliHost host)
    {
        var command = new Command("verify", "Check every account's ledger: entries, allocations and balances must agree. Exits with 1 on any breach.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (await host.ExistingDatabaseAsync(parse.GetValue(RecoupCli.DatabaseOption), cancellationToken) is not { } database)
            {
                return ExitCodes.UserError;
            }

            var verify = new VerifyLedger(database);
            var report = await ProgressDisplay.RunAsync<VerifyReport, VerifyProgress>(
                host, "Verifying", progress => verify.RunAsync(progress, cancellationToken), p => ("Checking accounts", p.AccountsChecked, p.AccountsTotal));

            var scope = $"{Count(report.Accounts)} accounts, {Count(report.Entries)} entries, {Count(report.Allocations)} allocations";
            if (report.Passed)
            {
                host.Console.MarkupLineInterpolated($"[green]OK[/]: checked {scope}; every invariant holds.");
                return ExitCodes.Ok;
            }

            foreach (var violation in report.Violations.Take(Shown))
            {
                host.Error.WriteLine($"breach: account {violation.AccountId}: {violation.Rule}: {violation.Detail}");
            }

            return host.Fail($"{report.Violations.Count} breach{(report.Violations.Count == 1 ? "" : "es")} of the ledger invariants in {scope}.");
        });
        return command;
    }
}
