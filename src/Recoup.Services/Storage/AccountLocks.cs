using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Recoup.Data;
using Recoup.Domain;

namespace Recoup.Services.Storage;

/// <summary>
/// Locks many accounts for a bulk posting and reads their versions, in the transaction the caller has
/// open, so that other writers to these accounts queue behind it until the commit.
/// </summary>
public static class AccountLocks
{
    /// <summary>
    /// PostgreSQL: <c>SELECT … FOR UPDATE</c> in account id order (two bulk postings never lock crosswise),
    /// a chunk at a time; the same row locks a single posting takes by updating the account. SQLite: the
    /// transaction already holds the database's write lock (the caller has written in it), so the
    /// versions are only read.
    /// </summary>
    /// <param name="accountIds">In the database's order of ids (ordinal order of their text, as PostgreSQL compares uuids), so every chunk locks after the one before.</param>
    public static async Task<List<(AccountId Id, long Version)>> LockAsync(RecoupDbContext db, IReadOnlyList<AccountId> accountIds, CancellationToken ct)
    {
        var versions = new List<(AccountId, long)>(accountIds.Count);
        if (db.IsSqlite)
        {
            foreach (var chunk in accountIds.Chunk(Chunks.Size))
            {
                var rows = await db.Accounts.AsNoTracking().Where(a => chunk.Contains(a.Id)).Select(a => new { a.Id, a.Version }).ToListAsync(ct);
                versions.AddRange(rows.Select(r => (r.Id, r.Version)));
            }

            return versions;
        }

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        foreach (var chunk in accountIds.Chunk(20_000))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction()
                ?? throw new InvalidOperationException("Accounts are locked inside a transaction");
            command.CommandText = "SELECT id, version FROM accounts WHERE id = ANY(@ids) ORDER BY id FOR UPDATE";
            command.Parameters.Add(new NpgsqlParameter("ids", chunk.Select(a => a.Value).ToArray()));
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                versions.Add((new AccountId(reader.GetGuid(0)), reader.GetInt64(1)));
            }
        }

        return versions;
    }
}
