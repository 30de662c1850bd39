using Recoup.Domain.Ledger;

namespace Recoup.Domain.Messaging;

/// <summary>
/// The itemization of a debt that the validation notice and every statement show (12 CFR 1006.34(c)(2)(vi)-(viii)):
/// what was owed on the itemization date, the interest, fees, and payments and credits since, and what is owed now.
/// </summary>
/// <remarks>
/// <para>The itemization date is the <em>transaction date</em> of 1006.34(b)(3)(iv): the issue date of the latest
/// invoice that is still (partly) open on the as-of date; with nothing open, the latest invoice's; with no invoice,
/// the as-of date. Every charge falls on or before it, so the identity
/// <c>current = at itemization + interest + fees - payments and credits</c> always holds.</para>
/// <para>A reversal counts with the entry it reverses (a reversed fee lowers the fees). Everything that is neither
/// interest nor a fee is a payment or credit: payments, credit memos, write-offs and negative adjustments add to it;
/// refunds, recoveries and positive adjustments after the itemization date take from it.</para>
/// </remarks>
public sealed record Itemization(
    DateOnly ItemizationDate,
    Money AtItemization,
    Money Interest,
    Money Fees,
    Money PaymentsAndCredits,
    Money Current)
{
    /// <summary>Itemizes an account's ledger as of a date.</summary>
    public static Itemization Of(AccountLedger ledger, DateOnly asOf)
    {
        var currency = ledger.Currency;
        var invoices = ledger.Invoices.Where(i => i.IssueDate <= asOf).ToList();
        var open = invoices.Where(i => ledger.OpenOnAsOf(i.Id, asOf).IsPositive).ToList();
        var date = open.Count > 0 ? open.Max(i => i.IssueDate)
            : invoices.Count > 0 ? invoices.Max(i => i.IssueDate)
            : asOf;

        var kinds = ledger.Entries.ToDictionary(e => e.Id, e => e.Kind);
        long atItemization = 0, interest = 0, fees = 0, credits = 0;
        foreach (var entry in ledger.Entries)
        {
            if (entry.EffectiveDate <= date)
            {
                atItemization = checked(atItemization + entry.AmountMinor);
                continue;
            }

            if (entry.EffectiveDate > asOf)
            {
                continue;
            }

            var kind = entry.Kind == EntryKind.Reversal && entry.ReversesEntryId is { } original && kinds.TryGetValue(original, out var reversed) ? reversed : entry.Kind;
            switch (kind)
            {
                case EntryKind.Interest:
                    interest = checked(interest + entry.AmountMinor);
                    break;
                case EntryKind.Fee:
                    fees = checked(fees + entry.AmountMinor);
                    break;
                default:
                    credits = checked(credits - entry.AmountMinor);
                    break;
            }
        }

        return new Itemization(
            date,
            new Money(atItemization, currency),
            new Money(interest, currency),
            new Money(fees, currency),
            new Money(credits, currency),
            new Money(checked(atItemization + interest + fees - credits), currency));
    }
}
