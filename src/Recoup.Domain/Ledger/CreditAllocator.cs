namespace Recoup.Domain.Ledger;

/// <summary>What is still owed on one invoice at the moment a credit is applied.</summary>
public readonly record struct OpenItem(InvoiceId InvoiceId, string Number, DateOnly IssueDate, DateOnly DueDate, long OpenMinor);

/// <summary>How a credit splits: amounts (positive, in minor units) per invoice, and what is left unapplied.</summary>
public sealed record CreditSplit(IReadOnlyList<(InvoiceId InvoiceId, long Minor)> ToInvoices, long UnappliedMinor);

/// <summary>
/// Decides which invoices a credit (payment, credit memo, write-off) pays.
/// </summary>
/// <remarks>
/// <para>By default the oldest debt is paid first: invoices in order of due date, then issue date,
/// then invoice number. When the credit names an invoice, it goes to that invoice only, up to what
/// is open on it.</para>
/// <para>Whatever the invoices cannot absorb stays unapplied credit on the account, to be applied
/// later or refunded; it is never spread onto an invoice the payer did not name.</para>
/// <para>A credit never lands on an invoice issued after the credit's effective date: the invoice
/// did not exist yet, and aging as of an earlier date must not see it paid before it was billed.</para>
/// </remarks>
public static class CreditAllocator
{
    public static IComparer<OpenItem> OldestDueFirst { get; } = Comparer<OpenItem>.Create((a, b) =>
    {
        var byDue = a.DueDate.CompareTo(b.DueDate);
        if (byDue != 0)
        {
            return byDue;
        }

        var byIssue = a.IssueDate.CompareTo(b.IssueDate);
        return byIssue != 0 ? byIssue : string.CompareOrdinal(a.Number, b.Number);
    });

    /// <param name="creditMinor">The credit, positive, in minor units.</param>
    /// <param name="openItems">The account's invoices with what is open on each, in any order.</param>
    /// <param name="target">The invoice the payer named, if any.</param>
    /// <param name="effectiveDate">The credit's business date.</param>
    public static CreditSplit Allocate(long creditMinor, IEnumerable<OpenItem> openItems, InvoiceId? target, DateOnly effectiveDate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(creditMinor);
        var eligible = openItems
            .Where(i => i.OpenMinor > 0 && i.IssueDate <= effectiveDate && (target is null || i.InvoiceId == target))
            .Order(OldestDueFirst);

        var split = new List<(InvoiceId, long)>();
        var left = creditMinor;
        foreach (var item in eligible)
        {
            if (left == 0)
            {
                break;
            }

            var applied = Math.Min(left, item.OpenMinor);
            split.Add((item.InvoiceId, applied));
            left -= applied;
        }

        return new CreditSplit(split, left);
    }
}
