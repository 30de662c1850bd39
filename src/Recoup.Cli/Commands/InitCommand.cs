using System.CommandLine;
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
            host.Console.MarkupLineInterpolated($"[green]Ready:[/] {database.Description} {(fresh ? "(schema created or updated)" : "(already up to date)")}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
