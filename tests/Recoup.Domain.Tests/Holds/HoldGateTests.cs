using Recoup.Domain.Compliance;
using Recoup.Domain.Holds;
using static Recoup.Domain.Tests.Compliance.Gate;

namespace Recoup.Domain.Tests.Holds;

/// <summary>The gate's collection-hold and placed-with-agency rules: what a hold or a placement stops, and when it lifts.</summary>
public class HoldGateTests
{
    private static CollectionHoldFacts AccountHold(DateOnly from, DateOnly until, DateTimeOffset? released = null) =>
        new("H1", "D1", null, null, from, until, "Customer disputes delivery", "sam", released);

    private static CollectionHoldFacts InvoiceHold(string invoice, long invoiceOpen, long debtOpen) =>
        new("H2", "D1", invoice, "INV-" + invoice, new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 1), "Pricing query", "sam", null, invoiceOpen, debtOpen);

    [Fact]
    public void AccountHold_BlocksEveryChannel_UntilItsEndDate_ThenLiftsByItself()
    {
        var facts = ACase() with { CollectionHolds = [AccountHold(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 25))] };
        foreach (var channel in Enum.GetValues<ContactChannel>())
        {
            var decision = ComplianceGate.Check(facts, Send(channel, Et(2026, 11, 24, 10)), RuleSet.Default);
            Assert.False(decision.Allowed);
            var reason = Assert.Single(decision.Reasons);
            Assert.Equal("collection-hold", reason.Rule);
            Assert.Contains("until 2026-11-25", reason.Message);
            Assert.Contains("set by sam", reason.Message);
        }

        var blocked = ComplianceGate.Check(facts, Call(Et(2026, 11, 24, 10)), RuleSet.Default);
        Assert.Equal(Et(2026, 11, 25, 8), blocked.NextAllowedAt);
        Assert.True(ComplianceGate.Check(facts, Call(Et(2026, 11, 25, 10)), RuleSet.Default).Allowed);
    }

    [Fact]
    public void BackdatedHold_IsInForceFromItsStart_AndAnotherDebtIsNotHeld()
    {
        var facts = ACase() with { CollectionHolds = [AccountHold(new DateOnly(2026, 11, 20), new DateOnly(2026, 12, 1))] };
        Assert.True(ComplianceGate.Check(facts, Call(Et(2026, 11, 19, 10)), RuleSet.Default).Allowed);
        Assert.False(ComplianceGate.Check(facts, Call(Et(2026, 11, 20, 10)), RuleSet.Default).Allowed);
        Assert.True(ComplianceGate.Check(facts, Call(Et(2026, 11, 21, 10), "D2"), RuleSet.Default).Allowed);
    }

    [Fact]
    public void ReleasedHold_StopsHoldingAtTheRelease()
    {
        var facts = ACase() with { CollectionHolds = [AccountHold(new DateOnly(2026, 11, 1), new DateOnly(2026, 12, 1), Et(2026, 11, 10, 12))] };
        Assert.False(ComplianceGate.Check(facts, Call(Et(2026, 11, 10, 11)), RuleSet.Default).Allowed);
        Assert.True(ComplianceGate.Check(facts, Call(Et(2026, 11, 10, 13)), RuleSet.Default).Allowed);
    }

    [Fact]
    public void InvoiceHold_RefusesContactAboutThatInvoice_ButTheRestOfTheAccountIsCollected()
    {
        var facts = ACase() with { CollectionHolds = [InvoiceHold("I1", invoiceOpen: 40_00, debtOpen: 100_00)] };
        var aboutHeld = Call(Et(2026, 11, 24, 10)) with { InvoiceIds = ["I1"] };
        var aboutOther = Call(Et(2026, 11, 24, 10)) with { InvoiceIds = ["I2"] };
        var aboutAccount = Call(Et(2026, 11, 24, 10));

        var refused = ComplianceGate.Check(facts, aboutHeld, RuleSet.Default);
        Assert.False(refused.Allowed);
        Assert.Contains("Invoice INV-I1", Assert.Single(refused.Reasons).Message);
        Assert.True(ComplianceGate.Check(facts, aboutOther, RuleSet.Default).Allowed);
        Assert.True(ComplianceGate.Check(facts, aboutAccount, RuleSet.Default).Allowed);
    }

    [Fact]
    public void InvoiceHolds_CoveringEverythingOpen_RefuseContactAboutTheAccount()
    {
        var facts = ACase() with { CollectionHolds = [InvoiceHold("I1", invoiceOpen: 100_00, debtOpen: 100_00)] };
        var decision = ComplianceGate.Check(facts, Call(Et(2026, 11, 24, 10)), RuleSet.Default);
        Assert.False(decision.Allowed);
        Assert.Contains("Everything open on account D1", Assert.Single(decision.Reasons).Message);
        Assert.Equal(Et(2026, 12, 1, 8), decision.NextAllowedAt);
    }

    [Fact]
    public void Hold_AppliesToBusinessDebtsToo()
    {
        var facts = ACase() with
        {
            DebtorKind = Debtors.DebtorKind.Business,
            CollectionHolds = [AccountHold(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 25))],
        };
        Assert.False(ComplianceGate.Check(facts, Call(Et(2026, 11, 24, 10)), RuleSet.Default).Allowed);
    }

    [Fact]
    public void Placement_StopsContact_ExceptWhatItAllows_UntilRecalled()
    {
        var placed = new PlacementFacts("PL1", "D1", "Lex & Partners", Et(2026, 11, 1, 0), null, [ContactChannel.Letter]);
        var facts = ACase() with { Placements = [placed] };

        var call = ComplianceGate.Check(facts, Call(Et(2026, 11, 24, 10)), RuleSet.Default);
        Assert.False(call.Allowed);
        var reason = Assert.Single(call.Reasons);
        Assert.Equal("placed-with-agency", reason.Rule);
        Assert.Contains("Lex & Partners", reason.Message);
        Assert.Null(call.NextAllowedAt);
        Assert.True(ComplianceGate.Check(facts, Send(ContactChannel.Letter, Et(2026, 11, 24, 10)), RuleSet.Default).Allowed);

        var recalled = ACase() with { Placements = [placed with { EndedAt = Et(2026, 11, 20, 0) }] };
        Assert.True(ComplianceGate.Check(recalled, Call(Et(2026, 11, 24, 10)), RuleSet.Default).Allowed);
    }

    [Fact]
    public void HoldRules_ValidateReasonDatesAndBackdating()
    {
        var today = new DateOnly(2026, 11, 24);
        Assert.Empty(CollectionHoldRules.Validate("Disputed delivery", today.AddDays(-10), today.AddDays(5), today));
        Assert.Equal(["reason"], CollectionHoldRules.Validate(" ", today, today.AddDays(5), today).Select(e => e.Field));
        Assert.Equal(["ends_on"], CollectionHoldRules.Validate("x", today, today, today).Select(e => e.Field));
        Assert.Equal("hold_already_ended", Assert.Single(CollectionHoldRules.Validate("x", today.AddDays(-10), today, today)).Code);
        Assert.Contains(CollectionHoldRules.Validate("x", today.AddDays(-400), today.AddDays(1), today), e => e.Code == "hold_starts_too_early");
        Assert.True(CollectionHoldRules.InForce(today, today.AddDays(1), null, today));
        Assert.False(CollectionHoldRules.InForce(today, today.AddDays(1), null, today.AddDays(1)));
        Assert.False(CollectionHoldRules.InForce(today, today.AddDays(5), today.AddDays(2), today.AddDays(2)));
    }
}
