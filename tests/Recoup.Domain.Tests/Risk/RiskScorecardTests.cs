using CsCheck;
using Recoup.Domain.Risk;

namespace Recoup.Domain.Tests.Risk;

/// <summary>The risk scorecard: 0 to 100, the table of docs/risk.md, reasons that add up to the score, and worse behaviour never scoring lower.</summary>
public class RiskScorecardTests
{
    private static readonly Gen<RiskInputs> Inputs =
        from daysPastDue in Gen.Int[-60, 400]
        from broken in Gen.Int[0, 6]
        from returned in Gen.Int[0, 5]
        from due in Gen.Int[0, 15]
        from late in Gen.Int[0, due]
        from disputes in Gen.Int[0, 3]
        select new RiskInputs(daysPastDue, broken, returned, due, late, disputes);

    /// <summary>Each factor made worse by one step: a day later, one more broken promise, returned payment, invoice paid late or dispute.</summary>
    private static readonly Func<RiskInputs, RiskInputs>[] Worsen =
    [
        i => i with { DaysPastDue = i.DaysPastDue + 1 },
        i => i with { BrokenPromises = i.BrokenPromises + 1 },
        i => i with { ReturnedPayments = i.ReturnedPayments + 1 },
        i => i with { InvoicesDue = i.InvoicesDue + 1, InvoicesPaidLate = i.InvoicesPaidLate + 1 },
        i => i.InvoicesPaidLate < i.InvoicesDue ? i with { InvoicesPaidLate = i.InvoicesPaidLate + 1 } : i,
        i => i with { OpenDisputes = i.OpenDisputes + 1 },
    ];

    [Fact]
    public void AScore_IsAlwaysFrom0To100_AndItsReasonsAddUpToIt_LargestFirst() =>
        Inputs.Sample(inputs =>
        {
            var assessed = RiskScorecard.Assess(inputs);

            Assert.InRange(assessed.Score, 0, 100);
            Assert.Equal(assessed.Score, assessed.Reasons.Sum(r => r.Points));
            Assert.All(assessed.Reasons, r => Assert.True(r.Points > 0, r.Text));
            Assert.Equal(assessed.Reasons.Select(r => r.Points).OrderDescending(), assessed.Reasons.Select(r => r.Points));
            Assert.Equal(assessed.Reasons.Count, assessed.Reasons.Select(r => r.Factor).Distinct().Count());
        });

    [Fact]
    public void WorseBehaviourOnAnyOneFactor_NeverLowersTheScore() =>
        Gen.Select(Inputs, Gen.Int[0, Worsen.Length - 1], Gen.Int[1, 40]).Sample((inputs, factor, steps) =>
        {
            var worse = inputs;
            for (var i = 0; i < steps; i++)
            {
                var before = RiskScorecard.Assess(worse).Score;
                worse = Worsen[factor](worse);
                Assert.True(RiskScorecard.Assess(worse).Score >= before, $"{worse} scores below {before}");
            }

            Assert.True(RiskScorecard.Assess(worse).Score >= RiskScorecard.Assess(inputs).Score);
        });

    [Fact]
    public void AnAccountWithNothingLate_ScoresTheLowest_0_WithNoReason_HoweverManyInvoicesItPaidOnTime() =>
        Gen.Select(Gen.Int[-60, 0], Gen.Int[0, 50]).Sample((daysPastDue, paidOnTime) =>
        {
            var assessed = RiskScorecard.Assess(new RiskInputs(DaysPastDue: daysPastDue, InvoicesDue: paidOnTime));

            Assert.Equal(0, assessed.Score);
            Assert.Empty(assessed.Reasons);
        });

    [Fact]
    public void EveryFactorAtItsWorst_Scores100()
    {
        var assessed = RiskScorecard.Assess(new RiskInputs(DaysPastDue: 200, BrokenPromises: 4, ReturnedPayments: 3, InvoicesDue: 6, InvoicesPaidLate: 6, OpenDisputes: 2));

        Assert.Equal(100, assessed.Score);
    }

    [Fact]
    public void AnAccount75DaysPastDue_WithTwoBrokenPromises_AReturnedPayment_ThreeOfFourInvoicesLate_AndADispute_Scores84_ExplainedInWords()
    {
        var assessed = RiskScorecard.Assess(new RiskInputs(DaysPastDue: 75, BrokenPromises: 2, ReturnedPayments: 1, InvoicesDue: 4, InvoicesPaidLate: 3, OpenDisputes: 1));

        (string Code, int Points, string Text)[] expected =
        [
            ("past_due", 28, "Oldest open invoice 61–90 days past due"),
            ("late_payments", 20, "3 of 4 invoices due in the last 12 months not paid in full by the due date"),
            ("broken_promises", 16, "2 broken promises to pay in the last 180 days"),
            ("returned_payments", 10, "1 payment returned or reversed in the last 180 days"),
            ("open_disputes", 10, "1 open dispute"),
        ];
        Assert.Equal(28 + 16 + 10 + 20 + 10, assessed.Score);
        Assert.Equal(expected, assessed.Reasons.Select(r => (r.Code, r.Points, r.Text)));
    }

    [Fact]
    public void ACurrentAccountThatPaidMostOfLastYearLate_IsFlaggedBeforeItIsDelinquent()
    {
        var assessed = RiskScorecard.Assess(new RiskInputs(DaysPastDue: 0, InvoicesDue: 5, InvoicesPaidLate: 3));

        Assert.Equal(20, assessed.Score);
        Assert.Equal("late_payments", Assert.Single(assessed.Reasons).Code);
    }

    [Theory]
    [InlineData(-5, 0)]
    [InlineData(0, 0)]
    [InlineData(1, 10)]
    [InlineData(30, 10)]
    [InlineData(31, 20)]
    [InlineData(60, 20)]
    [InlineData(61, 28)]
    [InlineData(90, 28)]
    [InlineData(91, 35)]
    [InlineData(3650, 35)]
    public void DaysPastDue_ScoreByBand(int days, int points) => Assert.Equal(points, RiskScorecard.PastDuePoints(days));

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(0, 12, 0)]
    [InlineData(1, 4, 8)]
    [InlineData(1, 3, 14)]
    [InlineData(2, 4, 14)]
    [InlineData(3, 5, 20)]
    [InlineData(1, 1, 20)]
    public void LatePayments_ScoreByTheShareOfInvoicesLate_AQuarterAndAHalfInTheLowerBand(int late, int due, int points) =>
        Assert.Equal(points, RiskScorecard.LatePaymentPoints(late, due));

    [Theory]
    [InlineData(1, 10, 1, 10)]
    [InlineData(2, 16, 2, 15)]
    [InlineData(3, 20, 3, 15)]
    [InlineData(9, 20, 9, 15)]
    public void BrokenPromisesAndReturnedPayments_ScoreByCount(int broken, int brokenPoints, int returned, int returnedPoints)
    {
        Assert.Equal(brokenPoints, RiskScorecard.BrokenPromisePoints(broken));
        Assert.Equal(returnedPoints, RiskScorecard.ReturnedPaymentPoints(returned));
    }

    [Fact]
    public void MoreInvoicesPaidLateThanFellDue_IsACountingMistake_AndThrows() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RiskScorecard.Assess(new RiskInputs(InvoicesDue: 2, InvoicesPaidLate: 3)));
}
