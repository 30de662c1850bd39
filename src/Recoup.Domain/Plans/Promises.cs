namespace Recoup.Domain.Plans;

/// <summary>Where a promise to pay stands.</summary>
public enum PromiseStatus
{
    /// <summary>Its date (plus grace) has not passed and it is not yet fully paid.</summary>
    Pending,

    /// <summary>Payments covering it arrived by its date plus the grace period.</summary>
    Kept,

    /// <summary>Something, but not all, arrived by its date plus grace: not kept.</summary>
    PartiallyKept,

    /// <summary>Nothing arrived by its date plus grace.</summary>
    Broken,

    /// <summary>Withdrawn by a collector before it came due.</summary>
    Cancelled,
}

/// <summary>A promise as the evaluator sees it: when it was taken, what and when was promised.</summary>
public readonly record struct PromiseTerms(Guid Id, DateOnly TakenOn, DateOnly PromisedFor, long AmountMinor, bool Cancelled);

/// <summary>How one promise stands: what was paid toward it and its status.</summary>
public readonly record struct PromiseStanding(Guid Id, long PaidMinor, PromiseStatus Status);

/// <summary>
/// Judges an account's promises to pay against its payments.
/// </summary>
/// <remarks>
/// Promises are served in the order of their dates. Each payment goes to the earliest promise that
/// was taken on or before the payment's date and is still short, so one payment is never counted
/// for two promises. A promise is kept only when it is covered in full by its date plus the grace
/// period; a partial payment makes it <see cref="PromiseStatus.PartiallyKept"/>, which is not kept.
/// </remarks>
public static class PromiseEvaluator
{
    public static IReadOnlyList<PromiseStanding> Evaluate(IEnumerable<PromiseTerms> promises, IEnumerable<PaymentReceived> payments, DateOnly asOf, int graceDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(graceDays);
        var open = promises.OrderBy(p => p.PromisedFor).ThenBy(p => p.TakenOn).ThenBy(p => p.Id).ToList();
        var paid = new long[open.Count];
        foreach (var payment in payments.Where(p => p.On <= asOf && p.AmountMinor > 0).OrderBy(p => p.On))
        {
            var left = payment.AmountMinor;
            for (var i = 0; i < open.Count && left > 0; i++)
            {
                var promise = open[i];
                if (promise.Cancelled || promise.TakenOn > payment.On || payment.On > promise.PromisedFor.AddDays(graceDays))
                {
                    continue;
                }

                var applied = Math.Min(left, promise.AmountMinor - paid[i]);
                paid[i] += applied;
                left -= applied;
            }
        }

        return open.Select((p, i) => new PromiseStanding(p.Id, paid[i], StatusOf(p, paid[i], asOf, graceDays))).ToList();
    }

    private static PromiseStatus StatusOf(PromiseTerms promise, long paid, DateOnly asOf, int graceDays) =>
        promise.Cancelled ? PromiseStatus.Cancelled
        : paid >= promise.AmountMinor ? PromiseStatus.Kept
        : asOf <= promise.PromisedFor.AddDays(graceDays) ? PromiseStatus.Pending
        : paid > 0 ? PromiseStatus.PartiallyKept
        : PromiseStatus.Broken;
}
