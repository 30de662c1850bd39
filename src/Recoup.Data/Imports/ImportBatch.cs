using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Recoup.Data.Imports;

/// <summary>A record of one successful import: where it came from, when, and what it added.</summary>
public sealed class ImportBatch
{
    public Guid Id { get; set; }
    public string Source { get; set; } = "";

    /// <summary>The files imported with their SHA-256, e.g. <c>invoices.csv sha256:…</c>, one per line.</summary>
    public string Files { get; set; } = "";

    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset FinishedAt { get; set; }
    public int DebtorCount { get; set; }
    public int InvoiceCount { get; set; }
    public int PaymentCount { get; set; }
}

internal sealed class ImportBatchConfiguration : IEntityTypeConfiguration<ImportBatch>
{
    public void Configure(EntityTypeBuilder<ImportBatch> builder)
    {
        builder.HasKey(b => b.Id);
        builder.Property(b => b.Source).HasMaxLength(1000);
        builder.Property(b => b.Files).HasMaxLength(4000);
    }
}
