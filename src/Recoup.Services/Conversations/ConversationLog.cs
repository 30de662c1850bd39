using Microsoft.EntityFrameworkCore;
using Recoup.Domain;
using Recoup.Domain.Conversations;
using Recoup.Services.Audit;
using Recoup.Services.Storage;

namespace Recoup.Services.Conversations;

/// <summary>
/// Records interactions in the conversation log. In the same transaction: the accounts keep the
/// reason for delinquency the conversation learned, their summaries the time of the last contact
/// attempt, the work queue takes them out of "next" until the next build, a call that found the
/// number disconnected or a wrong party marks the number, and the audit log (the timeline) says who
/// recorded what.
/// </summary>
public sealed class ConversationLog(RecoupDatabase database, TimeProvider clock)
{
    public async Task<Result<Interaction>> RecordAsync(string debtorId, InteractionDraft draft, string actor, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var debtor = await db.Debtors.Include(d => d.ContactPoints).SingleOrDefaultAsync(d => d.ExternalId == debtorId, ct);
        if (debtor is null)
        {
            return new Error("debtor_not_found", $"There is no debtor '{debtorId}'", "debtor_id");
        }

        var accounts = await db.Accounts.Where(a => a.DebtorId == debtor.Id).ToListAsync(ct);
        var corrected = draft.Corrects is { } correctedId ? await db.Interactions.AsNoTracking().SingleOrDefaultAsync(i => i.Id == correctedId, ct) : null;
        var now = clock.GetUtcNow();
        var normalized = draft with { OccurredAt = draft.OccurredAt.ToUniversalTime() };
        var recorded = Interaction.Record(InteractionId.New(now), debtor.Id, normalized, debtor.ContactPoints, accounts.Select(a => a.Id).ToList(), corrected, actor, now);
        if (!recorded.IsSuccess)
        {
            return recorded;
        }

        var entry = recorded.Value;
        db.Interactions.Add(entry);
        var covered = accounts.Where(a => entry.AccountIds.Contains(a.Id)).ToList();
        if (entry.Reason is { } reason)
        {
            covered.ForEach(a => a.RecordDelinquencyReason(reason, entry.OccurredAt));
        }

        if (entry.ContactPointId is { } pointId)
        {
            // Record checked that the point is the debtor's.
            var point = debtor.ContactPoints.First(c => c.Id == pointId);
            if (entry.Outcome == InteractionOutcome.Disconnected)
            {
                point.ChangeStatus(Domain.Debtors.ContactStatus.Disconnected);
            }
            else if (entry.Outcome == InteractionOutcome.WrongParty)
            {
                point.ChangeStatus(Domain.Debtors.ContactStatus.Bad);
            }
            else if (entry.IsRightPartyContact && point.Status == Domain.Debtors.ContactStatus.Unverified)
            {
                point.ChangeStatus(Domain.Debtors.ContactStatus.Good);
            }
        }

        if (entry.Outcome == InteractionOutcome.CeaseRequested)
        {
            debtor.CeaseCommunication(entry.OccurredAt);
        }

        var guids = covered.Select(a => a.Id.Value).ToList();
        var isContact = entry.Channel is not (InteractionChannel.Note or InteractionChannel.PortalAction);
        var summaries = await db.AccountSummaries.Where(s => guids.Contains(s.AccountId)).ToListAsync(ct);
        foreach (var summary in summaries)
        {
            if (isContact && (summary.LastContactAt is null || summary.LastContactAt < entry.OccurredAt))
            {
                summary.LastContactAt = entry.OccurredAt;
            }
        }

        Accounts.AccountSummaries.RefreshContacts(summaries, _ => debtor);

        foreach (var queued in await db.WorkQueueEntries.Where(q => guids.Contains(q.AccountId) && q.WorkedAt == null).ToListAsync(ct))
        {
            queued.WorkedAt = now;
        }

        foreach (var account in covered)
        {
            db.AuditLog.Add(AuditLog.Record(now, actor, "interaction.recorded", AuditEntities.Account, account.Id.ToString(), null, new
            {
                interaction_id = entry.Id.ToString(),
                channel = Interaction.Label(entry.Channel),
                outcome = Interaction.Label(entry.Outcome),
                party = Interaction.Label(entry.Party),
                occurred_at = entry.OccurredAt,
                reason = entry.Reason is { } r ? Interaction.Label(r) : null,
                corrects = entry.Corrects?.ToString(),
            }));
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return entry;
    }

    /// <summary>The debtor's log, newest first.</summary>
    public async Task<IReadOnlyList<Interaction>> ListAsync(string debtorId, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var debtor = await db.Debtors.AsNoTracking().Where(d => d.ExternalId == debtorId).Select(d => d.Id).ToListAsync(ct);
        if (debtor is not [var id])
        {
            return [];
        }

        var entries = await db.Interactions.AsNoTracking().Where(i => i.DebtorId == id).ToListAsync(ct);
        return [.. entries.OrderByDescending(i => i.OccurredAt).ThenByDescending(i => i.Id.Value)];
    }
}
