using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Data.Disputes;
using Recoup.Data.WorkQueues;
using Recoup.Domain;
using Recoup.Domain.Debtors;
using Recoup.Domain.Disputes;
using Recoup.Services.Imports;
using Recoup.Services.Payments;
using Recoup.Services.Reporting;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Services.Tests.Reporting;

/// <summary>
/// Filters (collector, debt type, currency) narrow every table of a pack to the accounts they select;
/// and a pack as of a past date does not move when entries effective later are posted.
/// </summary>
public sealed class ReportFilterTests
{
    private static readonly DateOnly October31 = new(2026, 10, 31);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));

    /// <summary>K1 (consumer, collector ana) pays 400.00 in October; K2 (commercial, collector ben) pays 200.00; E1 (EUR, ana) pays 250.50.</summary>
    private async Task<RecoupDatabase> SeedAsync(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var portfolio = new TestPortfolio()
            .Debtors(TestPortfolio.Person("K1", "Kim One"), TestPortfolio.Person("K2", "Kai Two"), TestPortfolio.Person("E1", "Eva Euro"))
            .Invoices(
                "K-1,K1,2026-08-02,2026-09-01,1000.00,USD",
                "K-2,K1,2026-10-05,2026-11-04,500.00,USD",
                "K-3,K2,2026-08-15,2026-09-14,200.00,USD",
                "E-1,E1,2026-09-10,2026-10-10,750.50,EUR")
            .Payments(
                "KP-1,K1,2026-10-10,400.00,USD,K-1",
                "KP-2,K2,2026-10-20,200.00,USD,K-3",
                "EP-1,E1,2026-10-15,250.50,EUR,E-1");
        Assert.True((await new ImportPortfolio(database, _clock).RunAsync(portfolio.Folder)).Succeeded);
        await using var db = database.CreateContext();
        var accounts = await db.Accounts.Join(db.Debtors, a => a.DebtorId, d => d.Id, (a, d) => new { a.Id, d.ExternalId }).ToListAsync();
        foreach (var account in accounts)
        {
            db.AccountAssignments.Add(new AccountAssignment { AccountId = account.Id.Value, Collector = account.ExternalId == "K2" ? "ben" : "ana", AssignedAt = _clock.GetUtcNow(), AssignedBy = "sue" });
        }

        await db.SaveChangesAsync();
        await db.Debtors.Where(d => d.ExternalId == "K2").ExecuteUpdateAsync(s => s.SetProperty(d => d.DebtType, DebtType.Commercial));
        return database;
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_collector_s_pack_holds_only_the_accounts_assigned_to_them_and_the_collectors_add_up_to_the_whole(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);
        var packs = new ReportPacks(database);

        var whole = await packs.BuildAsync(PackKind.Monthly, October31);
        var ana = await packs.BuildAsync(PackKind.Monthly, October31, new ReportFilter(Collector: "ana"));
        var ben = await packs.BuildAsync(PackKind.Monthly, October31, new ReportFilter(Collector: "ben"));

        Assert.Equal(600.00m, Collected(whole, "USD"));
        Assert.Equal(400.00m, Collected(ana, "USD"));
        Assert.Equal(200.00m, Collected(ben, "USD"));
        Assert.Equal(250.50m, Collected(ana, "EUR"));
        Assert.Equal(0m, Collected(ben, "EUR"));
        Assert.Equal(AgingTotal(whole, "USD"), AgingTotal(ana, "USD") + AgingTotal(ben, "USD"));
        Assert.EndsWith("(collector ana)", ana.Title, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Debt_type_and_currency_filters_narrow_the_kpis_aging_and_payments(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);
        var packs = new ReportPacks(database);

        var commercial = await packs.BuildAsync(PackKind.Monthly, October31, new ReportFilter(DebtType: DebtType.Commercial));
        var euro = await packs.BuildAsync(PackKind.Monthly, October31, new ReportFilter(Currency: Currency.EUR));
        var consumerUsd = await new KpiQuery(database, new ReportFilter(DebtType: DebtType.Consumer)).RunAsync(new KpiRequest(new DateOnly(2026, 10, 1), October31, Currency.USD));

        Assert.Equal(200.00m, Collected(commercial, "USD"));
        Assert.Equal(0m, AgingTotal(commercial, "USD"));       // K2 paid K-3 in full
        Assert.Equal(["EUR"], euro.Tables[0].Rows.Select(r => (string)r[0]!).Distinct());
        Assert.Equal(500.00m, AgingTotal(euro, "EUR"));
        Assert.Equal((40_000L, 110_000L), (consumerUsd.Inputs.CollectedMinor, consumerUsd.Inputs.EndingReceivablesMinor));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_pack_as_of_a_past_date_is_unchanged_by_entries_posted_later_and_effective_after_it(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);
        var before = await new ReportPacks(database).BuildAsync(PackKind.Monthly, October31);

        await using (var db = database.CreateContext())
        {
            var k1 = await db.Accounts.Join(db.Debtors.Where(d => d.ExternalId == "K1"), a => a.DebtorId, d => d.Id, (a, _) => a.Id).SingleAsync();
            Assert.Null((await new PostPayment(database, _clock).RunAsync(new PostPaymentRequest(k1, 300m, new DateOnly(2026, 11, 12), "check", "CHK 9", "K-1", null), "sam")).Error);
        }

        var after = await new ReportPacks(database).BuildAsync(PackKind.Monthly, October31);
        var november = await new ReportPacks(database).BuildAsync(PackKind.Monthly, new DateOnly(2026, 11, 30));

        Assert.Equal(Cells(before), Cells(after));
        Assert.Equal(300.00m, Collected(november, "USD"));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_disputes_section_counts_opened_resolved_late_and_open_at_the_period_s_end_per_collector(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);
        await using (var db = database.CreateContext())
        {
            var accounts = await db.Accounts.Join(db.Debtors, a => a.DebtorId, d => d.Id, (a, d) => new { a.Id, a.DebtorId, d.ExternalId }).ToListAsync();
            var k1 = accounts.Where(a => a.ExternalId == "K1").Select(a => (a.Id, a.DebtorId)).Single();
            var k2 = accounts.Where(a => a.ExternalId == "K2").Select(a => (a.Id, a.DebtorId)).Single();
            DisputeRecord Dispute((AccountId Id, DebtorId DebtorId) account, string opened, string due, string? resolved, long minor) => new()
            {
                Id = Guid.NewGuid(), AccountId = account.Id, DebtorId = account.DebtorId, Currency = Currency.USD, AmountMinor = minor,
                Reason = DisputeReason.WrongAmount, Source = DisputeSource.Collector, Department = DisputeDepartment.Billing, Description = "test",
                OpenedOn = DateOnly.Parse(opened, System.Globalization.CultureInfo.InvariantCulture), OpenedAt = _clock.GetUtcNow(), OpenedBy = "ana",
                DueOn = DateOnly.Parse(due, System.Globalization.CultureInfo.InvariantCulture),
                Status = resolved is null ? DisputeStatus.Open : DisputeStatus.Rejected,
                ResolvedOn = resolved is null ? null : DateOnly.Parse(resolved, System.Globalization.CultureInfo.InvariantCulture),
            };
            db.Disputes.AddRange(
                Dispute(k1, "2026-09-20", "2026-10-20", "2026-10-25", 10_000),   // resolved in October, five days late, after 35 days
                Dispute(k1, "2026-10-05", "2026-11-04", null, 5_000),            // open, within its time
                Dispute(k2, "2026-10-10", "2026-10-20", "2026-11-10", 3_000),    // open on 31 October and past its due date
                Dispute(k2, "2026-11-02", "2026-11-30", null, 9_900));           // opened after the period: not counted
            await db.SaveChangesAsync();
        }

        var whole = await new ReportPacks(database).BuildAsync(PackKind.Monthly, October31, new ReportFilter(Currency: Currency.USD));
        var ben = await new ReportPacks(database).BuildAsync(PackKind.Monthly, October31, new ReportFilter(Collector: "ben", Currency: Currency.USD));

        var row = Assert.Single(whole.Tables.Single(t => t.Title == "Disputes").Rows);
        Assert.Equal(["USD", 2, 80.00m, 1, 35.00m, 1, 2, 80.00m, 1], row);
        Assert.Equal(["USD", 1, 30.00m, 0, null, 0, 1, 30.00m, 1], Assert.Single(ben.Tables.Single(t => t.Title == "Disputes").Rows));
    }

    private static List<string> Cells(ReportPack pack) =>
        pack.Tables.SelectMany(t => t.Rows.Select(r => t.Title + ": " + string.Join('|', r.Select(ReportTable.Text)))).ToList();

    private static decimal Collected(ReportPack pack, string currency) =>
        pack.Tables.Single(t => t.Title == "Payments and write-offs").Rows.Where(r => (string)r[0]! == currency).Select(r => (decimal)r[2]!).SingleOrDefault();

    private static decimal AgingTotal(ReportPack pack, string currency) =>
        pack.Tables[1].Rows.Where(r => (string)r[0]! == currency && (string)r[1]! == "total").Select(r => (decimal)r[2]!).SingleOrDefault();
}
