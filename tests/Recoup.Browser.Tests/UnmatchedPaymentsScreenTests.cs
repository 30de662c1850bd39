using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Recoup.Domain;
using Recoup.Domain.Ledger;
using Recoup.Services.Payments;
using static Microsoft.Playwright.Assertions;

namespace Recoup.Browser.Tests;

/// <summary>A collector finds the account of a payment cash application could not place, and matches it.</summary>
[Collection(SiteCollection.Name)]
public sealed class UnmatchedPaymentsScreenTests(RecoupSite site)
{
    [Fact]
    public async Task ACollector_SearchesTheAccount_AndMatchesAQueuedPayment()
    {
        var account = await Portfolio.UniquelyNamedAsync(site.Database, skip: 5);
        var reference = $"LBX-{Guid.NewGuid():N}"[..16];
        var csv = "payment_id,debtor_id,received_on,amount,currency,invoice_id\n" +
                  $"{reference},NO-SUCH-DEBTOR,{site.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)},17.29,{account.Currency.Code},\n";
        var imported = await new ImportPaymentFile(site.Database, TimeProvider.System, PaymentReaders.Default)
            .RunAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "lockbox-browser.csv", "csv", dryRun: false, "supervisor");
        Assert.True(imported.Succeeded, imported.Error?.Message);
        Assert.Equal(1, imported.Report!.Unmatched);

        var page = await site.SignedInAsync("collector");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Unmatched payments" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Unmatched payments" })).ToBeVisibleAsync();
        var row = page.GetByTestId("unmatched").Locator("tbody tr").Filter(new() { HasText = reference });
        await Expect(row).ToContainTextAsync("17.29");
        await Expect(row).ToContainTextAsync("lockbox-browser.csv line 2");
        await row.GetByRole(AriaRole.Link).ClickAsync();

        await page.GetByLabel("Find the payer's account").FillAsync(account.Name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        var results = page.GetByTestId("search-results");
        await Expect(results).ToContainTextAsync(account.DebtorExternalId);
        await RecoupSite.ScreenshotAsync(page, "12-unmatched-payments");
        await results.GetByRole(AriaRole.Button, new() { Name = $"Match to {account.Name}" }).ClickAsync();

        await Expect(page.GetByTestId("flash")).ToContainTextAsync($"posted to account {account.AccountId}");
        await Expect(page.GetByTestId("unmatched").Locator("tbody tr").Filter(new() { HasText = reference })).ToHaveCountAsync(0);
        await using var db = site.Database.CreateContext();
        var id = new AccountId(account.AccountId);
        var entry = await db.LedgerEntries.AsNoTracking().SingleAsync(e => e.AccountId == id && e.Reference == reference);
        Assert.Equal((EntryKind.Payment, -1729L), (entry.Kind, entry.AmountMinor));
    }

    [Fact]
    public async Task ACollector_SendsAPaymentThatIsNotOursBackToThePayer()
    {
        var reference = $"RTB-{Guid.NewGuid():N}"[..16];
        var csv = "payment_id,debtor_id,received_on,amount,currency,invoice_id\n" +
                  $"{reference},NO-SUCH-DEBTOR,{site.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)},63.08,USD,\n";
        var imported = await new ImportPaymentFile(site.Database, TimeProvider.System, PaymentReaders.Default)
            .RunAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "lockbox-return.csv", "csv", dryRun: false, "supervisor");
        Assert.True(imported.Succeeded, imported.Error?.Message);

        var page = await site.SignedInAsync("collector");
        await page.GotoAsync("/payments/unmatched");
        await page.GetByTestId("unmatched").Locator("tbody tr").Filter(new() { HasText = reference }).GetByRole(AriaRole.Link).ClickAsync();
        await page.GetByText("Not ours? Send it back to the payer").ClickAsync();
        await page.GetByLabel("Why it goes back").FillAsync("Meant for another company");
        await RecoupSite.ScreenshotAsync(page, "12b-unmatched-return-to-bank");
        await page.GetByRole(AriaRole.Button, new() { Name = "Return 63.08 USD" }).ClickAsync();

        await Expect(page.GetByTestId("flash")).ToContainTextAsync("goes back to the payer");
        await Expect(page.GetByTestId("unmatched").Locator("tbody tr").Filter(new() { HasText = reference })).ToHaveCountAsync(0);
        await using var db = site.Database.CreateContext();
        var returned = await db.UnmatchedPayments.AsNoTracking().SingleAsync(p => p.BankReference == reference);
        Assert.Equal((Recoup.Data.Payments.UnmatchedStatus.ReturnedToBank, "Meant for another company"), (returned.Status, returned.ReturnReason));
        Assert.True(await db.Outbox.AnyAsync(m => m.Id == returned.ReturnInstructionId));
    }
}
