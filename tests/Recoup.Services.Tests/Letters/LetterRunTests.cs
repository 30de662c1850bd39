using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Data.Outbox;
using Recoup.Domain;
using Recoup.Domain.Compliance;
using Recoup.Domain.Debtors;
using Recoup.Domain.Disputes;
using Recoup.Services.Disputes;
using Recoup.Services.Holds;
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
        var result = await new LetterRun(database, _clock, new MessagingSettings(), RuleSet.Default).RunAsync(new DateOnly(2026, 11, 30), LetterKind.Delinquency, folder, "test");

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
        var again = await new LetterRun(database, _clock, new MessagingSettings(), RuleSet.Default).RunAsync(new DateOnly(2026, 11, 30), LetterKind.Delinquency, TempFolder.Create("letters"), "test");
        Assert.Equal(0, again.Printed);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Letters_the_compliance_gate_refuses_are_skipped_with_the_rule_and_reported(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var portfolio = new TestPortfolio()
            .Debtors(
                "G1,Ana Pérez,person,consumer,,,1 Oak St,Chicago,IL,60601,US,America/Chicago",
                "G2,Ben Stone,person,consumer,,,9 Pine Rd,Austin,TX,73301,US,America/Chicago",
                "G3,Cleo Hart,person,consumer,,,3 Elm St,Boston,MA,02108,US,America/New_York",
                "G4,Dirk Ames,person,consumer,,,4 Ash St,Denver,CO,80202,US,America/Denver")
            .Invoices(
                "G-INV-1,G1,2026-08-01,2026-08-31,400.00,USD",
                "G-INV-2,G2,2026-09-01,2026-09-30,250.00,USD",
                "G-INV-3,G3,2026-09-01,2026-09-30,99.00,USD",
                "G-INV-4,G4,2026-09-01,2026-09-30,120.00,USD");
        Assert.True((await new ImportPortfolio(database, _clock).RunAsync(portfolio.Folder)).Succeeded);
        AccountId Account(string debtor)
        {
            using var db = database.CreateContext();
            return db.Accounts.Single(a => a.DebtorId == db.Debtors.Single(d => d.ExternalId == debtor).Id).Id;
        }

        // G2 disputes the whole balance; G3's account is on a collection hold until December 10; G4 asked us to stop.
        var disputed = await new global::Recoup.Services.Disputes.Disputes(database, _clock, new DisputeSettings())
            .OpenAsync(new OpenDispute(Account("G2"), DisputeReason.GoodsNotReceived, DisputeSource.Collector, "Never received the goods"), "sam");
        Assert.True(disputed.IsSuccess, disputed.Error?.Message);
        var held = await new CollectionHolds(database, _clock).SetAsync(
            new SetCollectionHold(Account("G3"), null, "Billing is re-issuing the invoice", new DateOnly(2026, 11, 29), new DateOnly(2026, 12, 10)), "sam");
        Assert.True(held.IsSuccess, held.Error?.Message);
        await using (var db = database.CreateContext())
        {
            (await db.Debtors.SingleAsync(d => d.ExternalId == "G4")).CeaseCommunication(_clock.GetUtcNow().AddDays(-1));
            await db.SaveChangesAsync();
        }

        var folder = TempFolder.Create("letters");
        var result = await new LetterRun(database, _clock, new MessagingSettings(), RuleSet.Default).RunAsync(new DateOnly(2026, 11, 30), LetterKind.Delinquency, folder, "test");

        // G1's notice, and the acknowledgement of G2's dispute (queued by letter when it was opened): the answer to a
        // dispute is the one letter the dispute hold lets through.
        Assert.Equal((2, 1), (result.Printed, result.OutboxLetters));
        var skipped = result.Skipped.OrderBy(s => s.DebtorId).ToList();
        Assert.Equal(["G2", "G3", "G4"], skipped.Select(s => s.DebtorId));
        Assert.StartsWith("dispute-hold", skipped[0].Reason, StringComparison.Ordinal);
        Assert.Null(skipped[0].NextAllowedAt);
        Assert.StartsWith("collection-hold", skipped[1].Reason, StringComparison.Ordinal);
        Assert.NotNull(skipped[1].NextAllowedAt);
        Assert.Equal(new DateOnly(2026, 12, 10), DateOnly.FromDateTime(skipped[1].NextAllowedAt!.Value.UtcDateTime));
        Assert.Contains("cease", skipped[2].Reason, StringComparison.OrdinalIgnoreCase);

        // The report next to the manifest names each skipped letter, why, and when the gate would allow it.
        var report = await File.ReadAllLinesAsync(Path.Combine(folder, LetterRun.SkippedName));
        Assert.Equal(LetterRun.SkippedHeader, report[0]);
        Assert.Equal(3, report.Length - 1);
        Assert.Contains(report, line => line.StartsWith("G3,G3-USD,collection-hold", StringComparison.Ordinal) && line.Contains(",2026-12-10T", StringComparison.Ordinal));
        var manifest = await File.ReadAllLinesAsync(result.Manifest);
        Assert.Equal(["G1", "G2"], manifest.Skip(1).Select(line => line.Split(',')[1]).Order(StringComparer.Ordinal));
    }
}
