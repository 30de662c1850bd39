using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Recoup.Data.Outbox;

/// <summary>How an outbox message leaves.</summary>
public enum OutboxChannel
{
    Email,
    Sms,
    Letter,

    /// <summary>A JSON notification to another system (e.g. sales, on a credit hold).</summary>
    Webhook,

    /// <summary>An instruction to pay money out (a refund by check or transfer) for finance to execute.</summary>
    PaymentInstruction,

    /// <summary>A generated NACHA file for the bank.</summary>
    AchFile,
}

/// <summary>Where an outbox message is in its life.</summary>
public enum OutboxStatus
{
    /// <summary>Waiting for the dispatcher (not before <see cref="OutboxMessage.NotBefore"/>).</summary>
    Pending,

    /// <summary>The dispatcher has claimed it and is handing it to the provider under <see cref="OutboxMessage.Id"/> as idempotency id.</summary>
    Sending,

    Sent,

    /// <summary>Gave up after the retries, or the provider refused it for good.</summary>
    Failed,

    /// <summary>The compliance gate refused it at the moment of sending.</summary>
    Blocked,

    /// <summary>Withdrawn before it left (the installment it reminded of was paid, the plan was cancelled).</summary>
    Cancelled,
}

/// <summary>
/// Something that must leave the system (an e-mail, a text, a letter, a webhook, a payment
/// instruction, an ACH file), written in the same transaction as the decision that caused it. A
/// dispatcher delivers pending messages with retries; the message's id is the idempotency id the
/// provider sees, so a delivery retried after a crash is never sent twice.
/// </summary>
public sealed class OutboxMessage
{
    public Guid Id { get; set; }
    public OutboxChannel Channel { get; set; }

    /// <summary>What it is for, e.g. <c>installment_reminder</c>, <c>refund</c>, <c>credit_hold</c>.</summary>
    public string Purpose { get; set; } = "";

    public Guid? AccountId { get; set; }
    public Guid? DebtorId { get; set; }

    /// <summary>For a webhook: the subscription it is delivered to (whose secret signs it).</summary>
    public Guid? SubscriptionId { get; set; }

    /// <summary>The address, number or endpoint it goes to.</summary>
    public string Recipient { get; set; } = "";

    /// <summary>The debtor's contact point it goes to (phone, e-mail, address), when it goes to a debtor; the gate checks it again at sending.</summary>
    public Guid? ContactPointId { get; set; }

    public string? Subject { get; set; }

    /// <summary>The text as sent: the plain-text e-mail, the SMS, the letter's text, the webhook's JSON.</summary>
    public string Body { get; set; } = "";

    /// <summary>
    /// The HTML alternative of an e-mail, when there is one. Letters composed from a template leave it null: their HTML
    /// is the text's markup in the standard page, made again where it is shown (the outbox's message page).
    /// </summary>
    public string? HtmlBody { get; set; }

    /// <summary>The template it was rendered from (e.g. <c>first_reminder</c>), with its exact version and language.</summary>
    public string? TemplateKey { get; set; }

    public int? TemplateVersion { get; set; }

    /// <summary>The language it was written in (<c>en</c>, <c>es</c>).</summary>
    public string? Language { get; set; }

    /// <summary>
    /// What the message is about, so it is never written twice for the same thing and can be withdrawn
    /// when that thing no longer needs it, e.g. <c>plan:ID:installment:3:reminder</c>. Unique when set.
    /// </summary>
    public string? DedupKey { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The earliest instant the dispatcher may deliver it (the reminder date, the gate's next allowed time).</summary>
    public DateTimeOffset NotBefore { get; set; }

    public OutboxStatus Status { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>
    /// When a dispatcher claimed it (status <see cref="OutboxStatus.Sending"/>); a claim older than the
    /// dispatcher's lease is taken to be a dispatcher that died, and the message is claimed again.
    /// </summary>
    public DateTimeOffset? ClaimedAt { get; set; }

    /// <summary>The dispatcher (host and process) that holds the claim.</summary>
    public string? ClaimedBy { get; set; }

    /// <summary>The user or process that decided to send it.</summary>
    public string CreatedBy { get; set; } = "";
}

/// <summary>
/// A file sent with an outbox e-mail (a report pack's PDF and XLSX), stored with it so that the message is
/// complete the moment it is written and a retry sends the same bytes.
/// </summary>
public sealed class OutboxAttachment
{
    public Guid Id { get; set; }

    /// <summary>The <see cref="OutboxMessage"/> it belongs to.</summary>
    public Guid OutboxId { get; set; }

    /// <summary>Its place among the message's files, from 0.</summary>
    public int Position { get; set; }

    public string FileName { get; set; } = "";

    /// <summary>The MIME type, e.g. <c>application/pdf</c>.</summary>
    public string ContentType { get; set; } = "";

    public byte[] Content { get; set; } = [];
}

internal sealed class OutboxAttachmentConfiguration : IEntityTypeConfiguration<OutboxAttachment>
{
    public void Configure(EntityTypeBuilder<OutboxAttachment> builder)
    {
        builder.ToTable("outbox_attachments");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.FileName).HasMaxLength(255);
        builder.Property(a => a.ContentType).HasMaxLength(255);
        builder.HasOne<OutboxMessage>().WithMany().HasForeignKey(a => a.OutboxId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => new { a.OutboxId, a.Position }).IsUnique();
    }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("outbox");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Purpose).HasMaxLength(64);
        builder.Property(m => m.Recipient).HasMaxLength(1000);
        builder.Property(m => m.Subject).HasMaxLength(1000);
        builder.Property(m => m.DedupKey).HasMaxLength(200);
        builder.Property(m => m.LastError).HasMaxLength(4000);
        builder.Property(m => m.CreatedBy).HasMaxLength(256);
        builder.Property(m => m.TemplateKey).HasMaxLength(100);
        builder.Property(m => m.Language).HasMaxLength(10);
        builder.Property(m => m.ClaimedBy).HasMaxLength(200);
        builder.HasIndex(m => m.DedupKey).IsUnique();
        builder.HasIndex(m => new { m.Status, m.NotBefore });
        builder.HasIndex(m => m.AccountId);
    }
}
