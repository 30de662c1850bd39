using Recoup.Services.Messaging.Dispatch;
using Recoup.Services.Messaging.Email;
using Recoup.Services.Messaging.OptOut;
using Recoup.Services.Messaging.Sms;
using Recoup.Services.Storage;
using Recoup.Services.Webhooks;

namespace Recoup.Web.Messaging;

/// <summary>
/// The SMS provider and the inbound-text secret, from the configuration section <c>Recoup:Sms</c>:
/// <c>Provider</c> is <c>file</c> (the default: texts are appended to <c>sms.jsonl</c> in <c>Folder</c>,
/// default <c>sms-outbox</c>), <c>console</c>, <c>test</c> (kept in memory) or <c>none</c> (no texts are sent);
/// <c>InboundSecret</c> is the shared secret a provider sends with replies to <c>POST /api/sms/inbound</c>.
/// </summary>
public sealed record SmsSettings(string Provider, string Folder, string? InboundSecret)
{
    public const string Section = "Recoup:Sms";

    public static SmsSettings Load(IConfiguration? configuration)
    {
        var section = configuration?.GetSection(Section);
        var provider = (section?["Provider"] ?? "file").Trim().ToLowerInvariant();
        if (provider is not ("file" or "console" or "test" or "none"))
        {
            throw new InvalidOperationException($"{Section}:Provider must be file, console, test or none, not '{provider}'");
        }

        var folder = section?["Folder"] is { Length: > 0 } f ? f : Path.Combine(Environment.CurrentDirectory, "sms-outbox");
        return new SmsSettings(provider, folder, string.IsNullOrWhiteSpace(section?["InboundSecret"]) ? null : section!["InboundSecret"]);
    }
}

/// <summary>Registers the outbox's delivery: settings, providers, the dispatcher, opt-outs and webhook subscriptions.</summary>
public static class MessagingRegistration
{
    public static IServiceCollection AddRecoupMessaging(this IServiceCollection services)
    {
        services.AddSingleton(provider => MessagingSettings.Load(provider.GetService<IConfiguration>()));
        services.AddSingleton(provider => SmtpSettings.Load(provider.GetService<IConfiguration>()));
        services.AddSingleton(provider => SmsSettings.Load(provider.GetService<IConfiguration>()));
        services.AddSingleton<ISmsSender>(provider =>
        {
            var sms = provider.GetRequiredService<SmsSettings>();
            var clock = provider.GetRequiredService<TimeProvider>();
            return sms.Provider switch
            {
                "test" => new TestSmsSender(),
                "console" => new FileSmsSender(null, null, clock),
                _ => new FileSmsSender(sms.Folder, null, clock),
            };
        });
        services.AddSingleton(_ => new WebhookHttp(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }));
        services.AddScoped(provider => Channels(provider));
        services.AddScoped(provider => new OutboxDispatcher(
            provider.GetRequiredService<RecoupDatabase>(), provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<MessagingSettings>(),
            provider.GetRequiredService<Recoup.Domain.Compliance.RuleSet>(), provider.GetRequiredService<IReadOnlyList<IOutboxChannel>>()));
        services.AddScoped<OptOuts>();
        services.AddScoped<WebhookSubscriptions>();
        services.AddScoped<OutboxListing>();
        return services;
    }

    /// <summary>A dispatcher outside the web application (the CLI), configured from <paramref name="configuration"/> as the web application is.</summary>
    public static ServiceProvider DispatcherServices(RecoupDatabase database, TimeProvider clock, IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddSingleton(database);
        services.AddSingleton(clock);
        services.AddSingleton(Recoup.Services.Compliance.RuleSetConfiguration.Load(configuration));
        services.AddScoped<Recoup.Services.Contacts.ContactPoints>();
        services.AddRecoupMessaging();
        return services.BuildServiceProvider();
    }

    /// <summary>The background dispatcher, for <c>recoup serve</c>: delivers the outbox while the application runs.</summary>
    public static IServiceCollection AddOutboxDispatcherService(this IServiceCollection services) =>
        services.AddHostedService<OutboxDispatcherService>();

    /// <summary>The channels with a configured provider: e-mail once <c>Recoup:Smtp:Host</c> is set, texts unless the provider is <c>none</c>, webhooks always.</summary>
    private static IReadOnlyList<IOutboxChannel> Channels(IServiceProvider provider)
    {
        var channels = new List<IOutboxChannel>();
        var smtp = provider.GetRequiredService<SmtpSettings>();
        if (smtp.IsConfigured)
        {
            channels.Add(new SmtpEmailChannel(smtp, provider.GetRequiredService<MessagingSettings>(), provider.GetRequiredService<RecoupDatabase>()));
        }

        if (provider.GetRequiredService<SmsSettings>().Provider != "none")
        {
            channels.Add(new SmsChannel(provider.GetRequiredService<ISmsSender>()));
        }

        channels.Add(new WebhookChannel(provider.GetRequiredService<RecoupDatabase>(), provider.GetRequiredService<WebhookHttp>().Client, provider.GetRequiredService<TimeProvider>()));
        return channels;
    }
}

/// <summary>The one HTTP client webhooks are delivered with.</summary>
public sealed record WebhookHttp(HttpClient Client);

/// <summary>
/// Runs the dispatcher in the web application: a pass every few seconds (<c>Recoup:Messaging:PollSeconds</c>),
/// straight after the previous one while there was work. Several nodes may run it: claims keep them apart.
/// </summary>
internal sealed partial class OutboxDispatcherService(IServiceScopeFactory scopes, MessagingSettings settings, ILogger<OutboxDispatcherService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var run = await scope.ServiceProvider.GetRequiredService<OutboxDispatcher>().RunOnceAsync(stoppingToken);
                busy = run.Claimed > 0;
                if (busy)
                {
                    Delivered(logger, run.Claimed, run.Sent, run.Retried, run.Failed, run.Blocked, run.Rescheduled);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // a failed pass (the database away for a moment) is logged and tried again
            catch (Exception e)
#pragma warning restore CA1031
            {
                PassFailed(logger, e);
            }

            if (!busy)
            {
                try
                {
                    await Task.Delay(settings.Poll, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox: {Claimed} claimed, {Sent} sent, {Retried} to retry, {Failed} failed, {Blocked} blocked, {Rescheduled} rescheduled")]
    private static partial void Delivered(ILogger logger, int claimed, int sent, int retried, int failed, int blocked, int rescheduled);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox: a dispatch pass failed; trying again shortly")]
    private static partial void PassFailed(ILogger logger, Exception exception);
}
