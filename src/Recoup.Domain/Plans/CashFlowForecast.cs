namespace Recoup.Domain.Plans;

/// <summary>Money expected on a date from one promise or installment, and how likely it is to come.</summary>
/// <param name="KeepRate">Between 0 and 1: the observed share of such payments that are kept.</param>
public readonly record struct ExpectedReceipt(DateOnly Due, long AmountMinor, decimal KeepRate, bool FromPromise);

/// <summary>One week of the forecast (Monday to Sunday): what is scheduled, and what is expected after the keep rates.</summary>
public sealed record ForecastWeek(DateOnly WeekStart, long ScheduledMinor, long ExpectedMinor, int Promises, int Installments);

/// <summary>
/// Expected receipts by week: each promise and installment due in the week counts for its amount
/// times its keep rate, rounded to the minor unit per week (never per item, so small items are not
/// lost to rounding). Anything already overdue counts in the first week.
/// </summary>
public static class CashFlowForecast
{
    public static IReadOnlyList<ForecastWeek> ByWeek(IEnumerable<ExpectedReceipt> receipts, DateOnly from, int weeks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(weeks, 1);
        var firstMonday = from.AddDays(-(((int)from.DayOfWeek + 6) % 7));
        var scheduled = new long[weeks];
        var expected = new decimal[weeks];
        var promises = new int[weeks];
        var installments = new int[weeks];
        foreach (var receipt in receipts)
        {
            var week = receipt.Due < from ? 0 : (receipt.Due.DayNumber - firstMonday.DayNumber) / 7;
            if (week >= weeks)
            {
                continue;
            }

            scheduled[week] += receipt.AmountMinor;
            expected[week] += receipt.AmountMinor * Math.Clamp(receipt.KeepRate, 0m, 1m);
            if (receipt.FromPromise)
            {
                promises[week]++;
            }
            else
            {
                installments[week]++;
            }
        }

        return Enumerable.Range(0, weeks)
            .Select(w => new ForecastWeek(firstMonday.AddDays(7 * w), scheduled[w], (long)decimal.Round(expected[w], 0, MidpointRounding.ToEven), promises[w], installments[w]))
            .ToList();
    }

    /// <summary>
    /// A keep rate from an item's own history, leaning on the portfolio's rate while that history is
    /// short: (kept + weight × portfolio) / (due + weight), with a weight of 3 observations.
    /// </summary>
    public static decimal Blend(int kept, int due, decimal portfolioRate, int weight = 3) =>
        due <= 0 ? portfolioRate : (kept + (weight * portfolioRate)) / (due + weight);
}
