using CsCheck;
using Recoup.Domain.Reporting;

namespace Recoup.Domain.Tests.Reporting;

/// <summary>
/// Each KPI against a published worked example with a known answer (docs/kpis.md cites them), and the
/// properties that tie the formulas together.
/// </summary>
public class KpiTests
{
    // Amounts in the examples are whole dollars; in minor units × 100.
    private const long Dollar = 100;

    [Fact]
    public void Cei_OfAQuarter_DividesTheSalesByThreeMonths()
    {
        // Credit Research Foundation formula, worked example of creditguru.com ("CEI for the period Jan to
        // March"): beginning 6,200; sales 10,890 over 3 months; ending total 6,340; ending current 3,590 → 55.9%.
        var cei = Kpis.Cei(6_200 * Dollar, 10_890 * Dollar, 3, 6_340 * Dollar, 3_590 * Dollar);

        Assert.Equal(55.93m, Kpis.Round(cei));
    }

    [Fact]
    public void Cei_OfAYear_WithTheSalesOfTwelveMonthsAsOne()
    {
        // gaviti.com's example: 100,000 beginning, 1,000,000 sales in the year, 120,000 ending, 100,000 current:
        // (100,000 + 1,000,000 − 120,000) ÷ (100,000 + 1,000,000 − 100,000) = 98%.
        Assert.Equal(98m, Kpis.Round(Kpis.Cei(100_000 * Dollar, 1_000_000 * Dollar, 1, 120_000 * Dollar, 100_000 * Dollar)));
    }

    [Fact]
    public void Cei_WhenNothingWasCollectible_IsNotANumber() =>
        Assert.Null(Kpis.Cei(0, 0, 1, 0, 0));

    [Fact]
    public void CountbackDso_OverThreeMonths_CountsTheLastMonthThatIsOnlyPartlyCovered()
    {
        // benjipays.com's count-back example: receivables 212,000; sales 100,000 (latest), 80,000, 70,000, 30-day
        // months: 30 + 30 + 32,000 ÷ 70,000 × 30 = 73.71 days.
        var dso = Kpis.CountbackDso(212_000 * Dollar, [new(100_000 * Dollar, 30), new(80_000 * Dollar, 30), new(70_000 * Dollar, 30)]);

        Assert.Equal(73.71m, Kpis.Round(dso));
    }

    [Fact]
    public void CountbackDso_UsesEachMonthsOwnLength()
    {
        // December (31), November (30), October (31): receivables of one and a half months' sales.
        var dso = Kpis.CountbackDso(150 * Dollar, [new(100 * Dollar, 31), new(100 * Dollar, 30), new(100 * Dollar, 31)]);

        Assert.Equal(46m, dso);
    }

    [Fact]
    public void CountbackDso_WhenTheReceivablesOutlastTheMonthsGiven_IsTheirDays() =>
        Assert.Equal(60m, Kpis.CountbackDso(1_000 * Dollar, [new(100 * Dollar, 30), new(100 * Dollar, 30)]));

    [Fact]
    public void CountbackDso_WithoutSales_IsNotANumber() =>
        Assert.Null(Kpis.CountbackDso(1_000, [new(0, 30)]));

    [Fact]
    public void Dso_Standard_IsReceivablesOverSalesTimesDays()
    {
        // trymesha.com's simple-method example: 150,000 receivables, 1,800,000 sales in 365 days → 30.4 days.
        Assert.Equal(30.42m, Kpis.Round(Kpis.Dso(150_000 * Dollar, 1_800_000 * Dollar, 365)));
    }

    [Fact]
    public void BestPossibleDso_AndAverageDaysDelinquent_SplitTheDsoIntoTermsAndLateness()
    {
        // Receivables 300,000 of which 200,000 current; sales of the quarter 270,000 over 90 days:
        // DSO = 100 days, best possible = 66.67, so lateness adds 33.33 days.
        var dso = Kpis.Dso(300_000 * Dollar, 270_000 * Dollar, 90);
        var best = Kpis.BestPossibleDso(200_000 * Dollar, 270_000 * Dollar, 90);

        Assert.Equal((100m, 66.67m, 33.33m), (Kpis.Round(dso)!.Value, Kpis.Round(best)!.Value, Kpis.Round(Kpis.AverageDaysDelinquent(dso, best))!.Value));
    }

    [Fact]
    public void RollRates_AreTheShareOfEachBucketFoundInTheNextAMonthLater()
    {
        // The creditguru.com aged trial balance, January → February (current, 31-60, 61-90, 90+):
        // 1,550 ÷ 3,345 = 46.34%; 825 ÷ 1,795 = 45.96%; 65 ÷ 1,000 = 6.5%.
        var rates = Kpis.RollRates(["current", "31-60", "61-90", "90+"], [3_345, 1_795, 1_000, 60], [3_560, 1_550, 825, 65]);

        Assert.Equal(
            [("current", "31-60", 46.34m), ("31-60", "61-90", 45.96m), ("61-90", "90+", 6.5m)],
            rates.Select(r => (r.From, r.To, Kpis.Round(r.Percent)!.Value)));
    }

    [Fact]
    public void RollRates_IntoTheOpenEndedLastBucket_CountOnlyWhatEnteredIt()
    {
        // 500 in 91-120 at the start; at the end 121+ holds 9,000, of which 400 entered it this month.
        var rates = Kpis.RollRates(["91-120", "121+"], [500, 8_800], [300, 9_000], enteredLastMinor: 400);

        Assert.Equal(80m, rates.Single().Percent);
    }

    [Fact]
    public void RollRates_FromAnEmptyBucket_AreNotANumber() =>
        Assert.Null(Kpis.RollRates(["current", "1-30"], [0, 10], [5, 0])[0].Percent);

    [Fact]
    public void LiquidationRate_IsCollectedOverWhatThereWasToCollect() =>
        Assert.Equal(25m, Kpis.LiquidationRate(250, 600, 400));

    [Fact]
    public void WeightedAverageDays_WeighsEachPaymentByItsAmount() =>
        Assert.Equal(17.5m, Kpis.WeightedAverageDays([(10, 300), (40, 100), (20, 0)]));

    [Fact]
    public void Cei_NeverExceedsAHundred_WhileCurrentIsPartOfTheTotal() =>
        Gen.Select(Gen.Long[0, 1_000_000_000], Gen.Long[0, 1_000_000_000], Gen.Int[1, 12], Gen.Long[0, 1_000_000_000], Gen.Double[0, 1])
            .Sample((beginning, sales, months, endingTotal, currentShare) =>
            {
                var endingCurrent = (long)(endingTotal * currentShare);
                var cei = Kpis.Cei(beginning, sales, months, endingTotal, endingCurrent);
                return cei is null || cei <= 100m;
            });

    [Fact]
    public void CountbackDso_WithEvenSales_EqualsTheStandardDso() =>
        Gen.Select(Gen.Long[1, 10_000_000], Gen.Int[1, 6], Gen.Long[0, 10_000_000])
            .Sample((monthly, months, receivables) =>
            {
                var sales = Enumerable.Repeat(new MonthSales(monthly, 30), months).ToList();
                var capped = Math.Min(receivables, monthly * months);
                return decimal.Round(Kpis.CountbackDso(capped, sales)!.Value, 10) == decimal.Round(Kpis.Dso(capped, monthly * months, 30 * months)!.Value, 10);
            });
}
