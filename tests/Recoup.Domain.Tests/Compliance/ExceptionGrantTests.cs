using Recoup.Domain.Compliance;
using Recoup.Domain.Debtors;
using static Recoup.Domain.Tests.Compliance.Gate;

namespace Recoup.Domain.Tests.Compliance;

/// <summary>A manager's documented exception lifts a block only for a rule that allows one, within its validity and its scope.</summary>
public class ExceptionGrantTests
{
    private static readonly DateTimeOffset Monday10 = Et(2026, 11, 23, 10);
    private static readonly DateTimeOffset Monday0730 = Et(2026, 11, 23, 7, 30);

    /// <summary>For every rule the contact gate checks: facts and an attempt blocked by that rule alone.</summary>
    private static readonly Dictionary<string, (ContactCase Facts, ContactAttempt Attempt)> BlockedBy = new(StringComparer.Ordinal)
    {
        ["cease-communication"] = (ACase() with { CeaseCommunicationAt = Et(2026, 11, 20, 12) }, Call(Monday10)),
        ["attorney-represented"] = (ACase() with { AttorneyRepresentedSince = Et(2026, 11, 1, 9) }, Call(Monday10)),
        ["opted-out"] = (ACase() with { OptOuts = [new OptOut(ContactChannel.Call, null, Et(2026, 11, 1, 9))] }, Call(Monday10)),
        ["disputed-debt"] = (ACase() with { Debts = [new DebtFacts("D1", DebtType.Consumer, DisputedOn: new DateOnly(2026, 11, 20))] }, Call(Monday10)),
        ["original-creditor-request"] = (ACase() with { Debts = [new DebtFacts("D1", DebtType.Consumer, OriginalCreditorRequestedOn: new DateOnly(2026, 11, 20))] }, Call(Monday10)),
        ["dispute-hold"] = (ACase() with { Debts = [new DebtFacts("D1", DebtType.Commercial, HeldInFullSince: Et(2026, 11, 20, 9))] }, Call(Monday10)),
        ["time-barred"] = (ACase() with { Debts = [new DebtFacts("D1", DebtType.Consumer, LimitationsStartOn: new DateOnly(2015, 1, 1))] },
            Call(Monday10) with { Purpose = ContactPurpose.ThreatOfSuit }),
        ["tcpa-consent"] = (ACase(), Call(Monday10) with { Automated = true }),
        ["workplace-contact"] = (ACase() with { WorkplaceContactProhibited = true }, Call(Monday10) with { Point = Phone(workplace: true) }),
        ["inconvenient-time"] = (ACase(), Call(Monday0730)),
        ["call-frequency"] = (ACase().With([.. SevenCalls()]), Call(Monday10)),
        ["call-after-conversation"] = (ACase().With(Called(Et(2026, 11, 20, 12), ContactOutcome.Conversation)), Call(Monday10)),
        ["state-call-limit"] = ((ACase() with { States = ["MA"] }).With(Called(Et(2026, 11, 19, 12), ContactOutcome.Voicemail), Called(Et(2026, 11, 20, 12), ContactOutcome.Voicemail)),
            Call(Monday10)),
        ["collection-hold"] = (ACase() with { CollectionHolds = [new CollectionHoldFacts("H1", "D1", null, null, new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 1), "Disputed delivery", "sam")] }, Call(Monday10)),
        ["placed-with-agency"] = (ACase() with { Placements = [new PlacementFacts("PL1", "D1", "Lex & Partners", Et(2026, 11, 1, 0), null, [])] }, Call(Monday10)),
    };

    /// <summary>Seven unanswered calls, one a day at 08:00 from Tuesday 17 to Monday 23: an eighth on Monday is one too many.</summary>
    private static IEnumerable<ContactHistoryEntry> SevenCalls(params string[] debts) =>
        Enumerable.Range(17, 7).Select(day => Called(Et(2026, 11, day, 8), debts: debts));

    public static TheoryData<string> GateRules =>
        new(ComplianceRules.All.Where(r => r != ComplianceRules.PassiveCollection).Select(r => r.Id));

    private static ExceptionGrantFacts AGrant(string rule, DateTimeOffset? from = null, DateTimeOffset? until = null) =>
        new("G1", rule, from ?? Et(2026, 11, 20, 9), until ?? Et(2026, 11, 30, 9));

    [Theory, MemberData(nameof(GateRules))]
    public void AGrantInForce_LiftsTheBlock_OnlyWhenTheRuleAllowsAnException(string ruleId)
    {
        var rule = ComplianceRules.Find(ruleId)!;
        Assert.True(BlockedBy.ContainsKey(ruleId), $"No scenario for {ruleId}: every rule the gate checks needs one here.");
        var (facts, attempt) = BlockedBy[ruleId];
        var without = facts.Check(attempt);
        Assert.Equal([ruleId], without.Reasons.Select(r => r.Rule).Distinct());

        var with = (facts with { ExceptionGrants = [AGrant(ruleId)] }).Check(attempt);

        if (rule.ExceptionAllowed)
        {
            AssertAllowed(with);
            Assert.All(with.Excepted, e => Assert.Equal((ruleId, "G1"), (e.Rule, e.GrantId)));
            Assert.Equal(without.Reasons.Select(r => r.Message), with.Excepted.Select(e => e.Message));
        }
        else
        {
            Assert.False(with.Allowed);
            Assert.Equal(without.Reasons, with.Reasons);
            Assert.Equal(without.NextAllowedAt, with.NextAllowedAt);
            Assert.Empty(with.Excepted);
        }
    }

    [Fact]
    public void TheRulesThatAllowAnException_AreTheDocumentedOnes() =>
        Assert.Equal(
            ["attorney-represented", "workplace-contact", "inconvenient-time", "call-frequency", "call-after-conversation"],
            ComplianceExceptionGrant.ExceptableRules);

    // The debtor consented to calls at 7:30 on Monday: a grant from 07:15 to 07:45 New York time.
    [Theory]
    [InlineData(7, 15, true)]
    [InlineData(7, 30, true)]
    [InlineData(7, 44, true)]
    [InlineData(7, 45, false)]
    [InlineData(7, 50, false)]
    [InlineData(7, 0, false)]
    public void AGrant_AppliesOnlyWithinItsValidity(int hour, int minute, bool allowed)
    {
        var facts = ACase() with { ExceptionGrants = [AGrant("inconvenient-time", Et(2026, 11, 23, 7, 15), Et(2026, 11, 23, 7, 45))] };

        var decision = facts.Check(Call(Et(2026, 11, 23, hour, minute)));

        if (allowed)
        {
            AssertAllowed(decision);
            Assert.Equal("G1", decision.Excepted.Single().GrantId);
        }
        else
        {
            // Before it starts, the grant's start is the next allowed instant; after it ends, 08:00.
            AssertBlocked(decision, hour == 7 && minute < 15 ? Et(2026, 11, 23, 7, 15) : Et(2026, 11, 23, 8), "inconvenient-time");
            Assert.Empty(decision.Excepted);
        }
    }

    public static TheoryData<string, string?, ContactChannel?, string?, bool> Scopes => new()
    {
        { "every debt, channel and point", null, null, null, true },
        { "the attempt's debt", "D1", null, null, true },
        { "another debt", "D2", null, null, false },
        { "calls", null, ContactChannel.Call, null, true },
        { "texts", null, ContactChannel.Sms, null, false },
        { "the attempt's number", null, null, "P1", true },
        { "another number", null, null, "P2", false },
        { "calls on the attempt's number about its debt", "D1", ContactChannel.Call, "P1", true },
        { "texts on the attempt's number about its debt", "D1", ContactChannel.Sms, "P1", false },
    };

    [Theory, MemberData(nameof(Scopes))]
    public void AGrant_AppliesOnlyToTheDebtChannelAndPointItNames(string scope, string? debt, ContactChannel? channel, string? point, bool allowed)
    {
        var grant = AGrant("inconvenient-time") with { DebtId = debt, Channel = channel, ContactPointId = point };

        var decision = (ACase() with { ExceptionGrants = [grant] }).Check(Call(Monday0730));

        Assert.True(allowed == decision.Allowed, scope);
        Assert.Equal(allowed ? 1 : 0, decision.Excepted.Count);
    }

    [Fact]
    public void AGrantForOneDebt_DoesNotLiftAPersonLevelBlock_OnACallAboutTwoDebts()
    {
        var facts = ACase() with { ExceptionGrants = [AGrant("inconvenient-time") with { DebtId = "D1" }] };

        AssertAllowed(facts.Check(Call(Monday0730, "D1")));
        AssertBlocked(facts.Check(Call(Monday0730, "D1", "D2")), Et(2026, 11, 23, 8), "inconvenient-time");
    }

    [Fact]
    public void AGrantForOneDebt_LiftsThatDebtsFrequencyLimit_AndNotTheOthers()
    {
        var calls = SevenCalls("D1", "D2").ToArray();
        var facts = ACase().With(calls) with { ExceptionGrants = [AGrant("call-frequency") with { DebtId = "D1" }] };

        var decision = facts.Check(Call(Monday10, "D1", "D2"));

        Assert.False(decision.Allowed);
        Assert.Contains("debt D2", Assert.Single(decision.Reasons).Message, StringComparison.Ordinal);
        Assert.Contains("debt D1", Assert.Single(decision.Excepted).Message, StringComparison.Ordinal);
        AssertAllowed(facts.Check(Call(Monday10, "D1")));
    }

    [Fact]
    public void ARevokedGrant_NoLongerApplies_FromItsRevocation()
    {
        var grant = AGrant("attorney-represented");
        var facts = ACase() with { AttorneyRepresentedSince = Et(2026, 11, 1, 9) };

        AssertBlocked((facts with { ExceptionGrants = [grant with { RevokedAt = Et(2026, 11, 22, 9) }] }).Check(Call(Monday10)), null, "attorney-represented");
        AssertAllowed((facts with { ExceptionGrants = [grant with { RevokedAt = Et(2026, 11, 24, 9) }] }).Check(Call(Monday10)));
    }

    [Fact]
    public void TwoBlockingReasons_OneExcepted_StaysBlocked_ByTheOtherOnly()
    {
        // A conversation on Friday 20 and a call at 07:30 on Monday 23; the manager excepted the hour only.
        var facts = ACase().With(Called(Et(2026, 11, 20, 10), ContactOutcome.Conversation)) with
        {
            ExceptionGrants = [AGrant("inconvenient-time", Et(2026, 11, 23, 7, 15), Et(2026, 11, 23, 7, 45))],
        };

        var decision = facts.Check(Call(Monday0730));

        AssertBlocked(decision, Et(2026, 11, 27, 8), "call-after-conversation");
        var excepted = Assert.Single(decision.Excepted);
        Assert.Equal(("inconvenient-time", "12 CFR 1006.6(b)(1)(i)", "G1"), (excepted.Rule, excepted.Citation, excepted.GrantId));
        Assert.Equal("It is 07:30 in America/New_York; calls are allowed from 08:00 to 21:00 there.", excepted.Message);
    }

    [Fact]
    public void AGrantThatStartsLater_IsWhenTheContactIsNextAllowed()
    {
        var facts = ACase() with { AttorneyRepresentedSince = Et(2026, 11, 1, 9), ExceptionGrants = [AGrant("attorney-represented", Et(2026, 11, 24, 9))] };

        AssertBlocked(facts.Check(Call(Monday10)), Et(2026, 11, 24, 9), "attorney-represented");
    }

    [Fact]
    public void WithoutGrants_AnAllowedDecisionIsTheSharedOne()
    {
        var first = ACase().Check(Call(Monday10));
        var second = ACase().Check(Call(Monday10));

        AssertAllowed(first);
        Assert.Same(first, second);
        Assert.Empty(first.Excepted);
    }
}

/// <summary>Recording and revoking an exception: what a manager may grant, and what is refused with which message.</summary>
public class ComplianceExceptionGrantTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly AccountId Account = new(Guid.Parse("0194b7a0-0000-7000-8000-000000000001"));
    private static readonly AccountId OtherAccount = new(Guid.Parse("0194b7a0-0000-7000-8000-000000000002"));
    private static readonly ContactPointId PhoneId = new(Guid.Parse("0194b7a0-0000-7000-8000-000000000003"));
    private static readonly ContactPointId EmailId = new(Guid.Parse("0194b7a0-0000-7000-8000-000000000004"));
    private const string Why = "Debtor consented on a recorded call on 2026-11-20 to calls at 7:30";

    private static Debtor ADebtor()
    {
        var debtor = new Debtor(new DebtorId(Guid.Parse("0194b7a0-0000-7000-8000-000000000005")), "K1", "Maria Gonzalez", DebtorKind.Person, DebtType.Consumer, null, Now.AddYears(-1));
        debtor.AddContactPoint(PhoneId, ContactKind.Phone, "+1 312 555 0147", ContactSource.OriginalCreditor);
        debtor.AddContactPoint(EmailId, ContactKind.Email, "maria@example.com", ContactSource.OriginalCreditor);
        return debtor;
    }

    private static ExceptionGrantDraft ADraft(string rule = "inconvenient-time") =>
        new(rule, Account, ContactChannel.Call, PhoneId, Now.AddHours(1), Now.AddDays(1), Why);

    private static Result<ComplianceExceptionGrant> Grant(ExceptionGrantDraft draft) =>
        ComplianceExceptionGrant.Grant(ExceptionGrantId.New(Now), ADebtor(), [Account], draft, "morgan", Now);

    [Fact]
    public void AManager_GrantsAnException_ThatTheGateHonours()
    {
        var grant = Grant(ADraft() with { ValidFrom = null }).Value;

        Assert.Equal(("inconvenient-time", Account, ContactChannel.Call, PhoneId), (grant.Rule, grant.AccountId, grant.Channel, grant.ContactPointId));
        Assert.Equal((Now, Now.AddDays(1), Why, "morgan", Now), (grant.ValidFrom, grant.ValidUntil, grant.Documentation, grant.GrantedBy, grant.GrantedAt));
        Assert.True(grant.IsInForceAt(Now));

        // 07:30 in Chicago on Monday 23 November is 13:30 UTC, inside the day the grant lasts.
        var facts = new ContactCase { TimeZones = ["America/Chicago"], Debts = [new DebtFacts(Account.ToString(), DebtType.Consumer)], ExceptionGrants = [grant.ToFacts()] };
        var attempt = new ContactAttempt(ContactChannel.Call, new ContactPointFacts(PhoneId.ToString(), ContactKind.Phone), new DateTimeOffset(2026, 11, 23, 13, 30, 0, TimeSpan.Zero), [Account.ToString()]);
        var decision = ComplianceGate.Check(facts, attempt, RuleSet.Default);
        Assert.True(decision.Allowed);
        Assert.Equal(grant.Id.ToString(), decision.Excepted.Single().GrantId);
    }

    public static TheoryData<string> RulesWithoutException =>
        new(ComplianceRules.All.Where(r => !r.ExceptionAllowed).Select(r => r.Id));

    [Theory, MemberData(nameof(RulesWithoutException))]
    public void ARuleThatAllowsNoException_IsRefused(string rule)
    {
        var refused = Grant(ADraft(rule));

        Assert.Equal(("exception_not_allowed", "rule"), (refused.Error!.Code, refused.Error.Field));
        Assert.StartsWith($"No exception may be recorded to {rule} (", refused.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CeaseCommunication_IsRefused_WithTheLawAndTheRulesThatDoAllowOne() =>
        Assert.Equal(
            "No exception may be recorded to cease-communication (Debtor asked us to stop, 12 CFR 1006.6(c)): only a change of the facts lifts it. " +
            "A manager may record an exception to attorney-represented, workplace-contact, inconvenient-time, call-frequency, call-after-conversation",
            Grant(ADraft("cease-communication")).Error!.Message);

    public static TheoryData<string, ExceptionGrantDraft, string, string, string> Refusals => new()
    {
        { "unknown rule", ADraft("calls-at-night"), "rule_unknown", "rule",
            "'calls-at-night' is not a compliance rule; a manager may record an exception to attorney-represented, workplace-contact, inconvenient-time, call-frequency, call-after-conversation" },
        { "short documentation", ADraft() with { Documentation = "  said ok  " }, "documentation_too_short", "documentation",
            "Document the exception in at least 20 characters: who agreed to what, when and how (e.g. \"debtor consented on a recorded call on 2026-11-20 to calls at 7:30\")" },
        { "starts in the past", ADraft() with { ValidFrom = Now.AddHours(-2) }, "valid_from_in_past", "valid_from",
            "An exception cannot start in the past (2026-11-23T10:00:00Z is before now, 2026-11-23T12:00:00Z)" },
        { "ends before it starts", ADraft() with { ValidUntil = Now.AddMinutes(30) }, "valid_until_not_after_valid_from", "valid_until",
            "An exception must end after it starts (2026-11-23T12:30:00Z is not after 2026-11-23T13:00:00Z)" },
        { "lasts 31 days", ADraft() with { ValidFrom = Now, ValidUntil = Now.AddDays(31) }, "validity_too_long", "valid_until",
            "An exception lasts at most 30 days; this one would last until 2026-12-24T12:00:00Z, more than 30 days after 2026-11-23T12:00:00Z. Record a new one when it ends" },
        { "another debtor's account", ADraft() with { AccountId = OtherAccount }, "account_not_found", "account_id",
            $"Account {OtherAccount} does not belong to debtor 'K1'" },
        { "another debtor's number", ADraft() with { ContactPointId = new ContactPointId(Guid.Empty) }, "contact_point_not_found", "contact_point_id",
            "Contact point 00000000-0000-0000-0000-000000000000 does not belong to debtor 'K1'" },
        { "an e-mail address for calls", ADraft() with { ContactPointId = EmailId }, "contact_point_wrong_kind", "contact_point_id",
            "A contact by call needs a phone number, not maria@example.com" },
    };

    [Theory, MemberData(nameof(Refusals))]
    public void BadDrafts_AreRefused_NamingTheField(string what, ExceptionGrantDraft draft, string code, string field, string message)
    {
        var refused = Grant(draft);

        Assert.False(refused.IsSuccess, what);
        Assert.Equal((code, field, message), (refused.Error!.Code, refused.Error.Field, refused.Error.Message));
    }

    [Fact]
    public void ThirtyDays_IsTheLongestValidity() =>
        Assert.True(Grant(ADraft() with { ValidFrom = Now, ValidUntil = Now.AddDays(30) }).IsSuccess);

    [Fact]
    public void Revoking_EndsTheGrant_Once()
    {
        var grant = Grant(ADraft() with { ValidFrom = null }).Value;

        Assert.Equal(Now.AddHours(2), grant.Revoke("avery", Now.AddHours(2)).Value);
        var again = grant.Revoke("morgan", Now.AddHours(3));

        Assert.Equal((Now.AddHours(2), "avery"), (grant.RevokedAt, grant.RevokedBy));
        Assert.Equal(Now.AddHours(2), grant.EndsAt);
        Assert.False(grant.IsInForceAt(Now.AddHours(2)));
        Assert.Equal(("exception_revoked", "This exception was already revoked by avery at 2026-11-23T14:00:00Z"), (again.Error!.Code, again.Error.Message));
        Assert.Equal(Now.AddHours(2), grant.ToFacts().RevokedAt);
    }

    [Fact]
    public void AnEndedGrant_CannotBeRevoked()
    {
        var grant = Grant(ADraft()).Value;

        var refused = grant.Revoke("avery", Now.AddDays(2));

        Assert.Equal(("exception_ended", "This exception already ended at 2026-11-24T12:00:00Z; there is nothing to revoke"), (refused.Error!.Code, refused.Error.Message));
        Assert.Null(grant.RevokedAt);
    }
}
