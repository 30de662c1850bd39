using Microsoft.EntityFrameworkCore;
using Recoup.Data.WorkQueues;
using Recoup.Domain;
using Recoup.Domain.WorkQueues;
using Recoup.Services.Audit;
using Recoup.Services.Storage;

namespace Recoup.Services.WorkQueues;

/// <summary>A supervisor's bulk move: these accounts to these collectors.</summary>
public sealed record ReassignRequest(IReadOnlyList<Guid> AccountIds, IReadOnlyList<string> To);

/// <summary>
/// Moves chosen accounts to chosen collectors at once (<see cref="Assigner.Reassign"/>: highest priority
/// first, round-robin, within each target's capacity). The assignment and the queue entry move together
/// in one transaction, so the account is in its new collector's queue (and list) at once.
/// </summary>
public sealed class ReassignAccounts(RecoupDatabase database, TimeProvider clock)
{
    public const int MaxAccounts = 10_000;

    public QueuePriorityWeights Weights { get; init; } = QueuePriorityWeights.Default;

    public async Task<Result<ReassignmentResult>> RunAsync(ReassignRequest request, string actor, CancellationToken ct = default)
    {
        if (request.AccountIds.Count == 0)
        {
            return new Error("accounts_missing", "Choose at least one account to move", "account_ids");
        }

        if (request.AccountIds.Count > MaxAccounts)
        {
            return new Error("accounts_too_many", $"Move at most {MaxAccounts:#,0} accounts at a time", "account_ids");
        }

        if (request.To.Count == 0 || request.To.Any(string.IsNullOrWhiteSpace))
        {
            return new Error("targets_missing", "Name at least one collector to move the accounts to, and no empty names", "to");
        }

        var now = clock.GetUtcNow();
        var today = clock.Today();
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var ids = request.AccountIds.Distinct().ToList();
        var summaries = await db.AccountSummaries.AsNoTracking().Where(s => ids.Contains(s.AccountId)).ToListAsync(ct);
        var unknown = ids.Except(summaries.Select(s => s.AccountId)).ToList();
        if (unknown.Count > 0)
        {
            return new Error("accounts_unknown", $"There is no account {unknown[0]}" + (unknown.Count > 1 ? $" (and {unknown.Count - 1} more)" : ""), "account_ids");
        }

        var collectors = await db.CollectorProfiles.AsNoTracking().Select(c => new CollectorCapacity(c.UserName, c.Capacity, c.Active)).ToListAsync(ct);
        var loads = await (
                from a in db.AccountAssignments.AsNoTracking()
                join s in db.AccountSummaries.AsNoTracking() on a.AccountId equals s.AccountId
                where s.BalanceSortKey > 0
                group a by a.Collector into g
                select new { Collector = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Collector, g => g.Count, ct);
        var assignments = await db.AccountAssignments.Where(a => ids.Contains(a.AccountId)).ToDictionaryAsync(a => a.AccountId, ct);
        var risk = await db.AccountRiskScores.AsNoTracking().Where(r => ids.Contains(r.AccountId)).ToDictionaryAsync(r => r.AccountId, r => (int)r.Score, ct);
        var candidates = summaries.Select(s => new QueueCandidate(s.AccountId, s.DebtorId.Value, s.DebtType, s.BalanceSortKey,
            BuildWorkQueues.DaysPastDue(s.OldestDueDate, today), BuildWorkQueues.DaysSinceContact(s.LastContactAt, today),
            QueueSignals.None, risk.TryGetValue(s.AccountId, out var score) ? score : null, s.Region, s.Language, assignments.GetValueOrDefault(s.AccountId)?.Collector)).ToArray();
        var result = Assigner.Reassign(candidates, request.To.Select(t => t.Trim()).ToList(), collectors, loads, Weights);
        if (result.Moves.Count == 0 && result.IgnoredTargets.Count == request.To.Count)
        {
            return new Error("targets_unknown", $"None of {string.Join(", ", request.To)} is an active collector", "to");
        }

        var movedIds = result.Moves.Select(m => m.AccountId).ToList();
        var queued = await db.WorkQueueEntries.Where(e => movedIds.Contains(e.AccountId)).ToDictionaryAsync(e => e.AccountId, ct);
        foreach (var move in result.Moves)
        {
            if (!assignments.TryGetValue(move.AccountId, out var assignment))
            {
                assignment = new AccountAssignment { AccountId = move.AccountId };
                db.AccountAssignments.Add(assignment);
            }

            (assignment.Collector, assignment.AssignedAt, assignment.AssignedBy) = (move.To, now, actor);
            if (queued.TryGetValue(move.AccountId, out var entry))
            {
                entry.Collector = move.To;
            }

            db.AuditLog.Add(AuditLog.Record(now, actor, "account.reassigned", AuditEntities.Account, move.AccountId.ToString(),
                new { collector = move.From }, new { collector = move.To }));
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return result;
    }
}
