using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Recoup.Data.Disputes;
using Recoup.Domain;
using Recoup.Domain.Adjustments;
using Recoup.Domain.Ledger;
using Recoup.Domain.Plans;
using Recoup.Services.Audit;
using Recoup.Services.Disputes;
using Recoup.Services.Ledger;
using Recoup.Services.Storage;

namespace Recoup.Services.Adjustments;

/// <summary>
/// A balance change by hand: an adjustment (signed: positive adds to the named invoice, negative credits it), a
/// credit memo, or a bad-debt write-off (positive sizes), with a reason code and an optional invoice.
/// </summary>
public sealed record RequestBalanceChange(
    AccountId AccountId, BalanceChangeKind Kind, Money Amount, string Reason, string? InvoiceNumber = null, string? Note = null, DateOnly? EffectiveOn = null);

public sealed record BalanceChangeView(
    Guid Id, AccountId AccountId, BalanceChangeKind Kind, Money Amount, string? InvoiceNumber, string Reason, string? Note, DateOnly EffectiveOn,
    BalanceChangeStatus Status, string RequestedBy, string RequestedByRole, DateTimeOffset RequestedAt, string? NeedsApprovalBy,
    string? DecidedBy, DateTimeOffset? DecidedAt, LedgerEntryId? EntryId)
{
    public static BalanceChangeView Of(BalanceChangeRecord c, ApprovalLimits limits) => new(
        c.Id, c.AccountId, c.Kind, new Money(c.AmountMinor, c.Currency), c.InvoiceNumber, c.Reason, c.Note, c.EffectiveOn, c.Status,
        c.RequestedBy, c.RequestedByRole, c.RequestedAt,
        c.Status == BalanceChangeStatus.PendingApproval ? limits.LeastRoleFor(new Money(c.AmountMinor, c.Currency))?.ToString().ToLowerInvariant() ?? "nobody" : null,
        c.DecidedBy, c.DecidedAt, c.EntryId);
}

/// <summary>
/// Adjustments, credit memos and bad-debt write-offs by hand, all as ledger entries. Within the requester's limit
/// (<see cref="DisputeSettings.Adjustments"/>, <see cref="DisputeSettings.BadDebt"/>) a change is posted at once;
/// beyond it, it waits for someone whose limit covers it, who approves (and it is posted then) or rejects it.
/// Every request and decision is audited on the account.
/// </summary>
public sealed class BalanceChanges(RecoupDatabase database, TimeProvider clock, DisputeSettings settings)
{
    public const string NotFound = "balance_change_not_found";

    /// <summary>Reason codes for adjustments and credit memos.</summary>
    public static IReadOnlyList<string> AdjustmentReasons { get; } = ["billing_error", "pricing", "returned_goods", "duplicate_billing", "goodwill", "dispute", "other"];

    /// <summary>Reason codes for bad-debt write-offs.</summary>
    public static IReadOnlyList<string> WriteOffReasons { get; } = ["uncollectable", "bankruptcy", "deceased", "statute_expired", "skip", "other"];

    public ApprovalLimits LimitsFor(BalanceChangeKind kind) => kind == BalanceChangeKind.BadDebtWriteOff ? settings.BadDebt : settings.Adjustments;

    public async Task<Result<BalanceChangeView>> RequestAsync(RequestBalanceChange request, string actor, SettlementRole role, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reasons = request.Kind == BalanceChangeKind.BadDebtWriteOff ? WriteOffReasons : AdjustmentReasons;
        var reason = request.Reason?.Trim().ToLowerInvariant() ?? "";
        if (!reasons.Contains(reason))
        {
            return new Error("reason_unknown", $"'{request.Reason}' is not a reason code here; use one of {string.Join(", ", reasons)}", "reason");
        }

        if (request.Amount.IsZero || (request.Kind != BalanceChangeKind.Adjustment && request.Amount.IsNegative))
        {
            return new Error("amount_not_positive", request.Kind == BalanceChangeKind.Adjustment ? "An adjustment cannot be zero" : "The amount must be more than zero", "amount");
        }

        if (request.Note is { Length: > 1000 })
        {
            return new Error("note_too_long", "The note is longer than 1,000 characters", "note");
        }

        var now = clock.GetUtcNow();
        var today = clock.Today();
        var effectiveOn = request.EffectiveOn ?? today;
        if (effectiveOn > today)
        {
            return new Error("effective_in_future", $"A change cannot take effect in the future ({effectiveOn:yyyy-MM-dd} is after today)", "effective_on");
        }

        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var accountId = request.AccountId;
        await db.Accounts.Where(a => a.Id == accountId).ExecuteUpdateAsync(set => set.SetProperty(a => a.Version, a => a.Version), ct);
        var ledgers = await LedgerLoader.LoadAsync(db, a => a.Id == accountId, tracked: true, ct);
        if (ledgers is not [var ledger])
        {
            return new Error("account_not_found", $"There is no account {accountId}");
        }

        if (request.Amount.Currency != ledger.Currency)
        {
            return new Error("currency_mismatch", $"The account is in {ledger.Currency.Code}", "amount");
        }

        Invoice? invoice = null;
        if (!string.IsNullOrWhiteSpace(request.InvoiceNumber))
        {
            invoice = ledger.Invoices.FirstOrDefault(i => i.Number == request.InvoiceNumber.Trim());
            if (invoice is null)
            {
                return new Error("invoice_not_found", $"Invoice '{request.InvoiceNumber}' is not on this account", "invoice_number");
            }
        }

        var change = new BalanceChangeRecord
        {
            Id = SequentialGuid.Create(now),
            AccountId = accountId,
            DebtorId = ledger.Account.DebtorId,
            Kind = request.Kind,
            Currency = ledger.Currency,
            AmountMinor = request.Amount.Minor,
            InvoiceId = invoice?.Id,
            InvoiceNumber = invoice?.Number,
            Reason = reason,
            Note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim(),
            EffectiveOn = effectiveOn,
            RequestedBy = actor,
            RequestedByRole = role.ToString().ToLowerInvariant(),
            RequestedAt = now,
        };

        // Posted on the loaded ledger either way, so that a change the ledger refuses is refused now, not at approval.
        var before = ledger.Balance;
        var posted = Post(ledger, change, now);
        if (posted.Error is { } refused)
        {
            return refused with { Field = refused.Field ?? "amount" };
        }

        var limits = LimitsFor(request.Kind);
        var refusal = limits.Refusal(role, request.Amount);
        if (refusal is null)
        {
            change.Status = BalanceChangeStatus.Posted;
            change.EntryId = posted.Value.Id;
            change.DecidedBy = actor;
            change.DecidedAt = now;
            await LedgerWrites.StageAsync(db, [ledger], ct);
        }
        else
        {
            // Only tried: nothing is posted until approved, and the account's version stays as it is.
            change.Status = BalanceChangeStatus.PendingApproval;
            db.Entry(ledger.Account).State = EntityState.Detached;
        }

        db.BalanceChanges.Add(change);
        db.AuditLog.Add(AuditLog.Record(now, actor, ActionOf(change.Kind) + (refusal is null ? ".posted" : ".requested"), AuditEntities.Account, accountId.ToString(),
            new { balance = before.ToDecimalString(), currency = ledger.Currency.Code },
            Describe(change, refusal is null ? ledger.Balance : before, refusal)));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return BalanceChangeView.Of(change, limits);
    }

    /// <summary>Approves a pending change and posts it; the approver's own limit must cover it, and the approver cannot be the requester.</summary>
    public async Task<Result<BalanceChangeView>> ApproveAsync(Guid changeId, string actor, SettlementRole role, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var change = await db.BalanceChanges.SingleOrDefaultAsync(c => c.Id == changeId, ct);
        if (change is null)
        {
            return new Error(NotFound, $"There is no adjustment, credit memo or write-off {changeId}");
        }

        if (change.Status != BalanceChangeStatus.PendingApproval)
        {
            return new Error("not_pending_approval", $"It is already {Describe(change.Status)}");
        }

        var limits = LimitsFor(change.Kind);
        var amount = new Money(change.AmountMinor, change.Currency);
        if (limits.Refusal(role, amount) is { } refusal)
        {
            return new Error("beyond_authority", refusal);
        }

        if (string.Equals(change.RequestedBy, actor, StringComparison.Ordinal))
        {
            return new Error("own_request", "A change beyond your limit when you asked for it must be approved by someone else");
        }

        var accountId = change.AccountId;
        await db.Accounts.Where(a => a.Id == accountId).ExecuteUpdateAsync(set => set.SetProperty(a => a.Version, a => a.Version), ct);
        var ledger = (await LedgerLoader.LoadAsync(db, a => a.Id == accountId, tracked: true, ct)).Single();
        var before = ledger.Balance;
        var posted = Post(ledger, change, now);
        if (posted.Error is { } refused)
        {
            return refused;
        }

        await LedgerWrites.StageAsync(db, [ledger], ct);
        change.Status = BalanceChangeStatus.Posted;
        change.EntryId = posted.Value.Id;
        change.DecidedBy = actor;
        change.DecidedAt = now;
        db.AuditLog.Add(AuditLog.Record(now, actor, ActionOf(change.Kind) + ".approved", AuditEntities.Account, accountId.ToString(),
            new { balance = before.ToDecimalString(), currency = ledger.Currency.Code, status = "pending_approval" },
            Describe(change, ledger.Balance, null)));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return BalanceChangeView.Of(change, limits);
    }

    public async Task<Result<BalanceChangeView>> RejectAsync(Guid changeId, string reason, string actor, SettlementRole role, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return new Error("reason_missing", "Say why it is rejected", "reason");
        }

        var now = clock.GetUtcNow();
        await using var db = database.CreateContext();
        var change = await db.BalanceChanges.SingleOrDefaultAsync(c => c.Id == changeId, ct);
        if (change is null)
        {
            return new Error(NotFound, $"There is no adjustment, credit memo or write-off {changeId}");
        }

        if (change.Status != BalanceChangeStatus.PendingApproval)
        {
            return new Error("not_pending_approval", $"It is already {Describe(change.Status)}");
        }

        var limits = LimitsFor(change.Kind);
        if (limits.Refusal(role, new Money(change.AmountMinor, change.Currency)) is { } refusal)
        {
            return new Error("beyond_authority", refusal);
        }

        change.Status = BalanceChangeStatus.Rejected;
        change.DecidedBy = actor;
        change.DecidedAt = now;
        db.AuditLog.Add(AuditLog.Record(now, actor, ActionOf(change.Kind) + ".rejected", AuditEntities.Account, change.AccountId.ToString(),
            new { change_id = change.Id, status = "pending_approval" },
            new { summary = $"{Label(change.Kind)} of {new Money(change.AmountMinor, change.Currency)} rejected by {actor}: {reason.Trim()}", change_id = change.Id, status = "rejected", reason = reason.Trim() }));
        await db.SaveChangesAsync(ct);
        return BalanceChangeView.Of(change, limits);
    }

    public async Task<IReadOnlyList<BalanceChangeView>> ForAccountAsync(AccountId accountId, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var rows = await db.BalanceChanges.AsNoTracking().Where(c => c.AccountId == accountId).ToListAsync(ct);
        return rows.OrderByDescending(c => c.Id).Select(c => BalanceChangeView.Of(c, LimitsFor(c.Kind))).ToList();
    }

    /// <summary>Every change waiting for approval, oldest first.</summary>
    public async Task<IReadOnlyList<BalanceChangeView>> PendingAsync(CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var rows = await db.BalanceChanges.AsNoTracking().Where(c => c.Status == BalanceChangeStatus.PendingApproval).OrderBy(c => c.Id).Take(500).ToListAsync(ct);
        return rows.Select(c => BalanceChangeView.Of(c, LimitsFor(c.Kind))).ToList();
    }

    public static string ActionOf(BalanceChangeKind kind) => kind switch
    {
        BalanceChangeKind.Adjustment => "adjustment",
        BalanceChangeKind.CreditMemo => "credit_memo",
        BalanceChangeKind.BadDebtWriteOff => "write_off",
    };

    private static string Label(BalanceChangeKind kind) => kind switch
    {
        BalanceChangeKind.Adjustment => "Adjustment",
        BalanceChangeKind.CreditMemo => "Credit memo",
        BalanceChangeKind.BadDebtWriteOff => "Bad-debt write-off",
    };

    public static string Describe(BalanceChangeStatus status) => status switch
    {
        BalanceChangeStatus.PendingApproval => "pending approval",
        BalanceChangeStatus.Posted => "posted",
        BalanceChangeStatus.Rejected => "rejected",
    };

    private static Result<LedgerEntry> Post(AccountLedger ledger, BalanceChangeRecord change, DateTimeOffset now)
    {
        var amount = new Money(change.AmountMinor, change.Currency);
        var memo = change.Reason.Replace('_', ' ') + (change.Note is { } note ? $": {note}" : "");
        return change.Kind switch
        {
            BalanceChangeKind.Adjustment => ledger.PostAdjustment(amount, change.EffectiveOn, now, memo, change.InvoiceId),
            BalanceChangeKind.CreditMemo => ledger.PostCreditMemo(amount, change.EffectiveOn, now, memo, change.InvoiceId),
            BalanceChangeKind.BadDebtWriteOff => ledger.WriteOff(amount, change.EffectiveOn, now, "bad debt: " + memo, change.InvoiceId),
        };
    }

    private static object Describe(BalanceChangeRecord change, Money balance, string? refusal) => new
    {
        summary = $"{Label(change.Kind)} of {new Money(change.AmountMinor, change.Currency)}{(change.InvoiceNumber is { } n ? $" on {n}" : "")} ({change.Reason.Replace('_', ' ')}) " +
            (change.Status == BalanceChangeStatus.Posted
                ? $"posted{(change.DecidedBy is { } by && by != change.RequestedBy ? $", approved by {by}" : "")}"
                : $"asked by {change.RequestedBy}: {refusal}"),
        change_id = change.Id,
        kind = ActionOf(change.Kind),
        amount = new Money(change.AmountMinor, change.Currency).ToDecimalString(),
        currency = change.Currency.Code,
        invoice = change.InvoiceNumber,
        reason = change.Reason,
        note = change.Note,
        effective_on = change.EffectiveOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        status = Describe(change.Status),
        needs_approval = refusal,
        ledger_entry_id = change.EntryId?.ToString(),
        balance = balance.ToDecimalString(),
    };
}
