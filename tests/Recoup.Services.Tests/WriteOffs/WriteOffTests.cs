using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Data.Disputes;
using Recoup.Domain;
using Recoup.Domain.Disputes;
using Recoup.Domain.Ledger;
using Recoup.Domain.Plans;
using Recoup.Services.Adjustments;
using Recoup.Services.Disputes;
using Recoup.Services.Imports;
using Recoup.Services.Ledger;
using Recoup.Services.Payments;
using Recoup.Services.Storage;
using Recoup.Services.WriteOffs;
using Recoup.Testing;

namespace Recoup.Services.Tests.WriteOffs;

/// <summary>Small-balance write-offs (run and by hand), bad-debt write-offs with approval, and recoveries kept apart in reports — on both providers.</summary>
public sealed class WriteOffTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 15, 0, 0, TimeSpan.Zero));
    private readonly DisputeSettings _settings = new() { SmallBalanceThresholds = new Dictionary<string, decimal>(StringComparer.Ordinal) { ["USD"] = 5m, ["EUR"] = 2m } };

    private static Money Usd(decimal major) => Money.FromMajor(major, Currency.USD, MidpointRounding.ToEven);

    private async Task<RecoupDatabase> SeedAsync(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var portfolio = new TestPortfolio()
            .Debtors(
                "S1,Small One,person,consumer,s1@example.com,,,,,,,America/New_York",
                "S2,Small Two,person,consumer,s2@example.com,,,,,,,America/New_York",
                "S3,At Threshold,person,consumer,s3@example.com,,,,,,,America/New_York",
                "S4,Big,person,consumer,s4@example.com,,,,,,,America/New_York",
                "S5,Euro,person,consumer,s5@example.com,,,,,,,Europe/Paris",
                "S6,Disputed,person,consumer,s6@example.com,,,,,,,America/New_York")
            .Invoices(
                "S-1,S1,2026-08-01,2026-08-31,3.00,USD",
                "S-2,S2,2026-08-01,2026-08-31,4.99,USD",
                "S-3,S3,2026-08-01,2026-08-31,5.00,USD",
                "S-4,S4,2026-08-01,2026-08-31,400.00,USD",
                "S-5,S5,2026-08-01,2026-08-31,1.50,EUR",
                "S-6,S6,2026-08-01,2026-08-31,2.00,USD");
        Assert.True((await new ImportPortfolio(database, _clock).RunAsync(portfolio.Folder)).Succeeded);
        return database;
    }

    private static async Task<AccountId> AccountOfAsync(RecoupDatabase database, string debtor)
    {
        await using var db = database.CreateContext();
        return await db.Accounts.Where(a => a.Debtor!.ExternalId == debtor).Select(a => a.Id).SingleAsync();
    }

    private static async Task<Dictionary<string, long>> BalancesAsync(RecoupDatabase database)
    {
        await using var db = database.CreateContext();
        return await db.AccountSummaries.AsNoTracking().ToDictionaryAsync(s => s.DebtorExternalId, s => s.BalanceMinor);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_run_writes_off_every_positive_balance_below_its_currency_s_threshold_once_per_date(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);
        await new Recoup.Services.Disputes.Disputes(database, _clock, _settings).OpenAsync(
            new OpenDispute(await AccountOfAsync(database, "S6"), DisputeReason.AlreadyPaid, DisputeSource.Collector, "Paid in cash"), "sam");
        var run = new SmallBalanceWriteOffs(database, _clock, _settings);

        var first = await run.RunAsync(Today, "daily-run");
        var second = await run.RunAsync(Today, "daily-run");

        Assert.Equal((3, false), (first.Accounts, first.Replayed));
        Assert.Equal(["1.50 EUR", "7.99 USD"], first.Totals.Select(t => t.ToString()));
        Assert.Equal((3, true), (second.Accounts, second.Replayed));
        Assert.Equal(new Dictionary<string, long> { ["S1"] = 0, ["S2"] = 0, ["S3"] = 500, ["S4"] = 40000, ["S5"] = 0, ["S6"] = 200 }, await BalancesAsync(database));
        await using var db = database.CreateContext();
        Assert.Equal(3, await db.LedgerEntries.CountAsync(e => e.Kind == EntryKind.WriteOff && e.Memo == SmallBalanceWriteOffs.Reason));
        Assert.Equal(3, await db.AuditLog.CountAsync(a => a.Action == "write_off.small_balance"));
        Assert.True((await new VerifyLedger(database).RunAsync()).Passed);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task By_hand_only_a_small_balance_is_written_off(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);
        var run = new SmallBalanceWriteOffs(database, _clock, _settings);

        var small = await run.WriteOffAccountAsync(await AccountOfAsync(database, "S2"), "sam");
        var big = await run.WriteOffAccountAsync(await AccountOfAsync(database, "S4"), "sam");

        Assert.Equal(Usd(4.99m), small.Value);
        Assert.Equal("balance_not_small", big.Error?.Code);
        Assert.Contains("below 5.00 USD", big.Error!.Message, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_bad_debt_written_off_with_approval_and_later_recovered_is_reported_apart_from_collections(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);
        var account = await AccountOfAsync(database, "S4");
        var changes = new BalanceChanges(database, _clock, _settings);

        var asked = await changes.RequestAsync(new RequestBalanceChange(account, BalanceChangeKind.BadDebtWriteOff, Usd(400m), "uncollectable", Note: "Skip trace failed"), "sam", SettlementRole.Collector);
        Assert.Equal((BalanceChangeStatus.PendingApproval, "supervisor"), (asked.Value.Status, asked.Value.NeedsApprovalBy));
        Assert.True((await changes.ApproveAsync(asked.Value.Id, "morgan", SettlementRole.Supervisor)).IsSuccess);
        Assert.Equal(0, (await BalancesAsync(database))["S4"]);

        _clock.Advance(TimeSpan.FromDays(10));
        var recovered = await new Recoveries(database, _clock).RecordAsync(account, Usd(150m), Today.AddDays(10), "check 2201", "sam");

        Assert.True(recovered.IsSuccess, recovered.Error?.Message);
        Assert.Equal((Usd(150m), Usd(250m), Usd(0m)), (recovered.Value.Recovered, recovered.Value.WrittenOffOutstanding, recovered.Value.Balance));
        var report = await new Recoveries(database, _clock).ReportAsync(Today, Today.AddDays(10));
        var usd = Assert.Single(report.Currencies, c => c.Currency == Currency.USD);
        Assert.Equal((Usd(0m), Usd(150m), Usd(400m), 1), (usd.Collected, usd.Recovered, usd.WrittenOff, usd.Recoveries));
        Assert.True((await new VerifyLedger(database).RunAsync()).Passed);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task An_ordinary_payment_arriving_after_a_write_off_is_recorded_as_a_recovery_and_a_bounce_writes_it_off_again(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);
        var account = await AccountOfAsync(database, "S4");
        var changes = new BalanceChanges(database, _clock, _settings);
        var asked = await changes.RequestAsync(new RequestBalanceChange(account, BalanceChangeKind.BadDebtWriteOff, Usd(400m), "uncollectable"), "morgan", SettlementRole.Supervisor);
        Assert.True(asked.IsSuccess, asked.Error?.Message);
        _clock.Advance(TimeSpan.FromDays(10));

        // The lockbox knows nothing of the write-off: the check comes in like any other payment.
        var csv = "payment_id,debtor_id,received_on,amount,currency\nLB-77,S4,2026-12-03,150.00,USD\n";
        var imported = await new ImportPaymentFile(database, _clock, PaymentReaders.Default)
            .RunAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)), "lockbox.csv", "csv", false, "sam");

        Assert.Equal(1, imported.Report!.Posted);
        var report = await new Recoveries(database, _clock).ReportAsync(Today, Today.AddDays(10));
        var usd = Assert.Single(report.Currencies, c => c.Currency == Currency.USD);
        Assert.Equal((Usd(0m), Usd(150m), 1), (usd.Collected, usd.Recovered, usd.Recoveries));
        Assert.Equal(0, (await BalancesAsync(database))["S4"]);

        LedgerEntryId payment;
        await using (var db = database.CreateContext())
        {
            payment = await db.LedgerEntries.Where(e => e.AccountId == account && e.Kind == EntryKind.Payment).Select(e => e.Id).SingleAsync();
        }

        var bounced = await new ReversePayment(database, _clock).RunAsync(account, payment, "check returned unpaid", "sam", null, null);

        Assert.True(bounced.IsSuccess, bounced.Error?.Message);
        await using (var db = database.CreateContext())
        {
            var ledger = (await LedgerLoader.LoadAsync(db, a => a.Id == account, false, CancellationToken.None)).Single();
            Assert.Equal((Usd(400m), Usd(0m)), (ledger.WrittenOffOutstanding, ledger.Balance));
        }

        Assert.Equal(0, (await BalancesAsync(database))["S4"]);
        Assert.True((await new VerifyLedger(database).RunAsync()).Passed);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_recovery_on_an_account_with_nothing_written_off_is_refused(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);

        var refused = await new Recoveries(database, _clock).RecordAsync(await AccountOfAsync(database, "S4"), Usd(10m), Today, null, "sam");

        Assert.Equal("nothing_written_off", refused.Error?.Code);
    }
}
