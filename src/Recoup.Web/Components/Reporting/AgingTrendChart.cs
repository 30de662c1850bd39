using Recoup.Services.Reporting;
using Recoup.Services.Reporting.Charts;

namespace Recoup.Web.Components.Reporting;

/// <summary>
/// The aging trend as a stacked bar chart in SVG for the reports screen: one bar per month end, one segment per
/// bucket in the dashboard's bucket colours, the total above each bar. Drawn on the server by ScottPlot
/// (<see cref="ReportCharts.AgingTrend"/>), the same chart the PDF pack carries.
/// </summary>
public static class AgingTrendChart
{
    /// <summary>The dashboard's bucket colours (app.css <c>.bar-age-N</c>), current first.</summary>
    public static IReadOnlyList<string> Colours => ReportCharts.BucketColours;

    /// <summary>The chart of one currency's rows of the "Aging trend" table (<see cref="ReportPacks.AgingTrend"/>).</summary>
    public static string Svg(ReportTable trend, string currency) =>
        ReportCharts.AgingTrend(trend, currency).Svg($"trend-chart-{currency}");

    /// <summary>1,234,567 as 1.2M, 45,600 as 45.6K: axis labels that fit.</summary>
    public static string Short(decimal value) => ReportCharts.Short((double)value);
}
