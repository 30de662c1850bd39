namespace Recoup.Domain.Plans;

/// <summary>
/// The limits a plan should keep without a supervisor's approval, for one kind of debt: the smallest
/// installment, the longest term, the smallest down payment. A null limit is no limit.
/// </summary>
/// <param name="MinInstallmentMajor">The smallest regular installment, in major units of the plan's currency.</param>
/// <param name="MaxTermMonths">The longest a plan may run, first due date to last, in months.</param>
/// <param name="MinDownPaymentPercent">The smallest down payment as a percentage of the total.</param>
public sealed record PlanPolicy(decimal? MinInstallmentMajor, int? MaxTermMonths, decimal? MinDownPaymentPercent)
{
    public static PlanPolicy None { get; } = new(null, null, null);

    /// <summary>Every limit the plan goes beyond, in words a supervisor reads before approving; empty when it keeps them all.</summary>
    public IReadOnlyList<string> Breaches(PlanTerms terms, IReadOnlyList<ScheduledInstallment> schedule)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(schedule);
        var breaches = new List<string>();
        var currency = terms.Total.Currency;
        var regular = terms.DownPayment.IsPositive ? schedule.Skip(1).ToList() : schedule;
        if (MinInstallmentMajor is { } min && regular.Count > 0)
        {
            var minimum = Money.FromMajor(min, currency, MidpointRounding.ToEven);
            // The last installment only absorbs what is left, so only the others must reach the minimum.
            var smallest = regular.Count > 1 ? regular.Take(regular.Count - 1).Min(i => i.Amount) : regular[0].Amount;
            if (smallest < minimum)
            {
                breaches.Add($"Installments of {smallest.ToDecimalString()} are below the minimum of {minimum.ToDecimalString()} {currency.Code}");
            }
        }

        if (MaxTermMonths is { } maxMonths && PlanSchedule.TermMonths(schedule) is var months && months > maxMonths)
        {
            breaches.Add($"The plan runs {months} months, longer than the maximum of {maxMonths}");
        }

        if (MinDownPaymentPercent is { } percent && percent > 0)
        {
            var required = Money.FromMajor(terms.Total.ToDecimal() * percent / 100m, currency, MidpointRounding.AwayFromZero);
            if (terms.DownPayment < required)
            {
                breaches.Add($"The down payment of {terms.DownPayment.ToDecimalString()} is below the minimum of {required.ToDecimalString()} ({percent.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)} % of the total)");
            }
        }

        return breaches;
    }
}
