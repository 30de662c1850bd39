using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Recoup.Data.Accounts;

/// <summary>
/// What the accounts search looks in, one row per account: the debtor's lower-case name, then the
/// debtor id, e-mail addresses and the digits of phone numbers, joined by <c>|</c>. A search is one
/// LIKE over <see cref="Text"/> (a trigram index on PostgreSQL).
/// </summary>
/// <remarks>
/// Apart from <see cref="AccountSummary"/> because it changes only with the debtor's name and contact
/// points, while a summary is written again with every posting: a payment file rewrites a hundred
/// thousand summaries without touching the search's indexes, the most expensive ones to write.
/// </remarks>
public sealed class AccountSearchText
{
    public Guid AccountId { get; set; }

    public string Text { get; set; } = "";
}

internal sealed class AccountSearchTextConfiguration : IEntityTypeConfiguration<AccountSearchText>
{
    public void Configure(EntityTypeBuilder<AccountSearchText> builder)
    {
        builder.ToTable("account_search_texts");
        builder.HasKey(s => s.AccountId);
        builder.Property(s => s.Text).HasMaxLength(2000);
    }
}
