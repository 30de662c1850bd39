namespace Recoup.Domain.Aging;

/// <summary>Where an account stands in the collections lifecycle.</summary>
public enum DelinquencyStatus
{
    /// <summary>Nothing is past due (possibly nothing is owed yet).</summary>
    Current,

    /// <summary>Something is past due, for no more than the delinquency threshold.</summary>
    PastDue,

    /// <summary>Something has been past due for longer than the delinquency threshold.</summary>
    Delinquent,

    /// <summary>Nothing is open because the debt was written off.</summary>
    WrittenOff,

    /// <summary>Invoices were billed and nothing is open: paid or credited in full.</summary>
    Paid,
}

/// <summary>What the delinquency status is computed from, as of a date.</summary>
/// <param name="OpenMinor">Open on all invoices together.</param>
/// <param name="DaysPastDue">Days past due of the oldest unpaid invoice; zero or less when none is past due.</param>
/// <param name="WrittenOffMinor">Written-off debt not recovered.</param>
/// <param name="InvoiceCount">Invoices billed.</param>
public readonly record struct DelinquencyFacts(long OpenMinor, int DaysPastDue, long WrittenOffMinor, int InvoiceCount);

/// <summary>
/// Decides the delinquency status. An account is delinquent when its oldest unpaid invoice is more
/// than <see cref="DelinquentAfterDays"/> days past due (default 30).
/// </summary>
public sealed record DelinquencyPolicy(int DelinquentAfterDays = 30)
{
    public static DelinquencyPolicy Default { get; } = new();

    public DelinquencyStatus StatusOf(DelinquencyFacts facts)
    {
        if (facts.OpenMinor > 0)
        {
            return facts.DaysPastDue switch
            {
                <= 0 => DelinquencyStatus.Current,
                var days when days > DelinquentAfterDays => DelinquencyStatus.Delinquent,
                _ => DelinquencyStatus.PastDue,
            };
        }

        if (facts.WrittenOffMinor > 0)
        {
            return DelinquencyStatus.WrittenOff;
        }

        return facts.InvoiceCount > 0 ? DelinquencyStatus.Paid : DelinquencyStatus.Current;
    }

    /// <summary>The status of one account's ledger as of a date.</summary>
    public DelinquencyStatus StatusOf(Ledger.AccountLedger ledger, DateOnly asOf) => StatusOf(FactsOf(ledger, asOf));

    public static DelinquencyFacts FactsOf(Ledger.AccountLedger ledger, DateOnly asOf)
    {
        var issued = ledger.Invoices.Where(i => i.IssueDate <= asOf).ToList();
        var open = issued.Select(i => (Invoice: i, Open: ledger.OpenOnAsOf(i.Id, asOf).Minor)).Where(x => x.Open > 0).ToList();
        var oldestDue = open.Count == 0 ? (DateOnly?)null : open.Min(x => x.Invoice.DueDate);
        var writtenOff = ledger.Entries
            .Where(e => e.EffectiveDate <= asOf)
            .Sum(e => WrittenOffEffect(ledger, e));
        return new DelinquencyFacts(
            open.Sum(x => x.Open),
            oldestDue is { } due ? Math.Max(0, AgingBuckets.DaysPastDue(due, asOf)) : 0,
            writtenOff,
            issued.Count);
    }

    private static long WrittenOffEffect(Ledger.AccountLedger ledger, Ledger.LedgerEntry entry)
    {
        var kind = entry.ReversesEntryId is { } original ? ledger.Entries.First(e => e.Id == original).Kind : entry.Kind;
        return kind is Ledger.EntryKind.WriteOff or Ledger.EntryKind.Recovery ? -entry.AmountMinor : 0;
    }
}
