using Microsoft.Playwright;
using Recoup.Domain;
using Recoup.Services.Payments;
using static Microsoft.Playwright.Assertions;

namespace Recoup.Browser.Tests;

/// <summary>The auditor reads every change and cannot move money.</summary>
[Collection(SiteCollection.Name)]
public sealed class AuditScreenTests(RecoupSite site)
{
    [Fact]
    public async Task AuditLog_ShowsWhoPostedAPayment_AndWhatChanged()
    {
        var account = await Portfolio.UniquelyNamedAsync(site.Database, skip: 3);
        var posted = await new PostPayment(site.Database, TimeProvider.System).RunAsync(
            new PostPaymentRequest(new AccountId(account.AccountId), 12.34m, site.Today, "wire", "AUD-77", null, null), "supervisor");
        Assert.True(posted.IsSuccess, posted.Error?.Message);

        var page = await site.SignedInAsync("auditor");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Audit log" })).ToBeVisibleAsync();

        var row = page.GetByTestId("audit").Locator("tbody tr").Filter(new() { HasText = "AUD-77" });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("supervisor");
        await Expect(row).ToContainTextAsync("Payment posted");
        await Expect(row.Locator(".change").Filter(new() { HasText = "balance" })).ToContainTextAsync(posted.Value.BalanceAfter.ToDecimalString());
        await RecoupSite.ScreenshotAsync(page, "09-audit-log");

        // Filtered to the account, then on to the account itself, where an auditor cannot post.
        await page.GetByLabel("Account id").FillAsync(account.AccountId.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(page.GetByTestId("audit").Locator("tbody tr")).ToHaveCountAsync(1);
        await page.GetByTestId("audit").Locator("tbody tr a").First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(account.Name);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Post a payment" })).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("timeline").Locator("li").First).ToContainTextAsync("supervisor");
    }
}
