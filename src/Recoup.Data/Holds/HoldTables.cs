using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Recoup.Domain;
using Recoup.Domain.Holds;

namespace Recoup.Data.Holds;

/// <summary>
/// A collection hold on an account, or on one invoice of it (<see cref="InvoiceId"/>): in force from
/// <see cref="StartsOn"/> until <see cref="EndsOn"/> (exclusive), or until released. Never deleted.
/// </summary>
public sealed class CollectionHoldRecord
{
    public Guid Id { get; set; }
    public AccountId AccountId { get; set; }
    public DebtorId DebtorId { get; set; }

    /// <summary>The held invoice; null when the whole account is held.</summary>
    public InvoiceId? InvoiceId { get; set; }

    public string? InvoiceNumber { get; set; }
    public string Reason { get; set; } = "";

    /// <summary>The first day held (may be before the day it was set: a backdated hold).</summary>
    public DateOnly StartsOn { get; set; }

    /// <summary>The day collection resumes by itself.</summary>
    public DateOnly EndsOn { get; set; }

    public string SetBy { get; set; } = "";
    public DateTimeOffset SetAt { get; set; }

    public DateTimeOffset? ReleasedAt { get; set; }

    /// <summary>The business date of the release: from it on the hold is no longer in force.</summary>
    public DateOnly? ReleasedOn { get; set; }

    public string? ReleasedBy { get; set; }
    public string? ReleaseReason { get; set; }
}

/// <summary>A business customer's credit hold ("shutdown"): no new orders on credit until it is released.</summary>
public sealed class CreditHoldRecord
{
    public Guid Id { get; set; }
    public DebtorId DebtorId { get; set; }
    public string Reason { get; set; } = "";
    public DateOnly PlacedOn { get; set; }
    public DateTimeOffset PlacedAt { get; set; }
    public string PlacedBy { get; set; } = "";
    public DateOnly? ReleasedOn { get; set; }
    public DateTimeOffset? ReleasedAt { get; set; }
    public string? ReleasedBy { get; set; }
    public string? ReleaseReason { get; set; }
}

/// <summary>An account placed with an attorney or an outside agency.</summary>
public sealed class PlacementRecord
{
    public Guid Id { get; set; }
    public AccountId AccountId { get; set; }
    public DebtorId DebtorId { get; set; }
    public PlacementKind Kind { get; set; }

    /// <summary>The attorney's or agency's name.</summary>
    public string PlacedWith { get; set; } = "";

    public DateOnly PlacedOn { get; set; }

    /// <summary>The balance when placed, in minor units of <see cref="Currency"/>.</summary>
    public long PlacedBalanceMinor { get; set; }

    public Currency Currency { get; set; }

    /// <summary>The contingency fee on what they collect, as a percentage.</summary>
    public decimal FeePercent { get; set; }

    /// <summary>The fee terms in words (e.g. "25 % contingency, 33 % if suit is filed; court costs advanced by client").</summary>
    public string? FeeTerms { get; set; }

    /// <summary>What Recoup may still do while placed: contact channels, space separated (<c>letter</c>); empty for nothing.</summary>
    public string AllowedChannels { get; set; } = "";

    public PlacementStatus Status { get; set; }
    public DateOnly StatusSince { get; set; }
    public string PlacedBy { get; set; } = "";
    public DateTimeOffset PlacedAt { get; set; }

    /// <summary>When it was recalled or returned.</summary>
    public DateTimeOffset? EndedAt { get; set; }

    public string? EndedBy { get; set; }
    public string? Note { get; set; }
}

internal sealed class HoldTablesConfiguration :
    IEntityTypeConfiguration<CollectionHoldRecord>,
    IEntityTypeConfiguration<CreditHoldRecord>,
    IEntityTypeConfiguration<PlacementRecord>
{
    public void Configure(EntityTypeBuilder<CollectionHoldRecord> builder)
    {
        builder.ToTable("collection_holds");
        builder.HasKey(h => h.Id);
        builder.Property(h => h.InvoiceNumber).HasMaxLength(64);
        builder.Property(h => h.Reason).HasMaxLength(CollectionHoldRules.MaxReasonLength);
        builder.Property(h => h.SetBy).HasMaxLength(256);
        builder.Property(h => h.ReleasedBy).HasMaxLength(256);
        builder.Property(h => h.ReleaseReason).HasMaxLength(500);
        builder.HasIndex(h => h.AccountId);
        builder.HasIndex(h => h.DebtorId);
        builder.HasIndex(h => new { h.EndsOn, h.StartsOn });
    }

    public void Configure(EntityTypeBuilder<CreditHoldRecord> builder)
    {
        builder.ToTable("credit_holds");
        builder.HasKey(h => h.Id);
        builder.Property(h => h.Reason).HasMaxLength(500);
        builder.Property(h => h.PlacedBy).HasMaxLength(256);
        builder.Property(h => h.ReleasedBy).HasMaxLength(256);
        builder.Property(h => h.ReleaseReason).HasMaxLength(500);
        builder.HasIndex(h => h.DebtorId);
        builder.HasIndex(h => h.ReleasedAt);
    }

    public void Configure(EntityTypeBuilder<PlacementRecord> builder)
    {
        builder.ToTable("placements");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.PlacedWith).HasMaxLength(200);
        builder.Property(p => p.FeePercent).HasPrecision(9, 4);
        builder.Property(p => p.FeeTerms).HasMaxLength(1000);
        builder.Property(p => p.AllowedChannels).HasMaxLength(64);
        builder.Property(p => p.PlacedBy).HasMaxLength(256);
        builder.Property(p => p.EndedBy).HasMaxLength(256);
        builder.Property(p => p.Note).HasMaxLength(1000);
        builder.HasIndex(p => p.AccountId);
        builder.HasIndex(p => p.DebtorId);
        builder.HasIndex(p => p.Status);
    }
}
