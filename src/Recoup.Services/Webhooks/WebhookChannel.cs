using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Recoup.Data.Outbox;
using Recoup.Services.Messaging.Dispatch;
using Recoup.Services.Storage;

namespace Recoup.Services.Webhooks;

/// <summary>
/// Delivers webhook messages: POSTs the JSON envelope to the subscription's URL with the headers
/// <c>Webhook-Id</c> (the event's id, the same on every retry and for every subscriber), <c>Webhook-Timestamp</c>
/// (Unix seconds) and <c>Webhook-Signature</c> (<see cref="WebhookSignature"/>). Only a 2xx answer counts as
/// delivered; anything else, or no answer, is retried.
/// </summary>
public sealed class WebhookChannel(RecoupDatabase database, HttpClient http, TimeProvider clock) : IOutboxChannel
{
    public OutboxChannel Channel => OutboxChannel.Webhook;

    /// <summary>The event's id from the envelope (<c>{"id": …}</c>); the message's own id when the body has none.</summary>
    public static string EventId(OutboxMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            using var json = JsonDocument.Parse(message.Body);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
            {
                return id.GetString()!;
            }
        }
        catch (JsonException)
        {
            // not an envelope: fall back to the message's id
        }

        return message.Id.ToString("D");
    }

    public async Task<DeliveryResult> DeliverAsync(OutboxMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        await using var db = database.CreateContext();
        var subscription = message.SubscriptionId is { } subscriptionId
            ? await db.WebhookSubscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == subscriptionId, ct)
            : null;
        if (subscription is null)
        {
            return DeliveryResult.GiveUp("The webhook subscription no longer exists");
        }

        if (!subscription.Active)
        {
            return DeliveryResult.GiveUp("The webhook subscription was deactivated");
        }

        var id = EventId(message);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
        {
            Content = new StringContent(message.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookSignature.IdHeader, id);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Header(subscription.Secret, id, timestamp, message.Body));
        request.Headers.UserAgent.ParseAdd("Recoup-Webhooks/1");
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? DeliveryResult.Ok(status)
                : DeliveryResult.Retry($"The receiver answered {status} {response.ReasonPhrase}", status);
        }
        catch (HttpRequestException e)
        {
            return DeliveryResult.Retry($"No answer from {subscription.Url}: {e.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return DeliveryResult.Retry($"No answer from {subscription.Url} within {http.Timeout.TotalSeconds:0} s");
        }
    }
}
