using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Domain;
using Recoup.Services.Imports;
using Recoup.Services.Ledger;
using Recoup.Services.Messaging.Templates;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Services.Tests.Templates;

/// <summary>
/// The daily run's set-based read of what a message lists (<see cref="OpenInvoices"/>,
/// <see cref="TemplateFactsLoader.LoadSetBasedAsync"/>) against the whole ledger, on both providers: partial payments,
/// fees, interest, a reversed fee, a credit memo, invoices not yet issued or not yet due, an account with nothing open,
/// and several business dates.
/// </summary>
public sealed class SetBasedTemplateFactsTests
{
    private static readonly IReadOnlyList<InvoiceFacts> NoInvoices = [];
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 15, 0, 0, TimeSpan.Zero));

    private async Task<RecoupDatabase> SeedAsync(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var portfolio = new TestPortfolio()
            .Debtors(
                "T1,Ana Pérez,person,consumer,ana@example.com,+13125550134,1 Oak St,Chicago,IL,60601,US,America/Chicago",
                "T2,Bo Li,person,consumer,bo@example.com,+13125550135,2 Elm St,Chicago,IL,60601,US,America/Chicago",
                "T3,Cy Diaz,person,consumer,cy@example.com,+13125550136,3 Ash St,Chicago,IL,60601,US,America/Chicago")
            .Invoices(
                "A-1,T1,2026-08-01,2026-08-31,400.00,USD", "A-2,T1,2026-09-01,2026-09-30,250.00,USD", "A-3,T1,2026-10-01,2026-10-31,120.00,USD",
                "A-4,T1,2026-11-01,2026-12-31,99.00,USD", "A-5,T1,2026-12-15,2027-01-14,80.00,USD",
                "B-1,T2,2026-09-01,2026-09-30,300.00,USD", "B-2,T2,2026-09-01,2026-09-30,75.50,USD",
                "C-1,T3,2026-07-01,2026-07-31,50.00,USD");
        Assert.True((await new ImportPortfolio(database, _clock).RunAsync(portfolio.Folder)).Succeeded);

        await using var db = database.CreateContext();
        var now = _clock.GetUtcNow();
        foreach (var ledger in await LedgerLoader.LoadAsync(db, _ => true, tracked: true, default))
        {
            var invoice = ledger.Invoices.ToDictionary(i => i.Number);
            var usd = ledger.Currency;
            if (invoice.ContainsKey("A-1"))
            {
                Assert.True(ledger.PostPayment(new Money(15_000, usd), new DateOnly(2026, 9, 15), now, "p1", invoice["A-1"].Id).IsSuccess);
                Assert.True(ledger.PostFee(new Money(2_500, usd), invoice["A-2"].Id, new DateOnly(2026, 10, 15), now, "late fee").IsSuccess);
                var fee = ledger.PostFee(new Money(1_000, usd), invoice["A-3"].Id, new DateOnly(2026, 11, 5), now, "late fee");
                Assert.True(fee.IsSuccess);
                Assert.True(ledger.PostInterest(new Money(731, usd), invoice["A-2"].Id, new DateOnly(2026, 11, 1), now, "interest").IsSuccess);
                Assert.True(ledger.Reverse(fee.Value.Id, new DateOnly(2026, 11, 10), now, "waived").IsSuccess);
                Assert.True(ledger.PostCreditMemo(new Money(2_000, usd), new DateOnly(2026, 11, 20), now, "pricing error", invoice["A-3"].Id).IsSuccess);
            }
            else if (invoice.ContainsKey("B-1"))
            {
                Assert.True(ledger.PostPayment(new Money(30_000, usd), new DateOnly(2026, 10, 1), now, "p2", invoice["B-1"].Id).IsSuccess);
            }
            else
            {
                Assert.True(ledger.PostPayment(new Money(5_000, usd), new DateOnly(2026, 8, 10), now, "p3", invoice["C-1"].Id).IsSuccess);
            }

            db.LedgerEntries.AddRange(ledger.NewEntries);
            db.Allocations.AddRange(ledger.NewAllocations);
        }

        await db.SaveChangesAsync();
        return database;
    }

    public static TheoryData<DatabaseProvider, string> Cases()
    {
        var data = new TheoryData<DatabaseProvider, string>();
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
        {
            foreach (var date in new[] { "2026-08-20", "2026-09-30", "2026-10-20", "2026-11-07", "2026-11-30", "2027-01-20" })
            {
                data.Add(provider, date);
            }
        }

        return data;
    }

    [Theory, MemberData(nameof(Cases))]
    public async Task The_open_invoices_and_template_facts_read_set_based_equal_those_from_the_whole_ledger(DatabaseProvider provider, string date)
    {
        var asOf = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);
        var database = await SeedAsync(provider);
        await using var db = database.CreateContext();
        var ledgers = await LedgerLoader.LoadAsync(db, _ => true, tracked: false, default);
        var ids = ledgers.Select(l => l.Account.Id).ToList();

        var open = await OpenInvoices.LoadAsync(db, ids, asOf, default);
        var expected = ledgers.SelectMany(l => l.Invoices.Select(i => (l.Account.Id, i.Id, i.Number, Open: l.OpenOnAsOf(i.Id, asOf).Minor)))
            .Where(i => i.Open > 0).OrderBy(i => i.Number, StringComparer.Ordinal).ToList();
        Assert.Equal(expected, open.Select(o => (o.AccountId, o.InvoiceId, o.Number, Open: o.OpenMinor)).OrderBy(i => i.Number, StringComparer.Ordinal).ToList());

        var whole = await TemplateFactsLoader.LoadAsync(db, ids, asOf, default);
        var setBased = await TemplateFactsLoader.LoadSetBasedAsync(db, ids, asOf, null, null, default);
        var shared = await TemplateFactsLoader.LoadSetBasedAsync(db, ids, asOf, open, null, default); // as the daily run calls it
        Assert.Equal(whole.Keys.Select(k => k.Value).Order(), setBased.Keys.Select(k => k.Value).Order());
        Assert.Equal(whole.Keys.Select(k => k.Value).Order(), shared.Keys.Select(k => k.Value).Order());
        foreach (var read in new[] { setBased, shared })
        {
            foreach (var (id, account) in whole)
            {
                var other = read[id];
                Assert.Equal(account.Facts.Invoices, other.Facts.Invoices);
                Assert.Equal(account.Facts with { Invoices = NoInvoices }, other.Facts with { Invoices = NoInvoices });
                Assert.Equal(account.Debtor.Id, other.Debtor.Id);
            }
        }

        // The case is worth testing: something is open and past due, something was paid down, a fee was reversed.
        if (asOf == new DateOnly(2026, 11, 30))
        {
            var ana = whole.Values.Single(a => a.Facts.DebtorId == "T1").Facts;
            Assert.Equal(["A-1", "A-2", "A-3"], ana.Invoices.Select(i => i.Number));
            Assert.Equal(25_000, ana.Invoices[0].Open.Minor);
            Assert.Equal(new DateOnly(2026, 11, 1), ana.Balance.ItemizationDate);
            Assert.Equal(2_000, ana.Balance.PaymentsAndCredits.Minor);
            Assert.Empty(whole.Values.Single(a => a.Facts.DebtorId == "T3").Facts.Invoices);
        }
    }
}
