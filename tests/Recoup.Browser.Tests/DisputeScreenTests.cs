using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Recoup.Domain;
using Recoup.Domain.Disputes;
using Recoup.Services.Disputes;
using Recoup.Services.Imports;
using Recoup.Testing;
using static Microsoft.Playwright.Assertions;

namespace Recoup.Browser.Tests;

/// <summary>A collector opens a dispute on one invoice from the account page, sees its amount on hold, and resolves it upheld.</summary>
[Collection(SiteCollection.Name)]
public sealed class DisputeScreenTests(RecoupSite site)
{
    [Fact]
    public async Task A_dispute_opened_on_the_account_page_holds_its_amount_and_resolving_it_credits_the_invoice()
    {
        var id = $"DS{Guid.NewGuid():N}"[..12];
        var portfolio = new TestPortfolio()
            .Debtors($"{id},Harriet Vance,person,consumer,harriet@example.com,,,,,,,America/Chicago")
            .Invoices($"{id}-A,{id},2026-06-01,2026-07-01,600.00,USD", $"{id}-B,{id},2026-07-01,2026-08-01,45.00,USD");
        Assert.True((await new ImportPortfolio(site.Database, TimeProvider.System).RunAsync(portfolio.Folder)).Succeeded);
        await using var db = site.Database.CreateContext();
        var account = (await db.Accounts.AsNoTracking().SingleAsync(a => a.Debtor!.ExternalId == id)).Id;

        var page = await site.SignedInAsync("collector");
        await page.GotoAsync($"/accounts/{account}");
        var card = page.GetByTestId("disputes");
        await card.Locator("summary", new() { HasText = "Open a dispute" }).ClickAsync();
        var form = card.GetByTestId("open-dispute-form");
        await form.GetByLabel("Reason").SelectOptionAsync("duplicate_billing");
        await form.GetByLabel("On", new() { Exact = true }).SelectOptionAsync($"{id}-B");
        await form.GetByLabel("What the debtor says").FillAsync("Invoice B repeats the June delivery already on invoice A.");
        await RecoupSite.ScreenshotAsync(page, "30-dispute-open-form");
        await form.GetByRole(AriaRole.Button, new() { Name = "Open dispute" }).ClickAsync();

        await page.WaitForURLAsync(new Regex("disputes=opened"));
        await Expect(page.GetByTestId("disputes-flash")).ToContainTextAsync("Dispute opened");
        await Expect(card.GetByTestId("collectible")).ToContainTextAsync("600.00");
        await Expect(card.GetByTestId("open-disputes")).ToContainTextAsync("duplicate billing");
        await Expect(card.GetByTestId("open-disputes")).ToContainTextAsync("billing");
        await RecoupSite.ScreenshotAsync(page, "31-dispute-open");

        await card.Locator("summary", new() { HasText = "Resolve a dispute" }).ClickAsync();
        var resolve = card.GetByTestId("resolve-form");
        await resolve.GetByLabel("Outcome").SelectOptionAsync("upheld");
        await resolve.GetByLabel("Note").FillAsync("Duplicate confirmed by billing");
        await resolve.GetByRole(AriaRole.Button, new() { Name = "Resolve dispute" }).ClickAsync();

        await page.WaitForURLAsync(new Regex("disputes=resolved"));
        await Expect(page.GetByTestId("disputes-flash")).ToHaveTextAsync("Dispute resolved.");
        await Expect(page.GetByTestId("balance")).ToContainTextAsync("600.00");
        await Expect(card.GetByTestId("resolved-dispute")).ToContainTextAsync("upheld");
        await Expect(page.GetByTestId("timeline")).ToContainTextAsync("credit memo of -45.00 USD");
        await Expect(page.GetByTestId("timeline")).ToContainTextAsync("Dispute of 45.00 USD upheld by collector: 45.00 USD credited by credit memo; outcome sent by e-mail");
        await Expect(page.GetByTestId("timeline")).ToContainTextAsync("Dispute of 45.00 USD opened by collector (duplicate billing, ");
        await RecoupSite.ScreenshotAsync(page, "32-dispute-resolved");

        await page.GetByTestId("reconciliation-link").ClickAsync();
        var invoiceB = page.GetByTestId("reconciled-invoice").Filter(new() { HasText = $"{id}-B" });
        await Expect(invoiceB).ToContainTextAsync("credit memo");
        await Expect(invoiceB.Locator("tfoot")).ToContainTextAsync("0.00");
        await Expect(page.GetByTestId("reconciliation-total")).ToContainTextAsync("The open invoices less the unapplied credit are the balance.");
        await RecoupSite.ScreenshotAsync(page, "34-reconciliation");

        // Another one, still open, for the supervisors' list.
        var second = await new Disputes(site.Database, TimeProvider.System, new DisputeSettings()).OpenAsync(
            new OpenDispute(account, DisputeReason.GoodsNotReceived, DisputeSource.Letter, "Half the order never arrived", Money.FromMajor(200m, Currency.USD, MidpointRounding.ToEven), Owner: "cora"), "collector");
        Assert.True(second.IsSuccess, second.Error?.Message);
        var supervisor = await site.SignedInAsync("supervisor");
        await supervisor.GotoAsync("/disputes?department=customer_service");
        var row = supervisor.GetByTestId("disputes-table").Locator("tbody tr", new() { HasText = "Harriet Vance" });
        await Expect(row).ToContainTextAsync("200.00 USD");
        await Expect(row).ToContainTextAsync("cora");
        await Expect(row).ToContainTextAsync("on time");
        await Expect(row).ToContainTextAsync("letter · in writing");
        await RecoupSite.ScreenshotAsync(supervisor, "33-disputes-page");
    }
}
