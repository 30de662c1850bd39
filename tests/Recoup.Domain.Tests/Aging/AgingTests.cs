using Recoup.Domain.Aging;
using static Recoup.Domain.Tests.Builders;

namespace Recoup.Domain.Tests.Aging;

public class AgingTests
{
    private static readonly DateOnly AsOf = new(2025, 6, 30);

    private static string BucketOf(AgingBuckets buckets, int daysPastDue) =>
        buckets.Buckets[buckets.IndexFor(AsOf.AddDays(-daysPastDue), AsOf)].Name;

    [Fact]
    public void DefaultBuckets_AreCurrentThenThirtyDayStepsThenOpenEnded() =>
        Assert.Equal(
            ["current", "1-30", "31-60", "61-90", "91-120", "121+"],
            AgingBuckets.Default.Buckets.Select(b => b.Name));

    [Theory]
    [InlineData(-10, "current")]
    [InlineData(0, "current")]
    [InlineData(1, "1-30")]
    [InlineData(30, "1-30")]
    [InlineData(31, "31-60")]
    [InlineData(60, "31-60")]
    [InlineData(61, "61-90")]
    [InlineData(90, "61-90")]
    [InlineData(91, "91-120")]
    [InlineData(120, "91-120")]
    [InlineData(121, "121+")]
    [InlineData(5000, "121+")]
    public void Aging_PutsEachDayPastDueInItsBucket(int daysPastDue, string bucket) =>
        Assert.Equal(bucket, BucketOf(AgingBuckets.Default, daysPastDue));

    [Fact]
    public void Aging_WhenDueToday_IsCurrent() =>
        Assert.Equal(0, AgingBuckets.Default.IndexFor(AsOf, AsOf));

    [Fact]
    public void DaysPastDue_CountsCalendarDaysAcrossMonthAndLeapDay()
    {
        Assert.Equal(1, AgingBuckets.DaysPastDue(new DateOnly(2024, 2, 29), new DateOnly(2024, 3, 1)));
        Assert.Equal(2, AgingBuckets.DaysPastDue(new DateOnly(2024, 2, 28), new DateOnly(2024, 3, 1)));
        Assert.Equal(-1, AgingBuckets.DaysPastDue(new DateOnly(2025, 1, 1), new DateOnly(2024, 12, 31)));
    }

    [Fact]
    public void CustomBuckets_FromUpperBounds_NameEachRange()
    {
        var buckets = AgingBuckets.Parse("15,45").Ok();

        Assert.Equal(["current", "1-15", "16-45", "46+"], buckets.Buckets.Select(b => b.Name));
        Assert.Equal(new AgingBucket("16-45", 16, 45), buckets.Buckets[2]);
        Assert.Equal(new AgingBucket("46+", 46, null), buckets.Buckets[3]);
    }

    [Theory]
    [InlineData(0, "current")]
    [InlineData(15, "1-15")]
    [InlineData(16, "16-45")]
    [InlineData(45, "16-45")]
    [InlineData(46, "46+")]
    public void CustomBuckets_PutEachDayPastDueInItsBucket(int daysPastDue, string bucket) =>
        Assert.Equal(bucket, BucketOf(AgingBuckets.Parse("15,45").Ok(), daysPastDue));

    [Fact]
    public void CustomBuckets_AllowSpacesAroundBounds() =>
        Assert.Equal(["current", "1-30", "31-90", "91+"], AgingBuckets.Parse(" 30 , 90 ").Ok().Buckets.Select(b => b.Name));

    [Theory]
    [InlineData("", "buckets_format")]
    [InlineData("abc", "buckets_format")]
    [InlineData("30,,60", "buckets_format")]
    [InlineData("30;60", "buckets_format")]
    [InlineData("-5,30", "buckets_format")]
    [InlineData("30.5", "buckets_format")]
    [InlineData("99999999999", "buckets_format")]
    [InlineData("0", "buckets_order")]
    [InlineData("30,30", "buckets_order")]
    [InlineData("60,30", "buckets_order")]
    public void CustomBuckets_WhenMalformedOrOutOfOrder_AreRefused(string text, string code)
    {
        var result = AgingBuckets.Parse(text);

        Assert.False(result.IsSuccess);
        Assert.Equal(code, result.Error!.Code);
    }

    [Fact]
    public void CustomBuckets_WhenNoBounds_AreRefused() =>
        Assert.Equal("buckets_empty", AgingBuckets.FromUpperBounds([]).Error?.Code);

    [Fact]
    public void Report_KeepsCurrenciesApartSortedByCode()
    {
        var report = AgingReport.Build(
            AsOf,
            [
                new OpenByDueDate(Currency.USD, AsOf.AddDays(-10), 10_000, 2),
                new OpenByDueDate(Currency.JPY, AsOf.AddDays(-45), 5_000, 1),
                new OpenByDueDate(Currency.EUR, AsOf, 2_500, 1),
                new OpenByDueDate(Currency.USD, AsOf.AddDays(-20), 5_000, 1),
                new OpenByDueDate(Currency.USD, AsOf.AddDays(-200), 1_234, 3),
            ],
            AgingBuckets.Default);

        Assert.Equal(AsOf, report.AsOf);
        Assert.Equal(["EUR", "JPY", "USD"], report.Currencies.Select(c => c.Currency.Code));

        var usd = report.Currencies[2];
        Assert.Equal(new Money(16_234, Currency.USD), usd.Total);
        Assert.Equal(6, usd.Count);
        Assert.Equal(new Money(15_000, Currency.USD), usd.Buckets[1].Amount);
        Assert.Equal(3, usd.Buckets[1].Count);
        Assert.Equal(new Money(1_234, Currency.USD), usd.Buckets[5].Amount);
        Assert.Equal(3, usd.Buckets[5].Count);

        var jpy = report.Currencies[1];
        Assert.Equal("31-60", Assert.Single(jpy.Buckets, b => b.Count > 0).Bucket.Name);
        Assert.All(jpy.Buckets, b => Assert.Equal(Currency.JPY, b.Amount.Currency));

        Assert.Equal(new Money(2_500, Currency.EUR), report.Currencies[0].Buckets[0].Amount);
    }

    [Fact]
    public void Report_IgnoresRowsWithNothingOpen()
    {
        var report = AgingReport.Build(
            AsOf,
            [
                new OpenByDueDate(Currency.USD, AsOf.AddDays(-10), 1_000, 1),
                new OpenByDueDate(Currency.USD, AsOf.AddDays(-40), 0, 4),
                new OpenByDueDate(Currency.USD, AsOf.AddDays(-70), -500, 1),
                new OpenByDueDate(Currency.EUR, AsOf.AddDays(-10), 0, 2),
            ],
            AgingBuckets.Default);

        var usd = Assert.Single(report.Currencies);
        Assert.Equal(new Money(1_000, Currency.USD), usd.Total);
        Assert.Equal(1, usd.Count);
        Assert.All(usd.Buckets.Skip(2), b => Assert.Equal(0, b.Count));
    }

    [Fact]
    public void Report_HasEveryBucketEvenWhenEmpty()
    {
        var buckets = AgingBuckets.Parse("15,45").Ok();

        var report = AgingReport.Build(AsOf, [new OpenByDueDate(Currency.USD, AsOf, 1, 1)], buckets);

        Assert.Equal(buckets.Buckets, report.Currencies[0].Buckets.Select(b => b.Bucket));
    }

    [Fact]
    public void Report_OfNothing_HasNoCurrencies() =>
        Assert.Empty(AgingReport.Build(AsOf, [], AgingBuckets.Default).Currencies);

    [Fact]
    public void Report_FromALedger_AgesWhatIsOpenOnEachInvoice()
    {
        var ledger = ALedger()
            .WithInvoice("A", 100, issuedOn: 0, dueOn: 10)
            .WithInvoice("B", 50, issuedOn: 0, dueOn: 60)
            .WithPayment(30, on: 20)
            .Build();
        var asOf = Day(50);
        var rows = ledger.Invoices.Select(i => new OpenByDueDate(ledger.Currency, i.DueDate, ledger.OpenOnAsOf(i.Id, asOf).Minor, 1));

        var usd = Assert.Single(AgingReport.Build(asOf, rows, AgingBuckets.Default).Currencies);

        Assert.Equal(Usd(50), usd.Buckets[0].Amount);
        Assert.Equal(Usd(70), usd.Buckets[2].Amount);
        Assert.Equal(ledger.BalanceAsOf(asOf), usd.Total);
    }
}
