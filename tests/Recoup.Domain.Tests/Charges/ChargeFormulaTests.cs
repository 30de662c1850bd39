using CsCheck;
using Recoup.Domain.Charges;
using Recoup.Domain.Debtors;

namespace Recoup.Domain.Tests.Charges;

/// <summary>Late fees, simple daily interest and their rounding, and who may be charged at all.</summary>
public class ChargeFormulaTests
{
    private static readonly DateOnly Day0 = new(2026, 1, 1);

    private static ChargeTerms Percent(decimal percent, long? cap = null) =>
        new() { LateFee = LateFeeKind.Percent, LateFeePercent = percent, LateFeeCapMinor = cap, Authority = ChargeAuthority.Agreement, AuthorityReference = "§ 7" };

    [Fact]
    public void LateFee_Percent_IsRoundedHalfAwayFromZero_ThenCapped()
    {
        Assert.Equal(1852, ChargeFormulas.LateFee(Percent(1.5m), 1234_50));   // 18.5175 → 18.52
        Assert.Equal(1, ChargeFormulas.LateFee(Percent(0.5m), 1_00));         // 0.5 cent → 1 cent
        Assert.Equal(25_00, ChargeFormulas.LateFee(Percent(10m, cap: 25_00), 1000_00));
        Assert.Equal(0, ChargeFormulas.LateFee(Percent(10m), 0));
        var flat = new ChargeTerms { LateFee = LateFeeKind.Flat, LateFeeFlatMinor = 35_00, LateFeeCapMinor = 30_00 };
        Assert.Equal(30_00, ChargeFormulas.LateFee(flat, 10_00));
    }

    [Fact]
    public void LateFee_NeverExceedsTheCap_AndIsThePercentageRoundedOnce() =>
        Gen.Select(Gen.Long[1, 100_000_000_00], Gen.Int[1, 2_500_000], Gen.Select(Gen.Bool, Gen.Long[1, 1_000_00], (capped, cap) => capped ? cap : (long?)null)).Sample((principal, millionths, cap) =>
        {
            var percent = millionths / 100_000m;
            var fee = ChargeFormulas.LateFee(Percent(percent, cap), principal);
            var exact = principal * percent / 100m;
            var rounded = (long)decimal.Round(exact, 0, MidpointRounding.AwayFromZero);
            Assert.Equal(cap is { } c ? Math.Min(rounded, c) : rounded, fee);
            Assert.True(Math.Abs(rounded - exact) <= 0.5m);
        });

    [Fact]
    public void Interest_OnThousandAtTenPercent_ForThirtyDays_ShowsItsBasis()
    {
        var runs = ChargeFormulas.Runs(Day0, Day0.AddDays(29), [(Day0.AddDays(-40), 1000_00)]);
        var accrual = ChargeFormulas.Accrue(runs, 10m, 0m, 0, Currency.USD);
        Assert.Equal(822, accrual.Minor); // 1000.00 × 10 % × 30 / 365 = 8.2191…
        Assert.Equal("Interest 10 % a year, simple, 365-day year, on principal 1000.00 for 30 days (2026-01-01–2026-01-30)", accrual.Basis);
    }

    [Fact]
    public void Interest_StopsWhenThePrincipalIsPaid()
    {
        // 600.00 open, 600.00 paid on day 10: interest for days 0..9 only.
        var changes = new[] { (Day0.AddDays(-30), 600_00L), (Day0.AddDays(10), -600_00L) };
        var first = ChargeFormulas.Accrue(ChargeFormulas.Runs(Day0, Day0.AddDays(9), changes), 12m, 0m, 0, Currency.USD);
        var later = ChargeFormulas.Accrue(ChargeFormulas.Runs(Day0.AddDays(10), Day0.AddDays(364), changes), 12m, first.Numerator, first.PostedMinor, Currency.USD);
        Assert.Equal(197, first.Minor); // 600 × 12 % × 10 / 365 = 1.9726…
        Assert.Equal(0, later.Minor);
        Assert.Equal(first.PostedMinor, later.PostedMinor);
        Assert.Equal("", later.Basis);
    }

    [Fact]
    public void Runs_SplitThePeriodWhereThePrincipalChanges()
    {
        var changes = new[] { (Day0.AddDays(-5), 500_00L), (Day0.AddDays(3), -200_00L), (Day0.AddDays(3), 50_00L), (Day0.AddDays(20), -1L) };
        var runs = ChargeFormulas.Runs(Day0, Day0.AddDays(9), changes);
        Assert.Equal([new PrincipalRun(Day0, 3, 500_00), new PrincipalRun(Day0.AddDays(3), 7, 350_00)], runs);
        Assert.Empty(ChargeFormulas.Runs(Day0.AddDays(1), Day0, changes));
    }

    /// <summary>
    /// However a period is cut into accrual runs (a daily run, a weekly one, a missed week), the interest posted adds
    /// up to the exact interest of the whole period rounded once, and every day is counted exactly once.
    /// </summary>
    [Fact]
    public void Interest_PostedInAnyRuns_EqualsTheWholePeriodRoundedOnce() =>
        Gen.Select(
            Gen.Select(Gen.Int[0, 200], Gen.Long[-50_000_00, 100_000_00]).Array[0, 8],
            Gen.Int[1, 40_000_000],
            Gen.Int[1, 30].Array[1, 20]).Sample((changes, rateMillionths, cuts) =>
        {
            var rate = rateMillionths / 1_000_000m; // up to 40 % a year, six decimals
            var principalChanges = changes.Select(c => (Day0.AddDays(c.Item1), c.Item2)).Prepend((Day0.AddDays(-1), 10_000_00L)).ToList();
            var numerator = 0m;
            var posted = 0L;
            var day = Day0;
            var days = 0;
            foreach (var cut in cuts)
            {
                var to = day.AddDays(cut - 1);
                var runs = ChargeFormulas.Runs(day, to, principalChanges);
                days += runs.Sum(r => r.Days);
                var accrual = ChargeFormulas.Accrue(runs, rate, numerator, posted, Currency.USD);
                Assert.True(accrual.Minor >= 0);
                (numerator, posted) = (accrual.Numerator, accrual.PostedMinor);
                day = to.AddDays(1);
            }

            var whole = ChargeFormulas.Accrue(ChargeFormulas.Runs(Day0, day.AddDays(-1), principalChanges), rate, 0m, 0, Currency.USD);
            Assert.Equal(cuts.Sum(), days);
            Assert.Equal(whole.Minor, posted);
            Assert.Equal(whole.Numerator, numerator);
            Assert.True(Math.Abs(ChargeFormulas.ExactMinor(numerator) - posted) <= 0.5m || ChargeFormulas.ExactMinor(numerator) < 0);
        });

    [Fact]
    public void ConsumerTerms_WithoutAuthority_AreRefused_BusinessTermsAreNot()
    {
        var unauthorized = new ChargeTerms { LateFee = LateFeeKind.Flat, LateFeeFlatMinor = 25_00 };
        Assert.Equal(ChargePolicy.NotAuthorized, ChargePolicy.Refusal(unauthorized, DebtType.Consumer, DebtorKind.Person)?.Code);
        Assert.Equal(ChargePolicy.NotAuthorized, ChargePolicy.Refusal(unauthorized, DebtType.Medical, DebtorKind.Person)?.Code);
        Assert.Contains("1692f(1)", ChargePolicy.Refusal(unauthorized, DebtType.Consumer, DebtorKind.Person)!.Message);
        Assert.Null(ChargePolicy.Refusal(unauthorized, DebtType.Commercial, DebtorKind.Business));
        Assert.Null(ChargePolicy.Refusal(unauthorized with { Authority = ChargeAuthority.Law, AuthorityReference = "Cal. Civ. Code § 1719" }, DebtType.Consumer, DebtorKind.Person));
        Assert.NotNull(ChargePolicy.Refusal(null, DebtType.Commercial, DebtorKind.Business));

        Assert.Contains(unauthorized.Validate(DebtType.Consumer), e => e.Code == ChargePolicy.NotAuthorized && e.Field == "authority");
        Assert.Empty(unauthorized.Validate(DebtType.Commercial));
    }

    [Fact]
    public void ReferenceRatePlusMargin_IsForBusinessDebts_AndAddsUp()
    {
        var statutory = new ChargeTerms { Interest = InterestKind.ReferencePlusMargin, ReferenceRateName = "ECB MRO", ReferenceRatePercent = 2.15m, MarginPercent = 8m };
        Assert.Equal(10.15m, statutory.AnnualRatePercent);
        Assert.Empty(statutory.Validate(DebtType.Commercial));
        Assert.Contains(statutory.Validate(DebtType.Consumer), e => e.Field == "interest");
        Assert.Contains(new ChargeTerms { Interest = InterestKind.SimpleDaily }.Validate(DebtType.Commercial), e => e.Field == "interest_rate");
        Assert.Contains(new ChargeTerms { LateFee = LateFeeKind.Percent, LateFeePercent = 150m }.Validate(DebtType.Commercial), e => e.Field == "late_fee_percent");
    }
}
