using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Domain.Ledger;
using Recoup.Services.Storage;

namespace Recoup.Services.Ledger;

/// <summary>Loads whole account ledgers (account, debtor, invoices, entries, allocations) with four queries per batch.</summary>
public static class LedgerLoader
{
    /// <param name="tracked">Track the accounts, so that saving the context bumps their version with a concurrency check.</param>
    public static async Task<List<AccountLedger>> LoadAsync(
        RecoupDbContext db, Expression<Func<Account, bool>> accounts, bool tracked, CancellationToken cancellationToken)
    {
        // The four reads must see one state of the ledger: outside the caller's transaction they get their
        // own (a snapshot on both providers), so a posting committed between them cannot split an entry from its allocations.
        await using var snapshot = db.Database.CurrentTransaction is null ? await SnapshotAsync(db, cancellationToken) : null;
        var accountQuery = db.Accounts.Include(a => a.Debtor).Where(accounts);
        var loaded = await (tracked ? accountQuery : accountQuery.AsNoTracking()).ToListAsync(cancellationToken);
        if (loaded.Count == 0)
        {
            return [];
        }

        var scope = db.Accounts.Where(accounts);
        var invoices = await db.Invoices.AsNoTracking().Join(scope, i => i.AccountId, a => a.Id, (i, _) => i).ToListAsync(cancellationToken);
        var entries = await db.LedgerEntries.AsNoTracking().Join(scope, e => e.AccountId, a => a.Id, (e, _) => e).ToListAsync(cancellationToken);
        var allocations = await db.Allocations.AsNoTracking().Join(scope, x => x.AccountId, a => a.Id, (x, _) => x).ToListAsync(cancellationToken);

        var invoicesByAccount = invoices.ToLookup(i => i.AccountId);
        var entriesByAccount = entries.ToLookup(e => e.AccountId);
        var allocationsByAccount = allocations.ToLookup(a => a.AccountId);
        return loaded
            .Select(a => new AccountLedger(a, invoicesByAccount[a.Id], entriesByAccount[a.Id], allocationsByAccount[a.Id]))
            .ToList();
    }

    /// <summary>A read-only transaction: repeatable read on PostgreSQL; on SQLite a deferred one, which reads one snapshot and takes no write lock.</summary>
    private static async Task<IAsyncDisposable> SnapshotAsync(RecoupDbContext db, CancellationToken ct)
    {
        if (!db.IsSqlite)
        {
            var transaction = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
            await db.WithoutJitAsync(ct);
            return transaction;
        }

        await db.Database.OpenConnectionAsync(ct);
        var connection = (Microsoft.Data.Sqlite.SqliteConnection)db.Database.GetDbConnection();
        var own = connection.BeginTransaction(deferred: true);
        var used = await db.Database.UseTransactionAsync(own, ct);
        return new SqliteSnapshot(db, own, used);
    }

    /// <summary>Ends the SQLite read transaction Recoup began (EF does not end one it was handed) and gives the connection back.</summary>
    private sealed class SqliteSnapshot(RecoupDbContext db, System.Data.Common.DbTransaction own, IAsyncDisposable? used) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await db.Database.UseTransactionAsync(null);
            if (used is not null)
            {
                await used.DisposeAsync();
            }

            await own.DisposeAsync();
            await db.Database.CloseConnectionAsync();
        }
    }
}
