namespace Recoup.Domain.Aging;

/// <summary>Open invoices that share a currency and a due date, summed (the shape an aging query returns).</summary>
public readonly record struct OpenByDueDate(Currency Currency, DateOnly DueDate, long OpenMinor, int InvoiceCount);

/// <summary>One bucket's total: the open amount and the number of open invoices in it.</summary>
public sealed record BucketTotal(AgingBucket Bucket, Money Amount, int Count);

/// <summary>The aging of one currency's receivables.</summary>
public sealed record CurrencyAging(Currency Currency, IReadOnlyList<BucketTotal> Buckets)
{
    public Money Total => new(Buckets.Sum(b => b.Amount.Minor), Currency);
    public int Count => Buckets.Sum(b => b.Count);
}

/// <summary>Receivables by aging bucket as of a date, one section per currency (amounts in different currencies are never added).</summary>
public sealed record AgingReport(DateOnly AsOf, IReadOnlyList<CurrencyAging> Currencies)
{
    /// <summary>
    /// Puts open amounts into buckets. Rows whose open amount is zero or less are ignored:
    /// a fully paid invoice is not aged, and credits are reported apart from aging.
    /// </summary>
    public static AgingReport Build(DateOnly asOf, IEnumerable<OpenByDueDate> open, AgingBuckets buckets)
    {
        var sections = new SortedDictionary<string, (Currency Currency, long[] Minor, int[] Count)>(StringComparer.Ordinal);
        foreach (var row in open)
        {
            if (row.OpenMinor <= 0)
            {
                continue;
            }

            if (!sections.TryGetValue(row.Currency.Code, out var section))
            {
                section = (row.Currency, new long[buckets.Buckets.Count], new int[buckets.Buckets.Count]);
                sections.Add(row.Currency.Code, section);
            }

            var index = buckets.IndexFor(row.DueDate, asOf);
            section.Minor[index] = checked(section.Minor[index] + row.OpenMinor);
            section.Count[index] += row.InvoiceCount;
        }

        var currencies = sections.Values
            .Select(s => new CurrencyAging(
                s.Currency,
                buckets.Buckets.Select((b, i) => new BucketTotal(b, new Money(s.Minor[i], s.Currency), s.Count[i])).ToList()))
            .ToList();
        return new AgingReport(asOf, currencies);
    }
}
