using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Recoup.Data.Messaging;

/// <summary>
/// One try at delivering an outbox message, as the delivery log shows it: when, by which dispatcher,
/// how it ended (<c>sent</c>, <c>failed</c>, <c>blocked</c>, <c>rescheduled</c>), the receiver's HTTP
/// status or the SMTP reply, how long it took and the error. Append-only.
/// </summary>
public sealed class DeliveryAttempt
{
    /// <summary>A version 7 GUID: ordering by id is ordering by time.</summary>
    public Guid Id { get; set; }

    public Guid MessageId { get; set; }

    /// <summary>1 for the first try; a replay starts counting again.</summary>
    public int Number { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public int DurationMs { get; set; }

    /// <summary><c>sent</c>, <c>failed</c> (will be retried), <c>gave_up</c>, <c>blocked</c> or <c>rescheduled</c>.</summary>
    public string Outcome { get; set; } = "";

    /// <summary>The HTTP status a webhook receiver answered, or the SMTP reply code; null when there was no answer.</summary>
    public int? StatusCode { get; set; }

    public string? Error { get; set; }

    /// <summary>The dispatcher that made the try.</summary>
    public string Node { get; set; } = "";
}

internal sealed class DeliveryAttemptConfiguration : IEntityTypeConfiguration<DeliveryAttempt>
{
    public void Configure(EntityTypeBuilder<DeliveryAttempt> builder)
    {
        builder.ToTable("delivery_attempts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Outcome).HasMaxLength(20);
        builder.Property(a => a.Error).HasMaxLength(4000);
        builder.Property(a => a.Node).HasMaxLength(200);
        builder.HasIndex(a => a.MessageId);
    }
}
