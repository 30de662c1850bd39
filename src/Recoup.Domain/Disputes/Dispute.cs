namespace Recoup.Domain.Disputes;

/// <summary>Why the debtor disputes. The API spells them snake_case: <c>not_mine</c>, <c>already_paid</c>, …</summary>
public enum DisputeReason
{
    NotMine,
    AlreadyPaid,
    WrongAmount,
    GoodsNotReceived,
    Quality,
    Pricing,
    DuplicateBilling,
    IdentityTheft,
    Other,
}

/// <summary>Who works the dispute.</summary>
public enum DisputeDepartment
{
    Billing,
    Sales,
    CustomerService,
    Legal,
}

/// <summary>How the dispute reached us. A dispute by portal, e-mail or letter is in writing (12 CFR 1006.38(d)(2)).</summary>
public enum DisputeSource
{
    Collector,
    Portal,
    Email,
    Letter,
    Import,
}

/// <summary>Where a dispute stands.</summary>
public enum DisputeStatus
{
    /// <summary>Being investigated: its amount is held out of collection.</summary>
    Open,

    /// <summary>The debtor was right: the whole disputed amount was credited.</summary>
    Upheld,

    /// <summary>Part of the disputed amount was credited; the rest is collectible again.</summary>
    PartiallyUpheld,

    /// <summary>The debt stands: the evidence went to the debtor and the amount is collectible again.</summary>
    Rejected,
}

/// <summary>How an upheld amount is credited on the ledger.</summary>
public enum DisputeRemedy
{
    CreditMemo,
    Adjustment,
}

/// <summary>Names of the dispute vocabularies as the API and the screens spell them, and the rules of thumb that route a dispute.</summary>
public static class DisputeNames
{
    public static string Name(DisputeReason reason) => reason switch
    {
        DisputeReason.NotMine => "not_mine",
        DisputeReason.AlreadyPaid => "already_paid",
        DisputeReason.WrongAmount => "wrong_amount",
        DisputeReason.GoodsNotReceived => "goods_not_received",
        DisputeReason.Quality => "quality",
        DisputeReason.Pricing => "pricing",
        DisputeReason.DuplicateBilling => "duplicate_billing",
        DisputeReason.IdentityTheft => "identity_theft",
        DisputeReason.Other => "other",
    };

    public static string Name(DisputeDepartment department) => department switch
    {
        DisputeDepartment.Billing => "billing",
        DisputeDepartment.Sales => "sales",
        DisputeDepartment.CustomerService => "customer_service",
        DisputeDepartment.Legal => "legal",
    };

    public static string Name(DisputeSource source) => source switch
    {
        DisputeSource.Collector => "collector",
        DisputeSource.Portal => "portal",
        DisputeSource.Email => "email",
        DisputeSource.Letter => "letter",
        DisputeSource.Import => "import",
    };

    public static string Name(DisputeStatus status) => status switch
    {
        DisputeStatus.Open => "open",
        DisputeStatus.Upheld => "upheld",
        DisputeStatus.PartiallyUpheld => "partially_upheld",
        DisputeStatus.Rejected => "rejected",
    };

    public static string Name(DisputeRemedy remedy) => remedy switch
    {
        DisputeRemedy.CreditMemo => "credit_memo",
        DisputeRemedy.Adjustment => "adjustment",
    };

    /// <summary>What a person reads: <c>goods_not_received</c> → "goods not received".</summary>
    public static string Label(string name) => name.Replace('_', ' ');

    public static TEnum? Parse<TEnum>(string? text, Func<TEnum, string> name)
        where TEnum : struct, Enum
    {
        var wanted = text?.Trim().ToLowerInvariant().Replace('-', '_').Replace(' ', '_');
        foreach (var value in Enum.GetValues<TEnum>())
        {
            if (string.Equals(name(value), wanted, StringComparison.Ordinal))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>The department a reason goes to when the person opening the dispute names none.</summary>
    public static DisputeDepartment DefaultDepartment(DisputeReason reason) => reason switch
    {
        DisputeReason.AlreadyPaid or DisputeReason.WrongAmount or DisputeReason.DuplicateBilling => DisputeDepartment.Billing,
        DisputeReason.Pricing => DisputeDepartment.Sales,
        DisputeReason.GoodsNotReceived or DisputeReason.Quality or DisputeReason.Other => DisputeDepartment.CustomerService,
        DisputeReason.NotMine or DisputeReason.IdentityTheft => DisputeDepartment.Legal,
    };

    /// <summary>A dispute that arrived on paper or electronically is in writing; one a collector heard on the phone is not.</summary>
    public static bool InWriting(DisputeSource source) => source is DisputeSource.Portal or DisputeSource.Email or DisputeSource.Letter;
}

/// <summary>
/// The dispute hold: what is disputed and still open is held out of collection, and only the rest of the
/// balance is collectible.
/// </summary>
/// <remarks>
/// The held amount can exceed the balance (a payment arrived after the dispute was opened): then nothing is
/// collectible, and the account is held in full. A hold on nothing (a zero or negative balance) holds nothing.
/// </remarks>
public static class DisputeHold
{
    /// <summary>The balance less the amounts of the open disputes, never below zero.</summary>
    public static Money Collectible(Money balance, Money held)
    {
        if (!balance.IsPositive)
        {
            return Money.Zero(balance.Currency);
        }

        var rest = balance - Money.Min(held, balance);
        return rest.IsNegative ? Money.Zero(balance.Currency) : rest;
    }

    /// <summary>Whether the open disputes cover the whole balance: then no collection contact about the account may be made.</summary>
    public static bool HeldInFull(Money balance, Money held) => balance.IsPositive && held.IsPositive && held >= balance;
}

/// <summary>The service-level agreement of a dispute: when it is due and whether it is breached.</summary>
public static class DisputeSla
{
    /// <summary>Days the dispute has been open on <paramref name="today"/> (0 on the day it was opened).</summary>
    public static int AgeInDays(DateOnly openedOn, DateOnly today) => Math.Max(0, today.DayNumber - openedOn.DayNumber);

    /// <summary>An open dispute is breached once its due date has passed; a resolved one when it was resolved after it.</summary>
    public static bool Breached(DateOnly dueOn, DateOnly today, DateOnly? resolvedOn) => (resolvedOn ?? today) > dueOn;
}
