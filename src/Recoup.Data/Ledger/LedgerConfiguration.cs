using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Recoup.Domain.Ledger;

namespace Recoup.Data.Ledger;

internal sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> builder)
    {
        builder.HasKey(a => a.Id);
        builder.HasOne(a => a.Debtor).WithMany().HasForeignKey(a => a.DebtorId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(a => new { a.DebtorId, a.Currency }).IsUnique();
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.Property(a => a.DelinquencyReason).HasMaxLength(32);
    }
}

internal sealed class InvoiceConfiguration : IEntityTypeConfiguration<Invoice>
{
    public void Configure(EntityTypeBuilder<Invoice> builder)
    {
        builder.HasKey(i => i.Id);
        builder.HasOne<Account>().WithMany().HasForeignKey(i => i.AccountId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(i => i.Number).HasMaxLength(64);
        builder.HasIndex(i => i.Number).IsUnique();
        builder.HasIndex(i => i.AccountId);
    }
}

internal sealed class LedgerEntryConfiguration : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> builder)
    {
        builder.HasKey(e => e.Id);
        builder.HasOne<Account>().WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Invoice>().WithMany().HasForeignKey(e => e.InvoiceId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<LedgerEntry>().WithMany().HasForeignKey(e => e.ReversesEntryId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(e => new { e.AccountId, e.Sequence }).IsUnique();

        // Unique where present: NULLs never collide, on SQLite or PostgreSQL.
        builder.Property(e => e.SourceId).HasMaxLength(128);
        builder.HasIndex(e => e.SourceId).IsUnique();
        builder.HasIndex(e => e.ReversesEntryId).IsUnique();

        // The reversals of a batch of accounts (the risk score's returned payments), without reading every entry of
        // those accounts: a small index, as reversals are few, that no other entry is written to.
        builder.HasIndex(e => new { e.AccountId, e.EffectiveDate }).HasFilter("kind = 'Reversal'").HasDatabaseName("ix_ledger_entries_reversals");
        builder.Property(e => e.Reference).HasMaxLength(128);
        builder.Property(e => e.Memo).HasMaxLength(500);
    }
}

internal sealed class AllocationConfiguration : IEntityTypeConfiguration<Allocation>
{
    public void Configure(EntityTypeBuilder<Allocation> builder)
    {
        builder.HasKey(a => new { a.EntryId, a.Line });
        builder.HasOne<LedgerEntry>().WithMany().HasForeignKey(a => a.EntryId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Account>().WithMany().HasForeignKey(a => a.AccountId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Invoice>().WithMany().HasForeignKey(a => a.InvoiceId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(a => new { a.InvoiceId, a.EffectiveDate });
        builder.HasIndex(a => a.AccountId);
    }
}
