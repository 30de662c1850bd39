using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Data.Accounts;
using Recoup.Domain;
using Recoup.Domain.Compliance;
using Recoup.Domain.Debtors;
using Recoup.Domain.WorkQueues;
using Recoup.Services.Audit;
using Recoup.Services.Compliance;
using Recoup.Services.Storage;

namespace Recoup.Services.WorkQueues;

/// <summary>Why an account is the next one.</summary>
public enum NextReason
{
    /// <summary>A callback or task of the collector's is due (overdue ones come first).</summary>
    FollowUpDue,

    /// <summary>The highest priority in the collector's queue not yet worked.</summary>
    Queue,
}

/// <summary>The way to reach the debtor the gate allows right now.</summary>
/// <param name="Excepted">The blocks a manager's documented exception lifted for this contact (empty as a rule).</param>
public sealed record ContactOption(ContactChannel Channel, ContactPointId ContactPointId, string Value, IReadOnlyList<string> RequiredDisclosures,
    IReadOnlyList<ExceptedReason> Excepted);

/// <summary>The account to work next.</summary>
/// <param name="Priority">The queue score (null for a follow-up on an account not in the queue).</param>
/// <param name="FollowUp">The due follow-up that brought the account up, when <see cref="Why"/> is <see cref="NextReason.FollowUpDue"/>.</param>
/// <param name="Contact">The first contact the gate allows now (calls first, then e-mail, then letters).</param>
/// <param name="TimeZones">The zones the debtor may be in (IANA ids), as the gate saw them.</param>
public sealed record NextAccountItem(
    AccountId AccountId,
    string DebtorId,
    string Name,
    Money Balance,
    int DaysPastDue,
    long? Priority,
    NextReason Why,
    FollowUp? FollowUp,
    ContactOption Contact,
    IReadOnlyList<string> TimeZones);

/// <summary>An account passed over because the gate blocks every way of reaching the debtor now.</summary>
public sealed record SkippedAccount(AccountId AccountId, string DebtorId, IReadOnlyList<GateReason> Reasons, DateTimeOffset? NextAllowedAt);

/// <summary>The answer of <see cref="NextAccount.FindAsync"/>.</summary>
/// <param name="Next">Null when nothing in the queue may be worked now.</param>
/// <param name="Remaining">Accounts in the collector's queue not yet worked, the next one included, counted up to <see cref="NextAccount.RemainingCountedUpTo"/>.</param>
public sealed record NextAccountResult(NextAccountItem? Next, IReadOnlyList<SkippedAccount> Skipped, int Remaining);

/// <summary>
/// "Next account" for a collector: first the collector's due follow-ups (overdue first), then the queue
/// in priority order, skipping every account the compliance gate will not let anyone contact right now
/// (calling hours in all the debtor's zones, call frequency, cease, attorney, opt-outs). Each gate
/// decision taken here is recorded on the account's timeline, as every decision of the gate is.
/// </summary>
/// <remarks>
/// Reads a batch of candidates at a time with one query per table, so finding the next account costs a
/// handful of indexed queries whatever the size of the queue. At most <see cref="MaxExamined"/> accounts
/// are examined per call; what was passed over is returned with the reasons and the time each becomes
/// contactable.
/// </remarks>
public sealed class NextAccount(RecoupDatabase database, TimeProvider clock)
{
    private const int FirstBatch = 8;
    private const int BatchSize = 20;

    /// <summary>How far back the contact history is read: the gate's frequency rules look back seven days.</summary>
    private static readonly TimeSpan HistoryWindow = TimeSpan.FromDays(30);

    /// <summary>How far <see cref="NextAccountResult.Remaining"/> counts: a collector needs "1,000 or more", not the exact number.</summary>
    public const int RemainingCountedUpTo = 1_000;

    /// <summary>The collector's queue entries not yet worked, counted up to <see cref="RemainingCountedUpTo"/>.</summary>
    public static Task<int> RemainingAsync(RecoupDbContext db, string collector, CancellationToken ct = default) =>
        db.WorkQueueEntries.Where(e => e.Collector == collector && e.WorkedAt == null).Take(RemainingCountedUpTo).CountAsync(ct);

    /// <summary>The most accounts one call examines before it gives up and says what blocks them.</summary>
    public int MaxExamined { get; init; } = 48;


    /// <summary>The rule set in force.</summary>
    public RuleSet Rules { get; init; } = RuleSet.Default;

    /// <param name="collector">The user name whose follow-ups and queue are read.</param>
    /// <param name="actor">Who asks, as the audit log records it (default the collector).</param>
    public async Task<NextAccountResult> FindAsync(string collector, string? actor = null, CancellationToken ct = default)
    {
        actor ??= collector;
        var now = clock.GetUtcNow();
        var today = clock.Today();
        await using var db = database.CreateContext();

        // One connection for the handful of queries, instead of one from the pool per query.
        await db.Database.OpenConnectionAsync(ct);
        var skipped = new List<SkippedAccount>();
        var examined = new HashSet<Guid>();

        // Due follow-ups first, overdue first.
        var due = await db.FollowUps.AsNoTracking()
            .Where(f => f.Owner == collector && f.State == FollowUpState.Open && f.DueAt <= now)
            .OrderBy(f => f.DueAt).Take(MaxExamined).ToListAsync(ct);
        foreach (var batch in due.Chunk(BatchSize))
        {
            var found = await ExamineAsync(db, batch.Select(f => (f.AccountId.Value, f.DebtorId.Value, (long?)null, (FollowUp?)f)).ToList(), now, today, skipped, examined, ct);
            if (found is not null)
            {
                return await FinishAsync(db, found, skipped, collector, actor, now, ct);
            }
        }

        // Then the queue, a batch at a time, continuing after the last one read. The first batch is small:
        // most of the time its first account may be called.
        (long Priority, Guid AccountId)? after = null;
        var batchSize = FirstBatch;
        while (examined.Count < MaxExamined)
        {
            var query = db.WorkQueueEntries.AsNoTracking().Where(e => e.Collector == collector && e.WorkedAt == null);
            if (after is { } last)
            {
                query = query.Where(e => e.Priority < last.Priority || (e.Priority == last.Priority && e.AccountId.CompareTo(last.AccountId) > 0));
            }

            var entries = await query.OrderByDescending(e => e.Priority).ThenBy(e => e.AccountId).Take(batchSize)
                .Select(e => new { e.AccountId, e.DebtorId, e.Priority }).ToListAsync(ct);
            if (entries.Count == 0)
            {
                break;
            }

            after = (entries[^1].Priority, entries[^1].AccountId);
            batchSize = BatchSize;
            var fresh = entries.Select(e => (e.AccountId, e.DebtorId, (long?)e.Priority, (FollowUp?)null)).ToList();
            var found = await ExamineAsync(db, fresh, now, today, skipped, examined, ct);
            if (found is not null)
            {
                return await FinishAsync(db, found, skipped, collector, actor, now, ct);
            }
        }

        return await FinishAsync(db, null, skipped, collector, actor, now, ct);
    }

    private async Task<NextAccountResult> FinishAsync(RecoupDbContext db, NextAccountItem? next, List<SkippedAccount> skipped, string collector, string actor, DateTimeOffset now,
        CancellationToken ct)
    {
        foreach (var skip in skipped)
        {
            db.AuditLog.Add(AuditLog.Record(now, actor, "compliance.blocked", AuditEntities.Account, skip.AccountId.ToString(), null, new
            {
                source = "work-queue",
                at = now,
                allowed = false,
                reasons = skip.Reasons.Select(r => new { r.Rule, r.Citation, r.Message }),
                next_allowed_at = skip.NextAllowedAt,
            }));
        }

        if (next is not null)
        {
            var excepted = next.Contact.Excepted;
            db.AuditLog.Add(AuditLog.Record(now, actor, excepted.Count > 0 ? "compliance.allowed_by_exception" : "compliance.allowed", AuditEntities.Account,
                next.AccountId.ToString(), null, new
                {
                    source = "work-queue",
                    channel = ContactChannels.Name(next.Contact.Channel),
                    contact_point = next.Contact.Value,
                    at = now,
                    allowed = true,
                    excepted = excepted.Select(e => new { e.Rule, e.Citation, e.Message, grant_id = e.GrantId }),
                }));
        }

        await db.SaveChangesAsync(ct);
        var remaining = await RemainingAsync(db, collector, ct);
        return new NextAccountResult(next, skipped, remaining);
    }

    /// <summary>Puts each candidate, in order, to the gate; the first with an allowed contact is the next account.</summary>
    private async Task<NextAccountItem?> ExamineAsync(RecoupDbContext db, List<(Guid AccountId, Guid DebtorId, long? Priority, FollowUp? FollowUp)> candidates,
        DateTimeOffset now, DateOnly today, List<SkippedAccount> skipped, HashSet<Guid> examined, CancellationToken ct)
    {
        candidates = candidates.Where(c => examined.Add(c.AccountId)).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        // Four queries for the whole batch: the debtors' accounts (the candidates' among them), the
        // debtors with their contact points, their recent conversations, and managers' exceptions.
        var debtorIds = candidates.Select(c => new DebtorId(c.DebtorId)).Distinct().ToList();
        var debtorSummaries = await db.AccountSummaries.AsNoTracking().Where(s => debtorIds.Contains(s.DebtorId)).ToListAsync(ct);
        var debtors = await db.Debtors.AsNoTracking().Include(d => d.ContactPoints).Where(d => debtorIds.Contains(d.Id)).ToListAsync(ct);
        var since = now - HistoryWindow;
        var history = await db.Interactions.AsNoTracking().Where(i => debtorIds.Contains(i.DebtorId) && i.OccurredAt >= since).ToListAsync(ct);
        var grants = await db.ComplianceExceptionGrants.AsNoTracking().Where(g => debtorIds.Contains(g.DebtorId) && g.ValidUntil > now).ToListAsync(ct);
        var stops = await Holds.CollectionStops.LoadAsync(db, debtorIds, now, ct);
        var disputes = await Disputes.DisputeFacts.LoadAsync(db, debtorIds, ct);

        foreach (var (accountId, _, priority, followUp) in candidates)
        {
            if (debtorSummaries.Find(s => s.AccountId == accountId) is not { } summary || debtors.Find(d => d.Id == summary.DebtorId) is not { } debtor)
            {
                continue; // the account went away since the queue was built
            }

            var facts = disputes.Apply(ComplianceCheck.Facts(debtor, debtorSummaries.Where(s => s.DebtorId == debtor.Id).ToList(),
                history.Where(i => i.DebtorId == debtor.Id).ToList(), grants.Where(g => g.DebtorId == debtor.Id).ToList()));
            facts = stops.Apply(facts, debtor.Id);
            var decision = Reach(debtor, facts, new AccountId(accountId), followUp, now);
            var daysPastDue = summary.OldestDueDate == AccountSummary.NothingOpen ? 0 : Math.Max(0, today.DayNumber - summary.OldestDueDate.DayNumber);
            if (decision.Contact is { } contact)
            {
                return new NextAccountItem(new AccountId(accountId), debtor.ExternalId, debtor.Name, new Money(summary.BalanceMinor, summary.Currency), daysPastDue,
                    priority, followUp is null ? NextReason.Queue : NextReason.FollowUpDue, followUp, contact, facts.TimeZones);
            }

            skipped.Add(new SkippedAccount(new AccountId(accountId), debtor.ExternalId, decision.Reasons, decision.NextAllowedAt));
        }

        return null;
    }

    /// <summary>
    /// The first way of reaching the debtor the gate allows now: the usable phones (primary first); for a
    /// debtor without one, the e-mail addresses; without those, the postal addresses. When none is allowed, the reasons of every attempt (each
    /// once) and the earliest time any of them becomes allowed.
    /// </summary>
    private (ContactOption? Contact, IReadOnlyList<GateReason> Reasons, DateTimeOffset? NextAllowedAt) Reach(
        Debtor debtor, ContactCase facts, AccountId account, FollowUp? followUp, DateTimeOffset now)
    {
        var reasons = new List<GateReason>();
        DateTimeOffset? nextAllowed = null;
        // Only the first medium the debtor can be reached by: a queue is worked by phone, so a debtor
        // with a number that may not be called now is skipped, not written to instead.
        var usable = debtor.ContactPoints.Where(p => p.IsUsable && p.OptedOutAt is null).ToList();
        var medium = usable.Count == 0 ? ContactKind.Phone : usable.Min(p => p.Kind);
        var options = usable.Where(p => p.Kind == medium).OrderByDescending(p => p.IsPrimary).ThenBy(p => p.CreatedAt);
        var debtIds = new[] { account.ToString() };
        foreach (var point in options)
        {
            var channel = point.Kind switch
            {
                ContactKind.Phone => ContactChannel.Call,
                ContactKind.Email => ContactChannel.Email,
                ContactKind.Postal => ContactChannel.Letter,
            };

            // A callback the debtor asked for is made with the debtor's direct consent (12 CFR 1006.14(b)(3)(i)).
            var consentAt = followUp is { Kind: FollowUpKind.Callback } ? followUp.CreatedAt : (DateTimeOffset?)null;
            var attempt = new ContactAttempt(channel, ComplianceCheck.PointFacts(point), now, debtIds, DirectConsentAt: consentAt);
            var decision = ComplianceGate.Check(facts, attempt, Rules);
            if (decision.Allowed)
            {
                return (new ContactOption(channel, point.Id, point.Value, decision.RequiredDisclosures, decision.Excepted), [], null);
            }

            foreach (var reason in decision.Reasons)
            {
                if (!reasons.Exists(r => r.Rule == reason.Rule && r.Message == reason.Message))
                {
                    reasons.Add(reason);
                }
            }

            if (decision.NextAllowedAt is { } at && (nextAllowed is null || at < nextAllowed))
            {
                nextAllowed = at;
            }
        }

        if (reasons.Count == 0)
        {
            reasons.Add(new GateReason("no-contact-point", "", $"{debtor.Name} has no usable phone number, e-mail or postal address", false));
        }

        return (null, reasons, nextAllowed);
    }
}
