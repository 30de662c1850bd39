using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Domain;
using Recoup.Domain.Ledger;
using Recoup.Services.Ledger;
using Recoup.Services.Storage;

namespace Recoup.Services.Accounts;

/// <summary>How many summaries were checked, and how many were missing or wrong (and, when repairing, rewritten).</summary>
public sealed record SummaryCheck(long Accounts, long Missing, long Wrong, long Orphans)
{
    public bool Passed => Missing == 0 && Wrong == 0 && Orphans == 0;
}

/// <summary>
/// Checks every account's summary against its ledger, the truth, and optionally rewrites the ones
/// that are missing or wrong (a database from before summaries existed, or a bug).
/// </summary>
public sealed class RebuildAccountSummaries(RecoupDatabase database)
{
    private const int Batch = 1_000;

    public async Task<SummaryCheck> RunAsync(bool repair, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var accountIds = await db.Accounts.AsNoTracking().OrderBy(a => a.Id).Select(a => a.Id).ToListAsync(ct);
        long missing = 0, wrong = 0;
        foreach (var chunk in accountIds.Chunk(Batch))
        {
            db.ChangeTracker.Clear();
            var ledgers = await LedgerLoader.LoadAsync(db, a => chunk.Contains(a.Id), tracked: false, ct);
            var (batchMissing, batchWrong) = await CompareAsync(db, ledgers, ct);
            missing += batchMissing;
            wrong += batchWrong;

            if (repair)
            {
                await db.SaveChangesAsync(ct);
            }
        }

        return new SummaryCheck(accountIds.Count, missing, wrong, await CountOrphansAsync(db, accountIds, ct));
    }

    /// <summary>
    /// Compares the summaries of a batch of loaded ledgers with the ledgers; adds the missing ones and
    /// refreshes the wrong ones in <paramref name="db"/> (saved only if the caller saves).
    /// </summary>
    internal static async Task<(long Missing, long Wrong)> CompareAsync(RecoupDbContext db, IReadOnlyList<AccountLedger> ledgers, CancellationToken ct)
    {
        long missing = 0, wrong = 0;
        var guids = ledgers.Select(l => l.Account.Id.Value).ToList();
        var summaries = await db.AccountSummaries.Where(s => guids.Contains(s.AccountId)).ToDictionaryAsync(s => s.AccountId, ct);
        var debtorIds = ledgers.Select(l => l.Account.DebtorId).Distinct().ToList();
        var contacts = (await db.ContactPoints.AsNoTracking().Where(c => debtorIds.Contains(c.DebtorId)).ToListAsync(ct)).ToLookup(c => c.DebtorId);
        var clientCodes = await AccountSummaries.ClientCodesAsync(db, ledgers.Select(l => l.Account.Debtor!), ct);
        foreach (var ledger in ledgers)
        {
            var debtor = ledger.Account.Debtor!;
            if (!summaries.TryGetValue(ledger.Account.Id.Value, out var summary))
            {
                missing++;
                AccountSummaries.Add(db, ledger, debtor, contacts[debtor.Id], AccountSummaries.ClientCodeOf(debtor, clientCodes));
            }
            else if (!AccountSummaries.Matches(summary, ledger))
            {
                wrong++;
                AccountSummaries.Refresh(summary, ledger);
            }
        }

        return (missing, wrong);
    }

    /// <summary>Summaries whose account does not exist.</summary>
    internal static async Task<long> CountOrphansAsync(RecoupDbContext db, IReadOnlyCollection<AccountId> accountIds, CancellationToken ct)
    {
        var known = accountIds.Select(a => a.Value).ToHashSet();
        return (await db.AccountSummaries.AsNoTracking().Select(s => s.AccountId).ToListAsync(ct)).Count(id => !known.Contains(id));
    }
}
