using Microsoft.EntityFrameworkCore;
using Recoup.Domain;
using Recoup.Services.Storage;

namespace Recoup.Services.WorkQueues;

/// <summary>One account of a collector's queue as listed.</summary>
public sealed record QueueItem(Guid AccountId, string DebtorId, string Name, Money Balance, long Priority, DateTimeOffset? WorkedAt);

/// <summary>A collector's queue: not yet worked first, then by priority; and how many are left (counted up to <see cref="NextAccount.RemainingCountedUpTo"/>).</summary>
public sealed record QueuePage(IReadOnlyList<QueueItem> Items, int Remaining, DateTimeOffset? BuiltAt);

/// <summary>Lists a collector's queue as the last build left it (<c>GET /api/work-queues/mine</c>).</summary>
public sealed class QueueListing(RecoupDatabase database)
{
    public const int MaxLimit = 200;

    public async Task<QueuePage> ListAsync(string collector, int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);
        await using var db = database.CreateContext();
        var rows = await (
                from e in db.WorkQueueEntries.AsNoTracking()
                where e.Collector == collector
                join s in db.AccountSummaries.AsNoTracking() on e.AccountId equals s.AccountId
                orderby e.WorkedAt == null descending, e.Priority descending, e.AccountId
                select new { e.AccountId, s.DebtorExternalId, s.Name, s.BalanceMinor, s.Currency, e.Priority, e.WorkedAt, e.BuiltAt })
            .Take(limit).ToListAsync(ct);
        var remaining = await NextAccount.RemainingAsync(db, collector, ct);
        var items = rows.Select(r => new QueueItem(r.AccountId, r.DebtorExternalId, r.Name, new Money(r.BalanceMinor, r.Currency), r.Priority, r.WorkedAt)).ToList();
        return new QueuePage(items, remaining, rows.Count > 0 ? rows[0].BuiltAt : null);
    }
}
