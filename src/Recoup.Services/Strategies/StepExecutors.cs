using Recoup.Data;
using Recoup.Domain;
using Recoup.Domain.Strategies;
using Recoup.Domain.WorkQueues;

namespace Recoup.Services.Strategies;

/// <summary>
/// What a step executor works in: the batch's context (one transaction), the business date and the run.
/// <paramref name="Rows"/> are the rows the batch writes in volume (messages, audit records, tasks, steps taken, new
/// strategy states): the executors add them there instead of to the <paramref name="Db"/>'s change tracker, and the
/// run inserts them in bulk in the batch's transaction.
/// </summary>
public sealed record StepContext(RecoupDbContext Db, DateOnly AsOf, DateTimeOffset Now, Guid RunId, string Actor, BatchRows Rows)
{
    /// <summary>What executors of the same batch share (the letter, e-mail and text executors read the same accounts once).</summary>
    public Dictionary<string, object> Shared { get; } = new(StringComparer.Ordinal);

    /// <summary>The batch's items of every action, so that an executor can read for all of them at once.</summary>
    public IReadOnlyList<StepItem> Batch { get; init; } = [];

    /// <summary>The batch's open invoices as of the date (<see cref="Ledger.OpenInvoices"/>), read once for the facts and the messages.</summary>
    public IReadOnlyList<Ledger.OpenInvoiceRow>? OpenInvoices { get; init; }

    /// <summary>Adds time spent to one of the run's stages (<c>run.stage.*</c> in the benchmark), when given.</summary>
    public Action<string, TimeSpan>? Timed { get; init; }

    /// <summary>Times <paramref name="work"/> as <paramref name="stage"/> (see <see cref="Timed"/>).</summary>
    public T Time<T>(string stage, Func<T> work)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            return work();
        }
        finally
        {
            Timed?.Invoke(stage, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>Times <paramref name="work"/> as <paramref name="stage"/> (see <see cref="Timed"/>).</summary>
    public async Task<T> TimeAsync<T>(string stage, Func<Task<T>> work)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            return await work();
        }
        finally
        {
            Timed?.Invoke(stage, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
    }
}

/// <summary>What one batch of the daily run inserts in bulk, kept out of the change tracker (see <see cref="StepContext.Rows"/>).</summary>
public sealed class BatchRows
{
    public List<Data.Outbox.OutboxMessage> Outbox { get; } = [];
    public List<Data.Audit.AuditRecord> Audit { get; } = [];
    public List<FollowUp> Tasks { get; } = [];
    public List<Data.Strategies.StrategyStepTaken> Taken { get; } = [];
    public List<Data.Strategies.AccountStrategyState> States { get; } = [];

    /// <summary>Stored strategy states whose episode, strategy version, segment or arm changed: saved whole.</summary>
    public List<Data.Strategies.AccountStrategyState> ChangedStates { get; } = [];

    /// <summary>Accounts whose stored strategy state only takes the run's date (they stay where they were): one update per batch.</summary>
    public List<AccountId> SeenStates { get; } = [];

    /// <summary>Risk scores of accounts scored for the first time (<see cref="Risk.RiskAssessments.ReconcileAsync"/>).</summary>
    public List<Data.Risk.AccountRiskScoreRecord> RiskScores { get; } = [];
}

/// <summary>One planned step on one account.</summary>
public sealed record StepItem(AccountStrategyFacts Facts, PlannedStep Step);

/// <summary>
/// What an executor did with a batch of items: those carried out, those the compliance gate refused,
/// and those that must wait for another reason (no collector yet, no contact point); the last two are
/// tried again on a later run. <see cref="Skipped"/> are those that needed nothing (a customer already
/// on credit hold): recorded as taken, not counted.
/// </summary>
public sealed record StepOutcome(IReadOnlyList<StepItem> Done, IReadOnlyList<StepItem> Blocked, IReadOnlyList<StepItem> Deferred)
{
    public IReadOnlyList<StepItem> Skipped { get; init; } = [];
}

/// <summary>
/// Carries out the steps of one action for a batch of accounts, inside the batch's transaction, set
/// based (a few statements per batch, not per account).
/// </summary>
public interface IStepExecutor
{
    StepAction Action { get; }

    Task<StepOutcome> ExecuteAsync(StepContext context, IReadOnlyList<StepItem> items, CancellationToken ct);
}

/// <summary>
/// A call task: a follow-up due at once for the account's collector, with the step's priority in its
/// note. An account nobody is assigned gets none (the next queue build gives it to someone), and the
/// step waits for a later run.
/// </summary>
public sealed class CallTaskExecutor : IStepExecutor
{
    public StepAction Action => StepAction.CallTask;

    public Task<StepOutcome> ExecuteAsync(StepContext context, IReadOnlyList<StepItem> items, CancellationToken ct) =>
        CollectorTasks.AddAsync(context, items,
            item => $"Strategy step '{item.Step.Step.Key}' (priority {item.Step.Step.Priority}): call the debtor about {Describe(item)}", null, ct);

    private static string Describe(StepItem item) => item.Step.Invoices.Count switch
    {
        0 => "the account",
        1 => $"invoice {item.Step.Invoices[0].Number}",
        var n => $"{n} past-due invoices",
    };
}

/// <summary>
/// Tasks the daily run gives an account's collector: a follow-up due at once. An account nobody is
/// assigned gets none and its step waits (the queue build after the run gives it to someone).
/// </summary>
internal static class CollectorTasks
{
    /// <param name="added">Called for each task added, with the collector it went to (e.g. to audit it).</param>
    public static async Task<StepOutcome> AddAsync(
        StepContext context, IReadOnlyList<StepItem> items, Func<StepItem, string> note, Action<StepItem, string>? added, CancellationToken ct)
    {
        var owners = await WorkQueues.AccountOwners.LoadAsync(context.Db, items.Select(i => i.Facts.AccountId), ct);
        var done = new List<StepItem>();
        var waiting = new List<StepItem>();
        foreach (var item in items)
        {
            if (!owners.TryGetValue(item.Facts.AccountId, out var owner))
            {
                waiting.Add(item);
                continue;
            }

            var task = FollowUp.Schedule(FollowUpId.New(context.Now), item.Facts.AccountId, item.Facts.DebtorId, FollowUpKind.Task,
                context.Now.UtcDateTime, "Etc/UTC", owner, note(item), null, context.Actor, context.Now);
            if (task.IsSuccess)
            {
                context.Rows.Tasks.Add(task.Value);
                added?.Invoke(item, owner);
                done.Add(item);
            }
        }

        return new StepOutcome(done, [], waiting);
    }
}
