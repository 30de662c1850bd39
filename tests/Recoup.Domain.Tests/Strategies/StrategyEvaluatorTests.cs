using CsCheck;
using Recoup.Domain.Debtors;
using Recoup.Domain.Strategies;

namespace Recoup.Domain.Tests.Strategies;

public sealed class StrategyEvaluatorTests
{
    private static readonly DateOnly Due = new(2026, 9, 1);
    private static readonly AccountId Account = new(Guid.Parse("0b7f6a1c-2d3e-4f50-8a6b-7c8d9e0f1a2b"));

    private static readonly StrategyDefinition Ladder = new("Ladder", DunningLevel.Account,
    [
        new("All", SegmentCondition.Any, [new("champion", 100,
        [
            new("first-letter", StepAction.Letter, DaysPastDue: 10, Template: "first_reminder"),
            new("call", StepAction.CallTask, DaysPastDue: 20, Priority: 2),
            new("second-letter", StepAction.Letter, DaysPastDue: 30, Template: "second_reminder"),
            new("final-letter", StepAction.Letter, DaysPastDue: 60, Template: "final_demand"),
            new("broken", StepAction.Email, OnEvent: StrategyEvent.PromiseBroken, Template: "broken_promise"),
        ])]),
    ]);

    private static OpenInvoice Invoice(string number, DateOnly due, long open = 10_000) => new(new InvoiceId(Guid.NewGuid()), number, due, open);

    private static AccountStrategyFacts Facts(
        IReadOnlyList<OpenInvoice>? invoices = null, string episode = "e1", DebtType type = DebtType.Consumer, long balance = 10_000,
        bool disputed = false, bool onPlan = false, string? region = null, int? risk = null, IReadOnlyList<EventOccurrence>? events = null) =>
        new(Account, new DebtorId(Guid.NewGuid()), type, Currency.USD, balance, invoices ?? [Invoice("INV-1", Due)], episode,
            Region: region, RiskScore: risk, Disputed: disputed, OnPlan: onPlan, Events: events);

    private static StrategyDecision Decide(AccountStrategyFacts facts, DateOnly asOf, params string[] taken) =>
        StrategyEvaluator.Decide(Ladder, facts, asOf, taken.ToHashSet())!;

    [Fact]
    public void AStep_IsDueOnItsDayExactly_NotTheDayBefore()
    {
        Assert.Empty(Decide(Facts(), Due.AddDays(9)).Steps);

        var onTheDay = Decide(Facts(), Due.AddDays(10));

        var step = Assert.Single(onTheDay.Steps);
        Assert.Equal(("first-letter", "first_reminder"), (step.Step.Key, step.Step.Template));
        Assert.Equal(["first-letter|e1"], step.TakenKeys);
    }

    [Fact]
    public void ATakenStep_IsNotTakenAgain_InTheSameDelinquency_ButIsInTheNext()
    {
        Assert.Empty(Decide(Facts(), Due.AddDays(11), "first-letter|e1").Steps);

        var next = Decide(Facts(episode: "e2"), Due.AddDays(11), "first-letter|e1");

        Assert.Equal(["first-letter|e2"], Assert.Single(next.Steps).TakenKeys);
    }

    [Fact]
    public void AnAccountFirstSeenLate_GetsTheFurthestLetter_AndTheEarlierOnesAreTakenWithIt()
    {
        var decision = Decide(Facts(), Due.AddDays(65));

        Assert.Equal(["call", "final-letter"], decision.Steps.Select(s => s.Step.Key));
        var letter = decision.Steps.Single(s => s.Step.Action == StepAction.Letter);
        Assert.Equal(["first-letter|e1", "second-letter|e1", "final-letter|e1"], letter.TakenKeys);
    }

    [Fact]
    public void InvoiceLevelDunning_SendsOneLetter_AtTheHighestStepReached_ListingEveryInvoice()
    {
        var perInvoice = Ladder with { Dunning = DunningLevel.Invoice };
        var old = Invoice("INV-OLD", Due);
        var recent = Invoice("INV-NEW", Due.AddDays(25));
        var notDue = Invoice("INV-FUTURE", Due.AddDays(60));

        var decision = StrategyEvaluator.Decide(perInvoice, Facts([recent, old, notDue]), Due.AddDays(36), new HashSet<string>())!;

        var letter = decision.Steps.Single(s => s.Step.Action == StepAction.Letter);
        Assert.Equal("second-letter", letter.Step.Key);
        Assert.Equal(["INV-OLD", "INV-NEW"], letter.Invoices.Select(i => i.Number));
        Assert.Equal(3, letter.TakenKeys.Count); // first and second for INV-OLD, first for INV-NEW
        Assert.Contains($"first-letter|invoice:{recent.Id.Value:N}", letter.TakenKeys);
    }

    [Fact]
    public void AnEventStep_IsTakenOncePerOccurrence()
    {
        var broken = new EventOccurrence(StrategyEvent.PromiseBroken, Due.AddDays(3), "promise-1");

        var first = Decide(Facts(events: [broken]), Due.AddDays(5));
        var again = Decide(Facts(events: [broken]), Due.AddDays(6), "broken|event:promise-1");
        var another = Decide(Facts(events: [broken, broken with { Key = "promise-2" }]), Due.AddDays(7), "broken|event:promise-1");

        Assert.Equal(["broken|event:promise-1"], Assert.Single(first.Steps).TakenKeys);
        Assert.Empty(again.Steps);
        Assert.Equal(["broken|event:promise-2"], Assert.Single(another.Steps).TakenKeys);
    }

    [Fact]
    public void NothingOpen_NoSegment()
    {
        Assert.Null(StrategyEvaluator.Decide(Ladder, Facts([]), Due.AddDays(40), new HashSet<string>()));
    }

    [Theory]
    [InlineData(2_500, false, false, "Small balance")]
    [InlineData(2_501, false, false, "Standard")]
    [InlineData(2_500, true, false, "Disputed")]
    [InlineData(90_000, false, true, "On a plan")]
    public void TheFirstSegmentThatMatches_TakesTheAccount(long balance, bool disputed, bool onPlan, string segment)
    {
        var facts = Facts(balance: balance, disputed: disputed, onPlan: onPlan);

        Assert.Equal(segment, StrategyEvaluator.SegmentFor(DefaultStrategies.Consumer, facts, Due.AddDays(40))!.Name);
    }

    [Fact]
    public void Conditions_OnDebtTypeRegionRiskAndDays_AllMustHold()
    {
        var when = new SegmentCondition(DebtTypes: [DebtType.Medical], Regions: ["TX"], RiskScoreFrom: 500, DaysPastDueFrom: 30, DaysPastDueTo: 59);
        var asOf = Due.AddDays(30);

        Assert.True(StrategyEvaluator.Matches(when, Facts(type: DebtType.Medical, region: "tx", risk: 500), asOf));
        Assert.False(StrategyEvaluator.Matches(when, Facts(type: DebtType.Medical, region: "TX", risk: 500), Due.AddDays(29)));
        Assert.False(StrategyEvaluator.Matches(when, Facts(type: DebtType.Medical, region: "TX", risk: 500), Due.AddDays(60)));
        Assert.False(StrategyEvaluator.Matches(when, Facts(type: DebtType.Consumer, region: "TX", risk: 500), asOf));
        Assert.False(StrategyEvaluator.Matches(when, Facts(type: DebtType.Medical, region: "CA", risk: 500), asOf));
        Assert.False(StrategyEvaluator.Matches(when, Facts(type: DebtType.Medical, region: "TX", risk: null), asOf));
    }

    [Fact]
    public void DayByDay_EachStepIsTakenOnce_OnOrAfterItsDay_AndAtMostOneMessagePerActionPerRun()
    {
        Gen.Select(Gen.Int[0, 200], Gen.Int[1, 40].Array[1, 30]).Sample((start, gaps) =>
        {
            var taken = new HashSet<string>();
            var takenOn = new Dictionary<string, int>();
            var day = start;
            foreach (var gap in gaps)
            {
                var decision = StrategyEvaluator.Decide(Ladder, Facts(), Due.AddDays(day), taken)!;
                if (decision.Steps.GroupBy(s => s.Step.Action).Any(g => g.Count() > 1))
                {
                    return false;
                }

                foreach (var key in decision.Steps.SelectMany(s => s.TakenKeys))
                {
                    if (!taken.Add(key))
                    {
                        return false;
                    }

                    takenOn[key] = day;
                }

                day += gap;
            }

            return Ladder.Segments[0].Arms[0].Steps.Where(s => s.DaysPastDue is not null)
                .All(s => !takenOn.TryGetValue($"{s.Key}|e1", out var on) || on >= s.DaysPastDue);
        });
    }
}
