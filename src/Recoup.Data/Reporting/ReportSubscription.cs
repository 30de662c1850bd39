using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Recoup.Data.Reporting;

/// <summary>
/// A member of staff who receives a report pack by e-mail after each period (docs/reports.md): the pack, the
/// address, and the pack's filter, one nullable column per filter field (null is "all"), so a new filter field
/// is one more nullable column and existing subscriptions keep meaning "all" for it.
/// </summary>
public sealed class ReportSubscription
{
    public Guid Id { get; set; }

    public string Email { get; set; } = "";

    /// <summary><c>weekly</c> or <c>monthly</c>.</summary>
    public string Pack { get; set; } = "";

    /// <summary>The filter: only accounts assigned to this collector; null for all.</summary>
    public string? Collector { get; set; }

    /// <summary>The filter: only debtors of this debt type (<c>consumer</c>, <c>commercial</c>, <c>medical</c>); null for all.</summary>
    public string? DebtType { get; set; }

    /// <summary>The filter: only this currency (ISO 4217); null for every currency.</summary>
    public string? Currency { get; set; }

    public string CreatedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>False once removed: nothing more is sent, and what was sent stays traceable to it.</summary>
    public bool Active { get; set; } = true;
}

internal sealed class ReportSubscriptionConfiguration : IEntityTypeConfiguration<ReportSubscription>
{
    public void Configure(EntityTypeBuilder<ReportSubscription> builder)
    {
        builder.ToTable("report_subscriptions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Email).HasMaxLength(320);
        builder.Property(s => s.Pack).HasMaxLength(16);
        builder.Property(s => s.Collector).HasMaxLength(256);
        builder.Property(s => s.DebtType).HasMaxLength(32);
        builder.Property(s => s.Currency).HasMaxLength(3);
        builder.Property(s => s.CreatedBy).HasMaxLength(256);
        builder.HasIndex(s => new { s.Active, s.Pack });
    }
}
