using Microsoft.EntityFrameworkCore;
using Recoup.Data.Strategies;
using Recoup.Services.Payments;
using Recoup.Services.Storage;

namespace Recoup.Services.Strategies;

/// <summary>
/// Leases in the database, so that of several processes (web nodes, a CLI run) one at a time does a
/// job. A lease is held until it is released or expires; the holder renews it while it works, and a
/// crashed holder's lease lapses by itself.
/// </summary>
public sealed class JobLeases(RecoupDatabase database, TimeProvider clock)
{
    /// <summary>Takes the lease when it is free, lapsed, or already this holder's; false when someone else holds it.</summary>
    public async Task<bool> TryAcquireAsync(string name, string holder, TimeSpan duration, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var until = now + duration;
        await using var db = database.CreateContext();
        var taken = await db.JobLeases
            .Where(l => l.Name == name && (l.Holder == holder || l.ExpiresAt < now))
            .ExecuteUpdateAsync(set => set.SetProperty(l => l.Holder, holder).SetProperty(l => l.ExpiresAt, until), ct);
        if (taken == 1)
        {
            return true;
        }

        db.JobLeases.Add(new JobLease { Name = name, Holder = holder, ExpiresAt = until });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException e) when (IdempotencyErrors.IsUniqueViolation(e))
        {
            return false; // it exists and is someone else's
        }
    }

    /// <summary>Who holds the lease and until when, or null when nobody does.</summary>
    public async Task<JobLease?> HolderAsync(string name, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var lease = await db.JobLeases.AsNoTracking().FirstOrDefaultAsync(l => l.Name == name, ct);
        return lease is not null && lease.ExpiresAt >= clock.GetUtcNow() ? lease : null;
    }

    public async Task ReleaseAsync(string name, string holder, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        await db.JobLeases.Where(l => l.Name == name && l.Holder == holder).ExecuteDeleteAsync(ct);
    }
}
