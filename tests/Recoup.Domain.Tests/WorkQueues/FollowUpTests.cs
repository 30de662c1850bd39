using Recoup.Domain.WorkQueues;

namespace Recoup.Domain.Tests.WorkQueues;

public sealed class FollowUpTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 15, 0, 0, TimeSpan.Zero);

    private static Result<FollowUp> Schedule(DateTime local, string zone, DateTimeOffset? now = null) =>
        FollowUp.Schedule(FollowUpId.New(Now), AccountId.New(Now), DebtorId.New(Now), FollowUpKind.Callback, local, zone, "sam", "call back", null, "sam", now ?? Now);

    [Theory]
    [InlineData("America/Chicago", 2026, 3, 3, 10, 30, "2026-03-03T16:30:00Z")] // CST, UTC−6
    [InlineData("America/Chicago", 2026, 3, 9, 10, 30, "2026-03-09T15:30:00Z")] // after the spring change, CDT, UTC−5
    [InlineData("Europe/London", 2026, 3, 3, 9, 0, "2026-03-03T09:00:00Z")]
    [InlineData("America/New_York", 2026, 11, 1, 1, 30, "2026-11-01T05:30:00Z")] // repeated hour: the first (EDT) one
    public void TheDueInstant_IsTheDebtorsLocalTime(string zone, int y, int m, int d, int h, int min, string expected)
    {
        var followUp = Schedule(new DateTime(y, m, d, h, min, 0), zone).Value;

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), followUp.DueAt);
        Assert.Equal(new DateTime(y, m, d, h, min, 0), followUp.DueLocal);
    }

    [Fact]
    public void ALocalTimeSkippedByTheClockChange_IsRefused()
    {
        var result = Schedule(new DateTime(2026, 3, 8, 2, 30, 0), "America/New_York");

        Assert.Equal("2026-03-08 02:30 does not exist in America/New_York: the clocks jump forward then", result.Error!.Message);
    }

    [Fact]
    public void ThePast_AndUnknownZones_AreRefused()
    {
        Assert.Equal("due_in_past", Schedule(new DateTime(2026, 3, 2, 8, 0, 0), "America/Chicago").Error!.Code);
        Assert.Equal("time_zone_unknown", Schedule(new DateTime(2026, 3, 3, 8, 0, 0), "Mars/Olympus").Error!.Code);
    }

    [Fact]
    public void OverdueFollowUps_AreOpenAndPastDue_AndCloseOnlyOnce()
    {
        var followUp = Schedule(new DateTime(2026, 3, 2, 10, 0, 0), "America/Chicago").Value; // 16:00Z

        Assert.False(followUp.IsOverdue(Now));
        Assert.True(followUp.IsOverdue(Now.AddHours(2)));
        Assert.True(followUp.Close(FollowUpState.Done, "sam", Now.AddHours(2)).IsSuccess);
        Assert.False(followUp.IsOverdue(Now.AddHours(3)));
        Assert.Equal("This follow-up was already done by sam", followUp.Close(FollowUpState.Cancelled, "kim", Now).Error!.Message);
    }
}
