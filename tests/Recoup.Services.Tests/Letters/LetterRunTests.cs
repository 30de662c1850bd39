using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Data.Outbox;
using Recoup.Domain.Debtors;
using Recoup.Services.Imports;
using Recoup.Services.Messaging.Letters;
using Recoup.Services.Messaging.Templates;
using Recoup.Services.Storage;
using Recoup.Testing;
using UglyToad.PdfPig;

namespace Recoup.Services.Tests.Letters;

/// <summary>The monthly letter run: PDFs, the manifest, returned mail skipped, letters recorded — on both providers.</summary>
public sealed class LetterRunTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 15, 0, 0, TimeSpan.Zero));

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_delinquency_run_prints_one_letter_per_past_due_account_and_skips_returned_mail(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var portfolio = new TestPortfolio()
            .Debtors(
                "L1,Ana Pérez,person,consumer,,,1 Oak St,Chicago,IL,60601,US,America/Chicago",
                "L2,Ben Stone,person,consumer,,,9 Pine Rd,Austin,TX,73301,US,America/Chicago",
                "L3,Cleo Hart,person,consumer,cleo@example.com,,,,,,,America/New_York")
            .Invoices(
                "L-INV-1,L1,2026-08-01,2026-08-31,400.00,USD",
                "L-INV-2,L2,2026-09-01,2026-09-30,250.00,USD",
                "L-INV-3,L3,2026-09-01,2026-09-30,99.00,USD");
        Assert.True((await new ImportPortfolio(database, _clock).RunAsync(portfolio.Folder)).Succeeded);
        await using (var db = database.CreateContext())
        {
            var ben = await db.Debtors.Include(d => d.ContactPoints).SingleAsync(d => d.ExternalId == "L2");
            ben.ContactPoints.Single(c => c.Kind == ContactKind.Postal).ChangeStatus(ContactStatus.ReturnedMail);
            var ana = await db.Debtors.SingleAsync(d => d.ExternalId == "L1");
            ana.ChangeLanguage("es");
            await db.SaveChangesAsync();
        }

        var folder = TempFolder.Create("letters");
        var result = await new LetterRun(database, _clock, new MessagingSettings()).RunAsync(new DateOnly(2026, 11, 30), LetterKind.Delinquency, folder, "test");

        Assert.Equal(1, result.Printed);
        Assert.Equal([("L2", "returned mail"), ("L3", "no postal address")], result.Skipped.Select(s => (s.DebtorId, s.Reason)).OrderBy(s => s.DebtorId).ToList());
        var manifest = await File.ReadAllLinesAsync(result.Manifest);
        Assert.Equal(LetterRun.ManifestHeader, manifest[0]);
        var row = Assert.Single(manifest.Skip(1)).Split(',');
        Assert.Equal(("L1", "L1-USD", "final_demand", "es", "Ana Pérez", "1 Oak St", "Chicago", "IL", "60601", "US"),
            (row[1], row[2], row[3], row[4], row[5], row[6], row[8], row[9], row[10], row[11]));
        using (var pdf = PdfDocument.Open(Path.Combine(folder, row[13])))
        {
            Assert.Equal(int.Parse(row[12], System.Globalization.CultureInfo.InvariantCulture), pdf.NumberOfPages);
            Assert.Contains("400,00 USD", pdf.GetPage(1).Text, StringComparison.Ordinal);
        }

        await using var check = database.CreateContext();
        var letter = await check.Outbox.SingleAsync();
        Assert.Equal((OutboxChannel.Letter, OutboxStatus.Sent, "final_demand"), (letter.Channel, letter.Status, letter.TemplateKey));
        Assert.Equal(1, await check.AuditLog.CountAsync(a => a.Action == "letter.sent"));

        // The same month again prints nothing twice.
        var again = await new LetterRun(database, _clock, new MessagingSettings()).RunAsync(new DateOnly(2026, 11, 30), LetterKind.Delinquency, TempFolder.Create("letters"), "test");
        Assert.Equal(0, again.Printed);
    }
}
