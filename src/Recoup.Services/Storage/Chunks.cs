using Microsoft.EntityFrameworkCore;

namespace Recoup.Services.Storage;

/// <summary>Queries over a long list of keys, a chunk at a time, so that no statement exceeds a provider's parameter limit.</summary>
public static class Chunks
{
    /// <summary>Keys per statement: well under SQLite's 32,766 parameters and PostgreSQL's 65,535.</summary>
    public const int Size = 2_000;

    public static async Task<List<TResult>> QueryAsync<TKey, TResult>(
        IReadOnlyList<TKey> keys, Func<TKey[], IQueryable<TResult>> query, CancellationToken cancellationToken)
    {
        var results = new List<TResult>();
        foreach (var chunk in keys.Chunk(Size))
        {
            results.AddRange(await query(chunk).ToListAsync(cancellationToken));
        }

        return results;
    }
}
