using Microsoft.Extensions.Time.Testing;
using Recoup.Formats.Csv;
using Recoup.Services.Aging;
using Recoup.Services.Imports;
using Recoup.Services.Ledger;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Services.Tests.Imports;

/// <summary>
/// The import on both providers: what a good file set posts, and for every kind of bad input the
/// exact error (file, line, column, reason) and an unchanged database.
/// </summary>
public sealed class ImportPortfolioTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    private static TestPortfolio ThreeDebtors() => new TestPortfolio()
        .Debtors(
            "D1,Maria Gonzalez,person,consumer,maria@example.com,+1 312 555 0147,1418 W Belmont Ave,Chicago,IL,60657,US,America/Chicago",
            "D2,Harbor Freight LLC,business,commercial,ap@harbor.example,,2200 Alaskan Way,Seattle,WA,98121,US,",
            "D3,Lena Hoffmann,person,medical,,,,,,,,")
        .Invoices(
            "I1,D1,2026-05-01,2026-05-31,100.00,USD",
            "I2,D1,2026-06-01,2026-07-01,200.00,USD",
            "I3,D2,2026-09-01,2026-10-01,5000.00,USD",
            "I4,D3,2026-08-01,2026-08-31,89.90,EUR")
        .Payments(
            "P1,D1,2026-07-10,150.00,USD,",
            "P2,D2,2026-10-05,5100.00,USD,I3");

    private static async Task<(RecoupDatabase Database, ImportOutcome Outcome, DatabaseSnapshot Before)> ImportAsync(DatabaseProvider provider, TestPortfolio portfolio, TestPortfolio? first = null)
    {
        var database = await TestDatabases.CreateAsync(provider);
        if (first is not null)
        {
            Assert.True((await new ImportPortfolio(database, Clock).RunAsync(first.Folder)).Succeeded);
        }

        var before = await DatabaseSnapshot.TakeAsync(database);
        var outcome = await new ImportPortfolio(database, Clock).RunAsync(portfolio.Folder);
        return (database, outcome, before);
    }

    private static async Task AssertRejectedAsync(DatabaseProvider provider, TestPortfolio portfolio, string expected, TestPortfolio? first = null)
    {
        var (database, outcome, before) = await ImportAsync(provider, portfolio, first);
        Assert.False(outcome.Succeeded);
        Assert.Contains(expected, outcome.Errors.Select(e => e.ToString()));
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(database));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_OfAGoodFileSet_PostsInvoicesAndAppliesPaymentsOldestFirst(DatabaseProvider provider)
    {
        var (database, outcome, _) = await ImportAsync(provider, ThreeDebtors());

        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Errors));
        Assert.Equal((3, 4, 2), (outcome.Summary!.Debtors, outcome.Summary.Invoices, outcome.Summary.Payments));
        var d1 = (await new AccountStatement(database).ForDebtorAsync("D1", new DateOnly(2026, 11, 23))).Value.Accounts.Single();
        Assert.Equal(["0.00", "150.00"], d1.Invoices.Select(i => i.Open.ToDecimalString()));
        Assert.Equal("150.00", d1.Balance.ToDecimalString());

        var d2 = (await new AccountStatement(database).ForDebtorAsync("D2", new DateOnly(2026, 11, 23))).Value.Accounts.Single();
        Assert.Equal("-100.00", d2.Balance.ToDecimalString());
        Assert.Equal("100.00", d2.UnappliedCredit.ToDecimalString());

        var snapshot = await DatabaseSnapshot.TakeAsync(database);
        Assert.Equal((3, 3, 1), (snapshot.Debtors, snapshot.Accounts, snapshot.Imports));
        Assert.Equal(5, snapshot.ContactPoints);
        Assert.True((await new VerifyLedger(database).RunAsync()).Passed);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_ThenAgingAsOfEarlierDate_SeesOnlyWhatHadHappenedByThen(DatabaseProvider provider)
    {
        var (database, outcome, _) = await ImportAsync(provider, ThreeDebtors());
        Assert.True(outcome.Succeeded);

        var aging = new AgingQuery(database);
        var july = await aging.ByBucketAsync(new DateOnly(2026, 7, 9), Domain.Aging.AgingBuckets.Default);
        var usd = july.Currencies.Single(c => c.Currency.Code == "USD");
        Assert.Equal("300.00", usd.Total.ToDecimalString()); // before P1 arrived, I3 not yet issued
        Assert.Equal("100.00", usd.Buckets.Single(b => b.Bucket.Name == "31-60").Amount.ToDecimalString());
        Assert.Equal("200.00", usd.Buckets.Single(b => b.Bucket.Name == "1-30").Amount.ToDecimalString());

        var november = await aging.ByBucketAsync(new DateOnly(2026, 11, 23), Domain.Aging.AgingBuckets.Default);
        Assert.Equal(["EUR", "USD"], november.Currencies.Select(c => c.Currency.Code));
        Assert.Equal("150.00", november.Currencies.Single(c => c.Currency.Code == "USD").Total.ToDecimalString());
        Assert.Equal(["100.00 USD"], (await aging.UnappliedAsync(new DateOnly(2026, 11, 23))).Select(m => m.ToString()));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_IntoExistingDebtors_AddsToTheirLedgers(DatabaseProvider provider)
    {
        var more = new TestPortfolio()
            .Invoices("I5,D1,2026-10-01,2026-10-31,50.00,USD")
            .Payments("P3,D1,2026-11-01,200.00,USD,");
        var (database, outcome, _) = await ImportAsync(provider, more, first: ThreeDebtors());

        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Errors));
        var d1 = (await new AccountStatement(database).ForDebtorAsync("D1", new DateOnly(2026, 11, 23))).Value.Accounts.Single();
        Assert.Equal("0.00", d1.Balance.ToDecimalString());
        Assert.Equal([1L, 2, 3, 4, 5], d1.Lines.Select(l => l.Sequence).Order());
        Assert.True((await new VerifyLedger(database).RunAsync()).Passed);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_OfTheSameFilesTwice_IsRejectedAsDuplicateAndPostsNothing(DatabaseProvider provider)
    {
        var portfolio = ThreeDebtors();
        var (database, outcome, before) = await ImportAsync(provider, portfolio, first: portfolio);

        Assert.False(outcome.Succeeded);
        var messages = outcome.Errors.Select(e => e.ToString()).ToList();
        Assert.Contains("debtors.csv line 2, column debtor_id: debtor 'D1' is already in the database (imported before)", messages);
        Assert.Contains("invoices.csv line 2, column invoice_id: invoice 'I1' is already in the database (imported before)", messages);
        Assert.Contains("payments.csv line 3, column payment_id: payment 'P2' is already in the database (imported before)", messages);
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(database));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_WithAMissingField_NamesFileLineAndColumn(DatabaseProvider provider) =>
        await AssertRejectedAsync(provider, ThreeDebtors().Invoices("I1,D1,2026-05-01,2026-05-31,,USD"),
            "invoices.csv line 2, column amount: is required but empty");

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_WithAMissingColumn_NamesTheColumn(DatabaseProvider provider) =>
        await AssertRejectedAsync(provider, ThreeDebtors().Raw("invoices.csv", "invoice_id,debtor_id,issue_date,due_date,amount\nI1,D1,2026-05-01,2026-05-31,100.00\n"),
            "invoices.csv line 1, column currency: this column is missing from the header");

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_WithABadDate_IsRejected(DatabaseProvider provider) =>
        await AssertRejectedAsync(provider, ThreeDebtors().Payments("P1,D1,2026-02-30,150.00,USD,"),
            "payments.csv line 2, column received_on: '2026-02-30' is not a date in the form YYYY-MM-DD");

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_WithADueDateBeforeTheIssueDate_IsRejected(DatabaseProvider provider) =>
        await AssertRejectedAsync(provider, ThreeDebtors().Invoices("I1,D1,2026-05-01,2026-04-30,100.00,USD"),
            "invoices.csv line 2, column due_date: 2026-04-30 is before the issue date 2026-05-01");

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_WithAnUnknownDebtor_IsRejected(DatabaseProvider provider) =>
        await AssertRejectedAsync(provider, ThreeDebtors().Invoices("I1,D1,2026-05-01,2026-05-31,100.00,USD", "I9,D9,2026-05-01,2026-05-31,100.00,USD"),
            "invoices.csv line 3, column debtor_id: unknown debtor 'D9': neither in debtors.csv nor in the database");

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_WithAPaymentInACurrencyTheDebtorDoesNotOwe_IsACurrencyMismatch(DatabaseProvider provider) =>
        await AssertRejectedAsync(provider, ThreeDebtors().Payments("P1,D1,2026-07-10,150.00,EUR,"),
            "payments.csv line 2, column currency: currency mismatch: debtor 'D1' has no invoices in EUR");

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_WithAPaymentForAnInvoiceInAnotherCurrency_IsACurrencyMismatch(DatabaseProvider provider) =>
        await AssertRejectedAsync(provider, ThreeDebtors().Payments("P1,D1,2026-07-10,150.00,EUR,I1"),
            "payments.csv line 2, column currency: currency mismatch: invoice 'I1' is in USD, the payment in EUR");

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_WithADuplicateIdInOneFile_IsRejected(DatabaseProvider provider) =>
        await AssertRejectedAsync(provider, ThreeDebtors().Invoices("I1,D1,2026-05-01,2026-05-31,100.00,USD", "I1,D1,2026-06-01,2026-07-01,200.00,USD"),
            "invoices.csv line 3, column invoice_id: 'I1' appears twice in this file (first on line 2)");

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_WithANegativeAmount_IsRejected(DatabaseProvider provider) =>
        await AssertRejectedAsync(provider, ThreeDebtors().Payments("P1,D1,2026-07-10,-150.00,USD,"),
            "payments.csv line 2, column amount: must be greater than zero, not -150.00");

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_WithAZeroAmount_IsRejected(DatabaseProvider provider) =>
        await AssertRejectedAsync(provider, ThreeDebtors().Invoices("I1,D1,2026-05-01,2026-05-31,0.00,USD"),
            "invoices.csv line 2, column amount: must be greater than zero, not 0.00");

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_WithMoreDecimalsThanTheCurrencyAllows_IsRejected(DatabaseProvider provider) =>
        await AssertRejectedAsync(provider, ThreeDebtors().Invoices("I1,D1,2026-05-01,2026-05-31,100.005,USD"),
            "invoices.csv line 2, column amount: '100.005' has 3 decimals, but USD allows at most 2");

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_WithDecimalsOnAYenAmount_IsRejected(DatabaseProvider provider) =>
        await AssertRejectedAsync(provider, ThreeDebtors().Invoices("I1,D1,2026-05-01,2026-05-31,1250.5,JPY"),
            "invoices.csv line 2, column amount: '1250.5' has decimals, but JPY amounts are whole numbers");

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_WithAnUnknownCurrency_IsRejected(DatabaseProvider provider) =>
        await AssertRejectedAsync(provider, ThreeDebtors().Invoices("I1,D1,2026-05-01,2026-05-31,100.00,USX"),
            "invoices.csv line 2, column currency: 'USX' is not an ISO 4217 currency code such as USD");

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_WithABadDebtorKind_ListsTheChoices(DatabaseProvider provider) =>
        await AssertRejectedAsync(provider, ThreeDebtors().Debtors("D1,Maria,company,consumer,,,,,,,,"),
            "debtors.csv line 2, column kind: 'company' is not one of person, business");

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_WithAnUnknownTimeZone_IsRejected(DatabaseProvider provider) =>
        await AssertRejectedAsync(provider, ThreeDebtors().Debtors("D1,Maria,person,consumer,,,,,,,,Mars/Olympus"),
            "debtors.csv line 2, column time_zone: 'Mars/Olympus' is not an IANA time zone such as America/New_York");

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_WithAPaymentForAnotherDebtorsInvoice_IsRejected(DatabaseProvider provider) =>
        await AssertRejectedAsync(provider, ThreeDebtors().Payments("P1,D1,2026-10-05,150.00,USD,I3"),
            "payments.csv line 2, column invoice_id: invoice 'I3' belongs to debtor 'D2', not 'D1'");

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_WithAPaymentForAnInvoiceNotYetIssued_IsRejected(DatabaseProvider provider) =>
        await AssertRejectedAsync(provider, ThreeDebtors().Payments("P1,D2,2026-08-01,150.00,USD,I3"),
            "payments.csv line 2, column received_on: Invoice I3 is issued on 2026-09-01, after 2026-08-01");

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_WithOneBadRowAmongGoodOnes_WritesNothingAtAll(DatabaseProvider provider)
    {
        var portfolio = ThreeDebtors().Payments("P1,D1,2026-07-10,150.00,USD,", "P2,D2,2026-10-05,5100.00,USD,I3", "P3,D3,2026-09-01,10.001,EUR,");
        var (database, outcome, before) = await ImportAsync(provider, portfolio);

        Assert.Equal(["payments.csv line 4, column amount: '10.001' has 3 decimals, but EUR allows at most 2"], outcome.Errors.Select(e => e.ToString()));
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(database));
        Assert.Equal(0, before.Debtors);
    }

    [Fact]
    public async Task Import_OfAFolderWithoutFiles_SaysWhichFilesItLooksFor()
    {
        var database = await TestDatabases.CreateAsync(DatabaseProvider.Sqlite);
        var empty = TempFolder.Create("empty");

        var outcome = await new ImportPortfolio(database, Clock).RunAsync(empty);

        Assert.Equal([$"{empty}: the folder holds none of debtors.csv, invoices.csv, payments.csv"], outcome.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void CsvError_NamesFileLineAndColumn()
    {
        Assert.Equal("a.csv line 3, column x: bad", new CsvError("a.csv", 3, "x", "bad").ToString());
        Assert.Equal("a.csv line 3: bad", new CsvError("a.csv", 3, null, "bad").ToString());
    }
}
