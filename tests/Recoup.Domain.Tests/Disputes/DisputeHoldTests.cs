using CsCheck;
using Recoup.Domain.Adjustments;
using Recoup.Domain.Compliance;
using Recoup.Domain.Debtors;
using Recoup.Domain.Disputes;
using Recoup.Domain.Plans;
using static Recoup.Domain.Tests.Compliance.Gate;

namespace Recoup.Domain.Tests.Disputes;

/// <summary>The dispute hold takes exactly the disputed amount out of collection; only a hold on the whole balance stops contacts.</summary>
public class DisputeHoldTests
{
    private static Money Usd(long minor) => new(minor, Currency.USD);

    [Fact]
    public void Collectible_IsTheBalanceLessExactlyTheHeldAmount_NeverBelowZero() =>
        Gen.Select(Gen.Long[-100_000, 10_000_000], Gen.Long[0, 10_000_000]).Sample((balance, held) =>
        {
            var collectible = DisputeHold.Collectible(Usd(balance), Usd(held));
            var expected = balance <= 0 ? 0 : Math.Max(0, balance - held);
            Assert.Equal(expected, collectible.Minor);
            Assert.Equal(balance > 0 && held > 0 && held >= balance, DisputeHold.HeldInFull(Usd(balance), Usd(held)));
        });

    [Fact]
    public void AWholeBalanceHold_BlocksContactsAboutThatDebtOnly_AndNotTheAnswerToTheDispute()
    {
        var facts = ACase() with
        {
            DebtorKind = DebtorKind.Business,
            Debts = [new DebtFacts("D1", DebtType.Commercial, HeldInFullSince: Et(2026, 11, 20, 9)), new DebtFacts("D2", DebtType.Commercial)],
        };

        var aboutD1 = facts.Check(Call(Et(2026, 11, 23, 10), "D1"));
        AssertBlocked(aboutD1, null, "dispute-hold");
        Assert.Contains("The whole balance of debt D1 is disputed", aboutD1.Reasons[0].Message, StringComparison.Ordinal);
        AssertAllowed(facts.Check(Call(Et(2026, 11, 23, 10), "D2")));
        AssertAllowed(facts.Check(Send(ContactChannel.Letter, Et(2026, 11, 23, 10), "D1") with { Purpose = ContactPurpose.DisputeResponse }));
        AssertAllowed(facts.Check(Call(Et(2026, 11, 19, 10), "D1")));
    }

    [Theory]
    [InlineData(SettlementRole.Collector, 5000, true)]
    [InlineData(SettlementRole.Collector, 5001, false)]
    [InlineData(SettlementRole.Supervisor, 100000, true)]
    [InlineData(SettlementRole.Supervisor, 100001, false)]
    [InlineData(SettlementRole.Manager, 99_999_999, true)]
    public void ApprovalLimits_AreInclusive_PerRole(SettlementRole role, long minor, bool allowed)
    {
        Assert.Equal(allowed, ApprovalLimits.Adjustments.Allows(role, Usd(minor)));
        Assert.Equal(allowed, ApprovalLimits.Adjustments.Allows(role, Usd(-minor)));
    }

    [Fact]
    public void ABadDebt_AlwaysNeedsApprovalFromACollector_AndTheRefusalNamesWhoMayApprove()
    {
        Assert.Equal(SettlementRole.Supervisor, ApprovalLimits.BadDebt.LeastRoleFor(Usd(1)));
        Assert.Equal("1500.00 USD is beyond the supervisor's limit of 1,000.00 USD; a manager must approve it", ApprovalLimits.BadDebt.Refusal(SettlementRole.Supervisor, Usd(150_000)));
    }

    [Fact]
    public void TheSla_IsBreachedAfterTheDueDate()
    {
        Assert.False(DisputeSla.Breached(new DateOnly(2026, 12, 3), new DateOnly(2026, 12, 3), null));
        Assert.True(DisputeSla.Breached(new DateOnly(2026, 12, 3), new DateOnly(2026, 12, 4), null));
        Assert.False(DisputeSla.Breached(new DateOnly(2026, 12, 3), new DateOnly(2026, 12, 9), new DateOnly(2026, 12, 2)));
        Assert.Equal(12, DisputeSla.AgeInDays(new DateOnly(2026, 11, 11), new DateOnly(2026, 11, 23)));
    }
}
