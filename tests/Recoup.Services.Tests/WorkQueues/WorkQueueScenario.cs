using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Data.WorkQueues;
using Recoup.Domain;
using Recoup.Domain.Debtors;
using Recoup.Services.Imports;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Services.Tests.WorkQueues;

/// <summary>
/// Four consumer debtors in three time zones, two collectors sharing one rule. On Monday 2026-11-23 at
/// 14:30 UTC it is 9:30 in New York, 8:30 in Chicago and 6:30 in Los Angeles, too early to call there.
/// </summary>
/// <remarks>
/// Balances set the queue order: L1 (Los Angeles, 5,000) before C1 (Chicago, 3,000, asked us to stop)
/// before K1 (Chicago, 1,000) before N1 (New York, 200). Round-robin in that order gives amy L1 and K1,
/// bob C1 and N1.
/// </remarks>
internal sealed class WorkQueueScenario
{
    public static readonly DateTimeOffset Monday1430Utc = new(2026, 11, 23, 14, 30, 0, TimeSpan.Zero);

    private WorkQueueScenario(RecoupDatabase database, FakeTimeProvider clock, Dictionary<string, AccountId> accounts)
    {
        Database = database;
        Clock = clock;
        Accounts = accounts;
    }

    public RecoupDatabase Database { get; }
    public FakeTimeProvider Clock { get; }

    /// <summary>Account ids by debtor id.</summary>
    public Dictionary<string, AccountId> Accounts { get; }

    public static async Task<WorkQueueScenario> CreateAsync(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var clock = new FakeTimeProvider(Monday1430Utc);
        var portfolio = new TestPortfolio()
            .Debtors(
                "L1,Lena Ortiz,person,consumer,lena@example.com,+1 213 555 0101,500 S Grand Ave,Los Angeles,CA,90071,US,",
                "C1,Carl Novak,person,consumer,,+1 312 555 0102,200 N State St,Chicago,IL,60601,US,",
                "K1,Maria Gonzalez,person,consumer,maria@example.com,+1 312 555 0147,1418 W Belmont Ave,Chicago,IL,60657,US,",
                "N1,Noah Kim,person,consumer,,+1 212 555 0103,10 Wall St,New York,NY,10005,US,")
            .Invoices(
                "L-1,L1,2026-08-01,2026-08-31,5000.00,USD",
                "C-1,C1,2026-08-01,2026-08-31,3000.00,USD",
                "K-1,K1,2026-08-01,2026-08-31,1000.00,USD",
                "N-1,N1,2026-08-01,2026-08-31,200.00,USD");
        var imported = await new ImportPortfolio(database, clock).RunAsync(portfolio.Folder);
        Assert.True(imported.Succeeded);

        await using var db = database.CreateContext();
        var carl = await db.Debtors.SingleAsync(d => d.ExternalId == "C1");
        carl.CeaseCommunication(Monday1430Utc.AddDays(-3));
        db.CollectorProfiles.AddRange(
            new CollectorProfile { UserName = "amy", Capacity = 10 },
            new CollectorProfile { UserName = "bob", Capacity = 10 });
        db.AssignmentRules.Add(new AssignmentRuleRecord
        {
            Id = Guid.CreateVersion7(),
            Order = 1,
            Name = "Consumer",
            DebtType = DebtType.Consumer,
            Collectors = ["amy", "bob"],
        });
        await db.SaveChangesAsync();

        var accounts = await db.Accounts.Join(db.Debtors, a => a.DebtorId, d => d.Id, (a, d) => new { d.ExternalId, a.Id })
            .ToDictionaryAsync(x => x.ExternalId, x => x.Id);
        return new WorkQueueScenario(database, clock, accounts);
    }

    public async Task<string?> CollectorOfAsync(string debtorId)
    {
        await using var db = Database.CreateContext();
        var account = Accounts[debtorId].Value;
        return await db.AccountAssignments.Where(a => a.AccountId == account).Select(a => a.Collector).SingleOrDefaultAsync();
    }

    /// <summary>The collector's queue as built, highest priority first, as debtor ids.</summary>
    public async Task<IReadOnlyList<string>> QueueOfAsync(string collector)
    {
        await using var db = Database.CreateContext();
        var byAccount = Accounts.ToDictionary(a => a.Value.Value, a => a.Key);
        var entries = await db.WorkQueueEntries.Where(e => e.Collector == collector).OrderByDescending(e => e.Priority).Select(e => e.AccountId).ToListAsync();
        return entries.Select(e => byAccount[e]).ToList();
    }

    public async Task SetCollectorAsync(string name, int capacity, bool active)
    {
        await using var db = Database.CreateContext();
        var profile = await db.CollectorProfiles.SingleAsync(c => c.UserName == name);
        profile.Capacity = capacity;
        profile.Active = active;
        await db.SaveChangesAsync();
    }
}
