using Microsoft.EntityFrameworkCore;
using Recoup.Domain.Disputes;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Cli.Tests;

/// <summary><c>recoup disputes import FILE</c>: the disputes opened, every error with its line and column, nothing half applied, never twice.</summary>
public sealed class DisputesCommandTests
{
    private const string Header = "account_number,invoice_number,amount,currency,reason,opened_on,channel,note\n";

    private static async Task<(RecoupDatabase Database, string Db)> SeedAsync(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var db = CliRun.DbArgument(database, provider);
        var portfolio = new TestPortfolio()
            .Debtors(TestPortfolio.Person("D1"), TestPortfolio.Person("D2"))
            .Invoices("I1,D1,2026-05-01,2026-05-31,100.00,USD", "I2,D2,2026-05-01,2026-05-31,50.00,USD");
        var imported = await CliRun.RecoupAsync("import", portfolio.Folder, "--db", db);
        Assert.True(imported.Exit == 0, imported.Error);
        return (database, db);
    }

    private static string WriteFile(string content)
    {
        var path = Path.Combine(TempFolder.Create("disputes"), "disputes-2026-11.csv");
        File.WriteAllText(path, content);
        return path;
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AGoodFile_OpensEachDispute_AndTheSameFileAgainOpensNothing(DatabaseProvider provider)
    {
        var (database, db) = await SeedAsync(provider);
        var file = WriteFile(Header + "D1-USD,I1,40.00,,wrong_amount,,email,Charged 100 for 60\nD2,,,USD,not_mine,,letter,Never ordered\n");

        var run = await CliRun.RecoupAsync("disputes", "import", file, "--db", db);

        Assert.True(run.Exit == 0, run.Error);
        Assert.Contains("Imported disputes-2026-11.csv: 2 disputes opened", run.Output, StringComparison.Ordinal);
        await using (var context = database.CreateContext())
        {
            Assert.Equal([DisputeSource.Email, DisputeSource.Letter], (await context.Disputes.AsNoTracking().ToListAsync()).OrderBy(d => d.AmountMinor).Select(d => d.Source));
        }

        var again = await CliRun.RecoupAsync("disputes", "import", file, "--db", db, "--output", "json");
        Assert.True(again.Exit == 0, again.Error);
        Assert.Contains("\"already_imported\": true", again.Output, StringComparison.Ordinal);
        await using var check = database.CreateContext();
        Assert.Equal(2, await check.Disputes.CountAsync());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ABadFile_ExitsWithOne_NamesTheLineAndColumn_AndOpensNothing(DatabaseProvider provider)
    {
        var (database, db) = await SeedAsync(provider);
        var file = WriteFile(Header + "D1-USD,I1,40.00,,wrong_amount,,email,Fine\nD2-USD,I2,80.00,,pricing,,letter,More than is open\n");

        var run = await CliRun.RecoupAsync("disputes", "import", file, "--db", db, "--dry-run");

        Assert.Equal(1, run.Exit);
        Assert.Contains("error: disputes-2026-11.csv line 3, column amount: On invoice I2 up to 50.00 USD can be disputed", run.Error, StringComparison.Ordinal);
        Assert.Contains("No dispute was opened.", run.Error, StringComparison.Ordinal);
        await using var context = database.CreateContext();
        Assert.Equal(0, await context.Disputes.CountAsync());
    }
}
