namespace Recoup.Domain.WorkQueues;

public enum FollowUpKind
{
    /// <summary>Call the debtor back at the agreed time.</summary>
    Callback,

    /// <summary>Anything else to do on the account by a date: check a payment arrived, send a document.</summary>
    Task,
}

public enum FollowUpState
{
    Open,
    Done,
    Cancelled,
}

/// <summary>
/// A callback or task on an account, due at a moment agreed in the debtor's local time. The due
/// instant is kept in UTC together with the local wall-clock time and the zone it was agreed in, so
/// the list can show "10:30 in Chicago" and sort by the instant.
/// </summary>
public sealed class FollowUp
{
    private FollowUp()
    {
        Owner = "";
        DueTimeZone = "";
        CreatedBy = "";
    }

    private FollowUp(FollowUpId id, AccountId accountId, DebtorId debtorId, FollowUpKind kind, DateTimeOffset dueAt, DateTime dueLocal, string zone,
        string owner, string? note, InteractionId? origin, string createdBy, DateTimeOffset createdAt)
    {
        Id = id;
        AccountId = accountId;
        DebtorId = debtorId;
        Kind = kind;
        DueAt = dueAt;
        DueLocal = dueLocal;
        DueTimeZone = zone;
        Owner = owner;
        Note = note;
        Origin = origin;
        State = FollowUpState.Open;
        CreatedBy = createdBy;
        CreatedAt = createdAt;
    }

    public FollowUpId Id { get; private set; }
    public AccountId AccountId { get; private set; }
    public DebtorId DebtorId { get; private set; }
    public FollowUpKind Kind { get; private set; }

    /// <summary>The due instant (UTC).</summary>
    public DateTimeOffset DueAt { get; private set; }

    /// <summary>The due wall-clock time in <see cref="DueTimeZone"/>, as agreed with the debtor.</summary>
    public DateTime DueLocal { get; private set; }

    /// <summary>The IANA zone <see cref="DueLocal"/> is in.</summary>
    public string DueTimeZone { get; private set; }

    /// <summary>The user name of the collector who must do it.</summary>
    public string Owner { get; private set; }

    public string? Note { get; private set; }

    /// <summary>The conversation in which the follow-up was agreed, if any.</summary>
    public InteractionId? Origin { get; private set; }

    public FollowUpState State { get; private set; }
    public string CreatedBy { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public string? ClosedBy { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }

    public bool IsOverdue(DateTimeOffset now) => State == FollowUpState.Open && DueAt <= now;

    /// <summary>
    /// Schedules a follow-up at a local time in the debtor's zone. A local time that does not exist
    /// (skipped by a daylight-saving change) is refused; an ambiguous one (repeated in autumn) takes
    /// the first occurrence.
    /// </summary>
    public static Result<FollowUp> Schedule(
        FollowUpId id, AccountId accountId, DebtorId debtorId, FollowUpKind kind, DateTime dueLocal, string timeZone, string owner,
        string? note, InteractionId? origin, string createdBy, DateTimeOffset now)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _))
        {
            return new Error("time_zone_unknown", $"'{timeZone}' is not a time zone such as America/Chicago", "time_zone");
        }

        if (string.IsNullOrWhiteSpace(owner))
        {
            return new Error("owner_missing", "Say who must do the follow-up", "owner");
        }

        if (note is { Length: > 1000 })
        {
            return new Error("note_too_long", "A follow-up note is limited to 1,000 characters", "note");
        }

        var due = DueInstant(dueLocal, timeZone, now);
        if (!due.IsSuccess)
        {
            return due.Error!;
        }

        return new FollowUp(id, accountId, debtorId, kind, due.Value, DateTime.SpecifyKind(dueLocal, DateTimeKind.Unspecified), timeZone, owner.Trim(),
            string.IsNullOrWhiteSpace(note) ? null : note.Trim(), origin, createdBy, now);
    }

    /// <summary>
    /// The UTC instant of a wall-clock time in a zone, as a follow-up is due: a time the clocks skip is
    /// refused, a repeated one is its first occurrence, and one that has passed (a minute's grace) is refused.
    /// </summary>
    public static Result<DateTimeOffset> DueInstant(DateTime dueLocal, string timeZone, DateTimeOffset now)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone))
        {
            return new Error("time_zone_unknown", $"'{timeZone}' is not a time zone such as America/Chicago", "time_zone");
        }

        var local = DateTime.SpecifyKind(dueLocal, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            return new Error("due_time_skipped", $"{local:yyyy-MM-dd HH:mm} does not exist in {timeZone}: the clocks jump forward then", "due_at");
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        var dueAt = new DateTimeOffset(local, offset).ToUniversalTime();
        if (dueAt < now.AddMinutes(-1))
        {
            return new Error("due_in_past", $"{local:yyyy-MM-dd HH:mm} in {timeZone} has already passed", "due_at");
        }

        return dueAt;
    }

    /// <summary>Marks the follow-up done or cancelled.</summary>
    public Result<FollowUpState> Close(FollowUpState state, string by, DateTimeOffset at)
    {
        if (state == FollowUpState.Open)
        {
            return new Error("state_invalid", "A follow-up is closed as done or cancelled", "state");
        }

        if (State != FollowUpState.Open)
        {
            return new Error("follow_up_closed", $"This follow-up was already {State.ToString().ToLowerInvariant()} by {ClosedBy}", "state");
        }

        State = state;
        ClosedBy = by;
        ClosedAt = at;
        return state;
    }

    /// <summary>Hands the follow-up to another collector.</summary>
    public void Reassign(string owner) => Owner = owner;
}
