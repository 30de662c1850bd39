using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Recoup.Domain;
using Recoup.Domain.Charges;
using Recoup.Domain.Debtors;

namespace Recoup.Data.Charges;

/// <summary>
/// Fee and interest terms: of a debt type in a currency (<see cref="DebtorId"/> null), or of one debtor's agreement
/// (which overrides the debt type's). <see cref="Scope"/> is unique: <c>type:consumer:USD</c> or <c>debtor:GUID:USD</c>.
/// </summary>
public sealed class ChargeTermsRecord
{
    public Guid Id { get; set; }
    public string Scope { get; set; } = "";
    public DebtType? DebtType { get; set; }
    public DebtorId? DebtorId { get; set; }
    public Currency Currency { get; set; }
    public LateFeeKind LateFee { get; set; }
    public long LateFeeFlatMinor { get; set; }
    public decimal LateFeePercent { get; set; }
    public long? LateFeeCapMinor { get; set; }
    public int LateFeeGraceDays { get; set; }
    public InterestKind Interest { get; set; }
    public decimal InterestRatePercent { get; set; }
    public string? ReferenceRateName { get; set; }
    public decimal ReferenceRatePercent { get; set; }
    public decimal MarginPercent { get; set; }
    public int InterestGraceDays { get; set; }
    public ChargeAuthority Authority { get; set; }
    public string? AuthorityReference { get; set; }
    public string UpdatedBy { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }

    public static string ScopeOf(DebtType type, Currency currency) => $"type:{type.ToString().ToLowerInvariant()}:{currency.Code}";

    public static string ScopeOf(DebtorId debtor, Currency currency) => $"debtor:{debtor.Value:N}:{currency.Code}";

    public ChargeTerms ToTerms() => new()
    {
        Currency = Currency,
        LateFee = LateFee,
        LateFeeFlatMinor = LateFeeFlatMinor,
        LateFeePercent = LateFeePercent,
        LateFeeCapMinor = LateFeeCapMinor,
        LateFeeGraceDays = LateFeeGraceDays,
        Interest = Interest,
        InterestRatePercent = InterestRatePercent,
        ReferenceRateName = ReferenceRateName,
        ReferenceRatePercent = ReferenceRatePercent,
        MarginPercent = MarginPercent,
        InterestGraceDays = InterestGraceDays,
        Authority = Authority,
        AuthorityReference = AuthorityReference,
    };

    public void CopyFrom(ChargeTerms terms)
    {
        Currency = terms.Currency;
        LateFee = terms.LateFee;
        LateFeeFlatMinor = terms.LateFeeFlatMinor;
        LateFeePercent = terms.LateFeePercent;
        LateFeeCapMinor = terms.LateFeeCapMinor;
        LateFeeGraceDays = terms.LateFeeGraceDays;
        Interest = terms.Interest;
        InterestRatePercent = terms.InterestRatePercent;
        ReferenceRateName = terms.ReferenceRateName;
        ReferenceRatePercent = terms.ReferenceRatePercent;
        MarginPercent = terms.MarginPercent;
        InterestGraceDays = terms.InterestGraceDays;
        Authority = terms.Authority;
        AuthorityReference = terms.AuthorityReference;
    }
}

/// <summary>
/// Where fee and interest accrual stands on one invoice: interest accrued through <see cref="InterestThrough"/>, its
/// exact numerator (see <c>ChargeFormulas</c>) and what was posted, and the day the late fee was charged.
/// </summary>
public sealed class ChargeAccrualRecord
{
    public InvoiceId InvoiceId { get; set; }
    public AccountId AccountId { get; set; }
    public DateOnly? InterestThrough { get; set; }
    public decimal InterestNumerator { get; set; }
    public long InterestPostedMinor { get; set; }
    public DateOnly? LateFeeOn { get; set; }
}

internal sealed class ChargeTablesConfiguration : IEntityTypeConfiguration<ChargeTermsRecord>, IEntityTypeConfiguration<ChargeAccrualRecord>
{
    public void Configure(EntityTypeBuilder<ChargeTermsRecord> builder)
    {
        builder.ToTable("charge_terms");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Scope).HasMaxLength(64);
        builder.HasIndex(t => t.Scope).IsUnique();
        builder.Property(t => t.LateFeePercent).HasPrecision(12, 6);
        builder.Property(t => t.InterestRatePercent).HasPrecision(12, 6);
        builder.Property(t => t.ReferenceRatePercent).HasPrecision(12, 6);
        builder.Property(t => t.MarginPercent).HasPrecision(12, 6);
        builder.Property(t => t.ReferenceRateName).HasMaxLength(200);
        builder.Property(t => t.AuthorityReference).HasMaxLength(500);
        builder.Property(t => t.UpdatedBy).HasMaxLength(256);
    }

    public void Configure(EntityTypeBuilder<ChargeAccrualRecord> builder)
    {
        builder.ToTable("charge_accruals");
        builder.HasKey(a => a.InvoiceId);
        builder.Property(a => a.InterestNumerator).HasPrecision(38, 12);
        builder.HasIndex(a => a.AccountId);
    }
}
