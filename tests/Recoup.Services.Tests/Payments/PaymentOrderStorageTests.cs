using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Domain;
using Recoup.Domain.Ledger;
using Recoup.Services.Imports;
using Recoup.Services.Ledger;
using Recoup.Services.Payments;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Services.Tests.Payments;

/// <summary>The configured order across costs, interest and principal, through the use case and the database, on both providers.</summary>
public sealed class PaymentOrderStorageTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    /// <summary>One account: an invoice of 100.00, with a 10.00 fee and 5.00 interest on it.</summary>
    private static async Task<(RecoupDatabase Database, AccountId Account)> SeedAsync(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var portfolio = new TestPortfolio().Debtors(TestPortfolio.Person("O1")).Invoices("O-INV-1,O1,2026-09-01,2026-10-01,100.00,USD");
        Assert.True((await new ImportPortfolio(database, Clock).RunAsync(portfolio.Folder)).Succeeded);
        await using var db = database.CreateContext();
        var ledger = (await LedgerLoader.LoadAsync(db, _ => true, true, CancellationToken.None)).Single();
        var invoice = ledger.Invoices.Single().Id;
        Assert.True(ledger.PostFee(new Money(1_000, Currency.USD), invoice, new DateOnly(2026, 10, 15), Clock.GetUtcNow(), "late fee").IsSuccess);
        Assert.True(ledger.PostInterest(new Money(500, Currency.USD), invoice, new DateOnly(2026, 10, 31), Clock.GetUtcNow(), "interest").IsSuccess);
        db.LedgerEntries.AddRange(ledger.NewEntries);
        db.Allocations.AddRange(ledger.NewAllocations);
        await db.SaveChangesAsync();
        return (database, ledger.Account.Id);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task CostsThenInterestThenPrincipal_IsStoredPerComponent(DatabaseProvider provider)
    {
        var (database, account) = await SeedAsync(provider);
        var post = new PostPayment(database, Clock, PaymentSettings.Default);

        var posted = await post.RunAsync(new PostPaymentRequest(account, 12m, new DateOnly(2026, 11, 20), "cash", null, null, null), "ana");

        var applied = Assert.Single(posted.Value.AppliedTo);
        Assert.Equal((1_000L, 200L, 0L), (applied.Fees.Minor, applied.Interest.Minor, applied.Principal.Minor));
        await using var db = database.CreateContext();
        var rows = await db.Allocations.AsNoTracking().Where(a => a.EntryId == posted.Value.EntryId).ToListAsync();
        Assert.Equal([(BalanceComponent.Fee, -1_000L), (BalanceComponent.Interest, -200L)], rows.OrderBy(r => r.Line).Select(r => (r.Component, r.AmountMinor)));
        var ledger = (await LedgerLoader.LoadAsync(db, a => a.Id == account, false, CancellationToken.None)).Single();
        Assert.Equal((0L, 300L, 10_000L), (ledger.OpenOn(ledger.Invoices[0].Id, BalanceComponent.Fee).Minor, ledger.OpenOn(ledger.Invoices[0].Id, BalanceComponent.Interest).Minor, ledger.OpenOn(ledger.Invoices[0].Id, BalanceComponent.Principal).Minor));
        Assert.True((await new VerifyLedger(database).RunAsync()).Passed);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task PrincipalFirst_ForTheDebtType_PaysPrincipalBeforeFees(DatabaseProvider provider)
    {
        var (database, account) = await SeedAsync(provider);
        var settings = PaymentSettings.Default with { ComponentOrderByDebtType = new Dictionary<Domain.Debtors.DebtType, ComponentOrder> { [Domain.Debtors.DebtType.Consumer] = ComponentOrder.PrincipalFirst } };

        var posted = await new PostPayment(database, Clock, settings).RunAsync(new PostPaymentRequest(account, 102m, new DateOnly(2026, 11, 20), "cash", null, null, null), "ana");

        var applied = Assert.Single(posted.Value.AppliedTo);
        Assert.Equal((0L, 200L, 10_000L), (applied.Fees.Minor, applied.Interest.Minor, applied.Principal.Minor));
        Assert.True((await new VerifyLedger(database).RunAsync()).Passed);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AnImportedPayment_FollowsTheDebtTypesOrder_AsAPostedOneDoes(DatabaseProvider provider)
    {
        var (database, _) = await SeedAsync(provider);
        var settings = PaymentSettings.Default with { ComponentOrderByDebtType = new Dictionary<Domain.Debtors.DebtType, ComponentOrder> { [Domain.Debtors.DebtType.Consumer] = ComponentOrder.PrincipalFirst } };
        var csv = "payment_id,debtor_id,received_on,amount,currency,invoice_id\nL-1,O1,2026-11-20,102.00,USD,O-INV-1\n";

        var imported = await new ImportPaymentFile(database, Clock, PaymentReaders.Default, settings)
            .RunAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)), "lockbox.csv", "csv", false, "sam");

        Assert.Equal(1, imported.Report!.Posted);
        await using var db = database.CreateContext();
        var ledger = (await LedgerLoader.LoadAsync(db, _ => true, false, CancellationToken.None)).Single();
        var invoice = ledger.Invoices.Single().Id;
        Assert.Equal((1_000L, 300L, 0L), (ledger.OpenOn(invoice, BalanceComponent.Fee).Minor, ledger.OpenOn(invoice, BalanceComponent.Interest).Minor, ledger.OpenOn(invoice, BalanceComponent.Principal).Minor));
        Assert.True((await new VerifyLedger(database).RunAsync()).Passed);
    }
}
