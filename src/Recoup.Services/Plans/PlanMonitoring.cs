using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Recoup.Data;
using Recoup.Data.Plans;
using Recoup.Domain;
using Recoup.Domain.Compliance;
using Recoup.Domain.Ledger;
using Recoup.Domain.Plans;
using Recoup.Domain.WorkQueues;
using Recoup.Services.Audit;
using Recoup.Services.Ledger;
using Recoup.Services.Storage;

namespace Recoup.Services.Plans;

/// <summary>What one monitoring run found and did.</summary>
public sealed record MonitoringResult(
    DateOnly AsOf,
    int PlansChecked,
    int InstallmentsChanged,
    int PlansCompleted,
    int PlansDefaulted,
    int PromisesChecked,
    int PromisesKept,
    int PromisesPartiallyKept,
    int PromisesBroken,
    int SettlementsCompleted,
    int SettlementsBroken,
    int RemindersQueued,
    int RemindersBlocked,
    IReadOnlyList<(string Stage, TimeSpan Elapsed)> Stages)
{
    /// <summary>Installments that became missed on this run (past their grace, not fully paid).</summary>
    public int InstallmentsMissed { get; init; }
}

/// <summary>
/// The daily monitoring of promises, plans and settlements, as of a business date, set-based: a few
/// streamed reads (active plans with their current installments, open promises, open settlements, and
/// the payments on their accounts), the judging in memory (<see cref="PlanMonitor"/>,
/// <see cref="PromiseEvaluator"/>), and one transaction that writes only what changed.
/// </summary>
/// <remarks>
/// <para>A payment counts toward a plan, promise or settlement when it was received on or after the
/// day it was agreed and has not been reversed. Running it twice for the same date changes nothing
/// the second time.</para>
/// <para>A defaulted plan or broken promise puts the account back in front of its collector: a task
/// due at once, which the work queue serves before anything else. A completed settlement writes the
/// rest of the balance off with reason "settlement". Reminders for installments due within
/// <see cref="PlanSettings.ReminderDaysBefore"/> days go to the outbox through the compliance gate, written from the
/// <c>installment_reminder</c> template with the host's <paramref name="messaging"/> settings (the company they come from).</para>
/// </remarks>
public sealed class PlanMonitoring(RecoupDatabase database, TimeProvider clock, PlanSettings settings, RuleSet rules, Messaging.Templates.MessagingSettings? messaging = null)
{
    private readonly Messaging.Templates.MessagingSettings _messaging = messaging ?? new();

    public const string Actor = "system:monitoring";

    public async Task<MonitoringResult> RunAsync(DateOnly asOf, CancellationToken ct = default)
    {
        var stages = new List<(string, TimeSpan)>();
        var watch = Stopwatch.StartNew();
        void Stage(string name)
        {
            stages.Add((name, watch.Elapsed));
            watch.Restart();
        }

        var now = clock.GetUtcNow();
        await using var db = database.CreateContext();
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        // 1. What is open.
        var plans = await db.PaymentPlans.AsNoTracking().Where(p => p.Status == PlanStatus.Active).ToListAsync(ct);
        var installments = new Dictionary<Guid, List<PlanInstallmentRecord>>(plans.Count);
        var currentInstallments =
            from i in db.PlanInstallments.AsNoTracking()
            join p in db.PaymentPlans on new { i.PlanId, i.Version } equals new { PlanId = p.Id, Version = p.ScheduleVersion }
            where p.Status == PlanStatus.Active
            select i;
        await foreach (var row in currentInstallments.AsAsyncEnumerable().WithCancellation(ct))
        {
            if (!installments.TryGetValue(row.PlanId, out var list))
            {
                installments[row.PlanId] = list = new List<PlanInstallmentRecord>(8);
            }

            list.Add(row);
        }

        var promiseAccounts = db.Promises.Where(p => p.Status == PromiseStatus.Pending).Select(p => p.AccountId);
        var promises = await db.Promises.AsNoTracking()
            .Where(p => promiseAccounts.Contains(p.AccountId) && p.Status != PromiseStatus.Cancelled).ToListAsync(ct);
        var settlements = await db.Settlements.AsNoTracking().Where(s => s.Status == SettlementStatus.Active && s.Kind == SettlementKind.LumpSum).ToListAsync(ct);
        Stage("read plans, promises, settlements");

        // 2. The payments that count, by account.
        var starts = plans.Select(p => p.StartOn).Concat(promises.Select(p => p.TakenOn)).Concat(settlements.Select(s => s.StartOn)).ToList();
        var payments = new Dictionary<AccountId, List<PaymentReceived>>();
        if (starts.Count > 0)
        {
            var from = starts.Min();
            var monitored = db.PaymentPlans.Where(p => p.Status == PlanStatus.Active).Select(p => p.AccountId)
                .Concat(promiseAccounts)
                .Concat(db.Settlements.Where(s => s.Status == SettlementStatus.Active && s.Kind == SettlementKind.LumpSum).Select(s => s.AccountId));
            var query = db.LedgerEntries.AsNoTracking()
                .Where(e => e.Kind == EntryKind.Payment && e.EffectiveDate >= from && e.EffectiveDate <= asOf && monitored.Contains(e.AccountId)
                    && !db.LedgerEntries.Any(r => r.ReversesEntryId == e.Id))
                .Select(e => new { e.AccountId, e.EffectiveDate, e.AmountMinor });
            await foreach (var payment in query.AsAsyncEnumerable().WithCancellation(ct))
            {
                if (!payments.TryGetValue(payment.AccountId, out var list))
                {
                    payments[payment.AccountId] = list = new List<PaymentReceived>(4);
                }

                list.Add(new PaymentReceived(payment.EffectiveDate, -payment.AmountMinor));
            }
        }

        Stage("read payments");

        // 3. Judge.
        List<PaymentReceived> Since(AccountId account, DateOnly start) =>
            payments.TryGetValue(account, out var list) ? list.Where(p => p.On >= start).ToList() : [];

        var changedInstallments = new List<PlanInstallmentRecord>();
        var newlyMissed = 0;
        var completedPlans = new List<(PaymentPlanRecord Plan, DateOnly On)>();
        var defaultedPlans = new List<(PaymentPlanRecord Plan, DateOnly On)>();
        var reminders = new List<ReminderDue>();
        foreach (var plan in plans)
        {
            if (!installments.TryGetValue(plan.Id, out var rows))
            {
                continue;
            }

            rows.Sort((a, b) => a.Number.CompareTo(b.Number));
            var schedule = rows.Select(r => new ScheduledInstallment(r.Number, r.Due, new Money(r.AmountMinor, plan.Currency))).ToList();
            var returned = rows.Any(r => r.ReturnedOn is not null) ? rows.Where(r => r.ReturnedOn is not null).Select(r => r.Number).ToHashSet() : null;
            var standing = PlanMonitor.Evaluate(schedule, Since(plan.AccountId, plan.StartOn), asOf, settings.InstallmentGraceDays, settings.MissesToDefault, returned);
            for (var i = 0; i < rows.Count; i++)
            {
                var row = rows[i];
                var state = standing.Installments[i];
                if (row.PaidMinor != state.PaidMinor || row.CoveredOn != state.CoveredOn || row.Status != state.Status)
                {
                    newlyMissed += row.Status != InstallmentStatus.Missed && state.Status == InstallmentStatus.Missed ? 1 : 0;
                    row.PaidMinor = state.PaidMinor;
                    row.CoveredOn = state.CoveredOn;
                    row.Status = state.Status;
                    changedInstallments.Add(row);
                }

                if (standing.Status == PlanStatus.Active && state.Status == InstallmentStatus.Pending && settings.ReminderDaysBefore > 0
                    && state.Due >= asOf && state.Due <= asOf.AddDays(settings.ReminderDaysBefore))
                {
                    reminders.Add(new ReminderDue(plan.Id, plan.ScheduleVersion, row.Number, plan.AccountId, plan.DebtorId, state.Due,
                        new Money(state.AmountMinor - state.PaidMinor, plan.Currency)));
                }
            }

            if (standing.Status == PlanStatus.Completed)
            {
                completedPlans.Add((plan, standing.StatusSince ?? asOf));
            }
            else if (standing.Status == PlanStatus.Defaulted)
            {
                defaultedPlans.Add((plan, standing.StatusSince ?? asOf));
            }
        }

        var changedPromises = new List<PromiseRecord>();
        foreach (var account in promises.GroupBy(p => p.AccountId))
        {
            var start = account.Min(p => p.TakenOn);
            var standings = PromiseEvaluator.Evaluate(
                account.Select(p => new PromiseTerms(p.Id, p.TakenOn, p.PromisedFor, p.AmountMinor, Cancelled: false)),
                Since(account.Key, start), asOf, settings.PromiseGraceDays).ToDictionary(s => s.Id);
            foreach (var promise in account.Where(p => p.Status == PromiseStatus.Pending))
            {
                var standing = standings[promise.Id];
                if (standing.Status != promise.Status || standing.PaidMinor != promise.PaidMinor)
                {
                    promise.Status = standing.Status;
                    promise.PaidMinor = standing.PaidMinor;
                    promise.ResolvedOn = standing.Status == PromiseStatus.Pending ? null : asOf;
                    changedPromises.Add(promise);
                }
            }
        }

        var settledLumpSums = new List<SettlementRecord>();
        var brokenSettlements = new List<SettlementRecord>();
        foreach (var settlement in settlements)
        {
            var deadline = settlement.DueOn!.Value.AddDays(settings.SettlementGraceDays);
            var paid = Since(settlement.AccountId, settlement.StartOn).Where(p => p.On <= deadline).Sum(p => p.AmountMinor);
            if (paid >= settlement.AmountMinor)
            {
                settlement.PaidMinor = paid;
                settledLumpSums.Add(settlement);
            }
            else if (asOf > deadline)
            {
                settlement.PaidMinor = paid;
                brokenSettlements.Add(settlement);
            }
        }

        Stage("judge");

        // 4. Write what changed.
        await UpdateInstallmentsAsync(db, changedInstallments, ct);
        await UpdatePromisesAsync(db, changedPromises, ct);
        Stage("write installments and promises");

        var audit = new List<Data.Audit.AuditRecord>();
        var tasks = new List<FollowUp>();
        var owners = await WorkQueues.AccountOwners.LoadAsync(db, defaultedPlans.Select(d => d.Plan.AccountId).Concat(changedPromises.Where(p => p.Status == PromiseStatus.Broken).Select(p => p.AccountId)), ct);
        await SetPlanStatusesAsync(db, completedPlans, PlanStatus.Completed, ct);
        await SetPlanStatusesAsync(db, defaultedPlans, PlanStatus.Defaulted, ct);
        await CancelRemindersAsync(db, defaultedPlans.Select(d => d.Plan.AccountId), ct);
        foreach (var (plan, on) in completedPlans)
        {
            audit.Add(AuditLog.Record(now, Actor, "plan.completed", AuditEntities.Account, plan.AccountId.ToString(), null, new { plan_id = plan.Id, completed_on = on }));
        }

        foreach (var (plan, on) in defaultedPlans)
        {
            audit.Add(AuditLog.Record(now, Actor, "plan.defaulted", AuditEntities.Account, plan.AccountId.ToString(), null,
                new { plan_id = plan.Id, defaulted_on = on, misses_to_default = settings.MissesToDefault }));
            AddTask(tasks, owners, plan.AccountId, plan.DebtorId, $"Broken plan: {settings.MissesToDefault} installments missed (defaulted {on:yyyy-MM-dd}); call the debtor", now);
        }

        foreach (var promise in changedPromises.Where(p => p.Status != PromiseStatus.Pending))
        {
            audit.Add(AuditLog.Record(now, Actor, $"promise.{promise.Status.ToString().ToLowerInvariant()}", AuditEntities.Account, promise.AccountId.ToString(), null,
                new { promise_id = promise.Id, amount = new Money(promise.AmountMinor, promise.Currency).ToDecimalString(), paid = new Money(promise.PaidMinor, promise.Currency).ToDecimalString(), promised_for = promise.PromisedFor }));
            if (promise.Status == PromiseStatus.Broken)
            {
                AddTask(tasks, owners, promise.AccountId, promise.DebtorId, $"Broken promise: {new Money(promise.AmountMinor, promise.Currency)} promised for {promise.PromisedFor:yyyy-MM-dd} did not arrive", now);
            }
        }

        // Settlements: lump sums judged above; those paid by a plan follow their plan.
        var planSettlementIds = completedPlans.Concat(defaultedPlans).Where(p => p.Plan.SettlementId is not null).Select(p => p.Plan.SettlementId!.Value).ToList();
        var planSettlements = planSettlementIds.Count == 0 ? [] : await db.Settlements.AsNoTracking().Where(s => planSettlementIds.Contains(s.Id) && s.Status == SettlementStatus.Active).ToListAsync(ct);
        var completedPlanIds = completedPlans.Select(p => p.Plan.Id).ToHashSet();
        settledLumpSums.AddRange(planSettlements.Where(s => s.PlanId is { } id && completedPlanIds.Contains(id)));
        brokenSettlements.AddRange(planSettlements.Where(s => s.PlanId is { } id && !completedPlanIds.Contains(id)));
        await CompleteSettlementsAsync(db, settledLumpSums, asOf, now, audit, ct);
        foreach (var settlement in brokenSettlements)
        {
            await db.Settlements.Where(s => s.Id == settlement.Id && s.Status == SettlementStatus.Active)
                .ExecuteUpdateAsync(set => set.SetProperty(s => s.Status, SettlementStatus.Broken).SetProperty(s => s.ResolvedOn, asOf).SetProperty(s => s.PaidMinor, settlement.PaidMinor), ct);
            audit.Add(AuditLog.Record(now, Actor, "settlement.broken", AuditEntities.Account, settlement.AccountId.ToString(), null, new { settlement_id = settlement.Id }));
        }

        Stage("plan, promise and settlement outcomes");

        var (messages, queued, blocked, _) = await PlanReminders.QueueAsync(db, reminders, rules, _messaging, now, Actor, ct);
        messages.AddRange(await Webhooks.WebhookRaisers.PromisesBrokenAsync(db, changedPromises, now, Actor, ct));
        Stage("reminders");

        // What the run adds in bulk (after a long pause, many thousands of rows) goes in by COPY, not one INSERT each.
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(ct);
        var bulk = database.BulkInserter;
        await bulk.InsertAsync(db, audit, ct);
        await bulk.InsertAsync(db, tasks, ct);
        await bulk.InsertAsync(db, messages, ct);
        await transaction.CommitAsync(ct);
        Stage("commit");

        return new MonitoringResult(
            asOf, plans.Count, changedInstallments.Count, completedPlans.Count, defaultedPlans.Count, promises.Count(p => p.Status != PromiseStatus.Cancelled),
            changedPromises.Count(p => p.Status == PromiseStatus.Kept), changedPromises.Count(p => p.Status == PromiseStatus.PartiallyKept),
            changedPromises.Count(p => p.Status == PromiseStatus.Broken), settledLumpSums.Count, brokenSettlements.Count, queued, blocked, stages)
        {
            InstallmentsMissed = newlyMissed,
        };
    }

    /// <summary>Moves active plans to a final status, in bulk; a plan cancelled meanwhile is left as it is.</summary>
    private static async Task SetPlanStatusesAsync(RecoupDbContext db, List<(PaymentPlanRecord Plan, DateOnly On)> plans, PlanStatus status, CancellationToken ct)
    {
        if (plans.Count == 0)
        {
            return;
        }

        if (db.IsSqlite)
        {
            foreach (var (plan, on) in plans)
            {
                await db.PaymentPlans.Where(p => p.Id == plan.Id && p.Status == PlanStatus.Active)
                    .ExecuteUpdateAsync(set => set.SetProperty(p => p.Status, status).SetProperty(p => p.StatusSince, on), ct);
            }

            return;
        }

        foreach (var chunk in plans.Chunk(50_000))
        {
            await db.Database.ExecuteSqlRawAsync(
                """
                UPDATE payment_plans AS p SET status = @status, status_since = u.since::date
                FROM unnest(@ids, @since) AS u(id, since)
                WHERE p.id = u.id AND p.status = 'Active'
                """,
                [
                    new NpgsqlParameter("status", status.ToString()),
                    new NpgsqlParameter("ids", chunk.Select(c => c.Plan.Id).ToArray()),
                    new NpgsqlParameter("since", chunk.Select(c => c.On.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToArray()),
                ],
                ct);
        }
    }

    /// <summary>Withdraws the unsent installment reminders of accounts whose plan has ended.</summary>
    private static async Task CancelRemindersAsync(RecoupDbContext db, IEnumerable<AccountId> accounts, CancellationToken ct)
    {
        foreach (var chunk in accounts.Select(a => (Guid?)a.Value).Distinct().Chunk(5_000))
        {
            await db.Outbox.Where(m => m.Status == Data.Outbox.OutboxStatus.Pending && m.Purpose == PlanReminders.Purpose && chunk.Contains(m.AccountId))
                .ExecuteUpdateAsync(set => set.SetProperty(m => m.Status, Data.Outbox.OutboxStatus.Cancelled), ct);
        }
    }

    private async Task CompleteSettlementsAsync(RecoupDbContext db, List<SettlementRecord> settled, DateOnly asOf, DateTimeOffset now, List<Data.Audit.AuditRecord> audit, CancellationToken ct)
    {
        if (settled.Count == 0)
        {
            return;
        }

        var accountIds = settled.Select(s => s.AccountId).Distinct().ToList();
        var ledgers = (await LedgerLoader.LoadAsync(db, a => accountIds.Contains(a.Id), tracked: true, ct)).ToDictionary(l => l.Account.Id);
        foreach (var settlement in settled)
        {
            var ledger = ledgers[settlement.AccountId];
            LedgerEntryId? writeOff = null;
            if (ledger.OpenTotal.IsPositive)
            {
                var entry = ledger.WriteOff(ledger.OpenTotal, asOf, now, Settlements.Reason);
                if (entry.IsSuccess)
                {
                    writeOff = entry.Value.Id;
                }
            }

            await db.Settlements.Where(s => s.Id == settlement.Id && s.Status == SettlementStatus.Active).ExecuteUpdateAsync(set => set
                .SetProperty(s => s.Status, SettlementStatus.Completed)
                .SetProperty(s => s.ResolvedOn, asOf)
                .SetProperty(s => s.PaidMinor, settlement.PaidMinor)
                .SetProperty(s => s.WriteOffEntryId, writeOff), ct);
            audit.Add(AuditLog.Record(now, Actor, "settlement.completed", AuditEntities.Account, settlement.AccountId.ToString(), null, new
            {
                settlement_id = settlement.Id,
                written_off = writeOff is null ? "0" : ledger.Entries.Single(e => e.Id == writeOff).Amount.Abs().ToDecimalString(),
                write_off_entry_id = writeOff?.ToString(),
                reason = Settlements.Reason,
            }));
        }

        await LedgerWrites.StageAsync(db, ledgers.Values, ct);

        db.ChangeTracker.DetectChanges();
    }

    private static void AddTask(List<FollowUp> tasks, Dictionary<AccountId, string> owners, AccountId accountId, DebtorId debtorId, string note, DateTimeOffset now)
    {
        if (!owners.TryGetValue(accountId, out var owner))
        {
            return; // unassigned: the next queue build gives it to someone, and its status shows the broken plan
        }

        var task = FollowUp.Schedule(FollowUpId.New(now), accountId, debtorId, FollowUpKind.Task, now.UtcDateTime, "Etc/UTC", owner, note, null, Actor, now);
        if (task.IsSuccess)
        {
            tasks.Add(task.Value);
        }
    }

    private static async Task UpdateInstallmentsAsync(RecoupDbContext db, List<PlanInstallmentRecord> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }

        if (db.IsSqlite)
        {
            foreach (var row in rows)
            {
                await db.PlanInstallments.Where(i => i.PlanId == row.PlanId && i.Version == row.Version && i.Number == row.Number)
                    .ExecuteUpdateAsync(set => set.SetProperty(i => i.PaidMinor, row.PaidMinor).SetProperty(i => i.CoveredOn, row.CoveredOn).SetProperty(i => i.Status, row.Status), ct);
            }

            return;
        }

        foreach (var chunk in rows.Chunk(1_000_000))
        {
            await db.Database.ExecuteSqlRawAsync(
                """
                UPDATE plan_installments AS i
                SET paid_minor = u.paid, covered_on = u.covered::date, status = u.status
                FROM unnest(@plans, @versions, @numbers, @paid, @covered, @statuses) AS u(plan_id, version, number, paid, covered, status)
                WHERE i.plan_id = u.plan_id AND i.version = u.version AND i.number = u.number
                """,
                [
                    new NpgsqlParameter("plans", chunk.Select(r => r.PlanId).ToArray()),
                    new NpgsqlParameter("versions", chunk.Select(r => r.Version).ToArray()),
                    new NpgsqlParameter("numbers", chunk.Select(r => r.Number).ToArray()),
                    new NpgsqlParameter("paid", chunk.Select(r => r.PaidMinor).ToArray()),
                    new NpgsqlParameter("covered", chunk.Select(r => r.CoveredOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToArray()),
                    new NpgsqlParameter("statuses", chunk.Select(r => r.Status.ToString()).ToArray()),
                ],
                ct);
        }
    }

    private static async Task UpdatePromisesAsync(RecoupDbContext db, List<PromiseRecord> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }

        if (db.IsSqlite)
        {
            foreach (var row in rows)
            {
                await db.Promises.Where(p => p.Id == row.Id && p.Status == PromiseStatus.Pending)
                    .ExecuteUpdateAsync(set => set.SetProperty(p => p.Status, row.Status).SetProperty(p => p.PaidMinor, row.PaidMinor).SetProperty(p => p.ResolvedOn, row.ResolvedOn), ct);
            }

            return;
        }

        foreach (var chunk in rows.Chunk(1_000_000))
        {
            await db.Database.ExecuteSqlRawAsync(
                """
                UPDATE promises AS p
                SET status = u.status, paid_minor = u.paid, resolved_on = u.resolved::date
                FROM unnest(@ids, @statuses, @paid, @resolved) AS u(id, status, paid, resolved)
                WHERE p.id = u.id AND p.status = 'Pending'
                """,
                [
                    new NpgsqlParameter("ids", chunk.Select(r => r.Id).ToArray()),
                    new NpgsqlParameter("statuses", chunk.Select(r => r.Status.ToString()).ToArray()),
                    new NpgsqlParameter("paid", chunk.Select(r => r.PaidMinor).ToArray()),
                    new NpgsqlParameter("resolved", chunk.Select(r => r.ResolvedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToArray()),
                ],
                ct);
        }
    }
}
