namespace Recoup.Domain.Ledger;

/// <summary>
/// What part of an invoice's debt an allocation adds to or pays: the billed amount (principal),
/// fees and costs charged on it, or interest charged on it.
/// </summary>
public enum BalanceComponent
{
    /// <summary>The invoice amount itself, and positive adjustments to it.</summary>
    Principal,

    /// <summary>Fees and costs (late fees, returned-payment fees, court costs).</summary>
    Fee,

    /// <summary>Interest charged on the invoice.</summary>
    Interest,
}

/// <summary>
/// The order in which a credit pays the components of one invoice, e.g. costs, then interest, then
/// principal, as some jurisdictions require for payments on consumer debt.
/// </summary>
public sealed record ComponentOrder
{
    private ComponentOrder(IReadOnlyList<BalanceComponent> order) => Order = order;

    /// <summary>Every component once, first paid first.</summary>
    public IReadOnlyList<BalanceComponent> Order { get; }

    /// <summary>Fees and costs, then interest, then principal.</summary>
    public static ComponentOrder Default { get; } = new([BalanceComponent.Fee, BalanceComponent.Interest, BalanceComponent.Principal]);

    /// <summary>Principal, then interest, then fees.</summary>
    public static ComponentOrder PrincipalFirst { get; } = new([BalanceComponent.Principal, BalanceComponent.Interest, BalanceComponent.Fee]);

    /// <summary>
    /// Reads an order like <c>fees,interest,principal</c> (also <c>costs</c> for fees; any case, comma
    /// or space separated). Components left out are paid last, in the default order.
    /// </summary>
    public static Result<ComponentOrder> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Result<ComponentOrder>.Ok(Default);
        }

        var order = new List<BalanceComponent>();
        foreach (var word in text.Split([',', ' ', ';', '>'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            BalanceComponent? component = word.ToLowerInvariant() switch
            {
                "principal" => BalanceComponent.Principal,
                "fee" or "fees" or "cost" or "costs" => BalanceComponent.Fee,
                "interest" => BalanceComponent.Interest,
                _ => null,
            };
            if (component is not { } known)
            {
                return new Error("component_order_invalid", $"'{word}' is not a balance component; use principal, fees (or costs) and interest, e.g. \"fees,interest,principal\"");
            }

            if (order.Contains(known))
            {
                return new Error("component_order_invalid", $"'{word}' is named twice in \"{text}\"");
            }

            order.Add(known);
        }

        order.AddRange(Default.Order.Where(c => !order.Contains(c)));
        return Result<ComponentOrder>.Ok(new ComponentOrder(order));
    }

    public bool Equals(ComponentOrder? other) => other is not null && Order.SequenceEqual(other.Order);

    public override int GetHashCode() => Order.Aggregate(17, (hash, c) => (hash * 31) + (int)c);

    public override string ToString() => string.Join(",", Order.Select(c => c switch
    {
        BalanceComponent.Fee => "fees",
        BalanceComponent.Interest => "interest",
        _ => "principal",
    }));
}
