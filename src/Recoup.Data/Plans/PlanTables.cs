using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Recoup.Domain;
using Recoup.Domain.Plans;

namespace Recoup.Data.Plans;

/// <summary>A promise to pay, as taken from the debtor; the daily monitoring keeps its status.</summary>
public sealed class PromiseRecord
{
    public Guid Id { get; set; }
    public AccountId AccountId { get; set; }
    public DebtorId DebtorId { get; set; }
    public Currency Currency { get; set; }
    public long AmountMinor { get; set; }

    /// <summary>The date the debtor promised to pay by.</summary>
    public DateOnly PromisedFor { get; set; }

    /// <summary>The business date it was taken: payments from this date on count toward it.</summary>
    public DateOnly TakenOn { get; set; }

    /// <summary>How it was taken: call, email, sms, letter, portal, in_person.</summary>
    public string Channel { get; set; } = "";

    public string TakenBy { get; set; } = "";
    public DateTimeOffset TakenAt { get; set; }
    public PromiseStatus Status { get; set; }

    /// <summary>What the monitoring last found paid toward it.</summary>
    public long PaidMinor { get; set; }

    /// <summary>The date it became kept, partially kept, broken or cancelled.</summary>
    public DateOnly? ResolvedOn { get; set; }

    public string? Note { get; set; }
    public string? CancelledBy { get; set; }
    public string? CancelReason { get; set; }
}

/// <summary>A payment plan's terms and status. Its schedule is in <see cref="PlanInstallmentRecord"/>, one set of rows per version.</summary>
public sealed class PaymentPlanRecord
{
    public Guid Id { get; set; }
    public AccountId AccountId { get; set; }
    public DebtorId DebtorId { get; set; }
    public Currency Currency { get; set; }
    public long TotalMinor { get; set; }
    public long DownPaymentMinor { get; set; }
    public PlanFrequency Frequency { get; set; }
    public DateOnly FirstDue { get; set; }

    /// <summary>Payments on the account from this business date on count toward the plan (the day it was agreed).</summary>
    public DateOnly StartOn { get; set; }

    public PlanStatus Status { get; set; }

    /// <summary>The date the plan completed, defaulted or was cancelled.</summary>
    public DateOnly? StatusSince { get; set; }

    /// <summary>The schedule in force: 1 when created, one more at each re-age, skip or reschedule.</summary>
    public int ScheduleVersion { get; set; }

    /// <summary>The policy limits the plan goes beyond, one per line; null when it keeps them all.</summary>
    public string? PolicyBreaches { get; set; }

    public string CreatedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public string? ApprovedBy { get; set; }
    public DateTimeOffset? ApprovedAt { get; set; }

    /// <summary>The settlement the plan pays, when it is a settlement in installments.</summary>
    public Guid? SettlementId { get; set; }
}

/// <summary>One installment of one version of a plan's schedule, with what the monitoring last found paid.</summary>
public sealed class PlanInstallmentRecord
{
    public Guid PlanId { get; set; }
    public int Version { get; set; }
    public int Number { get; set; }
    public DateOnly Due { get; set; }
    public long AmountMinor { get; set; }
    public long PaidMinor { get; set; }
    public DateOnly? CoveredOn { get; set; }
    public InstallmentStatus Status { get; set; }

    /// <summary>The day a payment for it came back (an ACH return): unpaid, it counts as missed at once.</summary>
    public DateOnly? ReturnedOn { get; set; }
}

/// <summary>How a plan's schedule came to be: created, re-aged, skipped, rescheduled — by whom, when and why.</summary>
public sealed class PlanRevisionRecord
{
    public Guid PlanId { get; set; }
    public int Version { get; set; }

    /// <summary><c>created</c>, <c>reage</c>, <c>skip</c> or <c>reschedule</c>.</summary>
    public string Kind { get; set; } = "";

    public string? Reason { get; set; }
    public string By { get; set; } = "";
    public DateTimeOffset At { get; set; }
}

/// <summary>How a settlement is paid.</summary>
public enum SettlementKind
{
    LumpSum,
    Installments,
}

/// <summary>Where a settlement stands.</summary>
public enum SettlementStatus
{
    /// <summary>Beyond the offerer's authority: waiting for someone senior enough.</summary>
    PendingApproval,

    /// <summary>Agreed; waiting for the money.</summary>
    Active,

    /// <summary>Paid: the rest of the balance was written off with reason "settlement".</summary>
    Completed,

    /// <summary>Not paid in time (or its plan defaulted): the full balance is owed again.</summary>
    Broken,

    /// <summary>Withdrawn or refused before it was paid.</summary>
    Withdrawn,
}

/// <summary>An agreement to take less than the balance in full settlement.</summary>
public sealed class SettlementRecord
{
    public Guid Id { get; set; }
    public AccountId AccountId { get; set; }
    public DebtorId DebtorId { get; set; }
    public Currency Currency { get; set; }

    /// <summary>The balance when the offer was made.</summary>
    public long BalanceMinor { get; set; }

    /// <summary>What the debtor pays to settle.</summary>
    public long AmountMinor { get; set; }

    /// <summary>(balance − amount) / balance, in percent, to four decimals: derived, never stored.</summary>
    public decimal DiscountPercent => BalanceMinor <= 0 ? 0 : decimal.Round((BalanceMinor - AmountMinor) * 100m / BalanceMinor, 4);
    public SettlementKind Kind { get; set; }

    /// <summary>For a lump sum: the date it must be paid by.</summary>
    public DateOnly? DueOn { get; set; }

    /// <summary>For installments: the plan that pays it (made when the settlement is agreed).</summary>
    public Guid? PlanId { get; set; }

    /// <summary>For installments: how often, from when, and how many.</summary>
    public PlanFrequency? Frequency { get; set; }

    public DateOnly? FirstDue { get; set; }
    public int? Installments { get; set; }

    public DateOnly StartOn { get; set; }
    public SettlementStatus Status { get; set; }
    public DateOnly? ResolvedOn { get; set; }
    public string OfferedBy { get; set; } = "";
    public string OfferedByRole { get; set; } = "";
    public DateTimeOffset OfferedAt { get; set; }
    public string? ApprovedBy { get; set; }
    public DateTimeOffset? ApprovedAt { get; set; }
    public long PaidMinor { get; set; }

    /// <summary>The ledger entry that wrote off the rest when it completed.</summary>
    public LedgerEntryId? WriteOffEntryId { get; set; }
}

internal sealed class PlanTableConfigurations :
    IEntityTypeConfiguration<PromiseRecord>,
    IEntityTypeConfiguration<PaymentPlanRecord>,
    IEntityTypeConfiguration<PlanInstallmentRecord>,
    IEntityTypeConfiguration<PlanRevisionRecord>,
    IEntityTypeConfiguration<SettlementRecord>
{
    public void Configure(EntityTypeBuilder<PromiseRecord> builder)
    {
        builder.ToTable("promises");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Channel).HasMaxLength(32);
        builder.Property(p => p.TakenBy).HasMaxLength(256);
        builder.Property(p => p.Note).HasMaxLength(1000);
        builder.Property(p => p.CancelledBy).HasMaxLength(256);
        builder.Property(p => p.CancelReason).HasMaxLength(1000);
        builder.HasIndex(p => p.AccountId);
        builder.HasIndex(p => new { p.Status, p.PromisedFor });
    }

    public void Configure(EntityTypeBuilder<PaymentPlanRecord> builder)
    {
        builder.ToTable("payment_plans");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.PolicyBreaches).HasMaxLength(2000);
        builder.Property(p => p.CreatedBy).HasMaxLength(256);
        builder.Property(p => p.ApprovedBy).HasMaxLength(256);
        builder.HasIndex(p => p.AccountId);
        builder.HasIndex(p => p.Status);
    }

    public void Configure(EntityTypeBuilder<PlanInstallmentRecord> builder)
    {
        builder.ToTable("plan_installments");
        builder.HasKey(i => new { i.PlanId, i.Version, i.Number });
    }

    public void Configure(EntityTypeBuilder<PlanRevisionRecord> builder)
    {
        builder.ToTable("plan_revisions");
        builder.HasKey(r => new { r.PlanId, r.Version });
        builder.Property(r => r.Kind).HasMaxLength(32);
        builder.Property(r => r.Reason).HasMaxLength(1000);
        builder.Property(r => r.By).HasMaxLength(256);
    }

    public void Configure(EntityTypeBuilder<SettlementRecord> builder)
    {
        builder.ToTable("settlements");
        builder.HasKey(s => s.Id);
        builder.Ignore(s => s.DiscountPercent);
        builder.Property(s => s.OfferedBy).HasMaxLength(256);
        builder.Property(s => s.OfferedByRole).HasMaxLength(32);
        builder.Property(s => s.ApprovedBy).HasMaxLength(256);
        builder.HasIndex(s => s.AccountId);
        builder.HasIndex(s => s.Status);
    }
}
