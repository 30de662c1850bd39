using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Recoup.Data.Outbox;
using Recoup.Domain;
using Recoup.Domain.Compliance;
using Recoup.Services.Messaging.Dispatch;
using Recoup.Services.Payments;
using Recoup.Services.Plans;
using Recoup.Services.Storage;
using Recoup.Services.Tests.Messaging;
using Recoup.Services.Webhooks;
using Recoup.Testing;
using Recoup.Testing.Messaging;

namespace Recoup.Services.Tests.Webhooks;

/// <summary>
/// Webhooks delivered to a real HTTP receiver on loopback: signatures a receiver can check with the recipe
/// published in docs/webhooks.md (in C# and with openssl), retries until a 2xx, the delivery log, replay, and
/// a dispatcher killed between sending and recording — on both providers.
/// </summary>
public sealed class WebhookDeliveryTests
{
    private static async Task<(MessagingScenario Scenario, WebhookReceiver Receiver, CreatedWebhookSubscription Subscription)> SetUpAsync(DatabaseProvider provider, params string[] types)
    {
        var scenario = await MessagingScenario.CreateAsync(provider);
        var receiver = new WebhookReceiver();
        var created = await new WebhookSubscriptions(scenario.Database, scenario.Clock)
            .CreateAsync(new NewWebhookSubscription(receiver.Url, types.Length == 0 ? [WebhookEvents.PaymentPosted] : types, "sales system"), "admin");
        Assert.True(created.IsSuccess, created.Error?.Message);
        return (scenario, receiver, created.Value);
    }

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private static OutboxDispatcher Dispatcher(MessagingScenario s, string node = "node-a", Func<OutboxMessage, Task>? afterSend = null) =>
        s.Dispatcher(node, afterSend, new WebhookChannel(s.Database, Http, s.Clock));

    private static async Task<AccountId> AccountAsync(MessagingScenario s, string debtor)
    {
        await using var db = s.Database.CreateContext();
        return await db.Accounts.AsNoTracking().Where(a => a.Debtor!.ExternalId == debtor).Select(a => a.Id).SingleAsync();
    }

    private static async Task PayAsync(MessagingScenario s, decimal amount)
    {
        var posted = await new PostPayment(s.Database, s.Clock).RunAsync(
            new PostPaymentRequest(await AccountAsync(s, "D1"), amount, DateOnly.FromDateTime(s.Clock.GetUtcNow().UtcDateTime), "check", "CHK 77", null, null), "sam");
        Assert.True(posted.IsSuccess, posted.Error?.Message);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_posted_payment_is_delivered_signed_and_retried_with_back_off_until_the_receiver_answers_2xx(DatabaseProvider provider)
    {
        var (s, receiver, subscription) = await SetUpAsync(provider);
        await using var _ = s;
        using var __ = receiver;
        receiver.AnswerWith(500, 503);
        await PayAsync(s, 120m);

        var dispatcher = Dispatcher(s);
        Assert.Equal(1, (await dispatcher.DrainAsync()).Retried);
        s.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await dispatcher.DrainAsync()).Retried);
        s.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, (await dispatcher.DrainAsync()).Claimed); // the second retry waits two minutes
        s.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await dispatcher.DrainAsync()).Sent);

        Assert.Equal([500, 503, 200], receiver.Received.Select(r => r.AnsweredWith));
        using var envelope = JsonDocument.Parse(receiver.Received[0].Body);
        var root = envelope.RootElement;
        Assert.Equal("payment.posted", root.GetProperty("type").GetString());
        Assert.Equal("120.00", root.GetProperty("data").GetProperty("amount").GetString());
        Assert.Equal("USD", root.GetProperty("data").GetProperty("currency").GetString());
        Assert.Equal("180.00", root.GetProperty("data").GetProperty("balance_after").GetString());
        var eventId = root.GetProperty("id").GetString();
        foreach (var delivery in receiver.Received)
        {
            Assert.Equal(eventId, delivery.Id); // the same Webhook-Id on every try: the receiver's idempotency key
            Assert.Equal(receiver.Received[0].Body, delivery.Body);
            Assert.True(WebhookSignature.Verify(subscription.Secret, delivery.Id, long.Parse(delivery.Timestamp, CultureInfo.InvariantCulture), delivery.Body, delivery.Signature));
            Assert.True(IsValidRecoupWebhook(subscription.Secret, delivery.Id, delivery.Timestamp, delivery.Body, delivery.Signature));
            Assert.False(IsValidRecoupWebhook("whsec_wrong", delivery.Id, delivery.Timestamp, delivery.Body, delivery.Signature));
            Assert.False(IsValidRecoupWebhook(subscription.Secret, delivery.Id, delivery.Timestamp, delivery.Body.Replace("120.00", "920.00", StringComparison.Ordinal), delivery.Signature));
        }

        var log = Assert.Single((await new WebhookSubscriptions(s.Database, s.Clock).DeliveriesAsync(subscription.Subscription.Id, 50)).Value);
        Assert.Equal(OutboxStatus.Sent, log.Status);
        Assert.Equal(eventId, log.EventId);
        Assert.Equal(["failed 500", "failed 503", "sent 200"], log.Tries.Select(t => $"{t.Outcome} {t.StatusCode}"));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_crash_between_sending_and_recording_delivers_again_with_the_same_webhook_id_and_no_more(DatabaseProvider provider)
    {
        var (s, receiver, _) = await SetUpAsync(provider);
        await using var _s = s;
        using var _r = receiver;
        await PayAsync(s, 50m);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Dispatcher(s, "node-a", _ => throw new InvalidOperationException("killed")).DrainAsync());
        Assert.Single(receiver.Received);
        s.Advance(s.Settings.Lease + TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await Dispatcher(s, "node-b").DrainAsync()).Sent);
        s.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, (await Dispatcher(s, "node-c").DrainAsync()).Claimed);

        Assert.Equal(2, receiver.Received.Count);
        Assert.Equal(receiver.Received[0].Id, receiver.Received[1].Id);
        Assert.Single(receiver.Received.Select(r => r.Id).Distinct());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_delivered_webhook_can_be_replayed_and_a_deactivated_subscription_gets_nothing_more(DatabaseProvider provider)
    {
        var (s, receiver, subscription) = await SetUpAsync(provider);
        await using var _s = s;
        using var _r = receiver;
        var subscriptions = new WebhookSubscriptions(s.Database, s.Clock);
        await PayAsync(s, 10m);
        await Dispatcher(s).DrainAsync();
        var delivery = Assert.Single((await subscriptions.DeliveriesAsync(subscription.Subscription.Id, 10)).Value);

        var replayed = await subscriptions.ReplayAsync(delivery.MessageId, "admin");
        Assert.True(replayed.IsSuccess, replayed.Error?.Message);
        Assert.Equal(OutboxStatus.Pending, replayed.Value.Status);
        Assert.Equal("webhook_delivery_in_progress", (await subscriptions.ReplayAsync(delivery.MessageId, "admin")).Error?.Code);
        await Dispatcher(s).DrainAsync();
        Assert.Equal(2, receiver.Received.Count);
        Assert.Equal(receiver.Received[0].Id, receiver.Received[1].Id);

        receiver.AnswerWith(500);
        await PayAsync(s, 10m);
        await Dispatcher(s).DrainAsync();
        Assert.Equal(3, receiver.Received.Count);
        var deactivated = await subscriptions.DeactivateAsync(subscription.Subscription.Id, "admin");
        Assert.False(deactivated.Value.Active);
        s.Advance(TimeSpan.FromHours(1));
        await PayAsync(s, 10m);
        await Dispatcher(s).DrainAsync();
        Assert.Equal(3, receiver.Received.Count);
        var statuses = (await subscriptions.DeliveriesAsync(subscription.Subscription.Id, 10)).Value.Select(d => d.Status).ToList();
        Assert.Equal([OutboxStatus.Cancelled, OutboxStatus.Sent], statuses);
        Assert.Equal("webhook_subscription_not_found", (await subscriptions.DeactivateAsync(Guid.NewGuid(), "admin")).Error?.Code);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_promise_broken_in_the_daily_monitoring_is_raised_to_its_subscribers_only(DatabaseProvider provider)
    {
        var (s, receiver, _) = await SetUpAsync(provider, WebhookEvents.PromiseBroken);
        await using var _s = s;
        using var _r = receiver;
        var account = await AccountAsync(s, "D1");
        var promise = await new Promises(s.Database, s.Clock).TakeAsync(new TakePromise(account, Money.FromMajor(40m, Currency.USD, MidpointRounding.ToEven), new DateOnly(2026, 11, 25), "call"), "sam");
        Assert.True(promise.IsSuccess, promise.Error?.Message);
        s.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 10, 15, 0, 0, TimeSpan.Zero));

        var result = await new PlanMonitoring(s.Database, s.Clock, new PlanSettings { PromiseGraceDays = 2 }, RuleSet.Default).RunAsync(new DateOnly(2026, 12, 10));
        Assert.Equal(1, result.PromisesBroken);
        await Dispatcher(s).DrainAsync();

        using var envelope = JsonDocument.Parse(Assert.Single(receiver.Received).Body);
        Assert.Equal("promise.broken", envelope.RootElement.GetProperty("type").GetString());
        Assert.Equal(promise.Value.Id.ToString(), envelope.RootElement.GetProperty("data").GetProperty("promise_id").GetString());
        Assert.Equal("2026-11-25", envelope.RootElement.GetProperty("data").GetProperty("promised_for").GetString());
    }

    [Fact]
    public async Task The_openssl_recipe_in_docs_webhooks_md_verifies_a_real_signature()
    {
        var docs = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "docs", "webhooks.md"));
        var shell = Regex.Match(docs, "```sh\n(?<code>.*?)```", RegexOptions.Singleline).Groups["code"].Value;
        Assert.Contains("openssl", shell, StringComparison.Ordinal);
        const string secret = "whsec_test-secret";
        const string id = "0193a6f0-1c2d-7e3f-8a9b-0c1d2e3f4a5b";
        const string body = """{"id":"0193a6f0-1c2d-7e3f-8a9b-0c1d2e3f4a5b","type":"payment.posted","data":{"amount":"12.50","note":"café"}}""";
        var folder = TempFolder.Create("webhook-recipe");
        await File.WriteAllTextAsync(Path.Combine(folder, "body.json"), body);

        Assert.Equal("valid", await RunAsync(shell, folder, secret, id, "1764500000", WebhookSignature.Header(secret, id, 1764500000, body)));
        Assert.Equal("INVALID", await RunAsync(shell, folder, secret, id, "1764500001", WebhookSignature.Header(secret, id, 1764500000, body)));
    }

    [Fact]
    public async Task The_csharp_recipe_in_docs_webhooks_md_is_the_one_these_tests_run()
    {
        var docs = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "docs", "webhooks.md"));
        var documented = Regex.Match(docs, "```csharp\n(?<code>.*?)```", RegexOptions.Singleline).Groups["code"].Value;
        var source = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "tests", "Recoup.Services.Tests", "Webhooks", "WebhookDeliveryTests.cs"));
        var tested = Regex.Match(source, "// docs:begin\n(?<code>.*?)    // docs:end", RegexOptions.Singleline).Groups["code"].Value;
        Assert.NotEmpty(tested);
        Assert.Equal(Normalize(tested), Normalize(documented));

        static string Normalize(string code) => Regex.Replace(code, @"\s+", " ").Trim();
    }

    private static async Task<string> RunAsync(string shell, string folder, string secret, string id, string timestamp, string signature)
    {
        var start = new ProcessStartInfo("bash", ["-c", shell]) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["WEBHOOK_SECRET"] = secret;
        start.Environment["WEBHOOK_ID"] = id;
        start.Environment["WEBHOOK_TIMESTAMP"] = timestamp;
        start.Environment["WEBHOOK_SIGNATURE"] = signature;
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Trim();
    }

    // docs:begin
    static bool IsValidRecoupWebhook(string secret, string id, string timestamp, string body, string signatureHeader)
    {
        var key = System.Text.Encoding.UTF8.GetBytes(secret);
        var signed = System.Text.Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}");
        var expected = "v1," + Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(key, signed));
        return signatureHeader.Split(' ').Any(candidate => System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(candidate), System.Text.Encoding.ASCII.GetBytes(expected)));
    }
    // docs:end
}
