using Recoup.Services.Storage;

namespace Recoup.Cli.Tests;

/// <summary>Runs <c>recoup</c> in process with captured output, and names a test database as <c>--db</c> takes it.</summary>
internal static class CliRun
{
    public static async Task<(int Exit, string Output, string Error)> RecoupAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var host = new CliHost(output, error, TimeProvider.System, environmentDatabase: null, interactive: false);
        var exit = await RecoupCli.RunAsync(args, host);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>The SQLite file's path, or the PostgreSQL connection string.</summary>
    public static string DbArgument(RecoupDatabase database, DatabaseProvider provider) =>
        provider == DatabaseProvider.Sqlite
            ? new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString).DataSource
            : database.ConnectionString;
}
