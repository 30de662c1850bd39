using System.Globalization;
using Recoup.Domain.Plans;

namespace Recoup.Domain.Adjustments;

/// <summary>
/// How much each role may take off (or add to) a balance on its own, in major units of the account's currency:
/// by default for adjustments and credit memos a collector up to 50.00, a supervisor up to 1,000.00 and a manager
/// any amount. Beyond a role's limit the change waits, pending, for someone whose limit covers it.
/// </summary>
/// <remarks>Limits are inclusive (a collector may post exactly 50.00). A null limit is no limit.</remarks>
public sealed record ApprovalLimits(decimal? CollectorMax = 50m, decimal? SupervisorMax = 1000m, decimal? ManagerMax = null)
{
    /// <summary>Adjustments and credit memos: collector 50.00, supervisor 1,000.00, manager any.</summary>
    public static ApprovalLimits Adjustments { get; } = new();

    /// <summary>Bad-debt write-offs: a collector always needs approval, a supervisor up to 1,000.00, a manager any.</summary>
    public static ApprovalLimits BadDebt { get; } = new(0m, 1000m, null);

    public decimal? MaxFor(SettlementRole role) => role switch
    {
        SettlementRole.Collector => CollectorMax,
        SettlementRole.Supervisor => SupervisorMax,
        SettlementRole.Manager => ManagerMax,
    };

    /// <summary>Whether <paramref name="role"/> may post <paramref name="amount"/> (its size, whatever its sign) without approval.</summary>
    public bool Allows(SettlementRole role, Money amount) => MaxFor(role) is not { } max || Math.Abs(amount.ToDecimal()) <= max;

    /// <summary>The least senior role whose limit covers the amount, or null when none does.</summary>
    public SettlementRole? LeastRoleFor(Money amount)
    {
        foreach (var role in Enum.GetValues<SettlementRole>())
        {
            if (Allows(role, amount))
            {
                return role;
            }
        }

        return null;
    }

    /// <summary>Why <paramref name="role"/> may not post the amount on its own, or null when it may.</summary>
    public string? Refusal(SettlementRole role, Money amount)
    {
        if (Allows(role, amount))
        {
            return null;
        }

        var limit = MaxFor(role)!.Value.ToString("#,##0.00", CultureInfo.InvariantCulture);
        var who = LeastRoleFor(amount) is { } least ? $"a {least.ToString().ToLowerInvariant()} must approve it" : "no role may approve it";
        return $"{amount.Abs()} is beyond the {role.ToString().ToLowerInvariant()}'s limit of {limit} {amount.Currency.Code}; {who}";
    }
}
