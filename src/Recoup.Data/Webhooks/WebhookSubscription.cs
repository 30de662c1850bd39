using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Recoup.Data.Webhooks;

/// <summary>
/// Another system's endpoint that wants to hear about some kinds of event (a dispute opened, a credit
/// hold changed, ...). Each event of a subscribed type becomes one outbox message for the endpoint,
/// signed with the subscription's secret when it is delivered (docs/webhooks.md).
/// </summary>
public sealed class WebhookSubscription
{
    public Guid Id { get; set; }

    /// <summary>The HTTPS (or, for a test receiver, loopback HTTP) address the events are POSTed to.</summary>
    public string Url { get; set; } = "";

    /// <summary>The event types it receives, e.g. <c>dispute.opened</c>; see <c>WebhookEvents.Types</c>.</summary>
    public IReadOnlyList<string> EventTypes { get; set; } = [];

    /// <summary>The shared secret the HMAC-SHA256 signature is made with.</summary>
    public string Secret { get; set; } = "";

    public string? Description { get; set; }
    public bool Active { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
}

internal sealed class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<WebhookSubscription>
{
    public void Configure(EntityTypeBuilder<WebhookSubscription> builder)
    {
        builder.ToTable("webhook_subscriptions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Url).HasMaxLength(2000);
        builder.Property(s => s.EventTypes).HasConversion(new StringListConverter(), StringListConverter.Comparer).HasMaxLength(2000);
        builder.Property(s => s.Secret).HasMaxLength(200);
        builder.Property(s => s.Description).HasMaxLength(500);
        builder.Property(s => s.CreatedBy).HasMaxLength(256);
    }
}
