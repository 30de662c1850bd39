using Microsoft.EntityFrameworkCore;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Cli.Tests;

/// <summary><c>recoup user add</c>, <c>recoup api-key create</c> and <c>recoup demo --no-serve</c>.</summary>
public sealed class UserCommandTests
{
    private static async Task<(int Exit, string Output, string Error)> RecoupAsync(string? input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var host = new CliHost(output, error, TimeProvider.System, environmentDatabase: null, interactive: false, input: new StringReader(input ?? ""));
        var exit = await RecoupCli.RunAsync(args, host);
        return (exit, output.ToString(), error.ToString());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task UserAdd_ReadsThePasswordFromStandardInput_AndApiKeyCreate_PrintsAKeyStoredOnlyAsAHash(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var db = provider == DatabaseProvider.Sqlite
            ? new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString).DataSource
            : database.ConnectionString;

        var added = await RecoupAsync("Correct-horse-42\n", "user", "add", "--user", "dana", "--role", "admin", "--name", "Dana Reyes", "--db", db);
        Assert.True(added.Exit == 0, added.Error);

        var key = await RecoupAsync(null, "api-key", "create", "--user", "dana", "--name", "nightly export", "--db", db);
        Assert.Equal(0, key.Exit);
        var printed = key.Output.Trim();
        Assert.StartsWith("rk_", printed, StringComparison.Ordinal);
        Assert.Contains("shown once", key.Error, StringComparison.Ordinal);

        await using var context = database.CreateContext();
        var stored = await context.ApiKeys.SingleAsync();
        Assert.Equal("nightly export", stored.Name);
        Assert.Equal(32, stored.Hash.Length);
        Assert.DoesNotContain(printed[(stored.Prefix.Length + 1)..], stored.Prefix, StringComparison.Ordinal);
        Assert.Equal("Dana Reyes", (await context.Users.SingleAsync()).DisplayName);

        var audit = await context.AuditLog.ToListAsync();
        Assert.Equal(["api_key.created", "user.created"], audit.Select(a => a.Action).Order());
        Assert.All(audit, a => Assert.StartsWith("cli:", a.Actor, StringComparison.Ordinal));
        Assert.DoesNotContain(printed, string.Concat(audit.Select(a => a.After)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserAdd_RefusesAWeakPasswordAnUnknownRoleAndADuplicate()
    {
        var database = await TestDatabases.CreateAsync(DatabaseProvider.Sqlite);
        var db = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString).DataSource;

        var weak = await RecoupAsync("short\n", "user", "add", "--user", "sam", "--role", "collector", "--db", db);
        Assert.Equal(1, weak.Exit);
        Assert.Contains("at least 10 characters", weak.Error, StringComparison.Ordinal);

        var role = await RecoupAsync("Correct-horse-42\n", "user", "add", "--user", "sam", "--role", "janitor", "--db", db);
        Assert.Equal(1, role.Exit);

        Assert.Equal(0, (await RecoupAsync("Correct-horse-42\n", "user", "add", "--user", "sam", "--role", "collector", "--db", db)).Exit);
        var again = await RecoupAsync("Correct-horse-42\n", "user", "add", "--user", "sam", "--role", "collector", "--db", db);
        Assert.Equal(1, again.Exit);
        Assert.Contains("There is already a user 'sam'", again.Error, StringComparison.Ordinal);

        var noUser = await RecoupAsync(null, "api-key", "create", "--user", "nobody", "--db", db);
        Assert.Equal(1, noUser.Exit);
        Assert.Contains("There is no user 'nobody'", noUser.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_WithoutServing_BuildsAPortfolioWithAUserPerRole()
    {
        var folder = TempFolder.Create("demo");
        var path = Path.Combine(folder, "demo.db");

        var run = await RecoupAsync(null, "demo", "--no-serve", "--debtors", "200", "--db", path);

        Assert.True(run.Exit == 0, run.Error);
        Assert.Contains("Demo portfolio: 200 debtors", run.Output, StringComparison.Ordinal);
        await using var context = RecoupDatabase.Sqlite(path).CreateContext();
        Assert.Equal(200, await context.Debtors.CountAsync());
        Assert.Equal(["admin", "auditor", "collector", "manager", "supervisor"], await context.Users.Select(u => u.UserName!).OrderBy(n => n).ToListAsync());

        // The demo collector has a queue to work: every account with something owed.
        var owing = await context.AccountSummaries.CountAsync(s => s.BalanceSortKey > 0);
        Assert.True(owing > 0);
        Assert.Equal(owing, await context.WorkQueueEntries.CountAsync(e => e.Collector == "collector"));
        Assert.Contains("Work queue: " + owing.ToString(System.Globalization.CultureInfo.InvariantCulture) + " accounts in the queue of 'collector'", run.Output, StringComparison.Ordinal);
        Assert.Equal(0, (await RecoupAsync(null, "verify", "--db", path)).Exit);
    }
}
