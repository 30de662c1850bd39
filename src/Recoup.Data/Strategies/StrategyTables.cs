using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Recoup.Domain;
using Recoup.Domain.Debtors;

namespace Recoup.Data.Strategies;

/// <summary>
/// One saved version of a strategy. Saving a strategy adds a version; the highest version of a debt
/// type's strategy is the one the run follows, and every earlier one is kept (a run records the
/// version each account followed).
/// </summary>
public sealed class StrategyVersionRecord
{
    public Guid Id { get; set; }

    /// <summary>The kind of debt it is the strategy for.</summary>
    public DebtType DebtType { get; set; }

    public int Version { get; set; }
    public string Name { get; set; } = "";

    /// <summary>The definition as JSON (docs/strategies.md).</summary>
    public string Definition { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
}

/// <summary>Where an account is in its strategy: its current delinquency, and the strategy, segment and arm it followed last.</summary>
public sealed class AccountStrategyState
{
    public AccountId AccountId { get; set; }

    /// <summary>Names the account's current delinquency (the business date it was first seen past due); reset when the account is cured.</summary>
    public string Episode { get; set; } = "";

    public DebtType DebtType { get; set; }
    public int StrategyVersion { get; set; }
    public string Segment { get; set; } = "";
    public string Arm { get; set; } = "";
    public DateOnly LastRunOn { get; set; }
}

/// <summary>A step taken on an account, so that it is never taken twice (its key is unique per account).</summary>
public sealed class StrategyStepTaken
{
    public AccountId AccountId { get; set; }

    /// <summary>The evaluator's key: the step's key and its delinquency, invoice or event.</summary>
    public string TakenKey { get; set; } = "";

    public Guid RunId { get; set; }
    public DateOnly AsOf { get; set; }
    public string StepKey { get; set; } = "";
    public string Action { get; set; } = "";

    /// <summary>done (the step was carried out), superseded (a further step of the same kind was taken instead).</summary>
    public string Outcome { get; set; } = "";

    public string Segment { get; set; } = "";
    public string Arm { get; set; } = "";
}

/// <summary>Where a daily run is.</summary>
public enum CollectionRunStatus
{
    Running,
    Completed,
    Failed,
}

/// <summary>
/// One daily collections run for a business date: when it started and ended, how far it got (the last
/// committed batch, from which a crashed run resumes) and what it did.
/// </summary>
public sealed class CollectionRun
{
    public Guid Id { get; set; }
    public DateOnly AsOf { get; set; }
    public CollectionRunStatus Status { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>The last account of the last committed batch; the next batch starts after it.</summary>
    public Guid? Cursor { get; set; }

    public int Accounts { get; set; }

    /// <summary>Counts as JSON: steps per action, blocked by compliance, broken promises, missed installments, write-offs.</summary>
    public string Counts { get; set; } = "{}";

    public string? Error { get; set; }
    public string StartedBy { get; set; } = "";
}

/// <summary>A lease in the database that lets one process at a time do a job (the daily run) whatever the number of nodes.</summary>
public sealed class JobLease
{
    public string Name { get; set; } = "";
    public string Holder { get; set; } = "";
    public DateTimeOffset ExpiresAt { get; set; }
}

internal sealed class StrategyVersionConfiguration : IEntityTypeConfiguration<StrategyVersionRecord>
{
    public void Configure(EntityTypeBuilder<StrategyVersionRecord> builder)
    {
        builder.ToTable("strategy_versions");
        builder.HasKey(v => v.Id);
        builder.Property(v => v.DebtType).HasConversion<string>().HasMaxLength(32);
        builder.HasIndex(v => new { v.DebtType, v.Version }).IsUnique();
        builder.Property(v => v.Name).HasMaxLength(200);
        builder.Property(v => v.Definition).HasMaxLength(200_000);
        builder.Property(v => v.CreatedBy).HasMaxLength(256);
    }
}

internal sealed class AccountStrategyStateConfiguration : IEntityTypeConfiguration<AccountStrategyState>
{
    public void Configure(EntityTypeBuilder<AccountStrategyState> builder)
    {
        builder.ToTable("account_strategy_states");
        builder.HasKey(s => s.AccountId);
        builder.Property(s => s.Episode).HasMaxLength(32);
        builder.Property(s => s.DebtType).HasConversion<string>().HasMaxLength(32);
        builder.Property(s => s.Segment).HasMaxLength(200);
        builder.Property(s => s.Arm).HasMaxLength(200);
    }
}

internal sealed class StrategyStepTakenConfiguration : IEntityTypeConfiguration<StrategyStepTaken>
{
    public void Configure(EntityTypeBuilder<StrategyStepTaken> builder)
    {
        builder.ToTable("strategy_steps_taken");
        builder.HasKey(s => new { s.AccountId, s.TakenKey });
        builder.Property(s => s.TakenKey).HasMaxLength(300);
        builder.Property(s => s.StepKey).HasMaxLength(100);
        builder.Property(s => s.Action).HasMaxLength(32);
        builder.Property(s => s.Outcome).HasMaxLength(32);
        builder.Property(s => s.Segment).HasMaxLength(200);
        builder.Property(s => s.Arm).HasMaxLength(200);
        builder.HasIndex(s => s.RunId);
    }
}

internal sealed class CollectionRunConfiguration : IEntityTypeConfiguration<CollectionRun>
{
    public void Configure(EntityTypeBuilder<CollectionRun> builder)
    {
        builder.ToTable("collection_runs");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.HasIndex(r => r.AsOf);
        builder.Property(r => r.Counts).HasMaxLength(8000);
        builder.Property(r => r.Error).HasMaxLength(4000);
        builder.Property(r => r.StartedBy).HasMaxLength(256);
    }
}

internal sealed class JobLeaseConfiguration : IEntityTypeConfiguration<JobLease>
{
    public void Configure(EntityTypeBuilder<JobLease> builder)
    {
        builder.ToTable("job_leases");
        builder.HasKey(l => l.Name);
        builder.Property(l => l.Name).HasMaxLength(64);
        builder.Property(l => l.Holder).HasMaxLength(256);
    }
}
