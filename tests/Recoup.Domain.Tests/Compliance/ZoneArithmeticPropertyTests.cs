using CsCheck;
using Recoup.Domain.Compliance;
using static Recoup.Domain.Tests.Compliance.Gate;

namespace Recoup.Domain.Tests.Compliance;

/// <summary>
/// The gate keeps its own table of each zone's offsets for speed; these properties hold it to
/// <see cref="TimeZoneInfo"/> across zones with unusual rules, over the years the table covers (1970-2100) and a few
/// after. (Before 1970 .NET itself converts some zones differently from local and from UTC times.)
/// </summary>
public class ZoneArithmeticPropertyTests
{
    private static readonly string[] TestZones =
    [
        Eastern, Central, "America/Denver", "America/Phoenix", Pacific, "America/Anchorage", "Pacific/Honolulu",
        "America/St_Johns", "Europe/London", "Australia/Lord_Howe", "Pacific/Chatham", "America/Santiago",
        "Asia/Kolkata", "Pacific/Apia", "America/Havana",
    ];

    private static readonly long From = new DateTime(1971, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
    private static readonly long To = new DateTime(2105, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    [Fact]
    public void CallingHours_MatchTimeZoneInfo_AndNextAllowedAtIsTheNext0800() =>
        Gen.Select(Gen.Int[0, TestZones.Length - 1], Gen.Long[From, To]).Sample((zoneIndex, ticks) =>
        {
            var zoneId = TestZones[zoneIndex];
            var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
            var at = new DateTimeOffset(ticks, TimeSpan.Zero);
            var local = TimeZoneInfo.ConvertTime(at, zone);

            var decision = ACase(zoneId).Check(Call(at));

            var convenient = local.TimeOfDay >= TimeSpan.FromHours(8) && local.TimeOfDay <= TimeSpan.FromHours(21);
            Assert.Equal(convenient, decision.Allowed);
            if (!convenient)
            {
                var day = local.TimeOfDay < TimeSpan.FromHours(8) ? local.Date : local.Date.AddDays(1);
                var eight = DateTime.SpecifyKind(day.AddHours(8), DateTimeKind.Unspecified);
                var expected = zone.IsAmbiguousTime(eight)
                    ? new DateTimeOffset(eight, zone.GetAmbiguousTimeOffsets(eight).Max())
                    : new DateTimeOffset(eight, zone.GetUtcOffset(eight));
                Assert.Equal(expected, decision.NextAllowedAt);
            }
        }, iter: 20_000);

    [Fact]
    public void QuietPeriod_EndsAtTheFirstInstantOfTheEighthLocalDay() =>
        Gen.Select(Gen.Int[0, TestZones.Length - 1], Gen.Long[From, To]).Sample((zoneIndex, ticks) =>
        {
            var zoneId = TestZones[zoneIndex];
            var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
            var conversation = new DateTimeOffset(ticks, TimeSpan.Zero);
            var facts = ACase(zoneId).With(Called(conversation, ContactOutcome.Conversation));
            var rules = RuleSet.Default with { CallsFrom = TimeOnly.MinValue, CallsUntil = TimeOnly.MaxValue };

            var decision = facts.Check(Call(conversation.AddHours(1)), rules);

            // Reference: the first minute whose local date is the conversation's local date + 7.
            var eighth = TimeZoneInfo.ConvertTime(conversation, zone).Date.AddDays(7);
            var guess = new DateTimeOffset(DateTime.SpecifyKind(eighth, DateTimeKind.Unspecified), zone.BaseUtcOffset).AddHours(-3);
            while (TimeZoneInfo.ConvertTime(guess, zone).Date < eighth)
            {
                guess = guess.AddMinutes(1);
            }

            var local = TimeZoneInfo.ConvertTime(guess.AddMinutes(-1), zone);
            var exact = local.Date < eighth ? guess.AddTicks(-(guess.Ticks % TimeSpan.TicksPerMinute)) : guess;
            Assert.Equal(exact, decision.NextAllowedAt);
        }, iter: 3_000);
}
