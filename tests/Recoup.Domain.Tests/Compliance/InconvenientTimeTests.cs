using Recoup.Domain.Compliance;
using static Recoup.Domain.Tests.Compliance.Gate;

namespace Recoup.Domain.Tests.Compliance;

/// <summary>12 CFR 1006.6(b)(1)(i): before 8:00 a.m. and after 9:00 p.m. local time are inconvenient, in every zone the debtor may be in.</summary>
public class InconvenientTimeTests
{
    private const string Rule = "inconvenient-time";

    // Monday 23 November 2026; New York is UTC-5, Los Angeles UTC-8.
    [Theory]
    [InlineData(7, 59, false, 13, 0)]
    [InlineData(8, 0, true, 0, 0)]
    [InlineData(12, 0, true, 0, 0)]
    [InlineData(21, 0, true, 0, 0)]
    [InlineData(21, 1, false, 13 + 24, 0)]
    [InlineData(23, 30, false, 13 + 24, 0)]
    [InlineData(0, 15, false, 13, 0)]
    public void Call_InOneZone_IsAllowedFrom8To21Local(int hour, int minute, bool allowed, int nextUtcHour, int nextUtcMinute)
    {
        var decision = ACase(Eastern).Check(Call(Et(2026, 11, 23, hour, minute)));

        if (allowed)
        {
            AssertAllowed(decision);
        }
        else
        {
            AssertBlocked(decision, Utc(2026, 11, 23, 0, nextUtcMinute).AddHours(nextUtcHour), Rule);
        }
    }

    [Fact]
    public void Message_SaysTheLocalTimeAndTheHours() =>
        Assert.Equal(
            "It is 07:12 in America/Los_Angeles; calls are allowed from 08:00 to 21:00 there.",
            ACase(Pacific).Check(Call(Pt(2026, 11, 23, 7, 12))).Reasons.Single().Message);

    // Eastern phone, Pacific address: only 11:00-21:00 Eastern (08:00-18:00 Pacific) suits both.
    [Theory]
    [InlineData(10, 59, false)]
    [InlineData(11, 0, true)]
    [InlineData(15, 0, true)]
    [InlineData(21, 0, true)]
    [InlineData(21, 1, false)]
    public void ConflictingZones_OnlyHoursConvenientInAllOfThemAreAllowed(int easternHour, int minute, bool allowed)
    {
        var facts = ACase(Pacific);
        var attempt = Call(Et(2026, 11, 23, easternHour, minute)) with { Point = Phone(zones: Eastern) };

        var decision = facts.Check(attempt);

        Assert.Equal(allowed, decision.Allowed);
        if (!allowed)
        {
            // The next instant convenient in both zones: 11:00 Eastern (the same or the next day).
            var day = easternHour < 11 ? 23 : 24;
            AssertBlocked(decision, Et(2026, 11, day, 11), Rule);
        }
    }

    [Fact]
    public void ConflictingZones_ReportEachZoneThatBlocks()
    {
        var decision = ACase(Eastern, Pacific).Check(Call(Et(2026, 11, 23, 22)));

        // 22:00 Eastern is 19:00 Pacific: only Eastern blocks.
        Assert.Equal(["It is 22:00 in America/New_York; calls are allowed from 08:00 to 21:00 there."], decision.Reasons.Select(r => r.Message));
        Assert.Equal(Et(2026, 11, 24, 11), decision.NextAllowedAt);
    }

    [Fact]
    public void NoZoneKnown_EveryFallbackZoneIsChecked_AndTheMessageSaysSo()
    {
        var facts = ACase() with { TimeZones = [] };

        var decision = facts.Check(Call(Et(2026, 11, 23, 9)));

        AssertBlocked(decision, Et(2026, 11, 23, 11), Rule);
        Assert.StartsWith("No time zone is known for this debtor, so the default zones are checked (America/New_York, America/Chicago, America/Denver, America/Los_Angeles).", decision.Reasons[0].Message, StringComparison.Ordinal);
        AssertAllowed(facts.Check(Call(Et(2026, 11, 23, 11))));
    }

    [Theory]
    [InlineData(ContactChannel.Sms)]
    [InlineData(ContactChannel.Email)]
    public void TextsAndEmails_AreHeldToTheSameHours(ContactChannel channel) =>
        AssertBlocked(ACase().Check(Send(channel, Et(2026, 11, 23, 6))), Et(2026, 11, 23, 8), Rule);

    [Fact]
    public void AContactAboutNoParticularDebt_FollowsTheDebtorsDebtType()
    {
        var facts = ACase() with { Debts = [] };
        var attempt = Call(Et(2026, 11, 23, 6)) with { DebtIds = [] };

        AssertBlocked(facts.Check(attempt), Et(2026, 11, 23, 8), Rule);
        AssertAllowed((facts with { DebtType = Debtors.DebtType.Commercial }).Check(attempt));
    }

    [Fact]
    public void Letters_AreNotHeldToCallingHours() =>
        AssertAllowed(ACase().Check(Send(ContactChannel.Letter, Et(2026, 11, 23, 3))));

    [Fact]
    public void Commercial_DebtsAreExempt() =>
        AssertAllowed((ACase() with { DebtType = Debtors.DebtType.Commercial, Debts = [] }).Check(Call(Et(2026, 11, 23, 6))));

    // Daylight saving time in New York: 2026-03-08 02:00 EST -> 03:00 EDT; 2026-11-01 02:00 EDT -> 01:00 EST.
    [Fact]
    public void SpringForward_TheNightBefore_NextCallIs8EdtSunday() =>
        AssertBlocked(ACase().Check(Call(Et(2026, 3, 7, 22))), Utc(2026, 3, 8, 12), Rule);

    [Fact]
    public void AutumnBack_TheNightBefore_NextCallIs8EstSunday() =>
        AssertBlocked(ACase().Check(Call(Et(2026, 10, 31, 22))), Utc(2026, 11, 1, 13), Rule);

    [Theory]
    [InlineData(2026, 3, 8, 11, 59, false)] // 07:59 EDT
    [InlineData(2026, 3, 8, 12, 0, true)] // 08:00 EDT
    [InlineData(2026, 3, 8, 12, 59, true)] // 08:59 EDT, which would be 07:59 under EST
    [InlineData(2026, 11, 1, 12, 59, false)] // 07:59 EST, which would be 08:59 under EDT
    [InlineData(2026, 11, 1, 13, 0, true)] // 08:00 EST
    [InlineData(2026, 11, 2, 1, 59, true)] // 20:59 EST Sunday
    [InlineData(2026, 11, 2, 2, 1, false)] // 21:01 EST Sunday
    public void OnTheTransitionDays_LocalTimeFollowsTheNewOffset(int year, int month, int day, int utcHour, int utcMinute, bool allowed) =>
        Assert.Equal(allowed, ACase().Check(Call(Utc(year, month, day, utcHour, utcMinute))).Allowed);

    [Fact]
    public void DebtorStatedTime_IsHonoured_UntilItEnds()
    {
        var facts = ACase() with { InconvenientTimes = [new InconvenientTime([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday], new TimeOnly(9, 0), new TimeOnly(17, 0))] };

        var decision = facts.Check(Call(Et(2026, 11, 23, 10)));

        AssertBlocked(decision, Et(2026, 11, 23, 17), Rule);
        Assert.Equal("It is Monday 10:00 in America/New_York; the debtor said Monday, Tuesday, Wednesday, Thursday, Friday 09:00–17:00 is inconvenient.", decision.Reasons.Single().Message);
        AssertAllowed(facts.Check(Call(Et(2026, 11, 28, 10)))); // Saturday
        AssertAllowed(facts.Check(Call(Et(2026, 11, 23, 17))));
    }

    [Fact]
    public void DebtorStatedTime_PastMidnight_AndCombinedWithCallingHours()
    {
        // "Not before 10 in the morning, not after 8 in the evening", said as one range 20:00-10:00.
        var facts = ACase() with { InconvenientTimes = [new InconvenientTime([], new TimeOnly(20, 0), new TimeOnly(10, 0))] };

        AssertBlocked(facts.Check(Call(Et(2026, 11, 23, 20, 30))), Et(2026, 11, 24, 10), Rule);
        AssertBlocked(facts.Check(Call(Et(2026, 11, 24, 9))), Et(2026, 11, 24, 10), Rule);
        AssertAllowed(facts.Check(Call(Et(2026, 11, 24, 10))));
    }

    [Fact]
    public void DebtorStatedTime_WholeDay_RollsToTheNextConvenientDay()
    {
        var facts = ACase() with { InconvenientTimes = [new InconvenientTime([DayOfWeek.Sunday], TimeOnly.MinValue, TimeOnly.MinValue)] };

        // Saturday 22:00: after hours, then all of Sunday, so Monday 08:00.
        AssertBlocked(facts.Check(Call(Et(2026, 11, 28, 22))), Et(2026, 11, 30, 8), Rule);
    }

    [Fact]
    public void DebtorStatedTime_EndingInTheSpringGap_EndsAtTheTransition()
    {
        // Round-the-clock hours, so only the stated time matters; 02:30 does not exist on 2026-03-08 in New York.
        var rules = RuleSet.Default with { CallsFrom = TimeOnly.MinValue, CallsUntil = TimeOnly.MaxValue };
        var facts = ACase() with { InconvenientTimes = [new InconvenientTime([DayOfWeek.Sunday], new TimeOnly(1, 0), new TimeOnly(2, 30))] };

        // 01:30 EST = 06:30 UTC; the wall clock reaches 02:30 at 07:00 UTC, when it jumps to 03:00 EDT.
        AssertBlocked(facts.Check(Call(Utc(2026, 3, 8, 6, 30)), rules), Utc(2026, 3, 8, 7), Rule);
    }

    [Fact]
    public void DebtorStatedTime_EndingInTheAutumnOverlap_EndsAtTheOccurrenceStillAhead()
    {
        var rules = RuleSet.Default with { CallsFrom = TimeOnly.MinValue, CallsUntil = TimeOnly.MaxValue };
        var facts = ACase() with { InconvenientTimes = [new InconvenientTime([DayOfWeek.Sunday], TimeOnly.MinValue, new TimeOnly(1, 30))] };

        // 01:15 EDT (05:15 UTC) -> ends at the first 01:30, 05:30 UTC.
        AssertBlocked(facts.Check(Call(Utc(2026, 11, 1, 5, 15)), rules), Utc(2026, 11, 1, 5, 30), Rule);

        // 01:15 EST (06:15 UTC), the second time round -> ends at the second 01:30, 06:30 UTC.
        AssertBlocked(facts.Check(Call(Utc(2026, 11, 1, 6, 15)), rules), Utc(2026, 11, 1, 6, 30), Rule);
    }

    [Fact]
    public void StateHours_NarrowTheFederalOnes_StrictestWins()
    {
        var rules = RuleSet.Default with { StateRules = [new StateRule("ZZ", "Test Code § 1", CallsFrom: new TimeOnly(9, 0), CallsUntil: new TimeOnly(20, 0)), new StateRule("YY", "Test Code § 2", CallsFrom: new TimeOnly(7, 0))] };
        var facts = ACase() with { States = ["ZZ", "YY"] };

        var early = facts.Check(Call(Et(2026, 11, 23, 8, 30)), rules);
        AssertBlocked(early, Et(2026, 11, 23, 9), Rule);
        Assert.Equal("12 CFR 1006.6(b)(1)(i); Test Code § 1", early.Reasons.Single().Citation);
        AssertBlocked(facts.Check(Call(Et(2026, 11, 23, 20, 30)), rules), Et(2026, 11, 24, 9), Rule);
        AssertAllowed(facts.Check(Call(Et(2026, 11, 23, 8, 30)), rules with { StateRules = [] }));
    }
}
