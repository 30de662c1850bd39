using System.Globalization;

namespace Recoup.Domain.Strategies;

/// <summary>
/// The outcome of a significance test between a champion (A) and a challenger (B): the statistic, its
/// two-sided p-value, and whether the difference is significant at the chosen confidence. A test that
/// cannot be computed (an arm without accounts, no variation at all) has no p-value and says why.
/// </summary>
/// <param name="Test">What was tested, e.g. <c>two-proportion z-test</c>.</param>
/// <param name="Statistic">z or t; NaN when the test could not be computed.</param>
/// <param name="DegreesOfFreedom">For a t-test: the Welch–Satterthwaite degrees of freedom.</param>
/// <param name="PValue">Two-sided; null when the test could not be computed.</param>
/// <param name="Confidence">E.g. 0.95: significant when the p-value is below 1 − confidence.</param>
/// <param name="Reason">Why there is no p-value.</param>
public sealed record SignificanceTest(string Test, double Statistic, double? DegreesOfFreedom, double? PValue, double Confidence, string? Reason = null)
{
    public bool Significant => PValue is { } p && p < 1 - Confidence;

    /// <summary>The answer in a sentence a manager can act on.</summary>
    public string Sentence
    {
        get
        {
            var level = (Confidence * 100).ToString("0.#", CultureInfo.InvariantCulture);
            if (PValue is not { } p)
            {
                return $"No test: {Reason}.";
            }

            var pText = p < 0.0001 ? "p < 0.0001" : "p = " + p.ToString("0.0000", CultureInfo.InvariantCulture);
            return Significant
                ? $"The difference is significant at {level} % ({pText}): it is very unlikely to be chance."
                : $"The difference is not significant at {level} % ({pText}): it may be chance; give the test more accounts or more time.";
        }
    }
}

/// <summary>The mean and sample variance of a set of values (per account), enough for a Welch t-test.</summary>
public readonly record struct SampleSummary(long Count, double Mean, double Variance)
{
    /// <summary>Mean and unbiased variance (n − 1), by Welford's method so large amounts keep their precision.</summary>
    public static SampleSummary Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        long n = 0;
        double mean = 0, m2 = 0;
        foreach (var x in values)
        {
            n++;
            var delta = x - mean;
            mean += delta / n;
            m2 += delta * (x - mean);
        }

        return new SampleSummary(n, mean, n > 1 ? m2 / (n - 1) : 0);
    }

    /// <summary>
    /// From the count, the sum and the sum of squares a database returns for a group (one pass, no row per
    /// value): mean Σx / n and unbiased variance (Σx² − (Σx)² / n) / (n − 1), never below zero.
    /// </summary>
    public static SampleSummary FromSums(long count, double sum, double sumOfSquares)
    {
        if (count <= 0)
        {
            return new SampleSummary(0, 0, 0);
        }

        var mean = sum / count;
        var variance = count > 1 ? Math.Max(0, (sumOfSquares - (sum * mean)) / (count - 1)) : 0;
        return new SampleSummary(count, mean, variance);
    }
}

/// <summary>
/// The statistics of a champion/challenger comparison (docs/strategies.md): whether a difference
/// between two arms is real or chance.
/// </summary>
/// <remarks>
/// <para>Rates (cure, promise) are compared by the two-proportion z-test with the pooled proportion:
/// z = (p̂A − p̂B) / √(p̂(1 − p̂)(1/nA + 1/nB)), p̂ = (xA + xB) / (nA + nB); the p-value is two-sided from
/// the standard normal. The test assumes each arm has at least about five successes and five failures;
/// below that, the p-value is only indicative.</para>
/// <para>Means (recovered per account) are compared by Welch's t-test, which does not assume equal
/// variances: t = (x̄A − x̄B) / √(sA²/nA + sB²/nB), with the Welch–Satterthwaite degrees of freedom; the
/// p-value is two-sided from Student's t.</para>
/// </remarks>
public static class ArmComparison
{
    public const double DefaultConfidence = 0.95;

    public static SignificanceTest TwoProportionZTest(long successesA, long totalA, long successesB, long totalB, double confidence = DefaultConfidence)
    {
        const string Name = "two-proportion z-test";
        CheckConfidence(confidence);
        if (successesA < 0 || successesB < 0 || successesA > totalA || successesB > totalB)
        {
            throw new ArgumentOutOfRangeException(nameof(successesA), "Successes must be between 0 and the arm's total");
        }

        if (totalA == 0 || totalB == 0)
        {
            return new SignificanceTest(Name, double.NaN, null, null, confidence, "an arm has no accounts yet");
        }

        var pooled = (double)(successesA + successesB) / (totalA + totalB);
        var standardError = Math.Sqrt(pooled * (1 - pooled) * ((1.0 / totalA) + (1.0 / totalB)));
        if (standardError == 0)
        {
            return new SignificanceTest(Name, double.NaN, null, null, confidence,
                pooled == 0 ? "no account in either arm has it yet" : "every account in both arms has it");
        }

        var z = (((double)successesA / totalA) - ((double)successesB / totalB)) / standardError;
        return new SignificanceTest(Name, z, null, 2 * NormalUpperTail(Math.Abs(z)), confidence);
    }

    public static SignificanceTest WelchTTest(SampleSummary a, SampleSummary b, double confidence = DefaultConfidence)
    {
        const string Name = "Welch's t-test";
        CheckConfidence(confidence);
        if (a.Count < 2 || b.Count < 2)
        {
            return new SignificanceTest(Name, double.NaN, null, null, confidence, "each arm needs at least two accounts");
        }

        var va = a.Variance / a.Count;
        var vb = b.Variance / b.Count;
        if (va + vb == 0)
        {
            return new SignificanceTest(Name, double.NaN, null, null, confidence, "every account in both arms has the same amount");
        }

        var t = (a.Mean - b.Mean) / Math.Sqrt(va + vb);
        var df = (va + vb) * (va + vb) / ((va * va / (a.Count - 1)) + (vb * vb / (b.Count - 1)));
        return new SignificanceTest(Name, t, df, StudentTwoSided(Math.Abs(t), df), confidence);
    }

    /// <summary>P(Z ≥ z) for the standard normal, from the complementary error function.</summary>
    public static double NormalUpperTail(double z) => 0.5 * Erfc(z / Math.Sqrt(2));

    /// <summary>P(|T| ≥ t) for Student's t with <paramref name="df"/> degrees of freedom: I_{df/(df+t²)}(df/2, 1/2).</summary>
    public static double StudentTwoSided(double t, double df)
    {
        if (df <= 0 || double.IsNaN(t))
        {
            throw new ArgumentOutOfRangeException(nameof(df), "Degrees of freedom must be positive");
        }

        return RegularizedIncompleteBeta(df / 2, 0.5, df / (df + (t * t)));
    }

    /// <summary>erfc(x): a power series near zero, a continued fraction (Lentz) in the tails; about 1e-14 relative.</summary>
    public static double Erfc(double x)
    {
        if (x < 0)
        {
            return 2 - Erfc(-x);
        }

        if (x < 2.5)
        {
            // erf(x) = 2/√π Σ (−1)^n x^(2n+1) / (n! (2n+1))
            double sum = 0, term = x;
            for (var n = 0; n < 200; n++)
            {
                var add = term / ((2 * n) + 1);
                sum += add;
                if (Math.Abs(add) < 1e-17 * Math.Abs(sum))
                {
                    break;
                }

                term *= -x * x / (n + 1);
            }

            return 1 - (2 / Math.Sqrt(Math.PI) * sum);
        }

        // erfc(x) = exp(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))
        const double Tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (var k = 1; k < 500; k++)
        {
            var a = k / 2.0;
            d = x + (a * d);
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = x + (a / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            var delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16)
            {
                break;
            }
        }

        return Math.Exp(-x * x) / Math.Sqrt(Math.PI) / f;
    }

    /// <summary>I_x(a, b), by its continued fraction (DLMF 8.17.22) on the side where it converges fast.</summary>
    public static double RegularizedIncompleteBeta(double a, double b, double x)
    {
        if (x <= 0)
        {
            return 0;
        }

        if (x >= 1)
        {
            return 1;
        }

        var front = Math.Exp((a * Math.Log(x)) + (b * Math.Log(1 - x)) - LogBeta(a, b));
        return x < (a + 1) / (a + b + 2)
            ? front * BetaFraction(a, b, x) / a
            : 1 - (front * BetaFraction(b, a, 1 - x) / b);
    }

    private static double BetaFraction(double a, double b, double x)
    {
        const double Tiny = 1e-300;
        double c = 1, d = 1 - ((a + b) * x / (a + 1));
        d = Math.Abs(d) < Tiny ? Tiny : d;
        d = 1 / d;
        var h = d;
        for (var m = 1; m < 1000; m++)
        {
            var even = m * (b - m) * x / ((a + (2 * m) - 1) * (a + (2 * m)));
            d = 1 + (even * d);
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = 1 + (even / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            h *= d * c;
            var odd = -(a + m) * (a + b + m) * x / ((a + (2 * m)) * (a + (2 * m) + 1));
            d = 1 + (odd * d);
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = 1 + (odd / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-15)
            {
                break;
            }
        }

        return h;
    }

    private static double LogBeta(double a, double b) => LogGamma(a) + LogGamma(b) - LogGamma(a + b);

    /// <summary>ln Γ(x) for x &gt; 0: the Lanczos approximation (g = 7, nine terms), with the reflection below 0.5.</summary>
    private static double LogGamma(double x)
    {
        if (x < 0.5)
        {
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        }

        ReadOnlySpan<double> coefficients =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        ];
        x -= 1;
        var sum = coefficients[0];
        for (var i = 1; i < coefficients.Length; i++)
        {
            sum += coefficients[i] / (x + i);
        }

        var t = x + 7.5;
        return (0.5 * Math.Log(2 * Math.PI)) + ((x + 0.5) * Math.Log(t)) - t + Math.Log(sum);
    }

    private static void CheckConfidence(double confidence)
    {
        if (confidence is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "Confidence is a fraction between 0 and 1, e.g. 0.95");
        }
    }
}
