using System.Globalization;
using System.Net;
using System.Text;
using Recoup.Services.Reporting;

namespace Recoup.Web.Components.Reporting;

/// <summary>
/// The aging trend as a stacked bar chart in SVG, drawn on the server: one bar per month end, one
/// segment per bucket in the dashboard's bucket colours, the total above each bar. Plain SVG with a
/// title and a text legend, so it prints, scales and is read out by screen readers.
/// </summary>
public static class AgingTrendChart
{
    /// <summary>The dashboard's bucket colours (app.css <c>.bar-age-N</c>), current first.</summary>
    public static readonly IReadOnlyList<string> Colours = ["#5fb487", "#e9c255", "#e7a341", "#df7f3c", "#d05a34", "#b42318"];

    /// <summary>The chart of one currency's rows of the "Aging trend" table (<see cref="ReportPacks.AgingTrend"/>).</summary>
    public static string Svg(ReportTable trend, string currency)
    {
        ArgumentNullException.ThrowIfNull(trend);
        var rows = trend.Rows.Where(r => (string?)r[0] == currency).ToList();
        var buckets = trend.Columns.Skip(2).Take(trend.Columns.Count - 3).ToList();
        const int Width = 640, Height = 260, Left = 70, Right = 130, Top = 24, Bottom = 36;
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var largest = rows.Count == 0 ? 0m : rows.Max(r => (decimal)r[^1]!);
        var scale = largest <= 0 ? 0m : plotHeight / largest;
        var slot = rows.Count == 0 ? plotWidth : plotWidth / (double)rows.Count;
        var barWidth = Math.Min(56, slot * 0.6);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" style=\"width:100%;max-width:760px;height:auto\" role=\"img\" aria-labelledby=\"trend-title-{currency}\" class=\"chart\" data-testid=\"trend-chart-{currency}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"trend-title-{currency}\">{currency} open receivables by aging bucket at each month end</title>");
        svg.Append("<style>text{font:11px system-ui,sans-serif;fill:#4a5568}.total{font-weight:600;fill:#1f2937}</style>");

        // Grid lines at quarters of the largest total.
        for (var q = 0; q <= 4; q++)
        {
            var value = largest * q / 4;
            var y = Top + plotHeight - (double)(value * scale);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Left + plotWidth}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#e5e7eb\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{Short(value)}</text>");
        }

        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var x = Left + slot * i + (slot - barWidth) / 2;
            var y = (double)(Top + plotHeight);
            for (var b = 0; b < buckets.Count; b++)
            {
                var amount = (decimal)row[2 + b]!;
                var h = (double)(amount * scale);
                if (h <= 0)
                {
                    continue;
                }

                y -= h;
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{barWidth:0.#}\" height=\"{h:0.##}\" fill=\"{Colours[Math.Min(b, Colours.Count - 1)]}\"><title>{WebUtility.HtmlEncode(ReportTable.Text(row[1]))} {WebUtility.HtmlEncode(buckets[b])}: {ReportTable.Text(amount)}</title></rect>");
            }

            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"total\" x=\"{x + barWidth / 2:0.#}\" y=\"{y - 5:0.#}\" text-anchor=\"middle\">{Short((decimal)row[^1]!)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + barWidth / 2:0.#}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">{ReportTable.Text(row[1])}</text>");
        }

        for (var b = 0; b < buckets.Count; b++)
        {
            var y = Top + 4 + b * 18;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Width - Right + 18}\" y=\"{y}\" width=\"12\" height=\"12\" rx=\"2\" fill=\"{Colours[Math.Min(b, Colours.Count - 1)]}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right + 36}\" y=\"{y + 10}\">{WebUtility.HtmlEncode(buckets[b] == "current" ? "Current" : buckets[b] + " days")}</text>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>1,234,567 as 1.2M, 45,600 as 45.6K: axis labels that fit.</summary>
    public static string Short(decimal value) => value switch
    {
        >= 1_000_000m => (value / 1_000_000m).ToString("0.#", CultureInfo.InvariantCulture) + "M",
        >= 1_000m => (value / 1_000m).ToString("0.#", CultureInfo.InvariantCulture) + "K",
        _ => value.ToString("0", CultureInfo.InvariantCulture),
    };
}
