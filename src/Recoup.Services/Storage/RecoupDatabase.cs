using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Data.Bulk;
using Recoup.Data.Postgres;
using Recoup.Data.Sqlite;

namespace Recoup.Services.Storage;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Where Recoup's data lives, chosen by <c>--db</c> or the <c>RECOUP_DB</c> variable: a PostgreSQL
/// connection string (<c>Host=…;Database=…</c> or a <c>postgres://</c> URL) selects PostgreSQL,
/// anything else is the path of a SQLite file; with neither, <c>recoup.db</c> in the working directory.
/// </summary>
public sealed class RecoupDatabase
{
    public const string EnvironmentVariable = "RECOUP_DB";
    public const string DefaultFile = "recoup.db";

    private RecoupDatabase(DatabaseProvider provider, string connectionString, string description)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Description = description;
    }

    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }

    /// <summary>For messages: the file, or the server and database without credentials.</summary>
    public string Description { get; }

    public IBulkInserter BulkInserter => Provider == DatabaseProvider.Sqlite ? new SqliteBulkInserter() : new PostgresBulkInserter();

    /// <summary>Resolves the database from the <c>--db</c> value, else <c>RECOUP_DB</c>, else the default file.</summary>
    public static RecoupDatabase Resolve(string? option, string? environment = null)
    {
        var spec = !string.IsNullOrWhiteSpace(option) ? option : !string.IsNullOrWhiteSpace(environment) ? environment : DefaultFile;
        return IsPostgres(spec) ? Postgres(ToNpgsql(spec)) : Sqlite(spec);
    }

    public static RecoupDatabase Sqlite(string path)
    {
        var full = Path.GetFullPath(path);
        return new RecoupDatabase(DatabaseProvider.Sqlite, SqliteStore.ConnectionStringFor(full), $"SQLite file {full}");
    }

    public static RecoupDatabase Postgres(string connectionString) =>
        new(DatabaseProvider.Postgres, connectionString, PostgresStore.Describe(connectionString));

    public RecoupDbContext CreateContext() => new(Provider == DatabaseProvider.Sqlite
        ? SqliteStore.Options(ConnectionString)
        : PostgresStore.Options(ConnectionString));

    /// <summary>Creates the database if needed and applies every migration not yet applied.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var db = CreateContext();
        // A migration may move or index a million rows (AccountSearchTexts does): far longer than a query may take.
        db.Database.SetCommandTimeout(TimeSpan.FromHours(2));
        await db.Database.MigrateAsync(cancellationToken);
        if (Provider == DatabaseProvider.Sqlite)
        {
            await SqliteStore.ConfigureFileAsync(db, cancellationToken);
        }
    }

    /// <summary>
    /// Refreshes the query planner's statistics after a large write, so that reports right after a big
    /// import get good plans (PostgreSQL otherwise assumes the new tables are nearly empty).
    /// </summary>
    public async Task UpdateStatisticsAsync(RecoupDbContext db, CancellationToken cancellationToken = default)
    {
        var sql = Provider == DatabaseProvider.Sqlite
            ? "PRAGMA analysis_limit=1000; ANALYZE;"
            : "ANALYZE debtors, contact_points, accounts, invoices, ledger_entries, allocations, account_summaries;";
        await db.Database.ExecuteSqlRawAsync(sql, cancellationToken);
    }

    /// <summary>Whether the schema is missing or behind this version of Recoup.</summary>
    public async Task<bool> NeedsMigrationAsync(CancellationToken cancellationToken = default)
    {
        await using var db = CreateContext();
        if (Provider == DatabaseProvider.Sqlite && !File.Exists(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString).DataSource))
        {
            return true;
        }

        return (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any();
    }

    private static bool IsPostgres(string spec) =>
        spec.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || spec.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || (spec.Contains('=', StringComparison.Ordinal) && spec.Contains("host", StringComparison.OrdinalIgnoreCase));

    private static string ToNpgsql(string spec)
    {
        if (!spec.Contains("://", StringComparison.Ordinal))
        {
            return spec;
        }

        var uri = new Uri(spec);
        var userInfo = uri.UserInfo.Split(':', 2);
        var builder = new Npgsql.NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = uri.AbsolutePath.TrimStart('/'),
        };
        if (userInfo[0].Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(userInfo[0]);
        }

        if (userInfo.Length > 1)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        return builder.ToString();
    }
}
