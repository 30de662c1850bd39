using Microsoft.Extensions.Configuration;
using Recoup.Services.Strategies;

namespace Recoup.Services.Tests.Strategies;

/// <summary>When <c>recoup serve</c> runs the daily run: the configured local time, for that local date.</summary>
public sealed class DailyRunScheduleTests
{
    private static DailyRunSchedule? Load(params (string Key, string Value)[] settings) =>
        DailyRunSchedule.Load(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build());

    [Fact]
    public void WithoutATime_TheSchedulerIsOff()
    {
        Assert.Null(Load());
    }

    [Fact]
    public void TheRun_IsDueAtTheLocalTime_ForTheLocalDate()
    {
        var schedule = Load(("Recoup:DailyRun:At", "06:00"), ("Recoup:DailyRun:TimeZone", "America/Chicago"))!;

        // 10:00 UTC on 30 November is 04:00 in Chicago: today's run at 06:00 local (12:00 UTC) is next.
        Assert.Equal((new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero), new DateOnly(2026, 11, 30)),
            schedule.Next(new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero)));

        // Exactly at 06:00 local the run is starting: the next one is tomorrow's.
        Assert.Equal((new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero), new DateOnly(2026, 12, 1)),
            schedule.Next(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("6 am", "Etc/UTC", "Recoup:DailyRun:At")]
    [InlineData("06:00", "Mars/Olympus", "Recoup:DailyRun:TimeZone")]
    public void AMistake_IsAnErrorNamingTheKey(string at, string zone, string key)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Load(("Recoup:DailyRun:At", at), ("Recoup:DailyRun:TimeZone", zone)));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}
