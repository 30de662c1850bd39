using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Recoup.Services.Charges;
using Recoup.Services.Imports;
using Recoup.Testing;
using static Microsoft.Playwright.Assertions;

namespace Recoup.Browser.Tests;

/// <summary>
/// A manager sets a consumer's fee terms from the account page: refused without the agreement's clause, saved with it;
/// the daily accrual then charges the fee, and the ledger line says on what basis.
/// </summary>
[Collection(SiteCollection.Name)]
public sealed class ChargeTermsScreenTests(RecoupSite site)
{
    [Fact]
    public async Task A_consumer_fee_is_refused_until_the_agreement_authorizes_it_and_the_charged_fee_shows_its_basis()
    {
        var id = $"CT{Guid.NewGuid():N}"[..12];
        var portfolio = new TestPortfolio()
            .Debtors($"{id},Milo Hartmann,person,consumer,milo@example.com,,,,,,,America/Chicago")
            .Invoices($"{id}-A,{id},2026-06-01,2026-07-01,400.00,USD");
        Assert.True((await new ImportPortfolio(site.Database, TimeProvider.System).RunAsync(portfolio.Folder)).Succeeded);
        await using var db = site.Database.CreateContext();
        var account = (await db.Accounts.AsNoTracking().SingleAsync(a => a.Debtor!.ExternalId == id)).Id;

        var page = await site.SignedInAsync("manager");
        await page.GotoAsync($"/accounts/{account}");
        await Expect(page.GetByTestId("charge-terms")).ToContainTextAsync("No fee or interest terms apply");
        await page.GetByTestId("set-terms").ClickAsync();

        await page.WaitForURLAsync(new Regex("/fees-and-interest"));
        var form = page.GetByTestId("terms-form");
        await Expect(form.Locator("#terms-debtor")).ToHaveValueAsync(id);
        await form.Locator("#terms-fee").SelectOptionAsync("flat");
        await form.Locator("#terms-fee-amount").FillAsync("25.00");
        await form.Locator("#terms-fee-grace").FillAsync("10");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save terms" }).ClickAsync();

        await Expect(page.GetByTestId("terms-error")).ToContainTextAsync("15 U.S.C. 1692f(1)");
        await Expect(page.Locator("#err-authority")).ToContainTextAsync("need the agreement's clause or the law");
        await RecoupSite.ScreenshotAsync(page, "36-fee-terms-refused");

        await form.Locator("#terms-authority").SelectOptionAsync("agreement");
        await form.Locator("#terms-authority-ref").FillAsync("Credit agreement § 12 (late charge)");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save terms" }).ClickAsync();

        await page.WaitForURLAsync(new Regex("saved="));
        await Expect(page.GetByTestId("terms-flash")).ToContainTextAsync($"debtor {id} in USD");
        var row = page.GetByTestId("terms-table").Locator("tbody tr", new() { HasText = $"Debtor {id}" });
        await Expect(row).ToContainTextAsync("Late fee 25.00 USD");
        await Expect(row).ToContainTextAsync("Authorized by agreement: Credit agreement § 12 (late charge).");
        await RecoupSite.ScreenshotAsync(page, "37-fee-terms-saved");

        // The daily accrual charges the fee; the account shows the terms and the fee's basis on its ledger line.
        var run = await new AccrueFeesAndInterest(site.Database, TimeProvider.System).RunAsync(DateOnly.FromDateTime(DateTime.UtcNow));
        Assert.True(run.FeesPosted >= 1);
        await page.GotoAsync($"/accounts/{account}");
        await Expect(page.GetByTestId("charge-terms")).ToContainTextAsync("Late fee 25.00 USD");
        await Expect(page.GetByTestId("ledger")).ToContainTextAsync("Late fee, flat 25.00, on principal 400.00");
        await RecoupSite.ScreenshotAsync(page, "38-fee-on-ledger");
    }
}
