using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Domain;
using Recoup.Domain.Debtors;
using Recoup.Services.Storage;

namespace Recoup.Services.Compliance;

/// <summary>
/// A debtor as a message to it needs it: who it is, its language, its contact points and what the compliance gate reads
/// (cease communication, attorney, workplace, inconvenient times, opt-outs). The members are named as on
/// <see cref="Debtor"/>.
/// </summary>
/// <remarks>
/// Read with <see cref="LoadAsync"/> as two flat queries — the debtors' columns projected, and their contact points —
/// instead of the whole <see cref="Debtor"/> entities joined to their contact points: the daily run and the letter run
/// read tens of thousands of debtors at a time, and materialising the entity graph was the costliest read of their
/// messages (docs/benchmarks.md, daily-run).
/// </remarks>
public sealed record DebtorContacts(
    DebtorId Id,
    string ExternalId,
    string Name,
    DebtorKind Kind,
    DebtType DebtType,
    string? TimeZone,
    string Language,
    DateTimeOffset? CeaseCommunicationAt,
    DateTimeOffset? AttorneyRepresentedSince,
    bool WorkplaceContactProhibited,
    string InconvenientTimes,
    string OptedOutChannels,
    DateTimeOffset? OptedOutAt,
    IReadOnlyList<ContactPoint> ContactPoints)
{
    /// <summary>The same facts of a debtor entity read already.</summary>
    public static DebtorContacts Of(Debtor debtor)
    {
        ArgumentNullException.ThrowIfNull(debtor);
        return new(debtor.Id, debtor.ExternalId, debtor.Name, debtor.Kind, debtor.DebtType, debtor.TimeZone, debtor.Language,
            debtor.CeaseCommunicationAt, debtor.AttorneyRepresentedSince, debtor.WorkplaceContactProhibited, debtor.InconvenientTimes,
            debtor.OptedOutChannels, debtor.OptedOutAt, debtor.ContactPoints);
    }

    /// <summary>Every IANA time zone the debtor may be in (<see cref="Debtor.PossibleTimeZones()"/>).</summary>
    public IReadOnlyList<string> PossibleTimeZones() => Debtor.PossibleTimeZones(TimeZone, ContactPoints);

    /// <summary>
    /// The debtors of <paramref name="ids"/> (those that exist) with their contact points, two queries per 2,000 debtors. The
    /// contact points come in the database's order of their ids, as the entity's include gives them.
    /// </summary>
    public static async Task<Dictionary<DebtorId, DebtorContacts>> LoadAsync(RecoupDbContext db, IReadOnlyCollection<DebtorId> ids, CancellationToken ct)
    {
        var keys = ids.Distinct().ToList();
        var points = (await Chunks.QueryAsync(keys, chunk => db.ContactPoints.AsNoTracking().Where(c => chunk.Contains(c.DebtorId)).OrderBy(c => c.DebtorId).ThenBy(c => c.Id), ct))
            .ToLookup(c => c.DebtorId);
        var debtors = await Chunks.QueryAsync(keys, chunk => db.Debtors.AsNoTracking().Where(d => chunk.Contains(d.Id)).Select(d => new
        {
            d.Id, d.ExternalId, d.Name, d.Kind, d.DebtType, d.TimeZone, d.Language, d.CeaseCommunicationAt, d.AttorneyRepresentedSince,
            d.WorkplaceContactProhibited, d.InconvenientTimes, d.OptedOutChannels, d.OptedOutAt,
        }), ct);
        return debtors.ToDictionary(d => d.Id, d => new DebtorContacts(
            d.Id, d.ExternalId, d.Name, d.Kind, d.DebtType, d.TimeZone, d.Language, d.CeaseCommunicationAt, d.AttorneyRepresentedSince,
            d.WorkplaceContactProhibited, d.InconvenientTimes, d.OptedOutChannels, d.OptedOutAt, [.. points[d.Id]]));
    }
}
