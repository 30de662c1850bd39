using CsCheck;
using Recoup.Domain.Plans;

namespace Recoup.Domain.Tests.Plans;

public sealed class PlanScheduleTests
{
    private static Money Usd(decimal major) => Money.FromMajor(major, Currency.USD, MidpointRounding.ToEven);

    private static IReadOnlyList<ScheduledInstallment> Build(PlanTerms terms)
    {
        var result = PlanSchedule.Build(terms);
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value;
    }

    private static string[] Render(IReadOnlyList<ScheduledInstallment> schedule) =>
        schedule.Select(i => $"{i.Number} {i.Due:yyyy-MM-dd} {i.Amount.ToDecimalString()}").ToArray();

    [Fact]
    public void Thousand_in_three_monthly_installments_puts_the_extra_cent_on_the_last()
    {
        var schedule = Build(new PlanTerms(Usd(1000m), Usd(0m), PlanFrequency.Monthly, new DateOnly(2026, 1, 31), 3, null));

        Assert.Equal(["1 2026-01-31 333.33", "2 2026-02-28 333.33", "3 2026-03-31 333.34"], Render(schedule));
    }

    [Fact]
    public void A_plan_starting_on_the_31st_falls_on_each_month_s_last_day_and_returns_to_the_31st()
    {
        var schedule = Build(new PlanTerms(Usd(600m), Usd(0m), PlanFrequency.Monthly, new DateOnly(2027, 1, 31), 6, null));

        Assert.Equal(
            [new DateOnly(2027, 1, 31), new DateOnly(2027, 2, 28), new DateOnly(2027, 3, 31), new DateOnly(2027, 4, 30), new DateOnly(2027, 5, 31), new DateOnly(2027, 6, 30)],
            schedule.Select(i => i.Due));
        Assert.All(schedule, i => Assert.Equal(Usd(100m), i.Amount));
    }

    [Fact]
    public void February_29_is_used_in_a_leap_year()
    {
        var schedule = Build(new PlanTerms(Usd(200m), Usd(0m), PlanFrequency.Monthly, new DateOnly(2028, 1, 30), 2, null));

        Assert.Equal(new DateOnly(2028, 2, 29), schedule[1].Due);
    }

    [Fact]
    public void Yen_splits_in_whole_yen()
    {
        var schedule = Build(new PlanTerms(new Money(100_000, Currency.JPY), Money.Zero(Currency.JPY), PlanFrequency.Monthly, new DateOnly(2026, 3, 10), 3, null));

        Assert.Equal(["1 2026-03-10 33333", "2 2026-04-10 33333", "3 2026-05-10 33334"], Render(schedule));
    }

    [Fact]
    public void A_down_payment_is_the_first_installment_and_the_rest_starts_a_period_later()
    {
        var schedule = Build(new PlanTerms(Usd(1000m), Usd(250m), PlanFrequency.Monthly, new DateOnly(2026, 12, 15), 3, null));

        Assert.Equal(["1 2026-12-15 250.00", "2 2027-01-15 250.00", "3 2027-02-15 250.00", "4 2027-03-15 250.00"], Render(schedule));
    }

    [Fact]
    public void Bi_weekly_installments_cross_the_year_end_fourteen_days_apart()
    {
        var schedule = Build(new PlanTerms(Usd(500m), Usd(0m), PlanFrequency.BiWeekly, new DateOnly(2026, 12, 18), 4, null));

        Assert.Equal(["1 2026-12-18 125.00", "2 2027-01-01 125.00", "3 2027-01-15 125.00", "4 2027-01-29 125.00"], Render(schedule));
    }

    [Fact]
    public void Weekly_installments_are_seven_days_apart()
    {
        var schedule = Build(new PlanTerms(Usd(100m), Usd(0m), PlanFrequency.Weekly, new DateOnly(2026, 12, 28), 3, null));

        Assert.Equal(["1 2026-12-28 33.33", "2 2027-01-04 33.33", "3 2027-01-11 33.34"], Render(schedule));
    }

    [Theory]
    [InlineData("2026-01-01", "2026-01-01,2026-01-16,2026-02-01,2026-02-16")]
    [InlineData("2026-01-15", "2026-01-15,2026-01-30,2026-02-15,2026-02-28")]
    [InlineData("2026-01-20", "2026-01-20,2026-02-05,2026-02-20,2026-03-05")]
    [InlineData("2026-01-31", "2026-01-31,2026-02-16,2026-02-28,2026-03-16")]
    public void Semi_monthly_installments_follow_the_documented_days(string first, string expected)
    {
        var schedule = Build(new PlanTerms(Usd(400m), Usd(0m), PlanFrequency.SemiMonthly, DateOnly.Parse(first, System.Globalization.CultureInfo.InvariantCulture), 4, null));

        Assert.Equal(expected, string.Join(',', schedule.Select(i => i.Due.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public void An_installment_amount_gives_as_many_installments_as_needed_and_a_smaller_last_one()
    {
        var schedule = Build(new PlanTerms(Usd(1000m), Usd(100m), PlanFrequency.Monthly, new DateOnly(2026, 12, 1), null, Usd(200m)));

        Assert.Equal(["1 2026-12-01 100.00", "2 2027-01-01 200.00", "3 2027-02-01 200.00", "4 2027-03-01 200.00", "5 2027-04-01 200.00", "6 2027-05-01 100.00"], Render(schedule));
    }

    [Theory]
    [InlineData(0, 0, 3, "total_not_positive", "total")]
    [InlineData(100, 100, 3, "down_payment_out_of_range", "down_payment")]
    [InlineData(100, 0, 0, "installments_out_of_range", "installments")]
    [InlineData(100, 0, 521, "installments_out_of_range", "installments")]
    public void Impossible_terms_are_refused_with_the_field(decimal total, decimal down, int installments, string code, string field)
    {
        var result = PlanSchedule.Build(new PlanTerms(Usd(total), Usd(down), PlanFrequency.Monthly, new DateOnly(2026, 12, 1), installments, null));

        Assert.Equal(code, result.Error?.Code);
        Assert.Equal(field, result.Error?.Field);
    }

    [Fact]
    public void Every_schedule_adds_up_to_the_total_with_rising_dates_and_no_installment_above_the_others()
    {
        Gen.Select(Gen.Long[1, 10_000_000], Gen.Int[1, 120], Gen.Enum<PlanFrequency>(), Gen.Int[0, 3000], Gen.Int[0, 50])
            .Where(t => t.Item1 >= t.Item2)
            .Sample((totalMinor, count, frequency, startOffset, downPercent) =>
            {
                var total = new Money(totalMinor, Currency.USD);
                var down = new Money(totalMinor * downPercent / 100, Currency.USD);
                if (totalMinor - down.Minor < count)
                {
                    return;
                }

                var schedule = Build(new PlanTerms(total, down, frequency, new DateOnly(2026, 1, 1).AddDays(startOffset), count, null));
                Assert.Equal(totalMinor, schedule.Sum(i => i.Amount.Minor));
                Assert.Equal(count + (down.IsPositive ? 1 : 0), schedule.Count);
                Assert.True(schedule.Zip(schedule.Skip(1)).All(p => p.First.Due < p.Second.Due));
                var regular = down.IsPositive ? schedule.Skip(1).ToList() : schedule.ToList();
                Assert.True(regular.Take(regular.Count - 1).All(i => i.Amount == regular[0].Amount));
                Assert.InRange(regular[^1].Amount.Minor - regular[0].Amount.Minor, 0, count - 1);
            });
    }
}
