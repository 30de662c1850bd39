using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Recoup.Services.Accounts;
using Spectre.Console;

namespace Recoup.Cli.Commands;

/// <summary><c>recoup init</c> / <c>recoup migrate</c>: create the database or apply pending migrations.</summary>
public static class InitCommand
{
    public static Command Create(CliHost host, string name, string description)
    {
        var command = new Command(name, description);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var database = host.Database(parse.GetValue(RecoupCli.DatabaseOption));
            var fresh = await database.NeedsMigrationAsync(cancellationToken);
            await database.MigrateAsync(cancellationToken);
            await using (var db = database.CreateContext())
            {
                // A database from before account summaries existed: fill them from the ledger.
                if (await db.Accounts.CountAsync(cancellationToken) != await db.AccountSummaries.CountAsync(cancellationToken))
                {
                    var rebuilt = await new RebuildAccountSummaries(database).RunAsync(repair: true, cancellationToken);
                    host.Console.MarkupLineInterpolated($"Rebuilt {rebuilt.Missing + rebuilt.Wrong} account summaries from the ledger.");
                }
            }

            host.Console.MarkupLineInterpolated($"[green]Ready:[/] {database.Description} {(fresh ? "(schema created or updated)" : "(already up to date)")}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
