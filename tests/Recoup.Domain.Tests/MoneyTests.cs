using System.Globalization;
using CsCheck;

namespace Recoup.Domain.Tests;

public class MoneyTests
{
    private static readonly Gen<Currency> AnyCurrency = Gen.OneOf(Currency.KnownCodes.Select(Currency.FromCode).ToArray());

    [Theory]
    [InlineData("JPY", 0, 1)]
    [InlineData("USD", 2, 100)]
    [InlineData("EUR", 2, 100)]
    [InlineData("BHD", 3, 1_000)]
    [InlineData("CLF", 4, 10_000)]
    public void Currency_HasItsIso4217Exponent(string code, int exponent, long minorPerMajor)
    {
        var currency = Currency.FromCode(code);

        Assert.Equal(code, currency.Code);
        Assert.Equal(exponent, currency.Exponent);
        Assert.Equal(minorPerMajor, currency.MinorPerMajor);
    }

    [Theory]
    [InlineData("XYZ")]
    [InlineData("usd")]
    [InlineData("US")]
    [InlineData("")]
    [InlineData("XAU")]
    public void Currency_WhenCodeUnknown_IsRefused(string code)
    {
        Assert.False(Currency.TryFromCode(code, out _));
        Assert.Throws<ArgumentException>(() => Currency.FromCode(code));
    }

    [Fact]
    public void Currency_WhenCodeNull_IsRefused() => Assert.False(Currency.TryFromCode(null, out _));

    [Theory]
    [InlineData("1234.56", "USD", 123456)]
    [InlineData("0.5", "USD", 50)]
    [InlineData("100", "USD", 10000)]
    [InlineData("0.05", "USD", 5)]
    [InlineData("-12.5", "USD", -1250)]
    [InlineData(" 7.10 ", "USD", 710)]
    [InlineData("100", "JPY", 100)]
    [InlineData("1.234", "BHD", 1234)]
    [InlineData("0.5", "BHD", 500)]
    [InlineData("100", "BHD", 100000)]
    public void TryParse_WhenPlainDecimal_ReadsMinorUnits(string text, string code, long minor)
    {
        var currency = Currency.FromCode(code);

        var error = Money.TryParse(text, currency, out var money);

        Assert.Null(error);
        Assert.Equal(new Money(minor, currency), money);
    }

    [Theory]
    [InlineData("1.234", "USD")]
    [InlineData("0.001", "USD")]
    [InlineData("12.0", "JPY")]
    [InlineData("1.5", "JPY")]
    [InlineData("1.2345", "BHD")]
    public void TryParse_WhenMoreDecimalsThanTheCurrencyHas_RefusesRatherThanRounds(string text, string code)
    {
        var error = Money.TryParse(text, Currency.FromCode(code), out _);

        Assert.NotNull(error);
        Assert.Contains(code, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1,234.56")]
    [InlineData("12.")]
    [InlineData(".5")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("abc")]
    [InlineData("1e5")]
    [InlineData("1.2.3")]
    [InlineData("-")]
    [InlineData("--1")]
    [InlineData("+5")]
    [InlineData("$5")]
    [InlineData("5 USD")]
    [InlineData("1 000")]
    [InlineData("١٢")]
    public void TryParse_WhenMalformed_Refuses(string? text)
    {
        var error = Money.TryParse(text, Currency.USD, out var money);

        Assert.NotNull(error);
        Assert.Equal(Money.Zero(Currency.USD), money);
    }

    [Fact]
    public void TryParse_WhenTooLargeForMinorUnits_RefusesInsteadOfThrowing()
    {
        Assert.NotNull(Money.TryParse("92233720368547758.08", Currency.USD, out _));
        Assert.NotNull(Money.TryParse("99999999999999999999999", Currency.JPY, out _));
    }

    [Theory]
    [InlineData(123456, "USD", "1234.56")]
    [InlineData(5, "USD", "0.05")]
    [InlineData(0, "USD", "0.00")]
    [InlineData(100000, "USD", "1000.00")]
    [InlineData(1000, "JPY", "1000")]
    [InlineData(1250, "BHD", "1.250")]
    [InlineData(-5, "USD", "-0.05")]
    [InlineData(-123456, "USD", "-1234.56")]
    [InlineData(-1000, "JPY", "-1000")]
    [InlineData(-1250, "BHD", "-1.250")]
    public void ToDecimalString_WritesExactlyTheCurrencysDecimals(long minor, string code, string expected) =>
        Assert.Equal(expected, new Money(minor, Currency.FromCode(code)).ToDecimalString());

    [Fact]
    public void ToDecimalString_IgnoresTheCurrentCulture()
    {
        var original = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal("1234567.89", new Money(123456789, Currency.USD).ToDecimalString());
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
        }
    }

    [Fact]
    public void ToDecimalString_ThenTryParse_GivesBackTheSameAmount() =>
        Gen.Select(Gen.Long[-(long.MaxValue / 10), long.MaxValue / 10], AnyCurrency)
            .Sample((minor, currency) =>
            {
                var money = new Money(minor, currency);
                Assert.Null(Money.TryParse(money.ToDecimalString(), currency, out var parsed));
                Assert.Equal(money, parsed);
            }, iter: 2_000);

    [Fact]
    public void Arithmetic_WithinOneCurrency_AddsMinorUnits()
    {
        Assert.Equal(new Money(350, Currency.USD), new Money(100, Currency.USD) + new Money(250, Currency.USD));
        Assert.Equal(new Money(-150, Currency.USD), new Money(100, Currency.USD) - new Money(250, Currency.USD));
        Assert.Equal(new Money(-100, Currency.USD), -new Money(100, Currency.USD));
        Assert.True(new Money(1, Currency.USD) > Money.Zero(Currency.USD));
    }

    [Fact]
    public void Arithmetic_AcrossCurrencies_Throws()
    {
        var dollars = new Money(100, Currency.USD);
        var euros = new Money(100, Currency.EUR);

        Assert.Throws<CurrencyMismatchException>(() => dollars + euros);
        Assert.Throws<CurrencyMismatchException>(() => dollars - euros);
        Assert.Throws<CurrencyMismatchException>(() => dollars.CompareTo(euros));
        Assert.Throws<CurrencyMismatchException>(() => dollars < euros);
        Assert.Throws<CurrencyMismatchException>(() => Money.Min(dollars, euros));
    }

    [Fact]
    public void Arithmetic_WhenItWouldOverflow_ThrowsInsteadOfWrapping()
    {
        var max = new Money(long.MaxValue, Currency.USD);
        var min = new Money(long.MinValue, Currency.USD);
        var cent = new Money(1, Currency.USD);

        Assert.Throws<OverflowException>(() => max + cent);
        Assert.Throws<OverflowException>(() => min - cent);
        Assert.Throws<OverflowException>(() => -min);
        Assert.Throws<OverflowException>(() => min.Abs());
    }

    [Theory]
    [InlineData("1.005", MidpointRounding.ToEven, 100)]
    [InlineData("1.005", MidpointRounding.AwayFromZero, 101)]
    [InlineData("1.015", MidpointRounding.ToEven, 102)]
    [InlineData("-1.005", MidpointRounding.AwayFromZero, -101)]
    [InlineData("2.50", MidpointRounding.ToZero, 250)]
    public void FromMajor_RoundsByTheNamedRule(string major, MidpointRounding rounding, long minor) =>
        Assert.Equal(new Money(minor, Currency.USD), Money.FromMajor(decimal.Parse(major, CultureInfo.InvariantCulture), Currency.USD, rounding));

    [Fact]
    public void FromMajor_WhenCurrencyHasNoDecimals_RoundsToWholeUnits() =>
        Assert.Equal(new Money(1235, Currency.JPY), Money.FromMajor(1234.5m, Currency.JPY, MidpointRounding.AwayFromZero));

    [Fact]
    public void Split_TenDollarsInThree_GivesTheRemainderToTheLastPart() =>
        Assert.Equal(
            [new Money(333, Currency.USD), new Money(333, Currency.USD), new Money(334, Currency.USD)],
            new Money(1000, Currency.USD).Split(3));

    [Fact]
    public void Split_WhenCurrencyHasNoDecimals_SplitsWholeUnits() =>
        Assert.Equal([Jpy(333), Jpy(333), Jpy(334)], Jpy(1000).Split(3));

    [Fact]
    public void Split_InOnePart_IsTheWhole() => Assert.Equal([Usd(12.34m)], Usd(12.34m).Split(1));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Split_WhenPartsNotPositive_Throws(int parts) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Usd(10).Split(parts));

    [Fact]
    public void Split_AlwaysAddsUpToTheWhole() =>
        Gen.Select(Gen.Long, Gen.Int[1, 500], AnyCurrency)
            .Sample((minor, parts, currency) =>
            {
                var whole = new Money(minor, currency);
                var split = whole.Split(parts);

                Assert.Equal(parts, split.Count);
                Assert.All(split, part => Assert.Equal(currency, part.Currency));
                Assert.Equal(minor, split.Aggregate(Int128.Zero, (sum, part) => sum + part.Minor));

                // Every part but the last is the whole divided evenly; the last absorbs the remainder.
                Assert.All(split.Take(parts - 1), part => Assert.Equal(minor / parts, part.Minor));
                Assert.True(Int128.Abs(split[^1].Minor - (Int128)(minor / parts)) < parts);
            }, iter: 2_000);

    private static Money Usd(decimal amount) => Builders.Usd(amount);

    private static Money Jpy(long amount) => Builders.Jpy(amount);
}
