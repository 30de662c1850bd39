using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Domain;
using Recoup.Domain.Compliance;
using Recoup.Domain.Debtors;
using Recoup.Services.Storage;

namespace Recoup.Services.Compliance;

/// <summary>
/// The compliance gate's facts for a batch of debtors, read with a fixed number of queries for all of them (their
/// accounts, conversation log, managers' exceptions, disputes, collection holds and placements) — the same facts
/// <see cref="ComplianceCheck"/> reads for one debtor, so a batch (the letter run) asks the gate exactly what the
/// dispatcher asks at send time, without a query per letter.
/// </summary>
public sealed class GateFacts
{
    private readonly ILookup<DebtorId, Data.Accounts.AccountSummary> _summaries;
    private readonly ILookup<DebtorId, Domain.Conversations.Interaction> _log;
    private readonly ILookup<DebtorId, ComplianceExceptionGrant> _grants;
    private readonly Disputes.DisputeFacts _disputes;
    private readonly Holds.CollectionStops _stops;

    private GateFacts(
        ILookup<DebtorId, Data.Accounts.AccountSummary> summaries, ILookup<DebtorId, Domain.Conversations.Interaction> log,
        ILookup<DebtorId, ComplianceExceptionGrant> grants, Disputes.DisputeFacts disputes, Holds.CollectionStops stops)
    {
        _summaries = summaries;
        _log = log;
        _grants = grants;
        _disputes = disputes;
        _stops = stops;
    }

    /// <summary>The facts of <paramref name="debtorIds"/> for contacts at <paramref name="at"/>.</summary>
    public static async Task<GateFacts> LoadAsync(RecoupDbContext db, IReadOnlyCollection<DebtorId> debtorIds, DateTimeOffset at, CancellationToken ct)
    {
        var ids = debtorIds.Distinct().ToList();
        var summaries = await Chunks.QueryAsync(ids, chunk => db.AccountSummaries.AsNoTracking().Where(s => chunk.Contains(s.DebtorId)), ct);
        var log = await Chunks.QueryAsync(ids, chunk => db.Interactions.AsNoTracking().Where(i => chunk.Contains(i.DebtorId)), ct);
        var grants = await Chunks.QueryAsync(ids, chunk => db.ComplianceExceptionGrants.AsNoTracking().Where(g => chunk.Contains(g.DebtorId) && g.ValidUntil > at), ct);
        var disputes = await Disputes.DisputeFacts.LoadAsync(db, ids, ct);
        var stops = await Holds.CollectionStops.LoadAsync(db, ids, at, ct);
        return new GateFacts(summaries.ToLookup(s => s.DebtorId), log.ToLookup(i => i.DebtorId), grants.ToLookup(g => g.DebtorId), disputes, stops);
    }

    /// <summary>One debtor's facts (its contact points, accounts, history, exceptions, disputes, holds and placements).</summary>
    public ContactCase For(DebtorContacts debtor)
    {
        ArgumentNullException.ThrowIfNull(debtor);
        var facts = _disputes.Apply(ComplianceCheck.Facts(debtor, [.. _summaries[debtor.Id]], [.. _log[debtor.Id]], [.. _grants[debtor.Id]]));
        return _stops.Apply(facts, debtor.Id);
    }

    /// <summary>The gate's answer for an automated contact through <paramref name="point"/> about <paramref name="account"/>.</summary>
    public GateDecision Check(
        DebtorContacts debtor, ContactPoint point, ContactChannel channel, AccountId account, DateTimeOffset at, RuleSet rules, ContactPurpose purpose = ContactPurpose.None) =>
        ComplianceGate.Check(For(debtor), new ContactAttempt(channel, ComplianceCheck.PointFacts(point), at, [account.ToString()], Automated: true, Purpose: purpose), rules);

    /// <summary>
    /// What an outbox message is for, as the gate reads it: the acknowledgement and the resolution of a dispute answer the
    /// debtor's dispute (<see cref="ContactPurpose.DisputeResponse"/>, allowed while the dispute holds the debt).
    /// </summary>
    public static ContactPurpose PurposeOf(string? messagePurpose) => messagePurpose switch
    {
        "dispute_acknowledgement" or "dispute_resolution" => ContactPurpose.DisputeResponse,
        _ => ContactPurpose.None,
    };

    /// <summary>A refusal as one line: each rule with its citation and message.</summary>
    public static string Describe(GateDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return string.Join("; ", decision.Reasons.Select(r => $"{r.Rule} ({r.Citation}): {r.Message}"));
    }
}
