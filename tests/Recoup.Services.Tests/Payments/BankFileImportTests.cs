using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Domain.Ledger;
using Recoup.Services.Imports;
using Recoup.Services.Payments;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Services.Tests.Payments;

/// <summary>BAI2 and camt.053 files through the whole import: matched by the references the payers quoted, posted once, all or nothing.</summary>
public sealed class BankFileImportTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));

    // A lockbox report: two credits quoting invoice numbers, one with nothing to match on; totals 100.00 + 250.00 + 12.34.
    private const string Bai2 =
        "01,BANKID,RECOUP,261130,0800,1,,,2/\n" +
        "02,RECOUP,BANKID,1,261129,,USD,2/\n" +
        "03,000123456789,USD,010,0,,/\n" +
        "16,115,10000,Z,LBX0001,INV-B1/\n" +
        "16,115,25000,Z,LBX0002,INV-B2/\n" +
        "16,115,1234,Z,LBX0003,,NO REFERENCE/\n" +
        "49,36234,5/\n" +
        "98,36234,1,7/\n" +
        "99,36234,1,9/\n";

    private static async Task<RecoupDatabase> SeedAsync(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var portfolio = new TestPortfolio()
            .Debtors(TestPortfolio.Person("B1", "Carla Mendes"), TestPortfolio.Person("B2", "Ivo Petrov"))
            .Invoices("INV-B1,B1,2026-09-01,2026-10-01,100.00,USD", "INV-B2,B2,2026-09-01,2026-10-01,400.00,USD");
        Assert.True((await new ImportPortfolio(database, Clock).RunAsync(portfolio.Folder)).Succeeded);
        return database;
    }

    private static Task<PaymentImportOutcome> ImportAsync(RecoupDatabase database, string content, string name, string format = "auto") =>
        new ImportPaymentFile(database, Clock, PaymentReaders.Default).RunAsync(new MemoryStream(Encoding.UTF8.GetBytes(content)), name, format, false, "sam");

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_same_BAI2_file_imported_twice_posts_once(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);

        var first = await ImportAsync(database, Bai2, "lockbox-1130.bai");
        var second = await ImportAsync(database, Bai2, "lockbox-1130-again.bai");

        Assert.True(first.Succeeded, first.Error?.Message);
        Assert.Equal(("bai2", 3, 2, 1, 2), (first.Report!.Format, first.Report.Records, first.Report.Matched, first.Report.Unmatched, first.Report.Posted));
        Assert.Equal("362.34", Assert.Single(first.Report.Totals).ToDecimalString());
        Assert.Equal(ImportPaymentFile.AlreadyImported, second.Error?.Code);
        await using var db = database.CreateContext();
        var payments = await db.LedgerEntries.AsNoTracking().Where(e => e.Kind == EntryKind.Payment).Select(e => e.AmountMinor).ToListAsync();
        Assert.Equal([-10_000L, -25_000L], payments.Order().Reverse());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_BAI2_file_whose_account_total_disagrees_posts_nothing_and_names_the_line(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);

        var outcome = await ImportAsync(database, Bai2.Replace("49,36234,5/", "49,36235,5/", StringComparison.Ordinal), "lockbox-bad.bai");

        Assert.False(outcome.Succeeded);
        Assert.Contains("line 7", outcome.Error!.Message, StringComparison.Ordinal);
        await using var db = database.CreateContext();
        Assert.False(await db.LedgerEntries.AnyAsync(e => e.Kind == EntryKind.Payment));
    }
}
