using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Recoup.Data.Outbox;
using Recoup.Data.Payments;
using Recoup.Domain;
using Recoup.Domain.Ledger;
using Recoup.Services.Audit;
using Recoup.Services.Ledger;
using Recoup.Services.Storage;

namespace Recoup.Services.Payments;

/// <summary>A refund asked for: how much, why, and (for a duplicate or a card payment) which payment.</summary>
/// <param name="Amount">In major units of the account's currency.</param>
/// <param name="PaymentEntryId">The payment refunded: a duplicate, or a card payment whose card gets the money back. None: unapplied credit, paid by instruction.</param>
/// <param name="Kind">Overpayment (the default without a payment) or duplicate payment (the default with one).</param>
public sealed record RefundRequest(AccountId AccountId, decimal Amount, string Reason, LedgerEntryId? PaymentEntryId = null, RefundKind? Kind = null);

/// <summary>A refund as it stands, with its amount in money.</summary>
public sealed record RefundView(RefundRecord Record, Money Amount)
{
    public Guid Id => Record.Id;
    public RefundStatus Status => Record.Status;
}

/// <summary>A payment that looks like a second copy of an earlier one: same account, amount and reference, within the window.</summary>
public sealed record SuspectedDuplicate(AccountId AccountId, LedgerEntryId OriginalEntryId, long OriginalSequence, DateOnly OriginalDate, LedgerEntryId DuplicateEntryId, long DuplicateSequence, DateOnly DuplicateDate, Money Amount, string Reference, int DaysApart, Money Refunded);

/// <summary>
/// Refunds: of unapplied credit (overpayments) and of duplicate payments. A refund above the
/// threshold (<see cref="PaymentSettings.RefundApprovalThreshold"/>) waits for a supervisor or
/// manager other than the requester to approve or reject it; one at or below it is carried out at
/// once. Carried out, it is posted as a <see cref="EntryKind.Refund"/> entry and sent out: to the card
/// through the gateway when it refunds a card payment, otherwise as a payment instruction written
/// to the outbox in the same transaction. Every step is audited.
/// </summary>
public sealed class Refunds(RecoupDatabase database, TimeProvider clock, IPaymentGateway? gateway = null, PaymentSettings? settings = null)
{
    public const string NotFound = "refund_not_found";
    public const string NotPending = "refund_not_pending";
    public const string SelfApproval = "self_approval";
    public const string Failed = "refund_failed";

    private readonly PaymentSettings _settings = settings ?? PaymentSettings.Default;

    public PaymentSettings Settings => _settings;

    /// <summary>Records the request; carries it out at once when no approval is needed.</summary>
    public async Task<Result<RefundView>> RequestAsync(RefundRequest request, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        if (request.Amount <= 0)
        {
            return new Error("amount_not_positive", "The amount must be more than zero", "amount");
        }

        if (MoneyReasons.Check(request.Reason, "Say why the money is refunded") is { } reasonError)
        {
            return reasonError;
        }

        if (request.Kind == RefundKind.DuplicatePayment && request.PaymentEntryId is null)
        {
            return new Error("payment_missing", "A refund of a duplicate payment names the payment", "payment_entry_id");
        }

        var now = clock.GetUtcNow();
        RefundRecord record;
        Money amount;
        await using (var db = database.CreateContext())
        {
            var ledgers = await LedgerLoader.LoadAsync(db, a => a.Id == request.AccountId, tracked: false, ct);
            if (ledgers is not [var ledger])
            {
                return new Error(PostPayment.AccountNotFound, $"There is no account {request.AccountId}");
            }

            var currency = ledger.Currency;
            if (decimal.Round(request.Amount, currency.Exponent) != request.Amount)
            {
                return new Error("amount_precision", $"{currency.Code} amounts have at most {currency.Exponent} decimals", "amount");
            }

            amount = Money.FromMajor(request.Amount, currency, MidpointRounding.ToEven);
            var kind = request.Kind ?? (request.PaymentEntryId is null ? RefundKind.Overpayment : RefundKind.DuplicatePayment);
            var channel = RefundChannel.PaymentInstruction;
            if (request.PaymentEntryId is { } paymentId)
            {
                var payment = ledger.Entries.FirstOrDefault(e => e.Id == paymentId);
                if (payment is null || payment.Kind != EntryKind.Payment)
                {
                    return new Error("payment_not_found", $"Entry {paymentId} is not a payment on this account", "payment_entry_id");
                }

                if (ledger.IsReversed(paymentId))
                {
                    return new Error("payment_reversed", $"Payment {payment.Sequence} has been reversed; there is nothing to refund", "payment_entry_id");
                }

                var paymentGuid = paymentId.Value;
                var claimed = await db.Refunds.AsNoTracking()
                    .Where(r => r.PaymentEntryId == paymentGuid && (r.Status == RefundStatus.Completed || r.Status == RefundStatus.PendingApproval))
                    .Select(r => r.AmountMinor).ToListAsync(ct);
                var left = -payment.AmountMinor - claimed.Sum();
                if (amount.Minor > left)
                {
                    return new Error("refund_exceeds_payment", $"{amount} is more than is left to refund of payment {payment.Sequence} ({new Money(left, currency)})", "amount");
                }

                if (await db.CardPayments.AsNoTracking().AnyAsync(c => c.EntryId == paymentGuid, ct))
                {
                    channel = RefundChannel.Card;
                }
            }

            if (kind == RefundKind.Overpayment)
            {
                var pending = await db.Refunds.AsNoTracking()
                    .Where(r => r.AccountId == request.AccountId.Value && r.Status == RefundStatus.PendingApproval && r.Kind == RefundKind.Overpayment)
                    .Select(r => r.AmountMinor).ToListAsync(ct);
                var available = ledger.UnappliedCredit.Minor - pending.Sum();
                if (amount.Minor > available)
                {
                    return new Error("refund_exceeds_credit", $"{amount} is more than the unapplied credit not yet asked for ({new Money(Math.Max(0, available), currency)})", "amount");
                }
            }

            record = new RefundRecord
            {
                Id = Guid.CreateVersion7(now),
                AccountId = request.AccountId.Value,
                Kind = kind,
                PaymentEntryId = request.PaymentEntryId?.Value,
                AmountMinor = amount.Minor,
                Currency = currency,
                Reason = request.Reason.Trim(),
                Status = RefundStatus.PendingApproval,
                Channel = channel,
                RequestedBy = actor,
                RequestedAt = now,
            };
            db.Refunds.Add(record);
            db.AuditLog.Add(AuditLog.Record(now, actor, "refund.requested", AuditEntities.Account, request.AccountId.ToString(), null, Describe(record, amount)));
            await db.SaveChangesAsync(ct);
        }

        if (_settings.NeedsApproval(amount))
        {
            return new RefundView(record, amount);
        }

        return await CarryOutAsync(record.Id, actor, null, ct);
    }

    /// <summary>Approves a pending refund and carries it out. The approver must not be the requester.</summary>
    /// <param name="approver">Who approves (the actor name, as the requester was recorded).</param>
    public async Task<Result<RefundView>> ApproveAsync(Guid refundId, string approver, string? note, CancellationToken ct = default)
    {
        var found = await FindAsync(refundId, ct);
        if (found.Error is { } error)
        {
            return error;
        }

        if (found.Value.Status != RefundStatus.PendingApproval)
        {
            return new Error(NotPending, $"Refund {refundId} is {Status(found.Value.Status)}, not waiting for approval");
        }

        if (SamePerson(found.Value.Record.RequestedBy, approver))
        {
            return new Error(SelfApproval, "A refund is approved by someone other than the person who asked for it");
        }

        return await CarryOutAsync(refundId, approver, note?.Trim(), ct);
    }

    /// <summary>Rejects a pending refund: nothing is posted or sent.</summary>
    public async Task<Result<RefundView>> RejectAsync(Guid refundId, string approver, string? note, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var db = database.CreateContext();
        var record = await db.Refunds.AsNoTracking().FirstOrDefaultAsync(r => r.Id == refundId, ct);
        if (record is null)
        {
            return new Error(NotFound, $"There is no refund {refundId}");
        }

        if (record.Status != RefundStatus.PendingApproval)
        {
            return new Error(NotPending, $"Refund {refundId} is {Status(record.Status)}, not waiting for approval");
        }

        if (SamePerson(record.RequestedBy, approver))
        {
            return new Error(SelfApproval, "A refund is rejected by someone other than the person who asked for it");
        }

        // Only a refund nobody has started to carry out: an approver claims it first (CarryOutAsync).
        var trimmed = note?.Trim();
        var rejected = await db.Refunds
            .Where(r => r.Id == refundId && r.Status == RefundStatus.PendingApproval && r.DecidedBy == null)
            .ExecuteUpdateAsync(
                set => set.SetProperty(r => r.Status, RefundStatus.Rejected).SetProperty(r => r.DecidedBy, approver)
                    .SetProperty(r => r.DecidedAt, now).SetProperty(r => r.DecisionNote, trimmed),
                ct);
        if (rejected == 0)
        {
            return new Error(NotPending, $"Refund {refundId} was decided by someone else meanwhile");
        }

        record = await db.Refunds.AsNoTracking().FirstAsync(r => r.Id == refundId, ct);
        var amount = new Money(record.AmountMinor, record.Currency);
        db.AuditLog.Add(AuditLog.Record(now, approver, "refund.rejected", AuditEntities.Account, new AccountId(record.AccountId).ToString(), new { status = "pending_approval" }, Describe(record, amount)));
        await db.SaveChangesAsync(ct);
        return new RefundView(record, amount);
    }

    public async Task<Result<RefundView>> FindAsync(Guid refundId, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var record = await db.Refunds.AsNoTracking().FirstOrDefaultAsync(r => r.Id == refundId, ct);
        return record is null ? new Error(NotFound, $"There is no refund {refundId}") : new RefundView(record, new Money(record.AmountMinor, record.Currency));
    }

    /// <summary>An account's refunds, newest first; or, without an account, every refund with the status.</summary>
    public async Task<IReadOnlyList<RefundView>> ListAsync(AccountId? accountId, RefundStatus? status, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var query = db.Refunds.AsNoTracking();
        if (accountId is { } account)
        {
            query = query.Where(r => r.AccountId == account.Value);
        }

        if (status is { } wanted)
        {
            query = query.Where(r => r.Status == wanted);
        }

        var rows = await query.ToListAsync(ct);
        return rows.OrderByDescending(r => r.Id).Select(r => new RefundView(r, new Money(r.AmountMinor, r.Currency))).ToList();
    }

    /// <summary>
    /// Payments of the account (or of every account, over the last <paramref name="sinceDays"/> days)
    /// that repeat an earlier one: same amount and same reference, received within the window. Reversed
    /// payments are left out.
    /// </summary>
    public async Task<IReadOnlyList<SuspectedDuplicate>> SuspectedDuplicatesAsync(AccountId? accountId, int sinceDays = 90, CancellationToken ct = default)
    {
        var since = clock.Today().AddDays(-sinceDays - _settings.DuplicateWindowDays);
        await using var db = database.CreateContext();
        var entries = db.LedgerEntries.AsNoTracking().Where(e => e.Kind == EntryKind.Payment || e.Kind == EntryKind.Reversal);
        entries = accountId is { } account ? entries.Where(e => e.AccountId == account) : entries.Where(e => e.EffectiveDate >= since);
        var rows = await entries.ToListAsync(ct);
        var reversed = rows.Where(e => e.ReversesEntryId is not null).Select(e => e.ReversesEntryId!.Value).ToHashSet();
        var payments = rows.Where(e => e.Kind == EntryKind.Payment && !reversed.Contains(e.Id) && !string.IsNullOrWhiteSpace(e.Reference)).ToList();
        var paymentIds = payments.Select(p => p.Id.Value).ToList();
        var refunded = (await db.Refunds.AsNoTracking().Where(r => r.PaymentEntryId != null && r.Status == RefundStatus.Completed).Select(r => new { r.PaymentEntryId, r.AmountMinor }).ToListAsync(ct))
            .Where(r => paymentIds.Contains(r.PaymentEntryId!.Value))
            .GroupBy(r => r.PaymentEntryId!.Value).ToDictionary(g => g.Key, g => g.Sum(r => r.AmountMinor));

        var suspects = new List<SuspectedDuplicate>();
        foreach (var group in payments.GroupBy(p => (p.AccountId, p.AmountMinor, Reference: Normalize(p.Reference!))))
        {
            var ordered = group.OrderBy(p => p.EffectiveDate).ThenBy(p => p.Sequence).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                var original = ordered[i - 1];
                var copy = ordered[i];
                var days = copy.EffectiveDate.DayNumber - original.EffectiveDate.DayNumber;
                if (days <= _settings.DuplicateWindowDays)
                {
                    suspects.Add(new SuspectedDuplicate(
                        copy.AccountId, original.Id, original.Sequence, original.EffectiveDate, copy.Id, copy.Sequence, copy.EffectiveDate,
                        -copy.Amount, copy.Reference!, days, new Money(refunded.GetValueOrDefault(copy.Id.Value), copy.Currency)));
                }
            }
        }

        return suspects.OrderByDescending(s => s.DuplicateDate).ThenBy(s => s.AccountId.Value).ToList();
    }

    private static string Normalize(string reference) => string.Join(' ', reference.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();

    /// <summary>Posts the refund and sends it out; on a refusal by the gateway or the ledger marks it failed and posts nothing.</summary>
    private async Task<Result<RefundView>> CarryOutAsync(Guid refundId, string actor, string? note, CancellationToken ct)
    {
        // Claim the refund before money moves: of two approvers (or an approver and a rejecter) only
        // one gets it, so the gateway is never asked to refund for a refund someone else decided.
        var claimedAt = clock.GetUtcNow();
        await using (var claim = database.CreateContext())
        {
            var claimed = await claim.Refunds
                .Where(r => r.Id == refundId && r.Status == RefundStatus.PendingApproval && r.DecidedBy == null)
                .ExecuteUpdateAsync(set => set.SetProperty(r => r.DecidedBy, actor).SetProperty(r => r.DecidedAt, claimedAt).SetProperty(r => r.DecisionNote, note), ct);
            if (claimed == 0)
            {
                return new Error(NotPending, $"Refund {refundId} was decided by someone else meanwhile");
            }
        }

        RefundRecord record;
        CardPaymentRecord? card = null;
        await using (var read = database.CreateContext())
        {
            record = await read.Refunds.AsNoTracking().FirstAsync(r => r.Id == refundId, ct);
            if (record.Channel == RefundChannel.Card)
            {
                card = await read.CardPayments.AsNoTracking().FirstAsync(c => c.EntryId == record.PaymentEntryId, ct);
            }
        }

        var amount = new Money(record.AmountMinor, record.Currency);
        string? gatewayRefundId = null;
        if (card is not null)
        {
            if (gateway is null)
            {
                return await FailAsync(refundId, actor, note, "No card payment gateway is configured (Recoup:Payments:Gateway)", ct);
            }

            var answer = await gateway.RefundAsync(card.TransactionId, amount, $"refund:{refundId}", ct);
            if (!answer.Approved)
            {
                return await FailAsync(refundId, actor, note, $"The gateway refused the refund: {answer.Message} ({TakeCardPayment.ResultCode(answer.Code)})", ct);
            }

            gatewayRefundId = answer.TransactionId;
        }

        var now = clock.GetUtcNow();
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var accountId = new AccountId(record.AccountId);
        await db.Accounts.Where(a => a.Id == accountId).ExecuteUpdateAsync(set => set.SetProperty(a => a.Version, a => a.Version), ct);
        var tracked = await db.Refunds.FirstAsync(r => r.Id == refundId, ct);
        if (tracked.Status != RefundStatus.PendingApproval)
        {
            return new Error(NotPending, $"Refund {refundId} is {Status(tracked.Status)}, not waiting to be carried out");
        }

        var ledgers = await LedgerLoader.LoadAsync(db, a => a.Id == accountId, tracked: true, ct);
        var ledger = ledgers.Single();
        var before = ledger.Balance;
        var paymentId = record.PaymentEntryId is { } p ? new LedgerEntryId(p) : (LedgerEntryId?)null;
        var posted = record.Kind == RefundKind.Overpayment && card is null
            ? ledger.PostRefund(amount, clock.Today(), now, record.Reason, null, $"refund {refundId}")
            : ledger.PostRefund(amount, clock.Today(), now, record.Reason, paymentId, null);
        if (posted.Error is { } refused)
        {
            await transaction.RollbackAsync(ct);
            return await FailAsync(refundId, actor, note, gatewayRefundId is null ? refused.Message : $"Refunded at the gateway ({gatewayRefundId}) but not posted: {refused.Message}", ct);
        }

        db.LedgerEntries.AddRange(ledger.NewEntries);
        db.Allocations.AddRange(ledger.NewAllocations);
        await PostPayment.RefreshSummaryAsync(db, ledger, ct);

        tracked.Status = RefundStatus.Completed;
        tracked.RefundEntryId = posted.Value.Id.Value;
        tracked.GatewayRefundId = gatewayRefundId;
        if (SamePerson(tracked.RequestedBy, actor) && note is null)
        {
            // Carried out at once, below the threshold: nobody decided it.
            tracked.DecidedBy = null;
            tracked.DecidedAt = null;
        }

        if (card is not null)
        {
            var cardRow = await db.CardPayments.FirstAsync(c => c.Id == card.Id, ct);
            cardRow.RefundedMinor += amount.Minor;
        }
        else
        {
            var debtor = ledger.Account.Debtor!;
            var message = new OutboxMessage
            {
                Id = Guid.CreateVersion7(now),
                Channel = OutboxChannel.PaymentInstruction,
                Purpose = "refund",
                AccountId = record.AccountId,
                DebtorId = debtor.Id.Value,
                Recipient = debtor.Name,
                Subject = $"Refund {amount} to {debtor.Name} ({debtor.ExternalId})",
                Body = JsonSerializer.Serialize(new
                {
                    refund_id = refundId,
                    account_id = record.AccountId,
                    debtor_id = debtor.ExternalId,
                    payee = debtor.Name,
                    amount = amount.ToDecimalString(),
                    currency = amount.Currency.Code,
                    reason = record.Reason,
                    kind = record.Kind == RefundKind.Overpayment ? "overpayment" : "duplicate_payment",
                    ledger_entry_id = posted.Value.Id.ToString(),
                    approved_by = tracked.DecidedBy,
                }),
                DedupKey = $"refund:{refundId}",
                CreatedAt = now,
                NotBefore = now,
                Status = OutboxStatus.Pending,
                CreatedBy = actor,
            };
            db.Outbox.Add(message);
            tracked.OutboxMessageId = message.Id;
        }

        db.AuditLog.Add(AuditLog.Record(
            now, actor, "refund.completed", AuditEntities.Account, accountId.ToString(),
            new { balance = before.ToDecimalString(), status = "pending_approval" },
            new
            {
                balance = ledger.Balance.ToDecimalString(),
                refund_id = refundId,
                amount = amount.ToDecimalString(),
                currency = amount.Currency.Code,
                entry_id = posted.Value.Id.ToString(),
                channel = tracked.Channel == RefundChannel.Card ? "card" : "payment_instruction",
                gateway_refund_id = gatewayRefundId,
                approved_by = tracked.DecidedBy,
            }));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new Error(NotPending, $"Refund {refundId} was decided by someone else meanwhile");
        }

        await transaction.CommitAsync(ct);
        return new RefundView(tracked, amount);
    }

    private async Task<Result<RefundView>> FailAsync(Guid refundId, string actor, string? note, string reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = database.CreateContext();
        var record = await db.Refunds.FirstAsync(r => r.Id == refundId, ct);
        record.Status = RefundStatus.Failed;
        record.FailureReason = reason.Length > 500 ? reason[..500] : reason;
        record.DecidedBy ??= actor;
        record.DecidedAt ??= now;
        record.DecisionNote ??= note;
        db.AuditLog.Add(AuditLog.Record(now, actor, "refund.failed", AuditEntities.Account, new AccountId(record.AccountId).ToString(), null, new { refund_id = refundId, reason }));
        await db.SaveChangesAsync(ct);
        return new Error(Failed, reason);
    }

    private static bool SamePerson(string requestedBy, string actor) => UserOf(requestedBy) == UserOf(actor);

    /// <summary>The user name of an actor (<c>ana (api key: nightly)</c> is <c>ana</c>).</summary>
    private static string UserOf(string actor)
    {
        var cut = actor.IndexOf(" (", StringComparison.Ordinal);
        return (cut < 0 ? actor : actor[..cut]).Trim().ToUpperInvariant();
    }

    public static string Status(RefundStatus status) => status switch
    {
        RefundStatus.PendingApproval => "pending_approval",
        RefundStatus.Completed => "completed",
        RefundStatus.Rejected => "rejected",
        _ => "failed",
    };

    private static object Describe(RefundRecord record, Money amount) => new
    {
        refund_id = record.Id,
        kind = record.Kind == RefundKind.Overpayment ? "overpayment" : "duplicate_payment",
        amount = amount.ToDecimalString(),
        currency = amount.Currency.Code,
        reason = record.Reason,
        payment_entry_id = record.PaymentEntryId,
        status = Status(record.Status),
        channel = record.Channel == RefundChannel.Card ? "card" : "payment_instruction",
        decided_by = record.DecidedBy,
        note = record.DecisionNote,
    };
}
