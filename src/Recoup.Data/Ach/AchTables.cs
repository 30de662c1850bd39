using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Recoup.Domain;

namespace Recoup.Data.Ach;

/// <summary>Whether an ACH authorization may still be used.</summary>
public enum AchAuthorizationStatus
{
    Active,

    /// <summary>Withdrawn by the debtor or a collector.</summary>
    Revoked,

    /// <summary>A return code said the account must not be debited again (closed, no account, unauthorized…).</summary>
    Stopped,

    /// <summary>A one-time authorization that has been used.</summary>
    Used,
}

/// <summary>
/// The debtor's permission to debit their bank account, as given: once (an amount on a date) or
/// recurring for a plan's installments; kept as the record of the authorization (who took it, how,
/// when, the evidence).
/// </summary>
public sealed class AchAuthorizationRecord
{
    public Guid Id { get; set; }
    public AccountId AccountId { get; set; }
    public DebtorId DebtorId { get; set; }

    /// <summary>True: for every installment of <see cref="PlanId"/>; false: once, <see cref="AmountMinor"/> on <see cref="DebitOn"/>.</summary>
    public bool Recurring { get; set; }

    public Guid? PlanId { get; set; }
    public long? AmountMinor { get; set; }
    public DateOnly? DebitOn { get; set; }
    public string RoutingNumber { get; set; } = "";
    public string BankAccount { get; set; } = "";

    /// <summary><c>checking</c> or <c>savings</c>.</summary>
    public string BankAccountType { get; set; } = "checking";

    public string HolderName { get; set; } = "";

    /// <summary><c>PPD</c> (written or recorded authorization) or <c>WEB</c> (given on-line).</summary>
    public string SecCode { get; set; } = "PPD";

    /// <summary>How it was given and where the proof is: "recorded call 2026-11-23 10:14", "portal consent, IP 203.0.113.5".</summary>
    public string Evidence { get; set; } = "";

    public string AuthorizedBy { get; set; } = "";
    public DateTimeOffset AuthorizedAt { get; set; }
    public AchAuthorizationStatus Status { get; set; }
    public string? StatusReason { get; set; }
    public DateTimeOffset? StatusChangedAt { get; set; }
}

/// <summary>One debit sent in an ACH file: what it collects, the payment posted for it, and its return if it came back.</summary>
public sealed class AchDebitRecord
{
    public Guid Id { get; set; }
    public Guid FileId { get; set; }
    public Guid AuthorizationId { get; set; }
    public AccountId AccountId { get; set; }
    public Guid? PlanId { get; set; }
    public int? PlanVersion { get; set; }
    public int? InstallmentNumber { get; set; }
    public long AmountMinor { get; set; }
    public DateOnly EffectiveDate { get; set; }

    /// <summary>The 15-digit trace number: the ODFI's 8 digits and <see cref="TraceSequence"/>.</summary>
    public string TraceNumber { get; set; } = "";

    public int TraceSequence { get; set; }

    /// <summary>The payment posted when the debit was sent.</summary>
    public LedgerEntryId PaymentEntryId { get; set; }

    public string? ReturnCode { get; set; }
    public DateOnly? ReturnedOn { get; set; }
}

/// <summary>A NACHA file Recoup wrote, or a return file it read (by content hash, so none is applied twice).</summary>
public sealed class AchFileRecord
{
    public Guid Id { get; set; }

    /// <summary><c>debits</c> or <c>returns</c>.</summary>
    public string Kind { get; set; } = "";

    public string FileName { get; set; } = "";
    public string Sha256 { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public int Entries { get; set; }
    public long TotalMinor { get; set; }

    /// <summary>For a debit file, the file itself (it is also in the outbox for the bank).</summary>
    public string? Content { get; set; }
}

internal sealed class AchTableConfigurations :
    IEntityTypeConfiguration<AchAuthorizationRecord>, IEntityTypeConfiguration<AchDebitRecord>, IEntityTypeConfiguration<AchFileRecord>
{
    public void Configure(EntityTypeBuilder<AchAuthorizationRecord> builder)
    {
        builder.ToTable("ach_authorizations");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.RoutingNumber).HasMaxLength(9);
        builder.Property(a => a.BankAccount).HasMaxLength(17);
        builder.Property(a => a.BankAccountType).HasMaxLength(16);
        builder.Property(a => a.HolderName).HasMaxLength(100);
        builder.Property(a => a.SecCode).HasMaxLength(3);
        builder.Property(a => a.Evidence).HasMaxLength(1000);
        builder.Property(a => a.AuthorizedBy).HasMaxLength(256);
        builder.Property(a => a.StatusReason).HasMaxLength(500);
        builder.HasIndex(a => a.AccountId);
        builder.HasIndex(a => new { a.Status, a.PlanId });
    }

    public void Configure(EntityTypeBuilder<AchDebitRecord> builder)
    {
        builder.ToTable("ach_debits");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.TraceNumber).HasMaxLength(15);
        builder.Property(d => d.ReturnCode).HasMaxLength(3);
        builder.HasIndex(d => new { d.TraceNumber, d.EffectiveDate });
        builder.HasIndex(d => new { d.PlanId, d.PlanVersion, d.InstallmentNumber });
        builder.HasIndex(d => d.AuthorizationId);
    }

    public void Configure(EntityTypeBuilder<AchFileRecord> builder)
    {
        builder.ToTable("ach_files");
        builder.HasKey(f => f.Id);
        builder.Property(f => f.Kind).HasMaxLength(16);
        builder.Property(f => f.FileName).HasMaxLength(260);
        builder.Property(f => f.Sha256).HasMaxLength(64);
        builder.Property(f => f.CreatedBy).HasMaxLength(256);
        builder.HasIndex(f => new { f.Kind, f.Sha256 }).IsUnique();
    }
}
