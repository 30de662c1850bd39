using Microsoft.Playwright;
using Recoup.Services.Strategies;
using static Microsoft.Playwright.Assertions;

namespace Recoup.Browser.Tests;

/// <summary>
/// A supervisor splits a segment for a champion/challenger test: wrong shares and a misspelt template
/// are shown beside their fields, the fix saves a new version; then the daily run's record and the
/// comparison.
/// </summary>
[Collection(SiteCollection.Name)]
public sealed class StrategyScreenTests(RecoupSite site)
{
    private static string Field(string name) => $"[name='{name}']";

    [Fact]
    public async Task A_supervisor_splits_a_segment_fixes_what_is_marked_saves_a_version_and_sees_the_run()
    {
        var page = await site.SignedInAsync("supervisor");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Strategies" }).ClickAsync();
        await page.GetByTestId("strategy-list").GetByRole(AriaRole.Link, new() { Name = "Medical" }).ClickAsync();
        await Expect(page.Locator(Field("Input.Name"))).ToHaveValueAsync("Medical standard");

        // Split "Standard" (the third segment): the challenger starts as a copy of the champion's steps.
        await page.Locator("button[value='add-arm:2']").ClickAsync();
        await Expect(page.Locator(Field("Input.Segments[2].Arms[1].Name"))).ToHaveValueAsync("challenger");
        await page.Locator(Field("Input.Segments[2].Arms[0].Percent")).FillAsync("80");
        await page.Locator(Field("Input.Segments[2].Arms[1].Percent")).FillAsync("30");
        await page.Locator(Field("Input.Segments[2].Arms[1].Steps[0].Action")).SelectOptionAsync("email");
        await page.Locator(Field("Input.Segments[2].Arms[1].Steps[0].Template")).FillAsync("first_remindr");
        await page.GetByTestId("save").ClickAsync();

        await Expect(page.GetByTestId("strategy-errors")).ToContainTextAsync("Not saved: 2 things to fix");
        await Expect(page.Locator("[id='e-segments[2].arms']")).ToHaveTextAsync("The arms of segment 'Standard' share 110 % of its accounts; they must share 100 %");
        await Expect(page.Locator("[id='e-segments[2].arms[1].steps[0].template']")).ToContainTextAsync("There is no e-mail template 'first_remindr'; did you mean 'first_reminder'?");
        await Expect(page.Locator(Field("Input.Segments[2].Arms[1].Steps[0].Template"))).ToHaveAttributeAsync("aria-invalid", "true");
        await RecoupSite.ScreenshotAsync(page, "50-strategy-errors");

        await page.Locator(Field("Input.Segments[2].Arms[1].Percent")).FillAsync("20");
        await page.Locator(Field("Input.Segments[2].Arms[1].Steps[0].Template")).FillAsync("first_reminder");
        await page.GetByTestId("save").ClickAsync();
        await Expect(page.GetByTestId("flash")).ToContainTextAsync("Saved as version 2");
        await Expect(page.GetByTestId("versions").Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator(Field("Input.Segments[2].Arms[1].Percent"))).ToHaveValueAsync("20");
        await RecoupSite.ScreenshotAsync(page, "51-strategy-saved");

        // Version 1 is kept as it was: one arm in Standard.
        await page.GetByTestId("versions").GetByRole(AriaRole.Link, new() { Name = "v1" }).ClickAsync();
        await Expect(page.Locator(Field("Input.Segments[2].Arms[1].Name"))).ToHaveCountAsync(0);

        // The daily run follows the new version; its record is on the runs screen.
        var run = await new DailyRun(site.Database, TimeProvider.System, new StrategyStore(site.Database, TimeProvider.System), new JobLeases(site.Database, TimeProvider.System), [new CallTaskExecutor()])
            .RunAsync(site.Today, dryRun: false, "supervisor");
        Assert.True(run.IsSuccess, run.Error?.Message);
        await page.GetByRole(AriaRole.Link, new() { Name = "Daily runs" }).ClickAsync();
        var row = page.GetByTestId("run").First;
        await Expect(row).ToContainTextAsync(site.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await Expect(row).ToContainTextAsync("completed");
        await RecoupSite.ScreenshotAsync(page, "52-strategy-runs");

        await row.GetByRole(AriaRole.Link).First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Daily run for");
        await Expect(page.GetByTestId("run-steps")).ToContainTextAsync("Calls");
        await RecoupSite.ScreenshotAsync(page, "53-strategy-run-detail");

        await page.GetByRole(AriaRole.Link, new() { Name = "Champion / challenger" }).ClickAsync();
        await page.GetByTestId("segment-choice").SelectOptionAsync("medical|Standard");
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare" }).ClickAsync();
        await Expect(page.GetByTestId("arm-row")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("tests")).ToContainTextAsync("challenger against champion");
        await RecoupSite.ScreenshotAsync(page, "54-strategy-comparison");

        // The reports' strategy performance section has the split segment's two arms, the challenger tested against the champion.
        await page.GotoAsync("/reports");
        var section = page.GetByTestId("report-strategies");
        var medical = section.Locator("tbody tr").Filter(new() { HasText = "medical" }).Filter(new() { HasText = "Standard" });
        var challenger = medical.Filter(new() { HasText = "challenger" }).First;
        await Expect(medical.Filter(new() { HasText = "champion" }).First).ToBeVisibleAsync();
        await Expect(challenger).ToBeVisibleAsync();
        var verdict = await challenger.Locator("td").Last.InnerTextAsync();
        Assert.True(verdict is "no" or "no test" || verdict.Contains("recovered", StringComparison.Ordinal) || verdict.Contains("rate", StringComparison.Ordinal), verdict);
        await section.ScrollIntoViewIfNeededAsync();
        await RecoupSite.ScreenshotAsync(page, "55-reports-strategy-performance");
    }

    [Fact]
    public async Task A_collector_reads_the_strategies_without_a_save_button()
    {
        var page = await site.SignedInAsync("collector");
        await page.GotoAsync("/strategies?type=consumer");
        await Expect(page.Locator(Field("Input.Name"))).ToBeDisabledAsync();
        await Expect(page.GetByTestId("save")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Champion / challenger" })).ToHaveCountAsync(0);
    }
}
