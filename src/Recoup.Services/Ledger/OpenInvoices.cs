using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Domain;
using Recoup.Services.Storage;

namespace Recoup.Services.Ledger;

/// <summary>An invoice with something open on a date, and how much: <c>AccountLedger.OpenOnAsOf</c> without the ledger.</summary>
public sealed record OpenInvoiceRow(AccountId AccountId, InvoiceId InvoiceId, string Number, DateOnly IssueDate, DateOnly DueDate, long AmountMinor, Currency Currency, long OpenMinor);

/// <summary>An invoice that fell due in a window before a date, and what was still open on it at the end of its due date.</summary>
public sealed record InvoiceDueRow(AccountId AccountId, InvoiceId InvoiceId, DateOnly DueDate, long OpenAtDueMinor);

/// <summary>The invoices of many accounts open on a date, and those that fell due in a window before it (<see cref="OpenInvoices.LoadStandingAsync"/>).</summary>
public sealed record InvoiceStanding(IReadOnlyList<OpenInvoiceRow> Open, IReadOnlyList<InvoiceDueRow> FellDue);

/// <summary>
/// The invoices open on a date for many accounts, set-based: the allocations up to the date summed per invoice in the
/// database (one query per 2,000 accounts), the same amounts <c>AccountLedger.OpenOnAsOf</c> gives from a whole ledger.
/// </summary>
public static class OpenInvoices
{
    /// <summary>Every invoice of the accounts with a positive open amount on <paramref name="asOf"/> (issued or not: the caller filters on the issue date).</summary>
    public static async Task<List<OpenInvoiceRow>> LoadAsync(RecoupDbContext db, IReadOnlyList<AccountId> accounts, DateOnly asOf, CancellationToken ct) =>
        [.. (await LoadStandingAsync(db, accounts, asOf, asOf, ct)).Open];

    /// <summary>
    /// The invoices of the accounts open on <paramref name="asOf"/> (<see cref="LoadAsync"/>), and, from the same
    /// pass over their allocations, each invoice that fell due from <paramref name="dueFrom"/> to the day before
    /// <paramref name="asOf"/> with what was open on it at the end of its due date (its allocations effective up to then).
    /// </summary>
    /// <remarks>
    /// Both sides of the join are narrowed by the accounts, so the database joins the accounts' invoices and
    /// allocations (a hash join of two index reads) rather than probing the invoices once per allocation, or scanning
    /// every invoice due in the window as it did when only the allocations were narrowed (0.65 s per 2,000 accounts at 1M).
    /// </remarks>
    public static async Task<InvoiceStanding> LoadStandingAsync(RecoupDbContext db, IReadOnlyList<AccountId> accounts, DateOnly asOf, DateOnly dueFrom, CancellationToken ct)
    {
        var rows = await Chunks.QueryAsync(accounts, chunk =>
            (from invoice in db.Invoices.AsNoTracking()
             join allocation in db.Allocations.AsNoTracking() on invoice.Id equals allocation.InvoiceId
             where chunk.Contains(invoice.AccountId) && chunk.Contains(allocation.AccountId) && allocation.EffectiveDate <= asOf
             group new { allocation.AmountMinor, AtDue = allocation.EffectiveDate <= invoice.DueDate ? allocation.AmountMinor : 0 }
                 by new { invoice.AccountId, invoice.Id, invoice.Number, invoice.IssueDate, invoice.DueDate, invoice.AmountMinor, invoice.Currency } into g
             select new
             {
                 g.Key.AccountId, g.Key.Id, g.Key.Number, g.Key.IssueDate, g.Key.DueDate, g.Key.AmountMinor, g.Key.Currency,
                 Open = g.Sum(a => a.AmountMinor),
                 AtDue = g.Sum(a => a.AtDue),
             })
            .Where(i => i.Open > 0 || (i.DueDate >= dueFrom && i.DueDate < asOf)), ct);
        var open = new List<OpenInvoiceRow>();
        var fellDue = new List<InvoiceDueRow>();
        foreach (var row in rows)
        {
            var i = row;
            if (row.Open > 0)
            {
                open.Add(new OpenInvoiceRow(i.AccountId, i.Id, i.Number, i.IssueDate, i.DueDate, i.AmountMinor, i.Currency, row.Open));
            }

            if (i.DueDate >= dueFrom && i.DueDate < asOf)
            {
                fellDue.Add(new InvoiceDueRow(i.AccountId, i.Id, i.DueDate, row.AtDue));
            }
        }

        return new InvoiceStanding(open, fellDue);
    }
}
