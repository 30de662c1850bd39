namespace Recoup.Domain.Reporting;

/// <summary>One calendar month's credit sales, as countback DSO walks them from the latest back.</summary>
/// <param name="SalesMinor">What was billed in the month, in minor units.</param>
/// <param name="Days">The days the month contributes (its length, or fewer for a month cut by the period).</param>
public readonly record struct MonthSales(long SalesMinor, int Days);

/// <summary>The share of one aging bucket at the start of a month found in the next bucket at its end.</summary>
/// <param name="From">The bucket at the start (<c>current</c>).</param>
/// <param name="To">The next bucket at the end (<c>1-30</c>).</param>
/// <param name="Percent">Amount in <paramref name="To"/> at the end ÷ amount in <paramref name="From"/> at the start × 100; null when nothing was in <paramref name="From"/>.</param>
public sealed record RollRate(string From, string To, decimal? Percent);

/// <summary>
/// The receivables key performance indicators as pure formulas over amounts in minor units of one
/// currency. Each returns null where its denominator is zero (no sales, nothing to collect), never a
/// division error or an infinity. docs/kpis.md gives every formula with a worked example.
/// </summary>
/// <remarks>
/// Results are exact decimals; rounding (to two places, half away from zero) happens where they are
/// shown, by <see cref="Round"/>.
/// </remarks>
public static class Kpis
{
    /// <summary>Rounds a KPI for display and JSON: two decimal places, half away from zero, always written with both (68.20).</summary>
    public static decimal? Round(decimal? value) => value is { } v ? decimal.Round(v, 2, MidpointRounding.AwayFromZero) + 0.00m : null;

    /// <summary>Days sales outstanding, standard method: ending receivables ÷ credit sales of the period × days in the period.</summary>
    public static decimal? Dso(long endingReceivablesMinor, long creditSalesMinor, int days) =>
        creditSalesMinor <= 0 ? null : (decimal)endingReceivablesMinor / creditSalesMinor * days;

    /// <summary>
    /// Best possible DSO (the Credit Research Foundation's): ending <em>current</em> receivables ÷ credit
    /// sales × days — the DSO if every customer paid on its terms.
    /// </summary>
    public static decimal? BestPossibleDso(long endingCurrentMinor, long creditSalesMinor, int days) =>
        Dso(endingCurrentMinor, creditSalesMinor, days);

    /// <summary>Average days delinquent: DSO − best possible DSO, the days that late payment adds.</summary>
    public static decimal? AverageDaysDelinquent(decimal? dso, decimal? bestPossibleDso) =>
        dso is { } d && bestPossibleDso is { } b ? d - b : null;

    /// <summary>
    /// Countback DSO: takes the latest month's sales off the ending receivables and counts its days, then
    /// the month before, and so on; the month that the rest of the receivables only partly covers counts
    /// the same share of its days.
    /// </summary>
    /// <param name="endingReceivablesMinor">Receivables at the end of the latest month.</param>
    /// <param name="monthsLatestFirst">Monthly sales, the latest first.</param>
    /// <returns>
    /// The days; null when there are no sales at all. If the receivables outlast every month given, the
    /// answer is the days of all of them (a floor: give more months for the exact figure).
    /// </returns>
    public static decimal? CountbackDso(long endingReceivablesMinor, IReadOnlyList<MonthSales> monthsLatestFirst)
    {
        ArgumentNullException.ThrowIfNull(monthsLatestFirst);
        if (monthsLatestFirst.All(m => m.SalesMinor <= 0))
        {
            return null;
        }

        var left = endingReceivablesMinor;
        var days = 0m;
        foreach (var month in monthsLatestFirst)
        {
            if (left <= 0)
            {
                break;
            }

            if (month.SalesMinor <= 0)
            {
                days += month.Days; // nothing billed: the whole month passes with the balance still older
                continue;
            }

            if (left >= month.SalesMinor)
            {
                left -= month.SalesMinor;
                days += month.Days;
            }
            else
            {
                days += (decimal)left / month.SalesMinor * month.Days;
                left = 0;
            }
        }

        return days;
    }

    /// <summary>
    /// Collection effectiveness index, the Credit Research Foundation's formula:
    /// (beginning receivables + credit sales ÷ N − ending total receivables) ÷
    /// (beginning receivables + credit sales ÷ N − ending current receivables) × 100, where N is the
    /// number of months in the period.
    /// </summary>
    public static decimal? Cei(long beginningMinor, long creditSalesMinor, int months, long endingTotalMinor, long endingCurrentMinor)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(months);
        var monthlySales = (decimal)creditSalesMinor / months;
        var collectible = beginningMinor + monthlySales - endingCurrentMinor;
        return collectible <= 0 ? null : (beginningMinor + monthlySales - endingTotalMinor) / collectible * 100m;
    }

    /// <summary>Part ÷ whole × 100; null when the whole is zero.</summary>
    public static decimal? Percent(long part, long whole) => whole == 0 ? null : (decimal)part / whole * 100m;

    /// <summary>
    /// Liquidation rate: what was collected in the period ÷ what there was to collect (receivables at the
    /// start plus what was billed during it) × 100.
    /// </summary>
    public static decimal? LiquidationRate(long collectedMinor, long beginningMinor, long creditSalesMinor) =>
        Percent(collectedMinor, beginningMinor + creditSalesMinor);

    /// <summary>
    /// Roll (flow) rates between two agings a month apart: for each bucket but the last, the amount in the
    /// next bucket at the end ÷ the amount in the bucket at the start × 100.
    /// </summary>
    /// <param name="bucketNames">The buckets in order, <c>current</c> first.</param>
    /// <param name="startMinor">Amount per bucket at the start, in the order of <paramref name="bucketNames"/>.</param>
    /// <param name="endMinor">Amount per bucket at the end.</param>
    /// <param name="enteredLastMinor">
    /// Of the last, open-ended bucket at the end, the part that entered it since the start (past due by at
    /// most the previous bucket's upper bound plus the days between the agings). Without it the last
    /// bucket's whole amount would count as rolled in, though most of it was there already.
    /// </param>
    public static IReadOnlyList<RollRate> RollRates(IReadOnlyList<string> bucketNames, IReadOnlyList<long> startMinor, IReadOnlyList<long> endMinor, long? enteredLastMinor = null)
    {
        ArgumentNullException.ThrowIfNull(bucketNames);
        ArgumentNullException.ThrowIfNull(startMinor);
        ArgumentNullException.ThrowIfNull(endMinor);
        if (startMinor.Count != bucketNames.Count || endMinor.Count != bucketNames.Count)
        {
            throw new ArgumentException("One amount per bucket at the start and at the end");
        }

        var rates = new List<RollRate>(bucketNames.Count - 1);
        for (var i = 0; i + 1 < bucketNames.Count; i++)
        {
            var rolledIn = i + 2 == bucketNames.Count && enteredLastMinor is { } entered ? entered : endMinor[i + 1];
            rates.Add(new RollRate(bucketNames[i], bucketNames[i + 1], startMinor[i] <= 0 ? null : (decimal)rolledIn / startMinor[i] * 100m));
        }

        return rates;
    }

    /// <summary>The amount-weighted mean of days: Σ(days × amount) ÷ Σ amount; null when nothing was paid.</summary>
    public static decimal? WeightedAverageDays(IEnumerable<(int Days, long AmountMinor)> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        decimal weighted = 0m;
        long total = 0;
        foreach (var (days, amount) in items)
        {
            weighted += (decimal)days * amount;
            total = checked(total + amount);
        }

        return total == 0 ? null : weighted / total;
    }
}
