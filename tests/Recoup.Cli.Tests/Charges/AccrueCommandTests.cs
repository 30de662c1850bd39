using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Domain.Charges;
using Recoup.Domain.Debtors;
using Recoup.Domain.Ledger;
using Recoup.Services.Charges;
using Recoup.Services.Imports;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Cli.Tests.Charges;

/// <summary><c>recoup accrue</c>: posts the day's fees and interest and prints the counts; the same date again posts nothing.</summary>
public sealed class AccrueCommandTests
{
    [Fact]
    public async Task Accrue_as_of_a_date_posts_fee_and_interest_once_and_prints_the_counts_as_json()
    {
        var database = await TestDatabases.CreateAsync(DatabaseProvider.Sqlite);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var portfolio = new TestPortfolio()
            .Debtors("C1,Northwind Traders,business,commercial,,,,,,,,")
            .Invoices("C-INV-1,C1,2026-10-01,2026-10-31,1000.00,USD");
        Assert.True((await new ImportPortfolio(database, clock).RunAsync(portfolio.Folder)).Succeeded);
        var terms = new ChargeTerms { LateFee = LateFeeKind.Flat, LateFeeFlatMinor = 25_00, Interest = InterestKind.SimpleDaily, InterestRatePercent = 12m };
        Assert.True((await new ChargeTermsBook(database, clock).SetForDebtTypeAsync(DebtType.Commercial, terms, "morgan")).IsSuccess);
        var dbPath = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString).DataSource;

        async Task<JsonElement> AccrueAsync()
        {
            var output = new StringWriter();
            var error = new StringWriter();
            var host = new CliHost(output, error, clock, environmentDatabase: null, interactive: false);
            var exit = await RecoupCli.RunAsync(["accrue", "--as-of", "2026-11-20", "--output", "json", "--db", dbPath], host);
            Assert.True(exit == 0, error.ToString());
            return JsonDocument.Parse(output.ToString()).RootElement.Clone();
        }

        var first = await AccrueAsync();
        var again = await AccrueAsync();

        Assert.Equal(("2026-11-20", 1, 1), (first.GetProperty("as_of").GetString(), first.GetProperty("fees_posted").GetInt32(), first.GetProperty("interest_posted").GetInt32()));
        Assert.Equal((0, 0), (again.GetProperty("fees_posted").GetInt32(), again.GetProperty("interest_posted").GetInt32()));
        await using var db = database.CreateContext();
        Assert.Equal(["25.00", "6.58"], (await db.LedgerEntries.AsNoTracking().Where(e => e.Kind == EntryKind.Fee || e.Kind == EntryKind.Interest).ToListAsync())
            .OrderBy(e => e.Sequence).Select(e => e.Amount.ToDecimalString()));
    }
}
