using System.Globalization;
using Microsoft.Playwright;
using MiniExcelLibs;
using Recoup.Services.Reporting;
using static Microsoft.Playwright.Assertions;

namespace Recoup.Browser.Tests;

/// <summary>A supervisor reads the monthly pack on screen, with its chart, and downloads the same numbers as XLSX and PDF.</summary>
[Collection(SiteCollection.Name)]
public sealed class ReportScreenTests(RecoupSite site)
{
    /// <summary>
    /// The server builds the whole pack (every section's queries, the charts, the PDF) when the link is clicked; on a
    /// two-core CI machine running the web tests beside these that took more than the default 10 s once.
    /// </summary>
    private static readonly PageRunAndWaitForDownloadOptions PackDownload = new() { Timeout = 45_000 };

    [Fact]
    public async Task The_monthly_pack_on_screen_has_the_KPIs_a_chart_and_an_xlsx_with_the_same_numbers()
    {
        var page = await site.SignedInAsync("supervisor");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Reports" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Reports", Level = 1 })).ToBeVisibleAsync();
        var pack = await new ReportPacks(site.Database).BuildAsync(PackKind.Monthly, site.Today);

        var dso = pack.Tables[0].Rows.First(r => (string)r[0]! == "USD" && (string)r[1]! == "DSO")[2];
        await Expect(page.Locator("[data-currency=USD] [data-kpi='DSO'] .tile-value")).ToContainTextAsync(ReportTable.Text(dso));
        await Expect(page.GetByTestId("trend-chart-USD").Locator("rect").First).ToBeVisibleAsync();
        var agingTotal = pack.Tables[1].Rows.First(r => (string)r[0]! == "USD" && (string)r[1]! == "total")[2];
        await Expect(page.GetByTestId("report-aging")).ToContainTextAsync(ReportTable.Text(agingTotal));

        // The strategy performance section: its title, a link to the champion/challenger screen, and every row as the pack has it.
        var strategies = pack.Tables.Single(t => t.Title.StartsWith("Strategy performance", StringComparison.Ordinal));
        var section = page.GetByTestId("report-strategies");
        await Expect(section).ToContainTextAsync(strategies.Title);
        await Expect(section.GetByRole(AriaRole.Link, new() { Name = "Champion/challenger" })).ToBeVisibleAsync();
        await Expect(section.Locator("tbody tr")).ToHaveCountAsync(strategies.Rows.Count);
        var strategyRows = await section.Locator("tbody tr").AllInnerTextsAsync();
        Assert.Equal(strategies.Rows.Select(r => string.Join('\t', r.Select(c => c is null ? "n/a" : ReportTable.Text(c)))), strategyRows.Select(r => r.Trim()));
        await RecoupSite.ScreenshotAsync(page, "20-reports-monthly");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-xlsx").ClickAsync(), PackDownload);
        var xlsx = Path.Combine(Path.GetTempPath(), $"recoup-browser-{Guid.NewGuid():N}.xlsx");
        await download.SaveAsAsync(xlsx);
        try
        {
            var screenKpis = await page.Locator("[data-testid=report-kpis] tbody tr").AllInnerTextsAsync();
            var sheet = MiniExcel.Query(xlsx, useHeaderRow: true, sheetName: "KPIs").Cast<IDictionary<string, object?>>().ToList();
            Assert.Equal(screenKpis.Count, sheet.Count);
            for (var i = 0; i < sheet.Count; i++)
            {
                var cells = screenKpis[i].Split('\t');
                var value = sheet[i]["Value"];
                Assert.Equal((cells[0], cells[1]), ((string?)sheet[i]["Currency"], (string?)sheet[i]["KPI"]));
                decimal? onScreen = cells[2] == "n/a" ? null : decimal.Parse(cells[2], CultureInfo.InvariantCulture);
                decimal? inSheet = value is null or "" ? null : Convert.ToDecimal(value, CultureInfo.InvariantCulture);
                Assert.Equal(onScreen, inSheet);
            }
        }
        finally
        {
            File.Delete(xlsx);
        }

        var pdf = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-pdf").ClickAsync(), PackDownload);
        Assert.EndsWith(".pdf", pdf.SuggestedFilename, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_supervisor_narrows_the_pack_to_one_collector_s_consumer_accounts_in_USD_and_the_downloads_carry_the_filter()
    {
        var page = await site.SignedInAsync("supervisor");
        await page.GotoAsync("/reports");
        var collectors = await page.Locator("#collector option").AllInnerTextsAsync();
        var collector = collectors.Skip(1).FirstOrDefault();
        if (collector is not null)
        {
            await page.Locator("#collector").SelectOptionAsync(collector);
        }

        await page.Locator("#debtType").SelectOptionAsync("consumer");
        await page.Locator("#currency").SelectOptionAsync("USD");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();

        var filter = new ReportFilter(collector, Recoup.Domain.Debtors.DebtType.Consumer, Recoup.Domain.Currency.USD);
        await Expect(page.GetByTestId("report-filter")).ToContainTextAsync($"Showing: {filter.Describe()}.");
        var pack = await new ReportPacks(site.Database).BuildAsync(PackKind.Monthly, site.Today, filter);
        Assert.Equal(["USD"], pack.Tables[0].Rows.Select(r => (string)r[0]!).Distinct());
        var collected = pack.Tables[3].Rows.Single()[2];
        await Expect(page.GetByTestId("report-payments")).ToContainTextAsync(ReportTable.Text(collected));
        await Expect(page.Locator("section.currency")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("download-xlsx")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("debt_type=consumer&currency=USD"));
        await RecoupSite.ScreenshotAsync(page, "21-reports-filtered");
    }
}
