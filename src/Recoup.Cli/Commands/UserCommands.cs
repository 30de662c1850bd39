using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Recoup.Data.Identity;
using Recoup.Web;
using Recoup.Web.Identity;
using Spectre.Console;

namespace Recoup.Cli.Commands;

/// <summary><c>recoup user add</c> and <c>recoup api-key create</c>: the first admin, and keys for scripts.</summary>
public static class UserCommands
{
    public static Command User(CliHost host)
    {
        var name = new Option<string>("--user") { Description = "The user name to sign in with.", Required = true };
        var role = new Option<string>("--role") { Description = $"One of {string.Join(", ", Roles.All)}.", Required = true };
        role.AcceptOnlyFromAmong([.. Roles.All]);
        var display = new Option<string?>("--name") { Description = "The name shown on screens. Default: the user name." };
        var add = new Command("add", "Add a user. The password is asked for, or read from standard input when it is not a terminal.") { name, role, display };
        add.SetAction(async (parse, cancellationToken) =>
        {
            var password = ReadPassword(host);
            if (string.IsNullOrEmpty(password))
            {
                return host.Fail("No password given.");
            }

            var database = host.Database(parse.GetValue(RecoupCli.DatabaseOption));
            await database.MigrateAsync(cancellationToken);
            await using var services = AdminServices.Create(database);
            await using var scope = services.CreateAsyncScope();
            var created = await scope.ServiceProvider.GetRequiredService<Users>().AddAsync(parse.GetValue(name)!, parse.GetValue(role)!, password, parse.GetValue(display), CliHost.Actor);
            if (created.Error is { } error)
            {
                return host.Fail(error.Message);
            }

            host.Console.MarkupLineInterpolated($"[green]Added[/] {created.Value.UserName} as {parse.GetValue(role)}.");
            return ExitCodes.Ok;
        });
        return new Command("user", "Manage users.") { add };
    }

    public static Command ApiKey(CliHost host)
    {
        var name = new Option<string>("--user") { Description = "The user the key acts as (with that user's roles).", Required = true };
        var label = new Option<string?>("--name") { Description = "What the key is for, e.g. 'nightly export'." };
        var create = new Command("create", "Create an API key and print it once. Use it as 'Authorization: Bearer KEY' or 'X-Api-Key: KEY'.") { name, label };
        create.SetAction(async (parse, cancellationToken) =>
        {
            if (await host.ExistingDatabaseAsync(parse.GetValue(RecoupCli.DatabaseOption), cancellationToken) is not { } database)
            {
                return ExitCodes.UserError;
            }

            await using var services = AdminServices.Create(database);
            await using var scope = services.CreateAsyncScope();
            var user = await scope.ServiceProvider.GetRequiredService<Users>().FindAsync(parse.GetValue(name)!);
            if (user is null)
            {
                return host.Fail($"There is no user '{parse.GetValue(name)}'. Add one with `recoup user add`.");
            }

            var key = await scope.ServiceProvider.GetRequiredService<ApiKeys>().CreateAsync(user, parse.GetValue(label) ?? "cli", cancellationToken, CliHost.Actor);
            host.Output.WriteLine(key);
            host.Error.WriteLine("This key is shown once and cannot be recovered; store it now.");
            return ExitCodes.Ok;
        });
        return new Command("api-key", "Manage API keys.") { create };
    }

    private static string? ReadPassword(CliHost host)
    {
        if (host.Interactive && !Console.IsInputRedirected)
        {
            return host.ErrorConsole.Prompt(new TextPrompt<string>("Password:").Secret());
        }

        return host.Input.ReadLine()?.TrimEnd('\r', '\n');
    }
}
