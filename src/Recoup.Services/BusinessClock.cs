namespace Recoup.Services;

/// <summary>The business date, read from the injected clock (the domain never reads one).</summary>
public static class BusinessClock
{
    /// <summary>Today's date in UTC: the default "as of" date of reports and the latest date a payment can be received.</summary>
    public static DateOnly Today(this TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}
