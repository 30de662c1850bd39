using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Recoup.Services.Imports;
using Recoup.Testing;
using static Microsoft.Playwright.Assertions;

namespace Recoup.Browser.Tests;

/// <summary>A supervisor pauses collection on an account, shuts a customer down for credit, and places the account with an attorney.</summary>
[Collection(SiteCollection.Name)]
public sealed class HoldScreenTests(RecoupSite site)
{
    [Fact]
    public async Task A_hold_shows_on_the_account_and_in_the_list_and_a_credit_hold_is_in_the_shutdown_report()
    {
        var id = $"HB{Guid.NewGuid():N}"[..12];
        var portfolio = new TestPortfolio()
            .Debtors($"{id},Quillfeather Stationers,business,commercial,ap@quillfeather.example,,,,,,,America/Denver")
            .Invoices($"{id}-INV-1,{id},2026-06-01,2026-07-01,1200.00,USD", $"{id}-INV-2,{id},2026-07-01,2026-08-01,345.60,USD");
        Assert.True((await new ImportPortfolio(site.Database, TimeProvider.System).RunAsync(portfolio.Folder)).Succeeded);
        await using var db = site.Database.CreateContext();
        var account = (await db.Accounts.AsNoTracking().SingleAsync(a => a.Debtor!.ExternalId == id)).Id;

        var page = await site.SignedInAsync("supervisor");
        await page.GotoAsync($"/accounts/{account}");
        var card = page.GetByTestId("holds");
        await Expect(card.GetByTestId("no-holds")).ToBeVisibleAsync();
        await Expect(card.GetByTestId("charge-terms")).ToContainTextAsync("nothing may be charged");

        await card.Locator("summary", new() { HasText = "Pause collection" }).ClickAsync();
        var holdForm = card.Locator("form[data-submit-once]").Filter(new() { Has = page.Locator("#hold-reason") });
        await holdForm.Locator("#hold-reason").FillAsync("Customer says the July delivery never arrived");
        await holdForm.GetByRole(AriaRole.Button, new() { Name = "Pause collection" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("holds=hold"));
        await Expect(page.GetByTestId("holds-flash")).ToHaveTextAsync("Collection paused.");
        await Expect(page.GetByTestId("hold-banner")).ToContainTextAsync("Collection on hold");
        await Expect(page.GetByTestId("holds-in-force")).ToContainTextAsync("never arrived");
        await Expect(page.GetByTestId("holds-in-force")).ToContainTextAsync("set by supervisor");

        var credit = card.Locator("form").Filter(new() { Has = page.Locator("#credit-reason") });
        await credit.Locator("#credit-reason").FillAsync("120 days past due, no answer to letters");
        await credit.GetByRole(AriaRole.Button, new() { Name = "Put on credit hold" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("holds=credit"));
        await Expect(page.GetByTestId("credit-hold")).ToContainTextAsync("shut down");
        await RecoupSite.ScreenshotAsync(page, "30-account-on-hold");

        await page.GotoAsync($"/accounts?q={id}");
        await Expect(page.GetByTestId("held-tag")).ToContainTextAsync("on hold until");
        await RecoupSite.ScreenshotAsync(page, "31-accounts-held-tag");

        await page.GotoAsync("/credit-holds");
        var row = page.GetByTestId("shutdown-report").Locator("tr", new() { HasText = id });
        await Expect(row).ToContainTextAsync("Quillfeather Stationers");
        await Expect(row).ToContainTextAsync("1,545.60");
        await RecoupSite.ScreenshotAsync(page, "32-shutdown-report");

        await page.GotoAsync($"/accounts/{account}");
        await card.Locator("summary", new() { HasText = "Place with an attorney or agency" }).ClickAsync();
        var place = card.Locator("form").Filter(new() { Has = page.Locator("#place-with") });
        await place.Locator("#place-with").FillAsync("Barlow & Finch LLP");
        await place.GetByRole(AriaRole.Button, new() { Name = "Place account" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("holds=placed"));
        await Expect(page.GetByTestId("placed-banner")).ToContainTextAsync("Barlow & Finch LLP");
        await Expect(page.GetByTestId("placement")).ToContainTextAsync("placed");
        await RecoupSite.ScreenshotAsync(page, "33-account-placed");
    }
}
