using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Recoup.Domain.Ledger;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Cli.Tests;

/// <summary><c>recoup payments import FILE</c>: the JSON contract, dry runs, and a clear exit 1 on a bad or repeated file.</summary>
public sealed class PaymentsCommandTests
{
    private const string Header = "payment_id,debtor_id,received_on,amount,currency,invoice_id\n";

    private static async Task<(RecoupDatabase Database, string Db)> SeedAsync(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var db = CliRun.DbArgument(database, provider);
        var portfolio = new TestPortfolio()
            .Debtors(TestPortfolio.Person("D1", "Maria Gonzalez"), TestPortfolio.Person("D2"))
            .Invoices("I1,D1,2026-05-01,2026-05-31,100.00,USD", "I2,D2,2026-05-01,2026-05-31,50.00,USD");
        var imported = await CliRun.RecoupAsync("import", portfolio.Folder, "--db", db);
        Assert.True(imported.Exit == 0, imported.Error);
        return (database, db);
    }

    private static string WriteFile(string content, string name = "lockbox-2026-11-23.csv")
    {
        var path = Path.Combine(TempFolder.Create("payments"), name);
        File.WriteAllText(path, content);
        return path;
    }

    private static async Task<int> PaymentEntriesAsync(RecoupDatabase database)
    {
        await using var db = database.CreateContext();
        return await db.LedgerEntries.CountAsync(e => e.Kind == EntryKind.Payment);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Json_PrintsExactlyTheContract(DatabaseProvider provider)
    {
        var (database, db) = await SeedAsync(provider);
        var file = WriteFile(Header + "P1,D1,2026-06-01,100.00,USD,I1\nP2,D2,2026-06-02,20.50,USD,\nP3,NOBODY,2026-06-03,1234.50,USD,\nP4,D1,2026-06-04,7.00,EUR,\n");

        var run = await CliRun.RecoupAsync("payments", "import", file, "--output", "json", "--db", db);

        Assert.True(run.Exit == 0, run.Error);
        Assert.Equal(
            """{"format":"csv","files":1,"records":4,"total":{"EUR":"7.00","USD":"1355.00"},"matched":2,"unmatched":2,"posted":2,"rejected":[]}""",
            run.Output.Trim());
        Assert.Equal(2, await PaymentEntriesAsync(database));
        using var json = JsonDocument.Parse(run.Output);
        Assert.Equal(["format", "files", "records", "total", "matched", "unmatched", "posted", "rejected"], json.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task DryRun_ReportsTheMatches_AndWritesNothing_SoTheRealImportStillRuns(DatabaseProvider provider)
    {
        var (database, db) = await SeedAsync(provider);
        var file = WriteFile(Header + "P1,D1,2026-06-01,100.00,USD,I1\n");

        var dry = await CliRun.RecoupAsync("payments", "import", file, "--dry-run", "--output", "json", "--db", db);
        var real = await CliRun.RecoupAsync("payments", "import", file, "--db", db);

        Assert.True(dry.Exit == 0, dry.Error);
        Assert.Equal("""{"format":"csv","files":1,"records":1,"total":{"USD":"100.00"},"matched":1,"unmatched":0,"posted":0,"rejected":[]}""", dry.Output.Trim());
        Assert.True(real.Exit == 0, real.Error);
        Assert.StartsWith("Imported lockbox-2026-11-23.csv (csv): 1 payments, 100.00 USD.", real.Output, StringComparison.Ordinal);
        Assert.Contains("auto-match rate 100.0%", real.Output, StringComparison.Ordinal);
        Assert.Equal(1, await PaymentEntriesAsync(database));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AMalformedFile_ExitsWith1_NamingFileAndLine_AndPostsNothing(DatabaseProvider provider)
    {
        var (database, db) = await SeedAsync(provider);
        var file = WriteFile(Header + "P1,D1,2026-06-01,100.00,USD,I1\nP2,D2,2026-13-02,20.50,USD,\n");

        var run = await CliRun.RecoupAsync("payments", "import", file, "--db", db);

        Assert.Equal(1, run.Exit);
        Assert.StartsWith("error: lockbox-2026-11-23.csv line 3, received_on: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was imported.", run.Error, StringComparison.Ordinal);
        Assert.Equal(0, await PaymentEntriesAsync(database));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task TheSameFileAgain_ExitsWith1_SayingWhenItWasImported(DatabaseProvider provider)
    {
        var (database, db) = await SeedAsync(provider);
        var file = WriteFile(Header + "P1,D1,2026-06-01,100.00,USD,I1\n");
        Assert.Equal(0, (await CliRun.RecoupAsync("payments", "import", file, "--db", db)).Exit);

        var copy = WriteFile(File.ReadAllText(file), "renamed.csv");
        var again = await CliRun.RecoupAsync("payments", "import", copy, "--db", db);

        Assert.Equal(1, again.Exit);
        Assert.Matches("^error: renamed.csv was already imported on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC as import [0-9a-f-]{36} \\(lockbox-2026-11-23.csv, the same content\\); nothing was posted", again.Error);
        Assert.Equal(1, await PaymentEntriesAsync(database));
    }

    [Fact]
    public async Task ABai2File_DryRun_PrintsTheContract_AndATruncatedOne_ExitsWith1NamingTheLine()
    {
        var (database, db) = await SeedAsync(DatabaseProvider.Sqlite);
        var bai2 =
            "01,BANK,RECOUP,261123,0900,1,,,2/\n02,RECOUP,BANK,1,261122,,USD,2/\n03,0001,USD,010,0,,/\n" +
            "16,115,10000,Z,LBX1,I1/\n16,115,1999,Z,LBX2,,NO REFERENCE/\n49,11999,4/\n98,11999,1,6/\n99,11999,1,8/\n";

        var dry = await CliRun.RecoupAsync("payments", "import", WriteFile(bai2, "lockbox.bai"), "--dry-run", "--output", "json", "--db", db);
        var truncated = await CliRun.RecoupAsync("payments", "import", WriteFile("01,BANK,RECOUP,261123,0900,1,,,2/\n", "statement.bai"), "--format", "bai2", "--db", db);

        Assert.True(dry.Exit == 0, dry.Error);
        Assert.Equal("""{"format":"bai2","files":1,"records":2,"total":{"USD":"119.99"},"matched":1,"unmatched":1,"posted":0,"rejected":[]}""", dry.Output.Trim());
        Assert.Equal(0, await PaymentEntriesAsync(database));
        Assert.Equal(1, truncated.Exit);
        Assert.StartsWith("error: statement.bai line 1: the file ends without a file trailer (99)", truncated.Error.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANachaReturnFile_IsRecognisedByItsHeader_AndAReturnOfNoDebitWeSent_IsListedWithItsLine()
    {
        var (database, db) = await SeedAsync(DatabaseProvider.Sqlite);
        var path = Path.Combine(TempFolder.Create("payments"), "returns-1130.ach");
        await File.WriteAllBytesAsync(path, AchReturnFile.Write(("011000010000001", 2_500, "R01")));

        var run = await CliRun.RecoupAsync("payments", "import", path, "--output", "json", "--db", db);

        Assert.True(run.Exit == 0, run.Error);
        Assert.Equal(
            """{"format":"nacha-returns","files":1,"records":1,"total":{"USD":"0.00"},"matched":0,"unmatched":1,"posted":0,"rejected":[{"line":3,"reason":"No debit with trace 011000010000001 for 25.00 was sent by Recoup"}]}""",
            run.Output.Trim());
        Assert.Equal(0, await PaymentEntriesAsync(database));
    }
}
