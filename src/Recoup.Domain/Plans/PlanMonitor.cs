namespace Recoup.Domain.Plans;

/// <summary>Where one installment stands as of a date.</summary>
public enum InstallmentStatus
{
    /// <summary>Not yet due, or due and still within its grace period, and not fully paid.</summary>
    Pending,

    /// <summary>Fully paid by its due date.</summary>
    Kept,

    /// <summary>Fully paid after its due date but within the grace period.</summary>
    Late,

    /// <summary>Not fully paid when its grace period ended (whether or not it was made up later).</summary>
    Missed,
}

/// <summary>Where a plan stands.</summary>
public enum PlanStatus
{
    /// <summary>Outside policy, waiting for a supervisor.</summary>
    PendingApproval,

    Active,

    /// <summary>Everything paid: the plan is closed.</summary>
    Completed,

    /// <summary>Too many installments missed: the plan is broken and the account back in collection.</summary>
    Defaulted,

    Cancelled,
}

/// <summary>A payment that counts toward a plan or promise: its business date and amount (positive, minor units).</summary>
public readonly record struct PaymentReceived(DateOnly On, long AmountMinor);

/// <summary>How one installment stands: what was paid toward it, the day it was covered, its status.</summary>
public readonly record struct InstallmentState(int Number, DateOnly Due, long AmountMinor, long PaidMinor, DateOnly? CoveredOn, InstallmentStatus Status);

/// <summary>How a plan stands as of a date: each installment, and the plan's own status.</summary>
/// <param name="UnpaidMissed">Installments past their grace and still not fully paid (arrears, in installments).</param>
/// <param name="StatusSince">The date the plan completed or defaulted, when it did.</param>
public sealed record PlanStanding(IReadOnlyList<InstallmentState> Installments, long PaidMinor, int UnpaidMissed, PlanStatus Status, DateOnly? StatusSince);

/// <summary>
/// Holds a plan to its schedule.
/// </summary>
/// <remarks>
/// <para>Payments made since the plan started apply to its installments in order, oldest first; a
/// payment larger than the installment due covers the next ones. An installment is <b>kept</b> when
/// the payments reach it by its due date, <b>late</b> when they reach it within the grace period
/// after, and <b>missed</b> when its grace period ends before they do.</para>
/// <para>A plan <b>completes</b> the day its payments reach the total. It <b>defaults</b> the first day
/// on which <c>missesToDefault</c> installments are past their grace period and still unpaid —
/// being behind by that many payments, not having once been late.</para>
/// </remarks>
public static class PlanMonitor
{
    /// <param name="schedule">The current schedule, in due-date order.</param>
    /// <param name="payments">The payments counted toward the plan, in any order.</param>
    /// <param name="asOf">The business date to judge on (payments after it are not seen).</param>
    /// <param name="graceDays">Days after a due date within which a payment is late, not missed.</param>
    /// <param name="missesToDefault">Unpaid missed installments that break the plan (at least 1).</param>
    /// <param name="returned">Installments whose payment came back (an ACH return): while unpaid they are missed at once, grace or not.</param>
    public static PlanStanding Evaluate(
        IReadOnlyList<ScheduledInstallment> schedule, IEnumerable<PaymentReceived> payments, DateOnly asOf, int graceDays, int missesToDefault, IReadOnlySet<int>? returned = null)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentOutOfRangeException.ThrowIfNegative(graceDays);
        ArgumentOutOfRangeException.ThrowIfLessThan(missesToDefault, 1);

        var received = payments.Where(p => p.On <= asOf && p.AmountMinor > 0).OrderBy(p => p.On).ToList();
        var total = schedule.Sum(i => i.Amount.Minor);
        var paidTotal = received.Sum(p => p.AmountMinor);

        // The day the running total of payments first reaches each installment's running total.
        var states = new InstallmentState[schedule.Count];
        var paidSoFar = 0L;
        var next = 0;
        var owedThrough = 0L;
        for (var i = 0; i < schedule.Count; i++)
        {
            var installment = schedule[i];
            owedThrough += installment.Amount.Minor;
            while (paidSoFar < owedThrough && next < received.Count)
            {
                paidSoFar += received[next++].AmountMinor;
            }

            DateOnly? coveredOn = paidSoFar >= owedThrough ? received[next - 1].On : null;
            var before = owedThrough - installment.Amount.Minor;
            var paid = Math.Clamp(paidTotal - before, 0, installment.Amount.Minor);
            var graceEnds = installment.Due.AddDays(graceDays);
            var status = coveredOn switch
            {
                { } on when on <= installment.Due => InstallmentStatus.Kept,
                { } on when on <= graceEnds => InstallmentStatus.Late,
                { } => InstallmentStatus.Missed,
                null => asOf > graceEnds || returned?.Contains(installment.Number) == true ? InstallmentStatus.Missed : InstallmentStatus.Pending,
            };
            states[i] = new InstallmentState(installment.Number, installment.Due, installment.Amount.Minor, paid, coveredOn, status);
        }

        var unpaidMissed = states.Count(s => s is { Status: InstallmentStatus.Missed, CoveredOn: null });
        if (paidTotal >= total && total > 0)
        {
            return new PlanStanding(states, paidTotal, 0, PlanStatus.Completed, states[^1].CoveredOn);
        }

        // The default date: the day the missesToDefault-th unpaid installment's grace ran out.
        var unpaid = states.Where(s => s.CoveredOn is null && s.Status == InstallmentStatus.Missed).ToList();
        if (unpaid.Count >= missesToDefault)
        {
            var since = unpaid.Select(s => s.Due.AddDays(graceDays + 1)).Order().ElementAt(missesToDefault - 1);
            since = since > asOf ? asOf : since;
            return new PlanStanding(states, paidTotal, unpaidMissed, PlanStatus.Defaulted, since);
        }

        return new PlanStanding(states, paidTotal, unpaidMissed, PlanStatus.Active, null);
    }
}
