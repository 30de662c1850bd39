using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Data.Payments;
using Recoup.Domain.Ledger;
using Recoup.Services.Imports;
using Recoup.Services.Payments;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Services.Tests.Payments;

/// <summary>A payment file imported: posted once whatever happens, all or nothing, the rest queued for a person.</summary>
public sealed class ImportPaymentFileTests
{
    private const string Header = "payment_id,debtor_id,received_on,amount,currency,invoice_id\n";

    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    private static async Task<RecoupDatabase> SeedAsync(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var portfolio = new TestPortfolio()
            .Debtors(TestPortfolio.Person("D1", "Maria Gonzalez"), TestPortfolio.Person("D2", "Lena Hoffmann"), TestPortfolio.Person("D3", "Omar Haddad"))
            .Invoices(
                "INV-1,D1,2026-09-01,2026-10-01,100.00,USD",
                "INV-2,D1,2026-10-01,2026-11-01,250.00,USD",
                "INV-3,D2,2026-09-01,2026-10-01,80.00,USD",
                "INV-4,D3,2026-09-01,2026-10-01,61.17,USD");
        var imported = await new ImportPortfolio(database, Clock).RunAsync(portfolio.Folder);
        Assert.True(imported.Succeeded, string.Join("\n", imported.Errors));
        return database;
    }

    private static ImportPaymentFile Import(RecoupDatabase database) => new(database, Clock, PaymentReaders.Default);

    private static Task<PaymentImportOutcome> RunAsync(RecoupDatabase database, string csv, bool dryRun = false, string format = "auto") =>
        Import(database).RunAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "lockbox-1123.csv", format, dryRun, "sam");

    private static async Task<long> PaymentsPostedAsync(RecoupDatabase database)
    {
        await using var db = database.CreateContext();
        return (await db.LedgerEntries.Where(e => e.Kind == EntryKind.Payment).Select(e => e.AmountMinor).ToListAsync()).Sum();
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task TheSameFileImportedTwice_PostsOnce_AndTheSecondSaysWhenAndAsWhat(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);
        var csv = Header + "B-1,D1,2026-11-20,100.00,USD,INV-1\nB-2,D2,2026-11-20,80.00,USD,\n";

        var first = await RunAsync(database, csv);
        var second = await RunAsync(database, csv);

        Assert.True(first.Succeeded, first.Error?.Message);
        Assert.Equal((2, 2, 0, 2), (first.Report!.Records, first.Report.Matched, first.Report.Unmatched, first.Report.Posted));
        Assert.Equal(ImportPaymentFile.AlreadyImported, second.Error!.Code);
        Assert.Equal(first.Report.ImportId, second.AlreadyImportedAs);
        Assert.Equal($"lockbox-1123.csv was already imported on 2026-11-23 09:00 UTC as import {first.Report.ImportId} (lockbox-1123.csv, the same content); nothing was posted", second.Error.Message);
        Assert.Equal(-18_000, await PaymentsPostedAsync(database));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task TheSameFileImportedTwiceAtOnce_PostsOnce(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);
        var csv = Header + "C-1,D1,2026-11-20,100.00,USD,INV-1\nC-2,D2,2026-11-20,80.00,USD,\nC-3,D9,2026-11-20,5.00,USD,\n";

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => RunAsync(database, csv))));

        Assert.Single(outcomes, o => o.Succeeded);
        Assert.All(outcomes.Where(o => !o.Succeeded), o => Assert.Equal(ImportPaymentFile.AlreadyImported, o.Error!.Code));
        Assert.Equal(-18_000, await PaymentsPostedAsync(database));
        await using var db = database.CreateContext();
        Assert.Equal((1, 1), (await db.PaymentImports.CountAsync(), await db.UnmatchedPayments.CountAsync()));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AFileWithOneBadLine_PostsNothing_AndNamesTheLine(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);
        var before = await DatabaseSnapshot.TakeAsync(database);
        var csv = Header + "E-1,D1,2026-11-20,100.00,USD,INV-1\nE-2,D2,2026-11-20,80.0.0,USD,\nE-3,D3,2026-11-20,61.17,USD,\n";

        var outcome = await RunAsync(database, csv);

        Assert.Equal(ImportPaymentFile.InvalidFile, outcome.Error!.Code);
        Assert.Equal(("lockbox-1123.csv", 3, "amount"), (outcome.Problem!.File, outcome.Problem.Line, outcome.Problem.Field));
        Assert.StartsWith("lockbox-1123.csv line 3, amount: ", outcome.Error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(database));
        await using var db = database.CreateContext();
        Assert.Equal(0, await db.PaymentImports.CountAsync());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ConfidentMatchesPost_TheRestAreQueuedWithTheirReason_AndTheRateIsReported(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);
        var csv = Header +
                  "F-1,D1,2026-11-20,250.00,USD,INV-2\n" +  // invoice number: pays INV-2, not the older INV-1
                  "F-2,D2,2026-11-21,80.00,USD,\n" +         // account number
                  "F-3,D1,2026-11-21,10.00,EUR,\n" +         // D1 owes in USD only
                  "F-4,ZZ9,2026-11-22,61.17,USD,\n";         // unknown debtor; amount alone suggests D3

        var outcome = await RunAsync(database, csv);

        var report = outcome.Report!;
        Assert.Equal(("csv", 4, 2, 2, 2, 50.0m), (report.Format, report.Records, report.Matched, report.Unmatched, report.Posted, report.AutoMatchRate));
        Assert.Equal(["10.00 EUR", "391.17 USD"], report.Totals.Select(t => t.ToString()));
        await using var db = database.CreateContext();
        var entry = await db.LedgerEntries.SingleAsync(e => e.Reference == "F-1");
        var invoice = await db.Invoices.SingleAsync(i => i.Id == entry.InvoiceId);
        Assert.Equal(("INV-2", new DateOnly(2026, 11, 20), ImportPaymentFile.SourceId(report.ContentHash, 2, 1)), (invoice.Number, entry.EffectiveDate, entry.SourceId));
        var queued = await db.UnmatchedPayments.AsNoTracking().OrderBy(p => p.Line).ToListAsync();
        Assert.Equal([4, 5], queued.Select(p => p.Line));
        Assert.Equal("account D1 is in USD, but the payment is in EUR", queued[0].Reason);
        Assert.Contains("D3 at 40%", queued[1].Reason, StringComparison.Ordinal);
        Assert.All(queued, p => Assert.Equal(UnmatchedStatus.Open, p.Status));
        var recorded = await db.PaymentImports.SingleAsync();
        Assert.Equal((4, 2, 2, 50.0m, "EUR 10.00; USD 391.17"), (recorded.Records, recorded.Matched, recorded.Unmatched, recorded.AutoMatchRate, recorded.Totals));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ADryRun_MatchesButWritesNothing(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);
        var before = await DatabaseSnapshot.TakeAsync(database);

        var outcome = await RunAsync(database, Header + "G-1,D1,2026-11-20,100.00,USD,INV-1\nG-2,QQ,2026-11-20,3.00,USD,\n", dryRun: true);

        Assert.Equal((2, 1, 1, 0, true, (Guid?)null), (outcome.Report!.Records, outcome.Report.Matched, outcome.Report.Unmatched, outcome.Report.Posted, outcome.Report.DryRun, outcome.Report.ImportId));
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(database));
        await using var db = database.CreateContext();
        Assert.Equal((0, 0), (await db.PaymentImports.CountAsync(), await db.UnmatchedPayments.CountAsync()));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AQueuedPaymentReturnedToTheBank_LeavesTheQueue_PostsNothing_AndWaitsAsOneInstruction(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);
        await RunAsync(database, Header + "R-1,NOBODY,2026-11-20,45.10,USD,\nR-2,NOBODY-ELSE,2026-11-20,9.99,USD,\n");
        Guid first, second;
        await using (var db = database.CreateContext())
        {
            (first, second) = (await db.UnmatchedPayments.Where(p => p.Line == 2).Select(p => p.Id).SingleAsync(), await db.UnmatchedPayments.Where(p => p.Line == 3).Select(p => p.Id).SingleAsync());
        }

        var returns = new ReturnUnmatchedPayment(database, Clock);
        var missing = await returns.RunAsync(first, "  ", "kim");
        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => returns.RunAsync(first, "No account for this payer", "kim"))));
        var match = await new MatchUnmatchedPayment(database, Clock).RunAsync(first, await AccountOfAsync(database, "D2"), null, "lee");

        Assert.Equal(("reason_missing", "reason"), (missing.Error!.Code, missing.Error.Field));
        Assert.All(results, r => Assert.True(r.IsSuccess, r.Error?.Message));
        Assert.Single(results, r => !r.Value.AlreadyReturned);
        Assert.Equal(MatchUnmatchedPayment.ReturnedToBank, match.Error!.Code);
        Assert.Equal(0, await PaymentsPostedAsync(database));
        await using var check = database.CreateContext();
        var returned = await check.UnmatchedPayments.AsNoTracking().SingleAsync(p => p.Id == first);
        Assert.Equal((UnmatchedStatus.ReturnedToBank, "kim", "No account for this payer"), (returned.Status, returned.ReturnedBy, returned.ReturnReason));
        var instruction = await check.Outbox.AsNoTracking().SingleAsync(m => m.Purpose == ReturnUnmatchedPayment.Purpose);
        Assert.Equal((returned.ReturnInstructionId, Data.Outbox.OutboxChannel.PaymentInstruction), (instruction.Id, instruction.Channel));
        Assert.Contains("\"amount\":\"45.10\"", instruction.Body, StringComparison.Ordinal);
        Assert.Equal(1, await check.AuditLog.CountAsync(a => a.Action == "payment.returned_to_bank"));
        var stillOpen = Assert.Single((await new UnmatchedPayments(database, Clock).ListAsync()).Value.Items);
        Assert.Equal(second, stillOpen.Id);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AMatchedPayment_CannotBeReturnedToTheBank(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);
        await RunAsync(database, Header + "M-1,NOBODY,2026-11-20,12.34,USD,\n");
        await using var db = database.CreateContext();
        var queued = await db.UnmatchedPayments.AsNoTracking().SingleAsync();
        Assert.True((await new MatchUnmatchedPayment(database, Clock).RunAsync(queued.Id, await AccountOfAsync(database, "D2"), null, "lee")).IsSuccess);

        var refused = await new ReturnUnmatchedPayment(database, Clock).RunAsync(queued.Id, "wrong company", "kim");

        Assert.Equal(MatchUnmatchedPayment.AlreadyMatched, refused.Error!.Code);
        Assert.Contains("reverse it there", refused.Error.Message, StringComparison.Ordinal);
        Assert.False(await db.Outbox.AnyAsync(m => m.Purpose == ReturnUnmatchedPayment.Purpose));
    }

    private static async Task<Domain.AccountId> AccountOfAsync(RecoupDatabase database, string debtor)
    {
        await using var db = database.CreateContext();
        return await db.Accounts.Where(a => a.Debtor!.ExternalId == debtor).Select(a => a.Id).SingleAsync();
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AQueuedPayment_MatchedByAPerson_PostsOnce_AndCannotGoElsewhere(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);
        var outcome = await RunAsync(database, Header + "H-1,NOBODY,2026-11-20,12.34,USD,\n");
        await using var db = database.CreateContext();
        var queued = await db.UnmatchedPayments.AsNoTracking().SingleAsync();
        var d2 = await db.Accounts.Where(a => a.Debtor!.ExternalId == "D2").Select(a => a.Id).SingleAsync();
        var d3 = await db.Accounts.Where(a => a.Debtor!.ExternalId == "D3").Select(a => a.Id).SingleAsync();
        var match = new MatchUnmatchedPayment(database, Clock);

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => match.RunAsync(queued.Id, d2, "INV-3", "kim"))));
        var elsewhere = await match.RunAsync(queued.Id, d3, null, "lee");

        Assert.All(results, r => Assert.True(r.IsSuccess, r.Error?.Message));
        Assert.Single(results, r => !r.Value.AlreadyMatched);
        Assert.Equal(MatchUnmatchedPayment.AlreadyMatched, elsewhere.Error!.Code);
        Assert.Equal(-1_234, await PaymentsPostedAsync(database));
        var entry = await db.LedgerEntries.AsNoTracking().SingleAsync(e => e.Kind == EntryKind.Payment);
        Assert.Equal((d2, ImportPaymentFile.SourceId(outcome.Report!.ContentHash, 2, 1)), (entry.AccountId, entry.SourceId));
        var after = await db.UnmatchedPayments.AsNoTracking().SingleAsync();
        Assert.Equal((UnmatchedStatus.Matched, "kim", d2.Value), (after.Status, after.MatchedBy, after.MatchedAccountId));
        Assert.Equal(1, await db.AuditLog.CountAsync(a => a.Action == "payment.matched"));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ATruncatedBai2File_IsRefusedNamingTheLine_AndAFileOfNoKnownFormatNamesTheFormats(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);

        var truncated = await RunAsync(database, "01,BANK,RECOUP,261123,0900,1,,,2/\n", format: "bai2");
        var unknown = await RunAsync(database, "HDR;BANK;RECOUP\n");
        var returns = await RunAsync(database, "101 011000015 1234567890\n", format: "nacha-returns");

        Assert.Equal(("invalid_file", "lockbox-1123.csv line 1: the file ends without a file trailer (99)"), (truncated.Error!.Code, truncated.Error.Message));
        Assert.Equal(("format_not_recognised", "format"), (unknown.Error!.Code, unknown.Error.Field));
        Assert.Equal("format_not_available", returns.Error!.Code);
    }
}
