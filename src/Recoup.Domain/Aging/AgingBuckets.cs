using System.Globalization;

namespace Recoup.Domain.Aging;

/// <summary>One aging bucket: the days past due it covers, both ends inclusive.</summary>
/// <param name="Name">As reports print it: <c>current</c>, <c>1-30</c>, <c>121+</c>.</param>
/// <param name="FromDays">Lowest days past due in the bucket; null for <c>current</c>, which holds everything not yet past due.</param>
/// <param name="ToDays">Highest days past due in the bucket; null for the last, open-ended bucket.</param>
public sealed record AgingBucket(string Name, int? FromDays, int? ToDays);

/// <summary>
/// The aging buckets a report uses. The default is current, 1–30, 31–60, 61–90, 91–120 and 121+
/// days past due.
/// </summary>
/// <remarks>
/// Days past due is the as-of date minus the due date, in calendar days: an invoice due today is
/// current (0 days), due yesterday is 1 day past due. Buckets are given by their upper bounds,
/// e.g. <c>30,60,90,120</c>; each must be larger than the one before.
/// </remarks>
public sealed class AgingBuckets
{
    private readonly int[] _upperBounds;

    private AgingBuckets(int[] upperBounds)
    {
        _upperBounds = upperBounds;
        var buckets = new List<AgingBucket> { new("current", null, 0) };
        var from = 1;
        foreach (var bound in upperBounds)
        {
            buckets.Add(new AgingBucket(string.Create(CultureInfo.InvariantCulture, $"{from}-{bound}"), from, bound));
            from = bound + 1;
        }

        buckets.Add(new AgingBucket(string.Create(CultureInfo.InvariantCulture, $"{from}+"), from, null));
        Buckets = buckets;
    }

    public static AgingBuckets Default { get; } = new([30, 60, 90, 120]);

    public IReadOnlyList<AgingBucket> Buckets { get; }

    /// <summary>Buckets from their upper bounds in days past due, e.g. 30, 60, 90.</summary>
    public static Result<AgingBuckets> FromUpperBounds(IReadOnlyList<int> upperBounds)
    {
        if (upperBounds.Count == 0)
        {
            return Result<AgingBuckets>.Fail("buckets_empty", "Give at least one bucket bound, e.g. 30,60,90");
        }

        for (var i = 0; i < upperBounds.Count; i++)
        {
            if (upperBounds[i] < 1 || (i > 0 && upperBounds[i] <= upperBounds[i - 1]))
            {
                return Result<AgingBuckets>.Fail("buckets_order", "Bucket bounds must be positive and increasing, e.g. 30,60,90");
            }
        }

        return Result<AgingBuckets>.Ok(new AgingBuckets([.. upperBounds]));
    }

    /// <summary>Parses bounds written as <c>30,60,90,120</c>.</summary>
    public static Result<AgingBuckets> Parse(string text)
    {
        var bounds = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var bound))
            {
                return Result<AgingBuckets>.Fail("buckets_format", $"'{text}' is not a list of day counts like 30,60,90,120");
            }

            bounds.Add(bound);
        }

        return FromUpperBounds(bounds);
    }

    /// <summary>Calendar days from the due date to the as-of date; zero or less is not past due.</summary>
    public static int DaysPastDue(DateOnly dueDate, DateOnly asOf) => asOf.DayNumber - dueDate.DayNumber;

    /// <summary>The index in <see cref="Buckets"/> of the bucket for an invoice due on <paramref name="dueDate"/>.</summary>
    public int IndexFor(DateOnly dueDate, DateOnly asOf)
    {
        var days = DaysPastDue(dueDate, asOf);
        if (days <= 0)
        {
            return 0;
        }

        for (var i = 0; i < _upperBounds.Length; i++)
        {
            if (days <= _upperBounds[i])
            {
                return i + 1;
            }
        }

        return _upperBounds.Length + 1;
    }
}
