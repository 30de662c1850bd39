using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Domain;
using Recoup.Domain.Disputes;
using Recoup.Domain.Holds;
using Recoup.Domain.Plans;
using Recoup.Domain.Risk;
using Recoup.Domain.Strategies;
using Recoup.Services.Ledger;
using Recoup.Services.Storage;

namespace Recoup.Services.Strategies;

/// <summary>
/// What the strategy needs to know of a batch of accounts, read set-based (a handful of queries per
/// batch): the summary (with the client's code), the invoices open on the business date (from the allocations up to it), an
/// active plan, the promises broken, plans defaulted and ACH debits returned in the last days, open
/// disputes, collection holds in force and placements. The risk score is the one the run
/// worked out for the same date (<see cref="Risk.RiskAssessments"/>), so a segment with a risk condition
/// sees today's score, not yesterday's.
/// </summary>
/// <remarks>
/// The episode (the delinquency's name) is taken from every open invoice, held or not, so that a hold on
/// one invoice does not start the account's steps over.
/// </remarks>
public static class StrategyFacts
{
    private static readonly PlacementStatus[] ActivePlacements = [PlacementStatus.Placed, PlacementStatus.InSuit, PlacementStatus.Judgment];

    /// <param name="open">The batch's open invoices (<see cref="OpenInvoices"/>), when the caller read them already.</param>
    /// <param name="risk">The batch's risk scores as of <paramref name="asOf"/>; an account missing from it has no score (and matches no risk condition).</param>
    public static async Task<List<AccountStrategyFacts>> LoadAsync(
        RecoupDbContext db, IReadOnlyList<AccountId> batch, DateOnly asOf, int eventWindowDays, IReadOnlyList<OpenInvoiceRow>? open,
        IReadOnlyDictionary<AccountId, RiskAssessment> risk, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(risk);
        var guids = batch.Select(a => a.Value).ToList();
        var summaries = await Chunks.QueryAsync(guids, chunk => db.AccountSummaries.AsNoTracking().Where(s => chunk.Contains(s.AccountId))
            .Select(s => new { s.AccountId, s.DebtorId, s.DebtType, s.Currency, s.BalanceMinor, s.Language, s.Region, s.ClientCode }), ct);

        var openByAccount = (open ?? await OpenInvoices.LoadAsync(db, batch, asOf, ct))
            .ToLookup(o => o.AccountId, o => new OpenInvoice(o.InvoiceId, o.Number, o.DueDate, o.OpenMinor));

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

        // What stops or narrows collection: open disputes (their amounts are not collectible), collection holds in
        // force on the date (an account hold stops it, an invoice hold takes the invoice out) and placements.
        var disputed = (await Chunks.QueryAsync(batch, chunk => db.Disputes.AsNoTracking()
                .Where(d => chunk.Contains(d.AccountId) && d.Status == DisputeStatus.Open)
                .GroupBy(d => d.AccountId).Select(g => new { AccountId = g.Key, Amount = g.Sum(d => d.AmountMinor) }), ct))
            .ToDictionary(d => d.AccountId, d => d.Amount);
        var disputedInvoices = disputed.Count == 0 ? [] : (await Chunks.QueryAsync(batch, chunk => db.Disputes.AsNoTracking()
                .Where(d => chunk.Contains(d.AccountId) && d.Status == DisputeStatus.Open)
                .SelectMany(d => d.Items).Select(i => new { i.InvoiceId, i.AmountMinor }), ct))
            .GroupBy(i => i.InvoiceId).ToDictionary(g => g.Key, g => g.Sum(i => i.AmountMinor));
        var holds = await Chunks.QueryAsync(batch, chunk => db.CollectionHolds.AsNoTracking()
            .Where(h => chunk.Contains(h.AccountId) && h.StartsOn <= asOf && h.EndsOn > asOf && (h.ReleasedOn == null || h.ReleasedOn > asOf))
            .Select(h => new { h.AccountId, h.InvoiceId }), ct);
        var heldAccounts = holds.Where(h => h.InvoiceId == null).Select(h => h.AccountId).ToHashSet();
        var heldInvoices = holds.Where(h => h.InvoiceId != null).Select(h => h.InvoiceId!.Value).ToHashSet();
        var placed = (await Chunks.QueryAsync(batch, chunk => db.Placements.AsNoTracking()
                .Where(p => chunk.Contains(p.AccountId) && ActivePlacements.Contains(p.Status) && p.PlacedOn <= asOf)
                .Select(p => new { p.AccountId, p.PlacedWith }), ct))
            .GroupBy(p => p.AccountId).ToDictionary(g => g.Key, g => g.First().PlacedWith);

        return summaries.Select(s =>
        {
            var account = new AccountId(s.AccountId);
            var all = openByAccount[account].OrderBy(i => i.DueDate).ToList();
            var episode = all.Count == 0 ? "" : "due:" + all[0].DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var items = heldInvoices.Count == 0 && disputedInvoices.Count == 0 ? all : all
                .Where(i => !heldInvoices.Contains(i.Id))
                .Select(i => i with { OpenMinor = i.OpenMinor - disputedInvoices.GetValueOrDefault(i.Id) })
                .Where(i => i.OpenMinor > 0)
                .ToList();
            var inDispute = disputed.GetValueOrDefault(account);
            var stoppedBy = heldAccounts.Contains(account) ? "collection hold"
                : placed.TryGetValue(account, out var agency) ? $"placed with {agency}"
                : null;
            return new AccountStrategyFacts(account, s.DebtorId, s.DebtType, s.Currency, Math.Max(0, s.BalanceMinor - inDispute), items, episode,
                s.Language, s.Region, RiskScore: risk.TryGetValue(account, out var assessed) ? assessed.Score : null, Disputed: inDispute > 0 && inDispute >= s.BalanceMinor, OnPlan: onPlan.Contains(account),
                Events: eventsByAccount[account].ToList(), StoppedBy: stoppedBy, Client: s.ClientCode);
        }).ToList();
    }
}
