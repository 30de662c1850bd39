using Microsoft.EntityFrameworkCore;
using Recoup.Data.Messaging;
using Recoup.Data.Outbox;
using Recoup.Data.Webhooks;
using Recoup.Domain;
using Recoup.Services.Audit;
using Recoup.Services.Storage;

namespace Recoup.Services.Webhooks;

/// <summary>A subscription to create: where to POST and which event types.</summary>
public sealed record NewWebhookSubscription(string Url, IReadOnlyList<string> EventTypes, string? Description);

/// <summary>A subscription as listed (never with its secret).</summary>
public sealed record WebhookSubscriptionView(Guid Id, string Url, IReadOnlyList<string> EventTypes, string? Description, bool Active, DateTimeOffset CreatedAt, string CreatedBy);

/// <summary>A new subscription with its secret, shown this once.</summary>
public sealed record CreatedWebhookSubscription(WebhookSubscriptionView Subscription, string Secret);

/// <summary>One outbox message of a subscription (a delivery of one event), with its tries.</summary>
public sealed record WebhookDeliveryView(
    Guid MessageId, Guid SubscriptionId, string EventType, string EventId, string Url, OutboxStatus Status, int Attempts, DateTimeOffset CreatedAt,
    DateTimeOffset NotBefore, DateTimeOffset? SentAt, string? LastError, IReadOnlyList<DeliveryAttempt> Tries);

/// <summary>
/// The webhook subscriptions other systems register (docs/webhooks.md): create (the secret is returned
/// once and never shown again), list, deactivate; the delivery log of a subscription; and replay of a
/// delivered or failed delivery. Every change is in the audit log.
/// </summary>
public sealed class WebhookSubscriptions(RecoupDatabase database, TimeProvider clock)
{
    public const string NotFound = "webhook_subscription_not_found";
    public const string DeliveryNotFound = "webhook_delivery_not_found";
    private const string Entity = "webhook_subscription";

    /// <summary>Checks the request and stores the subscription; every reason it is refused, each with its field.</summary>
    public async Task<Result<CreatedWebhookSubscription>> CreateAsync(NewWebhookSubscription request, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Uri.TryCreate(request.Url?.Trim(), UriKind.Absolute, out var url) || !(url.Scheme == "https" || (url.Scheme == "http" && url.IsLoopback)))
        {
            return new Error("url_invalid", "The URL must be an absolute https:// address (http:// only for a receiver on this machine)", "url");
        }

        var types = (request.EventTypes ?? []).Select(t => t?.Trim() ?? "").Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (types.Count == 0)
        {
            return new Error("event_types_missing", $"Name at least one event type: {string.Join(", ", WebhookEvents.Types)}", "event_types");
        }

        if (types.FirstOrDefault(t => !WebhookEvents.Types.Contains(t)) is { } unknown)
        {
            return new Error("event_type_unknown", $"'{unknown}' is not an event type; use {string.Join(", ", WebhookEvents.Types)}", "event_types");
        }

        if (request.Description is { Length: > 500 })
        {
            return new Error("description_too_long", "The description is limited to 500 characters", "description");
        }

        var now = clock.GetUtcNow();
        var subscription = new WebhookSubscription
        {
            Id = SequentialGuid.Create(now),
            Url = url.ToString(),
            EventTypes = types,
            Secret = WebhookSignature.NewSecret(),
            Description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim(),
            Active = true,
            CreatedAt = now,
            CreatedBy = actor,
        };
        await using var db = database.CreateContext();
        db.WebhookSubscriptions.Add(subscription);
        db.AuditLog.Add(AuditLog.Record(now, actor, "webhook_subscription.created", Entity, subscription.Id.ToString(), null,
            new { url = subscription.Url, event_types = types, description = subscription.Description }));
        await db.SaveChangesAsync(ct);
        return new CreatedWebhookSubscription(View(subscription), subscription.Secret);
    }

    /// <summary>Every subscription, the active first, newest first.</summary>
    public async Task<IReadOnlyList<WebhookSubscriptionView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var all = await db.WebhookSubscriptions.AsNoTracking().ToListAsync(ct);
        return [.. all.OrderByDescending(s => s.Active).ThenByDescending(s => s.Id).Select(View)];
    }

    public async Task<Result<WebhookSubscriptionView>> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var subscription = await db.WebhookSubscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct);
        return subscription is null ? new Error(NotFound, $"There is no webhook subscription {id}") : View(subscription);
    }

    /// <summary>Stops deliveries to the subscription: no new event is queued for it, and what is still waiting is cancelled.</summary>
    public async Task<Result<WebhookSubscriptionView>> DeactivateAsync(Guid id, string actor, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var subscription = await db.WebhookSubscriptions.SingleOrDefaultAsync(s => s.Id == id, ct);
        if (subscription is null)
        {
            return new Error(NotFound, $"There is no webhook subscription {id}");
        }

        if (subscription.Active)
        {
            subscription.Active = false;
            var cancelled = await db.Outbox.Where(m => m.SubscriptionId == id && m.Status == OutboxStatus.Pending)
                .ExecuteUpdateAsync(set => set.SetProperty(m => m.Status, OutboxStatus.Cancelled).SetProperty(m => m.LastError, "The subscription was deactivated"), ct);
            db.AuditLog.Add(AuditLog.Record(now, actor, "webhook_subscription.deactivated", Entity, id.ToString(), new { active = true }, new { active = false, pending_cancelled = cancelled }));
            await db.SaveChangesAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return View(subscription);
    }

    /// <summary>The subscription's deliveries, newest first, each with its tries (the delivery log).</summary>
    public async Task<Result<IReadOnlyList<WebhookDeliveryView>>> DeliveriesAsync(Guid id, int limit, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        if (!await db.WebhookSubscriptions.AnyAsync(s => s.Id == id, ct))
        {
            return new Error(NotFound, $"There is no webhook subscription {id}");
        }

        var messages = await db.Outbox.AsNoTracking().Where(m => m.SubscriptionId == id).OrderByDescending(m => m.Id).Take(Math.Clamp(limit, 1, 500)).ToListAsync(ct);
        return Result<IReadOnlyList<WebhookDeliveryView>>.Ok(await ViewsAsync(db, messages, ct));
    }

    /// <summary>One delivery with its tries.</summary>
    public async Task<Result<WebhookDeliveryView>> DeliveryAsync(Guid messageId, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var message = await db.Outbox.AsNoTracking().SingleOrDefaultAsync(m => m.Id == messageId && m.Channel == OutboxChannel.Webhook, ct);
        return message is null ? new Error(DeliveryNotFound, $"There is no webhook delivery {messageId}") : (await ViewsAsync(db, [message], ct))[0];
    }

    /// <summary>
    /// Sends a delivered or failed webhook again: back to pending, due now, with a fresh count of tries. The
    /// event keeps its id (a receiver that already processed it can tell).
    /// </summary>
    public async Task<Result<WebhookDeliveryView>> ReplayAsync(Guid messageId, string actor, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var db = database.CreateContext();
        var message = await db.Outbox.SingleOrDefaultAsync(m => m.Id == messageId && m.Channel == OutboxChannel.Webhook, ct);
        if (message is null)
        {
            return new Error(DeliveryNotFound, $"There is no webhook delivery {messageId}");
        }

        if (message.Status is not (OutboxStatus.Sent or OutboxStatus.Failed or OutboxStatus.Cancelled))
        {
            return new Error("webhook_delivery_in_progress", $"The delivery is {message.Status.ToString().ToLowerInvariant()}: only a sent, failed or cancelled delivery can be replayed", "status");
        }

        if (message.SubscriptionId is not { } subscriptionId || !await db.WebhookSubscriptions.AnyAsync(s => s.Id == subscriptionId && s.Active, ct))
        {
            return new Error("webhook_subscription_inactive", "The subscription was deactivated; create a new one to receive events again", "subscription_id");
        }

        var before = new { status = message.Status.ToString().ToLowerInvariant(), attempts = message.Attempts };
        message.Status = OutboxStatus.Pending;
        message.NotBefore = now;
        message.Attempts = 0;
        message.ClaimedAt = null;
        message.ClaimedBy = null;
        db.AuditLog.Add(AuditLog.Record(now, actor, "webhook.replayed", Entity, subscriptionId.ToString(), before, new { outbox_id = message.Id, status = "pending" }));
        await db.SaveChangesAsync(ct);
        return (await ViewsAsync(db, [message], ct))[0];
    }

    private static async Task<List<WebhookDeliveryView>> ViewsAsync(Data.RecoupDbContext db, List<OutboxMessage> messages, CancellationToken ct)
    {
        var ids = messages.Select(m => m.Id).ToList();
        var tries = (await db.DeliveryAttempts.AsNoTracking().Where(a => ids.Contains(a.MessageId)).ToListAsync(ct)).ToLookup(a => a.MessageId);
        return [.. messages.Select(m => new WebhookDeliveryView(
            m.Id, m.SubscriptionId ?? Guid.Empty, m.Purpose, WebhookChannel.EventId(m), m.Recipient, m.Status, m.Attempts, m.CreatedAt, m.NotBefore, m.SentAt, m.LastError,
            [.. tries[m.Id].OrderBy(a => a.Id)]))];
    }

    private static WebhookSubscriptionView View(WebhookSubscription s) => new(s.Id, s.Url, s.EventTypes, s.Description, s.Active, s.CreatedAt, s.CreatedBy);
}
