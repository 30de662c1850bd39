using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Data.Accounts;
using Recoup.Data.WorkQueues;
using Recoup.Domain.WorkQueues;
using Recoup.Services.Audit;
using Recoup.Services.Storage;

namespace Recoup.Services.WorkQueues;

/// <summary>What one queue build did, for the CLI, the API and the audit log.</summary>
/// <param name="Accounts">Accounts read.</param>
/// <param name="Queued">Accounts now in a collector's queue (the best <see cref="BuildWorkQueues.DailyQueueSize"/> of each collector's).</param>
/// <param name="Scored">Queueable accounts with a collector, all scored; <paramref name="Queued"/> of them made the day's queues.</param>
/// <param name="Assigned">Accounts newly given to a collector by a rule.</param>
/// <param name="Kept">Accounts that stayed with their (active) collector.</param>
/// <param name="Released">Accounts taken from an inactive or unknown collector that no rule could give to anyone else.</param>
/// <param name="Restricted">Assigned accounts kept out of the queues because the debtor asked us to stop or has an attorney.</param>
/// <param name="UnassignedNoRule">Accounts no rule matches.</param>
/// <param name="UnassignedCapacity">Accounts whose rule had no collector with room.</param>
public sealed record WorkQueueBuild(
    DateTimeOffset BuiltAt,
    int Accounts,
    int Queued,
    int Scored,
    int Assigned,
    int Kept,
    int Released,
    int Restricted,
    int UnassignedNoRule,
    int UnassignedCapacity,
    IReadOnlyList<CollectorLoad> Collectors,
    TimeSpan Elapsed)
{
    /// <summary>How long each stage took (read, assign, write, analyze), for the benchmark.</summary>
    public IReadOnlyList<(string Stage, TimeSpan Elapsed)> Stages { get; init; } = [];
}

/// <summary>
/// Builds every collector's work queue from the account summaries: assigns the accounts that have no
/// active collector by the assignment rules (round-robin, within capacity), scores every queueable
/// account with the configured priority, and replaces the queue table in one transaction. Set-based:
/// one read of the portfolio, bulk writes, no query per account.
/// </summary>
/// <remarks>
/// Accounts the debtor told us not to contact (cease communication) or whose debtor is represented by
/// an attorney stay assigned but are not queued: no call about them may be placed. Everything that
/// depends on the moment (calling hours, call frequency) is left to <see cref="NextAccount"/>, which asks
/// the compliance gate just before it hands an account out. An account worked since the start of the
/// day stays out of "next" when the queues are rebuilt during the day.
/// </remarks>
public sealed class BuildWorkQueues(RecoupDatabase database, TimeProvider clock)
{
    /// <summary>
    /// How many accounts each collector's queue holds for the day: the best by priority (configuration
    /// key <c>Recoup:WorkQueues:DailyQueueSize</c>; 0 for every assigned account). A collector works a
    /// few hundred accounts a day; the rest wait for the next build, when their priority has moved.
    /// </summary>
    public int DailyQueueSize { get; init; } = DefaultDailyQueueSize;

    public const int DefaultDailyQueueSize = 5_000;

    /// <summary>The priority weights (configuration section <c>Recoup:WorkQueues:Priority</c>).</summary>
    public QueuePriorityWeights Weights { get; init; } = QueuePriorityWeights.Default;

    public async Task<WorkQueueBuild> RunAsync(string actor, IProgress<string>? progress = null, CancellationToken ct = default)
    {
        var started = clock.GetTimestamp();
        var stages = new List<(string, TimeSpan)>();
        var stageStarted = started;
        void Stage(string name)
        {
            var now = clock.GetTimestamp();
            stages.Add((name, clock.GetElapsedTime(stageStarted, now)));
            stageStarted = now;
        }

        var now = clock.GetUtcNow();
        var today = clock.Today();
        await using var db = database.CreateContext();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));

        progress?.Report("Reading collectors and rules");
        var collectors = await db.CollectorProfiles.AsNoTracking().OrderBy(c => c.UserName)
            .Select(c => new CollectorCapacity(c.UserName, c.Capacity, c.Active)).ToListAsync(ct);
        var rules = (await db.AssignmentRules.AsNoTracking().ToListAsync(ct)).Select(ToRule).ToList();
        var callbacks = await db.FollowUps.AsNoTracking()
            .Where(f => f.State == FollowUpState.Open && f.Kind == FollowUpKind.Callback && f.DueAt <= now)
            .Select(f => f.AccountId).Distinct().ToListAsync(ct);
        var callbackDue = callbacks.Select(a => a.Value).ToHashSet();
        var startOfDay = new DateTimeOffset(today.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var workedToday = await db.WorkQueueEntries.AsNoTracking().Where(e => e.WorkedAt >= startOfDay)
            .Select(e => new { e.AccountId, e.WorkedAt }).ToDictionaryAsync(e => e.AccountId, e => e.WorkedAt, ct);

        progress?.Report("Reading accounts");
        var (candidates, restricted) = await LoadCandidatesAsync(db, today, callbackDue, ct);

        Stage("read");
        progress?.Report("Assigning");
        var result = Assigner.Assign(candidates.AsSpan(), rules, collectors, Weights);

        // Accounts handed out again (their collector left) but for which no rule found anyone: released.
        var assignedNow = new Dictionary<Guid, string>(result.Assignments.Count);
        foreach (var assignment in result.Assignments)
        {
            assignedNow[assignment.AccountId] = assignment.Collector;
        }

        var active = collectors.Where(c => c.Active).Select(c => c.UserName).ToHashSet(StringComparer.Ordinal);
        var ruleNames = rules.ToDictionary(r => r.Id, r => "rule:" + r.Name);
        var released = new List<Guid>();
        var holders = new Dictionary<Guid, string?>(candidates.Length);
        foreach (ref readonly var candidate in candidates.AsSpan())
        {
            var holder = assignedNow.GetValueOrDefault(candidate.AccountId) ?? candidate.Collector;
            if (candidate.Collector is not null && !assignedNow.ContainsKey(candidate.AccountId) && !active.Contains(candidate.Collector)
                && QueuePriority.IsQueueable(candidate))
            {
                released.Add(candidate.AccountId);
                holder = null;
            }

            holders[candidate.AccountId] = holder;
        }

        progress?.Report("Writing queues");
        // Every queueable account with a collector is scored; each collector's queue holds the best
        // DailyQueueSize of them (by score, then balance, then id, as QueuePriority orders them).
        var byCollector = new Dictionary<string, List<(long Score, long Balance, int Index)>>(StringComparer.Ordinal);
        var span = candidates.AsSpan();
        var scored = 0;
        for (var i = 0; i < span.Length; i++)
        {
            ref readonly var candidate = ref span[i];
            if (!QueuePriority.IsQueueable(candidate) || holders[candidate.AccountId] is not { } collector || restricted.Contains(candidate.AccountId))
            {
                continue;
            }

            if (!byCollector.TryGetValue(collector, out var list))
            {
                byCollector[collector] = list = [];
            }

            list.Add((QueuePriority.Score(candidate, Weights), candidate.BalanceSortKey, i));
            scored++;
        }

        var entries = new List<WorkQueueEntry>(DailyQueueSize > 0 ? Math.Min(scored, DailyQueueSize * byCollector.Count) : scored);
        foreach (var (collector, list) in byCollector.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            list.Sort((a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score)
                : a.Balance != b.Balance ? b.Balance.CompareTo(a.Balance)
                : candidates[a.Index].AccountId.CompareTo(candidates[b.Index].AccountId));
            var take = DailyQueueSize > 0 ? Math.Min(DailyQueueSize, list.Count) : list.Count;
            for (var k = 0; k < take; k++)
            {
                var candidate = candidates[list[k].Index];
                entries.Add(new WorkQueueEntry
                {
                    AccountId = candidate.AccountId,
                    Collector = collector,
                    Priority = list[k].Score,
                    DebtorId = candidate.DebtorId,
                    BuiltAt = now,
                    WorkedAt = workedToday.GetValueOrDefault(candidate.AccountId),
                });
            }
        }

        var restrictedAssigned = restricted.Count(id => holders.GetValueOrDefault(id) is not null);
        Stage("assign");
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            // Only accounts that had a collector have an assignment row to replace or remove.
            var changed = new List<Guid>(released);
            foreach (ref readonly var candidate in candidates.AsSpan())
            {
                if (candidate.Collector is not null && assignedNow.ContainsKey(candidate.AccountId))
                {
                    changed.Add(candidate.AccountId);
                }
            }

            foreach (var chunk in changed.Chunk(20_000))
            {
                await db.AccountAssignments.Where(a => chunk.Contains(a.AccountId)).ExecuteDeleteAsync(ct);
            }

            // In key order, so the primary key grows at its end; a large batch (the first build) goes in
            // without the collector index, which is then built once from the finished table.
            var fresh = result.Assignments.Select(a => new AccountAssignment
            {
                AccountId = a.AccountId,
                Collector = a.Collector,
                AssignedAt = now,
                AssignedBy = ruleNames[a.RuleId],
            }).OrderBy(a => a.AccountId).ToList();
            var collectorIndex = !db.IsSqlite && fresh.Count > 100_000
                ? await db.Database.SqlQueryRaw<string>(
                    "SELECT indexdef AS \"Value\" FROM pg_indexes WHERE tablename = 'account_assignments' AND indexname = 'ix_account_assignments_collector'")
                    .SingleOrDefaultAsync(ct)
                : null;
            if (collectorIndex is not null)
            {
                await db.Database.ExecuteSqlRawAsync("DROP INDEX ix_account_assignments_collector", ct);
            }

            await database.BulkInserter.InsertAsync(db, fresh, ct);
            if (collectorIndex is not null)
            {
                await db.Database.ExecuteSqlRawAsync(collectorIndex, ct);
            }

            if (db.IsSqlite)
            {
                await db.WorkQueueEntries.ExecuteDeleteAsync(ct);
            }
            else
            {
                await db.Database.ExecuteSqlRawAsync("TRUNCATE work_queue_entries", ct);
            }

            await database.BulkInserter.InsertAsync(db, entries, ct);

            var build = new WorkQueueBuild(now, candidates.Length, entries.Count, scored, result.Assignments.Count, result.Kept, released.Count, restrictedAssigned,
                result.UnassignedCount(UnassignedReason.NoRule), result.UnassignedCount(UnassignedReason.Capacity), result.Collectors,
                clock.GetElapsedTime(started));
            db.AuditLog.Add(AuditLog.Record(now, actor, "work_queues.built", "work_queues", "all", null, new
            {
                accounts = build.Accounts,
                queued = build.Queued,
                scored = build.Scored,
                assigned = build.Assigned,
                kept = build.Kept,
                released = build.Released,
                restricted = build.Restricted,
                unassigned_no_rule = build.UnassignedNoRule,
                unassigned_capacity = build.UnassignedCapacity,
            }));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            Stage("write");

            if (!db.IsSqlite && (entries.Count > 10_000 || result.Assignments.Count > 10_000))
            {
                await db.Database.ExecuteSqlRawAsync("ANALYZE work_queue_entries", ct);
                await db.Database.ExecuteSqlRawAsync("ANALYZE account_assignments", ct);
            }

            Stage("analyze");
            return build with { Elapsed = clock.GetElapsedTime(started), Stages = stages };
        }
    }

    /// <summary>
    /// The queue candidates of the whole portfolio in one streamed query (with the risk score the last
    /// daily run stored, docs/risk.md), and the accounts whose debtor may not be contacted at all (cease
    /// communication, attorney).
    /// </summary>
    private static async Task<(QueueCandidate[] Candidates, HashSet<Guid> Restricted)> LoadCandidatesAsync(
        RecoupDbContext db, DateOnly today, HashSet<Guid> callbackDue, CancellationToken ct)
    {
        var count = await db.AccountSummaries.CountAsync(ct);
        var candidates = new List<QueueCandidate>(count);
        var restricted = new HashSet<Guid>();
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        var restrictedDebtors = (await db.Debtors.AsNoTracking()
            .Where(d => d.CeaseCommunicationAt != null || d.AttorneyRepresentedSince != null)
            .Select(d => d.Id).ToListAsync(ct)).Select(d => d.Value).ToHashSet();
        var rows =
            from s in db.AccountSummaries.AsNoTracking()
            join a in db.AccountAssignments.AsNoTracking() on s.AccountId equals a.AccountId into assigned
            from a in assigned.DefaultIfEmpty()
            join r in db.AccountRiskScores.AsNoTracking() on s.AccountId equals r.AccountId into scored
            from r in scored.DefaultIfEmpty()
            select new
            {
                s.AccountId,
                s.DebtorId,
                s.DebtType,
                s.BalanceSortKey,
                s.OldestDueDate,
                s.LastContactAt,
                s.Region,
                s.Language,
                Collector = a == null ? null : a.Collector,
                RiskScore = r == null ? (short?)null : r.Score,
            };
        await foreach (var row in rows.AsAsyncEnumerable().WithCancellation(ct))
        {
            candidates.Add(new QueueCandidate(
                row.AccountId,
                row.DebtorId.Value,
                row.DebtType,
                row.BalanceSortKey,
                DaysPastDue(row.OldestDueDate, today),
                DaysSinceContact(row.LastContactAt, today),
                callbackDue.Contains(row.AccountId) ? QueueSignals.CallbackRequested : QueueSignals.None,
                row.RiskScore,
                Shared(row.Region),
                Shared(row.Language) ?? "en",
                Shared(row.Collector)));
            if (restrictedDebtors.Contains(row.DebtorId.Value))
            {
                restricted.Add(row.AccountId);
            }
        }

        return ([.. candidates], restricted);

        string? Shared(string? value)
        {
            if (value is null)
            {
                return null;
            }

            if (!strings.TryGetValue(value, out var shared))
            {
                strings[value] = shared = value;
            }

            return shared;
        }
    }

    /// <summary>Days past due of an account whose oldest open invoice fell due on <paramref name="oldestDue"/> (0 when nothing is open).</summary>
    public static int DaysPastDue(DateOnly oldestDue, DateOnly today) => oldestDue == AccountSummary.NothingOpen ? 0 : today.DayNumber - oldestDue.DayNumber;

    /// <summary>Whole days since the last contact attempt (by UTC date); null when nobody ever tried.</summary>
    public static int? DaysSinceContact(DateTimeOffset? lastContactAt, DateOnly today) =>
        lastContactAt is { } at ? today.DayNumber - DateOnly.FromDateTime(at.UtcDateTime).DayNumber : null;

    /// <summary>A stored rule as the domain's.</summary>
    public static AssignmentRule ToRule(AssignmentRuleRecord record) => new(
        record.Id,
        record.Order,
        record.Name,
        record.DebtType,
        record.MinBalanceSortKey,
        record.MaxBalanceSortKey,
        record.Regions.ToHashSet(StringComparer.OrdinalIgnoreCase),
        record.Language,
        record.Collectors);
}
