using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Recoup.Domain;

namespace Recoup.Data.Reporting;

/// <summary>
/// One currency's line of a collector's targets for a month. Append-only: setting a collector's targets
/// for a month adds a new set of lines (one per currency, all with the same <see cref="SetAt"/>), and the
/// set in force on a date is the latest set at or before it, so a report as of a past date finds the
/// targets that were in force then. The counts (<see cref="Contacts"/>, <see cref="Promises"/>,
/// <see cref="KeptRateBasisPoints"/>) are the collector's for the month, the same on every line of a set.
/// </summary>
public sealed class CollectorTargetRecord
{
    public Guid Id { get; set; }

    /// <summary>The collector's user name (as in <c>account_assignments.collector</c>).</summary>
    public string Collector { get; set; } = "";

    /// <summary>The month's first day.</summary>
    public DateOnly Month { get; set; }

    public Currency Currency { get; set; }

    /// <summary>Payments to collect on the collector's accounts in the month, in minor units of <see cref="Currency"/>.</summary>
    public long AmountMinor { get; set; }

    /// <summary>Right-party contacts the collector is to record in the month.</summary>
    public int Contacts { get; set; }

    /// <summary>Promises to pay the collector is to take in the month.</summary>
    public int Promises { get; set; }

    /// <summary>The share of the collector's promises resolved in the month that are to be kept, in hundredths of a percent (8000 = 80 %).</summary>
    public int KeptRateBasisPoints { get; set; }

    public string SetBy { get; set; } = "";
    public DateTimeOffset SetAt { get; set; }
}

internal sealed class CollectorTargetConfiguration : IEntityTypeConfiguration<CollectorTargetRecord>
{
    public void Configure(EntityTypeBuilder<CollectorTargetRecord> builder)
    {
        builder.ToTable("collector_targets");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Collector).HasMaxLength(256);
        builder.Property(t => t.SetBy).HasMaxLength(256);
        builder.HasIndex(t => new { t.Month, t.Collector, t.SetAt });
    }
}
