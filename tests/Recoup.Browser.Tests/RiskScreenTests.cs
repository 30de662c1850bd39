using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Recoup.Domain;
using Recoup.Domain.Risk;
using Recoup.Services.Ledger;
using Recoup.Services.Risk;
using static Microsoft.Playwright.Assertions;

namespace Recoup.Browser.Tests;

/// <summary>The account page shows the risk score the daily run stored: the figure at the top and the card with its reasons.</summary>
[Collection(SiteCollection.Name)]
public sealed class RiskScreenTests(RecoupSite site)
{
    [Fact]
    public async Task AccountPage_ShowsDashUntilScored_ThenTheScoreAndEachReasonWithItsPoints()
    {
        var account = await Portfolio.UniquelyNamedAsync(site.Database, skip: 7);
        var accountId = new AccountId(account.AccountId);
        await using (var db = site.Database.CreateContext())
        {
            await db.AccountRiskScores.Where(r => r.AccountId == account.AccountId).ExecuteDeleteAsync();
        }

        var page = await site.SignedInAsync("collector");
        await page.GotoAsync($"/accounts/{account.AccountId}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(account.Name);
        await Expect(page.GetByTestId("risk-figure")).ToHaveTextAsync("—");
        await Expect(page.GetByTestId("risk-unscored")).ToBeVisibleAsync();

        // Scored as the daily run scores a batch, from the account's own ledger, promises and disputes.
        RiskAssessment expected;
        await using (var db = site.Database.CreateContext())
        {
            var open = await OpenInvoices.LoadAsync(db, [accountId], site.Today, default);
            var assessed = await RiskAssessments.AssessAsync(db, [accountId], site.Today, open, default);
            expected = assessed[accountId];
            db.AccountRiskScores.AddRange((await RiskAssessments.ReconcileAsync(db, assessed, site.Today, default)).Fresh);
            await db.SaveChangesAsync();
        }

        Assert.NotEmpty(expected.Reasons); // the portfolio's accounts with something open are past due or paid late before
        await page.ReloadAsync();
        await Expect(page.GetByTestId("risk-figure")).ToHaveTextAsync(expected.Score.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.GetByTestId("risk-score")).ToHaveTextAsync($"{expected.Score} of 100");
        var level = RiskScorecard.LevelOf(expected.Score) switch
        {
            RiskLevel.High => "High risk",
            RiskLevel.Some => "Some risk",
            _ => "Low risk",
        };
        await Expect(page.GetByTestId("risk")).ToContainTextAsync(level);
        var reasons = page.GetByTestId("risk-reasons").Locator("li");
        await Expect(reasons).ToHaveCountAsync(expected.Reasons.Count);
        for (var n = 0; n < expected.Reasons.Count; n++)
        {
            await Expect(reasons.Nth(n)).ToHaveTextAsync($"+{expected.Reasons[n].Points} {expected.Reasons[n].Text}");
        }

        // The figure links to the card on the same page (it once opened the dashboard: the page's base is the site root).
        await page.GetByTestId("risk-figure").GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page).ToHaveURLAsync(site.Url + $"/accounts/{account.AccountId}#risk");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(account.Name);
        await Expect(page.GetByTestId("risk")).ToBeInViewportAsync();
        await Expect(page.Locator("a.skip")).ToHaveAttributeAsync("href", $"/accounts/{account.AccountId}#main");
        // What the collector sees after the click (the viewport, not the whole page): the card below the top bar.
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RecoupSite.Screenshots, "account-risk.png") });
    }
}
