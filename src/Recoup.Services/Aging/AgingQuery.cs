using Microsoft.EntityFrameworkCore;
using Recoup.Domain;
using Recoup.Domain.Aging;
using Recoup.Services.Storage;

namespace Recoup.Services.Aging;

/// <summary>One debtor's aging in one currency.</summary>
public sealed record DebtorAging(string DebtorId, string Name, CurrencyAging Aging, int DaysPastDue);

/// <summary>
/// Ages the whole portfolio as of any date. The database sums the allocations effective by that
/// date per invoice and returns open amounts grouped by currency and due date (a few hundred rows
/// however large the portfolio); <see cref="AgingReport.Build"/> puts them into buckets.
/// </summary>
/// <remarks>
/// Because the ledger is append-only and every allocation carries its effective date, aging as of a
/// past date gives the figures the system would have given on that date.
/// </remarks>
public sealed class AgingQuery(RecoupDatabase database)
{
    public async Task<AgingReport> ByBucketAsync(DateOnly asOf, AgingBuckets buckets, CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        // Allocations joined to their invoices first, then summed per invoice: a plan that stays good
        // even before the planner has statistics on freshly imported tables.
        var open = from a in db.Allocations
                   where a.InvoiceId != null && a.EffectiveDate <= asOf
                   join i in db.Invoices on a.InvoiceId equals (InvoiceId?)i.Id
                   group a.AmountMinor by new { i.Id, i.Currency, i.DueDate } into perInvoice
                   where perInvoice.Sum() > 0
                   select new { perInvoice.Key.Currency, perInvoice.Key.DueDate, Open = perInvoice.Sum() };
        var rows = await open
            .GroupBy(o => new { o.Currency, o.DueDate })
            .Select(g => new { g.Key.Currency, g.Key.DueDate, Open = g.Sum(o => o.Open), Count = g.Count() })
            .ToListAsync(cancellationToken);
        return AgingReport.Build(asOf, rows.Select(r => new OpenByDueDate(r.Currency, r.DueDate, r.Open, r.Count)), buckets);
    }

    public async Task<IReadOnlyList<DebtorAging>> ByDebtorAsync(DateOnly asOf, AgingBuckets buckets, CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        var open = from o in OpenPerInvoice(db, asOf)
                   join i in db.Invoices on o.InvoiceId equals (InvoiceId?)i.Id
                   join account in db.Accounts on i.AccountId equals account.Id
                   join debtor in db.Debtors on account.DebtorId equals debtor.Id
                   select new { DebtorId = debtor.ExternalId, i.Currency, i.DueDate, o.Open };
        var rows = await open
            .GroupBy(o => new { o.DebtorId, o.Currency, o.DueDate })
            .Select(g => new { g.Key.DebtorId, g.Key.Currency, g.Key.DueDate, Open = g.Sum(o => o.Open), Count = g.Count() })
            .ToListAsync(cancellationToken);
        var names = await db.Debtors.AsNoTracking().Select(d => new { d.ExternalId, d.Name }).ToDictionaryAsync(d => d.ExternalId, d => d.Name, cancellationToken);

        return rows
            .GroupBy(r => (r.DebtorId, r.Currency.Code))
            .Select(g =>
            {
                var report = AgingReport.Build(asOf, g.Select(r => new OpenByDueDate(r.Currency, r.DueDate, r.Open, r.Count)), buckets);
                var oldestDue = g.Min(r => r.DueDate);
                return new DebtorAging(g.Key.DebtorId, names.GetValueOrDefault(g.Key.DebtorId, ""), report.Currencies[0], Math.Max(0, AgingBuckets.DaysPastDue(oldestDue, asOf)));
            })
            .OrderBy(d => d.DebtorId, StringComparer.Ordinal)
            .ThenBy(d => d.Aging.Currency.Code, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Credit received but applied to no invoice, per currency, as of the date.</summary>
    public async Task<IReadOnlyList<Money>> UnappliedAsync(DateOnly asOf, CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        var rows = await db.Allocations
            .Where(a => a.InvoiceId == null && a.EffectiveDate <= asOf)
            .Join(db.Accounts, a => a.AccountId, account => account.Id, (a, account) => new { account.Currency, a.AmountMinor })
            .GroupBy(x => x.Currency)
            .Select(g => new { Currency = g.Key, Minor = g.Sum(x => x.AmountMinor) })
            .ToListAsync(cancellationToken);
        return rows.Where(r => r.Minor != 0).Select(r => new Money(-r.Minor, r.Currency)).OrderBy(m => m.Currency.Code, StringComparer.Ordinal).ToList();
    }

    /// <summary>Per invoice, what is open at the end of the as-of date, where that is more than zero.</summary>
    private static IQueryable<OpenAmount> OpenPerInvoice(Data.RecoupDbContext db, DateOnly asOf) =>
        db.Allocations
            .Where(a => a.InvoiceId != null && a.EffectiveDate <= asOf)
            .GroupBy(a => a.InvoiceId)
            .Select(g => new OpenAmount { InvoiceId = g.Key, Open = g.Sum(a => a.AmountMinor) })
            .Where(x => x.Open > 0);

    private sealed class OpenAmount
    {
        public InvoiceId? InvoiceId { get; init; }
        public long Open { get; init; }
    }
}
