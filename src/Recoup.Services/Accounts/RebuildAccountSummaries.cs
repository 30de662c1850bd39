using Microsoft.EntityFrameworkCore;
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
            var guids = chunk.Select(a => a.Value).ToList();
            var summaries = await db.AccountSummaries.Where(s => guids.Contains(s.AccountId)).ToDictionaryAsync(s => s.AccountId, ct);
            var debtorIds = ledgers.Select(l => l.Account.DebtorId).Distinct().ToList();
            var contacts = (await db.ContactPoints.AsNoTracking().Where(c => debtorIds.Contains(c.DebtorId)).ToListAsync(ct)).ToLookup(c => c.DebtorId);
            foreach (var ledger in ledgers)
            {
                var debtor = ledger.Account.Debtor!;
                if (!summaries.TryGetValue(ledger.Account.Id.Value, out var summary))
                {
                    missing++;
                    db.AccountSummaries.Add(AccountSummaries.Build(ledger, debtor, contacts[debtor.Id]));
                }
                else if (!AccountSummaries.Matches(summary, ledger))
                {
                    wrong++;
                    AccountSummaries.Refresh(summary, ledger);
                }
            }

            if (repair)
            {
                await db.SaveChangesAsync(ct);
            }
        }

        var known = accountIds.Select(a => a.Value).ToHashSet();
        var orphans = (await db.AccountSummaries.AsNoTracking().Select(s => s.AccountId).ToListAsync(ct)).Count(id => !known.Contains(id));
        return new SummaryCheck(accountIds.Count, missing, wrong, orphans);
    }
}
