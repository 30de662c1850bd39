using System.Globalization;
using Microsoft.Playwright;
using Recoup.Services.Reporting;
using Recoup.Services.Reporting.Charts;
using static Microsoft.Playwright.Assertions;

namespace Recoup.Browser.Tests;

/// <summary>A supervisor sets a collector's targets for the month and reads the actuals against them in the monthly pack.</summary>
[Collection(SiteCollection.Name)]
public sealed class CollectorTargetScreenTests(RecoupSite site)
{
    [Fact]
    public async Task A_supervisor_sets_a_collector_s_targets_and_the_report_shows_actual_against_target()
    {
        var page = await site.SignedInAsync("supervisor");
        await page.GotoAsync("/reports");
        await page.GetByTestId("set-targets").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Collector targets", Level = 1 })).ToBeVisibleAsync();

        var collectors = await page.Locator("#target-collector option").AllInnerTextsAsync();
        Assert.NotEmpty(collectors);
        var collector = collectors[0];
        await page.Locator("#target-collector").SelectOptionAsync(collector);
        await page.Locator("#target-amount").FillAsync("1234.00");
        await page.Locator("#target-currency").FillAsync("USD");
        await page.Locator("#target-contacts").FillAsync("7");
        await page.Locator("#target-promises").FillAsync("5");
        await page.Locator("#target-kept").FillAsync("60");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save targets" }).ClickAsync();
        await Expect(page.GetByTestId("targets-flash")).ToContainTextAsync($"Targets saved for {collector}");
        await Expect(page.Locator($"[data-testid=targets-table] tr[data-collector='{collector}']")).ToContainTextAsync("1234.00 USD");
        await RecoupSite.ScreenshotAsync(page, "22-collector-targets");

        await page.GotoAsync($"/reports?kind=monthly&collector={Uri.EscapeDataString(collector)}");
        var section = page.GetByTestId("report-targets");
        await Expect(section).ToContainTextAsync("1234.00");
        var pack = await new ReportPacks(site.Database).BuildAsync(PackKind.Monthly, site.Today, new ReportFilter(collector));
        var table = pack.Tables.Single(t => t.Title.StartsWith("Collector targets", StringComparison.Ordinal));
        var collected = table.Rows.Single(r => (string)r[0]! == collector && (string)r[1]! == "Collected" && (string)r[2]! == "USD");
        Assert.Equal(1234.00m, collected[3]);
        var row = section.Locator("tbody tr").Filter(new() { HasText = "Collected" }).Filter(new() { HasText = "USD" });
        await Expect(row).ToContainTextAsync(ReportTable.Text(collected[4]));
        await Expect(row).ToContainTextAsync(collected[5] is null ? "n/a" : ReportTable.Text(collected[5]));
        var contacts = section.Locator("tbody tr").Filter(new() { HasText = "Right-party contacts" });
        await Expect(contacts.Locator("td").Nth(3)).ToHaveTextAsync("7");
        await Expect(section.Locator("tbody tr").Filter(new() { HasText = "Promise-kept rate %" }).Locator("td").Nth(3)).ToHaveTextAsync(60.00m.ToString("0.00", CultureInfo.InvariantCulture));
        await section.ScrollIntoViewIfNeededAsync();
        await section.ScreenshotAsync(new() { Path = Path.Combine(RecoupSite.Screenshots, "23-report-targets.png") });

        // The chart of collected against target: the collector's name under a grey target bar labelled with the target.
        var chart = page.GetByTestId("collector-targets-chart-USD");
        await Expect(chart).ToBeVisibleAsync();
        var texts = (await chart.Locator("text").AllTextContentsAsync()).Select(t => t.Trim()).ToList();
        Assert.Contains(collector, texts);
        Assert.Contains("1,234", texts);
        await Expect(chart.Locator($"rect[fill='{ReportCharts.TargetColour}' i]").First).ToBeVisibleAsync();
        await chart.ScrollIntoViewIfNeededAsync();
        await chart.ScreenshotAsync(new() { Path = Path.Combine(RecoupSite.Screenshots, "24-report-targets-chart.png") });
    }
}
