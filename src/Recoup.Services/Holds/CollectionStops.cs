using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Domain;
using Recoup.Domain.Compliance;
using Recoup.Domain.Holds;
using Recoup.Services.Storage;

namespace Recoup.Services.Holds;

/// <summary>
/// What stops collection for a business reason, as the compliance gate reads it: the collection holds and the
/// placements of some debtors, loaded with a few queries for all of them, then added to each debtor's facts.
/// </summary>
public sealed class CollectionStops
{
    private readonly ILookup<DebtorId, CollectionHoldFacts> _holds;
    private readonly ILookup<DebtorId, PlacementFacts> _placements;

    private CollectionStops(ILookup<DebtorId, CollectionHoldFacts> holds, ILookup<DebtorId, PlacementFacts> placements)
    {
        _holds = holds;
        _placements = placements;
    }

    /// <summary>
    /// The holds and placements of <paramref name="debtors"/> that may matter from <paramref name="from"/> on (holds that
    /// ended before the day before are left out: the gate would skip them anyway).
    /// </summary>
    public static async Task<CollectionStops> LoadAsync(RecoupDbContext db, IReadOnlyCollection<DebtorId> debtors, DateTimeOffset from, CancellationToken ct)
    {
        var ids = debtors.Distinct().ToList();
        var since = DateOnly.FromDateTime(from.UtcDateTime).AddDays(-1);
        var holds = await Chunks.QueryAsync(ids, chunk => db.CollectionHolds.AsNoTracking().Where(h => chunk.Contains(h.DebtorId) && h.EndsOn > since), ct);
        var placements = await Chunks.QueryAsync(ids, chunk => db.Placements.AsNoTracking().Where(p => chunk.Contains(p.DebtorId)), ct);

        // What is open on the held invoices and their accounts: whether anything outside the holds is left to collect.
        var invoiceIds = holds.Where(h => h.InvoiceId is not null).Select(h => h.InvoiceId!.Value).Distinct().ToList();
        var invoiceOpen = invoiceIds.Count == 0 ? [] : (await Chunks.QueryAsync(invoiceIds, chunk => db.Allocations.AsNoTracking()
                .Where(a => a.InvoiceId != null && chunk.Contains(a.InvoiceId.Value))
                .GroupBy(a => a.InvoiceId!.Value).Select(g => new { Invoice = g.Key, Open = g.Sum(a => a.AmountMinor) }), ct))
            .ToDictionary(x => x.Invoice, x => x.Open);
        var heldAccounts = holds.Where(h => h.InvoiceId is not null).Select(h => h.AccountId.Value).Distinct().ToList();
        var accountOpen = heldAccounts.Count == 0 ? [] : (await Chunks.QueryAsync(heldAccounts, chunk => db.AccountSummaries.AsNoTracking()
                .Where(s => chunk.Contains(s.AccountId)).Select(s => new { s.AccountId, s.OpenMinor }), ct))
            .ToDictionary(x => x.AccountId, x => x.OpenMinor);

        return new CollectionStops(
            holds.ToLookup(h => h.DebtorId, h => new CollectionHoldFacts(
                h.Id.ToString(), h.AccountId.ToString(), h.InvoiceId?.ToString(), h.InvoiceNumber, h.StartsOn, h.EndsOn, h.Reason, h.SetBy, h.ReleasedAt,
                h.InvoiceId is { } invoice ? invoiceOpen.GetValueOrDefault(invoice) : 0,
                accountOpen.GetValueOrDefault(h.AccountId.Value))),
            placements.ToLookup(p => p.DebtorId, p => new PlacementFacts(
                p.Id.ToString(), p.AccountId.ToString(), p.PlacedWith,
                new DateTimeOffset(p.PlacedOn.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) is var placed && placed < p.PlacedAt ? placed : p.PlacedAt,
                PlacementRules.IsActive(p.Status) ? null : p.EndedAt,
                Channels(p.AllowedChannels))));
    }

    /// <summary>The debtor's facts with its holds and placements added.</summary>
    public ContactCase Apply(ContactCase facts, DebtorId debtor)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var holds = _holds[debtor].ToList();
        var placements = _placements[debtor].ToList();
        return holds.Count == 0 && placements.Count == 0 ? facts : facts with { CollectionHolds = holds, Placements = placements };
    }

    public static IReadOnlyList<ContactChannel> Channels(string stored) =>
        [.. stored.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(ContactChannels.Parse).OfType<ContactChannel>()];
}
