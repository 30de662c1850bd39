using CsCheck;
using Recoup.Domain.Strategies;

namespace Recoup.Domain.Tests.Strategies;

/// <summary>The champion/challenger statistics against worked examples with known answers.</summary>
public sealed class ArmComparisonTests
{
    [Fact]
    public void TwoProportionZTest_60PercentOf200Against50PercentOf200_IsSignificantAt95()
    {
        // Pooled p̂ = 220/400 = 0.55; SE = √(0.55 · 0.45 · (1/200 + 1/200)) = 0.049749; z = 0.10 / SE = 2.0101; p = 0.0444.
        var test = ArmComparison.TwoProportionZTest(120, 200, 100, 200);

        Assert.Equal(2.0100756, test.Statistic, 6);
        Assert.Equal(0.0444232, test.PValue!.Value, 6);
        Assert.True(test.Significant);
        Assert.StartsWith("The difference is significant at 95 % (p = 0.0444)", test.Sentence);
    }

    [Fact]
    public void TwoProportionZTest_15PercentAgainst10PercentOf300_IsNotSignificantAt95()
    {
        // p̂ = 75/600 = 0.125; z = 0.05 / √(0.125 · 0.875 · 2/300) = 1.8516; p = 0.0641.
        var test = ArmComparison.TwoProportionZTest(45, 300, 30, 300);

        Assert.Equal(1.8516402, test.Statistic, 6);
        Assert.Equal(0.06407751, test.PValue!.Value, 6);
        Assert.False(test.Significant);
        Assert.StartsWith("The difference is not significant at 95 % (p = 0.0641)", test.Sentence);
    }

    [Fact]
    public void TwoProportionZTest_AtNinetyPercentConfidence_CallsTheSameDifferenceSignificant()
    {
        var test = ArmComparison.TwoProportionZTest(45, 300, 30, 300, confidence: 0.90);

        Assert.True(test.Significant);
        Assert.Contains("significant at 90 %", test.Sentence);
    }

    [Fact]
    public void TwoProportionZTest_WithAnEmptyArm_OrNoSuccessesAtAll_HasNoPValueAndSaysWhy()
    {
        var empty = ArmComparison.TwoProportionZTest(3, 10, 0, 0);
        var none = ArmComparison.TwoProportionZTest(0, 10, 0, 12);

        Assert.Null(empty.PValue);
        Assert.False(empty.Significant);
        Assert.Equal("No test: an arm has no accounts yet.", empty.Sentence);
        Assert.Equal("No test: no account in either arm has it yet.", none.Sentence);
    }

    [Fact]
    public void WelchTTest_TheTextbookExampleOfUnequalVariances_GivesT246On25DegreesOfFreedom()
    {
        // Welch (1947)-style example (as on Wikipedia's "Welch's t-test"): t = −2.46, ν ≈ 25.0, p = 0.021.
        double[] a = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
        double[] b = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];

        var test = ArmComparison.WelchTTest(SampleSummary.Of(a), SampleSummary.Of(b));

        Assert.Equal(-2.4553564, test.Statistic, 6);
        Assert.Equal(24.9885293, test.DegreesOfFreedom!.Value, 6);
        Assert.Equal(0.0213780, test.PValue!.Value, 6);
        Assert.True(test.Significant);
    }

    [Theory]
    [InlineData(2.228, 10, 0.0500118)] // the 97.5 % quantile of t(10) from any t table
    [InlineData(2.0, 10, 0.0733880)]
    [InlineData(1.0, 1, 0.5)] // Cauchy: P(|T| ≥ 1) = 1/2
    public void StudentTwoSided_MatchesTheTTable(double t, double df, double expected)
    {
        Assert.Equal(expected, ArmComparison.StudentTwoSided(t, df), 6);
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(0.5, 0.479500122186953)]
    [InlineData(3.0, 2.20904969985854e-5)]
    [InlineData(-1.0, 1.84270079294971)]
    public void Erfc_MatchesTheTables(double x, double expected)
    {
        Assert.Equal(expected, ArmComparison.Erfc(x), 12);
    }

    [Fact]
    public void NormalUpperTail_At196_IsTwoAndAHalfPercent()
    {
        Assert.Equal(0.0249979, ArmComparison.NormalUpperTail(1.96), 6);
    }

    [Fact]
    public void SampleSummary_GivesTheMeanAndTheUnbiasedVariance()
    {
        var summary = SampleSummary.Of([2, 4, 4, 4, 5, 5, 7, 9]);

        Assert.Equal((8, 5.0), (summary.Count, summary.Mean));
        Assert.Equal(32.0 / 7, summary.Variance, 12);
    }

    [Fact]
    public void SampleSummary_FromADatabasesCountSumAndSumOfSquares_IsTheSummaryOfTheValues()
    {
        // Amounts recovered per account in minor units: many zeros, some up to 100,000.00.
        Gen.OneOf(Gen.Const(0L), Gen.Long[1, 10_000_000]).Array[1, 300].Sample(amounts =>
        {
            var expected = SampleSummary.Of(amounts.Select(a => (double)a));
            var fromSums = SampleSummary.FromSums(amounts.Length, amounts.Sum(), amounts.Sum(a => (double)a * a));

            Assert.Equal(expected.Count, fromSums.Count);
            // Relative: the two means are the same sum divided by the same count, computed in a different order, so
            // they may differ in the last bits; rounding both to six places fails whenever they straddle a rounding boundary.
            Assert.True(Math.Abs(expected.Mean - fromSums.Mean) <= 1e-12 * Math.Max(1, Math.Abs(expected.Mean)), $"{expected.Mean} against {fromSums.Mean}");
            Assert.True(Math.Abs(expected.Variance - fromSums.Variance) <= 1e-9 * Math.Max(1, expected.Variance) + 1e-3, $"{expected.Variance} against {fromSums.Variance}");
        });
    }

    [Fact]
    public void WelchTTest_WithOneAccountInAnArm_HasNoPValue()
    {
        var test = ArmComparison.WelchTTest(SampleSummary.Of([10.0]), SampleSummary.Of([1.0, 2.0, 3.0]));

        Assert.Null(test.PValue);
        Assert.Equal("No test: each arm needs at least two accounts.", test.Sentence);
    }
}
