using System.Xml.Linq;
using Recoup.Services.Reporting;
using Recoup.Services.Reporting.Charts;
using UglyToad.PdfPig;

namespace Recoup.Services.Tests.Reporting;

/// <summary>The packs' charts drawn by ScottPlot: well-formed SVG with their titles, axis labels, bucket names and bars; PNGs in the PDF.</summary>
public sealed class ReportChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static readonly string[] Buckets = ["current", "1-30", "31-60", "61-90", "91-120", "121+"];

    private static ReportTable Trend() => new(
        "Aging trend",
        ["Currency", "As of", .. Buckets, "Total"],
        [
            ["USD", new DateOnly(2026, 9, 30), 1000.00m, 500.00m, 250.00m, 100.00m, 50.00m, 20.00m, 1920.00m],
            ["USD", new DateOnly(2026, 10, 31), 1200.00m, 400.00m, 350.00m, 0.00m, 50.00m, 30.00m, 2030.00m],
            ["EUR", new DateOnly(2026, 10, 31), 10.00m, 0m, 0m, 0m, 0m, 0m, 10.00m],
        ]);

    private static ReportPack Pack() => new("monthly", "Recoup monthly report, 2026-10-01 to 2026-10-31", new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 31),
    [
        new ReportTable("KPIs", ["Currency", "KPI", "Value", "Unit"], [["USD", "DSO", 68.2m, "days"], ["USD", "Roll current to 1-30", 12.5m, "%"], ["USD", "Roll 1-30 to 31-60", null, "%"]]),
        new ReportTable("Aging summary 2026-10-31", ["Currency", "Bucket", "Amount", "Invoices", "Share %"],
            [.. Buckets.Select((b, i) => (IReadOnlyList<object?>)["USD", b, 100.00m * (i + 1), i + 1, 10m]), ["USD", "total", 2100.00m, 21, 100m]]),
        new ReportTable("Aging trend", Trend().Columns, [.. Trend().Rows.Where(r => (string)r[0]! == "USD")]),
        new ReportTable("Payments and write-offs", ["Currency", "Billed", "Collected", "Written off", "Recovered"], [["USD", 123456.78m, 65432.10m, 1234.00m, 12.00m]]),
    ]);

    [Fact]
    public void The_aging_trend_is_well_formed_svg_with_its_title_axis_labels_month_ends_buckets_totals_and_one_segment_per_non_empty_bucket()
    {
        var svg = ReportCharts.AgingTrend(Trend(), "USD").Svg("trend-chart-USD");

        var document = XDocument.Parse(svg);
        var root = document.Root!;
        Assert.Equal(Svg + "svg", root.Name);
        Assert.Equal("trend-chart-USD", (string?)root.Attribute("data-testid"));
        Assert.Equal("0 0 720 340", (string?)root.Attribute("viewBox"));
        Assert.Equal("USD open receivables by aging bucket at each month end", root.Element(Svg + "title")?.Value);

        var texts = Texts(document);
        Assert.Contains("USD open receivables by aging bucket at each month end", texts);
        Assert.Contains("Month end", texts);
        Assert.Contains("Open receivables (USD)", texts);
        Assert.Contains("2026-09-30", texts);
        Assert.Contains("2026-10-31", texts);
        Assert.Contains("1,920", texts);
        Assert.Contains("2,030", texts);
        foreach (var label in new[] { "Current", "1-30 days", "31-60 days", "61-90 days", "91-120 days", "121+ days" })
        {
            Assert.Contains(label, texts);
        }

        // 6 + 5 non-empty segments (61-90 is empty at the end of October), plus one legend swatch per bucket.
        var coloured = document.Descendants(Svg + "rect").Count(r => ReportCharts.BucketColours.Contains(((string?)r.Attribute("fill"))?.ToLowerInvariant()));
        Assert.Equal(11 + Buckets.Length, coloured);
    }

    [Fact]
    public void Every_chart_of_a_pack_has_a_title_labelled_axes_and_amounts_with_thousands_separators()
    {
        var charts = ReportCharts.ForPack(Pack());

        Assert.Equal(["aging-trend", "aging-summary", "roll-rates", "payments"], charts.Select(c => c.Id));
        var summary = Texts(XDocument.Parse(charts[1].Svg()));
        Assert.Contains("USD open receivables by aging bucket on 2026-10-31", summary);
        Assert.Contains("Days past due", summary);
        Assert.Contains("Open receivables (USD)", summary);
        Assert.Contains("Current", summary);
        Assert.Contains("121+ days", summary);
        Assert.Contains("600", summary);
        Assert.Equal(6, XDocument.Parse(charts[1].Svg()).Descendants(Svg + "rect").Count(r => ReportCharts.BucketColours.Contains(((string?)r.Attribute("fill"))?.ToLowerInvariant())));

        var rolls = Texts(XDocument.Parse(charts[2].Svg()));
        Assert.Contains("12.5 %", rolls);
        Assert.Contains("n/a", rolls);
        Assert.Contains("current → 1-30", rolls);
        Assert.Contains("Rolled forward (%)", rolls);

        var payments = Texts(XDocument.Parse(charts[3].Svg()));
        Assert.Contains("Amount (USD)", payments);
        Assert.Contains("123,457", payments);
        Assert.Contains("65,432", payments);
        Assert.Contains("Collected", payments);
        Assert.Contains("Written off", payments);
    }

    [Fact]
    public void Collected_against_target_draws_a_target_bar_and_a_collected_bar_per_collector_coloured_by_whether_it_met_the_target()
    {
        var targets = new ReportTable("Collector targets 2026-10", ["Collector", "Measure", "Currency", "Target", "Actual", "% of target"],
        [
            ["ana", "Collected", "USD", 10000.00m, 12500.00m, 125.0m],
            ["ben", "Collected", "USD", 20000.00m, 7300.00m, 36.5m],
            ["cho", "Collected", "USD", null, 4100.00m, null],
            ["ana", "Contacts", "", 300m, 280m, 93.3m],
            ["dan", "Collected", "EUR", 1000.00m, 900.00m, 90.0m],
        ]);

        var chart = ReportCharts.CollectedAgainstTarget(targets, "USD")!;
        var document = XDocument.Parse(chart.Svg());
        Assert.Equal("USD collected against target by collector, 2026-10", document.Root!.Element(Svg + "title")?.Value);
        var texts = Texts(document);
        foreach (var text in new[] { "ana", "ben", "cho", "10,000", "12,500", "20,000", "7,300", "4,100", "Target", "Collected, target met", "Collected, below target" })
        {
            Assert.Contains(text, texts);
        }

        Assert.DoesNotContain("dan", texts);
        Assert.DoesNotContain("900", texts);
        var fills = document.Descendants(Svg + "rect").Select(r => ((string?)r.Attribute("fill"))?.ToLowerInvariant()).ToList();
        // Bars plus one legend swatch per colour: two targets, two collected that met theirs (ana, and cho who has none), one short (ben).
        Assert.Equal((2 + 1, 2 + 1, 1 + 1), (fills.Count(f => f == ReportCharts.TargetColour), fills.Count(f => f == ReportCharts.MetColour), fills.Count(f => f == ReportCharts.ShortColour)));
        Assert.Null(ReportCharts.CollectedAgainstTarget(targets, "JPY"));

        var pack = Pack() with { Tables = [.. Pack().Tables, targets] };
        Assert.Equal(["aging-trend", "aging-summary", "roll-rates", "payments", "collector-targets"], ReportCharts.ForCurrency(pack, "USD").Select(c => c.Id));
    }

    [Fact]
    public void The_forecast_draws_what_falls_due_and_what_is_expected_week_by_week_and_is_left_out_when_nothing_is_scheduled()
    {
        var forecast = new ReportTable("Cash-flow forecast", ["Currency", "Week from", "Promises", "Installments", "Scheduled", "Expected"],
        [
            ["USD", new DateOnly(2026, 11, 30), 2, 1, 1500.00m, 1020.00m],
            ["USD", new DateOnly(2026, 12, 7), 0, 0, 0.00m, 0.00m],
            ["USD", new DateOnly(2026, 12, 14), 0, 3, 30000.00m, 24600.00m],
            ["USD", "total", 2, 4, 31500.00m, 25620.00m],
            ["EUR", new DateOnly(2026, 11, 30), 0, 0, 0.00m, 0.00m],
        ]);

        var chart = ReportCharts.ForecastByWeek(forecast, "USD")!;
        var document = XDocument.Parse(chart.Svg());
        Assert.Equal("USD expected receipts by week, from promises and plan installments", document.Root!.Element(Svg + "title")?.Value);
        var texts = Texts(document);
        foreach (var text in new[] { "11-30", "12-07", "12-14", "1,020", "24.6K", "Scheduled", "Expected", "Week from (Monday)", "Amount (USD)" })
        {
            Assert.Contains(text, texts);
        }

        // The total row is not a week; the week with nothing due has no label.
        Assert.DoesNotContain("25.6K", texts);
        var fills = document.Descendants(Svg + "rect").Select(r => ((string?)r.Attribute("fill"))?.ToLowerInvariant()).ToList();
        Assert.Equal(2 + 1, fills.Count(f => f == ReportCharts.ExpectedColour)); // two weeks with money, and the legend
        Assert.Null(ReportCharts.ForecastByWeek(forecast, "EUR"));
    }

    [Fact]
    public void Recovered_by_arm_draws_a_bar_per_segment_and_arm_coloured_by_champion_and_significance()
    {
        IReadOnlyList<object?> Row(string segment, string arm, string currency, int accounts, decimal perAccount, string? verdict) =>
            ["consumer", segment, arm, currency, accounts, perAccount * accounts, perAccount, 10m, 5m, 3 * accounts, 1.00m * accounts, null, null, null, verdict];
        var strategies = new ReportTable("Strategy performance 2026-10-31", ReportPacks.StrategyColumns,
        [
            Row("early", "champion", "USD", 800, 41.25m, "champion"),
            Row("early", "sms-first", "USD", 200, 58.10m, "recovered"),
            Row("late", "champion", "USD", 500, 12.00m, "champion"),
            Row("late", "calls", "USD", 120, 13.40m, "no"),
            Row("medical", "only", "USD", 90, 7.00m, null),
            Row("early", "champion", "EUR", 0, 0m, null),
        ]);

        var chart = ReportCharts.RecoveredByArm(strategies, "USD")!;
        var document = XDocument.Parse(chart.Svg());
        Assert.Equal("USD recovered per account by strategy arm", document.Root!.Element(Svg + "title")?.Value);
        var texts = Texts(document);
        foreach (var text in new[] { "early/champion", "early/sms-first", "late/champion", "late/calls", "medical/only", "41", "58", "12", "13", "7", "Recovered per account (USD)" })
        {
            Assert.Contains(text, texts);
        }

        var fills = document.Descendants(Svg + "rect").Select(r => ((string?)r.Attribute("fill"))?.ToLowerInvariant()).ToList();
        // Bars and one legend swatch each: three champions or only arms, one significant challenger, one not.
        Assert.Equal((3 + 1, 1 + 1, 1 + 1), (fills.Count(f => f == ReportCharts.ChampionColour), fills.Count(f => f == ReportCharts.SignificantColour), fills.Count(f => f == ReportCharts.NotSignificantColour)));
        Assert.Null(ReportCharts.RecoveredByArm(strategies, "EUR"));
    }

    [Fact]
    public void Charts_on_one_page_have_ids_of_their_own_and_each_clip_path_refers_to_its_own_chart()
    {
        var documents = ReportCharts.ForPack(Pack()).Select(c => XDocument.Parse(c.Svg())).ToList();

        var ids = documents.SelectMany(d => d.Descendants().Select(e => (string?)e.Attribute("id")).OfType<string>()).ToList();
        Assert.NotEmpty(ids);
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        foreach (var document in documents)
        {
            var own = document.Descendants().Select(e => (string?)e.Attribute("id")).OfType<string>().ToHashSet(StringComparer.Ordinal);
            var references = document.Descendants().Select(e => (string?)e.Attribute("clip-path")).OfType<string>().Select(r => r["url(#".Length..^1]).ToList();
            Assert.NotEmpty(references);
            Assert.All(references, r => Assert.Contains(r, own));
        }
    }

    [Fact]
    public void The_png_is_a_png_and_the_pdf_carries_every_chart_as_an_image_with_its_title_and_still_reads_back()
    {
        var pack = Pack();
        var charts = ReportCharts.ForPack(pack);
        var png = charts[0].Png();
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png.Take(4));

        using var pdf = PdfDocument.Open(ReportExports.Pdf(pack));
        Assert.Equal(charts.Count, pdf.GetPages().Sum(p => p.GetImages().Count()));
        var text = string.Join(' ', pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
        Assert.Contains("USD open receivables by aging bucket at each month end", text, StringComparison.Ordinal);
        Assert.Contains("123456.78", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(950, "950")]
    [InlineData(12_500, "12.5K")]
    [InlineData(1_240_000, "1.2M")]
    public void Axis_ticks_are_short_with_thousands_separators(double value, string expected) => Assert.Equal(expected, ReportCharts.Short(value));

    private static List<string> Texts(XDocument document) =>
        document.Descendants(Svg + "text").Select(t => t.Value.Trim()).Where(t => t.Length > 0).ToList();
}
