using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Recoup.Data.Strategies;
using Recoup.Services.Storage;

namespace Recoup.Services.Strategies;

/// <summary>A recorded daily run as the runs screen and the API show it: its counts read back from the run's record.</summary>
/// <param name="Steps">Steps carried out per action name (<c>letter</c>, <c>call_task</c>, …).</param>
/// <param name="BySegment">Accounts with a step, per <c>strategy / segment / arm</c>.</param>
public sealed record RunRecord(
    Guid Id,
    DateOnly AsOf,
    CollectionRunStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string StartedBy,
    int Accounts,
    IReadOnlyDictionary<string, int> Steps,
    int BrokenPromises,
    int MissedInstallments,
    int BlockedByCompliance,
    int Deferred,
    IReadOnlyDictionary<string, int> BySegment,
    string? Error)
{
    public TimeSpan? Duration => FinishedAt - StartedAt;

    public int StepTotal => Steps.Values.Sum();
}

/// <summary>The recorded daily runs (<c>collection_runs</c>), newest first, and one run with the steps it took.</summary>
public sealed class CollectionRuns(RecoupDatabase database)
{
    public const int MaxPage = 200;

    /// <summary>The newest runs first; <paramref name="before"/> (a run's start) pages further back.</summary>
    public async Task<IReadOnlyList<RunRecord>> ListAsync(int limit = 50, DateTimeOffset? before = null, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var runs = await db.CollectionRuns.AsNoTracking().ToListAsync(ct);
        return runs.Where(r => before is null || r.StartedAt < before)
            .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.AsOf)
            .Take(Math.Clamp(limit, 1, MaxPage))
            .Select(Read)
            .ToList();
    }

    public async Task<RunRecord?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var run = await db.CollectionRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        return run is null ? null : Read(run);
    }

    /// <summary>The steps a run took, per segment, arm, step and outcome (done or superseded).</summary>
    public async Task<IReadOnlyList<RunStepCount>> StepsAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var rows = await db.StrategyStepsTaken.AsNoTracking().Where(t => t.RunId == id)
            .GroupBy(t => new { t.Segment, t.Arm, t.StepKey, t.Action, t.Outcome })
            .Select(g => new { g.Key.Segment, g.Key.Arm, g.Key.StepKey, g.Key.Action, g.Key.Outcome, Accounts = g.Count() })
            .ToListAsync(ct);
        return rows.Select(r => new RunStepCount(r.Segment, r.Arm, r.StepKey, r.Action, r.Outcome, r.Accounts))
            .OrderBy(r => r.Segment, StringComparer.Ordinal).ThenBy(r => r.Arm, StringComparer.Ordinal).ThenBy(r => r.StepKey, StringComparer.Ordinal).ThenBy(r => r.Outcome, StringComparer.Ordinal)
            .ToList();
    }

    private static RunRecord Read(CollectionRun run)
    {
        Dictionary<string, int> steps = [], bySegment = [];
        int Int(JsonElement root, string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : 0;
        void Map(JsonElement root, string name, Dictionary<string, int> into)
        {
            if (root.TryGetProperty(name, out var map) && map.ValueKind == JsonValueKind.Object)
            {
                foreach (var item in map.EnumerateObject().Where(i => i.Value.ValueKind == JsonValueKind.Number))
                {
                    into[item.Name] = item.Value.GetInt32();
                }
            }
        }

        int broken = 0, missed = 0, blocked = 0, deferred = 0;
        try
        {
            using var counts = JsonDocument.Parse(string.IsNullOrWhiteSpace(run.Counts) ? "{}" : run.Counts);
            var root = counts.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                Map(root, "steps", steps);
                Map(root, "by_segment", bySegment);
                (broken, missed, blocked, deferred) = (Int(root, "broken_promises"), Int(root, "missed_installments"), Int(root, "blocked_by_compliance"), Int(root, "deferred"));
            }
        }
        catch (JsonException)
        {
            // A record written by an older run in another form: show the run without its counts.
        }

        return new RunRecord(run.Id, run.AsOf, run.Status, run.StartedAt, run.FinishedAt, run.StartedBy, run.Accounts, steps, broken, missed, blocked, deferred, bySegment, run.Error);
    }
}

/// <summary>How many accounts took one step in a run.</summary>
public sealed record RunStepCount(string Segment, string Arm, string StepKey, string Action, string Outcome, int Accounts);
