using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Recoup.Domain;
using Recoup.Domain.Conversations;
using Recoup.Domain.Debtors;

namespace Recoup.Data.Conversations;

internal sealed class InteractionConfiguration : IEntityTypeConfiguration<Interaction>
{
    public void Configure(EntityTypeBuilder<Interaction> builder)
    {
        builder.HasKey(i => i.Id);
        builder.HasOne<Debtor>().WithMany().HasForeignKey(i => i.DebtorId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ContactPoint>().WithMany().HasForeignKey(i => i.ContactPointId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Interaction>().WithMany().HasForeignKey(i => i.Corrects).OnDelete(DeleteBehavior.Restrict);
        builder.Property(i => i.AccountIds).HasConversion(new AccountIdsConverter(), AccountIdsConverter.Comparer).HasMaxLength(400);
        builder.Property(i => i.Notes).HasMaxLength(4000);
        builder.Property(i => i.RecordedBy).HasMaxLength(256);
        builder.HasIndex(i => new { i.DebtorId, i.OccurredAt });
        builder.HasIndex(i => new { i.RecordedBy, i.OccurredAt });
        builder.HasIndex(i => i.Corrects);
    }

    /// <summary>The accounts an interaction covered, stored as their ids separated by spaces.</summary>
    private sealed class AccountIdsConverter() : ValueConverter<IReadOnlyList<AccountId>, string>(
        ids => string.Join(' ', ids.Select(i => i.Value.ToString("N"))),
        text => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(t => new AccountId(Guid.ParseExact(t, "N"))).ToList())
    {
        public static readonly ValueComparer<IReadOnlyList<AccountId>> Comparer = new(
            (a, b) => a!.SequenceEqual(b!), ids => ids.Aggregate(0, (h, i) => HashCode.Combine(h, i)), ids => ids.ToList());
    }
}
