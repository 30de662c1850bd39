using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Domain;
using Recoup.Domain.Plans;
using Recoup.Services.Imports;
using Recoup.Services.Plans;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Cli.Tests;

/// <summary><c>recoup plans monitor</c>: judges the plans as of the date given and says what changed.</summary>
public sealed class PlansCommandTests
{
    [Fact]
    public async Task Monitor_as_of_a_date_after_two_missed_installments_defaults_the_plan_and_prints_the_counts_as_json()
    {
        var database = await TestDatabases.CreateAsync(DatabaseProvider.Sqlite);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var portfolio = new TestPortfolio()
            .Debtors("M1,Ada Brook,person,consumer,,,,,,,,America/Chicago")
            .Invoices("M-INV-1,M1,2026-06-01,2026-07-01,300.00,USD");
        Assert.True((await new ImportPortfolio(database, clock).RunAsync(portfolio.Folder)).Succeeded);
        await using (var db = database.CreateContext())
        {
            var account = (await db.Accounts.SingleAsync()).Id;
            var created = await new PaymentPlans(database, clock, new PlanSettings()).CreateAsync(
                new CreatePlan(account, null, Money.Zero(Currency.USD), PlanFrequency.Monthly, new DateOnly(2026, 12, 1), 3, null), "sam", false);
            Assert.True(created.IsSuccess, created.Error?.Message);
        }

        var output = new StringWriter();
        var error = new StringWriter();
        var host = new CliHost(output, error, clock, environmentDatabase: null, interactive: false);
        var dbPath = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
        var exit = await RecoupCli.RunAsync(["plans", "monitor", "--as-of", "2027-01-07", "--output", "json", "--db", dbPath], host);

        Assert.True(exit == 0, error.ToString());
        using var json = JsonDocument.Parse(output.ToString());
        Assert.Equal("2027-01-07", json.RootElement.GetProperty("as_of").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("plans_checked").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("plans_defaulted").GetInt32());
        await using var check = database.CreateContext();
        Assert.Equal(PlanStatus.Defaulted, (await check.PaymentPlans.SingleAsync()).Status);
    }
}
