using Microsoft.EntityFrameworkCore;
using Recoup.Domain.Debtors;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Cli.Tests;

/// <summary><c>recoup skip-trace import FILE</c>: counts on success, every error with its line and column on failure, and nothing half applied.</summary>
public sealed class SkipTraceCommandTests
{
    private const string Header = "debtor_id,kind,value,source,confidence\n";

    private static async Task<(RecoupDatabase Database, string Db)> SeedAsync(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var db = CliRun.DbArgument(database, provider);
        var portfolio = new TestPortfolio()
            .Debtors("D1,Maria Gonzalez,person,consumer,,+1 312 555 0147,,,,,,", TestPortfolio.Person("D2"))
            .Invoices("I1,D1,2026-05-01,2026-05-31,100.00,USD", "I2,D2,2026-05-01,2026-05-31,50.00,USD");
        var imported = await CliRun.RecoupAsync("import", portfolio.Folder, "--db", db);
        Assert.True(imported.Exit == 0, imported.Error);
        return (database, db);
    }

    private static string WriteFile(string content)
    {
        var path = Path.Combine(TempFolder.Create("skip-trace"), "trace-2026-11.csv");
        File.WriteAllText(path, content);
        return path;
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AGoodFile_ExitsWithZero_AndPrintsTheCounts(DatabaseProvider provider)
    {
        var (database, db) = await SeedAsync(provider);
        var file = WriteFile(Header +
            "D1,home,(312) 555-0147,TraceCo,40\n" +
            "D1,mobile,+1 213 555 0101,TraceCo,85\n" +
            "D2,email,pat.doe@example.com,TraceCo,70\n");

        var run = await CliRun.RecoupAsync("skip-trace", "import", file, "--db", db);

        Assert.True(run.Exit == 0, run.Error);
        Assert.StartsWith("Imported trace-2026-11.csv: 2 new contact points added, 1 already known and left as they were (3 rows) into ", run.Output, StringComparison.Ordinal);
        Assert.Equal("", run.Error);
        await using var context = database.CreateContext();
        Assert.Equal(3, await context.ContactPoints.CountAsync());
        Assert.Equal(2, await context.ContactPoints.CountAsync(c => c.Source == ContactSource.SkipTrace));
        var audit = await context.AuditLog.AsNoTracking().SingleAsync(a => a.Action == "skip_trace.imported");
        Assert.Equal(("file", "trace-2026-11.csv"), (audit.Entity, audit.EntityId));
        Assert.StartsWith("cli:", audit.Actor, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ABadFile_ExitsWithOne_NamesEveryLineAndColumn_AndLeavesTheDatabaseAsItWas(DatabaseProvider provider)
    {
        var (database, db) = await SeedAsync(provider);
        var before = await DatabaseSnapshot.TakeAsync(database);
        var file = WriteFile(Header +
            "D1,mobile,+1 213 555 0101,TraceCo,85\n" +
            "D1,mobile,555-01,TraceCo,85\n" +
            "D9,email,someone@example.com,TraceCo,101\n");

        var run = await CliRun.RecoupAsync("skip-trace", "import", file, "--db", db);

        Assert.Equal(1, run.Exit);
        Assert.Equal("", run.Output);
        Assert.Equal(
            [
                "error: trace-2026-11.csv line 3, column value: '555-01' is not a phone number: it has too few digits",
                "error: trace-2026-11.csv line 4, column confidence: 101 is out of range; confidence is a whole number from 0 to 100",
                "2 problems found; nothing was imported. Fix the file and run the import again.",
            ],
            run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(database));

        var unknown = await CliRun.RecoupAsync("skip-trace", "import", WriteFile(Header + "D1,mobile,+1 213 555 0101,TraceCo,85\nD9,email,someone@example.com,TraceCo,90\n"), "--db", db);
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("error: trace-2026-11.csv line 3, column debtor_id: There is no debtor 'D9'", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(database));
        await using var context = database.CreateContext();
        Assert.Equal(0, await context.AuditLog.CountAsync(a => a.Action == "skip_trace.imported"));
    }

    [Fact]
    public async Task AMissingFileOrDatabase_ExitsWithOne()
    {
        var (_, db) = await SeedAsync(DatabaseProvider.Sqlite);
        var missingFile = await CliRun.RecoupAsync("skip-trace", "import", "/no/such/file.csv", "--db", db);
        var missingDatabase = await CliRun.RecoupAsync("skip-trace", "import", WriteFile(Header), "--db", Path.Combine(TempFolder.Create("none"), "recoup.db"));

        Assert.Equal((1, 1), (missingFile.Exit, missingDatabase.Exit));
        Assert.Contains("There is no file /no/such/file.csv", missingFile.Error, StringComparison.Ordinal);
        Assert.Contains("There is no Recoup database", missingDatabase.Error, StringComparison.Ordinal);
    }
}
