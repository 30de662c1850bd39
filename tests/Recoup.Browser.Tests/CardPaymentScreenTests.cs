using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Recoup.Services.Payments;
using static Microsoft.Playwright.Assertions;

namespace Recoup.Browser.Tests;

/// <summary>The account page's card payment and refund forms, as a collector and a supervisor use them.</summary>
[Collection(SiteCollection.Name)]
public sealed class CardPaymentScreenTests(RecoupSite site)
{
    [Fact]
    public async Task Collector_TakesACardPayment_SeesADeclineWithoutTheNumber_AndAsksForARefundThatASupervisorApproves()
    {
        var account = await Portfolio.UniquelyNamedAsync(site.Database, skip: 11);
        var page = await site.SignedInAsync("collector");
        await page.GotoAsync($"/accounts/{account.AccountId}");
        var form = page.GetByTestId("card-payment");

        // A declined card: the reason is shown, nothing is posted, and the number is not written back.
        await form.GetByLabel("Charge").FillAsync("150.00");
        await form.GetByLabel("Card number").FillAsync(TestPaymentGateway.InsufficientFunds);
        await form.GetByLabel("Expires").FillAsync("12/2030");
        await form.GetByLabel("Security code").FillAsync("123");
        await form.GetByRole(AriaRole.Button, new() { Name = "Charge card" }).ClickAsync();
        await Expect(page.GetByTestId("card-error")).ToContainTextAsync("insufficient funds");
        await Expect(form.GetByLabel("Card number")).ToHaveValueAsync("");
        Assert.DoesNotContain(TestPaymentGateway.InsufficientFunds, await page.ContentAsync(), StringComparison.Ordinal);
        await RecoupSite.ScreenshotAsync(page, "20-card-declined");

        // An approved card: posted like any payment, shown in the ledger with the masked card.
        await form.GetByLabel("Charge").FillAsync("150.00");
        await form.GetByLabel("Card number").FillAsync("4242 4242 4242 4242");
        await form.GetByLabel("Expires").FillAsync("12/2030");
        await form.GetByLabel("Security code").FillAsync("123");
        await form.GetByRole(AriaRole.Button, new() { Name = "Charge card" }).ClickAsync();
        await page.WaitForURLAsync(new Regex($"/accounts/{account.AccountId}\\?posted=\\d+$"));
        await Expect(page.GetByTestId("flash")).ToContainTextAsync("Payment of 150.00");
        await Expect(page.GetByTestId("ledger").Locator("tbody tr").Filter(new() { HasText = "card visa ****4242" })).ToHaveCountAsync(1);

        // A refund of that payment above the threshold waits for approval.
        var refund = page.GetByTestId("refund");
        await refund.GetByLabel("Pay back").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await refund.GetByLabel("Refund").FillAsync("120.00");
        await refund.GetByLabel("Why").FillAsync("charged the wrong card");
        await refund.GetByRole(AriaRole.Button, new() { Name = "Request refund" }).ClickAsync();
        await Expect(page.GetByTestId("refund-flash")).ToContainTextAsync("waiting for approval");
        await RecoupSite.ScreenshotAsync(page, "21-refund-requested");

        var supervisor = await site.SignedInAsync("supervisor");
        await supervisor.GotoAsync($"/accounts/{account.AccountId}");
        await supervisor.GetByTestId("refunds").GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Expect(supervisor.GetByTestId("refund-flash")).ToContainTextAsync("refunded to the card");
        await RecoupSite.ScreenshotAsync(supervisor, "22-refund-approved");
    }

    [Fact]
    public async Task Collector_ReversesABouncedCheck_AndTheBalanceComesBack()
    {
        var account = await Portfolio.UniquelyNamedAsync(site.Database, skip: 17);
        var id = new Recoup.Domain.AccountId(account.AccountId);
        var posted = await new PostPayment(site.Database, TimeProvider.System)
            .RunAsync(new PostPaymentRequest(id, 25.00m, site.Today, "check", "chk 5521", null, null) { CheckNumber = "5521" }, "collector");
        Assert.True(posted.IsSuccess, posted.Error?.Message);

        var page = await site.SignedInAsync("collector");
        await page.GotoAsync($"/accounts/{account.AccountId}");
        var form = page.GetByTestId("reverse");
        await form.GetByRole(AriaRole.Button, new() { Name = "Reverse payment" }).ClickAsync();
        await Expect(form.Locator("#reverse-why-error")).ToContainTextAsync("Say why");

        // The newest payment is listed first.
        await Expect(form.GetByLabel("Payment").Locator("option").First).ToContainTextAsync($"Payment of 25.00 {account.Currency.Code}");
        await form.GetByLabel("Payment").SelectOptionAsync(new SelectOptionValue { Index = 0 });
        await form.GetByLabel("Why").FillAsync("Check returned unpaid");
        await RecoupSite.ScreenshotAsync(page, "23-reverse-payment");
        await form.GetByRole(AriaRole.Button, new() { Name = "Reverse payment" }).ClickAsync();

        await page.WaitForURLAsync(new Regex($"/accounts/{account.AccountId}\\?reversed=\\d+"));
        await Expect(page.GetByTestId("reverse-flash")).ToContainTextAsync("Payment reversed");
        await Expect(page.GetByTestId("ledger").Locator("tbody tr").Filter(new() { HasText = "Check returned unpaid" })).ToHaveCountAsync(1);
        await using var db = site.Database.CreateContext();
        var balance = db.AccountSummaries.Where(s => s.AccountId == account.AccountId).Select(s => s.BalanceMinor).Single();
        Assert.Equal(posted.Value.BalanceBefore.Minor, balance);
    }
}
