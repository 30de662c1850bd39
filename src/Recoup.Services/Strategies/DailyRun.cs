using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Recoup.Data.Strategies;
using Recoup.Domain;
using Recoup.Domain.Strategies;
using Recoup.Services.Audit;
using Recoup.Services.Charges;
using Recoup.Services.Messaging.Templates;
using Recoup.Services.Plans;
using Recoup.Services.Risk;
using Recoup.Services.Storage;
using Recoup.Services.WorkQueues;
using Recoup.Services.WriteOffs;

namespace Recoup.Services.Strategies;

/// <summary>One account's step in a dry run's sample, or in the run's answer.</summary>
public sealed record SampleStep(AccountId AccountId, string Strategy, string Segment, string Arm, string Step, StepAction Action);

/// <summary>What a daily run did (or, dry, would do).</summary>
/// <param name="Steps">Steps carried out per action (a dry run: due per action).</param>
/// <param name="BySegment">Accounts with a step, per <c>strategy / segment / arm</c>.</param>
public sealed record DailyRunReport(
    Guid? RunId,
    DateOnly AsOf,
    bool DryRun,
    bool Resumed,
    int Accounts,
    IReadOnlyDictionary<StepAction, int> Steps,
    int BrokenPromises,
    int MissedInstallments,
    int BlockedByCompliance,
    int Deferred,
    IReadOnlyDictionary<string, int> BySegment,
    IReadOnlyList<SampleStep> Samples,
    long DurationMs)
{
    /// <summary>Accounts whose collection is stopped (a collection hold, a placement): no step was considered.</summary>
    public int Stopped { get; init; }

    /// <summary>Small balances written off on the date (<see cref="SmallBalanceWriteOffs"/>).</summary>
    public int SmallBalanceWriteOffs { get; init; }

    public int FeesPosted { get; init; }
    public int InterestPosted { get; init; }

    /// <summary>Accounts in the collectors' queues after the rebuild at the end of the run; null when not rebuilt.</summary>
    public int? Queued { get; init; }
}

/// <summary>Where the run is, for a progress bar.</summary>
public sealed record DailyRunProgress(string Stage, int Done, int Total);

/// <summary>
/// The daily collections run for a business date (docs/strategies.md): plan and promise monitoring,
/// then, batch by batch over every account, the risk score (docs/risk.md), the strategy's decision
/// (<see cref="StrategyEvaluator"/>) and its steps carried out by the <see cref="IStepExecutor"/>s, each
/// batch in one transaction with the steps it took, the scores that changed and the run's cursor. So the
/// run is idempotent for a date (a step taken is never taken again, a score found the same is not
/// written), resumable (a crashed run continues after its last committed batch), and one at a time (a
/// lease in the database).
/// </summary>
public sealed class DailyRun(RecoupDatabase database, TimeProvider clock, StrategyStore strategies, JobLeases leases, IEnumerable<IStepExecutor> executors)
{
    public const string LeaseName = "daily-run";
    public const string RunInProgress = "run_in_progress";

    /// <summary>Events older than this many days before the business date no longer call for a step.</summary>
    public const int EventWindowDays = 14;

    private static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(10);
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly Dictionary<StepAction, IStepExecutor> _executors = executors.ToDictionary(e => e.Action);
    private readonly Dictionary<string, TimeSpan> _stages = [];

    /// <summary>How long the last run spent in each stage (monitoring, facts, each action, writing, the queues), for the benchmark.</summary>
    public IReadOnlyDictionary<string, TimeSpan> LastStages => _stages;

    private async Task<T> TimedAsync<T>(string stage, Func<Task<T>> work)
    {
        var started = clock.GetTimestamp();
        try
        {
            return await work();
        }
        finally
        {
            AddStage(stage, clock.GetElapsedTime(started));
        }
    }

    /// <summary>Adds to a stage's time; the read-ahead of the next batch times its stages beside the current batch's.</summary>
    private void AddStage(string stage, TimeSpan time)
    {
        lock (_stages)
        {
            _stages[stage] = _stages.GetValueOrDefault(stage) + time;
        }
    }

    /// <summary>What a batch reads about its own accounts only (<see cref="ReadAheadAsync"/>).</summary>
    private sealed record OwnFacts(
        List<Ledger.OpenInvoiceRow> Open, List<AccountStrategyFacts> Facts,
        Dictionary<AccountId, HashSet<string>> Taken, Dictionary<AccountId, AccountStrategyState> States,
        (List<Data.Risk.AccountRiskScoreRecord> Fresh, List<Data.Risk.AccountRiskScoreRecord> Changed) Scores);

    /// <summary>
    /// The facts of a batch that depend on its own accounts alone — their open invoices, risk inputs, strategy facts,
    /// steps taken, strategy states and stored risk scores — read on a connection of their own while the batch before
    /// is deciding and writing. That batch writes only its own accounts' rows of these tables (steps, states, scores,
    /// placements), so reading ahead sees what reading after its commit would. What a step on another account can
    /// change — a debtor's credit hold, when the debtor's accounts in two currencies fall in two batches — is not a
    /// fact: the credit-hold step reads the holds in the batch's own transaction.
    /// </summary>
    private async Task<OwnFacts> ReadAheadAsync(AccountId[] batch, DateOnly asOf, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.WithoutJitAsync(ct);
        var open = await TimedAsync("facts.open_invoices", () => Ledger.OpenInvoices.LoadAsync(db, batch, asOf, ct));
        var risk = await TimedAsync("facts.risk", () => RiskAssessments.AssessAsync(db, batch, asOf, open, ct));
        var facts = await TimedAsync("facts", () => StrategyFacts.LoadAsync(db, batch, asOf, EventWindowDays, open, risk, ct));
        var taken = await TimedAsync("taken", () => TakenAsync(db, batch, ct));
        var states = await TimedAsync("states", () => db.AccountStrategyStates.AsNoTracking().Where(s => batch.Contains(s.AccountId)).ToDictionaryAsync(s => s.AccountId, ct));
        var scores = await TimedAsync("risk", () => RiskAssessments.ReconcileAsync(db, risk, asOf, ct));
        await transaction.CommitAsync(ct);
        return new OwnFacts(open, facts, taken, states, scores);
    }

    /// <summary>Accounts per batch (one transaction each).</summary>
    public int BatchSize { get; init; } = 5_000;

    /// <summary>The plan and promise monitoring run first, when given.</summary>
    public PlanMonitoring? Monitoring { get; init; }

    /// <summary>Late fees and interest, accrued before the strategies decide, when given.</summary>
    public AccrueFeesAndInterest? Accrual { get; init; }

    /// <summary>Small balances, written off before the strategies decide (a written-off account needs no step), when given.</summary>
    public SmallBalanceWriteOffs? SmallBalances { get; init; }

    /// <summary>The work queues, rebuilt after the last batch (call tasks and queue moves are in them), when given.</summary>
    public BuildWorkQueues? Queues { get; init; }

    /// <summary>For tests: called after each committed batch with its number (1, 2, …); throwing stops the run as a crash would.</summary>
    public Func<int, Task>? AfterBatch { get; set; }

    public async Task<Result<DailyRunReport>> RunAsync(DateOnly asOf, bool dryRun, string actor, IProgress<DailyRunProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var watch = Stopwatch.StartNew();
        var holder = string.Create(CultureInfo.InvariantCulture, $"{actor} on {Environment.MachineName} ({Guid.NewGuid():N})");
        if (!dryRun && !await leases.TryAcquireAsync(LeaseName, holder, LeaseDuration, ct))
        {
            var current = await leases.HolderAsync(LeaseName, ct);
            return Result<DailyRunReport>.Fail(RunInProgress,
                $"Another daily run is in progress ({current?.Holder ?? "another process"}, until {current?.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "its lease lapses"} UTC); try again when it has finished");
        }

        try
        {
            return await RunLockedAsync(asOf, dryRun, actor, holder, watch, progress, ct);
        }
        finally
        {
            if (!dryRun)
            {
                await leases.ReleaseAsync(LeaseName, holder, CancellationToken.None);
            }
        }
    }

    private async Task<Result<DailyRunReport>> RunLockedAsync(
        DateOnly asOf, bool dryRun, string actor, string holder, Stopwatch watch, IProgress<DailyRunProgress>? progress, CancellationToken ct)
    {
        _stages.Clear();
        var live = await strategies.LiveAsync(ct);
        var counts = new RunCounts();
        CollectionRun? run = null;
        var resumed = false;
        if (!dryRun)
        {
            await using var db = database.CreateContext();
            run = await db.CollectionRuns.AsNoTracking().Where(r => r.AsOf == asOf && r.Status == CollectionRunStatus.Running).FirstOrDefaultAsync(ct);
            resumed = run is not null;
            if (run is null)
            {
                run = new CollectionRun { Id = SequentialGuid.Create(clock.GetUtcNow()), AsOf = asOf, Status = CollectionRunStatus.Running, StartedAt = clock.GetUtcNow(), StartedBy = actor };
                db.CollectionRuns.Add(run);
                await db.SaveChangesAsync(ct);
            }
            else
            {
                counts = JsonSerializer.Deserialize<RunCounts>(run.Counts, Json) ?? new RunCounts();
            }

            if (!counts.Prepared)
            {
                await PrepareAsync(asOf, actor, counts, progress, ct);
                await db.CollectionRuns.Where(r => r.Id == run.Id).ExecuteUpdateAsync(set => set.SetProperty(r => r.Counts, JsonSerializer.Serialize(counts, Json)), ct);
            }

            await MessageTemplates.EnsureStandardAsync(db, clock.GetUtcNow(), ct);
        }

        var ids = await AccountIdsAsync(run?.Cursor, ct);
        var samples = new List<SampleStep>();
        var batchNumber = 0;
        var done = 0;
        var batches = ids.Chunk(BatchSize).ToList();
        Task<OwnFacts>? ahead = null;
        try
        {
            for (var b = 0; b < batches.Count; b++)
            {
                var batch = batches[b];
                progress?.Report(new DailyRunProgress("Deciding and taking steps", done, ids.Count));
                batchNumber++;
                var own = await (ahead ?? ReadAheadAsync(batch, asOf, ct));
                ahead = b + 1 < batches.Count ? ReadAheadAsync(batches[b + 1], asOf, ct) : null;
                await using var db = database.CreateContext();
                await using var transaction = dryRun ? null : await db.Database.BeginTransactionAsync(ct);
                await db.WithoutJitAsync(ct);
                var now = clock.GetUtcNow();
                var (open, facts, taken, states) = (own.Open, own.Facts, own.Taken, own.States);
                var rows = new BatchRows();
                var items = new List<(StepItem Item, StoredStrategy Strategy, StrategyDecision Decision)>();
                foreach (var account in facts)
                {
                    if (account.Stopped)
                    {
                        counts.Stopped++;
                        continue;
                    }

                    var strategy = live[account.DebtType];
                    if (StrategyEvaluator.Decide(strategy.Definition, account, asOf, taken.GetValueOrDefault(account.AccountId) ?? []) is not { } decision)
                    {
                        continue;
                    }

                    counts.Accounts++;
                    if (!dryRun)
                    {
                        RecordState(rows, states, account, strategy, decision, asOf);
                    }

                    foreach (var step in decision.Steps)
                    {
                        items.Add((new StepItem(account, step), strategy, decision));
                    }

                    if (decision.Steps.Count > 0)
                    {
                        var segmentKey = $"{strategy.Definition.Name} / {decision.Segment} / {decision.Arm}";
                        counts.BySegment[segmentKey] = counts.BySegment.GetValueOrDefault(segmentKey) + 1;
                        if (samples.Count < 20)
                        {
                            samples.AddRange(decision.Steps.Select(s => new SampleStep(account.AccountId, strategy.Definition.Name, decision.Segment, decision.Arm, s.Step.Key, s.Step.Action)));
                        }
                    }
                }

                if (dryRun)
                {
                    foreach (var (item, _, _) in items)
                    {
                        counts.Add(item.Step.Step.Action, 1);
                    }
                }
                else
                {
                    var context = new StepContext(db, asOf, now, run!.Id, actor, rows)
                    {
                        Batch = items.Select(i => i.Item).ToList(),
                        OpenInvoices = open,
                        Timed = AddStage,
                    };
                    foreach (var group in items.GroupBy(i => i.Item.Step.Step.Action))
                    {
                        if (!_executors.TryGetValue(group.Key, out var executor))
                        {
                            counts.Deferred += group.Count();
                            continue;
                        }

                        var outcome = await TimedAsync("step." + ActionName(group.Key), () => executor.ExecuteAsync(context, group.Select(g => g.Item).ToList(), ct));
                        counts.Add(group.Key, outcome.Done.Count);
                        counts.BlockedByCompliance += outcome.Blocked.Count;
                        counts.Deferred += outcome.Deferred.Count;
                        var byItem = group.ToDictionary(g => g.Item, g => g.Decision);
                        foreach (var (item, needed) in outcome.Done.Select(i => (i, true)).Concat(outcome.Skipped.Select(i => (i, false))))
                        {
                            var decision = byItem[item];
                            foreach (var key in item.Step.TakenKeys)
                            {
                                rows.Taken.Add(new StrategyStepTaken
                                {
                                    AccountId = item.Facts.AccountId,
                                    TakenKey = key,
                                    RunId = run.Id,
                                    AsOf = asOf,
                                    StepKey = item.Step.Step.Key,
                                    Action = ActionName(item.Step.Step.Action),
                                    Outcome = !key.StartsWith(item.Step.Step.Key + "|", StringComparison.Ordinal) ? "superseded" : needed ? "done" : "not_needed",
                                    Segment = decision.Segment,
                                    Arm = decision.Arm,
                                });
                            }
                        }
                    }

                    rows.RiskScores.AddRange(own.Scores.Fresh);
                    db.AccountRiskScores.UpdateRange(own.Scores.Changed);
                    await TimedAsync("write", () => WriteBatchAsync(db, rows, asOf, ct));
                    await TimedAsync("commit", async () =>
                    {
                        await db.CollectionRuns.Where(r => r.Id == run.Id).ExecuteUpdateAsync(
                            set => set.SetProperty(r => r.Cursor, batch[^1].Value).SetProperty(r => r.Accounts, counts.Accounts).SetProperty(r => r.Counts, JsonSerializer.Serialize(counts, Json)), ct);
                        await transaction!.CommitAsync(ct);
                        return 0;
                    });
                    await leases.TryAcquireAsync(LeaseName, holder, LeaseDuration, ct);
                    if (AfterBatch is not null)
                    {
                        await AfterBatch(batchNumber);
                    }
                }

                done += batch.Length;
            }
        }
        finally
        {
            if (ahead is not null)
            {
                // A batch failed (or the run was cancelled) while the next one was being read: wait for that read to end,
                // so that its connection is closed, and mark its own failure seen; the batch's failure is the one reported.
                await Task.WhenAny(ahead);
                _ = ahead.Exception;
            }
        }

        if (!dryRun && Queues is not null)
        {
            progress?.Report(new DailyRunProgress("Rebuilding work queues", ids.Count, ids.Count));
            counts.Queued = (await TimedAsync("work_queues", () => Queues.RunAsync(actor, null, ct))).Queued;
        }

        if (!dryRun)
        {
            await using var db = database.CreateContext();
            var finished = clock.GetUtcNow();
            await db.CollectionRuns.Where(r => r.Id == run!.Id).ExecuteUpdateAsync(
                set => set.SetProperty(r => r.Status, CollectionRunStatus.Completed).SetProperty(r => r.FinishedAt, finished).SetProperty(r => r.Counts, JsonSerializer.Serialize(counts, Json)), ct);
            db.AuditLog.Add(AuditLog.Record(finished, actor, "collection_run.completed", "collection_run", run!.Id.ToString(), null, new
            {
                as_of = asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                resumed,
                counts.Accounts,
                steps = counts.Steps,
                broken_promises = counts.BrokenPromises,
                missed_installments = counts.MissedInstallments,
                blocked_by_compliance = counts.BlockedByCompliance,
                stopped = counts.Stopped,
                small_balance_write_offs = counts.SmallBalanceWriteOffs,
                fees_posted = counts.FeesPosted,
                interest_posted = counts.InterestPosted,
            }));
            await db.SaveChangesAsync(ct);
        }

        progress?.Report(new DailyRunProgress("Done", ids.Count, ids.Count));
        return new DailyRunReport(
            run?.Id, asOf, dryRun, resumed, counts.Accounts,
            Enum.GetValues<StepAction>().ToDictionary(a => a, a => counts.Steps.GetValueOrDefault(ActionName(a))),
            counts.BrokenPromises, counts.MissedInstallments, counts.BlockedByCompliance, counts.Deferred, counts.BySegment, samples, watch.ElapsedMilliseconds)
        {
            Stopped = counts.Stopped,
            SmallBalanceWriteOffs = counts.SmallBalanceWriteOffs,
            FeesPosted = counts.FeesPosted,
            InterestPosted = counts.InterestPosted,
            Queued = counts.Queued,
        };
    }

    /// <summary>
    /// What comes before the strategies, each idempotent for the date on its own: plan and promise monitoring (broken
    /// promises and missed installments become events the strategies answer), fee and interest accrual, and
    /// small-balance write-offs. A run that crashed before they finished does them again when it resumes.
    /// </summary>
    private async Task PrepareAsync(DateOnly asOf, string actor, RunCounts counts, IProgress<DailyRunProgress>? progress, CancellationToken ct)
    {
        if (Monitoring is not null)
        {
            progress?.Report(new DailyRunProgress("Monitoring promises and plans", 0, 3));
            var monitored = await TimedAsync("monitoring", () => Monitoring.RunAsync(asOf, ct));
            counts.BrokenPromises = monitored.PromisesBroken;
            counts.MissedInstallments = monitored.InstallmentsMissed;
        }

        if (Accrual is not null)
        {
            progress?.Report(new DailyRunProgress("Accruing fees and interest", 1, 3));
            var accrued = await TimedAsync("accrual", () => Accrual.RunAsync(asOf, ct));
            counts.FeesPosted = accrued.FeesPosted;
            counts.InterestPosted = accrued.InterestPosted;
        }

        if (SmallBalances is not null)
        {
            progress?.Report(new DailyRunProgress("Writing off small balances", 2, 3));
            var written = await TimedAsync("small_balances", () => SmallBalances.RunAsync(asOf, actor, ct));
            counts.SmallBalanceWriteOffs = written.Replayed ? 0 : written.Accounts;
        }

        counts.Prepared = true;
    }

    /// <summary>
    /// Writes the batch in its transaction: the rows it adds in volume (outbox messages, audit records, steps taken,
    /// new strategy states, tasks, first risk scores) are taken out of the change tracker and inserted in bulk (COPY on
    /// PostgreSQL, one prepared INSERT on SQLite) after the rest (updated states and risk scores, holds, placements,
    /// proposals) is saved as usual.
    /// </summary>
    private async Task<int> WriteBatchAsync(Data.RecoupDbContext db, BatchRows rows, DateOnly asOf, CancellationToken ct)
    {
        // An account that stays in its segment and arm only takes the run's date: one UPDATE per chunk of
        // them, where change tracking would send one per account (a million on a steady day).
        db.AccountStrategyStates.UpdateRange(rows.ChangedStates);
        await TimedAsync("write.states_seen", async () =>
        {
            foreach (var chunk in rows.SeenStates.Chunk(Chunks.Size))
            {
                await db.AccountStrategyStates.Where(s => chunk.Contains(s.AccountId)).ExecuteUpdateAsync(set => set.SetProperty(s => s.LastRunOn, asOf), ct);
            }

            return 0;
        });

        var outbox = rows.Outbox;
        var audit = rows.Audit;
        var taken = rows.Taken;
        var states = rows.States;
        var tasks = rows.Tasks;
        // Write-off proposals and credit holds are added to the change tracker by their executors (few other rows
        // are); they are plain rows too, so they go in bulk as well.
        var proposals = new List<Data.Disputes.BalanceChangeRecord>();
        var holds = new List<Data.Holds.CreditHoldRecord>();
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added).ToList())
        {
            switch (entry.Entity)
            {
                case Data.Disputes.BalanceChangeRecord proposal:
                    proposals.Add(proposal);
                    entry.State = EntityState.Detached;
                    break;
                case Data.Holds.CreditHoldRecord hold:
                    holds.Add(hold);
                    entry.State = EntityState.Detached;
                    break;
            }
        }

        var saved = await TimedAsync("write.tracked", () => db.SaveChangesAsync(ct));
        var bulk = database.BulkInserter;
        await TimedAsync("write.bulk.proposals_holds", async () => { await bulk.InsertAsync(db, proposals, ct); await bulk.InsertAsync(db, holds, ct); return 0; });
        await TimedAsync("write.bulk.states", async () => { await bulk.InsertAsync(db, states, ct); return 0; });
        await TimedAsync("write.bulk.steps_taken", async () => { await bulk.InsertAsync(db, taken, ct); return 0; });
        await TimedAsync("write.bulk.tasks", async () => { await bulk.InsertAsync(db, tasks, ct); return 0; });
        await TimedAsync("write.bulk.outbox", async () => { await bulk.InsertAsync(db, outbox, ct); return 0; });
        await TimedAsync("write.bulk.audit", async () => { await bulk.InsertAsync(db, audit, ct); return 0; });
        await TimedAsync("write.bulk.risk", async () => { await bulk.InsertAsync(db, rows.RiskScores, ct); return 0; });
        return saved + proposals.Count + holds.Count + states.Count + taken.Count + tasks.Count + outbox.Count + audit.Count + rows.RiskScores.Count;
    }

    /// <summary>The action's name in counts, JSON and the steps-taken table: <c>call_task</c>, <c>write_off</c>, …</summary>
    public static string ActionName(StepAction action) => JsonNamingPolicy.SnakeCaseLower.ConvertName(action.ToString());

    /// <summary>Every account with a summary, in a fixed order; after <paramref name="cursor"/> when resuming.</summary>
    private async Task<List<AccountId>> AccountIdsAsync(Guid? cursor, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var ids = await db.AccountSummaries.AsNoTracking().Select(s => s.AccountId).ToListAsync(ct);
        ids.Sort((a, b) => string.CompareOrdinal(Order(a), Order(b)));
        var start = cursor is { } after ? ids.FindIndex(id => string.CompareOrdinal(Order(id), Order(after)) > 0) : 0;
        return (start < 0 ? [] : ids.Skip(start)).Select(id => new AccountId(id)).ToList();
    }

    // Guid's own order differs by platform and database; its big-endian bytes as text are the same everywhere.
    private static string Order(Guid id) => Convert.ToHexString(id.ToByteArray(bigEndian: true));

    private static async Task<Dictionary<AccountId, HashSet<string>>> TakenAsync(Data.RecoupDbContext db, AccountId[] batch, CancellationToken ct)
    {
        var rows = await db.StrategyStepsTaken.AsNoTracking().Where(t => batch.Contains(t.AccountId)).Select(t => new { t.AccountId, t.TakenKey }).ToListAsync(ct);
        return rows.GroupBy(r => r.AccountId).ToDictionary(g => g.Key, g => g.Select(r => r.TakenKey).ToHashSet(StringComparer.Ordinal));
    }

    private static void RecordState(BatchRows rows, Dictionary<AccountId, AccountStrategyState> states, AccountStrategyFacts account, StoredStrategy strategy, StrategyDecision decision, DateOnly asOf)
    {
        if (!states.TryGetValue(account.AccountId, out var state))
        {
            state = new AccountStrategyState { AccountId = account.AccountId };
            rows.States.Add(state);
            states[account.AccountId] = state;
        }
        else if (state.Episode == account.Episode && state.DebtType == account.DebtType && state.StrategyVersion == strategy.Version
            && state.Segment == decision.Segment && state.Arm == decision.Arm)
        {
            if (state.LastRunOn != asOf)
            {
                rows.SeenStates.Add(account.AccountId);
                state.LastRunOn = asOf;
            }

            return;
        }
        else
        {
            rows.ChangedStates.Add(state);
        }

        state.Episode = account.Episode;
        state.DebtType = account.DebtType;
        state.StrategyVersion = strategy.Version;
        state.Segment = decision.Segment;
        state.Arm = decision.Arm;
        state.LastRunOn = asOf;
    }

    /// <summary>The run's tallies, kept with the run (as JSON) so a resumed run goes on counting.</summary>
    private sealed class RunCounts
    {
        public int Accounts { get; set; }
        public Dictionary<string, int> Steps { get; set; } = [];
        public int BrokenPromises { get; set; }
        public int MissedInstallments { get; set; }
        public int BlockedByCompliance { get; set; }
        public int Deferred { get; set; }
        public int Stopped { get; set; }
        public int SmallBalanceWriteOffs { get; set; }
        public int FeesPosted { get; set; }
        public int InterestPosted { get; set; }
        public int? Queued { get; set; }

        /// <summary>Whether monitoring, accrual and small-balance write-offs are done (a resumed run skips them then).</summary>
        public bool Prepared { get; set; }

        public Dictionary<string, int> BySegment { get; set; } = [];

        public void Add(StepAction action, int count) => Steps[ActionName(action)] = Steps.GetValueOrDefault(ActionName(action)) + count;
    }
}
