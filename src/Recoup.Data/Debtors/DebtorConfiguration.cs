using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Recoup.Domain.Debtors;

namespace Recoup.Data.Debtors;

internal sealed class DebtorConfiguration : IEntityTypeConfiguration<Debtor>
{
    public void Configure(EntityTypeBuilder<Debtor> builder)
    {
        builder.HasKey(d => d.Id);
        builder.Property(d => d.ExternalId).HasMaxLength(64);
        builder.HasIndex(d => d.ExternalId).IsUnique();
        builder.Property(d => d.Name).HasMaxLength(200);
        builder.Property(d => d.TimeZone).HasMaxLength(64);
        builder.HasMany(d => d.ContactPoints).WithOne().HasForeignKey(c => c.DebtorId).OnDelete(DeleteBehavior.Restrict);
        builder.Navigation(d => d.ContactPoints).HasField("_contactPoints");
    }
}

internal sealed class ContactPointConfiguration : IEntityTypeConfiguration<ContactPoint>
{
    public void Configure(EntityTypeBuilder<ContactPoint> builder)
    {
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Value).HasMaxLength(320);
        builder.HasIndex(c => c.DebtorId);
        builder.OwnsOne(c => c.Address, address =>
        {
            address.Property(a => a.Line1).HasMaxLength(200);
            address.Property(a => a.City).HasMaxLength(100);
            address.Property(a => a.Region).HasMaxLength(100);
            address.Property(a => a.PostalCode).HasMaxLength(20);
            address.Property(a => a.Country).HasMaxLength(2);
        });
    }
}
