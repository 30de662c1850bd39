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
    /// <summary>Writes one value (or a null) of a column to the COPY stream.</summary>
    private delegate Task WriteValue(NpgsqlBinaryImporter writer, object? value, string type, CancellationToken ct);

    private static readonly System.Reflection.MethodInfo WriteTypedMethod =
        typeof(PostgresBulkInserter).GetMethod(nameof(WriteTyped), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, WriteValue> Writers = new();

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
        var writers = columns.Select(c => Writers.GetOrAdd(c.ProviderType, t => WriteTypedMethod.MakeGenericMethod(t).CreateDelegate<WriteValue>())).ToArray();
        await using var writer = await connection.BeginBinaryImportAsync(copy, cancellationToken);
        foreach (var row in rows)
        {
            await writer.StartRowAsync(cancellationToken);
            for (var i = 0; i < columns.Count; i++)
            {
                await writers[i](writer, columns[i].Read(row), types[i], cancellationToken);
            }
        }

        await writer.CompleteAsync(cancellationToken);
    }

    /// <summary>
    /// Writes a value as its own type, so that Npgsql resolves each column's converter once for the
    /// whole COPY instead of once per value (as it must for values passed as <c>object</c>).
    /// </summary>
    private static Task WriteTyped<TValue>(NpgsqlBinaryImporter writer, object? value, string type, CancellationToken ct) => value switch
    {
        null => writer.WriteNullAsync(ct),
        DateTimeOffset instant => writer.WriteAsync(instant.ToUniversalTime(), type, ct),
        _ => writer.WriteAsync((TValue)value, type, ct),
    };

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
