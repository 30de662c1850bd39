using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Domain.Aging;
using Recoup.Services.Accounts;
using Recoup.Services.Imports;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Web.Tests;

/// <summary>The account summaries behind the accounts list follow the ledger through imports, and can be checked and rebuilt from it.</summary>
public sealed class SummaryTests
{
    private static readonly FakeTimeProvider Clock = RecoupApiFactory.FixedClock();

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ASecondImport_ToExistingAccounts_RefreshesTheirSummaries(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        await ImportAsync(database, new TestPortfolio()
            .Debtors("D1,Ada Lovelace,person,consumer,ada@example.com,+44 20 7946 0018,,,,,,")
            .Invoices("I1,D1,2026-05-01,2026-05-31,100.00,USD"));
        await ImportAsync(database, new TestPortfolio()
            .Invoices("I2,D1,2026-10-01,2026-12-01,50.00,USD", "I3,D1,2026-10-01,2026-12-01,5000,JPY")
            .Payments("P1,D1,2026-11-01,100.00,USD,I1"));

        var search = new AccountSearch(database, Clock);
        var rows = (await search.SearchAsync(new AccountFilter(Search: "lovelace"))).Rows;
        Assert.Equal([("50.00", "USD"), ("5000", "JPY")], rows.Select(r => (r.Balance.ToDecimalString(), r.Balance.Currency.Code)).Order());
        Assert.All(rows, r => Assert.Equal((DelinquencyStatus.Current, 0), (r.Status, r.DaysPastDue)));
        Assert.Single((await search.SearchAsync(new AccountFilter(Search: "+44 20 7946 0018", DebtType: Domain.Debtors.DebtType.Consumer, MinBalance: 1000))).Rows);
        Assert.True((await new RebuildAccountSummaries(database).RunAsync(repair: false)).Passed);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Rebuild_FindsMissingAndWrongSummaries_AndRepairsThem(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        await ImportAsync(database, new TestPortfolio()
            .Debtors("D1,Ada Lovelace,person,consumer,,,,,,,,", "D2,Alan Turing,person,consumer,,,,,,,,")
            .Invoices("I1,D1,2026-05-01,2026-05-31,100.00,USD", "I2,D2,2026-05-01,2026-05-31,200.00,USD"));
        await using (var db = database.CreateContext())
        {
            await db.AccountSummaries.Where(s => s.DebtorExternalId == "D1").ExecuteDeleteAsync();
            await db.AccountSummaries.Where(s => s.DebtorExternalId == "D2").ExecuteUpdateAsync(set => set.SetProperty(s => s.BalanceMinor, 1));
        }

        var rebuild = new RebuildAccountSummaries(database);
        Assert.Equal(new SummaryCheck(2, 1, 1, 0), await rebuild.RunAsync(repair: false));
        Assert.Equal(new SummaryCheck(2, 1, 1, 0), await rebuild.RunAsync(repair: true));
        Assert.True((await rebuild.RunAsync(repair: false)).Passed);
        var rows = (await new AccountSearch(database, Clock).SearchAsync(new AccountFilter(Sort: "name_asc"))).Rows;
        Assert.Equal([("D1", "100.00"), ("D2", "200.00")], rows.Select(r => (r.DebtorId, r.Balance.ToDecimalString())));
    }

    private static async Task ImportAsync(RecoupDatabase database, TestPortfolio portfolio)
    {
        var outcome = await new ImportPortfolio(database, Clock).RunAsync(portfolio.Folder);
        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Errors));
    }
}
