using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Cli.Tests;

/// <summary>The <c>recoup</c> commands as scripts see them: exit codes, exact output contracts, errors on standard error.</summary>
public sealed class CliTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private sealed record Run(int ExitCode, string Output, string Error);

    private static async Task<Run> RecoupAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var host = new CliHost(output, error, new FixedClock(Now), environmentDatabase: null, interactive: false);
        var exit = await RecoupCli.RunAsync(args, host);
        return new Run(exit, output.ToString(), error.ToString());
    }

    private static async Task<string> DatabaseArgumentAsync(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider, migrate: false);
        return database.Provider == DatabaseProvider.Sqlite
            ? new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString).DataSource
            : database.ConnectionString;
    }

    private static string Samples => Path.Combine(RepositoryRoot.Path, "samples");

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Aging_AsJsonByBucket_FollowsTheContractExactly(DatabaseProvider provider)
    {
        var db = await DatabaseArgumentAsync(provider);
        var import = await RecoupAsync("import", Samples, "--db", db);
        Assert.True(import.ExitCode == 0, import.Error);

        var run = await RecoupAsync("aging", "--as-of", "2026-10-31", "--output", "json", "--by", "bucket", "--db", db);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        var root = json.RootElement;
        Assert.Equal(["as_of", "currencies"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2026-10-31", root.GetProperty("as_of").GetString());
        var currencies = root.GetProperty("currencies").EnumerateArray().ToList();
        Assert.Equal(["EUR", "JPY", "USD"], currencies.Select(c => c.GetProperty("currency").GetString()));
        foreach (var currency in currencies)
        {
            Assert.Equal(["currency", "buckets", "total"], currency.EnumerateObject().Select(p => p.Name));
            var buckets = currency.GetProperty("buckets").EnumerateArray().ToList();
            Assert.Equal(["current", "1-30", "31-60", "61-90", "91-120", "121+"], buckets.Select(b => b.GetProperty("name").GetString()));
            Assert.All(buckets, b => Assert.Equal(["name", "amount", "count"], b.EnumerateObject().Select(p => p.Name)));
            Assert.All(buckets, b => Assert.Equal(JsonValueKind.String, b.GetProperty("amount").ValueKind));
            Assert.All(buckets, b => Assert.Equal(JsonValueKind.Number, b.GetProperty("count").ValueKind));
        }

        // Worked by hand from samples/ as of 2026-10-31. EUR: INV-24042 is exactly 30 days past due
        // (1-30), INV-24041 61 days. JPY has no decimals: INV-24050 was paid, INV-24051 falls due
        // that day and INV-24052 was issued that day, both current.
        string[] Amounts(JsonElement currency) => currency.GetProperty("buckets").EnumerateArray().Select(b => b.GetProperty("amount").GetString()!).ToArray();
        Assert.Equal(["0.00", "89.90", "0.00", "89.90", "0.00", "0.00"], Amounts(currencies[0]));
        Assert.Equal("179.80", currencies[0].GetProperty("total").GetString());
        Assert.Equal(["2410000", "0", "0", "0", "0", "0"], Amounts(currencies[1]));
        Assert.Equal(["32218.25", "12110.40", "240.00", "0.00", "3723.25", "3747.48"], Amounts(currencies[2]));
        Assert.Equal("52039.38", currencies[2].GetProperty("total").GetString());
        Assert.Equal([4, 1, 1, 0, 2, 5], currencies[2].GetProperty("buckets").EnumerateArray().Select(b => b.GetProperty("count").GetInt32()));
    }

    [Fact]
    public async Task Aging_AsCsvAndByDebtor_WritesHeadersAndOneRowPerDebtorAndCurrency()
    {
        var db = await DatabaseArgumentAsync(DatabaseProvider.Sqlite);
        Assert.Equal(0, (await RecoupAsync("import", Samples, "--db", db)).ExitCode);

        var byBucket = await RecoupAsync("aging", "--as-of", "2026-10-31", "--output", "csv", "--db", db);
        var lines = byBucket.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("currency,bucket,amount,count", lines[0]);
        Assert.Contains("USD,total,52039.38,13", lines);

        var byDebtor = await RecoupAsync("aging", "--as-of", "2026-10-31", "--output", "csv", "--by", "debtor", "--db", db);
        var rows = byDebtor.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("debtor_id,name,currency,days_past_due,current,1-30,31-60,61-90,91-120,121+,total", rows[0]);
        Assert.Contains("D-1004,Aisha Rahman,USD,205,0.00,0.00,0.00,0.00,0.00,259.98,259.98", rows);
    }

    [Fact]
    public async Task Import_OfABadFile_ExitsWithOneAndSaysWhereOnStandardError()
    {
        var db = await DatabaseArgumentAsync(DatabaseProvider.Sqlite);
        var portfolio = new TestPortfolio().Debtors(TestPortfolio.Person("D1")).Invoices("I1,D1,2026-05-01,2026-05-31,12.345,USD");

        var run = await RecoupAsync("import", portfolio.Folder, "--db", db);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: invoices.csv line 2, column amount: '12.345' has 3 decimals, but USD allows at most 2", run.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was imported", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Output);
    }

    [Fact]
    public async Task Verify_PassesOnAnImport_AndFailsWithOneWhenTheLedgerIsTamperedWith()
    {
        var db = await DatabaseArgumentAsync(DatabaseProvider.Sqlite);
        Assert.Equal(0, (await RecoupAsync("import", Samples, "--db", db)).ExitCode);

        await using (var audit = RecoupDatabase.Sqlite(db).CreateContext())
        {
            var record = await audit.AuditLog.SingleAsync();
            Assert.Equal(("import.completed", "import"), (record.Action, record.Entity));
            Assert.Contains("\"debtor_count\":10", record.After, StringComparison.Ordinal);
        }

        var clean = await RecoupAsync("verify", "--db", db);
        Assert.Equal(0, clean.ExitCode);
        Assert.Contains("every invariant holds", clean.Output, StringComparison.Ordinal);

        await using (var context = RecoupDatabase.Sqlite(db).CreateContext())
        {
            await context.Database.ExecuteSqlRawAsync("UPDATE allocations SET amount_minor = amount_minor + 1 WHERE rowid = (SELECT MIN(rowid) FROM allocations)");
        }

        var broken = await RecoupAsync("verify", "--db", db);
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("allocations_sum", broken.Error, StringComparison.Ordinal);
        Assert.Contains("breach", broken.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_CatchesASearchSummaryThatDisagreesWithTheLedger_AndInitRepairsIt()
    {
        var db = await DatabaseArgumentAsync(DatabaseProvider.Sqlite);
        Assert.Equal(0, (await RecoupAsync("import", Samples, "--db", db)).ExitCode);
        await using (var context = RecoupDatabase.Sqlite(db).CreateContext())
        {
            await context.Database.ExecuteSqlRawAsync("DELETE FROM account_summaries WHERE rowid = (SELECT MIN(rowid) FROM account_summaries)");
        }

        var broken = await RecoupAsync("verify", "--db", db);
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("account_summaries: 1 missing", broken.Error, StringComparison.Ordinal);

        Assert.Equal(0, (await RecoupAsync("init", "--db", db)).ExitCode);
        Assert.Equal(0, (await RecoupAsync("verify", "--db", db)).ExitCode);
    }

    [Fact]
    public async Task Account_ShowsTheLedgerAndBalance()
    {
        var db = await DatabaseArgumentAsync(DatabaseProvider.Sqlite);
        Assert.Equal(0, (await RecoupAsync("import", Samples, "--db", db)).ExitCode);

        var run = await RecoupAsync("account", "D-1005", "--as-of", "2026-11-23", "--db", db);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Northwind Dental Group", run.Output, StringComparison.Ordinal);
        Assert.Contains("PAY-50007", run.Output, StringComparison.Ordinal);
        Assert.Contains("Balance 4,540.00 USD", run.Output, StringComparison.Ordinal);
        Assert.Contains("unapplied credit 80.00", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserErrors_ExitWithOneAndAPlainMessage()
    {
        var db = await DatabaseArgumentAsync(DatabaseProvider.Sqlite);

        var noDatabase = await RecoupAsync("aging", "--db", db);
        Assert.Equal(1, noDatabase.ExitCode);
        Assert.Contains("There is no Recoup database", noDatabase.Error, StringComparison.Ordinal);

        Assert.Equal(0, (await RecoupAsync("init", "--db", db)).ExitCode);
        var badDate = await RecoupAsync("aging", "--as-of", "31/10/2026", "--db", db);
        Assert.Equal(1, badDate.ExitCode);
        Assert.Contains("--as-of '31/10/2026' is not a date in the form YYYY-MM-DD", badDate.Error, StringComparison.Ordinal);

        var badOutput = await RecoupAsync("aging", "--output", "xml", "--db", db);
        Assert.Equal(1, badOutput.ExitCode);

        var unknown = await RecoupAsync("account", "NOBODY", "--db", db);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("There is no debtor 'NOBODY'", unknown.Error, StringComparison.Ordinal);

        var badBuckets = await RecoupAsync("aging", "--buckets", "60,30", "--db", db);
        Assert.Equal(1, badBuckets.ExitCode);
        Assert.Contains("--buckets", badBuckets.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRealExecutable_ReturnsTheDocumentedExitCodes()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "recoup.dll");
        var db = await DatabaseArgumentAsync(DatabaseProvider.Sqlite);

        Assert.Equal(0, await ProcessExitAsync(dll, "import", Samples, "--db", db));
        Assert.Equal(1, await ProcessExitAsync(dll, "import", Path.Combine(Samples, "no-such-folder"), "--db", db));
        Assert.Equal(0, await ProcessExitAsync(dll, "verify", "--db", db));
    }

    private static async Task<int> ProcessExitAsync(string dll, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        await Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
