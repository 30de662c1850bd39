using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Domain.Ledger;
using Recoup.Services.Accounts;
using Recoup.Services.Payments;
using Recoup.Services.Storage;

namespace Recoup.Services.Ledger;

/// <summary>What several tracked ledgers posted, put into the context to be saved with the rest of a use case's transaction.</summary>
public static class LedgerWrites
{
    /// <summary>
    /// Adds the ledgers' new entries and allocations to <paramref name="db"/> and brings their accounts'
    /// summaries up to date, reading the summaries a chunk at a time rather than one query per account.
    /// Nothing is saved.
    /// </summary>
    public static async Task StageAsync(RecoupDbContext db, IEnumerable<AccountLedger> ledgers, CancellationToken ct)
    {
        var changed = ledgers.Where(l => l.NewEntries.Any()).ToList();
        foreach (var ledger in changed)
        {
            db.LedgerEntries.AddRange(ledger.NewEntries);
            db.Allocations.AddRange(ledger.NewAllocations);
        }

        var summaries = (await Chunks.QueryAsync(changed.Select(l => l.Account.Id.Value).ToList(), chunk => db.AccountSummaries.Where(s => chunk.Contains(s.AccountId)), ct))
            .ToDictionary(s => s.AccountId);
        foreach (var ledger in changed)
        {
            if (summaries.TryGetValue(ledger.Account.Id.Value, out var summary))
            {
                AccountSummaries.Refresh(summary, ledger);
            }
            else
            {
                await PostPayment.RefreshSummaryAsync(db, ledger, ct);
            }
        }
    }
}
