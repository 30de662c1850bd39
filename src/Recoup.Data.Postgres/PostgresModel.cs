using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Recoup.Data.Accounts;

namespace Recoup.Data.Postgres;

/// <summary>
/// What only PostgreSQL has: a trigram index (pg_trgm) that serves the accounts search's
/// <c>LIKE '%term%'</c> over a million rows, and a pattern index for short name prefixes. SQLite
/// scans instead, which is fast enough at the sizes it is meant for.
/// </summary>
internal sealed class PostgresModelCustomizer(ModelCustomizerDependencies dependencies) : RelationalModelCustomizer(dependencies)
{
    public override void Customize(ModelBuilder modelBuilder, DbContext context)
    {
        base.Customize(modelBuilder, context);
        modelBuilder.HasPostgresExtension("pg_trgm");
        modelBuilder.Entity<AccountSummary>()
            .HasIndex(s => s.SearchText, "ix_account_summaries_search_text_trgm")
            .HasMethod("gin")
            .HasOperators("gin_trgm_ops");
        modelBuilder.Entity<AccountSummary>()
            .HasIndex(s => s.SearchText, "ix_account_summaries_search_text_prefix")
            .HasOperators("text_pattern_ops");
    }
}
