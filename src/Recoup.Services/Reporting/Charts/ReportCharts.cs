using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using ScottPlot;
using SkiaSharp;

namespace Recoup.Services.Reporting.Charts;

/// <summary>
/// One chart of a report, drawn with ScottPlot on the server: as SVG for the screen (scales with the page,
/// prints sharply, has a title for screen readers) and as PNG for the PDF pack. Both come from the same plot.
/// </summary>
public sealed partial class ReportChart
{
    private readonly Func<Plot> _create;

    internal ReportChart(string id, string title, string currency, Func<Plot> create)
    {
        Id = id;
        Title = title;
        Currency = currency;
        _create = create;
    }

    /// <summary>What it shows, e.g. <c>aging-trend</c>; with the currency it names the chart on the screen (<c>data-testid="aging-trend-chart-USD"</c>).</summary>
    public string Id { get; }

    /// <summary>The title drawn above the plot, which is also the SVG's accessible name.</summary>
    public string Title { get; }

    public string Currency { get; }

    public const int Width = 720;
    public const int Height = 340;

    /// <summary>
    /// The chart as an inline SVG element (no XML declaration): a viewBox so it scales to its container, <c>role="img"</c>
    /// and a <c>&lt;title&gt;</c> for screen readers, and <paramref name="testId"/> as <c>data-testid</c>.
    /// </summary>
    public string Svg(string? testId = null)
    {
        string xml;
        lock (ReportCharts.RenderLock)
        {
            using var plot = _create();
            xml = plot.GetSvgXml(Width, Height);
        }

        var start = xml.IndexOf("<svg", StringComparison.Ordinal);
        var close = xml.IndexOf('>', start);
        var attributes = $" viewBox=\"0 0 {Width} {Height}\" role=\"img\" class=\"chart\" style=\"width:100%;max-width:{Width + 40}px;height:auto\" aria-label=\"{WebUtility.HtmlEncode(Title)}\""
            + (testId is null ? "" : $" data-testid=\"{WebUtility.HtmlEncode(testId)}\"");
        var root = SizeAttributes().Replace(xml[start..close], "");

        // Several charts share one page: their clip paths' ids (cl_4, …) must not collide, or a chart clips to another's rectangle.
        var prefix = NotIdCharacters().Replace(testId ?? $"{Id}-{Currency}", "-") + "-";
        var content = xml[(close + 1)..]
            .Replace(" id=\"", " id=\"" + prefix, StringComparison.Ordinal)
            .Replace("url(#", "url(#" + prefix, StringComparison.Ordinal)
            .Replace("href=\"#", "href=\"#" + prefix, StringComparison.Ordinal);
        return root + attributes + ">" + $"<title>{WebUtility.HtmlEncode(Title)}</title>" + content;
    }

    /// <summary>The chart as a PNG at twice <see cref="Width"/> × <see cref="Height"/>, sharp when printed at half size.</summary>
    public byte[] Png()
    {
        lock (ReportCharts.RenderLock)
        {
            using var plot = _create();
            plot.ScaleFactor = 2;
            return plot.GetImageBytes(Width * 2, Height * 2, ImageFormat.Png);
        }
    }

    [GeneratedRegex("\\s(width|height)=\"[^\"]*\"")]
    private static partial Regex SizeAttributes();

    [GeneratedRegex("[^A-Za-z0-9_-]")]
    private static partial Regex NotIdCharacters();
}

/// <summary>
/// The charts of the report packs (<see cref="ReportPacks"/>), one set per currency: the aging trend (a bar per month
/// end, stacked by bucket), the aging summary (a bar per bucket), the roll rates between buckets, and what was billed,
/// collected, written off and recovered in the period. Every chart has a title, labelled axes, amounts in the currency
/// with thousands separators, and the dashboard's bucket colours (green to red as debt ages).
/// </summary>
/// <remarks>
/// ScottPlot draws with SkiaSharp; the Linux native library is the build without system dependencies (no fontconfig),
/// so the fonts are DejaVu Sans shipped inside this assembly and every chart uses them: text renders the same on a
/// machine with no fonts installed.
/// </remarks>
public static class ReportCharts
{
    /// <summary>The dashboard's bucket colours (app.css <c>.bar-age-N</c>), current first.</summary>
    public static readonly IReadOnlyList<string> BucketColours = ["#5fb487", "#e9c255", "#e7a341", "#df7f3c", "#d05a34", "#b42318"];

    /// <summary>The family name every chart asks for; <see cref="EmbeddedFonts"/> answers it with DejaVu Sans.</summary>
    public const string FontName = "DejaVu Sans";

    private static readonly string[] PaymentColours = ["#64748b", "#2f855a", "#c05621", "#2b6cb0"];

    /// <summary>Plots are drawn one at a time: ScottPlot's font cache and SkiaSharp's SVG writer are shared.</summary>
    internal static readonly object RenderLock = new();

    static ReportCharts() => EmbeddedFonts.Register();

    /// <summary>Every chart of the pack, currency by currency in the order of its KPI table.</summary>
    public static IReadOnlyList<ReportChart> ForPack(ReportPack pack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        var charts = new List<ReportChart>();
        foreach (var currency in Currencies(pack))
        {
            charts.AddRange(ForCurrency(pack, currency));
        }

        return charts;
    }

    /// <summary>The currencies of the pack, as its KPI table lists them.</summary>
    public static IReadOnlyList<string> Currencies(ReportPack pack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        return Table(pack, "KPIs") is { } kpis ? kpis.Rows.Select(r => (string)r[0]!).Distinct().ToList() : [];
    }

    /// <summary>One currency's charts of the pack.</summary>
    public static IReadOnlyList<ReportChart> ForCurrency(ReportPack pack, string currency)
    {
        ArgumentNullException.ThrowIfNull(pack);
        var charts = new List<ReportChart>();
        if (Table(pack, "Aging trend") is { } trend)
        {
            charts.Add(AgingTrend(trend, currency));
        }

        if (Table(pack, "Aging summary") is { } summary)
        {
            charts.Add(AgingSummary(summary, currency));
        }

        if (Table(pack, "KPIs") is { } kpis)
        {
            charts.Add(RollRates(kpis, currency));
        }

        if (Table(pack, "Payments and write-offs") is { } payments)
        {
            charts.Add(Payments(payments, currency));
        }

        if (Table(pack, "Cash-flow forecast") is { } forecast && ForecastByWeek(forecast, currency) is { } weeks)
        {
            charts.Add(weeks);
        }

        if (Table(pack, "Strategy performance") is { } strategies && RecoveredByArm(strategies, currency) is { } arms)
        {
            charts.Add(arms);
        }

        if (Table(pack, "Collector targets") is { } targets && CollectedAgainstTarget(targets, currency) is { } collectors)
        {
            charts.Add(collectors);
        }

        return charts;
    }

    /// <summary>
    /// The aging trend (<see cref="ReportPacks.AgingTrend"/>): one bar per month end, one segment per bucket stacked
    /// from current at the bottom to the oldest on top, the total above each bar.
    /// </summary>
    public static ReportChart AgingTrend(ReportTable trend, string currency)
    {
        ArgumentNullException.ThrowIfNull(trend);
        var rows = trend.Rows.Where(r => (string?)r[0] == currency).ToList();
        var buckets = trend.Columns.Skip(2).Take(trend.Columns.Count - 3).ToList();
        var title = $"{currency} open receivables by aging bucket at each month end";
        return new ReportChart("aging-trend", title, currency, () =>
        {
            var plot = NewPlot(title, "Month end", $"Open receivables ({currency})");
            var bars = new List<Bar>();
            for (var i = 0; i < rows.Count; i++)
            {
                var bottom = 0d;
                for (var b = 0; b < buckets.Count; b++)
                {
                    var amount = (double)(decimal)rows[i][2 + b]!;
                    if (amount > 0)
                    {
                        bars.Add(new Bar { Position = i, ValueBase = bottom, Value = bottom + amount, FillColor = Colour(BucketColours[Math.Min(b, BucketColours.Count - 1)]), LineWidth = 0, Size = 0.6 });
                        bottom += amount;
                    }
                }

                var total = (decimal)rows[i][^1]!;
                var label = plot.Add.Text(Amount(total), i, (double)total);
                label.LabelFontName = FontName;
                label.LabelFontSize = 11;
                label.LabelBold = true;
                label.LabelFontColor = Colour("#1f2937");
                label.LabelAlignment = Alignment.LowerCenter;
                label.OffsetY = -3;
            }

            plot.Add.Bars(bars);
            plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, rows.Count).Select(i => (double)i)], [.. rows.Select(r => ReportTable.Text(r[1]))]);
            Legend(plot, buckets.Select((name, b) => (BucketLabel(name), BucketColours[Math.Min(b, BucketColours.Count - 1)])));
            AmountAxis(plot, rows.Count == 0 ? 0 : rows.Max(r => (double)(decimal)r[^1]!));
            plot.Axes.SetLimitsX(-0.6, Math.Max(rows.Count, 1) - 0.4);
            return plot;
        });
    }

    /// <summary>The aging summary (<see cref="ReportPacks.AgingSummary"/>): one bar per bucket, its amount above it.</summary>
    public static ReportChart AgingSummary(ReportTable summary, string currency)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var rows = summary.Rows.Where(r => (string?)r[0] == currency && (string?)r[1] != "total").ToList();
        var asOf = summary.Title.Replace("Aging summary", "", StringComparison.Ordinal).Trim();
        var title = $"{currency} open receivables by aging bucket on {asOf}";
        return new ReportChart("aging-summary", title, currency, () =>
        {
            var plot = NewPlot(title, "Days past due", $"Open receivables ({currency})");
            var bars = new List<Bar>();
            for (var i = 0; i < rows.Count; i++)
            {
                var amount = (decimal)rows[i][2]!;
                bars.Add(new Bar { Position = i, Value = (double)amount, FillColor = Colour(BucketColours[Math.Min(i, BucketColours.Count - 1)]), LineWidth = 0, Size = 0.6, Label = Amount(amount) });
            }

            var plotted = plot.Add.Bars(bars);
            ValueLabels(plotted);
            plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, rows.Count).Select(i => (double)i)], [.. rows.Select(r => BucketLabel((string)r[1]!))]);
            AmountAxis(plot, rows.Count == 0 ? 0 : rows.Max(r => (double)(decimal)r[2]!));
            plot.Axes.SetLimitsX(-0.6, Math.Max(rows.Count, 1) - 0.4);
            return plot;
        });
    }

    /// <summary>The roll rates of the KPI table (<c>Roll X to Y</c> rows): the share of each bucket that moved to the next in the last month.</summary>
    public static ReportChart RollRates(ReportTable kpis, string currency)
    {
        ArgumentNullException.ThrowIfNull(kpis);
        var rows = kpis.Rows.Where(r => (string?)r[0] == currency && ((string)r[1]!).StartsWith("Roll ", StringComparison.Ordinal)).ToList();
        var title = $"{currency} roll rates: share of each bucket that rolled to the next over the last month";
        return new ReportChart("roll-rates", title, currency, () =>
        {
            var plot = NewPlot(title, "From bucket to the next", "Rolled forward (%)");
            var bars = new List<Bar>();
            for (var i = 0; i < rows.Count; i++)
            {
                var value = rows[i][2] as decimal?;
                bars.Add(new Bar
                {
                    Position = i,
                    Value = (double)(value ?? 0m),
                    FillColor = Colour(BucketColours[Math.Min(i + 1, BucketColours.Count - 1)]),
                    LineWidth = 0,
                    Size = 0.6,
                    Label = value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) + " %" : "n/a",
                });
            }

            var plotted = plot.Add.Bars(bars);
            ValueLabels(plotted);
            plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, rows.Count).Select(i => (double)i)], [.. rows.Select(r => ((string)r[1]!)["Roll ".Length..].Replace(" to ", " → ", StringComparison.Ordinal))]);
            var top = rows.Select(r => r[2] as decimal? ?? 0m).DefaultIfEmpty(0m).Max();
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = v => v.ToString("0", CultureInfo.InvariantCulture) + " %" };
            plot.Axes.SetLimitsY(0, Math.Max(10, (double)top * 1.15));
            plot.Axes.SetLimitsX(-0.6, Math.Max(rows.Count, 1) - 0.4);
            return plot;
        });
    }

    /// <summary>Billed, collected, written off and recovered in the pack's period (<see cref="ReportPacks.Payments"/>).</summary>
    public static ReportChart Payments(ReportTable payments, string currency)
    {
        ArgumentNullException.ThrowIfNull(payments);
        var row = payments.Rows.FirstOrDefault(r => (string?)r[0] == currency);
        var names = payments.Columns.Skip(1).ToList();
        var title = $"{currency} billed, collected, written off and recovered in the period";
        return new ReportChart("payments", title, currency, () =>
        {
            var plot = NewPlot(title, "", $"Amount ({currency})");
            var bars = new List<Bar>();
            for (var i = 0; i < names.Count; i++)
            {
                var amount = row?[1 + i] as decimal? ?? 0m;
                bars.Add(new Bar { Position = i, Value = (double)amount, FillColor = Colour(PaymentColours[i % PaymentColours.Length]), LineWidth = 0, Size = 0.6, Label = Amount(amount) });
            }

            var plotted = plot.Add.Bars(bars);
            ValueLabels(plotted);
            plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, names.Count).Select(i => (double)i)], [.. names]);
            AmountAxis(plot, bars.Count == 0 ? 0 : bars.Max(b => b.Value));
            plot.Axes.SetLimitsX(-0.6, Math.Max(names.Count, 1) - 0.4);
            return plot;
        });
    }

    /// <summary>
    /// The cash-flow forecast (<see cref="ReportPacks"/>' forecast table) week by week: what promises and plan
    /// installments fall due (scheduled, pale) beside what is expected to arrive once each is weighed by its keep rate
    /// (expected, blue), the expected amount above its bar; null when nothing is scheduled in the currency.
    /// </summary>
    public static ReportChart? ForecastByWeek(ReportTable forecast, string currency)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        var weeks = forecast.Rows
            .Where(r => (string?)r[0] == currency && r[1] is DateOnly)
            .Select(r => (Week: (DateOnly)r[1]!, Scheduled: r[4] as decimal? ?? 0m, Expected: r[5] as decimal? ?? 0m))
            .OrderBy(r => r.Week)
            .ToList();
        if (weeks.All(w => w.Scheduled == 0m))
        {
            return null;
        }

        var title = $"{currency} expected receipts by week, from promises and plan installments";
        return new ReportChart("forecast", title, currency, () =>
        {
            var plot = NewPlot(title, "Week from (Monday)", $"Amount ({currency})");
            var bars = new List<Bar>();
            for (var i = 0; i < weeks.Count; i++)
            {
                var (_, scheduled, expected) = weeks[i];
                bars.Add(PairBar(i, 0, (double)scheduled, ScheduledColour, ""));
                bars.Add(PairBar(i, 1, (double)expected, ExpectedColour, expected == 0m ? "" : Short((double)expected)));
            }

            var plotted = plot.Add.Bars(bars);
            ValueLabels(plotted);
            plotted.ValueLabelStyle.FontSize = 9;
            PairAxis(plot, [.. weeks.Select(w => w.Week.ToString("MM-dd", CultureInfo.InvariantCulture))]);
            AmountAxis(plot, bars.Max(b => b.Value));
            Legend(plot, [("Scheduled", ScheduledColour), ("Expected", ExpectedColour)]);
            return plot;
        });
    }

    /// <summary>The forecast's bars: what falls due, and what is expected to arrive.</summary>
    public const string ScheduledColour = "#cbd5e0", ExpectedColour = "#2b6cb0";

    /// <summary>The most arms <see cref="RecoveredByArm"/> draws (those with the most accounts); the table lists them all.</summary>
    public const int MostArms = 12;

    /// <summary>
    /// Recovered per account in each strategy arm (<see cref="ReportPacks"/>' strategy performance table), a bar per
    /// segment and arm labelled <c>segment/arm</c>: the champion (or a segment's only arm) in slate, a challenger in
    /// green when its difference from the champion is significant at 95 %, pale when it is not yet; null when no arm
    /// has accounts in the currency.
    /// </summary>
    public static ReportChart? RecoveredByArm(ReportTable strategies, string currency)
    {
        ArgumentNullException.ThrowIfNull(strategies);
        var arms = strategies.Rows
            .Where(r => (string?)r[3] == currency && r[4] is int accounts && accounts > 0)
            .OrderByDescending(r => (int)r[4]!).ThenBy(r => (string)r[1]!, StringComparer.Ordinal).ThenBy(r => (string)r[2]!, StringComparer.Ordinal)
            .Take(MostArms)
            .OrderBy(r => (string)r[0]!, StringComparer.Ordinal).ThenBy(r => (string)r[1]!, StringComparer.Ordinal).ThenBy(r => (string?)r[14] == "champion" ? 0 : 1).ThenBy(r => (string)r[2]!, StringComparer.Ordinal)
            .Select(r => (Label: $"{r[1]}/{r[2]}", PerAccount: r[6] as decimal? ?? 0m, Verdict: (string?)r[14]))
            .ToList();
        if (arms.Count == 0)
        {
            return null;
        }

        var title = $"{currency} recovered per account by strategy arm";
        return new ReportChart("strategy-arms", title, currency, () =>
        {
            var plot = NewPlot(title, "Segment/arm", $"Recovered per account ({currency})");
            var bars = new List<Bar>();
            for (var i = 0; i < arms.Count; i++)
            {
                var (_, perAccount, verdict) = arms[i];
                var colour = verdict is null or "champion" ? ChampionColour : verdict is "no" or "no test" ? NotSignificantColour : SignificantColour;
                bars.Add(new Bar { Position = i, Value = (double)perAccount, FillColor = Colour(colour), LineWidth = 0, Size = 0.6, Label = Amount(perAccount) });
            }

            var plotted = plot.Add.Bars(bars);
            ValueLabels(plotted);
            plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, arms.Count).Select(i => (double)i)], [.. arms.Select(a => a.Label)]);
            plot.Axes.Bottom.TickLabelStyle.FontSize = arms.Count > 6 ? 9 : 11;
            AmountAxis(plot, bars.Max(b => b.Value));
            plot.Axes.SetLimitsX(-0.6, arms.Count - 0.4);
            Legend(plot, [("Champion", ChampionColour), ("Challenger, significant", SignificantColour), ("Challenger, not yet", NotSignificantColour)]);
            return plot;
        });
    }

    /// <summary>The strategy arms' bars: the champion, a challenger whose difference is significant, one whose is not (yet).</summary>
    public const string ChampionColour = "#4a5568", SignificantColour = "#2f855a", NotSignificantColour = "#a0aec0";

    /// <summary>The most collectors <see cref="CollectedAgainstTarget"/> draws; the table lists them all.</summary>
    public const int MostCollectors = 12;

    /// <summary>
    /// What each collector collected in the month against the target a supervisor set (<see cref="ReportPacks"/>'
    /// collector targets table): a grey bar for the target and, beside it, the amount collected — green when it met
    /// the target (or there is none), orange when it fell short. The <see cref="MostCollectors"/> who collected most;
    /// null when no collector has a row in the currency.
    /// </summary>
    public static ReportChart? CollectedAgainstTarget(ReportTable targets, string currency)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var rows = targets.Rows
            .Where(r => (string?)r[1] == "Collected" && (string?)r[2] == currency)
            .Select(r => (Collector: (string)r[0]!, Target: r[3] as decimal?, Actual: r[4] as decimal? ?? 0m))
            .OrderByDescending(r => r.Actual).ThenBy(r => r.Collector, StringComparer.Ordinal)
            .Take(MostCollectors)
            .ToList();
        if (rows.Count == 0)
        {
            return null;
        }

        var month = targets.Title.Replace("Collector targets", "", StringComparison.Ordinal).Trim();
        var title = $"{currency} collected against target by collector, {month}";
        return new ReportChart("collector-targets", title, currency, () =>
        {
            var plot = NewPlot(title, "Collector", $"Collected ({currency})");
            var bars = new List<Bar>();
            for (var i = 0; i < rows.Count; i++)
            {
                var (_, target, actual) = rows[i];
                if (target is { } goal)
                {
                    bars.Add(PairBar(i, 0, (double)goal, TargetColour, Amount(goal)));
                }

                var met = target is not { } g || actual >= g;
                bars.Add(PairBar(i, 1, (double)actual, met ? MetColour : ShortColour, Amount(actual)));
            }

            var plotted = plot.Add.Bars(bars);
            ValueLabels(plotted);
            PairAxis(plot, [.. rows.Select(r => r.Collector)]);
            AmountAxis(plot, bars.Max(b => b.Value));
            Legend(plot, [("Target", TargetColour), ("Collected, target met", MetColour), ("Collected, below target", ShortColour)]);
            return plot;
        });
    }

    /// <summary>The target's bar, and the collected bar when the target was met and when it was not.</summary>
    public const string TargetColour = "#94a3b8", MetColour = "#2f855a", ShortColour = "#dd6b20";

    /// <summary>An amount with thousands separators and no decimals (12,345), as axis and bar labels show it.</summary>
    public static string Amount(decimal value) => Math.Round(value, 0, MidpointRounding.AwayFromZero).ToString("#,##0", CultureInfo.InvariantCulture);

    /// <summary>An axis tick: 1.2M, 45.6K or 950, with thousands separators.</summary>
    public static string Short(double value) => Math.Abs(value) switch
    {
        >= 1_000_000 => (value / 1_000_000).ToString("#,##0.#", CultureInfo.InvariantCulture) + "M",
        >= 10_000 => (value / 1_000).ToString("#,##0.#", CultureInfo.InvariantCulture) + "K",
        _ => value.ToString("#,##0", CultureInfo.InvariantCulture),
    };

    /// <summary>The legend's name of a bucket: <c>Current</c>, <c>1-30 days</c>.</summary>
    public static string BucketLabel(string bucket) => bucket == "current" ? "Current" : bucket + " days";

    private static ReportTable? Table(ReportPack pack, string titleStart) =>
        pack.Tables.FirstOrDefault(t => t.Title.StartsWith(titleStart, StringComparison.Ordinal));

    private static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(FontName);
        plot.Title(title, size: 15);
        plot.Axes.Title.Label.FontName = FontName;
        plot.Axes.Title.Label.Bold = true;
        plot.Axes.Title.Label.ForeColor = Colour("#1f2937");
        plot.XLabel(xLabel, size: 12);
        plot.YLabel(yLabel, size: 12);
        foreach (var axis in plot.Axes.GetAxes())
        {
            axis.Label.ForeColor = Colour("#4a5568");
            axis.TickLabelStyle.ForeColor = Colour("#4a5568");
            axis.TickLabelStyle.FontSize = 11;
            axis.FrameLineStyle.Color = Colour("#cbd5e0");
        }

        plot.Grid.MajorLineColor = Colour("#e5e7eb");
        plot.Grid.XAxisStyle.IsVisible = false;
        return plot;
    }

    /// <summary>One of the two bars (<paramref name="side"/> 0 or 1) of the <paramref name="pair"/>th pair, a gap after each pair.</summary>
    private static Bar PairBar(int pair, int side, double value, string colour, string label) =>
        new() { Position = 3 * pair + side, Value = value, FillColor = Colour(colour), LineWidth = 0, Size = 0.9, Label = label };

    /// <summary>A label under each pair of <see cref="PairBar"/>s, and room for all of them.</summary>
    private static void PairAxis(Plot plot, IReadOnlyList<string> labels)
    {
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, labels.Count).Select(i => 3.0 * i + 0.5)], [.. labels]);
        plot.Axes.SetLimitsX(-1, 3 * labels.Count - 1);
    }

    private static void AmountAxis(Plot plot, double largest)
    {
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = Short };
        plot.Axes.SetLimitsY(0, largest <= 0 ? 1 : largest * 1.15);
    }

    private static void ValueLabels(ScottPlot.Plottables.BarPlot bars)
    {
        bars.ValueLabelStyle.FontName = FontName;
        bars.ValueLabelStyle.FontSize = 11;
        bars.ValueLabelStyle.Bold = true;
        bars.ValueLabelStyle.ForeColor = Colour("#1f2937");
    }

    private static void Legend(Plot plot, IEnumerable<(string Label, string Colour)> items)
    {
        foreach (var (label, colour) in items)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = label, FillColor = Colour(colour), LabelFontName = FontName, LabelFontSize = 11 });
        }

        plot.Legend.FontName = FontName;
        plot.ShowLegend(Edge.Right);
    }

    private static Color Colour(string hex) => Color.FromHex(hex);
}

/// <summary>
/// DejaVu Sans (regular and bold) from this assembly's resources, answering every font ScottPlot asks for: the
/// SkiaSharp native library used on Linux has no fontconfig, so no system font would be found.
/// </summary>
internal sealed class EmbeddedFonts : IFontResolver
{
    private static readonly Lazy<SKTypeface> Regular = new(() => Load("DejaVuSans.ttf"));
    private static readonly Lazy<SKTypeface> BoldFace = new(() => Load("DejaVuSans-Bold.ttf"));
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
        {
            Fonts.FontResolvers.Insert(0, new EmbeddedFonts());
            Fonts.Default = ReportCharts.FontName;
            Fonts.Sans = ReportCharts.FontName;
        }
    }

    public SKTypeface CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing width) =>
        (int)weight >= (int)FontWeight.SemiBold ? BoldFace.Value : Regular.Value;

    public SKTypeface CreateTypeface(string fontName, bool bold, bool italic) => bold ? BoldFace.Value : Regular.Value;

    private static SKTypeface Load(string file)
    {
        using var stream = typeof(EmbeddedFonts).Assembly.GetManifestResourceStream("Recoup.Fonts." + file)
            ?? throw new InvalidOperationException($"The font {file} is not embedded in {typeof(EmbeddedFonts).Assembly.GetName().Name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        using var data = SKData.CreateCopy(copy.ToArray());
        return SKTypeface.FromData(data) ?? throw new InvalidOperationException($"SkiaSharp could not read the embedded font {file}");
    }
}
