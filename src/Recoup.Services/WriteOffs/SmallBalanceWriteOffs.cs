using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Recoup.Data.Disputes;
using Recoup.Domain;
using Recoup.Domain.Disputes;
using Recoup.Services.Audit;
using Recoup.Services.Disputes;
using Recoup.Services.Ledger;
using Recoup.Services.Storage;

namespace Recoup.Services.WriteOffs;

/// <summary>What a small-balance run wrote off: accounts and totals per currency; <see cref="Replayed"/> when the date had already been run.</summary>
public sealed record SmallBalanceResult(DateOnly AsOf, int Accounts, IReadOnlyList<Money> Totals, bool Replayed);

/// <summary>
/// Small-balance write-offs: every account whose balance is positive and below its currency's threshold
/// (<c>Recoup:WriteOffs:SmallBalance:&lt;currency&gt;</c>, major units) is written off with reason "small balance".
/// The daily run calls <see cref="RunAsync"/> with its as-of date; a person does one account from its page
/// (<see cref="WriteOffAccountAsync"/>). Accounts with an open dispute are left to the dispute.
/// </summary>
/// <remarks>
/// The run is set-based: the candidates come from one query on the account summaries per currency, and are written
/// off a chunk at a time (one load of the chunk's ledgers, one save, one transaction per chunk). It is idempotent for
/// a date: a run that finished is remembered and a second call returns its result and writes nothing; a run that
/// died part-way is resumed (the chunks it committed have nothing left to write off).
/// </remarks>
public sealed class SmallBalanceWriteOffs(RecoupDatabase database, TimeProvider clock, DisputeSettings settings)
{
    public const string Reason = "small balance";
    public const int ChunkSize = 500;

    public async Task<SmallBalanceResult> RunAsync(DateOnly asOf, string actor, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using (var db = database.CreateContext())
        {
            var done = await db.SmallBalanceRuns.AsNoTracking().SingleOrDefaultAsync(r => r.AsOf == asOf, ct);
            if (done is { CompletedAt: not null })
            {
                return new SmallBalanceResult(asOf, done.Accounts, ParseTotals(done.Totals), Replayed: true);
            }

            if (done is null)
            {
                db.SmallBalanceRuns.Add(new SmallBalanceRunRecord { AsOf = asOf, StartedAt = now, RunBy = actor });
                await db.SaveChangesAsync(ct);
            }
        }

        var count = 0;
        var totals = new Dictionary<Currency, long>();
        foreach (var (code, major) in settings.SmallBalanceThresholds.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            var currency = Currency.FromCode(code);
            var threshold = Money.FromMajor(major, currency, MidpointRounding.ToEven).Minor;
            if (threshold <= 0)
            {
                continue;
            }

            List<Guid> candidates;
            await using (var db = database.CreateContext())
            {
                candidates = await db.AccountSummaries.AsNoTracking()
                    .Where(s => s.Currency == currency && s.BalanceMinor > 0 && s.BalanceMinor < threshold)
                    .Select(s => s.AccountId)
                    .OrderBy(id => id)
                    .ToListAsync(ct);
                var held = (await db.Disputes.AsNoTracking().Where(d => d.Status == DisputeStatus.Open).Select(d => d.AccountId).ToListAsync(ct)).Select(a => a.Value).ToHashSet();
                candidates.RemoveAll(held.Contains);
            }

            foreach (var chunk in candidates.Chunk(ChunkSize))
            {
                var (written, minor) = await WriteOffChunkAsync(chunk.Select(g => new AccountId(g)).ToList(), threshold, asOf, actor, ct);
                count += written;
                totals[currency] = totals.GetValueOrDefault(currency) + minor;
            }
        }

        var result = totals.Where(t => t.Value > 0).Select(t => new Money(t.Value, t.Key)).OrderBy(m => m.Currency.Code, StringComparer.Ordinal).ToList();
        await using (var db = database.CreateContext())
        {
            var run = await db.SmallBalanceRuns.SingleAsync(r => r.AsOf == asOf, ct);
            run.Accounts += count;
            run.Totals = FormatTotals(ParseTotals(run.Totals).Concat(result));
            run.CompletedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(ct);
            return new SmallBalanceResult(asOf, run.Accounts, ParseTotals(run.Totals), Replayed: false);
        }
    }

    /// <summary>Writes off one account's small balance by hand; refused when the balance is not positive and below the threshold.</summary>
    public async Task<Result<Money>> WriteOffAccountAsync(AccountId accountId, string actor, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var summary = await db.AccountSummaries.AsNoTracking().SingleOrDefaultAsync(s => s.AccountId == accountId.Value, ct);
        if (summary is null)
        {
            return new Error("account_not_found", $"There is no account {accountId}");
        }

        var threshold = ThresholdFor(summary.Currency);
        if (threshold is null || summary.BalanceMinor <= 0 || summary.BalanceMinor >= threshold.Value.Minor)
        {
            return new Error("balance_not_small",
                threshold is null
                    ? $"No small-balance threshold is set for {summary.Currency.Code} (Recoup:WriteOffs:SmallBalance:{summary.Currency.Code})"
                    : $"Only a balance above zero and below {threshold} is a small balance; this one is {new Money(summary.BalanceMinor, summary.Currency)}");
        }

        if (await db.Disputes.AnyAsync(d => d.AccountId == accountId && d.Status == DisputeStatus.Open, ct))
        {
            return new Error("dispute_open", "The account has an open dispute; resolve it first");
        }

        var (written, minor) = await WriteOffChunkAsync([accountId], threshold.Value.Minor, clock.Today(), actor, ct);
        return written == 0
            ? new Error("balance_not_small", "The balance changed and is no longer a small balance")
            : new Money(minor, summary.Currency);
    }

    /// <summary>The threshold for a currency, or null when none is configured.</summary>
    public Money? ThresholdFor(Currency currency) =>
        settings.SmallBalanceThresholds.TryGetValue(currency.Code, out var major) && major > 0 ? Money.FromMajor(major, currency, MidpointRounding.ToEven) : null;

    private async Task<(int Accounts, long Minor)> WriteOffChunkAsync(IReadOnlyList<AccountId> chunk, long threshold, DateOnly asOf, string actor, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryChunkAsync(chunk, threshold, asOf, actor, ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                // Another writer changed one of the accounts: read the chunk again.
            }
        }
    }

    private async Task<(int Accounts, long Minor)> TryChunkAsync(IReadOnlyList<AccountId> chunk, long threshold, DateOnly asOf, string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var ids = chunk.ToList();
        var ledgers = await LedgerLoader.LoadAsync(db, a => ids.Contains(a.Id), tracked: true, ct);
        var audit = new List<Data.Audit.AuditRecord>();
        long total = 0;
        foreach (var ledger in ledgers)
        {
            // Checked again on the ledger itself: the summary the candidate came from may be behind.
            var balance = ledger.Balance.Minor;
            var amount = Math.Min(balance, ledger.OpenTotal.Minor);
            if (balance <= 0 || balance >= threshold || amount <= 0)
            {
                db.Entry(ledger.Account).State = EntityState.Detached;
                continue;
            }

            var written = ledger.WriteOff(new Money(amount, ledger.Currency), asOf, now, Reason);
            if (written.Error is not null)
            {
                db.Entry(ledger.Account).State = EntityState.Detached;
                continue;
            }

            total += amount;
            audit.Add(AuditLog.Record(now, actor, "write_off.small_balance", AuditEntities.Account, ledger.Account.Id.ToString(),
                new { balance = new Money(balance, ledger.Currency).ToDecimalString(), currency = ledger.Currency.Code },
                new
                {
                    summary = $"Small balance of {written.Value.Amount.Abs()} written off by {actor}",
                    ledger_entry_id = written.Value.Id.ToString(),
                    amount = written.Value.Amount.Abs().ToDecimalString(),
                    currency = ledger.Currency.Code,
                    as_of = asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    balance = ledger.Balance.ToDecimalString(),
                }));
        }

        if (audit.Count == 0)
        {
            return (0, 0);
        }

        await LedgerWrites.StageAsync(db, ledgers, ct);
        db.AuditLog.AddRange(audit);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (audit.Count, total);
    }

    private static string FormatTotals(IEnumerable<Money> totals) =>
        string.Join("\n", totals.GroupBy(m => m.Currency).OrderBy(g => g.Key.Code, StringComparer.Ordinal)
            .Select(g => $"{g.Key.Code} {new Money(g.Sum(m => m.Minor), g.Key).ToDecimalString()}"));

    private static List<Money> ParseTotals(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 2))
            .Select(parts => Money.FromMajor(decimal.Parse(parts[1], NumberStyles.Number, CultureInfo.InvariantCulture), Currency.FromCode(parts[0]), MidpointRounding.ToEven))
            .ToList();
}
