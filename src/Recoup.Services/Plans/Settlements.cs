using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Data.Plans;
using Recoup.Domain;
using Recoup.Domain.Plans;
using Recoup.Services.Audit;
using Recoup.Services.Storage;

namespace Recoup.Services.Plans;

/// <summary>An offer to settle the account for less: a lump sum by a date, or a short plan.</summary>
public sealed record OfferSettlement(
    AccountId AccountId, Money Amount, SettlementKind Kind, DateOnly? DueOn, PlanFrequency? Frequency = null, DateOnly? FirstDue = null, int? Installments = null);

public sealed record SettlementView(
    Guid Id, AccountId AccountId, Money Balance, Money Amount, decimal DiscountPercent, SettlementKind Kind, DateOnly? DueOn, Guid? PlanId,
    SettlementStatus Status, DateOnly? ResolvedOn, string OfferedBy, string OfferedByRole, DateTimeOffset OfferedAt, string? ApprovedBy,
    DateTimeOffset? ApprovedAt, string? NeedsApprovalBy, Money Paid, LedgerEntryId? WriteOffEntryId)
{
    public static SettlementView Of(SettlementRecord s, SettlementAuthority authority) => new(
        s.Id, s.AccountId, new Money(s.BalanceMinor, s.Currency), new Money(s.AmountMinor, s.Currency), s.DiscountPercent, s.Kind, s.DueOn, s.PlanId,
        s.Status, s.ResolvedOn, s.OfferedBy, s.OfferedByRole, s.OfferedAt, s.ApprovedBy, s.ApprovedAt,
        s.Status == SettlementStatus.PendingApproval ? authority.LeastRoleFor(s.DiscountPercent)?.ToString().ToLowerInvariant() ?? "nobody" : null,
        new Money(s.PaidMinor, s.Currency), s.WriteOffEntryId);
}

/// <summary>
/// Settlements: an offer within the offerer's authority (<see cref="SettlementAuthority"/>) is agreed
/// at once; beyond it, it waits for someone senior enough. A settlement in installments is paid by a
/// plan for the settlement amount. When the money is in, the daily monitoring writes the rest of the
/// balance off with reason "settlement".
/// </summary>
public sealed class Settlements(RecoupDatabase database, TimeProvider clock, PlanSettings settings)
{
    public const string NotFound = "settlement_not_found";
    public const string Reason = "settlement";

    /// <summary>The longest a lump sum may be given to arrive, and the most installments a settlement plan may have.</summary>
    public const int MaxDaysToPay = 90;

    public const int MaxInstallments = 6;

    public async Task<Result<SettlementView>> OfferAsync(OfferSettlement request, string actor, SettlementRole role, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.GetUtcNow();
        var today = clock.Today();
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var accountId = request.AccountId;
        var summary = await db.AccountSummaries.AsNoTracking().SingleOrDefaultAsync(s => s.AccountId == accountId.Value, ct);
        if (summary is null)
        {
            return new Error("account_not_found", $"There is no account {request.AccountId}");
        }

        var balance = new Money(summary.BalanceMinor, summary.Currency);
        if (request.Amount.Currency != balance.Currency)
        {
            return new Error("currency_mismatch", $"The account is in {balance.Currency.Code}", "currency");
        }

        if (!balance.IsPositive)
        {
            return new Error("nothing_owed", "The account owes nothing; there is nothing to settle");
        }

        if (!request.Amount.IsPositive || request.Amount >= balance)
        {
            return new Error("amount_out_of_range", $"A settlement is more than zero and less than the balance ({balance.ToDecimalString()})", "amount");
        }

        if (await db.Settlements.AnyAsync(s => s.AccountId == accountId && (s.Status == SettlementStatus.Active || s.Status == SettlementStatus.PendingApproval), ct))
        {
            return new Error("settlement_already_open", "The account already has a settlement offer; withdraw it before making another");
        }

        if (ValidateTerms(request, today) is { } invalid)
        {
            return invalid;
        }

        var discount = decimal.Round(SettlementAuthority.DiscountPercent(balance, request.Amount), 4);
        var settlement = new SettlementRecord
        {
            Id = SequentialGuid.Create(now),
            AccountId = accountId,
            DebtorId = summary.DebtorId,
            Currency = balance.Currency,
            BalanceMinor = balance.Minor,
            AmountMinor = request.Amount.Minor,
            Kind = request.Kind,
            DueOn = request.Kind == SettlementKind.LumpSum ? request.DueOn : null,
            Frequency = request.Kind == SettlementKind.Installments ? request.Frequency ?? PlanFrequency.Monthly : null,
            FirstDue = request.Kind == SettlementKind.Installments ? request.FirstDue : null,
            Installments = request.Kind == SettlementKind.Installments ? request.Installments : null,
            StartOn = today,
            Status = settings.Authority.Allows(role, discount) ? SettlementStatus.Active : SettlementStatus.PendingApproval,
            OfferedBy = actor,
            OfferedByRole = role.ToString().ToLowerInvariant(),
            OfferedAt = now,
        };
        db.Settlements.Add(settlement);
        if (settlement.Status == SettlementStatus.Active && request.Kind == SettlementKind.Installments)
        {
            var made = await StartPlanAsync(db, settlement, request, actor, now, ct);
            if (made.Error is { } refused)
            {
                return refused;
            }
        }

        db.AuditLog.Add(AuditLog.Record(now, actor, "settlement.offered", AuditEntities.Account, accountId.ToString(), null, new
        {
            settlement_id = settlement.Id,
            balance = balance.ToDecimalString(),
            amount = request.Amount.ToDecimalString(),
            currency = balance.Currency.Code,
            discount_percent = discount,
            kind = request.Kind.ToString(),
            status = settlement.Status.ToString(),
            needs_approval = settlement.Status == SettlementStatus.PendingApproval ? settings.Authority.Refusal(role, discount) : null,
        }));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return SettlementView.Of(settlement, settings.Authority);
    }

    /// <summary>Approves an offer waiting for approval; the approver's own authority must cover the discount.</summary>
    public async Task<Result<SettlementView>> ApproveAsync(Guid settlementId, string actor, SettlementRole role, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var settlement = await db.Settlements.SingleOrDefaultAsync(s => s.Id == settlementId, ct);
        if (settlement is null)
        {
            return new Error(NotFound, $"There is no settlement {settlementId}");
        }

        if (settlement.Status != SettlementStatus.PendingApproval)
        {
            return new Error("settlement_not_pending_approval", $"The settlement is {settlement.Status.ToString().ToLowerInvariant()}; only an offer waiting for approval can be approved");
        }

        if (settings.Authority.Refusal(role, settlement.DiscountPercent) is { } refusal)
        {
            return new Error("beyond_authority", refusal);
        }

        settlement.Status = SettlementStatus.Active;
        settlement.ApprovedBy = actor;
        settlement.ApprovedAt = now;
        settlement.StartOn = clock.Today();
        if (settlement.Kind == SettlementKind.Installments)
        {
            var firstDue = settlement.FirstDue is { } due && due >= clock.Today() ? due : clock.Today();
            var request = new OfferSettlement(settlement.AccountId, new Money(settlement.AmountMinor, settlement.Currency), settlement.Kind, null,
                settlement.Frequency, firstDue, settlement.Installments);
            var made = await StartPlanAsync(db, settlement, request, actor, now, ct);
            if (made.Error is { } refused)
            {
                return refused;
            }
        }

        db.AuditLog.Add(AuditLog.Record(now, actor, "settlement.approved", AuditEntities.Account, settlement.AccountId.ToString(),
            new { settlement_id = settlement.Id, status = "pending_approval" }, new { settlement_id = settlement.Id, status = "active", discount_percent = settlement.DiscountPercent }));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return SettlementView.Of(settlement, settings.Authority);
    }

    public async Task<Result<SettlementView>> WithdrawAsync(Guid settlementId, string reason, string actor, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return new Error("reason_missing", "Say why the offer is withdrawn", "reason");
        }

        var now = clock.GetUtcNow();
        await using var db = database.CreateContext();
        var settlement = await db.Settlements.SingleOrDefaultAsync(s => s.Id == settlementId, ct);
        if (settlement is null)
        {
            return new Error(NotFound, $"There is no settlement {settlementId}");
        }

        if (settlement.Status is not (SettlementStatus.Active or SettlementStatus.PendingApproval))
        {
            return new Error("settlement_closed", $"The settlement is already {settlement.Status.ToString().ToLowerInvariant()}");
        }

        settlement.Status = SettlementStatus.Withdrawn;
        settlement.ResolvedOn = clock.Today();
        if (settlement.PlanId is { } planId)
        {
            await db.PaymentPlans.Where(p => p.Id == planId && p.Status == PlanStatus.Active)
                .ExecuteUpdateAsync(set => set.SetProperty(p => p.Status, PlanStatus.Cancelled).SetProperty(p => p.StatusSince, clock.Today()), ct);
            await PaymentPlans.CancelRemindersAsync(db, planId, ct);
        }

        db.AuditLog.Add(AuditLog.Record(now, actor, "settlement.withdrawn", AuditEntities.Account, settlement.AccountId.ToString(),
            new { settlement_id = settlement.Id }, new { settlement_id = settlement.Id, status = "withdrawn", reason = reason.Trim() }));
        await db.SaveChangesAsync(ct);
        return SettlementView.Of(settlement, settings.Authority);
    }

    public async Task<IReadOnlyList<SettlementView>> ListAsync(AccountId accountId, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var rows = await db.Settlements.AsNoTracking().Where(s => s.AccountId == accountId).ToListAsync(ct);
        return rows.OrderByDescending(s => s.OfferedAt).Select(s => SettlementView.Of(s, settings.Authority)).ToList();
    }

    public async Task<Result<SettlementView>> GetAsync(Guid settlementId, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var row = await db.Settlements.AsNoTracking().SingleOrDefaultAsync(s => s.Id == settlementId, ct);
        return row is null ? new Error(NotFound, $"There is no settlement {settlementId}") : SettlementView.Of(row, settings.Authority);
    }

    private static Error? ValidateTerms(OfferSettlement request, DateOnly today)
    {
        switch (request.Kind)
        {
            case SettlementKind.LumpSum:
                return request.DueOn is not { } due || due < today || due > today.AddDays(MaxDaysToPay)
                    ? new Error("due_on_out_of_range", $"A lump sum is due from today to {MaxDaysToPay} days ahead", "due_on")
                    : null;
            case SettlementKind.Installments:
                if (request.Installments is not { } count || count < 2 || count > MaxInstallments)
                {
                    return new Error("installments_out_of_range", $"A settlement in installments has from 2 to {MaxInstallments} installments", "installments");
                }

                return request.FirstDue is not { } first || first < today || first > today.AddDays(PaymentPlans.MaxDaysToFirstDue)
                    ? new Error("first_due_out_of_range", $"The first installment is due from today to {PaymentPlans.MaxDaysToFirstDue} days ahead", "first_due")
                    : null;
            default:
                return new Error("kind_unknown", "A settlement is a lump sum or installments", "kind");
        }
    }

    private async Task<Result<PaymentPlanRecord>> StartPlanAsync(RecoupDbContext db, SettlementRecord settlement, OfferSettlement request, string actor, DateTimeOffset now, CancellationToken ct)
    {
        var amount = new Money(settlement.AmountMinor, settlement.Currency);
        var schedule = PlanSchedule.Build(new PlanTerms(amount, Money.Zero(amount.Currency), request.Frequency ?? PlanFrequency.Monthly, request.FirstDue!.Value, request.Installments, null));
        if (schedule.Error is { } invalid)
        {
            return invalid;
        }

        // A plan already open on the account is replaced by the settlement's.
        var accountId = settlement.AccountId;
        foreach (var open in await db.PaymentPlans.Where(p => p.AccountId == accountId && (p.Status == PlanStatus.Active || p.Status == PlanStatus.PendingApproval)).ToListAsync(ct))
        {
            open.Status = PlanStatus.Cancelled;
            open.StatusSince = clock.Today();
            await PaymentPlans.CancelRemindersAsync(db, open.Id, ct);
        }

        var plan = new PaymentPlanRecord
        {
            Id = SequentialGuid.Create(now),
            AccountId = accountId,
            DebtorId = settlement.DebtorId,
            Currency = settlement.Currency,
            TotalMinor = settlement.AmountMinor,
            Frequency = request.Frequency ?? PlanFrequency.Monthly,
            FirstDue = request.FirstDue!.Value,
            StartOn = settlement.StartOn,
            Status = PlanStatus.Active,
            ScheduleVersion = 1,
            CreatedBy = actor,
            CreatedAt = now,
            SettlementId = settlement.Id,
        };
        db.PaymentPlans.Add(plan);
        db.PlanInstallments.AddRange(PaymentPlans.Rows(plan.Id, 1, schedule.Value));
        db.PlanRevisions.Add(new PlanRevisionRecord { PlanId = plan.Id, Version = 1, Kind = "created", Reason = "settlement", By = actor, At = now });
        settlement.PlanId = plan.Id;
        return plan;
    }
}
