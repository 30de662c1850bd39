using System.Globalization;
using Recoup.Domain;
using Recoup.Domain.Aging;
using Recoup.Domain.Debtors;
using Recoup.Domain.Ledger;

namespace Recoup.Web.Components.Shared;

/// <summary>
/// How the screens write money, dates and states: invariant culture everywhere (the same text on
/// every server), amounts grouped by thousands with exactly the currency's decimals, ISO dates.
/// </summary>
public static class Format
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary><c>12,345.60</c>; a credit is written with a true minus sign (<c>−45.00</c>).</summary>
    public static string Amount(Money money)
    {
        var text = Math.Abs(money.ToDecimal()).ToString("N" + money.Currency.Exponent.ToString(Invariant), Invariant);
        return money.IsNegative ? "\u2212" + text : text;
    }

    /// <summary><c>12,345.60 USD</c>.</summary>
    public static string AmountWithCode(Money money) => $"{Amount(money)} {money.Currency.Code}";

    /// <summary>A whole number grouped by thousands: <c>1,204</c>.</summary>
    public static string Count(int value) => value.ToString("N0", Invariant);

    /// <summary>A share of a whole as a percentage with no decimals (<c>&lt;1%</c> for a sliver); empty when the whole is zero.</summary>
    public static string Percent(long part, long whole)
    {
        if (whole == 0)
        {
            return "";
        }

        var share = (decimal)part / whole;
        return share > 0 && share < 0.005m ? "<1%" : share.ToString("P0", Invariant).Replace(" ", "", StringComparison.Ordinal);
    }

    /// <summary>The width of a bar, in percent of the largest value (at least a sliver for anything non-zero).</summary>
    public static string BarWidth(long value, long largest)
    {
        if (value <= 0 || largest <= 0)
        {
            return "0%";
        }

        var share = Math.Max(0.5m, Math.Round(100m * value / largest, 1));
        return share.ToString("0.#", Invariant) + "%";
    }

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", Invariant);

    /// <summary>An instant in UTC to the minute: <c>2026-11-23 14:05 UTC</c>.</summary>
    public static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", Invariant) + " UTC";

    /// <summary>The machine form for <c>&lt;time datetime&gt;</c>.</summary>
    public static string IsoInstant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", Invariant);

    public static string Number(long value) => value.ToString(Invariant);

    public static string Label(DelinquencyStatus status) => status switch
    {
        DelinquencyStatus.Current => "Current",
        DelinquencyStatus.PastDue => "Past due",
        DelinquencyStatus.Delinquent => "Delinquent",
        DelinquencyStatus.WrittenOff => "Written off",
        DelinquencyStatus.Paid => "Paid",
    };

    /// <summary>The status as URLs, the API and CSS classes write it: <c>past_due</c>.</summary>
    public static string Slug(DelinquencyStatus status) => status switch
    {
        DelinquencyStatus.Current => "current",
        DelinquencyStatus.PastDue => "past_due",
        DelinquencyStatus.Delinquent => "delinquent",
        DelinquencyStatus.WrittenOff => "written_off",
        DelinquencyStatus.Paid => "paid",
    };

    public static DelinquencyStatus? ParseStatus(string? slug) =>
        Enum.GetValues<DelinquencyStatus>().Cast<DelinquencyStatus?>().FirstOrDefault(s => Slug(s!.Value) == slug);

    public static string Label(DebtType type) => type switch
    {
        DebtType.Consumer => "Consumer",
        DebtType.Commercial => "Commercial",
        DebtType.Medical => "Medical",
    };

    public static string Slug(DebtType type) => type switch
    {
        DebtType.Consumer => "consumer",
        DebtType.Commercial => "commercial",
        DebtType.Medical => "medical",
    };

    public static DebtType? ParseDebtType(string? slug) =>
        Enum.GetValues<DebtType>().Cast<DebtType?>().FirstOrDefault(t => Slug(t!.Value) == slug);

    public static string Label(DebtorKind kind) => kind switch
    {
        DebtorKind.Person => "Person",
        DebtorKind.Business => "Business",
    };

    public static string Label(ContactKind kind) => kind switch
    {
        ContactKind.Phone => "Phone",
        ContactKind.Email => "E-mail",
        ContactKind.Postal => "Address",
    };

    public static string Label(ContactStatus status) => status switch
    {
        ContactStatus.Unverified => "Unverified",
        ContactStatus.Good => "Good",
        ContactStatus.Bad => "Bad",
        ContactStatus.Disconnected => "Disconnected",
        ContactStatus.ReturnedMail => "Returned mail",
    };

    /// <summary>Whether the contact point can be used: good, or not yet known to be bad.</summary>
    public static string Tone(ContactStatus status) => status switch
    {
        ContactStatus.Good => "good",
        ContactStatus.Unverified => "neutral",
        ContactStatus.Bad or ContactStatus.Disconnected or ContactStatus.ReturnedMail => "bad",
    };

    public static string Label(ContactSource source) => source switch
    {
        ContactSource.OriginalCreditor => "Original creditor",
        ContactSource.Debtor => "Debtor",
        ContactSource.SkipTrace => "Skip trace",
    };

    public static string Label(EntryKind kind) => kind switch
    {
        EntryKind.Charge => "Invoice",
        EntryKind.Payment => "Payment",
        EntryKind.Adjustment => "Adjustment",
        EntryKind.CreditMemo => "Credit memo",
        EntryKind.Refund => "Refund",
        EntryKind.Fee => "Fee",
        EntryKind.Interest => "Interest",
        EntryKind.WriteOff => "Write-off",
        EntryKind.Recovery => "Recovery",
        EntryKind.Reversal => "Reversal",
    };

    /// <summary>What an entry does to the balance, for its colour: <c>debit</c>, <c>credit</c>, <c>neutral</c>, <c>writeoff</c>.</summary>
    public static string Tone(EntryKind kind) => kind switch
    {
        EntryKind.Charge or EntryKind.Fee or EntryKind.Interest => "debit",
        EntryKind.Payment or EntryKind.CreditMemo or EntryKind.Recovery => "credit",
        EntryKind.Adjustment or EntryKind.Refund or EntryKind.Reversal => "neutral",
        EntryKind.WriteOff => "writeoff",
    };

    /// <summary>The aging bucket (<c>current</c>, <c>1-30</c> … <c>121+</c>) for a number of days past due.</summary>
    public static string Bucket(int daysPastDue)
    {
        if (daysPastDue <= 0)
        {
            return AgingBuckets.Default.Buckets[0].Name;
        }

        return AgingBuckets.Default.Buckets.First(b => b.FromDays <= daysPastDue && (b.ToDays is null || daysPastDue <= b.ToDays)).Name;
    }

    /// <summary>A bucket's name for people: <c>1–30 days</c>, <c>121+ days</c>, <c>Current</c>.</summary>
    public static string BucketLabel(string bucket) =>
        bucket == AgingBuckets.Default.Buckets[0].Name ? "Current" : bucket.Replace('-', '\u2013') + " days";

    /// <summary>An audit action for people: <c>payment.posted</c> → <c>Payment posted</c>.</summary>
    public static string Action(string action)
    {
        var words = action.Replace('.', ' ').Replace('_', ' ');
        return words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..];
    }
}
