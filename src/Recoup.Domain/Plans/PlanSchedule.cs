namespace Recoup.Domain.Plans;

/// <summary>How often a plan's installments fall due.</summary>
public enum PlanFrequency
{
    Weekly,
    BiWeekly,

    /// <summary>Twice a month: on the first due date's day and fifteen days later (see <see cref="PlanSchedule.DueDate"/>).</summary>
    SemiMonthly,

    Monthly,
}

/// <summary>How a frequency is written in the API, the CLI and the screens: <c>weekly</c>, <c>bi-weekly</c>, <c>semi-monthly</c>, <c>monthly</c>.</summary>
public static class PlanFrequencies
{
    public static string Name(PlanFrequency frequency) => frequency switch
    {
        PlanFrequency.Weekly => "weekly",
        PlanFrequency.BiWeekly => "bi-weekly",
        PlanFrequency.SemiMonthly => "semi-monthly",
        PlanFrequency.Monthly => "monthly",
    };

    /// <summary>The frequency named (also <c>biweekly</c>, <c>bi_weekly</c> and the like), or null.</summary>
    public static PlanFrequency? Parse(string? text) => text?.Trim().ToLowerInvariant().Replace('_', '-') switch
    {
        "weekly" => PlanFrequency.Weekly,
        "bi-weekly" or "biweekly" => PlanFrequency.BiWeekly,
        "semi-monthly" or "semimonthly" => PlanFrequency.SemiMonthly,
        "monthly" => PlanFrequency.Monthly,
        _ => null,
    };
}

/// <summary>One installment of a schedule: its number (1, 2, …), due date and amount.</summary>
public readonly record struct ScheduledInstallment(int Number, DateOnly Due, Money Amount);

/// <summary>What a plan is asked to be: the money, the rhythm, and either a count or an amount per installment.</summary>
/// <param name="Total">Everything the plan collects, down payment included.</param>
/// <param name="DownPayment">Paid first, on <paramref name="FirstDue"/>; zero for none.</param>
/// <param name="Installments">How many regular installments (after the down payment); or null when <paramref name="InstallmentAmount"/> is given.</param>
/// <param name="InstallmentAmount">The amount of each regular installment; or null when <paramref name="Installments"/> is given.</param>
public sealed record PlanTerms(Money Total, Money DownPayment, PlanFrequency Frequency, DateOnly FirstDue, int? Installments, Money? InstallmentAmount);

/// <summary>
/// Builds a payment plan's schedule.
/// </summary>
/// <remarks>
/// <para><b>Amounts.</b> What is left after the down payment is split evenly in minor units; every
/// regular installment but the last is the even share rounded down, and the last absorbs the
/// remainder: 1000.00 in 3 is 333.33, 333.33, 333.34. Given an installment amount instead, every
/// installment is that amount and the last is whatever is left (never more than the others).</para>
/// <para><b>Down payment.</b> A down payment is installment 1, due on the first due date; the regular
/// installments then start one period later.</para>
/// <para><b>Dates.</b> Weekly and bi-weekly installments are 7 and 14 days apart. Monthly installments
/// fall on the first due date's day of the month; in a month without that day (the 31st in April,
/// the 29th–31st in February) on the month's last day, and back on the original day the month after
/// (Jan 31 → Feb 28 → Mar 31 → Apr 30). Semi-monthly installments alternate between the first due
/// date's day and fifteen days later: a plan starting on the 1st falls on the 1st and 16th, one
/// starting on the 15th on the 15th and 30th (the last day in February); one starting after the 15th
/// on that day and, in the next month, fifteen days earlier (20th → 5th → 20th …).</para>
/// </remarks>
public static class PlanSchedule
{
    /// <summary>The most installments a plan can have (ten years of weekly payments).</summary>
    public const int MaxInstallments = 520;

    public static Result<IReadOnlyList<ScheduledInstallment>> Build(PlanTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var currency = terms.Total.Currency;
        if (!terms.Total.IsPositive)
        {
            return Result<IReadOnlyList<ScheduledInstallment>>.Fail("total_not_positive", "The plan's total must be more than zero", "total");
        }

        if (terms.DownPayment.Currency != currency || (terms.InstallmentAmount is { } each && each.Currency != currency))
        {
            return Result<IReadOnlyList<ScheduledInstallment>>.Fail("currency_mismatch", $"All amounts of a plan are in {currency.Code}", "currency");
        }

        if (terms.DownPayment.IsNegative || terms.DownPayment >= terms.Total)
        {
            return Result<IReadOnlyList<ScheduledInstallment>>.Fail(
                "down_payment_out_of_range", $"The down payment must be at least zero and less than the total ({terms.Total.ToDecimalString()})", "down_payment");
        }

        var rest = terms.Total - terms.DownPayment;
        long count;
        switch (terms)
        {
            case { Installments: { } n, InstallmentAmount: null }:
                if (n < 1 || n > MaxInstallments)
                {
                    return Result<IReadOnlyList<ScheduledInstallment>>.Fail("installments_out_of_range", $"A plan has from 1 to {MaxInstallments} installments", "installments");
                }

                if (rest.Minor < n)
                {
                    return Result<IReadOnlyList<ScheduledInstallment>>.Fail(
                        "installments_too_small", $"{rest.ToDecimalString()} cannot be split into {n} installments of at least one minor unit", "installments");
                }

                count = n;
                break;
            case { Installments: null, InstallmentAmount: { } amount }:
                if (!amount.IsPositive)
                {
                    return Result<IReadOnlyList<ScheduledInstallment>>.Fail("installment_amount_not_positive", "The installment amount must be more than zero", "installment_amount");
                }

                count = (rest.Minor + amount.Minor - 1) / amount.Minor;
                if (count > MaxInstallments)
                {
                    return Result<IReadOnlyList<ScheduledInstallment>>.Fail(
                        "installments_out_of_range", $"Installments of {amount.ToDecimalString()} would take {count} payments; a plan has at most {MaxInstallments}", "installment_amount");
                }

                break;
            default:
                return Result<IReadOnlyList<ScheduledInstallment>>.Fail(
                    "installments_or_amount", "Give either the number of installments or the installment amount, not both", "installments");
        }

        var schedule = new List<ScheduledInstallment>((int)count + 1);
        var period = 0;
        if (terms.DownPayment.IsPositive)
        {
            schedule.Add(new ScheduledInstallment(1, terms.FirstDue, terms.DownPayment));
            period = 1;
        }

        var amounts = terms.InstallmentAmount is { } fixedAmount ? FixedSplit(rest, fixedAmount, (int)count) : rest.Split((int)count);
        foreach (var amount in amounts)
        {
            schedule.Add(new ScheduledInstallment(schedule.Count + 1, DueDate(terms.FirstDue, terms.Frequency, period++), amount));
        }

        return schedule;
    }

    /// <summary>The due date of the installment <paramref name="period"/> periods after <paramref name="firstDue"/> (0 is the first due date itself).</summary>
    public static DateOnly DueDate(DateOnly firstDue, PlanFrequency frequency, int period) => frequency switch
    {
        PlanFrequency.Weekly => firstDue.AddDays(7 * period),
        PlanFrequency.BiWeekly => firstDue.AddDays(14 * period),
        PlanFrequency.Monthly => firstDue.AddMonths(period),
        PlanFrequency.SemiMonthly => SemiMonthly(firstDue, period),
    };

    /// <summary>The length of the schedule in whole months, from the first due date to the last (rounded up).</summary>
    public static int TermMonths(IReadOnlyList<ScheduledInstallment> schedule)
    {
        if (schedule.Count == 0)
        {
            return 0;
        }

        var first = schedule[0].Due;
        var last = schedule[^1].Due;
        var months = ((last.Year - first.Year) * 12) + last.Month - first.Month;
        return last.Day > first.Day ? months + 1 : months;
    }

    private static DateOnly SemiMonthly(DateOnly firstDue, int period)
    {
        var anchorMonth = firstDue.AddMonths(period / 2);
        if (period % 2 == 0)
        {
            return anchorMonth;
        }

        var day = firstDue.Day;
        if (day <= 15)
        {
            var month = new DateOnly(anchorMonth.Year, anchorMonth.Month, 1);
            return new DateOnly(month.Year, month.Month, Math.Min(day + 15, DateTime.DaysInMonth(month.Year, month.Month)));
        }

        var next = new DateOnly(anchorMonth.Year, anchorMonth.Month, 1).AddMonths(1);
        return new DateOnly(next.Year, next.Month, day - 15);
    }

    private static IEnumerable<Money> FixedSplit(Money rest, Money each, int count)
    {
        for (var i = 0; i < count - 1; i++)
        {
            yield return each;
        }

        yield return new Money(rest.Minor - (each.Minor * (count - 1)), rest.Currency);
    }
}
