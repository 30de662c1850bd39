using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Domain.Ledger;

namespace Recoup.Services.Ledger;

/// <summary>Loads whole account ledgers (account, debtor, invoices, entries, allocations) with four queries per batch.</summary>
public static class LedgerLoader
{
    /// <param name="tracked">Track the accounts, so that saving the context bumps their version with a concurrency check.</param>
    public static async Task<List<AccountLedger>> LoadAsync(
        RecoupDbContext db, Expression<Func<Account, bool>> accounts, bool tracked, CancellationToken cancellationToken)
    {
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
}
