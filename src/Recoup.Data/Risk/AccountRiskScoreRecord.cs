using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Recoup.Data.Risk;

/// <summary>
/// An account's risk score (docs/risk.md) as the daily run last worked it out, with its reasons. A table of its own
/// rather than a column on the account summaries: a payment posting deletes and copies a summary again, which would
/// lose the score until the next run.
/// </summary>
/// <remarks>
/// The id is a plain <see cref="Guid"/>, as on the summaries and assignments, so that the queue build joins the score
/// to the summaries in SQL (LINQ cannot compare a converted <c>AccountId</c> with a <see cref="Guid"/>); so, like them,
/// the table has no foreign key to the accounts (accounts are never deleted).
/// </remarks>
public sealed class AccountRiskScoreRecord
{
    public Guid AccountId { get; set; }

    /// <summary>0 to 100, higher is riskier.</summary>
    public short Score { get; set; }

    /// <summary>What added the points, largest first, as JSON: <c>[{"code":"past_due","points":28,"text":"…"}]</c>; <c>[]</c> for a clean account.</summary>
    public string Reasons { get; set; } = "[]";

    /// <summary>
    /// The business date of the run that set this score and these reasons. A later run that finds the same leaves the
    /// row alone, so this is the date the score has held since.
    /// </summary>
    public DateOnly ScoredOn { get; set; }
}

internal sealed class AccountRiskScoreConfiguration : IEntityTypeConfiguration<AccountRiskScoreRecord>
{
    public void Configure(EntityTypeBuilder<AccountRiskScoreRecord> builder)
    {
        builder.ToTable("account_risk_scores");
        builder.HasKey(r => r.AccountId);
        builder.Property(r => r.Reasons).HasMaxLength(2000);
    }
}
