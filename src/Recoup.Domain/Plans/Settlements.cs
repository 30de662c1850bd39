using System.Globalization;

namespace Recoup.Domain.Plans;

/// <summary>The roles that may agree to settle for less, in rising authority.</summary>
public enum SettlementRole
{
    Collector,
    Supervisor,
    Manager,
}

/// <summary>
/// How much off the balance each role may agree to on its own: by default a collector up to 20 %,
/// a supervisor up to 40 %, a manager any discount. Configurable (<c>Recoup:Settlements</c>).
/// </summary>
public sealed record SettlementAuthority(decimal CollectorMaxPercent = 20m, decimal SupervisorMaxPercent = 40m, decimal? ManagerMaxPercent = null)
{
    /// <summary>The discount the offer gives, as a percentage of the balance (0 when it is the full balance).</summary>
    public static decimal DiscountPercent(Money balance, Money settlement)
    {
        if (!balance.IsPositive)
        {
            throw new ArgumentOutOfRangeException(nameof(balance), balance, "Only a positive balance can be settled");
        }

        return (balance.Minor - settlement.Minor) * 100m / balance.Minor;
    }

    public decimal? MaxPercentFor(SettlementRole role) => role switch
    {
        SettlementRole.Collector => CollectorMaxPercent,
        SettlementRole.Supervisor => SupervisorMaxPercent,
        SettlementRole.Manager => ManagerMaxPercent,
    };

    /// <summary>True when <paramref name="role"/> may agree to this discount without anyone above.</summary>
    public bool Allows(SettlementRole role, decimal discountPercent) => MaxPercentFor(role) is not { } max || discountPercent <= max;

    /// <summary>The least senior role that may agree to the discount, or null when even a manager may not.</summary>
    public SettlementRole? LeastRoleFor(decimal discountPercent) =>
        Enum.GetValues<SettlementRole>().Cast<SettlementRole?>().FirstOrDefault(r => Allows(r!.Value, discountPercent));

    /// <summary>Why <paramref name="role"/> may not agree alone, in words; null when it may.</summary>
    public string? Refusal(SettlementRole role, decimal discountPercent)
    {
        if (Allows(role, discountPercent))
        {
            return null;
        }

        var needed = LeastRoleFor(discountPercent);
        var percent = discountPercent.ToString("0.##", CultureInfo.InvariantCulture);
        var max = MaxPercentFor(role)!.Value.ToString("0.##", CultureInfo.InvariantCulture);
        return needed is { } r
            ? $"A discount of {percent} % is more than a {role.ToString().ToLowerInvariant()} may give ({max} %); a {r.ToString().ToLowerInvariant()} must approve it"
            : $"A discount of {percent} % is more than anyone may give";
    }
}
