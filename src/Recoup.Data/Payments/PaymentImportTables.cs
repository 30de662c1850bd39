using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Recoup.Domain;

namespace Recoup.Data.Payments;

/// <summary>
/// One bank or lockbox file that was imported, recorded by the SHA-256 of its content (unique), so
/// the same file is never posted twice, whatever its name.
/// </summary>
public sealed class PaymentImport
{
    public Guid Id { get; set; }

    /// <summary><c>csv</c>, <c>bai2</c>, <c>camt053</c>, <c>camt054</c> or <c>nacha-returns</c>.</summary>
    public string Format { get; set; } = "";

    public string FileName { get; set; } = "";

    /// <summary>The lower-case hex SHA-256 of the file's bytes.</summary>
    public string ContentHash { get; set; } = "";

    /// <summary>Payments read from the file.</summary>
    public int Records { get; set; }

    /// <summary>Payments posted by cash application without a person.</summary>
    public int Matched { get; set; }

    /// <summary>Payments put in the unmatched queue.</summary>
    public int Unmatched { get; set; }

    /// <summary>Payments refused outright (e.g. an unknown currency), with their lines in <see cref="RejectedLines"/>.</summary>
    public int Rejected { get; set; }

    /// <summary>The file's total per currency, e.g. <c>USD 1234.50; EUR 10.00</c>.</summary>
    public string Totals { get; set; } = "";

    /// <summary>Rejected records, one per line of text: <c>LINE: reason</c>.</summary>
    public string RejectedLines { get; set; } = "";

    /// <summary>Matched ÷ records, in percent with one decimal.</summary>
    public decimal AutoMatchRate { get; set; }

    public string ImportedBy { get; set; } = "";
    public DateTimeOffset ImportedAt { get; set; }
}

/// <summary>Where a payment in the unmatched queue is.</summary>
public enum UnmatchedStatus
{
    /// <summary>Waiting for a person to find its account.</summary>
    Open,

    /// <summary>Posted to an account by a person.</summary>
    Matched,

    /// <summary>Sent back to the payer through the bank: it will never be posted.</summary>
    ReturnedToBank,
}

/// <summary>
/// A payment from an imported file that cash application could not place with confidence: its data
/// as the file gave it, why it was not posted, and the best suggestions, until a person matches it.
/// </summary>
public sealed class UnmatchedPayment
{
    public Guid Id { get; set; }
    public Guid ImportId { get; set; }

    /// <summary>The line of the file where the payment starts.</summary>
    public int Line { get; set; }

    /// <summary>The id the payment posts under (<see cref="Domain.Ledger.LedgerEntry.SourceId"/>): it can be posted once only.</summary>
    public string SourceId { get; set; } = "";

    public long AmountMinor { get; set; }
    public Currency Currency { get; set; }
    public DateOnly? ValueDate { get; set; }
    public string? PayerName { get; set; }
    public string? BankReference { get; set; }

    /// <summary>What the payer quoted, in file order, one per line of text (see <see cref="ReferenceList"/>).</summary>
    public string References { get; set; } = "";

    public string? RemittanceText { get; set; }
    public string TypeCode { get; set; } = "";

    /// <summary>Why it was not posted automatically.</summary>
    public string Reason { get; set; } = "";

    /// <summary>The best suggestions as JSON: <c>[{"account_id","debtor_id","name","invoice_number","confidence","reason"}]</c>.</summary>
    public string Suggestions { get; set; } = "[]";

    public UnmatchedStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public Guid? MatchedAccountId { get; set; }
    public Guid? MatchedEntryId { get; set; }
    public string? MatchedBy { get; set; }
    public DateTimeOffset? MatchedAt { get; set; }

    /// <summary>Why the money was sent back to the payer (<see cref="UnmatchedStatus.ReturnedToBank"/>).</summary>
    public string? ReturnReason { get; set; }

    public string? ReturnedBy { get; set; }
    public DateTimeOffset? ReturnedAt { get; set; }

    /// <summary>The payment instruction in the outbox that sends the money back.</summary>
    public Guid? ReturnInstructionId { get; set; }

    public Money Amount => new(AmountMinor, Currency);

    public IReadOnlyList<string> ReferenceList => References.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

internal sealed class PaymentImportConfiguration : IEntityTypeConfiguration<PaymentImport>
{
    public void Configure(EntityTypeBuilder<PaymentImport> builder)
    {
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Format).HasMaxLength(16);
        builder.Property(i => i.FileName).HasMaxLength(256);
        builder.Property(i => i.ContentHash).HasMaxLength(64);
        builder.HasIndex(i => i.ContentHash).IsUnique();
        builder.Property(i => i.Totals).HasMaxLength(1000);
        builder.Property(i => i.RejectedLines).HasMaxLength(100_000);
        builder.Property(i => i.AutoMatchRate).HasPrecision(5, 1);
        builder.Property(i => i.ImportedBy).HasMaxLength(256);
    }
}

internal sealed class UnmatchedPaymentConfiguration : IEntityTypeConfiguration<UnmatchedPayment>
{
    public void Configure(EntityTypeBuilder<UnmatchedPayment> builder)
    {
        builder.HasKey(p => p.Id);
        builder.HasOne<PaymentImport>().WithMany().HasForeignKey(p => p.ImportId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(p => p.SourceId).HasMaxLength(128);
        builder.HasIndex(p => p.SourceId).IsUnique();
        builder.HasIndex(p => new { p.Status, p.CreatedAt });
        builder.HasIndex(p => p.ImportId);
        builder.Property(p => p.PayerName).HasMaxLength(200);
        builder.Property(p => p.BankReference).HasMaxLength(128);
        builder.Property(p => p.References).HasMaxLength(4000);
        builder.Property(p => p.RemittanceText).HasMaxLength(4000);
        builder.Property(p => p.TypeCode).HasMaxLength(64);
        builder.Property(p => p.Reason).HasMaxLength(1000);
        builder.Property(p => p.Suggestions).HasMaxLength(8000);
        builder.Property(p => p.MatchedBy).HasMaxLength(256);
        builder.Property(p => p.ReturnReason).HasMaxLength(500);
        builder.Property(p => p.ReturnedBy).HasMaxLength(256);
        builder.Ignore(p => p.Amount);
        builder.Ignore(p => p.ReferenceList);
    }
}
