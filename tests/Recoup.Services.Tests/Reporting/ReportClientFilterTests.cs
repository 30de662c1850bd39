using Microsoft.Extensions.Time.Testing;
using Recoup.Domain;
using Recoup.Services.Imports;
using Recoup.Services.Reporting;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Services.Tests.Reporting;

/// <summary>
/// The client filter of every report, on both providers: a pack or KPIs filtered by client are exactly
/// the figures of a database that holds that client's accounts only; an unknown client is an error.
/// </summary>
public sealed class ReportClientFilterTests
{
    private static readonly DateOnly October31 = new(2026, 10, 31);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));

    private static readonly (string Debtor, string Client)[] Debtors = [("A1", "ACME"), ("A2", "ACME"), ("G1", "GLOBEX"), ("N1", "")];

    private static readonly string[] Invoices =
    [
        "A1-1,A1,2026-08-02,2026-09-01,1000.00,USD",
        "A1-2,A1,2026-10-05,2026-11-04,500.00,USD",
        "A1-3,A1,2026-09-10,2026-10-10,750.50,EUR",
        "A2-1,A2,2026-07-15,2026-08-14,320.00,USD",
        "G1-1,G1,2026-08-15,2026-09-14,200.00,USD",
        "G1-2,G1,2026-09-01,2026-10-01,90.00,EUR",
        "N1-1,N1,2026-06-01,2026-07-01,4000.00,USD",
    ];

    private static readonly string[] Payments =
    [
        "A1-P1,A1,2026-10-10,400.00,USD,A1-1",
        "A1-P2,A1,2026-10-15,250.50,EUR,A1-3",
        "A2-P1,A2,2026-09-20,20.00,USD,",
        "G1-P1,G1,2026-10-20,200.00,USD,G1-1",
        "N1-P1,N1,2026-10-02,1000.00,USD,",
    ];

    /// <summary>A database with the debtors (and their invoices and payments) that <paramref name="keep"/> keeps, and their clients.</summary>
    private async Task<RecoupDatabase> SeedAsync(DatabaseProvider provider, Func<string, bool> keep)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var debtors = Debtors.Where(d => keep(d.Client)).ToList();
        await TestClients.AddAsync(database, debtors.Select(d => d.Client).Where(c => c.Length > 0).Distinct().ToArray());
        var ids = debtors.Select(d => d.Debtor).ToHashSet();
        bool Mine(string row) => ids.Contains(row.Split(',')[1]);
        var portfolio = new TestPortfolio()
            .DebtorsWithClient(debtors.Select(d => TestPortfolio.Person(d.Debtor) + "," + d.Client).ToArray())
            .Invoices(Invoices.Where(Mine).ToArray())
            .Payments(Payments.Where(Mine).ToArray());
        var outcome = await new ImportPortfolio(database, _clock).RunAsync(portfolio.Folder);
        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Errors));
        return database;
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_client_s_pack_and_kpis_equal_those_of_a_database_holding_only_that_client_s_accounts(DatabaseProvider provider)
    {
        var all = await SeedAsync(provider, _ => true);
        var acmeOnly = await SeedAsync(provider, client => client == "ACME");

        var filtered = await new ReportPacks(all).BuildAsync(PackKind.Monthly, October31, new ReportFilter(Client: "ACME"));
        var alone = await new ReportPacks(acmeOnly).BuildAsync(PackKind.Monthly, October31);
        Assert.Equal(Cells(alone), Cells(filtered));
        Assert.EndsWith("(client ACME)", filtered.Title, StringComparison.Ordinal);
        Assert.Equal(400.00m, Collected(filtered, "USD"));

        var request = new KpiRequest(new DateOnly(2026, 8, 1), October31, Currency.USD);
        var kpis = await new KpiQuery(all, new ReportFilter(Client: "ACME")).RunAsync(request);
        var kpisAlone = await new KpiQuery(acmeOnly).RunAsync(request);
        Assert.Equal(
            (kpisAlone.Inputs.CollectedMinor, kpisAlone.Inputs.EndingReceivablesMinor, kpisAlone.Inputs.CreditSalesMinor, kpisAlone.Dso, kpisAlone.Cei),
            (kpis.Inputs.CollectedMinor, kpis.Inputs.EndingReceivablesMinor, kpis.Inputs.CreditSalesMinor, kpis.Dso, kpis.Cei));
        Assert.Equal((42_000L, 140_000L), (kpis.Inputs.CollectedMinor, kpis.Inputs.EndingReceivablesMinor));

        // The clients and the accounts without one add up to the whole.
        var whole = await new ReportPacks(all).BuildAsync(PackKind.Monthly, October31);
        var globex = await new ReportPacks(all).BuildAsync(PackKind.Monthly, October31, new ReportFilter(Client: "globex"));
        Assert.Equal(1600.00m, Collected(whole, "USD"));
        Assert.Equal(200.00m, Collected(globex, "USD"));
        Assert.Equal(AgingTotal(whole, "EUR"), AgingTotal(filtered, "EUR") + AgingTotal(globex, "EUR"));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task An_unknown_client_is_an_error_naming_the_client_field(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider, _ => true);

        var unknown = await new ReportFilter(Client: "INITECH").UnknownClientAsync(database);
        Assert.Equal(("client_unknown", "client", "Unknown client 'INITECH': the clients are ACME, GLOBEX"), (unknown!.Code, unknown.Field, unknown.Message));
        Assert.Null(await ReportFilter.Parse(null, null, null, " acme ").Value!.UnknownClientAsync(database));
        Assert.Equal("client", ReportFilter.Parse(null, null, null, "a b").Error!.Field);
        Assert.Equal("collector ana, client ACME", ReportFilter.Parse("ana", null, null, "acme").Value!.Describe());
        Assert.True(ReportFilter.Parse(null, null, null, " ").Value!.IsEmpty);
    }

    private static List<string> Cells(ReportPack pack) =>
        pack.Tables.SelectMany(t => t.Rows.Select(r => t.Title + ": " + string.Join('|', r.Select(ReportTable.Text)))).ToList();

    private static decimal Collected(ReportPack pack, string currency) =>
        pack.Tables.Single(t => t.Title == "Payments and write-offs").Rows.Where(r => (string)r[0]! == currency).Select(r => (decimal)r[2]!).SingleOrDefault();

    private static decimal AgingTotal(ReportPack pack, string currency) =>
        pack.Tables[1].Rows.Where(r => (string)r[0]! == currency && (string)r[1]! == "total").Select(r => (decimal)r[2]!).SingleOrDefault();
}
