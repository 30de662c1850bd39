using Recoup.Domain.Debtors;

namespace Recoup.Domain.Compliance;

/// <summary>One row of a statute-of-limitations table.</summary>
/// <param name="State">Two-letter state code, or <c>*</c> for the row used when no state row matches.</param>
/// <param name="DebtType">The debt type the row is for; null for every type.</param>
/// <param name="Years">Years after the limitations start date at which the debt becomes time-barred.</param>
/// <param name="Citation">The statute.</param>
public sealed record LimitationPeriod(string State, DebtType? DebtType, int Years, string Citation);

/// <summary>
/// Statutes of limitations by state and debt type, as data. A debt is time-barred from the day its limitations
/// period has run (12 CFR 1006.26(a)(2)). The shipped <see cref="Starter"/> table is a documented starting point,
/// not legal advice: periods depend on the kind of contract, tolling, borrowing statutes and choice-of-law clauses;
/// have counsel review it and replace it with <c>RuleSet with { Limitations = ... }</c>.
/// </summary>
public sealed class StatuteOfLimitations
{
    private readonly LimitationPeriod[] _rows;

    public StatuteOfLimitations(IEnumerable<LimitationPeriod> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        _rows = [.. rows];
    }

    /// <summary>The rows of the table.</summary>
    public IReadOnlyList<LimitationPeriod> Rows => _rows;

    /// <summary>
    /// The starter table: written contracts / credit accounts in a dozen states, and a conservative 3-year row for any
    /// other state (the shorter the period assumed, the sooner a debt is treated as time-barred: no threat of suit,
    /// the disclosure added). Not legal advice.
    /// </summary>
    public static StatuteOfLimitations Starter { get; } = new(
    [
        new("CA", null, 4, "Cal. Code Civ. Proc. § 337"),
        new("FL", null, 5, "Fla. Stat. § 95.11(2)(b)"),
        new("GA", null, 6, "O.C.G.A. § 9-3-24"),
        new("IL", null, 10, "735 ILCS 5/13-206"),
        new("MA", null, 6, "Mass. Gen. Laws ch. 260, § 2"),
        new("MI", null, 6, "Mich. Comp. Laws § 600.5807"),
        new("NC", null, 3, "N.C. Gen. Stat. § 1-52"),
        new("NY", DebtType.Consumer, 3, "N.Y. CPLR 214-i"),
        new("NY", DebtType.Medical, 3, "N.Y. CPLR 214-i"),
        new("NY", DebtType.Commercial, 6, "N.Y. CPLR 213(2)"),
        new("OH", null, 6, "Ohio Rev. Code § 2305.06"),
        new("PA", null, 4, "42 Pa.C.S. § 5525"),
        new("TX", null, 4, "Tex. Civ. Prac. & Rem. Code § 16.004"),
        new("WA", null, 6, "RCW 4.16.040"),
        new("*", null, 3, "Recoup default where no state row applies (conservative)"),
    ]);

    /// <summary>The row that applies: the state's row for the debt type, else the state's row for every type, else the <c>*</c> rows.</summary>
    public LimitationPeriod? For(string? state, DebtType type) =>
        Find(state, type, exactType: true) ?? Find(state, type, exactType: false) ?? Find("*", type, exactType: true) ?? Find("*", type, exactType: false);

    /// <summary>The first day on which the debt is time-barred, or null when its start date is unknown or no row applies.</summary>
    public DateOnly? TimeBarredFrom(DebtFacts debt)
    {
        ArgumentNullException.ThrowIfNull(debt);
        return debt.LimitationsStartOn is { } start && For(debt.State, debt.Type) is { } row ? start.AddYears(row.Years) : null;
    }

    /// <summary>The debt is time-barred on <paramref name="on"/>.</summary>
    public bool IsTimeBarred(DebtFacts debt, DateOnly on) => TimeBarredFrom(debt) is { } from && on >= from;

    private LimitationPeriod? Find(string? state, DebtType type, bool exactType)
    {
        if (state is null)
        {
            return null;
        }

        foreach (var row in _rows)
        {
            if (string.Equals(row.State, state, StringComparison.OrdinalIgnoreCase) && (exactType ? row.DebtType == type : row.DebtType is null))
            {
                return row;
            }
        }

        return null;
    }
}
