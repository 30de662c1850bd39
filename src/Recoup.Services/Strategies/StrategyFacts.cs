using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Domain;
using Recoup.Domain.Plans;
using Recoup.Domain.Strategies;
using Recoup.Services.Storage;

namespace Recoup.Services.Strategies;

/// <summary>
/// What the strategy needs to know of a batch of accounts, read set-based (a handful of queries per
/// batch): the summary, the invoices open on the business date (from the allocations up to it), an
/// active plan, and the promises broken, plans defaulted and ACH debits returned in the last days.
/// </summary>
public static class StrategyFacts
{
    public static async Task<List<AccountStrategyFacts>> LoadAsync(RecoupDbContext db, IReadOnlyList<AccountId> batch, DateOnly asOf, int eventWindowDays, CancellationToken ct)
    {
        var guids = batch.Select(a => a.Value).ToList();
        var summaries = await Chunks.QueryAsync(guids, chunk => db.AccountSummaries.AsNoTracking().Where(s => chunk.Contains(s.AccountId))
            .Select(s => new { s.AccountId, s.DebtorId, s.DebtType, s.Currency, s.BalanceMinor, s.Language, s.Region }), ct);

        var open = await Chunks.QueryAsync(batch, chunk => db.Allocations.AsNoTracking()
            .Where(a => chunk.Contains(a.AccountId) && a.InvoiceId != null && a.EffectiveDate <= asOf)
            .GroupBy(a => new { a.AccountId, a.InvoiceId })
            .Select(g => new { g.Key.AccountId, g.Key.InvoiceId, Open = g.Sum(a => a.AmountMinor) })
            .Where(g => g.Open > 0), ct);
        var invoiceIds = open.Select(o => o.InvoiceId!.Value).ToList();
        var invoices = (await Chunks.QueryAsync(invoiceIds, chunk => db.Invoices.AsNoTracking().Where(i => chunk.Contains(i.Id)).Select(i => new { i.Id, i.Number, i.DueDate }), ct))
            .ToDictionary(i => i.Id);
        var openByAccount = open.ToLookup(o => o.AccountId, o => invoices[o.InvoiceId!.Value] is var i ? new OpenInvoice(i.Id, i.Number, i.DueDate, o.Open) : default);

        var onPlan = (await Chunks.QueryAsync(batch, chunk => db.PaymentPlans.AsNoTracking()
            .Where(p => chunk.Contains(p.AccountId) && p.Status == PlanStatus.Active).Select(p => p.AccountId), ct)).ToHashSet();

        var since = asOf.AddDays(-eventWindowDays);
        var events = new List<(AccountId Account, EventOccurrence Event)>();
        events.AddRange((await Chunks.QueryAsync(batch, chunk => db.Promises.AsNoTracking()
                .Where(p => chunk.Contains(p.AccountId) && p.Status == PromiseStatus.Broken && p.ResolvedOn >= since && p.ResolvedOn <= asOf)
                .Select(p => new { p.AccountId, p.Id, p.ResolvedOn }), ct))
            .Select(p => (p.AccountId, new EventOccurrence(StrategyEvent.PromiseBroken, p.ResolvedOn!.Value, $"promise:{p.Id:N}"))));
        events.AddRange((await Chunks.QueryAsync(batch, chunk => db.PaymentPlans.AsNoTracking()
                .Where(p => chunk.Contains(p.AccountId) && p.Status == PlanStatus.Defaulted && p.StatusSince >= since && p.StatusSince <= asOf)
                .Select(p => new { p.AccountId, p.Id, p.StatusSince }), ct))
            .Select(p => (p.AccountId, new EventOccurrence(StrategyEvent.PlanDefaulted, p.StatusSince!.Value, $"plan:{p.Id:N}"))));
        events.AddRange((await Chunks.QueryAsync(batch, chunk => db.AchDebits.AsNoTracking()
                .Where(d => chunk.Contains(d.AccountId) && d.ReturnedOn >= since && d.ReturnedOn <= asOf)
                .Select(d => new { d.AccountId, d.Id, d.ReturnedOn }), ct))
            .Select(d => (d.AccountId, new EventOccurrence(StrategyEvent.PaymentReturned, d.ReturnedOn!.Value, $"ach:{d.Id:N}"))));
        var eventsByAccount = events.ToLookup(e => e.Account, e => e.Event);

        return summaries.Select(s =>
        {
            var account = new AccountId(s.AccountId);
            var items = openByAccount[account].OrderBy(i => i.DueDate).ToList();
            var episode = items.Count == 0 ? "" : "due:" + items[0].DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            return new AccountStrategyFacts(account, s.DebtorId, s.DebtType, s.Currency, s.BalanceMinor, items, episode,
                s.Language, s.Region, RiskScore: null, Disputed: false, OnPlan: onPlan.Contains(account), Events: eventsByAccount[account].ToList());
        }).ToList();
    }
}
