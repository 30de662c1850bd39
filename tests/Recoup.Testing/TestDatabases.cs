using Microsoft.EntityFrameworkCore;
using Recoup.Services.Storage;

namespace Recoup.Testing;

/// <summary>
/// A fresh, migrated database per test, on either provider: a SQLite file in a temporary folder, or
/// a new database in the throwaway PostgreSQL cluster. Persistence tests run once per provider:
/// <c>[Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]</c>.
/// </summary>
public static class TestDatabases
{
    public static TheoryData<DatabaseProvider> Providers => new(DatabaseProvider.Sqlite, DatabaseProvider.Postgres);

    public static async Task<RecoupDatabase> CreateAsync(DatabaseProvider provider, bool migrate = true)
    {
        var database = provider switch
        {
            DatabaseProvider.Sqlite => RecoupDatabase.Sqlite(Path.Combine(TempFolder.Create("db"), "recoup.db")),
            DatabaseProvider.Postgres => RecoupDatabase.Postgres(await (await PostgresServer.SharedAsync()).CreateDatabaseAsync("test")),
        };

        if (migrate)
        {
            await database.MigrateAsync();
        }

        return database;
    }
}

/// <summary>Row counts and money totals of every ledger table: equal snapshots mean nothing was written.</summary>
public sealed record DatabaseSnapshot(int Debtors, int ContactPoints, int Accounts, int Invoices, int Entries, int Allocations, int Imports, long EntrySum, long AllocationSum)
{
    public static async Task<DatabaseSnapshot> TakeAsync(RecoupDatabase database)
    {
        await using var db = database.CreateContext();
        return new DatabaseSnapshot(
            await db.Debtors.CountAsync(),
            await db.ContactPoints.CountAsync(),
            await db.Accounts.CountAsync(),
            await db.Invoices.CountAsync(),
            await db.LedgerEntries.CountAsync(),
            await db.Allocations.CountAsync(),
            await db.ImportBatches.CountAsync(),
            await db.LedgerEntries.SumAsync(e => e.AmountMinor),
            await db.Allocations.SumAsync(a => a.AmountMinor));
    }
}

/// <summary>Temporary folders, removed when the test process ends.</summary>
public static class TempFolder
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"recoup-tests-{Environment.ProcessId}");

    static TempFolder()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
                // best effort: the OS cleans /tmp eventually
            }
        };
    }

    public static string Create(string prefix)
    {
        var path = Path.Combine(Root, $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }
}

/// <summary>
/// Writes an import folder for a test: each file starts with the standard header, and the test gives
/// only the data lines that matter to it.
/// </summary>
public sealed class TestPortfolio
{
    public const string DebtorsHeader = "debtor_id,name,kind,debt_type,email,phone,address_line1,city,region,postal_code,country,time_zone";
    public const string InvoicesHeader = "invoice_id,debtor_id,issue_date,due_date,amount,currency";
    public const string PaymentsHeader = "payment_id,debtor_id,received_on,amount,currency,invoice_id";

    public string Folder { get; } = TempFolder.Create("import");

    /// <summary>A person with a consumer debt, everything else blank.</summary>
    public static string Person(string id, string name = "Pat Doe") => $"{id},{name},person,consumer,,,,,,,,";

    public TestPortfolio Debtors(params string[] lines) => Write("debtors.csv", DebtorsHeader, lines);

    /// <summary>debtors.csv with a <c>client</c> column after the usual ones: each line ends with the client code (or nothing).</summary>
    public TestPortfolio DebtorsWithClient(params string[] lines) => Write("debtors.csv", DebtorsHeader + ",client", lines);

    public TestPortfolio Invoices(params string[] lines) => Write("invoices.csv", InvoicesHeader, lines);

    public TestPortfolio Payments(params string[] lines) => Write("payments.csv", PaymentsHeader, lines);

    /// <summary>Writes a file exactly as given, header included.</summary>
    public TestPortfolio Raw(string file, string content)
    {
        File.WriteAllText(Path.Combine(Folder, file), content);
        return this;
    }

    private TestPortfolio Write(string file, string header, string[] lines) =>
        Raw(file, string.Join('\n', [header, .. lines]) + "\n");
}

/// <summary>Creditor clients added straight to a test database.</summary>
public static class TestClients
{
    public static async Task AddAsync(Recoup.Services.Storage.RecoupDatabase database, params string[] codes)
    {
        var book = new Recoup.Services.Clients.ClientBook(database, TimeProvider.System);
        foreach (var code in codes)
        {
            var (client, errors) = await book.AddAsync(code, $"{code} Holdings", "test");
            if (client is null)
            {
                throw new InvalidOperationException(string.Join("; ", errors.Select(e => e.Message)));
            }
        }
    }
}
