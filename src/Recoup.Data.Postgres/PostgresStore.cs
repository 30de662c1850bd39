using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;
using Recoup.Data.Bulk;

namespace Recoup.Data.Postgres;

/// <summary>PostgreSQL: the production store.</summary>
public static class PostgresStore
{
    /// <remarks>
    /// Collections in queries (<c>ids.Contains(x)</c>) are sent as one array parameter
    /// (<c>= ANY(@ids)</c>) rather than one bound parameter per key: a few thousand keys then cost one
    /// parameter to bind and one statement shape to plan.
    /// </remarks>
    public static DbContextOptions<RecoupDbContext> Options(string connectionString) =>
        new DbContextOptionsBuilder<RecoupDbContext>()
            .UseNpgsql(connectionString, o => o
                .MigrationsAssembly(typeof(PostgresStore).Assembly.GetName().Name)
                .UseParameterizedCollectionMode(ParameterTranslationMode.Parameter))
            .ReplaceService<IModelCustomizer, PostgresModelCustomizer>()
            .Options;

    /// <summary>The connection string with any password hidden, for messages.</summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"PostgreSQL database {builder.Database} on {builder.Host}:{builder.Port}";
    }
}

/// <summary>Bulk insert on PostgreSQL through binary COPY, inside the caller's transaction.</summary>
public sealed class PostgresBulkInserter : IBulkInserter
{
    public async Task InsertAsync<T>(RecoupDbContext db, IReadOnlyCollection<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        var (table, columns) = BulkColumns.For<T>(db);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var copy = $"COPY \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) FROM STDIN (FORMAT BINARY)";
        var types = columns.Select(c => BaseTypeName(c.StoreType)).ToArray();
        await using var writer = await connection.BeginBinaryImportAsync(copy, cancellationToken);
        foreach (var row in rows)
        {
            await writer.StartRowAsync(cancellationToken);
            for (var i = 0; i < columns.Count; i++)
            {
                switch (columns[i].Read(row))
                {
                    case null:
                        await writer.WriteNullAsync(cancellationToken);
                        break;
                    case DateTimeOffset instant:
                        await writer.WriteAsync(instant.ToUniversalTime(), types[i], cancellationToken);
                        break;
                    case var value:
                        await writer.WriteAsync(value, types[i], cancellationToken);
                        break;
                }
            }
        }

        await writer.CompleteAsync(cancellationToken);
    }

    // "character varying(64)" → "character varying": COPY needs the type, not its length.
    private static string BaseTypeName(string storeType)
    {
        var parenthesis = storeType.IndexOf('(', StringComparison.Ordinal);
        return parenthesis < 0 ? storeType : storeType[..parenthesis];
    }
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<RecoupDbContext>
{
    public RecoupDbContext CreateDbContext(string[] args) =>
        new(PostgresStore.Options("Host=127.0.0.1;Database=recoup_design;Username=postgres"));
}
