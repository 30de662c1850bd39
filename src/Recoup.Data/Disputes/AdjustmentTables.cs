using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Recoup.Domain;

namespace Recoup.Data.Disputes;

/// <summary>What a balance change by hand is: an adjustment either way, a credit memo, or a bad-debt write-off.</summary>
public enum BalanceChangeKind
{
    Adjustment,
    CreditMemo,
    BadDebtWriteOff,
}

/// <summary>Where a balance change by hand stands.</summary>
public enum BalanceChangeStatus
{
    /// <summary>Beyond the requester's limit: waiting for someone whose limit covers it.</summary>
    PendingApproval,

    /// <summary>On the ledger (<see cref="BalanceChangeRecord.EntryId"/>).</summary>
    Posted,

    /// <summary>Refused by the approver; nothing was posted.</summary>
    Rejected,
}

/// <summary>
/// The register of adjustments, credit memos and bad-debt write-offs made by hand: with their reason code, the
/// invoice they concern, who asked, who approved, and the ledger entry once posted.
/// </summary>
public sealed class BalanceChangeRecord
{
    public Guid Id { get; set; }
    public AccountId AccountId { get; set; }
    public DebtorId DebtorId { get; set; }
    public BalanceChangeKind Kind { get; set; }
    public Currency Currency { get; set; }

    /// <summary>Signed for an adjustment (positive increases the balance); the positive size for a credit memo or write-off.</summary>
    public long AmountMinor { get; set; }

    public InvoiceId? InvoiceId { get; set; }
    public string? InvoiceNumber { get; set; }

    /// <summary>A reason code (<c>billing_error</c>, <c>pricing</c>, <c>bankruptcy</c>, …).</summary>
    public string Reason { get; set; } = "";

    public string? Note { get; set; }
    public DateOnly EffectiveOn { get; set; }
    public BalanceChangeStatus Status { get; set; }
    public string RequestedBy { get; set; } = "";
    public string RequestedByRole { get; set; } = "";
    public DateTimeOffset RequestedAt { get; set; }
    public string? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public LedgerEntryId? EntryId { get; set; }
}

/// <summary>One small-balance write-off run for an as-of date: what it wrote off, and whether it finished.</summary>
public sealed class SmallBalanceRunRecord
{
    public DateOnly AsOf { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public int Accounts { get; set; }

    /// <summary>Totals per currency, one <c>USD 12.34</c> per line.</summary>
    public string Totals { get; set; } = "";

    public string RunBy { get; set; } = "";
}

internal sealed class AdjustmentTableConfigurations : IEntityTypeConfiguration<BalanceChangeRecord>, IEntityTypeConfiguration<SmallBalanceRunRecord>
{
    public void Configure(EntityTypeBuilder<BalanceChangeRecord> builder)
    {
        builder.ToTable("balance_changes");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.InvoiceNumber).HasMaxLength(100);
        builder.Property(c => c.Reason).HasMaxLength(64);
        builder.Property(c => c.Note).HasMaxLength(1000);
        builder.Property(c => c.RequestedBy).HasMaxLength(256);
        builder.Property(c => c.RequestedByRole).HasMaxLength(32);
        builder.Property(c => c.DecidedBy).HasMaxLength(256);
        builder.HasIndex(c => c.AccountId);
        builder.HasIndex(c => c.Status);
    }

    public void Configure(EntityTypeBuilder<SmallBalanceRunRecord> builder)
    {
        builder.ToTable("small_balance_runs");
        builder.HasKey(r => r.AsOf);
        builder.Property(r => r.Totals).HasMaxLength(2000);
        builder.Property(r => r.RunBy).HasMaxLength(256);
    }
}
