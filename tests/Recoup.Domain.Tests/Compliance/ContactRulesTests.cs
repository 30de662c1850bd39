using Recoup.Domain.Compliance;
using Recoup.Domain.Debtors;
using static Recoup.Domain.Tests.Compliance.Gate;

namespace Recoup.Domain.Tests.Compliance;

/// <summary>Cease, attorney, opt-outs, disputes, workplace, TCPA consent, time-barred debts and state call limits.</summary>
public class ContactRulesTests
{
    private static readonly DateTimeOffset Monday10 = Et(2026, 11, 23, 10);

    [Theory]
    [InlineData(ContactChannel.Call, ContactPurpose.None, false)]
    [InlineData(ContactChannel.Email, ContactPurpose.None, false)]
    [InlineData(ContactChannel.Letter, ContactPurpose.None, false)]
    [InlineData(ContactChannel.Letter, ContactPurpose.CeaseAcknowledgement, true)]
    [InlineData(ContactChannel.Letter, ContactPurpose.NoticeOfRemedy, true)]
    [InlineData(ContactChannel.Letter, ContactPurpose.NoticeOfRemedy | ContactPurpose.ThreatOfSuit, false)]
    [InlineData(ContactChannel.Email, ContactPurpose.CeaseAcknowledgement, false)]
    public void CeaseCommunication_LeavesOnlyTheStatutoryLetters(ContactChannel channel, ContactPurpose purpose, bool allowed)
    {
        var facts = ACase() with { CeaseCommunicationAt = Et(2026, 11, 20, 12) };

        var decision = facts.Check(Send(channel, Monday10) with { Purpose = purpose });

        if (allowed)
        {
            Assert.True(decision.Allowed);
        }
        else
        {
            AssertBlocked(decision, null, "cease-communication");
            Assert.False(decision.Reasons[0].ExceptionAllowed);
        }
    }

    [Fact]
    public void CeaseCommunication_DoesNotReachBackBeforeTheRequest() =>
        AssertAllowed((ACase() with { CeaseCommunicationAt = Et(2026, 11, 24, 12) }).Check(Call(Monday10)));

    [Fact]
    public void AttorneyRepresentation_BlocksEveryChannel_WithAManagerException()
    {
        var facts = ACase() with { AttorneyRepresentedSince = Et(2026, 11, 1, 9) };

        foreach (var channel in Enum.GetValues<ContactChannel>())
        {
            var decision = facts.Check(Send(channel, Monday10));
            AssertBlocked(decision, null, "attorney-represented");
            Assert.True(decision.Reasons[0].ExceptionAllowed);
        }
    }

    [Fact]
    public void OptOutOfAMedium_BlocksThatMediumOnly()
    {
        var facts = ACase() with { OptOuts = [new OptOut(ContactChannel.Sms, null, Et(2026, 11, 1, 9))] };

        AssertBlocked(facts.Check(Send(ContactChannel.Sms, Monday10)), null, "opted-out");
        AssertAllowed(facts.Check(Call(Monday10)));
    }

    [Fact]
    public void OptOutOfANumber_BlocksThatNumberOnly()
    {
        var facts = ACase() with { OptOuts = [new OptOut(null, "P1", Et(2026, 11, 1, 9))] };

        var decision = facts.Check(Call(Monday10));
        AssertBlocked(decision, null, "opted-out");
        Assert.Equal("The debtor opted out of contact at this number (P1) on Sunday 2026-11-01 09:00 America/New_York.", decision.Reasons[0].Message);
        AssertBlocked(facts.Check(Send(ContactChannel.Sms, Monday10)), null, "opted-out");
        AssertAllowed(facts.Check(Call(Monday10) with { Point = Phone("P2") }));
    }

    [Fact]
    public void OptOuts_ApplyToCommercialDebtsToo() =>
        AssertBlocked((ACase() with { DebtType = DebtType.Commercial, Debts = [], OptOuts = [new OptOut(ContactChannel.Email, null, Et(2026, 11, 1, 9))] }).Check(Send(ContactChannel.Email, Monday10)), null, "opted-out");

    [Fact]
    public void DisputeWithinTheValidationPeriod_StopsThatDebtOnly_UntilVerificationIsSent()
    {
        // Notice sent Monday 2 November 2026: receipt assumed Monday 9 (Veterans Day is Wednesday 11), period ends 9 December.
        var disputed = new DebtFacts("D1", DebtType.Consumer, ValidationNoticeSentOn: new DateOnly(2026, 11, 2), DisputedOn: new DateOnly(2026, 11, 20));
        var facts = ACase() with { Debts = [disputed, new DebtFacts("D2", DebtType.Consumer)] };

        var decision = facts.Check(Call(Monday10, "D1", "D2"));
        AssertBlocked(decision, null, "disputed-debt");
        Assert.Equal("Debt D1 was disputed on 2026-11-20, within the validation period; it is not collected until the verification is sent. Other debts are not affected.", decision.Reasons[0].Message);
        AssertAllowed(facts.Check(Call(Monday10, "D2")));
        Assert.True(facts.Check(Send(ContactChannel.Letter, Monday10, "D1") with { Purpose = ContactPurpose.DisputeResponse }).Allowed);

        var verified = facts with { Debts = [disputed with { VerificationSentAt = Et(2026, 11, 22, 9) }] };
        AssertAllowed(verified.Check(Call(Monday10)));

        var verificationScheduled = facts with { Debts = [disputed with { VerificationSentAt = Et(2026, 11, 24, 9) }] };
        AssertBlocked(verificationScheduled.Check(Call(Monday10)), Et(2026, 11, 24, 9), "disputed-debt");
    }

    [Fact]
    public void DisputeAfterTheValidationPeriod_DoesNotStopCollection() =>
        AssertAllowed((ACase() with { Debts = [new DebtFacts("D1", DebtType.Consumer, ValidationNoticeSentOn: new DateOnly(2026, 10, 1), DisputedOn: new DateOnly(2026, 11, 20))] }).Check(Call(Monday10)));

    [Fact]
    public void OriginalCreditorRequest_StopsThatDebt_UntilAnswered()
    {
        var facts = ACase() with { Debts = [new DebtFacts("D1", DebtType.Consumer, ValidationNoticeSentOn: new DateOnly(2026, 11, 2), OriginalCreditorRequestedOn: new DateOnly(2026, 11, 10))] };

        AssertBlocked(facts.Check(Call(Monday10)), null, "original-creditor-request");
        AssertAllowed((facts with { Debts = [facts.Debts[0] with { OriginalCreditorSentAt = Et(2026, 11, 12, 9) }] }).Check(Call(Monday10)));
    }

    [Fact]
    public void Workplace_IsBlockedWhenProhibited()
    {
        var facts = ACase() with { WorkplaceContactProhibited = true };
        var atWork = Call(Monday10) with { Point = Phone("W1", PhoneLineType.Landline, workplace: true) };

        AssertBlocked(facts.Check(atWork), null, "workplace-contact");
        AssertAllowed((facts with { WorkplaceContactProhibited = false }).Check(atWork));
        AssertAllowed(facts.Check(Call(Monday10)));
    }

    [Theory]
    [InlineData(PhoneLineType.Mobile, ContactChannel.Call, false)]
    [InlineData(PhoneLineType.Mobile, ContactChannel.Sms, false)]
    [InlineData(PhoneLineType.Unknown, ContactChannel.Call, false)]
    [InlineData(PhoneLineType.Landline, ContactChannel.Call, true)]
    public void AutomatedContactToAMobile_NeedsConsent(PhoneLineType line, ContactChannel channel, bool allowed)
    {
        var attempt = Send(channel, Monday10) with { Point = Phone(line: line), Automated = true };

        var decision = ACase().Check(attempt);

        if (allowed)
        {
            AssertAllowed(decision);
        }
        else
        {
            AssertBlocked(decision, null, "tcpa-consent");
        }

        Assert.True(ACase().Check(attempt with { Automated = false }).Allowed);
    }

    [Fact]
    public void TcpaConsent_EndsWhenRevoked_AndAFutureConsentIsTheNextAllowedTime()
    {
        var attempt = Call(Monday10) with { Automated = true };
        var consent = new AutomatedContactConsent("P1", Et(2026, 1, 5, 9));

        AssertAllowed((ACase() with { Consents = [consent] }).Check(attempt));
        var revoked = (ACase() with { Consents = [consent with { RevokedAt = Et(2026, 11, 20, 9) }] }).Check(attempt);
        AssertBlocked(revoked, null, "tcpa-consent");
        Assert.StartsWith("The debtor revoked consent to automated or prerecorded calls on Friday 2026-11-20 09:00", revoked.Reasons[0].Message, StringComparison.Ordinal);
        AssertBlocked((ACase() with { Consents = [consent with { GivenAt = Et(2026, 11, 24, 9) }] }).Check(attempt), Et(2026, 11, 24, 9), "tcpa-consent");
        AssertBlocked((ACase() with { Consents = [consent with { Channel = ContactChannel.Sms }] }).Check(attempt), null, "tcpa-consent");
    }

    [Fact]
    public void TcpaConsent_AppliesToCommercialDebtsToo() =>
        AssertBlocked((ACase() with { DebtType = DebtType.Commercial, Debts = [] }).Check(Call(Monday10) with { Automated = true }), null, "tcpa-consent");

    [Fact]
    public void TimeBarredDebt_NoThreatOfSuit_AndLettersCarryTheDisclosure()
    {
        // California: 4 years from 2022-06-01, so time-barred from 2026-06-01.
        var facts = ACase() with { Debts = [new DebtFacts("D1", DebtType.Consumer, "CA", LimitationsStartOn: new DateOnly(2022, 6, 1)), new DebtFacts("D2", DebtType.Consumer, "CA", LimitationsStartOn: new DateOnly(2024, 1, 1))] };

        var threat = facts.Check(Send(ContactChannel.Letter, Monday10, "D1") with { Purpose = ContactPurpose.ThreatOfSuit });
        AssertBlocked(threat, null, "time-barred");
        Assert.Contains("(4 years, Cal. Code Civ. Proc. § 337)", threat.Reasons[0].Message, StringComparison.Ordinal);
        Assert.Equal([Disclosures.TimeBarredDebt], facts.Check(Send(ContactChannel.Letter, Monday10, "D1")).RequiredDisclosures);
        Assert.Equal([Disclosures.ElectronicOptOut, Disclosures.TimeBarredDebt], facts.Check(Send(ContactChannel.Email, Monday10, "D1")).RequiredDisclosures);
        Assert.Empty(facts.Check(Send(ContactChannel.Letter, Monday10, "D2")).RequiredDisclosures);
        Assert.True(facts.Check(Send(ContactChannel.Letter, Monday10, "D2") with { Purpose = ContactPurpose.ThreatOfSuit }).Allowed);
    }

    [Theory]
    [InlineData("CA", DebtType.Consumer, 4)]
    [InlineData("NY", DebtType.Consumer, 3)]
    [InlineData("NY", DebtType.Commercial, 6)]
    [InlineData("TX", DebtType.Medical, 4)]
    [InlineData("ZZ", DebtType.Consumer, 3)]
    [InlineData(null, DebtType.Consumer, 3)]
    public void LimitationsTable_FindsTheStateRow_ElseTheDefault(string? state, DebtType type, int years) =>
        Assert.Equal(new DateOnly(2020, 3, 1).AddYears(years), StatuteOfLimitations.Starter.TimeBarredFrom(new DebtFacts("D", type, state, LimitationsStartOn: new DateOnly(2020, 3, 1))));

    [Fact]
    public void Massachusetts_AllowsTwoCreditorInitiatedCallsPerSevenDays_UnansweredOnesNotCounted()
    {
        var facts = (ACase() with { States = ["MA"] }).With(
            Called(Et(2026, 11, 18, 10), ContactOutcome.Voicemail),
            Called(Et(2026, 11, 19, 10), ContactOutcome.Unanswered),
            Called(Et(2026, 11, 20, 10), ContactOutcome.NotConnected),
            Sent(ContactChannel.Sms, Et(2026, 11, 21, 10)));

        var decision = facts.Check(Call(Monday10));

        AssertBlocked(decision, Et(2026, 11, 25, 8), "state-call-limit");
        Assert.Equal("940 CMR 7.04(1)(f)", decision.Reasons[0].Citation);
        AssertAllowed(facts.Check(Call(Monday10, "D2")));
        AssertAllowed(facts.Check(Call(Monday10) with { CreditorInitiated = false }));
        AssertAllowed((facts with { States = ["NH"] }).Check(Call(Monday10)));
        Assert.True(facts.Check(Send(ContactChannel.Email, Monday10)).Allowed);
    }

    [Fact]
    public void EveryBlockingReason_IsReported()
    {
        var facts = (ACase() with
        {
            CeaseCommunicationAt = Et(2026, 11, 1, 9),
            AttorneyRepresentedSince = Et(2026, 11, 2, 9),
            OptOuts = [new OptOut(ContactChannel.Call, null, Et(2026, 11, 3, 9))],
            WorkplaceContactProhibited = true,
        }).With(Called(Et(2026, 11, 23, 9), ContactOutcome.Conversation));

        var decision = facts.Check(Call(Et(2026, 11, 23, 22)) with { Automated = true, Point = Phone(workplace: true) });

        AssertBlocked(decision, null, "cease-communication", "attorney-represented", "opted-out", "tcpa-consent", "workplace-contact", "inconvenient-time", "call-after-conversation");
    }

    [Fact]
    public void EveryRule_HasAStableIdAndACitation()
    {
        Assert.Equal(
            ["cease-communication", "attorney-represented", "opted-out", "disputed-debt", "original-creditor-request", "dispute-hold", "time-barred", "tcpa-consent", "workplace-contact", "inconvenient-time", "call-frequency", "call-after-conversation", "state-call-limit", "passive-collection", "collection-hold", "placed-with-agency"],
            ComplianceRules.All.Select(r => r.Id));
        Assert.All(ComplianceRules.All, r => Assert.Matches("^[a-z]+(-[a-z]+)*$", r.Id));
        Assert.All(ComplianceRules.All, r => Assert.False(string.IsNullOrWhiteSpace(r.Citation)));
    }

    [Fact]
    public void AllowedDecisions_CarryTheOptOutNoticeOnElectronicMessages()
    {
        Assert.Equal([Disclosures.ElectronicOptOut], ACase().Check(Send(ContactChannel.Sms, Monday10)).RequiredDisclosures);
        Assert.Empty(ACase().Check(Call(Monday10)).RequiredDisclosures);
    }
}
