using System.Globalization;

namespace Recoup.Domain;

/// <summary>
/// An exact amount of money: a whole number of minor units (cents, fils, yen) in one currency.
/// </summary>
/// <remarks>
/// <para>Arithmetic is checked: it throws on overflow rather than wrapping, and it throws
/// <see cref="CurrencyMismatchException"/> when the two operands are in different currencies.</para>
/// <para>Conversion to and from decimal strings happens only at the edges
/// (<see cref="TryParse"/>, <see cref="ToDecimalString"/>) and never rounds silently: an input with
/// more decimals than the currency has is refused, and <see cref="FromMajor"/> requires the caller
/// to name the rounding.</para>
/// </remarks>
public readonly record struct Money(long Minor, Currency Currency) : IComparable<Money>
{
    public static Money Zero(Currency currency) => new(0, currency);

    public bool IsZero => Minor == 0;
    public bool IsPositive => Minor > 0;
    public bool IsNegative => Minor < 0;

    public Money Abs() => new(Math.Abs(Minor), Currency);

    public static Money operator +(Money left, Money right) =>
        new(checked(left.Minor + SameCurrency(left, right).Minor), left.Currency);

    public static Money operator -(Money left, Money right) =>
        new(checked(left.Minor - SameCurrency(left, right).Minor), left.Currency);

    public static Money operator -(Money value) => new(checked(-value.Minor), value.Currency);

    public static bool operator <(Money left, Money right) => left.CompareTo(right) < 0;
    public static bool operator >(Money left, Money right) => left.CompareTo(right) > 0;
    public static bool operator <=(Money left, Money right) => left.CompareTo(right) <= 0;
    public static bool operator >=(Money left, Money right) => left.CompareTo(right) >= 0;

    public int CompareTo(Money other) => Minor.CompareTo(SameCurrency(this, other).Minor);

    public static Money Min(Money left, Money right) => left <= right ? left : right;

    /// <summary>
    /// Splits the amount into <paramref name="parts"/> amounts that add up exactly to this amount:
    /// every part but the last is the amount divided by <paramref name="parts"/>, rounded toward zero,
    /// and the last part absorbs the whole remainder (up to <c>parts - 1</c> minor units more).
    /// </summary>
    /// <example>10.00 USD split in 3 gives 3.33, 3.33, 3.34.</example>
    public IReadOnlyList<Money> Split(int parts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        var each = Minor / parts;
        var result = new Money[parts];
        for (var i = 0; i < parts - 1; i++)
        {
            result[i] = new Money(each, Currency);
        }

        result[^1] = new Money(checked(Minor - (each * (parts - 1))), Currency);
        return result;
    }

    /// <summary>The amount as a decimal in major units (only for display and export).</summary>
    public decimal ToDecimal() => (decimal)Minor / Currency.MinorPerMajor;

    /// <summary>
    /// The amount written with exactly the currency's number of decimals, a point as separator and
    /// no grouping: <c>1234.56</c>, <c>-0.05</c>, <c>1000</c> for JPY, <c>1.250</c> for BHD.
    /// </summary>
    public string ToDecimalString()
    {
        var format = Currency.Exponent == 0 ? "0" : "0." + new string('0', Currency.Exponent);
        return ToDecimal().ToString(format, CultureInfo.InvariantCulture);
    }

    public override string ToString() => $"{ToDecimalString()} {Currency.Code}";

    /// <summary>
    /// Converts a major-unit decimal, rounding to the currency's minor unit with the given rule.
    /// </summary>
    public static Money FromMajor(decimal major, Currency currency, MidpointRounding rounding)
    {
        var minor = decimal.Round(major * currency.MinorPerMajor, 0, rounding);
        return new Money(decimal.ToInt64(minor), currency);
    }

    /// <summary>
    /// Parses a plain decimal string in major units (<c>1234.56</c>, <c>-12.5</c>, <c>100</c>):
    /// an optional minus sign, digits, and at most as many decimals as the currency allows.
    /// No grouping separators, no exponent, no currency symbol.
    /// </summary>
    /// <returns><c>null</c> on success, else a sentence saying what is wrong with the text.</returns>
    public static string? TryParse(string? text, Currency currency, out Money money)
    {
        money = Zero(currency);
        if (string.IsNullOrWhiteSpace(text))
        {
            return "amount is empty";
        }

        var span = text.AsSpan().Trim();
        var negative = span[0] == '-';
        if (negative)
        {
            span = span[1..];
        }

        var point = span.IndexOf('.');
        var whole = point < 0 ? span : span[..point];
        var fraction = point < 0 ? [] : span[(point + 1)..];
        if (whole.IsEmpty || !IsDigits(whole) || (point >= 0 && (fraction.IsEmpty || !IsDigits(fraction))))
        {
            return $"'{text}' is not a decimal amount like 1234.56";
        }

        if (fraction.Length > currency.Exponent)
        {
            return currency.Exponent == 0
                ? $"'{text}' has decimals, but {currency.Code} amounts are whole numbers"
                : $"'{text}' has {fraction.Length} decimals, but {currency.Code} allows at most {currency.Exponent}";
        }

        try
        {
            var minor = checked(long.Parse(whole, NumberStyles.None, CultureInfo.InvariantCulture) * currency.MinorPerMajor);
            if (!fraction.IsEmpty)
            {
                var scaled = long.Parse(fraction, NumberStyles.None, CultureInfo.InvariantCulture);
                for (var i = fraction.Length; i < currency.Exponent; i++)
                {
                    scaled *= 10;
                }

                minor = checked(minor + scaled);
            }

            money = new Money(negative ? -minor : minor, currency);
            return null;
        }
        catch (OverflowException)
        {
            return $"'{text}' is too large";
        }
    }

    private static bool IsDigits(ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    private static Money SameCurrency(Money left, Money right) =>
        left.Currency == right.Currency ? right : throw new CurrencyMismatchException(left.Currency, right.Currency);
}

/// <summary>Thrown when two amounts in different currencies are combined.</summary>
public sealed class CurrencyMismatchException(Currency left, Currency right)
    : InvalidOperationException($"Cannot combine {left.Code} with {right.Code}");
