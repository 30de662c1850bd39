using System.Globalization;
using Recoup.Domain.Debtors;

namespace Recoup.Domain.Charges;

/// <summary>How a late fee is worked out. The API spells them <c>none</c>, <c>flat</c>, <c>percent</c>.</summary>
public enum LateFeeKind
{
    None,

    /// <summary>A fixed amount per invoice.</summary>
    Flat,

    /// <summary>A percentage of the invoice's open principal on the day it is charged, up to a cap.</summary>
    Percent,
}

/// <summary>How interest accrues. The API spells them <c>none</c>, <c>simple_daily</c>, <c>reference_plus_margin</c>.</summary>
public enum InterestKind
{
    None,

    /// <summary>Simple (not compounded) interest at a fixed annual rate, counted by the day on a 365-day year.</summary>
    SimpleDaily,

    /// <summary>
    /// Simple daily interest at a reference rate plus a margin: the statutory interest of late-payment laws on
    /// business debts (EU Directive 2011/7/EU art. 2(6): the central bank's reference rate plus at least eight
    /// percentage points; UK Late Payment of Commercial Debts (Interest) Act 1998: base rate plus 8 %).
    /// </summary>
    ReferencePlusMargin,
}

/// <summary>What authorizes charging fees and interest to a consumer. The API spells them <c>none</c>, <c>agreement</c>, <c>law</c>.</summary>
public enum ChargeAuthority
{
    /// <summary>Nothing on record: a consumer is charged nothing.</summary>
    None,

    /// <summary>The agreement that created the debt expressly authorizes it (the clause is named in the reference).</summary>
    Agreement,

    /// <summary>A law permits it (the statute is named in the reference).</summary>
    Law,
}

/// <summary>
/// The fee and interest terms of a debt type (in one currency), or of one debtor's agreement, which overrides them.
/// Amounts are in minor units of <see cref="Currency"/>; rates are annual percentages (<c>8.5</c> is 8.5 % a year).
/// </summary>
/// <remarks>
/// A consumer or medical debt of a person may carry fees and interest only when <see cref="Authority"/> says what
/// authorizes them (FDCPA, 15 U.S.C. 1692f(1): collecting any amount not expressly authorized by the agreement
/// creating the debt or permitted by law is unfair). Business debts follow their terms as written.
/// </remarks>
public sealed record ChargeTerms
{
    public Currency Currency { get; init; } = Currency.USD;

    public LateFeeKind LateFee { get; init; }

    /// <summary>The flat fee, for <see cref="LateFeeKind.Flat"/>.</summary>
    public long LateFeeFlatMinor { get; init; }

    /// <summary>The percentage of open principal, for <see cref="LateFeeKind.Percent"/>.</summary>
    public decimal LateFeePercent { get; init; }

    /// <summary>The most one late fee may be; null for no cap.</summary>
    public long? LateFeeCapMinor { get; init; }

    /// <summary>Days after the due date before the late fee is charged.</summary>
    public int LateFeeGraceDays { get; init; }

    public InterestKind Interest { get; init; }

    /// <summary>The annual rate, for <see cref="InterestKind.SimpleDaily"/>.</summary>
    public decimal InterestRatePercent { get; init; }

    /// <summary>The reference rate's name (e.g. <c>ECB main refinancing rate</c>), for <see cref="InterestKind.ReferencePlusMargin"/>.</summary>
    public string? ReferenceRateName { get; init; }

    /// <summary>The reference rate in force, for <see cref="InterestKind.ReferencePlusMargin"/>.</summary>
    public decimal ReferenceRatePercent { get; init; }

    /// <summary>The margin over the reference rate, for <see cref="InterestKind.ReferencePlusMargin"/>.</summary>
    public decimal MarginPercent { get; init; }

    /// <summary>Days after the due date before interest starts to run.</summary>
    public int InterestGraceDays { get; init; }

    public ChargeAuthority Authority { get; init; }

    /// <summary>The clause of the agreement, or the law, that authorizes the charges.</summary>
    public string? AuthorityReference { get; init; }

    /// <summary>The annual rate that applies: the fixed rate, or the reference rate plus the margin; zero without interest.</summary>
    public decimal AnnualRatePercent => Interest switch
    {
        InterestKind.None => 0m,
        InterestKind.SimpleDaily => InterestRatePercent,
        InterestKind.ReferencePlusMargin => ReferenceRatePercent + MarginPercent,
    };

    public bool ChargesAnything => LateFee != LateFeeKind.None || Interest != InterestKind.None;

    /// <summary>The most an annual rate, a fee percentage or a margin may be (a typo guard, not a usury limit).</summary>
    public const decimal MaxPercent = 100m;

    /// <summary>Everything wrong with the terms for a debt of <paramref name="type"/>, each with its field; empty when they may be saved.</summary>
    public IReadOnlyList<Error> Validate(DebtType? type)
    {
        var errors = new List<Error>();
        void Percent(decimal value, string field, string what)
        {
            if (value < 0 || value > MaxPercent)
            {
                errors.Add(new Error("terms_invalid", $"The {what} must be from 0 to {MaxPercent.ToString(CultureInfo.InvariantCulture)} %", field));
            }
            else if (decimal.Round(value, 6) != value)
            {
                errors.Add(new Error("terms_invalid", $"The {what} may have at most 6 decimals", field));
            }
        }

        switch (LateFee)
        {
            case LateFeeKind.Flat when LateFeeFlatMinor <= 0:
                errors.Add(new Error("terms_invalid", "A flat late fee needs an amount above zero", "late_fee_amount"));
                break;
            case LateFeeKind.Percent when LateFeePercent <= 0:
                errors.Add(new Error("terms_invalid", "A percentage late fee needs a percentage above zero", "late_fee_percent"));
                break;
            case LateFeeKind.None or LateFeeKind.Flat or LateFeeKind.Percent:
                break;
        }

        Percent(LateFeePercent, "late_fee_percent", "late fee percentage");
        if (LateFeeCapMinor is < 0)
        {
            errors.Add(new Error("terms_invalid", "The late fee cap cannot be negative", "late_fee_cap"));
        }

        if (LateFeeGraceDays is < 0 or > 365)
        {
            errors.Add(new Error("terms_invalid", "The late fee grace days must be from 0 to 365", "late_fee_grace_days"));
        }

        if (InterestGraceDays is < 0 or > 365)
        {
            errors.Add(new Error("terms_invalid", "The interest grace days must be from 0 to 365", "interest_grace_days"));
        }

        Percent(InterestRatePercent, "interest_rate", "interest rate");
        Percent(ReferenceRatePercent, "reference_rate", "reference rate");
        Percent(MarginPercent, "margin", "margin");
        switch (Interest)
        {
            case InterestKind.SimpleDaily when InterestRatePercent <= 0:
                errors.Add(new Error("terms_invalid", "Simple daily interest needs an annual rate above zero", "interest_rate"));
                break;
            case InterestKind.ReferencePlusMargin when type is not null and not DebtType.Commercial:
                errors.Add(new Error("terms_invalid", "A reference rate plus a margin is the late-payment interest of business debts; use simple_daily for consumer and medical debts", "interest"));
                break;
            case InterestKind.ReferencePlusMargin when string.IsNullOrWhiteSpace(ReferenceRateName) || AnnualRatePercent <= 0:
                errors.Add(new Error("terms_invalid", "Name the reference rate and give it and the margin (their sum above zero)", "reference_rate"));
                break;
            case InterestKind.None or InterestKind.SimpleDaily or InterestKind.ReferencePlusMargin:
                break;
        }

        if (Authority != ChargeAuthority.None && string.IsNullOrWhiteSpace(AuthorityReference))
        {
            errors.Add(new Error("terms_invalid", "Name the clause of the agreement, or the law, that authorizes the charges", "authority_reference"));
        }

        if (type is DebtType.Consumer or DebtType.Medical && ChargesAnything && Authority == ChargeAuthority.None)
        {
            errors.Add(new Error(ChargePolicy.NotAuthorized,
                $"Fees and interest on a {type.ToString()!.ToLowerInvariant()} debt need the agreement's clause or the law that authorizes them (15 U.S.C. 1692f(1)); set authority and authority_reference",
                "authority"));
        }

        return errors;
    }
}

/// <summary>Whether fees and interest may be charged to a debtor, on given terms.</summary>
public static class ChargePolicy
{
    public const string NotAuthorized = "fee_not_authorized";

    /// <summary>The law cited when a consumer charge is refused.</summary>
    public const string Citation = "15 U.S.C. 1692f(1)";

    /// <summary>
    /// Null when <paramref name="terms"/> allow charging a debt of <paramref name="type"/> owed by a
    /// <paramref name="kind"/>; otherwise why not. No terms: nothing may be charged.
    /// </summary>
    public static Error? Refusal(ChargeTerms? terms, DebtType type, DebtorKind kind)
    {
        if (terms is null || !terms.ChargesAnything)
        {
            return new Error(NotAuthorized, "No fee or interest terms apply to this account: nothing may be charged");
        }

        if (kind == DebtorKind.Person && type is DebtType.Consumer or DebtType.Medical && terms.Authority == ChargeAuthority.None)
        {
            return new Error(NotAuthorized,
                $"A consumer may be charged only what the agreement creating the debt expressly authorizes or the law permits ({Citation}); these terms name neither");
        }

        return null;
    }
}
