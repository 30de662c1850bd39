using System.CommandLine;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Recoup.Services.Storage;
using Recoup.Web;
using Recoup.Web.Messaging;
using Spectre.Console;

namespace Recoup.Cli.Commands;

/// <summary><c>recoup serve [--urls URL]</c>: the web application and API on the chosen database.</summary>
public static class ServeCommand
{
    public static Option<string> UrlsOption() =>
        new("--urls") { Description = $"Where to listen. Default: {RecoupWeb.DefaultUrl}.", DefaultValueFactory = _ => RecoupWeb.DefaultUrl };

    public static Command Create(CliHost host)
    {
        var urls = UrlsOption();
        var command = new Command("serve", "Serve the web application and the REST API.") { urls };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var database = host.Database(parse.GetValue(RecoupCli.DatabaseOption));
            await database.MigrateAsync(cancellationToken);
            await RunAsync(host, database, parse.GetValue(urls)!, cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static async Task RunAsync(CliHost host, RecoupDatabase database, string urls, CancellationToken cancellationToken)
    {
        var app = RecoupWeb.Build([], database, builder =>
        {
            builder.WebHost.UseUrls(urls);
            builder.Services.AddOutboxDispatcherService();
            builder.Services.AddDailyRunScheduler();
            builder.Services.AddReportDeliveryScheduler();
        });
        await app.StartAsync(cancellationToken);
        host.Console.MarkupLineInterpolated($"Recoup is serving {database.Description} at [link]{urls}[/]. Press Ctrl+C to stop.");
        try
        {
            await app.WaitForShutdownAsync(cancellationToken);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }
}
