using System.Globalization;
using Recoup.Domain;

namespace Recoup.Services.Messaging.Templates;

/// <summary>
/// How amounts and dates are written in a message, per language. English: <c>1,234.56 USD</c> and
/// <c>March 5, 2026</c>; Spanish: <c>1.234,56 USD</c> and <c>5 de marzo de 2026</c> (grouping from the
/// thousands, as in most Spanish-speaking countries that use the comma as the decimal mark; the ISO code
/// rather than a symbol, because <c>$</c> is ambiguous across the Americas).
/// </summary>
public static class TemplateFormat
{
    public const string English = "en";
    public const string Spanish = "es";

    /// <summary>The languages templates are shipped in; a debtor in any other language gets English.</summary>
    public static IReadOnlyList<string> Languages { get; } = [English, Spanish];

    private static readonly NumberFormatInfo EnglishNumbers = new() { NumberGroupSeparator = ",", NumberDecimalSeparator = ".", NegativeSign = "-" };
    private static readonly NumberFormatInfo SpanishNumbers = new() { NumberGroupSeparator = ".", NumberDecimalSeparator = ",", NegativeSign = "-" };

    private static readonly string[] EnglishMonths =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    private static readonly string[] SpanishMonths =
        ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"];

    /// <summary><c>en</c> or <c>es</c> for a debtor's language; anything else is <c>en</c>.</summary>
    public static string Normalize(string? language) => language?.Trim().ToLowerInvariant() == Spanish ? Spanish : English;

    /// <summary>The amount with the currency's decimals, grouped, and its ISO code: <c>1,234.56 USD</c> / <c>1.234,56 USD</c>.</summary>
    public static string Amount(Money money, string language) => $"{Number(money, language)} {money.Currency.Code}";

    /// <summary>The amount without the currency code.</summary>
    public static string Number(Money money, string language)
    {
        var format = "N" + money.Currency.Exponent.ToString(CultureInfo.InvariantCulture);
        return money.ToDecimal().ToString(format, language == Spanish ? SpanishNumbers : EnglishNumbers);
    }

    /// <summary><c>March 5, 2026</c> / <c>5 de marzo de 2026</c>.</summary>
    public static string Date(DateOnly date, string language) => language == Spanish
        ? $"{date.Day.ToString(CultureInfo.InvariantCulture)} de {SpanishMonths[date.Month - 1]} de {date.Year.ToString(CultureInfo.InvariantCulture)}"
        : $"{EnglishMonths[date.Month - 1]} {date.Day.ToString(CultureInfo.InvariantCulture)}, {date.Year.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A plan's frequency in words.</summary>
    public static string Frequency(string frequency, string language) => (frequency.ToLowerInvariant(), language) switch
    {
        ("weekly", Spanish) => "semanal",
        ("biweekly", Spanish) => "cada dos semanas",
        ("semimonthly", Spanish) => "quincenal",
        ("monthly", Spanish) => "mensual",
        ("biweekly", _) => "every two weeks",
        ("semimonthly", _) => "twice a month",
        (var other, _) => other,
    };

    /// <summary>The line every text message ends with.</summary>
    public static string SmsOptOut(string language) => language == Spanish ? "Responda STOP para no recibir más mensajes." : "Reply STOP to opt out.";

    /// <summary>The footer line of every e-mail, before the link.</summary>
    public static string EmailOptOut(string language) => language == Spanish
        ? "Para dejar de recibir correos electrónicos nuestros:"
        : "To stop receiving e-mails from us:";
}
