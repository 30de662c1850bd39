using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Recoup.Domain.Debtors;
using Recoup.Domain.Ledger;
using Recoup.Domain.WorkQueues;

namespace Recoup.Data.WorkQueues;

/// <summary>A collector as the work queues see them: how many accounts they can carry, and whether they take new ones.</summary>
public sealed class CollectorProfile
{
    public string UserName { get; set; } = "";

    /// <summary>The most accounts the collector may have assigned.</summary>
    public int Capacity { get; set; }

    /// <summary>Inactive collectors (on leave, gone) keep no accounts: the next queue build gives theirs to others.</summary>
    public bool Active { get; set; } = true;
}

/// <summary>One assignment rule as stored; see <c>docs/work-queues.md</c>.</summary>
public sealed class AssignmentRuleRecord
{
    public Guid Id { get; set; }

    /// <summary>Rules are tried in this order; the first whose conditions hold assigns the account.</summary>
    public int Order { get; set; }

    public string Name { get; set; } = "";
    public DebtType? DebtType { get; set; }

    /// <summary>Lowest balance (inclusive), in ten-thousandths of the major unit, as <c>AccountSummary.BalanceSortKey</c>.</summary>
    public long? MinBalanceSortKey { get; set; }

    /// <summary>Highest balance (exclusive), same unit.</summary>
    public long? MaxBalanceSortKey { get; set; }

    /// <summary>State or province codes; empty for any region.</summary>
    public IReadOnlyList<string> Regions { get; set; } = [];

    public string? Language { get; set; }

    /// <summary>The user names of the collectors who share the rule's accounts, round robin.</summary>
    public IReadOnlyList<string> Collectors { get; set; } = [];
}

/// <summary>Which collector works an account: the only place assignment is kept (the accounts list joins it; the queue copies it at each build).</summary>
public sealed class AccountAssignment
{
    public Guid AccountId { get; set; }
    public string Collector { get; set; } = "";
    public DateTimeOffset AssignedAt { get; set; }

    /// <summary>The supervisor who moved it, or <c>rule:NAME</c> when a rule assigned it.</summary>
    public string AssignedBy { get; set; } = "";
}

/// <summary>
/// One account in a collector's queue, with its priority, as the last queue build left it. Rebuilt
/// as a whole; <see cref="WorkedAt"/> is set when anything is logged on the account, which takes it
/// out of the "next" order until the next build.
/// </summary>
public sealed class WorkQueueEntry
{
    public Guid AccountId { get; set; }
    public string Collector { get; set; } = "";
    public long Priority { get; set; }
    public Guid DebtorId { get; set; }
    public DateTimeOffset BuiltAt { get; set; }
    public DateTimeOffset? WorkedAt { get; set; }
}

internal sealed class CollectorProfileConfiguration : IEntityTypeConfiguration<CollectorProfile>
{
    public void Configure(EntityTypeBuilder<CollectorProfile> builder)
    {
        builder.HasKey(c => c.UserName);
        builder.Property(c => c.UserName).HasMaxLength(256);
    }
}

internal sealed class AssignmentRuleConfiguration : IEntityTypeConfiguration<AssignmentRuleRecord>
{
    public void Configure(EntityTypeBuilder<AssignmentRuleRecord> builder)
    {
        builder.ToTable("AssignmentRules");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Name).HasMaxLength(100);
        builder.Property(r => r.Language).HasMaxLength(2);
        builder.Property(r => r.Regions).HasConversion(new StringListConverter(), StringListConverter.Comparer).HasMaxLength(2000);
        builder.Property(r => r.Collectors).HasConversion(new StringListConverter(), StringListConverter.Comparer).HasMaxLength(8000);
    }
}

internal sealed class AccountAssignmentConfiguration : IEntityTypeConfiguration<AccountAssignment>
{
    public void Configure(EntityTypeBuilder<AccountAssignment> builder)
    {
        builder.HasKey(a => a.AccountId);
        builder.Property(a => a.Collector).HasMaxLength(256);
        builder.Property(a => a.AssignedBy).HasMaxLength(256);
        builder.HasIndex(a => a.Collector);
    }
}

internal sealed class WorkQueueEntryConfiguration : IEntityTypeConfiguration<WorkQueueEntry>
{
    public void Configure(EntityTypeBuilder<WorkQueueEntry> builder)
    {
        builder.HasKey(e => e.AccountId);
        builder.Property(e => e.Collector).HasMaxLength(256);

        // "Next" reads the highest priority not yet worked: a partial index holds exactly those.
        builder.HasIndex(e => new { e.Collector, e.Priority, e.AccountId }).IsDescending(false, true, false).HasFilter("worked_at IS NULL");
    }
}

internal sealed class FollowUpConfiguration : IEntityTypeConfiguration<FollowUp>
{
    public void Configure(EntityTypeBuilder<FollowUp> builder)
    {
        builder.HasKey(f => f.Id);
        builder.HasOne<Account>().WithMany().HasForeignKey(f => f.AccountId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(f => f.Owner).HasMaxLength(256);
        builder.Property(f => f.DueTimeZone).HasMaxLength(64);

        // A wall-clock time with no zone of its own: text on both providers (PostgreSQL would otherwise want UTC).
        builder.Property(f => f.DueLocal).HasMaxLength(19).HasConversion(
            local => local.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
            text => DateTime.ParseExact(text, "yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None));
        builder.Property(f => f.Note).HasMaxLength(1000);
        builder.Property(f => f.CreatedBy).HasMaxLength(256);
        builder.Property(f => f.ClosedBy).HasMaxLength(256);
        builder.HasIndex(f => new { f.Owner, f.State, f.DueAt });
        builder.HasIndex(f => new { f.AccountId, f.State });
    }
}
