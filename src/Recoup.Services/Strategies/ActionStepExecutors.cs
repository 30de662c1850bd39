using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Recoup.Data.Disputes;
using Recoup.Data.Holds;
using Recoup.Data.Outbox;
using Recoup.Data.WorkQueues;
using Recoup.Domain;
using Recoup.Domain.Debtors;
using Recoup.Domain.Holds;
using Recoup.Domain.Strategies;
using Recoup.Services.Audit;
using Recoup.Services.Holds;
using Recoup.Services.Storage;
using Recoup.Services.Webhooks;

namespace Recoup.Services.Strategies;

/// <summary>
/// A credit hold on a business customer (R7): the hold, audited on the customer and on the account, raised as
/// <c>credit_hold.changed</c> to the webhook subscribers and e-mailed to sales when configured, in the batch's
/// transaction. A customer already on hold, or a person (credit holds are for business customers), needs none:
/// the step is recorded as not needed.
/// </summary>
public sealed class CreditHoldExecutor(CreditHoldSettings settings) : IStepExecutor
{
    public const string Reason = "Daily collections run: strategy step";

    public StepAction Action => StepAction.CreditHold;

    public async Task<StepOutcome> ExecuteAsync(StepContext context, IReadOnlyList<StepItem> items, CancellationToken ct)
    {
        var db = context.Db;
        var debtorIds = items.Select(i => i.Facts.DebtorId).Distinct().ToList();
        var debtors = (await Chunks.QueryAsync(debtorIds, chunk => db.Debtors.AsNoTracking().Where(d => chunk.Contains(d.Id))
            .Select(d => new { d.Id, d.ExternalId, d.Name, d.Kind }), ct)).ToDictionary(d => d.Id);
        var onHold = (await Chunks.QueryAsync(debtorIds, chunk => db.CreditHolds.AsNoTracking().Where(h => chunk.Contains(h.DebtorId) && h.ReleasedAt == null)
            .Select(h => h.DebtorId), ct)).ToHashSet();
        var fanOut = await WebhookFanOut.LoadAsync(db, ct);
        var done = new List<StepItem>();
        var skipped = new List<StepItem>();
        var placed = new Dictionary<DebtorId, CreditHoldRecord>();
        foreach (var item in items)
        {
            if (!debtors.TryGetValue(item.Facts.DebtorId, out var debtor) || debtor.Kind != DebtorKind.Business
                || (onHold.Contains(debtor.Id) && !placed.ContainsKey(debtor.Id)))
            {
                skipped.Add(item);
                continue;
            }

            var reason = $"{Reason} '{item.Step.Step.Key}' ({item.Facts.DaysPastDueOn(context.AsOf)} days past due)";
            if (!placed.TryGetValue(debtor.Id, out var hold))
            {
                hold = placed[debtor.Id] = new CreditHoldRecord
                {
                    Id = SequentialGuid.Create(context.Now),
                    DebtorId = debtor.Id,
                    Reason = reason,
                    PlacedOn = context.AsOf,
                    PlacedAt = context.Now,
                    PlacedBy = context.Actor,
                };
                db.CreditHolds.Add(hold);
                context.Rows.Audit.Add(AuditLog.Record(context.Now, context.Actor, "credit_hold.placed", AuditEntities.Debtor, debtor.ExternalId, null, new { hold_id = hold.Id, reason }));
                if (fanOut.Wants(WebhookEvents.CreditHoldChanged))
                {
                    context.Rows.Outbox.AddRange(fanOut.MessagesFor(new WebhookEvent(WebhookEvents.CreditHoldChanged, new
                    {
                        hold_id = hold.Id,
                        debtor_id = debtor.ExternalId,
                        debtor_name = debtor.Name,
                        on_hold = true,
                        reason,
                        placed_on = hold.PlacedOn,
                        released_on = (DateOnly?)null,
                    }, context.Now, context.Actor, null, debtor.Id.Value)));
                }

                if (settings.SalesEmail is { } sales)
                {
                    context.Rows.Outbox.Add(new OutboxMessage
                    {
                        Id = SequentialGuid.Create(context.Now),
                        Channel = OutboxChannel.Email,
                        Purpose = CreditHolds.Purpose,
                        DebtorId = debtor.Id.Value,
                        Recipient = sales,
                        Subject = $"Credit hold: {debtor.Name} ({debtor.ExternalId})",
                        Body = $"{debtor.Name} ({debtor.ExternalId}) was put on credit hold on {hold.PlacedOn:yyyy-MM-dd} by the daily collections run.\n\nReason: {reason}\n\nPlease accept no new orders on credit until the hold is released.",
                        Language = "en",
                        DedupKey = $"credit_hold:{hold.Id:N}:placed",
                        CreatedAt = context.Now,
                        NotBefore = context.Now,
                        Status = OutboxStatus.Pending,
                        CreatedBy = context.Actor,
                    });
                }
            }

            context.Rows.Audit.Add(AuditLog.Record(context.Now, context.Actor, "credit_hold.placed", AuditEntities.Account, item.Facts.AccountId.ToString(), null,
                new { hold_id = hold.Id, debtor_id = debtor.ExternalId, reason }));
            done.Add(item);
        }

        return new StepOutcome(done, [], []) { Skipped = skipped };
    }
}

/// <summary>
/// A bad-debt write-off proposal (R7): a write-off of the account's collectible balance with reason
/// <c>uncollectable</c>, waiting for someone whose approval limit covers it (the adjustments screen lists it; approving
/// posts it). Nothing is posted to the ledger by the run. An account that already has a write-off waiting needs no
/// second one.
/// </summary>
public sealed class WriteOffProposalExecutor : IStepExecutor
{
    public const string ProposalReason = "uncollectable";

    public StepAction Action => StepAction.WriteOff;

    public async Task<StepOutcome> ExecuteAsync(StepContext context, IReadOnlyList<StepItem> items, CancellationToken ct)
    {
        var db = context.Db;
        var accountIds = items.Select(i => i.Facts.AccountId).ToList();
        var pending = (await Chunks.QueryAsync(accountIds, chunk => db.BalanceChanges.AsNoTracking()
            .Where(c => chunk.Contains(c.AccountId) && c.Kind == BalanceChangeKind.BadDebtWriteOff && c.Status == BalanceChangeStatus.PendingApproval)
            .Select(c => c.AccountId), ct)).ToHashSet();
        var done = new List<StepItem>();
        var skipped = new List<StepItem>();
        foreach (var item in items)
        {
            var facts = item.Facts;
            if (pending.Contains(facts.AccountId) || facts.BalanceMinor <= 0)
            {
                skipped.Add(item);
                continue;
            }

            var amount = new Money(facts.BalanceMinor, facts.Currency);
            var note = $"Proposed by the daily collections run (strategy step '{item.Step.Step.Key}', {facts.DaysPastDueOn(context.AsOf)} days past due)";
            var change = new BalanceChangeRecord
            {
                Id = SequentialGuid.Create(context.Now),
                AccountId = facts.AccountId,
                DebtorId = facts.DebtorId,
                Kind = BalanceChangeKind.BadDebtWriteOff,
                Currency = facts.Currency,
                AmountMinor = facts.BalanceMinor,
                Reason = ProposalReason,
                Note = note,
                EffectiveOn = context.AsOf,
                Status = BalanceChangeStatus.PendingApproval,
                RequestedBy = context.Actor,
                RequestedByRole = "system",
                RequestedAt = context.Now,
            };
            db.BalanceChanges.Add(change);
            context.Rows.Audit.Add(AuditLog.Record(context.Now, context.Actor, "write_off.requested", AuditEntities.Account, facts.AccountId.ToString(), null, new
            {
                summary = $"Bad-debt write-off of {amount} (uncollectable) proposed by the daily collections run; it waits for approval",
                change_id = change.Id,
                kind = "write_off",
                amount = amount.ToDecimalString(),
                currency = facts.Currency.Code,
                reason = ProposalReason,
                note,
                effective_on = context.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                status = "pending approval",
            }));
            done.Add(item);
        }

        return new StepOutcome(done, [], []) { Skipped = skipped };
    }
}

/// <summary>
/// Where escalated accounts go (configuration section <c>Recoup:DailyRun:Escalation</c>): <c>PlaceWith</c> (the
/// attorney or agency), <c>Kind</c> (<c>agency</c> or <c>attorney</c>), <c>FeePercent</c>. Without <c>PlaceWith</c>
/// an escalation is a proposal to the account's collector.
/// </summary>
public sealed record EscalationSettings(string? PlaceWith, PlacementKind Kind, decimal FeePercent)
{
    public const string Section = "Recoup:DailyRun:Escalation";

    public static EscalationSettings Load(IConfiguration? configuration)
    {
        var section = configuration?.GetSection(Section);
        var placeWith = section?["PlaceWith"] is { Length: > 0 } p ? p.Trim() : null;
        var kind = (section?["Kind"] ?? "agency").Trim().ToLowerInvariant() switch
        {
            "agency" => PlacementKind.Agency,
            "attorney" => PlacementKind.Attorney,
            var other => throw new InvalidOperationException($"{Section}:Kind must be agency or attorney, not '{other}'"),
        };
        var fee = 0m;
        if (section?["FeePercent"] is { Length: > 0 } text
            && (!decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out fee) || fee is < 0 or > 100))
        {
            throw new InvalidOperationException($"{Section}:FeePercent must be a number from 0 to 100, not '{text}'");
        }

        return new EscalationSettings(placeWith, kind, fee);
    }
}

/// <summary>
/// Escalation (R7 placements). With an attorney or agency configured (<see cref="EscalationSettings"/>) the account
/// is placed with it — audited, raised as <c>account.placed</c>, and from then on the gate's placed-with-agency rule
/// stops Recoup's own contacts and the run gives the account no step. Without one, the step is a proposal: a
/// priority-1 task for the account's collector to choose where to place it (an account nobody is assigned waits for
/// the next queue build).
/// </summary>
public sealed class EscalationExecutor(EscalationSettings settings) : IStepExecutor
{
    public StepAction Action => StepAction.Escalation;

    public async Task<StepOutcome> ExecuteAsync(StepContext context, IReadOnlyList<StepItem> items, CancellationToken ct)
    {
        return settings.PlaceWith is { } placeWith ? await PlaceAsync(context, items, placeWith, ct) : await ProposeAsync(context, items, ct);
    }

    private async Task<StepOutcome> PlaceAsync(StepContext context, IReadOnlyList<StepItem> items, string placeWith, CancellationToken ct)
    {
        var db = context.Db;
        var debtorIds = items.Select(i => i.Facts.DebtorId).Distinct().ToList();
        var externalIds = (await Chunks.QueryAsync(debtorIds, chunk => db.Debtors.AsNoTracking().Where(d => chunk.Contains(d.Id)).Select(d => new { d.Id, d.ExternalId }), ct))
            .ToDictionary(d => d.Id, d => d.ExternalId);
        var fanOut = await WebhookFanOut.LoadAsync(db, ct);
        var done = new List<StepItem>();
        var skipped = new List<StepItem>();
        foreach (var item in items)
        {
            var facts = item.Facts;
            if (facts.BalanceMinor <= 0)
            {
                skipped.Add(item);
                continue;
            }

            var placement = new PlacementRecord
            {
                Id = SequentialGuid.Create(context.Now),
                AccountId = facts.AccountId,
                DebtorId = facts.DebtorId,
                Kind = settings.Kind,
                PlacedWith = placeWith,
                PlacedOn = context.AsOf,
                PlacedBalanceMinor = facts.BalanceMinor,
                Currency = facts.Currency,
                FeePercent = settings.FeePercent,
                AllowedChannels = "",
                Status = PlacementStatus.Placed,
                StatusSince = context.AsOf,
                PlacedBy = context.Actor,
                PlacedAt = context.Now,
                Note = $"Escalated by the daily collections run (strategy step '{item.Step.Step.Key}')",
            };
            db.Placements.Add(placement);
            var balance = new Money(facts.BalanceMinor, facts.Currency).ToDecimalString();
            context.Rows.Audit.Add(AuditLog.Record(context.Now, context.Actor, "placement.placed", AuditEntities.Account, facts.AccountId.ToString(), null, new
            {
                placement_id = placement.Id,
                kind = placement.Kind.ToString().ToLowerInvariant(),
                placed_with = placement.PlacedWith,
                placed_on = placement.PlacedOn,
                placed_balance = balance,
                currency = facts.Currency.Code,
                fee_percent = placement.FeePercent,
                allowed_channels = placement.AllowedChannels,
            }));
            if (fanOut.Wants(WebhookEvents.AccountPlaced))
            {
                context.Rows.Outbox.AddRange(fanOut.MessagesFor(new WebhookEvent(WebhookEvents.AccountPlaced, new
                {
                    placement_id = placement.Id,
                    account_id = facts.AccountId.ToString(),
                    debtor_id = externalIds.GetValueOrDefault(facts.DebtorId),
                    kind = placement.Kind.ToString().ToLowerInvariant(),
                    placed_with = placement.PlacedWith,
                    placed_on = placement.PlacedOn,
                    placed_balance = new { amount = balance, currency = facts.Currency.Code },
                    fee_percent = placement.FeePercent,
                }, context.Now, context.Actor, facts.AccountId.Value, facts.DebtorId.Value)));
            }

            done.Add(item);
        }

        return new StepOutcome(done, [], []) { Skipped = skipped };
    }

    private static Task<StepOutcome> ProposeAsync(StepContext context, IReadOnlyList<StepItem> items, CancellationToken ct) =>
        CollectorTasks.AddAsync(context, items,
            item => $"Strategy step '{item.Step.Step.Key}': escalate — choose an attorney or agency and place the account ({item.Facts.DaysPastDueOn(context.AsOf)} days past due, {new Money(item.Facts.BalanceMinor, item.Facts.Currency)})",
            (item, owner) => context.Rows.Audit.Add(AuditLog.Record(context.Now, context.Actor, "placement.proposed", AuditEntities.Account, item.Facts.AccountId.ToString(), null,
                new { summary = $"Escalation proposed by the daily collections run to {owner}", step = item.Step.Step.Key })),
            ct);
}

/// <summary>
/// Moves the account to the step's work queue: a collector's queue is the accounts assigned to them, so the account is
/// assigned to the user the step names (the next queue build puts it in their queue). Audited on the account.
/// </summary>
public sealed class AssignQueueExecutor : IStepExecutor
{
    public StepAction Action => StepAction.AssignQueue;

    public async Task<StepOutcome> ExecuteAsync(StepContext context, IReadOnlyList<StepItem> items, CancellationToken ct)
    {
        var db = context.Db;
        var ids = items.Select(i => i.Facts.AccountId.Value).ToList();
        var assignments = (await Chunks.QueryAsync(ids, chunk => db.AccountAssignments.Where(a => chunk.Contains(a.AccountId)), ct)).ToDictionary(a => a.AccountId);
        var done = new List<StepItem>();
        var skipped = new List<StepItem>();
        foreach (var item in items)
        {
            if (item.Step.Step.Queue is not { Length: > 0 } queue)
            {
                skipped.Add(item);
                continue;
            }

            var id = item.Facts.AccountId.Value;
            if (!assignments.TryGetValue(id, out var assignment))
            {
                assignment = assignments[id] = new AccountAssignment { AccountId = id };
                db.AccountAssignments.Add(assignment);
            }

            var before = assignment.Collector;
            assignment.Collector = queue;
            assignment.AssignedAt = context.Now;
            assignment.AssignedBy = context.Actor;
            context.Rows.Audit.Add(AuditLog.Record(context.Now, context.Actor, "account.assigned", AuditEntities.Account, item.Facts.AccountId.ToString(),
                before.Length == 0 ? null : new { collector = before },
                new { collector = queue, summary = $"Moved to {queue}'s queue by strategy step '{item.Step.Step.Key}'" }));
            done.Add(item);
        }

        return new StepOutcome(done, [], []) { Skipped = skipped };
    }
}
