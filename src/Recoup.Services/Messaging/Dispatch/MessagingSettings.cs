using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Recoup.Services.Messaging.Dispatch;

/// <summary>
/// How the outbox is delivered, from the configuration section <c>Recoup:Messaging</c> (docs/messaging.md):
/// <list type="bullet">
/// <item><c>PublicBaseUrl</c>: where debtors reach Recoup from outside, for the opt-out link <c>{PublicBaseUrl}/opt-out/{message id}</c>.</item>
/// <item><c>MaxAttempts</c>: tries before a message is given up as failed; default 8.</item>
/// <item><c>RetryBaseSeconds</c> / <c>RetryMaxSeconds</c>: the first retry waits the base, each next one twice as long, never more than the maximum; default 60 and 21,600 (6 hours).</item>
/// <item><c>LeaseSeconds</c>: a message claimed longer ago than this by a dispatcher that never recorded the outcome is claimed again; default 300.</item>
/// <item><c>BatchSize</c>: messages claimed at a time; default 50. <c>PollSeconds</c>: the background dispatcher's pause when the outbox is empty; default 10.</item>
/// <item><c>BusinessHours:Start</c>, <c>BusinessHours:End</c> (<c>HH:mm</c>, default 09:00 and 17:00) and <c>BusinessHours:Days</c> (default <c>Mon,Tue,Wed,Thu,Fri</c>): when e-mail and texts to business debtors may go out, in the debtor's time zone.</item>
/// </list>
/// </summary>
public sealed record MessagingSettings
{
    public const string Section = "Recoup:Messaging";

    public string PublicBaseUrl { get; init; } = "http://127.0.0.1:5080";

    public int MaxAttempts { get; init; } = 8;

    public TimeSpan RetryBase { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan RetryMax { get; init; } = TimeSpan.FromHours(6);

    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(5);

    public int BatchSize { get; init; } = 50;

    public TimeSpan Poll { get; init; } = TimeSpan.FromSeconds(10);

    public BusinessHours BusinessHours { get; init; } = BusinessHours.Default;

    public static MessagingSettings Default { get; } = new();

    /// <summary>The opt-out page of a message: <c>{PublicBaseUrl}/opt-out/{id}</c>.</summary>
    public string OptOutUrl(Guid messageId) => $"{PublicBaseUrl.TrimEnd('/')}/opt-out/{messageId:D}";

    /// <summary>The wait before the next try after <paramref name="attempts"/> failed ones: base × 2^(attempts−1), at most the maximum.</summary>
    public TimeSpan RetryDelay(int attempts)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var seconds = RetryBase.TotalSeconds * Math.Pow(2, exponent);
        return seconds >= RetryMax.TotalSeconds ? RetryMax : TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Reads the section; a wrong value stops the start-up with a message naming the key.</summary>
    /// <exception cref="InvalidOperationException">A value is invalid.</exception>
    public static MessagingSettings Load(IConfiguration? configuration)
    {
        if (configuration is null)
        {
            return Default;
        }

        var section = configuration.GetSection(Section);
        var settings = Default;
        if (section["PublicBaseUrl"] is { Length: > 0 } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            {
                throw new InvalidOperationException($"{Section}:PublicBaseUrl must be an absolute http(s) address, not '{url}'");
            }

            settings = settings with { PublicBaseUrl = url.TrimEnd('/') };
        }

        settings = settings with
        {
            MaxAttempts = Positive(section, "MaxAttempts") ?? settings.MaxAttempts,
            RetryBase = Seconds(section, "RetryBaseSeconds") ?? settings.RetryBase,
            RetryMax = Seconds(section, "RetryMaxSeconds") ?? settings.RetryMax,
            Lease = Seconds(section, "LeaseSeconds") ?? settings.Lease,
            BatchSize = Positive(section, "BatchSize") ?? settings.BatchSize,
            Poll = Seconds(section, "PollSeconds") ?? settings.Poll,
            BusinessHours = BusinessHours.Load(section.GetSection("BusinessHours")),
        };
        return settings;
    }

    private static int? Positive(IConfigurationSection section, string key) =>
        ConfigurationValues.Int(section, key) is { } value
            ? value > 0 ? value : throw new InvalidOperationException($"{section.Path}:{key} must be at least 1")
            : null;

    private static TimeSpan? Seconds(IConfigurationSection section, string key) =>
        Positive(section, key) is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
}

/// <summary>
/// The hours at which e-mail and texts may reach a business: a window of the day on some days of the
/// week, in the recipient's own time zone. Where the debtor may be in several zones, the window must
/// be open in every one of them.
/// </summary>
public sealed record BusinessHours(TimeOnly Start, TimeOnly End, IReadOnlySet<DayOfWeek> Days)
{
    public static BusinessHours Default { get; } = new(new TimeOnly(9, 0), new TimeOnly(17, 0),
        new HashSet<DayOfWeek> { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday });

    /// <summary>Whether <paramref name="at"/> is within the hours in every one of <paramref name="zones"/> (UTC when none is known).</summary>
    public bool IsOpen(DateTimeOffset at, IReadOnlyList<string> zones)
    {
        foreach (var zone in zones.Count == 0 ? ["UTC"] : zones)
        {
            var local = TimeZoneInfo.ConvertTime(at, Find(zone));
            var time = TimeOnly.FromDateTime(local.DateTime);
            if (!Days.Contains(local.DayOfWeek) || time < Start || time >= End)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The first instant at or after <paramref name="at"/>, to the minute, when the hours are open in every zone; null when they never are within two weeks.</summary>
    public DateTimeOffset? NextOpen(DateTimeOffset at, IReadOnlyList<string> zones)
    {
        var probe = new DateTimeOffset(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        if (probe < at)
        {
            probe = probe.AddMinutes(1);
        }

        // Quarter hours first (zones differ by whole quarters), then back to the minute of opening.
        for (var step = 0; step < 14 * 24 * 4; step++, probe = probe.AddMinutes(15))
        {
            if (IsOpen(probe, zones))
            {
                var earliest = probe;
                while (earliest.AddMinutes(-1) >= at && IsOpen(earliest.AddMinutes(-1), zones))
                {
                    earliest = earliest.AddMinutes(-1);
                }

                return earliest;
            }
        }

        return null;
    }

    private static TimeZoneInfo Find(string zone)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(zone);
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.Utc;
        }
    }

    internal static BusinessHours Load(IConfigurationSection section)
    {
        var start = Time(section, "Start") ?? Default.Start;
        var end = Time(section, "End") ?? Default.End;
        if (end <= start)
        {
            throw new InvalidOperationException($"{section.Path}:End must be after {section.Path}:Start");
        }

        var days = Default.Days;
        if (section["Days"] is { Length: > 0 } text)
        {
            var parsed = new HashSet<DayOfWeek>();
            foreach (var word in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var day = Enum.GetValues<DayOfWeek>().FirstOrDefault(d => d.ToString().StartsWith(word, StringComparison.OrdinalIgnoreCase) && word.Length >= 3, (DayOfWeek)(-1));
                if (day == (DayOfWeek)(-1))
                {
                    throw new InvalidOperationException($"{section.Path}:Days: '{word}' is not a day of the week; write e.g. Mon,Tue,Wed,Thu,Fri");
                }

                parsed.Add(day);
            }

            days = parsed;
        }

        return new BusinessHours(start, end, days);
    }

    private static TimeOnly? Time(IConfigurationSection section, string key) =>
        section[key] is not { Length: > 0 } text ? null
        : TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time
        : throw new InvalidOperationException($"{section.Path}:{key} must be a time of day as HH:mm, not '{text}'");
}
