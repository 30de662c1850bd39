using Microsoft.EntityFrameworkCore;
using Npgsql;
using Recoup.Data;
using Recoup.Domain;

namespace Recoup.Services.Storage;

/// <summary>
/// Writes accounts' new versions after a bulk posting, whose ledgers were read untracked (so saving
/// the context does not bump them). The caller holds the accounts' row locks.
/// </summary>
public static class AccountVersions
{
    public static async Task SetAsync(RecoupDbContext db, IReadOnlyList<(AccountId Account, long Version)> versions, CancellationToken ct)
    {
        if (versions.Count == 0)
        {
            return;
        }

        if (db.IsSqlite)
        {
            foreach (var (account, version) in versions)
            {
                await db.Accounts.Where(a => a.Id == account).ExecuteUpdateAsync(set => set.SetProperty(a => a.Version, version), ct);
            }

            return;
        }

        foreach (var chunk in versions.Chunk(50_000))
        {
            await db.Database.ExecuteSqlRawAsync(
                "UPDATE accounts AS a SET version = u.version FROM unnest(@ids, @versions) AS u(id, version) WHERE a.id = u.id",
                [new NpgsqlParameter("ids", chunk.Select(c => c.Account.Value).ToArray()), new NpgsqlParameter("versions", chunk.Select(c => c.Version).ToArray())],
                ct);
        }
    }
}
