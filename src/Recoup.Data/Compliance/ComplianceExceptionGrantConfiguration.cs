using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Recoup.Domain.Compliance;
using Recoup.Domain.Debtors;
using Recoup.Domain.Ledger;

namespace Recoup.Data.Compliance;

/// <summary>
/// <c>compliance_exception_grants</c>: managers' documented exceptions. Rows are inserted and, once, revoked; never
/// deleted (<see cref="RecoupDbContext"/> refuses).
/// </summary>
internal sealed class ComplianceExceptionGrantConfiguration : IEntityTypeConfiguration<ComplianceExceptionGrant>
{
    public void Configure(EntityTypeBuilder<ComplianceExceptionGrant> builder)
    {
        builder.HasKey(g => g.Id);
        builder.HasOne<Debtor>().WithMany().HasForeignKey(g => g.DebtorId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Account>().WithMany().HasForeignKey(g => g.AccountId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ContactPoint>().WithMany().HasForeignKey(g => g.ContactPointId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(g => g.Rule).HasMaxLength(64);
        builder.Property(g => g.Documentation).HasMaxLength(ComplianceExceptionGrant.MaxDocumentationLength);
        builder.Property(g => g.GrantedBy).HasMaxLength(256);
        builder.Property(g => g.RevokedBy).HasMaxLength(256);

        // Revoked once: of two managers revoking at the same moment, the second finds it already revoked.
        builder.Property(g => g.RevokedAt).IsConcurrencyToken();
        builder.Ignore(g => g.EndsAt);

        // The check reads a debtor's grants that have not ended.
        builder.HasIndex(g => new { g.DebtorId, g.ValidUntil });
    }
}
