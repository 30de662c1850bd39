using Microsoft.EntityFrameworkCore;
using Recoup.Domain;
using Recoup.Domain.Disputes;
using Recoup.Domain.Ledger;
using Recoup.Services.Accounts;
using Recoup.Services.Ledger;
using Recoup.Services.Storage;

namespace Recoup.Services.Adjustments;

/// <summary>One ledger entry's effect on an invoice (or on the unapplied credit), with what was open after it.</summary>
public sealed record ReconciliationLine(long Sequence, DateOnly Date, string Kind, string Description, Money Amount, Money After);

/// <summary>An invoice explained: what was billed, every entry that changed it, and what is open now.</summary>
public sealed record ReconciledInvoice(string Number, DateOnly IssueDate, DateOnly DueDate, Money Billed, IReadOnlyList<ReconciliationLine> Lines, Money Open, Money Disputed);

/// <summary>
/// The account's balance explained line by line from the original invoices: each invoice's changes down to what is
/// open on it, the unapplied credit, and the balance they add up to.
/// </summary>
public sealed record Reconciliation(
    AccountId AccountId,
    Currency Currency,
    IReadOnlyList<ReconciledInvoice> Invoices,
    IReadOnlyList<ReconciliationLine> Credit,
    Money OpenInvoices,
    Money UnappliedCredit,
    Money Balance,
    Money WrittenOffOutstanding)
{
    /// <summary>Open invoices less unapplied credit is the balance (the ledger's invariant, shown to the reader).</summary>
    public bool Reconciles => OpenInvoices - UnappliedCredit == Balance;
}

/// <summary>Builds the reconciliation view of an account (screen and <c>GET /api/accounts/{id}/reconciliation</c>).</summary>
public sealed class AccountReconciliation(RecoupDatabase database)
{
    public async Task<Result<Reconciliation>> ForAccountAsync(AccountId accountId, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var ledgers = await LedgerLoader.LoadAsync(db, a => a.Id == accountId, tracked: false, ct);
        if (ledgers is not [var ledger])
        {
            return new Error("account_not_found", $"There is no account {accountId}");
        }

        var disputed = (await db.Disputes.AsNoTracking().Include(d => d.Items).Where(d => d.AccountId == accountId && d.Status == DisputeStatus.Open).ToListAsync(ct))
            .SelectMany(d => d.Items).GroupBy(i => i.InvoiceId).ToDictionary(g => g.Key, g => g.Sum(i => i.AmountMinor));
        return Explain(ledger, disputed);
    }

    public static Reconciliation Explain(AccountLedger ledger, IReadOnlyDictionary<InvoiceId, long> disputedByInvoice)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var currency = ledger.Currency;
        var entries = ledger.Entries.ToDictionary(e => e.Id);
        var byInvoice = ledger.Allocations.ToLookup(a => a.InvoiceId);
        var invoices = new List<ReconciledInvoice>();
        foreach (var invoice in ledger.Invoices.OrderBy(i => i.DueDate).ThenBy(i => i.Number, StringComparer.Ordinal))
        {
            var lines = new List<ReconciliationLine>();
            long open = 0;
            foreach (var group in byInvoice[invoice.Id].GroupBy(a => a.EntryId).Select(g => (Entry: entries[g.Key], Minor: g.Sum(a => a.AmountMinor))).OrderBy(g => g.Entry.Sequence))
            {
                open += group.Minor;
                if (group.Entry.Kind == EntryKind.Charge && group.Entry.InvoiceId == invoice.Id)
                {
                    continue; // the billed amount heads the invoice
                }

                lines.Add(Line(group.Entry, group.Minor, open, currency));
            }

            invoices.Add(new ReconciledInvoice(invoice.Number, invoice.IssueDate, invoice.DueDate, invoice.Amount, lines, new Money(open, currency),
                new Money(disputedByInvoice.GetValueOrDefault(invoice.Id), currency)));
        }

        var credit = new List<ReconciliationLine>();
        long unapplied = 0;
        foreach (var group in byInvoice[null].GroupBy(a => a.EntryId).Select(g => (Entry: entries[g.Key], Minor: g.Sum(a => a.AmountMinor))).OrderBy(g => g.Entry.Sequence))
        {
            unapplied -= group.Minor;
            credit.Add(Line(group.Entry, -group.Minor, unapplied, currency));
        }

        return new Reconciliation(ledger.Account.Id, currency, invoices, credit, ledger.OpenTotal, ledger.UnappliedCredit, ledger.Balance, ledger.WrittenOffOutstanding);
    }

    private static ReconciliationLine Line(LedgerEntry entry, long minor, long after, Currency currency)
    {
        var description = string.Join(" · ", new[] { entry.Reference, entry.Memo }.Where(s => !string.IsNullOrWhiteSpace(s)));
        return new ReconciliationLine(entry.Sequence, entry.EffectiveDate, AccountDetails.Kind(entry.Kind), description, new Money(minor, currency), new Money(after, currency));
    }
}
