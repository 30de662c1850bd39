using Microsoft.EntityFrameworkCore;
using Recoup.Data.Strategies;
using Recoup.Domain;
using Recoup.Domain.Debtors;
using Recoup.Domain.Strategies;
using Recoup.Services.Audit;
using Recoup.Services.Payments;
using Recoup.Services.Storage;

namespace Recoup.Services.Strategies;

/// <summary>A saved version of a debt type's strategy.</summary>
public sealed record StoredStrategy(DebtType DebtType, int Version, StrategyDefinition Definition, DateTimeOffset CreatedAt, string CreatedBy);

/// <summary>
/// The strategies, one per kind of debt, versioned: saving adds a version and the newest is live. A
/// database without a strategy for a debt type gets the default (<see cref="DefaultStrategies"/>) as
/// version 1 the first time it is asked for, so the daily run does useful work out of the box.
/// </summary>
public sealed class StrategyStore(RecoupDatabase database, TimeProvider clock)
{
    public const string SeededBy = "recoup (default strategy)";

    /// <summary>The live strategy of every debt type.</summary>
    public async Task<IReadOnlyDictionary<DebtType, StoredStrategy>> LiveAsync(CancellationToken ct = default)
    {
        var live = await ReadLiveAsync(ct);
        if (live.Count == Enum.GetValues<DebtType>().Length)
        {
            return live;
        }

        await using (var db = database.CreateContext())
        {
            foreach (var type in Enum.GetValues<DebtType>().Where(t => !live.ContainsKey(t)))
            {
                db.StrategyVersions.Add(Record(type, 1, DefaultStrategies.For(type), clock.GetUtcNow(), SeededBy));
            }

            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (IdempotencyErrors.IsUniqueViolation(e))
            {
                // Another process seeded them at the same moment: theirs are as good.
            }
        }

        return await ReadLiveAsync(ct);
    }

    /// <summary>Every version of a debt type's strategy, newest first.</summary>
    public async Task<IReadOnlyList<StoredStrategy>> VersionsAsync(DebtType debtType, CancellationToken ct = default)
    {
        await LiveAsync(ct);
        await using var db = database.CreateContext();
        var rows = await db.StrategyVersions.AsNoTracking().Where(v => v.DebtType == debtType).ToListAsync(ct);
        return rows.OrderByDescending(r => r.Version).Select(Stored).ToList();
    }

    /// <summary>Saves a new version, when the strategy keeps every rule; otherwise every mistake, with where it is.</summary>
    public async Task<(StoredStrategy? Saved, IReadOnlyList<Error> Errors)> SaveAsync(DebtType debtType, StrategyDefinition strategy, string actor, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        if (StrategyRules.Check(strategy) is { Count: > 0 } errors)
        {
            return (null, errors);
        }

        var live = await LiveAsync(ct);
        var now = clock.GetUtcNow();
        for (var attempt = 1; ; attempt++)
        {
            await using var db = database.CreateContext();
            var version = await db.StrategyVersions.Where(v => v.DebtType == debtType).MaxAsync(v => (int?)v.Version, ct) ?? 0;
            var record = Record(debtType, version + 1, strategy, now, actor);
            db.StrategyVersions.Add(record);
            db.AuditLog.Add(AuditLog.Record(now, actor, "strategy.saved", "strategy", debtType.ToString().ToLowerInvariant(),
                new { version = live[debtType].Version }, new { version = record.Version, name = strategy.Name }));
            try
            {
                await db.SaveChangesAsync(ct);
                return (Stored(record), []);
            }
            catch (DbUpdateException e) when (IdempotencyErrors.IsUniqueViolation(e) && attempt < 5)
            {
                // Saved by someone else at the same moment: this one becomes the next version.
            }
        }
    }

    private async Task<Dictionary<DebtType, StoredStrategy>> ReadLiveAsync(CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var rows = await db.StrategyVersions.AsNoTracking().ToListAsync(ct);
        return rows.GroupBy(r => r.DebtType).ToDictionary(g => g.Key, g => Stored(g.MaxBy(r => r.Version)!));
    }

    private static StrategyVersionRecord Record(DebtType type, int version, StrategyDefinition strategy, DateTimeOffset now, string actor) => new()
    {
        Id = SequentialGuid.Create(now),
        DebtType = type,
        Version = version,
        Name = strategy.Name.Length > 200 ? strategy.Name[..200] : strategy.Name,
        Definition = StrategyJson.Write(strategy),
        CreatedAt = now,
        CreatedBy = actor,
    };

    private static StoredStrategy Stored(StrategyVersionRecord record) => new(
        record.DebtType,
        record.Version,
        StrategyJson.Read(record.Definition).Value ?? throw new InvalidOperationException($"Strategy {record.DebtType} version {record.Version} is stored in a form Recoup cannot read"),
        record.CreatedAt,
        record.CreatedBy);

    /// <summary>The codes among <paramref name="codes"/> that name no client (compared in upper case).</summary>
    public async Task<IReadOnlyList<string>> UnknownClientsAsync(IReadOnlyCollection<string> codes, CancellationToken ct = default)
    {
        var wanted = codes.Select(c => Domain.Clients.ClientCode.Normalize(c)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
        {
            return [];
        }

        await using var db = database.CreateContext();
        var known = await db.Clients.AsNoTracking().Where(c => wanted.Contains(c.Code)).Select(c => c.Code).ToListAsync(ct);
        return wanted.Except(known, StringComparer.Ordinal).ToList();
    }
}
