using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Recoup.Services.Imports;
using Recoup.Testing;
using static Microsoft.Playwright.Assertions;

namespace Recoup.Browser.Tests;

/// <summary>A collector builds a payment plan from the account page, watching the schedule as the terms change.</summary>
[Collection(SiteCollection.Name)]
public sealed class PlanScreenTests(RecoupSite site)
{
    [Fact]
    public async Task A_plan_built_on_the_account_page_shows_its_schedule_live_and_then_as_the_account_s_plan()
    {
        var id = $"PL{Guid.NewGuid():N}"[..12];
        var portfolio = new TestPortfolio()
            .Debtors($"{id},Ruth Calloway,person,consumer,ruth@example.com,,,,,,,America/Denver")
            .Invoices($"{id}-INV,{id},2026-06-01,2026-07-01,1200.00,USD");
        Assert.True((await new ImportPortfolio(site.Database, TimeProvider.System).RunAsync(portfolio.Folder)).Succeeded);
        await using var db = site.Database.CreateContext();
        var account = (await db.Accounts.AsNoTracking().SingleAsync(a => a.Debtor!.ExternalId == id)).Id;

        var page = await site.SignedInAsync("collector");
        await page.GotoAsync($"/accounts/{account}");
        var form = page.Locator("form[data-plan-preview]");
        var preview = page.GetByTestId("plan-preview").Locator("tbody tr");

        // Six monthly installments of 200.00 by default; four makes them 300.00.
        await Expect(preview).ToHaveCountAsync(6);
        await Expect(preview.First.Locator("td").Nth(2)).ToHaveTextAsync("200.00");
        await form.GetByLabel("Installments").FillAsync("4");
        await Expect(preview).ToHaveCountAsync(4);
        await Expect(preview.Last.Locator("td").Nth(2)).ToHaveTextAsync("300.00");
        await form.GetByLabel("Down payment").FillAsync("100.00");
        await Expect(preview).ToHaveCountAsync(5);
        await Expect(preview.Nth(1).Locator("td").Nth(2)).ToHaveTextAsync("275.00");
        await RecoupSite.ScreenshotAsync(page, "20-plan-preview");

        await form.GetByRole(AriaRole.Button, new() { Name = "Set up plan" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("plans=plan"));
        await Expect(page.GetByTestId("plans-flash")).ToHaveTextAsync("Payment plan set up.");
        var schedule = page.GetByTestId("plan-schedule").Locator("tbody tr");
        await Expect(schedule).ToHaveCountAsync(5);
        await Expect(schedule.First).ToContainTextAsync("100.00");
        await Expect(page.GetByTestId("current-plan")).ToContainTextAsync("active");
        await RecoupSite.ScreenshotAsync(page, "21-plan-created");
    }
}
