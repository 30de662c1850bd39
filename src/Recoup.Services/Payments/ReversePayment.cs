using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Recoup.Data.Idempotency;
using Recoup.Data.Payments;
using Recoup.Domain;
using Recoup.Domain.Ledger;
using Recoup.Services.Audit;
using Recoup.Services.Ledger;
using Recoup.Services.Storage;

namespace Recoup.Services.Payments;

/// <summary>A reversed payment: the payment, its reversal entry and the account after.</summary>
public sealed record ReversedPayment(AccountId AccountId, LedgerEntryId PaymentId, LedgerEntryId ReversalId, long Sequence, Money Amount, string Reason, Money BalanceBefore, Money BalanceAfter, long Version, DateTimeOffset ReversedAt, string Actor);

/// <summary>
/// Reverses a payment with a reason (a bounced check, a payment posted to the wrong account): a
/// reversal entry that negates the payment and its allocations, the summary, the audit record and
/// the idempotency key's response, in one transaction. A payment is reversed once only; a payment
/// that was refunded (in part) is refused: its refund paid the money back already.
/// </summary>
public sealed class ReversePayment(RecoupDatabase database, TimeProvider clock)
{
    public const string AlreadyReversed = "already_reversed";
    public const string EntryNotFound = "entry_not_found";

    private const int Attempts = 5;

    public async Task<Result<IdempotentOutcome<ReversedPayment>>> RunAsync(
        AccountId accountId, LedgerEntryId entryId, string reason, string actor, IdempotentRequest? idempotency, Func<ReversedPayment, StoredResponse>? render, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        if (MoneyReasons.Check(reason, "Say why the payment is reversed") is { } reasonError)
        {
            return reasonError;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await AttemptAsync(accountId, entryId, reason.Trim(), actor, idempotency, render, ct);
            }
            catch (DbUpdateException e) when ((e is DbUpdateConcurrencyException || IdempotencyErrors.IsUniqueViolation(e)) && attempt < Attempts)
            {
            }
        }
    }

    private async Task<Result<IdempotentOutcome<ReversedPayment>>> AttemptAsync(
        AccountId accountId, LedgerEntryId entryId, string reason, string actor, IdempotentRequest? idempotency, Func<ReversedPayment, StoredResponse>? render, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = clock.Today();
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        IdempotencyRecord? claim = null;
        if (idempotency is not null)
        {
            claim = new IdempotencyRecord { Caller = idempotency.Caller, Key = idempotency.Key, RequestHash = idempotency.RequestHash, CreatedAt = now };
            db.IdempotencyRecords.Add(claim);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (IdempotencyErrors.IsUniqueViolation(e))
            {
                await transaction.RollbackAsync(ct);
                return await ReplayAsync(idempotency, ct);
            }
        }

        await db.Accounts.Where(a => a.Id == accountId).ExecuteUpdateAsync(set => set.SetProperty(a => a.Version, a => a.Version), ct);
        var ledgers = await LedgerLoader.LoadAsync(db, a => a.Id == accountId, tracked: true, ct);
        if (ledgers is not [var ledger])
        {
            return Result<IdempotentOutcome<ReversedPayment>>.Fail(PostPayment.AccountNotFound, $"There is no account {accountId}");
        }

        var payment = ledger.Entries.FirstOrDefault(e => e.Id == entryId);
        if (payment is null)
        {
            return Result<IdempotentOutcome<ReversedPayment>>.Fail(EntryNotFound, $"Entry {entryId} is not on this account");
        }

        if (payment.Kind != EntryKind.Payment)
        {
            return Result<IdempotentOutcome<ReversedPayment>>.Fail("not_a_payment", $"Entry {payment.Sequence} is a {payment.Kind.ToString().ToLowerInvariant()}, not a payment");
        }

        var paymentGuid = entryId.Value;
        if (await db.Refunds.AnyAsync(r => r.PaymentEntryId == paymentGuid && (r.Status == RefundStatus.Completed || r.Status == RefundStatus.PendingApproval), ct))
        {
            return Result<IdempotentOutcome<ReversedPayment>>.Fail("payment_refunded", $"Payment {payment.Sequence} has a refund (done or waiting for approval); it cannot also be reversed");
        }

        var before = ledger.Balance;
        var versionBefore = ledger.Account.Version;
        var reversed = ledger.Reverse(entryId, today < payment.EffectiveDate ? payment.EffectiveDate : today, now, reason);
        if (reversed.Error is { } refused)
        {
            return refused;
        }

        db.LedgerEntries.AddRange(ledger.NewEntries);
        db.Allocations.AddRange(ledger.NewAllocations);
        await PostPayment.RefreshSummaryAsync(db, ledger, ct);
        var reversal = reversed.Value;
        var result = new ReversedPayment(accountId, entryId, reversal.Id, reversal.Sequence, -payment.Amount, reason, before, ledger.Balance, ledger.Account.Version, now, actor);
        db.AuditLog.Add(AuditLog.Record(
            now, actor, "payment.reversed", AuditEntities.Account, accountId.ToString(),
            new { balance = before.ToDecimalString(), currency = ledger.Currency.Code, version = versionBefore },
            new
            {
                balance = ledger.Balance.ToDecimalString(),
                currency = ledger.Currency.Code,
                version = ledger.Account.Version,
                payment_entry_id = entryId.ToString(),
                reversal_entry_id = reversal.Id.ToString(),
                amount = (-payment.Amount).ToDecimalString(),
                reference = payment.Reference,
                reason,
                effective_date = reversal.EffectiveDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            }));

        StoredResponse? response = null;
        if (claim is not null)
        {
            response = render?.Invoke(result) ?? new StoredResponse(201, "");
            claim.StatusCode = response.StatusCode;
            claim.ResponseBody = response.Body;
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return Result<IdempotentOutcome<ReversedPayment>>.Ok(new IdempotentOutcome<ReversedPayment>(result, response ?? new StoredResponse(201, ""), Replayed: false));
    }

    private async Task<Result<IdempotentOutcome<ReversedPayment>>> ReplayAsync(IdempotentRequest idempotency, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var stored = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Caller == idempotency.Caller && r.Key == idempotency.Key, ct);
        if (stored is null || stored.StatusCode == 0)
        {
            return Result<IdempotentOutcome<ReversedPayment>>.Fail(IdempotencyErrors.InFlight, "A request with this Idempotency-Key is still being processed; retry in a moment");
        }

        if (stored.RequestHash != idempotency.RequestHash)
        {
            return Result<IdempotentOutcome<ReversedPayment>>.Fail(IdempotencyErrors.KeyReused, "This Idempotency-Key was already used for a different request", "Idempotency-Key");
        }

        return Result<IdempotentOutcome<ReversedPayment>>.Ok(new IdempotentOutcome<ReversedPayment>(null, new StoredResponse(stored.StatusCode, stored.ResponseBody), Replayed: true));
    }
}
