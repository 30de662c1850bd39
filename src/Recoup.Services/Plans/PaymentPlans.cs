using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Data.Plans;
using Recoup.Domain;
using Recoup.Domain.Plans;
using Recoup.Services.Audit;
using Recoup.Services.Storage;

namespace Recoup.Services.Plans;

/// <summary>A plan to set up on an account. Without a total, the plan is for the whole balance.</summary>
public sealed record CreatePlan(AccountId AccountId, Money? Total, Money DownPayment, PlanFrequency Frequency, DateOnly FirstDue, int? Installments, Money? InstallmentAmount);

/// <summary>A change to a plan's schedule; the schedule before it stays in the plan's history.</summary>
/// <param name="Kind"><c>reage</c>: every past-due unpaid installment moves to the end, bringing the plan current (a defaulted plan is reinstated);
/// <c>skip</c>: the next unpaid installment (or <paramref name="Installment"/>) moves to the end;
/// <c>reschedule</c>: what is still unpaid gets new terms (<paramref name="Frequency"/>, <paramref name="FirstDue"/>, and a count or an amount).</param>
public sealed record ChangePlan(string Kind, string Reason, int? Installment = null, PlanFrequency? Frequency = null, DateOnly? FirstDue = null, int? Installments = null, Money? InstallmentAmount = null);

public sealed record InstallmentView(int Number, DateOnly Due, Money Amount, Money Paid, DateOnly? CoveredOn, InstallmentStatus Status);

public sealed record PlanRevisionView(int Version, string Kind, string? Reason, string By, DateTimeOffset At, IReadOnlyList<InstallmentView> Installments);

public sealed record PlanView(
    Guid Id, AccountId AccountId, Money Total, Money DownPayment, PlanFrequency Frequency, DateOnly FirstDue, DateOnly StartOn,
    PlanStatus Status, DateOnly? StatusSince, int Version, IReadOnlyList<string> PolicyBreaches,
    string CreatedBy, DateTimeOffset CreatedAt, string? ApprovedBy, DateTimeOffset? ApprovedAt, Guid? SettlementId,
    IReadOnlyList<InstallmentView> Installments, Money Paid, IReadOnlyList<PlanRevisionView> History)
{
    public Money Remaining => Total - Paid;
}

/// <summary>
/// Payment plans: previews a schedule, sets a plan up (checked against the debt type's policy: a
/// plan outside it waits for a supervisor, unless a supervisor or above sets it up, whose approval
/// is then recorded), approves, changes (re-age, skip, reschedule — each a new schedule version,
/// the old kept) and cancels. Every step is audited on the account's timeline.
/// </summary>
public sealed class PaymentPlans(RecoupDatabase database, TimeProvider clock, PlanSettings settings)
{
    public const string NotFound = "plan_not_found";

    /// <summary>How far ahead a plan's first installment may be.</summary>
    public const int MaxDaysToFirstDue = 60;

    /// <param name="mayApprove">True when the actor is a supervisor or above: a plan outside policy is then active at once, with the approval recorded as theirs.</param>
    public async Task<Result<PlanView>> CreateAsync(CreatePlan request, string actor, bool mayApprove, CancellationToken ct = default)
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

        var currency = summary.Currency;
        var balance = new Money(summary.BalanceMinor, currency);
        var total = request.Total ?? balance;
        if (total.Currency != currency || request.DownPayment.Currency != currency)
        {
            return new Error("currency_mismatch", $"The account is in {currency.Code}", "currency");
        }

        if (total > balance)
        {
            return new Error("total_above_balance", $"The plan's total ({total.ToDecimalString()}) is more than the balance ({balance.ToDecimalString()})", "total");
        }

        if (request.FirstDue < today || request.FirstDue > today.AddDays(MaxDaysToFirstDue))
        {
            return new Error("first_due_out_of_range", $"The first installment is due from today to {MaxDaysToFirstDue} days ahead ({today.AddDays(MaxDaysToFirstDue):yyyy-MM-dd})", "first_due");
        }

        var open = await db.PaymentPlans.AnyAsync(p => p.AccountId == accountId && (p.Status == PlanStatus.Active || p.Status == PlanStatus.PendingApproval), ct);
        if (open)
        {
            return new Error("plan_already_open", "The account already has a plan; change or cancel it instead of starting another");
        }

        var terms = new PlanTerms(total, request.DownPayment, request.Frequency, request.FirstDue, request.Installments, request.InstallmentAmount);
        var schedule = PlanSchedule.Build(terms);
        if (schedule.Error is { } invalid)
        {
            return invalid;
        }

        var breaches = settings.PolicyFor(summary.DebtType).Breaches(terms, schedule.Value);
        var plan = new PaymentPlanRecord
        {
            Id = SequentialGuid.Create(now),
            AccountId = accountId,
            DebtorId = summary.DebtorId,
            Currency = currency,
            TotalMinor = total.Minor,
            DownPaymentMinor = request.DownPayment.Minor,
            Frequency = request.Frequency,
            FirstDue = request.FirstDue,
            StartOn = today,
            Status = breaches.Count == 0 || mayApprove ? PlanStatus.Active : PlanStatus.PendingApproval,
            ScheduleVersion = 1,
            PolicyBreaches = breaches.Count == 0 ? null : string.Join('\n', breaches),
            CreatedBy = actor,
            CreatedAt = now,
            ApprovedBy = breaches.Count > 0 && mayApprove ? actor : null,
            ApprovedAt = breaches.Count > 0 && mayApprove ? now : null,
        };
        db.PaymentPlans.Add(plan);
        db.PlanInstallments.AddRange(Rows(plan.Id, 1, schedule.Value));
        db.PlanRevisions.Add(new PlanRevisionRecord { PlanId = plan.Id, Version = 1, Kind = "created", By = actor, At = now });
        db.AuditLog.Add(AuditLog.Record(now, actor, "plan.created", AuditEntities.Account, accountId.ToString(), null, new
        {
            plan_id = plan.Id,
            total = total.ToDecimalString(),
            currency = currency.Code,
            down_payment = request.DownPayment.ToDecimalString(),
            frequency = request.Frequency.ToString(),
            installments = schedule.Value.Count,
            first_due = request.FirstDue,
            status = plan.Status.ToString(),
            outside_policy = breaches.Count == 0 ? null : breaches,
            approved_by = plan.ApprovedBy,
        }));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return await ViewAsync(db, plan, ct);
    }

    public async Task<Result<PlanView>> ApproveAsync(Guid planId, string actor, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var db = database.CreateContext();
        var plan = await db.PaymentPlans.SingleOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null)
        {
            return new Error(NotFound, $"There is no plan {planId}");
        }

        if (plan.Status != PlanStatus.PendingApproval)
        {
            return new Error("plan_not_pending_approval", $"The plan is {Describe(plan.Status)}; only a plan waiting for approval can be approved");
        }

        plan.Status = PlanStatus.Active;
        plan.ApprovedBy = actor;
        plan.ApprovedAt = now;
        db.AuditLog.Add(AuditLog.Record(now, actor, "plan.approved", AuditEntities.Account, plan.AccountId.ToString(),
            new { plan_id = plan.Id, status = "pending_approval" }, new { plan_id = plan.Id, status = "active", outside_policy = plan.PolicyBreaches?.Split('\n') }));
        await db.SaveChangesAsync(ct);
        return await ViewAsync(db, plan, ct);
    }

    public async Task<Result<PlanView>> CancelAsync(Guid planId, string reason, string actor, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return new Error("reason_missing", "Say why the plan is cancelled", "reason");
        }

        var now = clock.GetUtcNow();
        await using var db = database.CreateContext();
        var plan = await db.PaymentPlans.SingleOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null)
        {
            return new Error(NotFound, $"There is no plan {planId}");
        }

        if (plan.Status is not (PlanStatus.Active or PlanStatus.PendingApproval))
        {
            return new Error("plan_closed", $"The plan is already {Describe(plan.Status)}");
        }

        var before = plan.Status;
        plan.Status = PlanStatus.Cancelled;
        plan.StatusSince = clock.Today();
        await CancelRemindersAsync(db, plan.Id, ct);
        db.AuditLog.Add(AuditLog.Record(now, actor, "plan.cancelled", AuditEntities.Account, plan.AccountId.ToString(),
            new { plan_id = plan.Id, status = before.ToString() }, new { plan_id = plan.Id, status = "cancelled", reason = reason.Trim() }));
        await db.SaveChangesAsync(ct);
        return await ViewAsync(db, plan, ct);
    }

    public async Task<Result<PlanView>> ChangeAsync(Guid planId, ChangePlan change, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (string.IsNullOrWhiteSpace(change.Reason))
        {
            return new Error("reason_missing", "Say why the plan is changed", "reason");
        }

        var now = clock.GetUtcNow();
        var today = clock.Today();
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var plan = await db.PaymentPlans.SingleOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null)
        {
            return new Error(NotFound, $"There is no plan {planId}");
        }

        var reinstating = change.Kind == "reage" && plan.Status == PlanStatus.Defaulted;
        if (plan.Status != PlanStatus.Active && !reinstating)
        {
            return new Error("plan_not_active", $"The plan is {Describe(plan.Status)}; only an active plan can be changed (a defaulted one can be re-aged)");
        }

        var current = await db.PlanInstallments.AsNoTracking()
            .Where(i => i.PlanId == planId && i.Version == plan.ScheduleVersion).OrderBy(i => i.Number).ToListAsync(ct);
        var currency = plan.Currency;
        var paidRows = current.Where(i => i.CoveredOn is not null).ToList();
        var unpaid = current.Where(i => i.CoveredOn is null).ToList();
        if (unpaid.Count == 0)
        {
            return new Error("plan_fully_paid", "Every installment is paid; there is nothing to change");
        }

        var frequency = plan.Frequency;
        List<(DateOnly Due, long Minor)> rest;
        switch (change.Kind)
        {
            case "reage":
            {
                var pastDue = unpaid.Where(i => i.Due < today).ToList();
                if (pastDue.Count == 0)
                {
                    return new Error("plan_current", "No installment is past due; there is nothing to re-age", "kind");
                }

                var future = unpaid.Where(i => i.Due >= today).Select(i => (i.Due, i.AmountMinor - i.PaidMinor)).ToList();
                rest = [.. future, .. Append(future.Count > 0 ? future[^1].Due : today, frequency, pastDue.Select(i => i.AmountMinor - i.PaidMinor), future.Count == 0)];
                break;
            }

            case "skip":
            {
                var skipped = change.Installment is { } number ? unpaid.FirstOrDefault(i => i.Number == number) : unpaid[0];
                if (skipped is null)
                {
                    return new Error("installment_not_unpaid", $"Installment {change.Installment} is not an unpaid installment of the plan", "installment");
                }

                var others = unpaid.Where(i => i != skipped).Select(i => (i.Due, i.AmountMinor - i.PaidMinor)).ToList();
                rest = [.. others, .. Append(unpaid[^1].Due, frequency, [skipped.AmountMinor - skipped.PaidMinor], startAtAnchor: false)];
                break;
            }

            case "reschedule":
            {
                if (change.FirstDue is not { } firstDue || firstDue < today)
                {
                    return new Error("first_due_out_of_range", "Give the new first due date, today or later", "first_due");
                }

                frequency = change.Frequency ?? plan.Frequency;
                var remaining = new Money(unpaid.Sum(i => i.AmountMinor - i.PaidMinor), currency);
                var schedule = PlanSchedule.Build(new PlanTerms(remaining, Money.Zero(currency), frequency, firstDue, change.Installments, change.InstallmentAmount));
                if (schedule.Error is { } invalid)
                {
                    return invalid;
                }

                rest = schedule.Value.Select(i => (i.Due, i.Amount.Minor)).ToList();
                break;
            }

            default:
                return new Error("change_kind_unknown", $"'{change.Kind}' is not a change; use reage, skip or reschedule", "kind");
        }

        // Partly paid installments keep their paid part in place; only what is unpaid moves.
        var kept = paidRows.Select(i => (i.Due, i.AmountMinor))
            .Concat(unpaid.Where(i => i.PaidMinor > 0).Select(i => (i.Due, i.PaidMinor)))
            .OrderBy(i => i.Due).ToList();
        var version = plan.ScheduleVersion + 1;
        var next = kept.Concat(rest).Where(i => i.Item2 > 0)
            .Select((i, n) => new ScheduledInstallment(n + 1, i.Due, new Money(i.Item2, currency))).ToList();
        db.PlanInstallments.AddRange(Rows(plan.Id, version, next));
        db.PlanRevisions.Add(new PlanRevisionRecord { PlanId = plan.Id, Version = version, Kind = change.Kind, Reason = change.Reason.Trim(), By = actor, At = now });
        var before = new { plan_id = plan.Id, version = plan.ScheduleVersion, status = plan.Status.ToString() };
        plan.ScheduleVersion = version;
        plan.Frequency = frequency;
        if (reinstating)
        {
            plan.Status = PlanStatus.Active;
            plan.StatusSince = null;
        }

        await CancelRemindersAsync(db, plan.Id, ct);
        db.AuditLog.Add(AuditLog.Record(now, actor, $"plan.{change.Kind}", AuditEntities.Account, plan.AccountId.ToString(), before,
            new { plan_id = plan.Id, version, status = plan.Status.ToString(), reason = change.Reason.Trim(), installments = next.Count }));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return await ViewAsync(db, plan, ct);
    }

    public async Task<Result<PlanView>> GetAsync(Guid planId, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var plan = await db.PaymentPlans.AsNoTracking().SingleOrDefaultAsync(p => p.Id == planId, ct);
        return plan is null ? new Error(NotFound, $"There is no plan {planId}") : await ViewAsync(db, plan, ct);
    }

    public async Task<IReadOnlyList<PlanView>> ListAsync(AccountId accountId, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var plans = await db.PaymentPlans.AsNoTracking().Where(p => p.AccountId == accountId).ToListAsync(ct);
        var views = new List<PlanView>();
        foreach (var plan in plans.OrderByDescending(p => p.CreatedAt))
        {
            views.Add(await ViewAsync(db, plan, ct));
        }

        return views;
    }

    public static string Describe(PlanStatus status) => status switch
    {
        PlanStatus.PendingApproval => "waiting for approval",
        PlanStatus.Active => "active",
        PlanStatus.Completed => "completed",
        PlanStatus.Defaulted => "defaulted",
        PlanStatus.Cancelled => "cancelled",
    };

    internal static IEnumerable<PlanInstallmentRecord> Rows(Guid planId, int version, IEnumerable<ScheduledInstallment> schedule) =>
        schedule.Select(i => new PlanInstallmentRecord
        {
            PlanId = planId,
            Version = version,
            Number = i.Number,
            Due = i.Due,
            AmountMinor = i.Amount.Minor,
            Status = InstallmentStatus.Pending,
        });

    /// <summary>Reminders not yet sent for a plan whose schedule changed or ended are withdrawn; the monitoring writes new ones.</summary>
    internal static Task CancelRemindersAsync(RecoupDbContext db, Guid planId, CancellationToken ct)
    {
        var prefix = PlanReminders.KeyPrefix(planId);
        return db.Outbox
            .Where(m => m.DedupKey != null && m.DedupKey.StartsWith(prefix) && m.Status == Data.Outbox.OutboxStatus.Pending)
            .ExecuteUpdateAsync(set => set.SetProperty(m => m.Status, Data.Outbox.OutboxStatus.Cancelled), ct);
    }

    private static IEnumerable<(DateOnly Due, long Minor)> Append(DateOnly after, PlanFrequency frequency, IEnumerable<long> amounts, bool startAtAnchor)
    {
        var period = startAtAnchor ? 0 : 1;
        foreach (var amount in amounts)
        {
            yield return (PlanSchedule.DueDate(after, frequency, period++), amount);
        }
    }

    internal static async Task<PlanView> ViewAsync(RecoupDbContext db, PaymentPlanRecord plan, CancellationToken ct)
    {
        var rows = await db.PlanInstallments.AsNoTracking().Where(i => i.PlanId == plan.Id).ToListAsync(ct);
        var revisions = await db.PlanRevisions.AsNoTracking().Where(r => r.PlanId == plan.Id).ToListAsync(ct);
        var currency = plan.Currency;
        InstallmentView View(PlanInstallmentRecord i) =>
            new(i.Number, i.Due, new Money(i.AmountMinor, currency), new Money(i.PaidMinor, currency), i.CoveredOn, i.Status);
        var current = rows.Where(i => i.Version == plan.ScheduleVersion).OrderBy(i => i.Number).Select(View).ToList();
        var history = revisions.OrderBy(r => r.Version)
            .Select(r => new PlanRevisionView(r.Version, r.Kind, r.Reason, r.By, r.At, rows.Where(i => i.Version == r.Version).OrderBy(i => i.Number).Select(View).ToList()))
            .ToList();
        return new PlanView(
            plan.Id, plan.AccountId, new Money(plan.TotalMinor, currency), new Money(plan.DownPaymentMinor, currency), plan.Frequency, plan.FirstDue, plan.StartOn,
            plan.Status, plan.StatusSince, plan.ScheduleVersion, plan.PolicyBreaches?.Split('\n') ?? [],
            plan.CreatedBy, plan.CreatedAt, plan.ApprovedBy, plan.ApprovedAt, plan.SettlementId,
            current, new Money(current.Sum(i => i.Paid.Minor), currency), history);
    }
}
