namespace Recoup.Domain.Holds;

/// <summary>
/// A collection hold pauses all collection on an account, or on one invoice of it, for a reason, from
/// <c>startsOn</c> (which may be in the past: a backdated hold) until <c>endsOn</c> (exclusive: collection resumes by
/// itself on that day), unless released earlier.
/// </summary>
public static class CollectionHoldRules
{
    /// <summary>How far back a hold may be dated.</summary>
    public const int MaxBackdateDays = 366;

    /// <summary>The longest hold.</summary>
    public const int MaxDays = 366;

    public const int MaxReasonLength = 500;

    /// <summary>Whether a hold is in force on <paramref name="on"/>.</summary>
    public static bool InForce(DateOnly startsOn, DateOnly endsOn, DateOnly? releasedOn, DateOnly on) =>
        startsOn <= on && on < endsOn && (releasedOn is not { } released || on < released);

    /// <summary>Everything wrong with a hold to be set on <paramref name="today"/>, each with its field.</summary>
    public static IReadOnlyList<Error> Validate(string? reason, DateOnly startsOn, DateOnly endsOn, DateOnly today)
    {
        var errors = new List<Error>();
        if (string.IsNullOrWhiteSpace(reason))
        {
            errors.Add(new Error("reason_missing", "Say why collection is held", "reason"));
        }
        else if (reason.Trim().Length > MaxReasonLength)
        {
            errors.Add(new Error("reason_too_long", $"The reason may be at most {MaxReasonLength} characters", "reason"));
        }

        if (startsOn < today.AddDays(-MaxBackdateDays))
        {
            errors.Add(new Error("hold_starts_too_early", $"A hold may be backdated by at most {MaxBackdateDays} days", "starts_on"));
        }

        if (endsOn <= startsOn)
        {
            errors.Add(new Error("hold_ends_before_start", $"The hold must end after it starts ({startsOn:yyyy-MM-dd})", "ends_on"));
        }
        else if (endsOn <= today)
        {
            errors.Add(new Error("hold_already_ended", $"A hold ending on {endsOn:yyyy-MM-dd} would already be over; collection resumes on the end date", "ends_on"));
        }
        else if (endsOn.DayNumber - startsOn.DayNumber > MaxDays)
        {
            errors.Add(new Error("hold_too_long", $"A hold may last at most {MaxDays} days; set a new one when it ends", "ends_on"));
        }

        return errors;
    }
}

/// <summary>Who an account is placed with. The API spells them <c>attorney</c>, <c>agency</c>.</summary>
public enum PlacementKind
{
    Attorney,
    Agency,
}

/// <summary>Where a placement is. The API spells them <c>placed</c>, <c>in_suit</c>, <c>judgment</c>, <c>recalled</c>, <c>returned</c>.</summary>
public enum PlacementStatus
{
    /// <summary>With the attorney or agency, who now collects.</summary>
    Placed,

    /// <summary>The attorney has sued.</summary>
    InSuit,

    /// <summary>A judgment was obtained.</summary>
    Judgment,

    /// <summary>We took it back.</summary>
    Recalled,

    /// <summary>The attorney or agency gave it back.</summary>
    Returned,
}

/// <summary>The life of a placement: placed → in suit → judgment, and at any point recalled or returned, which end it.</summary>
public static class PlacementRules
{
    /// <summary>While placed, in suit or at judgment the attorney or agency collects, and Recoup's own collection stops.</summary>
    public static bool IsActive(PlacementStatus status) => status switch
    {
        PlacementStatus.Placed or PlacementStatus.InSuit or PlacementStatus.Judgment => true,
        PlacementStatus.Recalled or PlacementStatus.Returned => false,
    };

    /// <summary>Whether a placement may move from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool CanMove(PlacementStatus from, PlacementStatus to) => (from, to) switch
    {
        (PlacementStatus.Placed, PlacementStatus.InSuit or PlacementStatus.Judgment or PlacementStatus.Recalled or PlacementStatus.Returned) => true,
        (PlacementStatus.InSuit, PlacementStatus.Judgment or PlacementStatus.Recalled or PlacementStatus.Returned) => true,
        (PlacementStatus.Judgment, PlacementStatus.Recalled or PlacementStatus.Returned) => true,
        _ => false,
    };
}
