using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Recoup.Data.Audit;

/// <summary>
/// One change, as the append-only audit log keeps it: who, when, what, and the state before and
/// after (JSON). Rows are only ever inserted.
/// </summary>
public sealed class AuditRecord
{
    public Guid Id { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>The user name, <c>api-key:NAME</c>, or <c>system</c>.</summary>
    public string Actor { get; set; } = "";

    /// <summary>What was done, e.g. <c>payment.posted</c>, <c>user.created</c>.</summary>
    public string Action { get; set; } = "";

    /// <summary>The kind of thing changed, e.g. <c>account</c>.</summary>
    public string Entity { get; set; } = "";

    public string EntityId { get; set; } = "";
    public string? Before { get; set; }
    public string? After { get; set; }
}

internal sealed class AuditRecordConfiguration : IEntityTypeConfiguration<AuditRecord>
{
    public void Configure(EntityTypeBuilder<AuditRecord> builder)
    {
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Actor).HasMaxLength(256);
        builder.Property(a => a.Action).HasMaxLength(64);
        builder.Property(a => a.Entity).HasMaxLength(64);
        builder.Property(a => a.EntityId).HasMaxLength(64);
        builder.HasIndex(a => new { a.Entity, a.EntityId });
    }
}
