using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using MiniExcelLibs;
using Recoup.Data.Outbox;
using Recoup.Domain.Compliance;
using Recoup.Services.Imports;
using Recoup.Services.Messaging.Dispatch;
using Recoup.Services.Messaging.Email;
using Recoup.Services.Reporting;
using Recoup.Services.Storage;
using Recoup.Services.Strategies;
using Recoup.Testing;
using Recoup.Testing.Messaging;
using UglyToad.PdfPig;

namespace Recoup.Services.Tests.Reporting;

/// <summary>
/// Scheduled delivery of the packs: one e-mail per subscriber in the outbox with the PDF and XLSX attached, sent by
/// SMTP to a real listener on loopback and read back; once per period and subscriber; one process at a time.
/// </summary>
public sealed class ReportDeliveryTests
{
    private static readonly DateOnly FirstOfNovember = new(2026, 11, 1);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 1, 7, 0, 0, TimeSpan.Zero));

    private async Task<RecoupDatabase> SeedAsync(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var portfolio = new TestPortfolio()
            .Debtors(TestPortfolio.Person("K1", "Kim One"), TestPortfolio.Person("E1", "Eva Euro"))
            .Invoices("K-1,K1,2026-08-02,2026-09-01,1000.00,USD", "K-2,K1,2026-10-05,2026-11-04,500.00,USD", "E-1,E1,2026-09-10,2026-10-10,750.50,EUR")
            .Payments("KP-1,K1,2026-10-10,400.00,USD,K-1", "EP-1,E1,2026-10-15,250.50,EUR,E-1");
        Assert.True((await new ImportPortfolio(database, _clock).RunAsync(portfolio.Folder)).Succeeded);
        return database;
    }

    [Fact]
    public void The_weekly_pack_is_due_on_Mondays_for_the_week_to_Sunday_and_the_monthly_pack_on_the_1st_for_the_month_before()
    {
        Assert.Equal([new DueReportPack(PackKind.Weekly, new DateOnly(2026, 11, 1))], ReportDelivery.DueOn(new DateOnly(2026, 11, 2)));
        Assert.Equal([new DueReportPack(PackKind.Monthly, new DateOnly(2026, 10, 31))], ReportDelivery.DueOn(FirstOfNovember));
        Assert.Equal([new DueReportPack(PackKind.Weekly, new DateOnly(2026, 5, 31)), new DueReportPack(PackKind.Monthly, new DateOnly(2026, 5, 31))], ReportDelivery.DueOn(new DateOnly(2026, 6, 1)));
        Assert.Empty(ReportDelivery.DueOn(new DateOnly(2026, 11, 3)));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Subscriptions_refuse_a_bad_address_pack_or_filter_and_removing_keeps_the_row(DatabaseProvider provider)
    {
        var subscriptions = new ReportSubscriptions(await TestDatabases.CreateAsync(provider), _clock);

        Assert.Equal("email", (await subscriptions.CreateAsync(new NewReportSubscription("not an address", "monthly"), "mia")).Error?.Field);
        Assert.Equal("pack", (await subscriptions.CreateAsync(new NewReportSubscription("a@example.com", "daily"), "mia")).Error?.Field);
        Assert.Equal("currency", (await subscriptions.CreateAsync(new NewReportSubscription("a@example.com", "weekly", Currency: "XXQ"), "mia")).Error?.Field);
        var created = await subscriptions.CreateAsync(new NewReportSubscription("a@example.com", "Weekly", "ana", "consumer", "usd"), "mia");
        Assert.True(created.IsSuccess);
        Assert.Equal(("weekly", "collector ana, debt type consumer, USD"), (created.Value.PackName, created.Value.Filter.Describe()));

        var removed = await subscriptions.RemoveAsync(created.Value.Id, "mia");
        Assert.False(removed.Value.Active);
        Assert.Empty(await subscriptions.ListAsync());
        Assert.Single(await subscriptions.ListAsync(includeRemoved: true));
        Assert.Equal(ReportSubscriptions.NotFound, (await subscriptions.RemoveAsync(Guid.NewGuid(), "mia")).Error?.Code);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_delivery_queues_one_email_per_subscriber_with_the_pdf_and_xlsx_and_the_SMTP_server_receives_files_that_read_back(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);
        var subscriptions = new ReportSubscriptions(database, _clock);
        var finance = (await subscriptions.CreateAsync(new NewReportSubscription("finance@example.com", "monthly"), "mia")).Value;
        var euro = (await subscriptions.CreateAsync(new NewReportSubscription("euro@example.com", "monthly", Currency: "EUR"), "mia")).Value;
        await subscriptions.CreateAsync(new NewReportSubscription("weekly@example.com", "weekly"), "mia");
        var gone = (await subscriptions.CreateAsync(new NewReportSubscription("gone@example.com", "monthly"), "mia")).Value;
        await subscriptions.RemoveAsync(gone.Id, "mia");

        var run = await new ReportDelivery(database, _clock).RunAsync(FirstOfNovember, dryRun: false, "test");

        Assert.True(run.IsSuccess, run.Error?.Message);
        Assert.Equal([new DueReportPack(PackKind.Monthly, new DateOnly(2026, 10, 31))], run.Value.Due);
        Assert.Equal(["euro@example.com queued", "finance@example.com queued"], run.Value.Items.Select(i => $"{i.Email} {i.Outcome}").Order(StringComparer.Ordinal));
        await using (var db = database.CreateContext())
        {
            var messages = await db.Outbox.AsNoTracking().ToListAsync();
            Assert.Equal(2, messages.Count);
            Assert.All(messages, m => Assert.Equal((OutboxChannel.Email, ReportDelivery.Purpose, OutboxStatus.Pending, (Guid?)null, (Guid?)null), (m.Channel, m.Purpose, m.Status, m.DebtorId, m.AccountId)));
            Assert.Contains(messages, m => m.DedupKey == ReportDelivery.DedupKey(PackKind.Monthly, new DateOnly(2026, 10, 31), finance.Id));
            var files = await db.OutboxAttachments.AsNoTracking().OrderBy(a => a.Position).ToListAsync();
            Assert.Equal(4, files.Count);
            Assert.All(messages, m => Assert.Equal(["recoup-monthly-2026-10-31.pdf", "recoup-monthly-2026-10-31.xlsx"], files.Where(f => f.OutboxId == m.Id).Select(f => f.FileName)));
        }

        // Again for the same date (a second node, a retried CLI run): nothing more.
        var again = await new ReportDelivery(database, _clock).RunAsync(FirstOfNovember, dryRun: false, "test");
        Assert.Equal(0, again.Value.Queued);
        Assert.All(again.Value.Items, i => Assert.Equal(ReportDelivery.AlreadyQueued, i.Outcome));
        await using (var db = database.CreateContext())
        {
            Assert.Equal(2, await db.Outbox.CountAsync());
        }

        // The dispatcher sends them without the debtor gate (no debtor, account or contact point) to a real SMTP listener.
        await using var smtp = new SmtpSink();
        var settings = new MessagingSettings { PublicBaseUrl = "https://recoup.example.org" };
        var smtpSettings = new SmtpSettings { Host = "127.0.0.1", Port = smtp.Port, Tls = SmtpTls.None, From = "reports@example.org", FromName = "Recoup reports" };
        var sent = await new OutboxDispatcher(database, _clock, settings, RuleSet.Default, [new SmtpEmailChannel(smtpSettings, settings, database)]).DrainAsync();
        Assert.Equal(2, sent.Sent);

        var mails = smtp.Received.Select(raw => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(raw)))).ToList();
        var mail = mails.Single(m => m.To.Mailboxes.Single().Address == "finance@example.com");
        Assert.Equal("Recoup monthly report, 2026-10-01 to 2026-10-31", mail.Subject);
        Assert.Contains("whole portfolio", mail.TextBody, StringComparison.Ordinal);
        var attachments = mail.Attachments.OfType<MimePart>().ToList();
        Assert.Equal(["recoup-monthly-2026-10-31.pdf", "recoup-monthly-2026-10-31.xlsx"], attachments.Select(a => a.FileName));

        using var pdf = PdfDocument.Open(Bytes(attachments[0]));
        var words = pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text).ToList();
        Assert.Contains("Recoup monthly report, 2026-10-01 to 2026-10-31", string.Join(' ', words), StringComparison.Ordinal);
        Assert.Contains("1100.00", words); // the USD total open at the end of October
        Assert.True(pdf.GetPages().Sum(p => p.GetImages().Count()) >= 4, "the charts are in the PDF");

        using var xlsx = new MemoryStream(Bytes(attachments[1]));
        var sheets = MiniExcel.GetSheetNames(xlsx);
        Assert.Equal(["KPIs", "Aging summary 2026-10-31", "Aging trend", "Payments and write-offs", "Disputes"], sheets.Take(5));
        Assert.Contains("Promises and plans", sheets); // the pack's later sections are attached too
        var aging = MiniExcel.Query(xlsx, useHeaderRow: true, sheetName: "Aging summary 2026-10-31").Cast<IDictionary<string, object?>>().ToList();
        var usdTotal = aging.Single(r => (string?)r["Currency"] == "USD" && (string?)r["Bucket"] == "total");
        Assert.Equal(1100.00m, Convert.ToDecimal(usdTotal["Amount"], System.Globalization.CultureInfo.InvariantCulture));

        var euroMail = mails.Single(m => m.To.Mailboxes.Single().Address == "euro@example.com");
        Assert.Equal("Recoup monthly report, 2026-10-01 to 2026-10-31 (EUR)", euroMail.Subject);
        using var euroXlsx = new MemoryStream(Bytes(euroMail.Attachments.OfType<MimePart>().Single(a => a.FileName!.EndsWith(".xlsx", StringComparison.Ordinal))));
        Assert.All(MiniExcel.Query(euroXlsx, useHeaderRow: true, sheetName: "KPIs").Cast<IDictionary<string, object?>>(), r => Assert.Equal("EUR", r["Currency"]));
        Assert.Equal(euro.Id.ToString("N"), ReportDelivery.DedupKey(PackKind.Monthly, new DateOnly(2026, 10, 31), euro.Id).Split(':')[^1]);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task While_another_process_holds_the_lease_nothing_is_queued_and_a_dry_run_only_lists(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);
        await new ReportSubscriptions(database, _clock).CreateAsync(new NewReportSubscription("finance@example.com", "weekly"), "mia");
        var monday = new DateOnly(2026, 11, 2);
        var leases = new JobLeases(database, _clock);
        Assert.True(await leases.TryAcquireAsync(ReportDelivery.LeaseName, "node-b", TimeSpan.FromMinutes(10)));

        var refused = await new ReportDelivery(database, _clock).RunAsync(monday, dryRun: false, "test");
        Assert.Equal("report_delivery_in_progress", refused.Error?.Code);
        Assert.Contains("node-b", refused.Error!.Message, StringComparison.Ordinal);

        var dry = await new ReportDelivery(database, _clock).RunAsync(monday, dryRun: true, "test");
        Assert.Equal(["finance@example.com would_queue"], dry.Value.Items.Select(i => $"{i.Email} {i.Outcome}"));
        await using (var db = database.CreateContext())
        {
            Assert.Equal(0, await db.Outbox.CountAsync());
        }

        // Once the other node's lease lapses, this one delivers; its own lease is released afterwards.
        _clock.Advance(TimeSpan.FromMinutes(11));
        var delivered = await new ReportDelivery(database, _clock).RunAsync(monday, dryRun: false, "test");
        Assert.Equal(1, delivered.Value.Queued);
        Assert.Null(await leases.HolderAsync(ReportDelivery.LeaseName));
    }

    private static byte[] Bytes(MimePart part)
    {
        using var stream = new MemoryStream();
        part.Content!.DecodeTo(stream);
        return stream.ToArray();
    }
}
