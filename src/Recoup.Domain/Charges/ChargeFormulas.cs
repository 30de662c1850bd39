using System.Globalization;

namespace Recoup.Domain.Charges;

/// <summary>A run of days on which the same principal was open: <see cref="Days"/> days from <see cref="From"/> on.</summary>
public readonly record struct PrincipalRun(DateOnly From, int Days, long PrincipalMinor);

/// <summary>
/// Interest to post for one invoice: <see cref="Minor"/> (whole minor units) and the state to carry to the next accrual.
/// </summary>
/// <param name="Minor">What to post now (zero or more).</param>
/// <param name="Numerator">The exact interest accrued so far, as principal-minor × rate-percent × days (divide by 36,500 for minor units).</param>
/// <param name="PostedMinor">What has been posted so far, this included.</param>
/// <param name="Basis">The basis in words, for the entry's memo: rate, days, principal.</param>
public sealed record InterestAccrual(long Minor, decimal Numerator, long PostedMinor, string Basis);

/// <summary>
/// The fee and interest formulas, in minor units, with one rounding rule: amounts are rounded to whole minor units
/// half away from zero (0.5 cent becomes 1 cent).
/// </summary>
/// <remarks>
/// Interest is simple, on the invoice's open principal at the end of each day, on a 365-day year (leap years too):
/// a day's interest is <c>principal × rate ÷ 100 ÷ 365</c>. It is never rounded day by day: the exact total since
/// interest started is kept (as the numerator <c>Σ principal × rate</c>, exact in decimal arithmetic), and each accrual
/// posts the rounded total less what was already posted. So however often the run goes, the interest posted always
/// equals the exact total rounded once — no cent is gained or lost to rounding.
/// </remarks>
public static class ChargeFormulas
{
    /// <summary>Days in the interest year.</summary>
    public const int DayBasis = 365;

    /// <summary>The rounding of every fee and interest amount to minor units.</summary>
    public const MidpointRounding Rounding = MidpointRounding.AwayFromZero;

    private const decimal Divisor = 100m * DayBasis;

    /// <summary>The late fee on an invoice with <paramref name="openPrincipalMinor"/> open: flat, or the percentage rounded, then capped.</summary>
    public static long LateFee(ChargeTerms terms, long openPrincipalMinor)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (openPrincipalMinor <= 0)
        {
            return 0;
        }

        var fee = terms.LateFee switch
        {
            LateFeeKind.None => 0,
            LateFeeKind.Flat => terms.LateFeeFlatMinor,
            LateFeeKind.Percent => (long)decimal.Round(openPrincipalMinor * terms.LateFeePercent / 100m, 0, Rounding),
        };
        return terms.LateFeeCapMinor is { } cap ? Math.Min(fee, cap) : fee;
    }

    /// <summary>The exact interest, in minor units, of a numerator (Σ principal × rate-percent × days).</summary>
    public static decimal ExactMinor(decimal numerator) => numerator / Divisor;

    /// <summary>The exact interest rounded to minor units by <see cref="Rounding"/>.</summary>
    public static long RoundedMinor(decimal numerator) => (long)decimal.Round(ExactMinor(numerator), 0, Rounding);

    /// <summary>
    /// Accrues interest at <paramref name="annualRatePercent"/> over <paramref name="runs"/> (days not yet accrued),
    /// carrying on from <paramref name="numerator"/> and <paramref name="postedMinor"/>.
    /// </summary>
    public static InterestAccrual Accrue(IReadOnlyList<PrincipalRun> runs, decimal annualRatePercent, decimal numerator, long postedMinor, Currency currency)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var added = 0m;
        var parts = new List<string>();
        foreach (var run in runs)
        {
            if (run.PrincipalMinor <= 0 || run.Days <= 0)
            {
                continue;
            }

            added += run.PrincipalMinor * annualRatePercent * run.Days;
            var to = run.From.AddDays(run.Days - 1);
            parts.Add(string.Create(CultureInfo.InvariantCulture,
                $"{new Money(run.PrincipalMinor, currency).ToDecimalString()} for {run.Days} day{(run.Days == 1 ? "" : "s")} ({run.From:yyyy-MM-dd}–{to:yyyy-MM-dd})"));
        }

        var total = numerator + added;
        var post = Math.Max(0, RoundedMinor(total) - postedMinor);
        var basis = parts.Count == 0 ? "" : string.Create(CultureInfo.InvariantCulture,
            $"Interest {annualRatePercent.ToString("0.######", CultureInfo.InvariantCulture)} % a year, simple, {DayBasis}-day year, on principal {string.Join("; ", parts)}");
        return new InterestAccrual(post, total, postedMinor + post, basis);
    }

    /// <summary>
    /// Splits the days from <paramref name="from"/> to <paramref name="to"/> (inclusive) into runs of equal open
    /// principal. <paramref name="changes"/> are the changes to the invoice's principal (billing, payments, credits) by
    /// effective date, in any order; the principal open at the end of a day is the sum of the changes up to that day.
    /// </summary>
    public static IReadOnlyList<PrincipalRun> Runs(DateOnly from, DateOnly to, IEnumerable<(DateOnly On, long Minor)> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var runs = new List<PrincipalRun>();
        if (to < from)
        {
            return runs;
        }

        var byDay = changes.GroupBy(c => c.On).Select(g => (On: g.Key, Minor: g.Sum(c => c.Minor))).OrderBy(c => c.On).ToList();
        long principal = 0;
        var i = 0;
        for (; i < byDay.Count && byDay[i].On <= from; i++)
        {
            principal += byDay[i].Minor;
        }

        var start = from;
        while (true)
        {
            var next = i < byDay.Count ? byDay[i].On : to.AddDays(1);
            var end = next > to ? to : next.AddDays(-1);
            if (end >= start)
            {
                runs.Add(new PrincipalRun(start, end.DayNumber - start.DayNumber + 1, principal));
            }

            if (i >= byDay.Count || next > to)
            {
                break;
            }

            principal += byDay[i].Minor;
            start = next;
            i++;
        }

        return runs;
    }

    /// <summary>The basis of a late fee, for the entry's memo.</summary>
    public static string LateFeeBasis(ChargeTerms terms, long openPrincipalMinor, long feeMinor)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var principal = new Money(openPrincipalMinor, terms.Currency).ToDecimalString();
        var capped = terms.LateFeeCapMinor is { } cap && feeMinor == cap ? $", capped at {new Money(cap, terms.Currency).ToDecimalString()}" : "";
        return terms.LateFee switch
        {
            LateFeeKind.Flat => $"Late fee, flat {new Money(terms.LateFeeFlatMinor, terms.Currency).ToDecimalString()}{capped}, on principal {principal} open {terms.LateFeeGraceDays.ToString(CultureInfo.InvariantCulture)} days after due",
            LateFeeKind.Percent => $"Late fee {terms.LateFeePercent.ToString("0.######", CultureInfo.InvariantCulture)} % of principal {principal}{capped}",
            LateFeeKind.None => "",
        };
    }
}
