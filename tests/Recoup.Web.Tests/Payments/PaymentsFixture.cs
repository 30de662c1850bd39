using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Recoup.Data;
using Recoup.Data.Identity;
using Recoup.Services.Imports;
using Recoup.Services.Payments;
using Recoup.Services.Storage;
using Recoup.Testing;
using Recoup.Web.Identity;

namespace Recoup.Web.Tests.Payments;

/// <summary>
/// The web application over a database of its own with the payment debtors, the test gateway, a
/// refund approval threshold of 100.00, two users per deciding role (so one can approve the other's
/// refund), and every log line of every level captured in memory.
/// </summary>
public abstract class PaymentsFixture(DatabaseProvider provider) : IAsyncLifetime
{
    public static readonly DateOnly Today = new(2026, 11, 23);

    private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal);

    public DatabaseProvider Provider => provider;
    public PaymentsFactory Factory { get; private set; } = null!;
    public FakeTimeProvider Clock { get; } = RecoupApiFactory.FixedClock();
    public RecoupDatabase Database { get; private set; } = null!;
    public CapturedLogs Logs { get; } = new();

    /// <summary>An API client acting as the user (a role name, or <c>supervisor2</c>, <c>collector2</c>).</summary>
    public HttpClient As(string user)
    {
        var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _keys[user]);
        return client;
    }

    public async Task InitializeAsync()
    {
        Database = await TestDatabases.CreateAsync(provider);
        var debtors = new List<string>();
        var invoices = new List<string>();
        for (var i = 1; i <= 30; i++)
        {
            debtors.Add($"Q{i},Payer {i},person,consumer,,,100 Main St,Springfield,IL,62701,US,America/Chicago");
            invoices.Add($"Q-INV-{i}-A,Q{i},2026-08-01,2026-08-31,300.00,USD");
            invoices.Add($"Q-INV-{i}-B,Q{i},2026-09-01,2026-09-30,200.00,USD");
        }

        debtors.Add("BIG,Big Balance,person,consumer,,,,,,,,");
        invoices.Add("BIG-INV-1,BIG,2026-01-01,2026-01-31,100000.00,USD");
        var portfolio = new TestPortfolio().Debtors([.. debtors]).Invoices([.. invoices]);
        var imported = await new ImportPortfolio(Database, Clock).RunAsync(portfolio.Folder);
        Assert.True(imported.Succeeded, string.Join("\n", imported.Errors));

        Factory = new PaymentsFactory(Database, Clock, Logs);
        await using var scope = Factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Users>();
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeys>();
        foreach (var (name, role) in Roles.All.Select(r => (r, r)).Concat([("supervisor2", Roles.Supervisor), ("collector2", Roles.Collector)]))
        {
            var user = (await users.AddAsync(name, role, ApiFixture.Password)).Value;
            _keys[name] = await keys.CreateAsync(user, $"{name} tests");
        }
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();

    public async Task<string> AccountOfAsync(string debtorId)
    {
        await using var db = Database.CreateContext();
        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Debtor!.ExternalId == debtorId);
        return account.Id.ToString();
    }

    /// <summary>Every text value in every table of the database, with where it was found.</summary>
    public async Task<List<(string Where, string Text)>> AllTextAsync()
    {
        await using var db = Database.CreateContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = db.IsSqlite
                ? "SELECT name FROM sqlite_master WHERE type = 'table'"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Contains("card_payments", tables);
        Assert.Contains("audit_log", tables);
        var texts = new List<(string, string)>();
        // The migrations history holds the ids of the migration classes in the source (a 14-digit
        // timestamp and a name), written by EF Core's tools, never by a request: a timestamp that
        // happens to pass the Luhn check is not a card number.
        foreach (var table in tables.Where(t => t != "__EFMigrationsHistory"))
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var column = 0; column < reader.FieldCount; column++)
                {
                    if (!await reader.IsDBNullAsync(column) && reader.GetValue(column) is string text)
                    {
                        texts.Add(($"{table}.{reader.GetName(column)}", text));
                    }
                }
            }
        }

        return texts;
    }
}

public sealed class SqlitePayments() : PaymentsFixture(DatabaseProvider.Sqlite);

public sealed class PostgresPayments() : PaymentsFixture(DatabaseProvider.Postgres);

[CollectionDefinition("payments-sqlite")]
public sealed class SqlitePaymentsCollection : ICollectionFixture<SqlitePayments>;

[CollectionDefinition("payments-postgres")]
public sealed class PostgresPaymentsCollection : ICollectionFixture<PostgresPayments>;

/// <summary>The application with the payment settings of the tests and the captured logs.</summary>
public sealed class PaymentsFactory(RecoupDatabase database, TimeProvider clock, CapturedLogs logs) : WebApplicationFactory<Program>
{
    static PaymentsFactory()
    {
        Environment.SetEnvironmentVariable(RecoupDatabase.EnvironmentVariable, Path.Combine(TempFolder.Create("program"), "unused.db"));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Recoup:Payments:Gateway"] = "test",
            ["Recoup:Payments:RefundApprovalThreshold"] = "100.00",
            ["Recoup:Payments:DuplicateWindowDays"] = "7",
            ["Recoup:Payments:ComponentOrder"] = "fees,interest,principal",
        }));
        builder.ConfigureLogging(logging => logging.ClearProviders().SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<RecoupDatabase>();
            services.AddSingleton(database);
            services.RemoveAll<RecoupDbContext>();
            services.AddScoped(_ => database.CreateContext());
            services.RemoveAll<TimeProvider>();
            services.AddSingleton(clock);
        });
    }
}

/// <summary>An in-memory logger provider: every message, every level, with its exception and its structured values.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            lines.Enqueue($"{category} scope: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} [{values}] {exception}");
        }
    }
}

/// <summary>Finds card numbers in text: 13 to 19 digits in a row, or in groups as on a card, that pass the Luhn check.</summary>
public static partial class CardNumberScanner
{
    // Written as people write card numbers: 13–19 digits in a row, 4-4-4-4 or 4-6-5 with spaces or
    // dashes. Not a stretch of a GUID (whose groups are bounded by dashes) or of a longer token.
    [GeneratedRegex(@"(?<![0-9A-Za-z-])(?:[0-9]{13,19}|[0-9]{4}(?:[ -][0-9]{4}){3}|[0-9]{4}[ -][0-9]{6}[ -][0-9]{5})(?![0-9A-Za-z-])")]
    private static partial Regex Candidates();

    public static IEnumerable<string> Find(string text) =>
        Candidates().Matches(text).Select(m => CardNumbers.Digits(m.Value)).Where(d => d.Length is >= 13 and <= 19 && CardNumbers.Luhn(d));
}
