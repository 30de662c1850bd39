using Microsoft.EntityFrameworkCore;
using Recoup.Domain;
using Recoup.Domain.Aging;
using Recoup.Domain.Reporting;
using Recoup.Services.Storage;
using Recoup.Services.Strategies;

namespace Recoup.Services.Reporting;

/// <summary>The two packs: a week's figures and a month's.</summary>
public enum PackKind
{
    /// <summary>The seven days ending on the as-of date.</summary>
    Weekly,

    /// <summary>The calendar month of the as-of date, from its first day to the as-of date (its last day for a full month).</summary>
    Monthly,
}

/// <summary>
/// Builds a report pack as of a date: the KPIs of the pack's period, the aging summary, the aging trend
/// over the last six month ends, and payments, write-offs and recoveries — one section per currency.
/// Every figure is a query over the ledger as of the date, so a pack for a past date is the pack the
/// system would have produced then.
/// </summary>
/// <param name="costs">What one contact of each kind costs, for the strategy performance section; default <see cref="ContactCosts.Default"/>.</param>
public sealed partial class ReportPacks(RecoupDatabase database, ReportTimings? timings = null, ContactCosts? costs = null)
{
    /// <summary>The contact costs the strategy performance section prices the steps with.</summary>
    public ContactCosts ContactCosts { get; } = costs ?? ContactCosts.Default;

    /// <summary>Month ends shown in the aging trend, the as-of date included.</summary>
    public const int TrendPoints = 6;

    public static (DateOnly From, DateOnly To) PeriodOf(PackKind kind, DateOnly asOf) => kind switch
    {
        PackKind.Weekly => (asOf.AddDays(-6), asOf),
        PackKind.Monthly => (new DateOnly(asOf.Year, asOf.Month, 1), asOf),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public async Task<ReportPack> BuildAsync(PackKind kind, DateOnly asOf, CancellationToken ct = default) =>
        await BuildAsync(kind, asOf, ReportFilter.None, ct);

    /// <summary>The pack for the accounts the filter selects; its title names the filter.</summary>
    public async Task<ReportPack> BuildAsync(PackKind kind, DateOnly asOf, ReportFilter filter, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var (from, to) = PeriodOf(kind, asOf);
        var currencies = filter.Currency is { } only ? [only] : await CurrenciesAsync(ct);
        var buckets = AgingBuckets.Default;

        // One query object: every currency's KPIs and the trend's month ends come from the same passes.
        var query = new KpiQuery(database, filter, timings);
        var trendDates = TrendDates(to);
        var kpis = await query.RunAsync(from, to, currencies, trendDates, ct);
        var disputes = await ReportTimings.TimeAsync(timings, "Disputes", () => new ReportSql(database, filter).DisputesAsync(from, to, ct));
        var trend = new List<AgingReport>();
        foreach (var date in trendDates)
        {
            trend.Add(await query.AgingAsync(date, buckets, ct));
        }

        var name = kind == PackKind.Weekly ? "weekly" : "monthly";
        var title = $"Recoup {name} report, {from:yyyy-MM-dd} to {to:yyyy-MM-dd}" + (filter.IsEmpty ? "" : $" ({filter.Describe()})");
        var sections = await SectionsAsync(filter, from, to, currencies, ct);
        return new ReportPack(name, title, from, to, [KpiTable(kpis), AgingSummary(trend[^1], buckets), AgingTrend(trend, currencies, buckets), Payments(kpis), Disputes(disputes, currencies, from, to), .. sections]);
    }

    /// <summary>The KPIs, one row per KPI and currency.</summary>
    public static ReportTable KpiTable(IReadOnlyList<KpiReport> reports)
    {
        var rows = new List<IReadOnlyList<object?>>();
        foreach (var report in reports)
        {
            var code = report.Request.Currency.Code;
            void Add(string kpi, decimal? value, string unit) => rows.Add([code, kpi, Kpis.Round(value), unit]);
            Add("DSO", report.Dso, "days");
            Add("DSO (countback)", report.DsoCountback, "days");
            Add("Best possible DSO", report.BestPossibleDso, "days");
            Add("Average days delinquent", report.AverageDaysDelinquent, "days");
            Add("CEI", report.Cei, "%");
            foreach (var rate in report.RollRates[^1].Rates)
            {
                Add($"Roll {rate.From} to {rate.To}", rate.Percent, "%");
            }

            Add("Liquidation rate", report.LiquidationRate, "%");
            Add("Promise-kept rate", report.PromiseKeptRate, "%");
            Add("Right-party-contact rate", report.RightPartyContactRate, "%");
            Add("Cure rate", report.CureRate, "%");
            Add("Average days to pay", report.AverageDaysToPay, "days");
        }

        return new ReportTable("KPIs", ["Currency", "KPI", "Value", "Unit"], rows);
    }

    /// <summary>Open receivables per bucket, with the number of open invoices and each bucket's share.</summary>
    public static ReportTable AgingSummary(AgingReport report, AgingBuckets buckets)
    {
        var rows = new List<IReadOnlyList<object?>>();
        foreach (var currency in report.Currencies)
        {
            foreach (var bucket in currency.Buckets)
            {
                rows.Add([currency.Currency.Code, bucket.Bucket.Name, ReportTable.Amount(bucket.Amount), bucket.Count, Kpis.Round(Kpis.Percent(bucket.Amount.Minor, currency.Total.Minor))]);
            }

            rows.Add([currency.Currency.Code, "total", ReportTable.Amount(currency.Total), currency.Count, currency.Total.IsZero ? null : 100.00m]);
        }

        return new ReportTable($"Aging summary {report.AsOf:yyyy-MM-dd}", ["Currency", "Bucket", "Amount", "Invoices", "Share %"], rows);
    }

    /// <summary>Open receivables per bucket at each month end of the trend.</summary>
    public static ReportTable AgingTrend(IReadOnlyList<AgingReport> reports, IReadOnlyList<Currency> currencies, AgingBuckets buckets)
    {
        var rows = new List<IReadOnlyList<object?>>();
        foreach (var currency in currencies)
        {
            foreach (var report in reports)
            {
                var section = report.Currencies.FirstOrDefault(c => c.Currency == currency);
                var amounts = buckets.Buckets.Select((_, i) => (object?)ReportTable.Amount(section?.Buckets[i].Amount ?? Money.Zero(currency)));
                rows.Add([currency.Code, report.AsOf, .. amounts, ReportTable.Amount(section?.Total ?? Money.Zero(currency))]);
            }
        }

        return new ReportTable("Aging trend", ["Currency", "As of", .. buckets.Buckets.Select(b => b.Name), "Total"], rows);
    }

    /// <summary>Billed, collected, written off and recovered in the period.</summary>
    public static ReportTable Payments(IReadOnlyList<KpiReport> reports) => new(
        "Payments and write-offs",
        ["Currency", "Billed", "Collected", "Written off", "Recovered"],
        reports.Select(r => (IReadOnlyList<object?>)[
            r.Request.Currency.Code,
            ReportTable.Amount(new Money(r.Inputs.CreditSalesMinor, r.Request.Currency)),
            ReportTable.Amount(r.Collected),
            ReportTable.Amount(r.WrittenOff),
            ReportTable.Amount(r.Recovered)]).ToList());

    /// <summary>
    /// Per currency: disputes opened in the period and their amount; resolved in it, with the average
    /// days from opening to resolution and how many were resolved after their due date; and open at the
    /// period's end (opened by then, not resolved by then), their amount and how many are past their due date.
    /// </summary>
    internal static ReportTable Disputes(IReadOnlyList<ReportSql.DisputeGroup> groups, IReadOnlyList<Currency> currencies, DateOnly from, DateOnly to)
    {
        var rows = new List<IReadOnlyList<object?>>();
        foreach (var currency in currencies)
        {
            var all = groups.Where(g => g.Currency == currency).ToList();
            var opened = all.Where(g => g.OpenedOn >= from).ToList();
            var resolved = all.Where(g => g.ResolvedOn is { } on && on >= from && on <= to).ToList();
            var open = all.Where(g => g.ResolvedOn is null || g.ResolvedOn > to).ToList();
            var resolvedCount = resolved.Sum(g => g.Count);
            decimal? cycle = resolvedCount == 0 ? null
                : Kpis.Round((decimal)resolved.Sum(g => (long)(g.ResolvedOn!.Value.DayNumber - g.OpenedOn.DayNumber) * g.Count) / resolvedCount);
            rows.Add([
                currency.Code,
                opened.Sum(g => g.Count),
                ReportTable.Amount(new Money(opened.Sum(g => g.AmountMinor), currency)),
                resolvedCount,
                cycle,
                resolved.Where(g => g.ResolvedOn > g.DueOn).Sum(g => g.Count),
                open.Sum(g => g.Count),
                ReportTable.Amount(new Money(open.Sum(g => g.AmountMinor), currency)),
                open.Where(g => g.DueOn < to).Sum(g => g.Count)]);
        }

        return new ReportTable("Disputes", ["Currency", "Opened", "Amount opened", "Resolved", "Average days to resolve", "Resolved late", "Open at end", "Amount open", "Open past due date"], rows);
    }

    /// <summary>The last <see cref="TrendPoints"/> month ends up to the date, the date itself last.</summary>
    public static IReadOnlyList<DateOnly> TrendDates(DateOnly asOf)
    {
        var dates = new List<DateOnly> { asOf };
        var monthEnd = new DateOnly(asOf.Year, asOf.Month, 1).AddDays(-1);
        while (dates.Count < TrendPoints)
        {
            dates.Add(monthEnd);
            monthEnd = new DateOnly(monthEnd.Year, monthEnd.Month, 1).AddDays(-1);
        }

        dates.Reverse();
        return dates;
    }

    private async Task<List<Currency>> CurrenciesAsync(CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var currencies = await db.Accounts.AsNoTracking().Select(a => a.Currency).Distinct().ToListAsync(ct);
        return currencies.OrderBy(c => c.Code, StringComparer.Ordinal).ToList();
    }
}
