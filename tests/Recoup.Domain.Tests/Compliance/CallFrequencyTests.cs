using Recoup.Domain.Compliance;
using Recoup.Domain.Debtors;
using static Recoup.Domain.Tests.Compliance.Gate;

namespace Recoup.Domain.Tests.Compliance;

/// <summary>
/// 12 CFR 1006.14(b)(2): no more than seven calls in seven consecutive days, and none in the seven days that begin
/// with the day of a telephone conversation, per person per debt; with the exclusions of 1006.14(b)(3).
/// </summary>
public class CallFrequencyTests
{
    private const string Frequency = "call-frequency";
    private const string AfterConversation = "call-after-conversation";

    /// <summary>Unanswered calls at 10:00 Eastern on consecutive days from Tuesday 17 November 2026.</summary>
    private static ContactHistoryEntry[] DailyCalls(int count, ContactOutcome outcome = ContactOutcome.Unanswered, string point = "P1") =>
        [.. Enumerable.Range(0, count).Select(i => Called(Et(2026, 11, 17 + i, 10), outcome, point))];

    [Fact]
    public void SeventhCall_InSevenDays_IsAllowed() =>
        AssertAllowed(ACase().With(DailyCalls(6)).Check(Call(Et(2026, 11, 23, 10))));

    [Fact]
    public void EighthCall_InTheSameSevenDays_IsBlocked_UntilTheOldestLeavesTheWindow()
    {
        // Seven calls Tuesday 17 to Monday 23; the window of Tuesday 24 (18-24) holds six.
        var facts = ACase().With(DailyCalls(7));

        var decision = facts.Check(Call(Et(2026, 11, 23, 15)));

        AssertBlocked(decision, Et(2026, 11, 24, 8), Frequency);
        Assert.Contains("7 calls about debt D1 were placed in the 7 days ending today, the first of them on Tuesday 2026-11-17 10:00 America/New_York; the limit is 7.", decision.Reasons[0].Message, StringComparison.Ordinal);
        AssertAllowed(facts.Check(Call(decision.NextAllowedAt!.Value)));
    }

    [Fact]
    public void SevenCallsInOneDay_BlockUntilTheSeventhDayAfter()
    {
        var facts = ACase().With([.. Enumerable.Range(0, 7).Select(i => Called(Et(2026, 11, 23, 9 + i)))]);

        AssertBlocked(facts.Check(Call(Et(2026, 11, 23, 18))), Et(2026, 11, 30, 8), Frequency);
        AssertBlocked(facts.Check(Call(Et(2026, 11, 29, 20))), Et(2026, 11, 30, 8), Frequency);
    }

    [Theory]
    [InlineData(ContactOutcome.NotConnected, true)]
    [InlineData(ContactOutcome.Unanswered, false)]
    [InlineData(ContactOutcome.Voicemail, false)]
    public void SeventhEarlierCall_CountsUnlessItDidNotConnect(ContactOutcome seventh, bool allowed)
    {
        var facts = ACase().With([.. DailyCalls(6), Called(Et(2026, 11, 23, 9), seventh)]);

        Assert.Equal(allowed, facts.Check(Call(Et(2026, 11, 23, 15))).Allowed);
    }

    [Fact]
    public void CallsToAllTheDebtorsNumbers_CountTogether()
    {
        var facts = ACase().With([.. DailyCalls(4, point: "P1"), .. DailyCalls(3, point: "P2").Select(e => e with { At = e.At.AddHours(3) })]);

        AssertBlocked(facts.Check(Call(Et(2026, 11, 23, 15)) with { Point = Phone("P3") }), Et(2026, 11, 24, 8), Frequency);
    }

    [Fact]
    public void CallsAboutAnotherDebt_DoNotCount()
    {
        var facts = ACase().With(DailyCalls(7));

        AssertAllowed(facts.Check(Call(Et(2026, 11, 23, 15), "D2")));
        AssertBlocked(facts.Check(Call(Et(2026, 11, 23, 15), "D1", "D2")), Et(2026, 11, 24, 8), Frequency);
    }

    [Fact]
    public void InboundCalls_AreNotPlacedCalls()
    {
        var facts = ACase().With([.. DailyCalls(6), CalledUs(Et(2026, 11, 23, 9), ContactOutcome.Unanswered)]);

        AssertAllowed(facts.Check(Call(Et(2026, 11, 23, 15))));
    }

    [Fact]
    public void CallsWithinSevenDaysOfDirectConsent_AreNotCounted()
    {
        var consent = Et(2026, 11, 20, 9);
        var history = DailyCalls(7).Select(e => e.At >= Et(2026, 11, 20, 0) ? e with { DirectConsentAt = consent } : e).ToArray();

        AssertAllowed(ACase().With(history).Check(Call(Et(2026, 11, 23, 15))));
    }

    [Fact]
    public void ACallTheDebtorConsentedTo_IsOutsideTheFrequencies_ForSevenDays()
    {
        var facts = ACase().With(DailyCalls(7));
        var attempt = Call(Et(2026, 11, 23, 15));

        AssertAllowed(facts.Check(attempt with { DirectConsentAt = Et(2026, 11, 22, 15) }));
        AssertBlocked(facts.Check(attempt with { DirectConsentAt = Et(2026, 11, 16, 14) }), Et(2026, 11, 24, 8), Frequency);
    }

    [Fact]
    public void DayAfterAConversation_IsBlocked_SevenDaysLaterAllowed()
    {
        // Conversation on Monday 23 November: Monday is day 1, Sunday 29 day 7, Monday 30 free.
        var facts = ACase().With(Called(Et(2026, 11, 23, 10), ContactOutcome.Conversation));

        var nextDay = facts.Check(Call(Et(2026, 11, 24, 10)));
        AssertBlocked(nextDay, Et(2026, 11, 30, 8), AfterConversation);
        Assert.Equal(
            "We spoke with the debtor about debt D1 on Monday 2026-11-23 10:00 America/New_York; that day is day 1 of 7 without calls about this debt. The quiet period ends at Monday 2026-11-30 00:00 America/New_York.",
            nextDay.Reasons.Single().Message);
        AssertBlocked(facts.Check(Call(Et(2026, 11, 23, 16))), Et(2026, 11, 30, 8), AfterConversation);
        AssertBlocked(facts.Check(Call(Et(2026, 11, 29, 20, 59))), Et(2026, 11, 30, 8), AfterConversation);
        AssertAllowed(facts.Check(Call(Et(2026, 11, 30, 10))));
    }

    [Fact]
    public void AConversationAboutTwoDebts_StartsTheQuietPeriodForBoth()
    {
        var facts = ACase().With(Called(Et(2026, 11, 23, 10), ContactOutcome.Conversation, "P1", "D1", "D2"));

        AssertBlocked(facts.Check(Call(Et(2026, 11, 24, 10), "D2")), Et(2026, 11, 30, 8), AfterConversation);
        AssertBlocked(facts.Check(Call(Et(2026, 11, 24, 10), "D1")), Et(2026, 11, 30, 8), AfterConversation);
        AssertAllowed(facts.Check(Call(Et(2026, 11, 24, 10), "D3")));

        var both = facts.Check(Call(Et(2026, 11, 24, 10), "D1", "D2", "D3"));
        Assert.Equal(2, both.Reasons.Count); // one reason per debt
    }

    [Fact]
    public void AConversationOnAnInboundCall_StartsTheQuietPeriod() =>
        AssertBlocked(ACase().With(CalledUs(Et(2026, 11, 23, 19))).Check(Call(Et(2026, 11, 25, 10))), Et(2026, 11, 30, 8), AfterConversation);

    [Fact]
    public void DaysAreCountedInEveryZoneTheDebtorMayBeIn_TheLatestEndWins()
    {
        // The debtor called at 22:30 Pacific on Monday, 01:30 Eastern on Tuesday: day 1 is Monday in one zone and
        // Tuesday in the other, so calls resume on Tuesday 1 December at 00:00 Eastern, and the calling hours of
        // both zones then make it 11:00 Eastern.
        var facts = ACase(Eastern, Pacific).With(CalledUs(Pt(2026, 11, 23, 22, 30)));

        AssertBlocked(facts.Check(Call(Et(2026, 11, 30, 12))), Et(2026, 12, 1, 11), AfterConversation);
        AssertAllowed(facts.Check(Call(Et(2026, 12, 1, 11))));
    }

    [Fact]
    public void QuietPeriod_AcrossTheSpringTransition_EndsAtLocalMidnight() =>
        AssertBlocked(ACase().With(Called(Et(2026, 3, 8, 10), ContactOutcome.Conversation)).Check(Call(Et(2026, 3, 9, 10))), Utc(2026, 3, 15, 12), AfterConversation);

    [Fact]
    public void QuietPeriod_AcrossTheAutumnTransition_EndsAtLocalMidnight() =>
        AssertBlocked(ACase().With(Called(Et(2026, 10, 31, 10), ContactOutcome.Conversation)).Check(Call(Et(2026, 11, 2, 10))), Utc(2026, 11, 7, 13), AfterConversation);

    [Fact]
    public void BothProngs_AndTheDebtorsTimes_CombineIntoOneNextAllowedAt()
    {
        // Seven calls ending with a conversation on Monday 23; the debtor is busy on weekday mornings; the quiet
        // period ends at midnight before Monday 30, calling hours make it 08:00, the debtor's mornings 12:00.
        var facts = ACase().With([.. DailyCalls(6), Called(Et(2026, 11, 23, 10), ContactOutcome.Conversation)]) with
        {
            InconvenientTimes = [new InconvenientTime([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday], new TimeOnly(8, 0), new TimeOnly(12, 0))],
        };

        AssertBlocked(facts.Check(Call(Et(2026, 11, 23, 13))), Et(2026, 11, 30, 12), Frequency, AfterConversation);
    }

    [Fact]
    public void TextsAndLetters_AreNotCalls() =>
        AssertAllowed(ACase().With(Called(Et(2026, 11, 23, 10), ContactOutcome.Conversation)).Check(Send(ContactChannel.Sms, Et(2026, 11, 23, 12))));

    [Fact]
    public void CommercialDebts_AreExemptByDefault_ButCanBeIncluded()
    {
        var facts = (ACase() with { Debts = [new DebtFacts("D1", DebtType.Commercial)] }).With(DailyCalls(7));

        AssertAllowed(facts.Check(Call(Et(2026, 11, 23, 15))));
        AssertBlocked(facts.Check(Call(Et(2026, 11, 23, 15)), RuleSet.Default with { ApplyConsumerRulesToCommercialDebts = true }), Et(2026, 11, 24, 8), Frequency);
    }

    [Fact]
    public void ABusinessDebtor_IsNotAConsumer() =>
        AssertAllowed((ACase() with { DebtorKind = DebtorKind.Business }).With(DailyCalls(7)).Check(Call(Et(2026, 11, 23, 6))));

    [Fact]
    public void FirstPartyCreditors_FollowTheSameLimitsByDefault_ConfigurablyNot()
    {
        var facts = (ACase() with { Role = CompanyRole.FirstPartyCreditor }).With(DailyCalls(7));

        AssertBlocked(facts.Check(Call(Et(2026, 11, 23, 15))), Et(2026, 11, 24, 8), Frequency);
        AssertAllowed(facts.Check(Call(Et(2026, 11, 23, 15)), RuleSet.Default with { ApplyConsumerRulesToFirstPartyCreditors = false }));
    }

    [Fact]
    public void AConfiguredLimit_IsUsed() =>
        AssertBlocked(ACase().With(DailyCalls(3)).Check(Call(Et(2026, 11, 23, 15)), RuleSet.Default with { MaxCallsPerSevenDays = 3 }), Et(2026, 11, 24, 8), Frequency);

    [Fact]
    public void ADisabledRule_DoesNotBlock() =>
        AssertAllowed(ACase().With(Called(Et(2026, 11, 23, 10), ContactOutcome.Conversation)).Check(Call(Et(2026, 11, 24, 10)), RuleSet.Default with { DisabledRules = ["call-after-conversation"] }));
}
