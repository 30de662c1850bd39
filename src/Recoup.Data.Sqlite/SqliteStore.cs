using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Recoup.Data.Bulk;

namespace Recoup.Data.Sqlite;

/// <summary>SQLite: the zero-set-up store, one file.</summary>
public static class SqliteStore
{
    public static string ConnectionStringFor(string path) =>
        new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, ForeignKeys = true }.ToString();

    /// <remarks>
    /// Collections in queries (<c>ids.Contains(x)</c>) are sent as one JSON parameter rather than
    /// thousands of bound parameters, which SQLite binds slowly. Every connection gets a 64 MB page
    /// cache (SQLite's default is 2 MB), which large imports and reports need.
    /// </remarks>
    public static DbContextOptions<RecoupDbContext> Options(string connectionString) =>
        new DbContextOptionsBuilder<RecoupDbContext>()
            .UseSqlite(connectionString, o => o
                .MigrationsAssembly(typeof(SqliteStore).Assembly.GetName().Name)
                .UseParameterizedCollectionMode(ParameterTranslationMode.Parameter))
            .AddInterceptors(PageCache.Instance)
            .Options;

    /// <summary>Gives each new SQLite connection a larger page cache.</summary>
    private sealed class PageCache : DbConnectionInterceptor
    {
        public static readonly PageCache Instance = new();

        private const string Pragma = "PRAGMA cache_size=-65536;";

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragma;
            command.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragma;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Write-ahead logging lets readers work while an import writes; NORMAL synchronisation is safe
    /// with WAL (a power cut may lose the last commit, never corrupt the file).
    /// </summary>
    public static async Task ConfigureFileAsync(RecoupDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=NORMAL;", cancellationToken);
    }
}

/// <summary>Bulk insert on SQLite: one prepared INSERT, re-executed per row, inside the caller's transaction.</summary>
public sealed class SqliteBulkInserter : IBulkInserter
{
    public async Task InsertAsync<T>(RecoupDbContext db, IReadOnlyCollection<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        var (table, columns) = BulkColumns.For<T>(db);
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText =
            $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) " +
            $"VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})";
        var parameters = new DbParameter[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            parameters[i] = command.CreateParameter();
            parameters[i].ParameterName = $"$p{i}";
            command.Parameters.Add(parameters[i]);
        }

        await command.PrepareAsync(cancellationToken);
        foreach (var row in rows)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                parameters[i].Value = columns[i].Read(row) ?? DBNull.Value;
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<RecoupDbContext>
{
    public RecoupDbContext CreateDbContext(string[] args) => new(SqliteStore.Options(SqliteStore.ConnectionStringFor("design-time.db")));
}
