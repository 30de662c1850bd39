using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Recoup.Domain;

namespace Recoup.Data.Payments;

/// <summary>
/// A card payment taken through the payment gateway: the gateway's token and transaction id, and the
/// card masked to brand and last four. The full card number and the CVV are never stored.
/// </summary>
public sealed class CardPaymentRecord
{
    public Guid Id { get; set; }
    public Guid AccountId { get; set; }

    /// <summary>The payment's ledger entry.</summary>
    public Guid EntryId { get; set; }

    /// <summary>The gateway's name (<c>test</c>, …).</summary>
    public string Gateway { get; set; } = "";

    /// <summary>The gateway's id of the captured charge: what a refund is made against.</summary>
    public string TransactionId { get; set; } = "";

    /// <summary>The gateway's token standing for the card.</summary>
    public string Token { get; set; } = "";

    public string Brand { get; set; } = "";
    public string Last4 { get; set; } = "";
    public int ExpMonth { get; set; }
    public int ExpYear { get; set; }
    public string? CardholderName { get; set; }
    public long AmountMinor { get; set; }
    public Currency Currency { get; set; }

    /// <summary>How much of it has been refunded to the card.</summary>
    public long RefundedMinor { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
}

/// <summary>What a refund pays back.</summary>
public enum RefundKind
{
    /// <summary>Unapplied credit: money received beyond what was owed.</summary>
    Overpayment,

    /// <summary>A payment received twice: the second is paid back.</summary>
    DuplicatePayment,
}

/// <summary>Where a refund is in its life.</summary>
public enum RefundStatus
{
    /// <summary>Above the approval threshold: waits for a supervisor or manager.</summary>
    PendingApproval,

    /// <summary>Posted to the ledger and sent out (to the card, or as a payment instruction).</summary>
    Completed,

    /// <summary>Refused by the approver; nothing was posted.</summary>
    Rejected,

    /// <summary>The gateway or the ledger refused it when it was carried out; nothing was posted.</summary>
    Failed,
}

/// <summary>How a refund leaves.</summary>
public enum RefundChannel
{
    /// <summary>Back to the card, through the payment gateway, against the original charge.</summary>
    Card,

    /// <summary>A payment instruction for finance (check or transfer), written to the outbox.</summary>
    PaymentInstruction,
}

/// <summary>A refund requested for an account: who asked, who decided, what was posted and how it left.</summary>
public sealed class RefundRecord
{
    public Guid Id { get; set; }
    public Guid AccountId { get; set; }
    public RefundKind Kind { get; set; }

    /// <summary>The payment refunded (a duplicate, or a card payment refunded to its card); none for a refund of credit.</summary>
    public Guid? PaymentEntryId { get; set; }

    public long AmountMinor { get; set; }
    public Currency Currency { get; set; }
    public string Reason { get; set; } = "";
    public RefundStatus Status { get; set; }
    public RefundChannel Channel { get; set; }
    public string RequestedBy { get; set; } = "";
    public DateTimeOffset RequestedAt { get; set; }
    public string? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? DecisionNote { get; set; }

    /// <summary>The refund's ledger entry, once posted.</summary>
    public Guid? RefundEntryId { get; set; }

    /// <summary>The gateway's id of the refund, for a refund to a card.</summary>
    public string? GatewayRefundId { get; set; }

    /// <summary>The payment instruction written to the outbox, for a refund by check or transfer.</summary>
    public Guid? OutboxMessageId { get; set; }

    public string? FailureReason { get; set; }
}

internal sealed class CardPaymentConfiguration : IEntityTypeConfiguration<CardPaymentRecord>
{
    public void Configure(EntityTypeBuilder<CardPaymentRecord> builder)
    {
        builder.ToTable("card_payments");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Gateway).HasMaxLength(32);
        builder.Property(c => c.TransactionId).HasMaxLength(128);
        builder.Property(c => c.Token).HasMaxLength(128);
        builder.Property(c => c.Brand).HasMaxLength(32);
        builder.Property(c => c.Last4).HasMaxLength(4);
        builder.Property(c => c.CardholderName).HasMaxLength(200);
        builder.Property(c => c.CreatedBy).HasMaxLength(256);
        builder.HasIndex(c => c.EntryId).IsUnique();
        builder.HasIndex(c => c.AccountId);
    }
}

internal sealed class RefundConfiguration : IEntityTypeConfiguration<RefundRecord>
{
    public void Configure(EntityTypeBuilder<RefundRecord> builder)
    {
        builder.ToTable("refunds");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Reason).HasMaxLength(500);
        builder.Property(r => r.RequestedBy).HasMaxLength(256);
        builder.Property(r => r.DecidedBy).HasMaxLength(256);
        builder.Property(r => r.DecisionNote).HasMaxLength(500);
        builder.Property(r => r.GatewayRefundId).HasMaxLength(128);
        builder.Property(r => r.FailureReason).HasMaxLength(500);
        builder.HasIndex(r => r.AccountId);
        builder.HasIndex(r => r.Status);

        // Two deciders at once: the second one's update finds the status changed and fails.
        builder.Property(r => r.Status).IsConcurrencyToken();
        builder.HasIndex(r => r.PaymentEntryId);
    }
}
