using System.CommandLine;
using Recoup.Cli.Commands;

namespace Recoup.Cli;

/// <summary>The <c>recoup</c> command line: builds the commands and runs one, turning unexpected failures into exit code 2.</summary>
public static class RecoupCli
{
    /// <summary>The <c>--db</c> option every command takes.</summary>
    public static Option<string?> DatabaseOption { get; } = new("--db")
    {
        Description = "The database: a SQLite file path, or a PostgreSQL connection string. Default: $RECOUP_DB, else recoup.db here.",
        Recursive = true,
    };

    public static RootCommand Build(CliHost host)
    {
        var root = new RootCommand("Recoup: collections management — the ledger, aging, imports and reports.")
        {
            DatabaseOption,
            InitCommand.Create(host, "init", "Create the database, or bring its schema up to date."),
            InitCommand.Create(host, "migrate", "Apply any pending schema migrations (the same as init)."),
            ImportCommand.Create(host),
            SkipTraceCommand.Create(host),
            PaymentsCommand.Create(host),
            DisputesCommand.Create(host),
            AgingCommand.Create(host),
            ReportCommand.Create(host),
            PlansCommand.Create(host),
            AccrueCommand.Create(host),
            RunCommand.Create(host),
            OutboxCommand.Create(host),
            LettersCommand.Create(host),
            AccountCommand.Create(host),
            VerifyCommand.Create(host),
            DemoCommand.Create(host),
            ServeCommand.Create(host),
            UserCommands.User(host),
            UserCommands.ApiKey(host),
        };
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliHost host, CancellationToken cancellationToken = default)
    {
        var root = Build(host);
        var configuration = new InvocationConfiguration { Output = host.Output, Error = host.Error, EnableDefaultExceptionHandler = false };
        try
        {
            return await root.Parse(args).InvokeAsync(configuration, cancellationToken);
        }
        catch (System.Data.Common.DbException e)
        {
            await host.Error.WriteLineAsync($"error: the database could not be used: {e.Message}");
            return ExitCodes.UserError;
        }
        catch (Recoup.Services.Compliance.RuleSetConfigurationException e)
        {
            await host.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.UserError;
        }
        catch (OperationCanceledException)
        {
            await host.Error.WriteLineAsync("cancelled");
            return ExitCodes.UserError;
        }
#pragma warning disable CA1031 // the last line of defence: report anything unexpected as an internal error
        catch (Exception e)
#pragma warning restore CA1031
        {
            await host.Error.WriteLineAsync($"internal error: {e.Message}");
            await host.Error.WriteLineAsync("This is a bug in Recoup. Please report it with the details below.");
            await host.Error.WriteLineAsync(e.ToString());
            return ExitCodes.InternalError;
        }
    }
}
