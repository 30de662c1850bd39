using Recoup.Domain.Debtors;
using Recoup.Domain.Strategies;

namespace Recoup.Domain.Tests.Strategies;

public sealed class StrategyRulesTests
{
    [Theory]
    [InlineData(DebtType.Consumer)]
    [InlineData(DebtType.Commercial)]
    [InlineData(DebtType.Medical)]
    public void TheDefaultStrategies_AreValid(DebtType type)
    {
        Assert.Empty(StrategyRules.Check(DefaultStrategies.For(type)));
    }

    [Fact]
    public void EveryMistake_IsNamedWithWhereItIs()
    {
        var strategy = new StrategyDefinition("Broken", DunningLevel.Account,
        [
            new("Split", new SegmentCondition(BalanceFrom: 100m, BalanceTo: 50m), [
                new("champion", 70, [new("letter", StepAction.Letter, DaysPastDue: 10)]),
                new("challenger", 20, [
                    new("call", StepAction.CallTask, DaysPastDue: 10, OnEvent: StrategyEvent.PromiseBroken, Priority: 9),
                    new("call", StepAction.AssignQueue, DaysPastDue: 5000),
                ]),
            ]),
            new("split", SegmentCondition.Any, [new("champion", 100, [])]),
        ]);

        var errors = StrategyRules.Check(strategy).Select(e => (e.Field, e.Message)).ToList();

        Assert.Contains(("segments", "Two segments are named 'Split'; segment names must differ (an account's split depends on its segment's name)"), errors);
        Assert.Contains(("segments[0].when.balance_from", "The balance range runs backwards (from is more than to)"), errors);
        Assert.Contains(("segments[0].arms", "The arms of segment 'Split' share 90 % of its accounts; they must share 100 %"), errors);
        Assert.Contains(("segments[0].arms[0].steps[0].template", "Step 'letter' sends a letter; name its template"), errors);
        Assert.Contains(("segments[0].arms[1].steps", "Two steps of arm 'challenger' have the key 'call'"), errors);
        Assert.Contains(("segments[0].arms[1].steps[0].days_past_due", "Step 'call' must be keyed either by days past due or by an event, not both"), errors);
        Assert.Contains(("segments[0].arms[1].steps[0].priority", "Step 'call' has priority 9; priorities run from 1 (highest) to 5"), errors);
        Assert.Contains(("segments[0].arms[1].steps[1].days_past_due", "Step 'call' comes at 5000 days past due; a step comes between -60 (before the due date) and 3650"), errors);
        Assert.Contains(("segments[0].arms[1].steps[1].queue", "Step 'call' assigns to a queue; name the queue"), errors);
        Assert.Equal(9, errors.Count);
    }
}
