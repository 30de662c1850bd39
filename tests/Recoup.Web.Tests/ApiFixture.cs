using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Recoup.Data.Identity;
using Recoup.Services.Demo;
using Recoup.Services.Imports;
using Recoup.Services.Storage;
using Recoup.Testing;
using Recoup.Web.Identity;

namespace Recoup.Web.Tests;

/// <summary>
/// One migrated database per provider with a small generated portfolio plus a few debtors the tests
/// know by name, a user and an API key for every role, and the web application over it.
/// </summary>
public abstract class ApiFixture(DatabaseProvider provider) : IAsyncLifetime
{
    public const string Password = "Test-password-2026";

    public static readonly DateOnly Today = new(2026, 11, 23);

    private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal);

    public DatabaseProvider Provider => provider;
    public RecoupApiFactory Factory { get; private set; } = null!;
    public FakeTimeProvider Clock { get; } = RecoupApiFactory.FixedClock();
    public RecoupDatabase Database => Factory.Database;

    /// <summary>An API client acting as the user of the role, by bearer token.</summary>
    public HttpClient As(string role) => Factory.WithBearer(_keys[role]);

    public string KeyOf(string role) => _keys[role];

    public async Task InitializeAsync()
    {
        var database = await TestDatabases.CreateAsync(provider);
        var generated = TempFolder.Create("portfolio");
        PortfolioGenerator.Write(generated, new PortfolioSpec(40, Today, Seed: 7));
        await ImportAsync(database, generated);
        await ImportAsync(database, KnownDebtors().Folder);

        Factory = new RecoupApiFactory(database, Clock);
        await using var scope = Factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Users>();
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeys>();
        foreach (var role in Roles.All)
        {
            var user = (await users.AddAsync(role, role, Password)).Value;
            _keys[role] = await keys.CreateAsync(user, $"{role} tests");
        }
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
    }

    /// <summary>The account id of a debtor's account in a currency.</summary>
    public async Task<string> AccountOfAsync(string debtorId, string currency = "USD")
    {
        await using var db = Database.CreateContext();
        var accounts = await db.Accounts.AsNoTracking().Where(a => a.Debtor!.ExternalId == debtorId).ToListAsync();
        return accounts.Single(a => a.Currency.Code == currency).Id.ToString();
    }

    /// <summary>
    /// Debtors the tests name. P1…P6 owe an open invoice each, so that every test that posts a payment
    /// has an account of its own; C1 (a Chicago phone) is the compliance exceptions' own.
    /// </summary>
    private static TestPortfolio KnownDebtors() => new TestPortfolio()
        .Debtors(
            "K1,Maria Gonzalez,person,consumer,maria.gonzalez@example.com,+1 312 555 0147,1418 W Belmont Ave,Chicago,IL,60657,US,America/Chicago",
            "K2,Harbor Freight Logistics LLC,business,commercial,ap@harbor.example,,2200 Alaskan Way,Seattle,WA,98121,US,",
            "K3,Lena Hoffmann,person,medical,,,,,,,,",
            "C1,Carla Quintero,person,consumer,,+1 312 555 0199,2200 N Clark St,Chicago,IL,60614,US,America/Chicago",
            "P1,Pay One,person,consumer,,,,,,,,",
            "P2,Pay Two,person,consumer,,,,,,,,",
            "P3,Pay Three,person,consumer,,,,,,,,",
            "P4,Pay Four,person,consumer,,,,,,,,",
            "P5,Pay Five,person,consumer,,,,,,,,",
            "P6,Pay Six,person,consumer,,,,,,,,")
        .Invoices(
            "K-INV-1,K1,2026-05-01,2026-05-31,100.00,USD",
            "K-INV-2,K1,2026-06-01,2026-07-01,200.00,USD",
            "K-INV-3,K2,2026-09-01,2026-10-01,5000.00,USD",
            "K-INV-4,K3,2026-08-01,2026-08-31,89.90,EUR",
            "C-INV-1,C1,2026-09-01,2026-10-01,400.00,USD",
            "P-INV-1,P1,2026-09-01,2026-10-01,1000.00,USD",
            "P-INV-2,P2,2026-09-01,2026-10-01,1000.00,USD",
            "P-INV-3,P3,2026-09-01,2026-10-01,1000.00,USD",
            "P-INV-4,P4,2026-09-01,2026-10-01,1000.00,USD",
            "P-INV-5,P5,2026-09-01,2026-10-01,1000.00,USD",
            "P-INV-6,P6,2026-09-01,2026-10-01,1000.00,USD")
        .Payments("K-PAY-1,K1,2026-07-10,150.00,USD,");

    private async Task ImportAsync(RecoupDatabase database, string folder)
    {
        var outcome = await new ImportPortfolio(database, Clock).RunAsync(folder);
        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Errors));
    }
}

public sealed class SqliteApi() : ApiFixture(DatabaseProvider.Sqlite);

public sealed class PostgresApi() : ApiFixture(DatabaseProvider.Postgres);

/// <summary>The test classes of one provider share its fixture and run one after another; the two providers run side by side.</summary>
[CollectionDefinition("sqlite")]
public sealed class SqliteCollection : ICollectionFixture<SqliteApi>;

[CollectionDefinition("postgres")]
public sealed class PostgresCollection : ICollectionFixture<PostgresApi>;
