using Microsoft.EntityFrameworkCore;
using Recoup.Domain.Ledger;
using Recoup.Services.Accounts;
using Recoup.Services.Storage;

namespace Recoup.Services.Ledger;

public sealed record VerifyProgress(long AccountsChecked, long AccountsTotal);

public sealed record VerifyReport(long Accounts, long Entries, long Allocations, IReadOnlyList<InvariantViolation> Violations)
{
    public bool Passed => Violations.Count == 0;
}

/// <summary>
/// Checks the ledger invariants (<see cref="LedgerInvariants"/>) over every account in the database,
/// in batches of accounts; plus that no row points at an account that does not exist.
/// </summary>
public sealed class VerifyLedger(RecoupDatabase database)
{
    private const int Batch = 1_000;

    public async Task<VerifyReport> RunAsync(IProgress<VerifyProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        var accountIds = await db.Accounts.AsNoTracking().OrderBy(a => a.Id).Select(a => a.Id).ToListAsync(cancellationToken);
        var violations = new List<InvariantViolation>();
        long entries = 0, allocations = 0, checkedAccounts = 0, missingSummaries = 0, wrongSummaries = 0;
        foreach (var chunk in accountIds.Chunk(Batch))
        {
            db.ChangeTracker.Clear();
            var ledgers = await LedgerLoader.LoadAsync(db, a => chunk.Contains(a.Id), tracked: false, cancellationToken);
            foreach (var ledger in ledgers)
            {
                violations.AddRange(LedgerInvariants.Check(ledger.Account, ledger.Invoices, ledger.Entries, ledger.Allocations));
                entries += ledger.Entries.Count;
                allocations += ledger.Allocations.Count;
            }

            // The summaries the screens search are checked in the same pass (never saved here).
            var (missing, wrong) = await RebuildAccountSummaries.CompareAsync(db, ledgers, cancellationToken);
            missingSummaries += missing;
            wrongSummaries += wrong;

            checkedAccounts += chunk.Length;
            progress?.Report(new VerifyProgress(checkedAccounts, accountIds.Count));
        }

        var totalEntries = await db.LedgerEntries.LongCountAsync(cancellationToken);
        var totalAllocations = await db.Allocations.LongCountAsync(cancellationToken);
        if (totalEntries != entries || totalAllocations != allocations)
        {
            violations.Add(new InvariantViolation(default, "orphan_rows", $"{totalEntries - entries} entries and {totalAllocations - allocations} allocations belong to no account"));
        }

        var orphanSummaries = await RebuildAccountSummaries.CountOrphansAsync(db, accountIds, cancellationToken);
        if (missingSummaries + wrongSummaries + orphanSummaries > 0)
        {
            violations.Add(new InvariantViolation(default, "account_summaries",
                $"{missingSummaries} missing, {wrongSummaries} disagreeing with the ledger, {orphanSummaries} without an account; `recoup init` rebuilds them"));
        }

        return new VerifyReport(accountIds.Count, entries, allocations, violations);
    }
}
