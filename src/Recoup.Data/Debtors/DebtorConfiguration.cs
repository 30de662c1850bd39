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
        builder.Property(d => d.Language).HasMaxLength(2).HasDefaultValue("en");
        builder.Property(d => d.Attorney).HasMaxLength(200);
        builder.Property(d => d.InconvenientTimes).HasMaxLength(400).HasDefaultValue("");
        builder.Property(d => d.OptedOutChannels).HasMaxLength(40).HasDefaultValue("");
        builder.HasOne<Recoup.Domain.Clients.Client>().WithMany().HasForeignKey(d => d.ClientId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(d => d.ClientId);
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
        builder.Property(c => c.Normalized).HasMaxLength(320);
        builder.Property(c => c.SourceDetail).HasMaxLength(100);
        builder.Property(c => c.TimeZones).HasConversion(new StringListConverter(), StringListConverter.Comparer).HasMaxLength(400);
        builder.HasIndex(c => c.DebtorId);
        builder.HasIndex(c => c.Normalized);
        builder.OwnsOne(c => c.AutodialerConsent, consent => consent.Property(x => x.HowObtained).HasMaxLength(200));
        builder.OwnsOne(c => c.TextConsent, consent => consent.Property(x => x.HowObtained).HasMaxLength(200));
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
