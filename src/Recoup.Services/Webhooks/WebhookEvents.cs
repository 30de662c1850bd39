using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Data.Outbox;
using Recoup.Data.Webhooks;
using Recoup.Domain;

namespace Recoup.Services.Webhooks;

/// <summary>
/// Raises an event for the webhook subscribers: one outbox message per active subscription to the
/// event's type, written in the caller's transaction, so the event leaves exactly when the change that
/// caused it commits. The body is the JSON envelope
/// <c>{"id","type","occurred_at","data"}</c>; <c>id</c> is the same for every subscriber and is the
/// idempotency id a receiver uses to ignore a repeated delivery (docs/webhooks.md).
/// </summary>
public static class WebhookEvents
{
    public const string DisputeOpened = "dispute.opened";
    public const string DisputeResolved = "dispute.resolved";
    public const string CreditHoldChanged = "credit_hold.changed";
    public const string AccountPlaced = "account.placed";
    public const string PaymentPosted = "payment.posted";
    public const string PromiseBroken = "promise.broken";

    /// <summary>Every event type a subscription may name.</summary>
    public static IReadOnlyList<string> Types { get; } = [DisputeOpened, DisputeResolved, CreditHoldChanged, AccountPlaced, PaymentPosted, PromiseBroken];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Adds the event's messages to <paramref name="db"/> (saved with the caller's changes); returns how many subscribers get it.</summary>
    public static async Task<int> RaiseAsync(RecoupDbContext db, WebhookEvent raised, CancellationToken ct = default)
    {
        var fanOut = await WebhookFanOut.LoadAsync(db, ct);
        var messages = fanOut.MessagesFor(raised).ToList();
        db.Outbox.AddRange(messages);
        return messages.Count;
    }

    internal static string Envelope(Guid eventId, WebhookEvent raised) => JsonSerializer.Serialize(
        new { id = eventId, type = raised.Type, occurred_at = raised.At, data = raised.Data }, Json);
}

/// <summary>
/// One event for the subscribers. <paramref name="Data"/> is serialized as snake_case JSON; give it
/// the ids a receiver needs to look the thing up (account number, dispute id, amounts as strings).
/// </summary>
public sealed record WebhookEvent(string Type, object Data, DateTimeOffset At, string Actor, Guid? AccountId = null, Guid? DebtorId = null)
{
    /// <summary>The event's id, shared by all its deliveries; also the receiver's idempotency key.</summary>
    public Guid Id { get; init; } = SequentialGuid.Create(At);
}

/// <summary>
/// The active subscriptions, read once, for work that raises many events in one transaction (a daily
/// run): <see cref="MessagesFor"/> builds the outbox messages without another query.
/// </summary>
public sealed class WebhookFanOut
{
    private readonly ILookup<string, WebhookSubscription> _byType;

    private WebhookFanOut(IEnumerable<WebhookSubscription> subscriptions) =>
        _byType = subscriptions.SelectMany(s => s.EventTypes.Select(t => (Type: t, Subscription: s))).ToLookup(p => p.Type, p => p.Subscription, StringComparer.Ordinal);

    public static async Task<WebhookFanOut> LoadAsync(RecoupDbContext db, CancellationToken ct = default) =>
        new(await db.WebhookSubscriptions.AsNoTracking().Where(s => s.Active).ToListAsync(ct));

    /// <summary>Whether anybody listens for <paramref name="type"/> (skip building the event's data when not).</summary>
    public bool Wants(string type) => _byType.Contains(type);

    public IEnumerable<OutboxMessage> MessagesFor(WebhookEvent raised)
    {
        var body = _byType.Contains(raised.Type) ? WebhookEvents.Envelope(raised.Id, raised) : null;
        foreach (var subscription in _byType[raised.Type])
        {
            yield return new OutboxMessage
            {
                Id = SequentialGuid.Create(raised.At),
                Channel = OutboxChannel.Webhook,
                Purpose = raised.Type,
                AccountId = raised.AccountId,
                DebtorId = raised.DebtorId,
                SubscriptionId = subscription.Id,
                Recipient = subscription.Url,
                Body = body!,
                DedupKey = $"webhook:{subscription.Id:N}:{raised.Id:N}",
                CreatedAt = raised.At,
                NotBefore = raised.At,
                Status = OutboxStatus.Pending,
                CreatedBy = raised.Actor,
            };
        }
    }
}
