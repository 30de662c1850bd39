using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Recoup.Domain;
using Recoup.Domain.Ledger;
using Recoup.Services.Audit;
using Recoup.Services.Ledger;
using Recoup.Services.Storage;

namespace Recoup.Services.WriteOffs;

/// <summary>Money received on written-off debt, as recorded: the recovery entry, the payment, and what is still written off.</summary>
public sealed record RecordedRecovery(AccountId AccountId, Money Received, Money Recovered, LedgerEntryId RecoveryEntryId, LedgerEntryId PaymentEntryId, Money WrittenOffOutstanding, Money Balance);

/// <summary>Cash and recoveries over a period, per currency: recoveries are kept apart from ordinary collections.</summary>
/// <param name="Collected">Payments, less what of them recovered written-off debt.</param>
/// <param name="Recovered">Written-off debt reinstated and paid (recovery entries).</param>
/// <param name="WrittenOff">Debt written off in the period (write-off entries, less their reversals).</param>
public sealed record RecoveryTotals(Currency Currency, Money Collected, Money Recovered, Money WrittenOff, int Recoveries);

public sealed record RecoveryReport(DateOnly From, DateOnly To, IReadOnlyList<RecoveryTotals> Currencies);

/// <summary>
/// Recovery of written-off money: a payment that arrives for debt already written off is recorded as a recovery
/// entry that reinstates the written-off debt and the payment that pays it (<see cref="AccountLedger.RecordRecovery"/>),
/// so reports can tell recovered money from ordinary collections (<see cref="ReportAsync"/>).
/// </summary>
public sealed class Recoveries(RecoupDatabase database, TimeProvider clock)
{
    public async Task<Result<RecordedRecovery>> RecordAsync(AccountId accountId, Money amount, DateOnly receivedOn, string? reference, string actor, CancellationToken ct = default)
    {
        if (receivedOn > clock.Today())
        {
            return new Error("received_in_future", "A payment cannot be received in the future", "received_on");
        }

        if (reference is { Length: > 100 })
        {
            return new Error("reference_too_long", "The reference is longer than 100 characters", "reference");
        }

        var now = clock.GetUtcNow();
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Accounts.Where(a => a.Id == accountId).ExecuteUpdateAsync(set => set.SetProperty(a => a.Version, a => a.Version), ct);
        var ledgers = await LedgerLoader.LoadAsync(db, a => a.Id == accountId, tracked: true, ct);
        if (ledgers is not [var ledger])
        {
            return new Error("account_not_found", $"There is no account {accountId}");
        }

        var before = ledger.Balance;
        var recorded = ledger.RecordRecovery(amount, receivedOn, now, string.IsNullOrWhiteSpace(reference) ? "recovery" : reference.Trim());
        if (recorded.Error is { } refused)
        {
            return refused with { Field = refused.Field ?? "amount" };
        }

        var (recovery, payment) = recorded.Value;
        await LedgerWrites.StageAsync(db, [ledger], ct);
        db.AuditLog.Add(AuditLog.Record(now, actor, "recovery.recorded", AuditEntities.Account, accountId.ToString(),
            new { balance = before.ToDecimalString(), currency = ledger.Currency.Code },
            new
            {
                // entry_id: the timeline shows the payment's ledger line with this actor instead of a second line.
                entry_id = payment.Id.ToString(),
                recovery_entry_id = recovery.Id.ToString(),
                received = amount.ToDecimalString(),
                recovered = recovery.Amount.ToDecimalString(),
                currency = ledger.Currency.Code,
                received_on = receivedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                written_off_outstanding = ledger.WrittenOffOutstanding.ToDecimalString(),
                balance = ledger.Balance.ToDecimalString(),
            }));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new RecordedRecovery(accountId, amount, recovery.Amount, recovery.Id, payment.Id, ledger.WrittenOffOutstanding, ledger.Balance);
    }

    /// <summary>Collections, recoveries and write-offs effective from <paramref name="from"/> to <paramref name="to"/> (inclusive): one grouped query.</summary>
    public async Task<RecoveryReport> ReportAsync(DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var rows = await db.LedgerEntries.AsNoTracking()
            .Where(e => e.EffectiveDate >= from && e.EffectiveDate <= to
                && (e.Kind == EntryKind.Payment || e.Kind == EntryKind.Recovery || e.Kind == EntryKind.WriteOff))
            .GroupBy(e => new { e.Currency, e.Kind })
            .Select(g => new { g.Key.Currency, g.Key.Kind, Minor = g.Sum(e => e.AmountMinor), Count = g.Count() })
            .ToListAsync(ct);

        // Reversed write-offs give the debt back: their reversals count against the write-offs.
        var reversedWriteOffs = await db.LedgerEntries.AsNoTracking()
            .Where(e => e.Kind == EntryKind.Reversal && e.EffectiveDate >= from && e.EffectiveDate <= to)
            .Join(db.LedgerEntries.Where(o => o.Kind == EntryKind.WriteOff), r => r.ReversesEntryId, o => (LedgerEntryId?)o.Id, (r, _) => r)
            .GroupBy(r => r.Currency)
            .Select(g => new { Currency = g.Key, Minor = g.Sum(r => r.AmountMinor) })
            .ToListAsync(ct);

        var currencies = rows.Select(r => r.Currency).Distinct().OrderBy(c => c.Code, StringComparer.Ordinal);
        var report = currencies.Select(c =>
        {
            long Sum(EntryKind kind) => rows.Where(r => r.Currency == c && r.Kind == kind).Sum(r => r.Minor);
            var recovered = Sum(EntryKind.Recovery);
            var paid = -Sum(EntryKind.Payment);
            var writtenOff = -Sum(EntryKind.WriteOff) - reversedWriteOffs.Where(r => r.Currency == c).Sum(r => r.Minor);
            return new RecoveryTotals(c, new Money(paid - recovered, c), new Money(recovered, c), new Money(writtenOff, c),
                rows.Where(r => r.Currency == c && r.Kind == EntryKind.Recovery).Sum(r => r.Count));
        }).ToList();
        return new RecoveryReport(from, to, report);
    }
}
