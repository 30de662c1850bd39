using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Domain;
using Recoup.Domain.Payments;
using Recoup.Services.Storage;

namespace Recoup.Services.Payments;

/// <summary>
/// Loads the accounts a file's payments may belong to, set-based (a few queries per thousand keys,
/// never one per payment): those named by a reference or a number in the remittance text, then for
/// the payments still without a candidate, those whose balance or an open invoice is exactly the amount.
/// </summary>
public static class MatchCandidates
{
    /// <summary>Ledger chunks read at once on PostgreSQL, each on its own connection: the server reads one while the client builds another.</summary>
    private const int ConcurrentReads = 3;

    /// <summary>The candidates loaded for a file, and each payment's match among them (in the payments' order).</summary>
    public sealed record Loaded(List<AccountCandidate> Candidates, List<MatchResult> Matches);

    /// <param name="ledgers">Receives the candidate accounts' ledgers, read untracked, so that posting need not read them again.</param>
    /// <param name="stage">Told when each part is done (for benchmarks).</param>
    public static async Task<Loaded> LoadAsync(
        RecoupDatabase database, IReadOnlyList<PaymentToMatch> payments, Dictionary<AccountId, Domain.Ledger.AccountLedger> ledgers, CancellationToken ct,
        Action<string>? stage = null)
    {
        await using var db = database.CreateContext();
        var tokens = payments.SelectMany(CashApplication.Tokens)
            .SelectMany(t => new[] { t, t.ToUpperInvariant() })
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var ids = new HashSet<Guid>();
        // On PostgreSQL the two lookups run at once, each on its own connection.
        await using var other = db.IsSqlite ? null : database.CreateContext();
        var byInvoice = Chunks.QueryAsync(tokens, chunk => (other ?? db).Invoices.Where(i => chunk.Contains(i.Number)).Select(i => i.AccountId), ct);
        var byDebtor = db.IsSqlite ? null : Chunks.QueryAsync(tokens, chunk => db.AccountSummaries.Where(s => chunk.Contains(s.DebtorExternalId)).Select(s => s.AccountId), ct);
        ids.UnionWith((await byInvoice).Select(a => a.Value));
        ids.UnionWith(await (byDebtor ?? Chunks.QueryAsync(tokens, chunk => db.AccountSummaries.Where(s => chunk.Contains(s.DebtorExternalId)).Select(s => s.AccountId), ct)));
        ids.UnionWith(tokens.Select(t => Guid.TryParse(t, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty));
        stage?.Invoke("candidates: references");
        var candidates = await DetailsAsync(database, db, ids.ToList(), ledgers, ct);
        stage?.Invoke("candidates: ledgers");

        var matches = Match(new CashApplication(candidates), payments, _ => true).Select(m => m!).ToList();
        var amounts = payments.Where((_, n) => matches[n].Suggestions.Count == 0).Select(p => p.Amount.Minor).Distinct().ToList();
        if (amounts.Count == 0)
        {
            stage?.Invoke("candidates: matching");
            return new Loaded(candidates, matches);
        }

        var byAmount = new HashSet<Guid>(await Chunks.QueryAsync(amounts, chunk => db.AccountSummaries.Where(s => chunk.Contains(s.BalanceMinor)).Select(s => s.AccountId), ct));
        var invoices = await Chunks.QueryAsync(amounts, chunk => db.Allocations
            .Where(a => a.InvoiceId != null)
            .GroupBy(a => new { a.AccountId, a.InvoiceId })
            .Where(g => chunk.Contains(g.Sum(a => a.AmountMinor)))
            .Select(g => g.Key.AccountId), ct);
        byAmount.UnionWith(invoices.Select(a => a.Value));
        byAmount.ExceptWith(ids);
        var added = await DetailsAsync(database, db, byAmount.ToList(), ledgers, ct);
        if (added.Count > 0)
        {
            // Matched again: the payments nothing matched, and any that quote one of the added accounts'
            // numbers (the lookups above are exact, the matching ignores case).
            var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var account in added)
            {
                keys.Add(account.DebtorExternalId);
                keys.Add(account.AccountId.ToString());
                keys.UnionWith(account.Invoices.Select(i => i.Number));
            }

            candidates.AddRange(added);
            var again = Match(new CashApplication(candidates), payments, n => matches[n].Suggestions.Count == 0 || CashApplication.Tokens(payments[n]).Any(keys.Contains));
            for (var n = 0; n < matches.Count; n++)
            {
                matches[n] = again[n] ?? matches[n];
            }
        }

        stage?.Invoke("candidates: by amount");
        return new Loaded(candidates, matches);
    }

    /// <summary>The chosen payments' matches (in parallel: matching is pure), null for the others.</summary>
    private static MatchResult?[] Match(CashApplication cash, IReadOnlyList<PaymentToMatch> payments, Func<int, bool> chosen)
    {
        var results = new MatchResult?[payments.Count];
        Parallel.For(0, payments.Count, n =>
        {
            if (chosen(n))
            {
                results[n] = cash.Match(payments[n]);
            }
        });
        return results;
    }

    /// <summary>The accounts as candidates, from their ledgers (what is open on each invoice, the balance, the debtor's id and name).</summary>
    private static async Task<List<AccountCandidate>> DetailsAsync(
        RecoupDatabase database, RecoupDbContext db, IReadOnlyList<Guid> ids, Dictionary<AccountId, Domain.Ledger.AccountLedger> ledgers, CancellationToken ct)
    {
        var chunks = ids.Select(id => new AccountId(id)).Chunk(Chunks.Size).ToList();
        var read = new List<Domain.Ledger.AccountLedger>[chunks.Count];
        if (db.IsSqlite || chunks.Count == 1)
        {
            for (var i = 0; i < chunks.Count; i++)
            {
                var chunk = chunks[i];
                read[i] = await Ledger.LedgerLoader.LoadAsync(db, a => chunk.Contains(a.Id), tracked: false, ct);
            }
        }
        else
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, chunks.Count), new ParallelOptions { MaxDegreeOfParallelism = ConcurrentReads, CancellationToken = ct }, async (i, token) =>
            {
                var chunk = chunks[i];
                await using var own = database.CreateContext();
                read[i] = await Ledger.LedgerLoader.LoadAsync(own, a => chunk.Contains(a.Id), tracked: false, token);
            });
        }

        var candidates = new List<AccountCandidate>(ids.Count);
        foreach (var ledger in read.SelectMany(l => l))
        {
            ledgers[ledger.Account.Id] = ledger;
            var debtor = ledger.Account.Debtor!;
            candidates.Add(new AccountCandidate(
                ledger.Account.Id, debtor.ExternalId, debtor.Name, ledger.Currency, ledger.Balance.Minor,
                ledger.Invoices.Select(i => new InvoiceCandidate(i.Number, ledger.OpenOn(i.Id).Minor)).ToList()));
        }

        return candidates;
    }
}
