using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Recoup.Services.Messaging.Dispatch;
using Recoup.Web.Messaging;
using Spectre.Console;

namespace Recoup.Cli.Commands;

/// <summary>
/// <c>recoup outbox dispatch [--once]</c>: delivers the outbox's e-mail, texts and webhooks, as the
/// background dispatcher of <c>recoup serve</c> does — for cron, or a node that only sends. Configured
/// like the web application: <c>appsettings.json</c> beside the program, then environment variables
/// (<c>Recoup__Smtp__Host</c> …).
/// </summary>
public static class OutboxCommand
{
    public static Command Create(CliHost host)
    {
        var once = new Option<bool>("--once") { Description = "Deliver what is due now, then exit (for cron). Without it, keep delivering until stopped." };
        var dispatch = new Command("dispatch", "Deliver due e-mail, texts and webhooks: claim, compliance gate, send, record, retry with back-off.") { once };
        dispatch.SetAction(async (parse, cancellationToken) =>
        {
            if (await host.ExistingDatabaseAsync(parse.GetValue(RecoupCli.DatabaseOption), cancellationToken) is not { } database)
            {
                return ExitCodes.UserError;
            }

            var configuration = CliHost.Configuration();
            await using var services = MessagingRegistration.DispatcherServices(database, host.Clock, configuration);
            var settings = services.GetRequiredService<MessagingSettings>();
            var total = DispatchRun.None;
            do
            {
                await using var scope = services.CreateAsyncScope();
                var dispatcher = scope.ServiceProvider.GetRequiredService<OutboxDispatcher>();
                var run = await dispatcher.DrainAsync(cancellationToken);
                total = total.Add(run);
                if (parse.GetValue(once))
                {
                    host.Output.WriteLine(
                        $"Channels: {string.Join(", ", dispatcher.Channels.Select(c => c.ToString().ToLowerInvariant()))}. " +
                        $"Claimed {total.Claimed}: sent {total.Sent}, to retry {total.Retried}, failed {total.Failed}, blocked {total.Blocked}, rescheduled {total.Rescheduled}.");
                    return ExitCodes.Ok;
                }

                if (run.Claimed > 0)
                {
                    host.Console.MarkupLineInterpolated($"[grey]{host.Clock.GetUtcNow():u}[/] sent {run.Sent}, to retry {run.Retried}, failed {run.Failed}, blocked {run.Blocked}, rescheduled {run.Rescheduled}");
                }

                await Task.Delay(settings.Poll, cancellationToken);
            }
            while (!cancellationToken.IsCancellationRequested);

            return ExitCodes.Ok;
        });
        return new Command("outbox", "The outbox of e-mail, texts and webhooks.") { dispatch };
    }
}
