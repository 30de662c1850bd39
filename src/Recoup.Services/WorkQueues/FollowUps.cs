using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Recoup.Domain;
using Recoup.Domain.WorkQueues;
using Recoup.Services.Audit;
using Recoup.Services.Storage;

namespace Recoup.Services.WorkQueues;

/// <summary>A callback or task to schedule on an account, as a collector (or a client of the API) asks for it.</summary>
/// <param name="DueLocal">The wall-clock time it is due, in <paramref name="TimeZone"/>.</param>
/// <param name="TimeZone">The IANA zone the time was agreed in; null for the debtor's zone, when the debtor has exactly one.</param>
/// <param name="Owner">The user name of who must do it.</param>
/// <param name="Origin">The conversation in which it was agreed, if any; it must be the debtor's.</param>
public sealed record ScheduleFollowUp(
    AccountId AccountId, FollowUpKind Kind, DateTime DueLocal, string? TimeZone, string Owner, string? Note = null, InteractionId? Origin = null);

/// <summary>A follow-up with the debtor it is about, and whether it is overdue at the time it was read.</summary>
public sealed record FollowUpItem(FollowUp FollowUp, string DebtorId, string DebtorName, bool Overdue);

/// <summary>
/// Follow-ups: schedules callbacks and tasks at a local time in the debtor's zone, closes them, and
/// lists a collector's open ones (overdue first) or an account's. Every change is written to the
/// audit log (the account's timeline) in the same transaction.
/// </summary>
public sealed class FollowUps(RecoupDatabase database, TimeProvider clock)
{
    public const string NotFound = "follow_up_not_found";
    public const string ConcurrentClose = "follow_up_closed";

    /// <summary>How many follow-ups a list holds at most; a collector with more has a problem no page solves.</summary>
    public const int MaxListed = 1_000;

    /// <summary>
    /// Schedules a follow-up. Without a time zone the debtor's is used when the debtor has exactly
    /// one possible zone; with none or several the caller must choose, and the error says which
    /// zones are possible. The owner must be a user of Recoup.
    /// </summary>
    public async Task<Result<FollowUpItem>> ScheduleAsync(ScheduleFollowUp request, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var accountId = request.AccountId;
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == accountId, ct);
        if (account is null)
        {
            return new Error("account_not_found", $"There is no account {request.AccountId}");
        }

        var debtor = await db.Debtors.AsNoTracking().Include(d => d.ContactPoints).SingleAsync(d => d.Id == account.DebtorId, ct);
        var zone = request.TimeZone?.Trim();
        if (string.IsNullOrEmpty(zone))
        {
            var possible = debtor.PossibleTimeZones();
            if (possible is not [var only])
            {
                return new Error("time_zone_required", possible.Count == 0
                    ? $"{debtor.Name}'s time zone is not known; give the time zone the follow-up is agreed in (an IANA zone such as America/Chicago)"
                    : $"{debtor.Name} may be in {Join(possible)}; say which time zone the follow-up is agreed in", "time_zone");
            }

            zone = only;
        }

        var owner = request.Owner?.Trim() ?? "";
        if (owner.Length > 0)
        {
            var normalized = owner.ToUpperInvariant();
            var user = await db.Users.AsNoTracking().Where(u => u.NormalizedUserName == normalized).Select(u => u.UserName).FirstOrDefaultAsync(ct);
            if (user is null)
            {
                return new Error("owner_unknown", $"There is no user '{owner}' to own the follow-up", "owner");
            }

            owner = user;
        }

        if (request.Origin is { } originId)
        {
            var debtorId = debtor.Id;
            if (!await db.Interactions.AsNoTracking().AnyAsync(i => i.Id == originId && i.DebtorId == debtorId, ct))
            {
                return new Error("origin_not_found", $"There is no conversation {originId} with {debtor.Name}", "origin_interaction_id");
            }
        }

        var now = clock.GetUtcNow();
        var scheduled = FollowUp.Schedule(FollowUpId.New(now), account.Id, debtor.Id, request.Kind, request.DueLocal, zone, owner, request.Note, request.Origin, actor, now);
        if (scheduled.Error is { } refused)
        {
            return refused;
        }

        var followUp = scheduled.Value;
        db.FollowUps.Add(followUp);
        db.AuditLog.Add(AuditLog.Record(now, actor, "follow_up.scheduled", AuditEntities.Account, account.Id.ToString(), null, Describe(followUp)));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new FollowUpItem(followUp, debtor.ExternalId, debtor.Name, followUp.IsOverdue(now));
    }

    /// <summary>Marks an open follow-up done or cancelled. Closing one already closed is refused, also when two people close it at once.</summary>
    public async Task<Result<FollowUpItem>> CloseAsync(FollowUpId id, FollowUpState state, string actor, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var followUp = await db.FollowUps.AsNoTracking().SingleOrDefaultAsync(f => f.Id == id, ct);
        if (followUp is null)
        {
            return new Error(NotFound, $"There is no follow-up {id}");
        }

        var now = clock.GetUtcNow();
        var closed = followUp.Close(state, actor, now);
        if (closed.Error is { } refused)
        {
            return refused;
        }

        // Only the request that finds it still open closes it: two people closing it at once cannot both succeed.
        var changed = await db.FollowUps.Where(f => f.Id == id && f.State == FollowUpState.Open).ExecuteUpdateAsync(set => set
            .SetProperty(f => f.State, followUp.State)
            .SetProperty(f => f.ClosedBy, followUp.ClosedBy)
            .SetProperty(f => f.ClosedAt, followUp.ClosedAt), ct);
        if (changed == 0)
        {
            await transaction.RollbackAsync(ct);
            return new Error(ConcurrentClose, "This follow-up was closed by someone else a moment ago", "state");
        }

        var action = state == FollowUpState.Done ? "follow_up.done" : "follow_up.cancelled";
        db.AuditLog.Add(AuditLog.Record(now, actor, action, AuditEntities.Account, followUp.AccountId.ToString(),
            new { follow_up_id = followUp.Id.ToString(), state = "open" },
            new { follow_up_id = followUp.Id.ToString(), state = Name(followUp.State), kind = Name(followUp.Kind), owner = followUp.Owner }));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);

        var debtor = await db.Debtors.AsNoTracking().Where(d => d.Id == followUp.DebtorId).Select(d => new { d.ExternalId, d.Name }).SingleAsync(ct);
        return new FollowUpItem(followUp, debtor.ExternalId, debtor.Name, followUp.IsOverdue(now));
    }

    /// <summary>The owner's open follow-ups: overdue ones first, then the rest, each by its due instant (earliest first).</summary>
    public async Task<IReadOnlyList<FollowUpItem>> ListForOwnerAsync(string owner, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        await using var db = database.CreateContext();
        var open = await db.FollowUps.AsNoTracking()
            .Where(f => f.Owner == owner && f.State == FollowUpState.Open)
            .OrderBy(f => f.DueAt)
            .Take(MaxListed)
            .Join(db.Debtors, f => f.DebtorId, d => d.Id, (f, d) => new { FollowUp = f, d.ExternalId, d.Name })
            .ToListAsync(ct);

        // The due instant orders overdue ones before the rest already; the explicit key keeps that true whatever "now" is passed.
        return open
            .Select(r => new FollowUpItem(r.FollowUp, r.ExternalId, r.Name, r.FollowUp.IsOverdue(now)))
            .OrderByDescending(i => i.Overdue)
            .ThenBy(i => i.FollowUp.DueAt)
            .ThenBy(i => i.FollowUp.Id.Value)
            .ToList();
    }

    /// <summary>
    /// The account's follow-ups: the open ones first by due instant (overdue ones are the earliest),
    /// then the closed ones, most recently closed first. Not found when there is no such account.
    /// </summary>
    public async Task<Result<IReadOnlyList<FollowUpItem>>> ListForAccountAsync(AccountId accountId, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var debtor = await db.Accounts.AsNoTracking().Where(a => a.Id == accountId)
            .Join(db.Debtors, a => a.DebtorId, d => d.Id, (a, d) => new { d.ExternalId, d.Name })
            .SingleOrDefaultAsync(ct);
        if (debtor is null)
        {
            return Result<IReadOnlyList<FollowUpItem>>.Fail("account_not_found", $"There is no account {accountId}");
        }

        var now = clock.GetUtcNow();
        var all = await db.FollowUps.AsNoTracking().Where(f => f.AccountId == accountId).ToListAsync(ct);
        IReadOnlyList<FollowUpItem> items = all
            .OrderBy(f => f.State == FollowUpState.Open ? 0 : 1)
            .ThenBy(f => f.State == FollowUpState.Open ? f.DueAt : DateTimeOffset.MaxValue)
            .ThenByDescending(f => f.ClosedAt)
            .ThenBy(f => f.Id.Value)
            .Take(MaxListed)
            .Select(f => new FollowUpItem(f, debtor.ExternalId, debtor.Name, f.IsOverdue(now)))
            .ToList();
        return Result<IReadOnlyList<FollowUpItem>>.Ok(items);
    }

    /// <summary><c>Callback</c> → <c>callback</c>: how the API and the audit log name kinds and states.</summary>
    public static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum => value.ToString().ToLowerInvariant();

    private static object Describe(FollowUp f) => new
    {
        follow_up_id = f.Id.ToString(),
        kind = Name(f.Kind),
        due_at = f.DueAt,
        due_local = f.DueLocal.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture),
        time_zone = f.DueTimeZone,
        owner = f.Owner,
        note = f.Note,
        origin_interaction_id = f.Origin?.ToString(),
    };

    private static string Join(IReadOnlyList<string> zones) =>
        zones.Count == 1 ? zones[0] : $"{string.Join(", ", zones.Take(zones.Count - 1))} or {zones[^1]}";
}
