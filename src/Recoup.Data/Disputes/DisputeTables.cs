using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Recoup.Domain;
using Recoup.Domain.Disputes;

namespace Recoup.Data.Disputes;

/// <summary>
/// A dispute on an account: on the whole account, or on named invoices with an amount each (<see cref="DisputeItemRecord"/>).
/// While open, its amount is held out of collection.
/// </summary>
public sealed class DisputeRecord
{
    public Guid Id { get; set; }
    public AccountId AccountId { get; set; }
    public DebtorId DebtorId { get; set; }
    public Currency Currency { get; set; }

    /// <summary>The amount disputed and held: the whole balance when opened on the account, else the sum of the items.</summary>
    public long AmountMinor { get; set; }

    public DisputeReason Reason { get; set; }
    public DisputeSource Source { get; set; }
    public DisputeDepartment Department { get; set; }

    /// <summary>The person who works it (a user name), or null while the department has not picked it up.</summary>
    public string? Owner { get; set; }

    public string Description { get; set; } = "";

    /// <summary>Received in writing (portal, e-mail, letter): for a consumer debt, the gate's disputed-debt rule applies.</summary>
    public bool InWriting { get; set; }

    public DateOnly OpenedOn { get; set; }
    public DateTimeOffset OpenedAt { get; set; }
    public string OpenedBy { get; set; } = "";

    /// <summary>The date it must be resolved by (the department's SLA).</summary>
    public DateOnly DueOn { get; set; }

    public DisputeStatus Status { get; set; }
    public DateOnly? ResolvedOn { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public string? ResolvedBy { get; set; }

    /// <summary>What was credited to the debtor (upheld or partially upheld).</summary>
    public long CreditedMinor { get; set; }

    public DisputeRemedy? Remedy { get; set; }

    /// <summary>The ledger entry that credited it.</summary>
    public LedgerEntryId? CreditEntryId { get; set; }

    /// <summary>The resolution's note, and for a rejection the evidence sent to the debtor.</summary>
    public string? Resolution { get; set; }

    /// <summary>For a dispute in writing on a consumer debt: when the verification (the evidence) was sent.</summary>
    public DateTimeOffset? VerificationSentAt { get; set; }

    public List<DisputeItemRecord> Items { get; set; } = [];
}

/// <summary>One disputed invoice of a dispute, and the amount disputed on it.</summary>
public sealed class DisputeItemRecord
{
    public Guid DisputeId { get; set; }
    public int Line { get; set; }
    public InvoiceId InvoiceId { get; set; }
    public string InvoiceNumber { get; set; } = "";
    public long AmountMinor { get; set; }
}

internal sealed class DisputeTableConfigurations : IEntityTypeConfiguration<DisputeRecord>, IEntityTypeConfiguration<DisputeItemRecord>
{
    public void Configure(EntityTypeBuilder<DisputeRecord> builder)
    {
        builder.ToTable("disputes");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Owner).HasMaxLength(256);
        builder.Property(d => d.Description).HasMaxLength(4000);
        builder.Property(d => d.OpenedBy).HasMaxLength(256);
        builder.Property(d => d.ResolvedBy).HasMaxLength(256);
        builder.Property(d => d.Resolution).HasMaxLength(4000);
        builder.HasMany(d => d.Items).WithOne().HasForeignKey(i => i.DisputeId);
        builder.HasIndex(d => d.AccountId);
        builder.HasIndex(d => new { d.Status, d.DueOn });
    }

    public void Configure(EntityTypeBuilder<DisputeItemRecord> builder)
    {
        builder.ToTable("dispute_items");
        builder.HasKey(i => new { i.DisputeId, i.Line });
        builder.Property(i => i.InvoiceNumber).HasMaxLength(100);
    }
}
