using System.Globalization;
using Microsoft.Extensions.Configuration;
using Recoup.Domain;
using Recoup.Domain.Debtors;
using Recoup.Domain.Ledger;

namespace Recoup.Services.Payments;

/// <summary>
/// How payments are applied and refunds controlled, from the configuration section
/// <c>Recoup:Payments</c> (docs/payments.md):
/// <list type="bullet">
/// <item><c>ComponentOrder</c>: the order a payment pays an invoice's components, e.g. <c>fees,interest,principal</c> (the default).</item>
/// <item><c>ComponentOrderByDebtType:consumer|commercial|medical</c>: an order for one kind of debt, overriding the default.</item>
/// <item><c>RefundApprovalThreshold</c>: refunds above this amount (major units, any currency) wait for a supervisor's or manager's approval; default 100.</item>
/// <item><c>DuplicateWindowDays</c>: payments with the same amount and reference this many days apart or less are suspected duplicates; default 7.</item>
/// <item><c>Gateway</c>: the card payment gateway, <c>test</c> (the offline test gateway) or <c>none</c> (card payments refused); default <c>test</c>.</item>
/// </list>
/// </summary>
public sealed record PaymentSettings
{
    public const string Section = "Recoup:Payments";

    public ComponentOrder ComponentOrder { get; init; } = ComponentOrder.Default;

    public IReadOnlyDictionary<DebtType, ComponentOrder> ComponentOrderByDebtType { get; init; } = new Dictionary<DebtType, ComponentOrder>();

    public decimal RefundApprovalThreshold { get; init; } = 100m;

    public int DuplicateWindowDays { get; init; } = 7;

    public string Gateway { get; init; } = "test";

    public static PaymentSettings Default { get; } = new();

    /// <summary>The order for an account's debt: its debt type's, else the default.</summary>
    public ComponentOrder OrderFor(DebtType debtType) => ComponentOrderByDebtType.TryGetValue(debtType, out var order) ? order : ComponentOrder;

    /// <summary>Whether a refund of this amount needs approval.</summary>
    public bool NeedsApproval(Money amount) => amount.ToDecimal() > RefundApprovalThreshold;

    /// <summary>Reads the section; a wrong value stops the start-up with a message naming the key.</summary>
    /// <exception cref="InvalidOperationException">A value is invalid.</exception>
    public static PaymentSettings Load(IConfiguration? configuration)
    {
        if (configuration is null)
        {
            return Default;
        }

        var section = configuration.GetSection(Section);
        var errors = new List<string>();
        var settings = Default;

        if (section["ComponentOrder"] is { } orderText)
        {
            var order = ComponentOrder.Parse(orderText);
            if (order.Error is { } error)
            {
                errors.Add($"{Section}:ComponentOrder: {error.Message}");
            }
            else
            {
                settings = settings with { ComponentOrder = order.Value };
            }
        }

        var byType = new Dictionary<DebtType, ComponentOrder>();
        foreach (var child in section.GetSection("ComponentOrderByDebtType").GetChildren())
        {
            if (!Enum.TryParse<DebtType>(child.Key, ignoreCase: true, out var debtType))
            {
                errors.Add($"{Section}:ComponentOrderByDebtType:{child.Key}: not a debt type; use {string.Join(", ", Enum.GetNames<DebtType>().Select(n => n.ToLowerInvariant()))}");
                continue;
            }

            var order = ComponentOrder.Parse(child.Value);
            if (order.Error is { } error)
            {
                errors.Add($"{Section}:ComponentOrderByDebtType:{child.Key}: {error.Message}");
            }
            else
            {
                byType[debtType] = order.Value;
            }
        }

        settings = settings with { ComponentOrderByDebtType = byType };

        if (section["RefundApprovalThreshold"] is { } thresholdText)
        {
            if (decimal.TryParse(thresholdText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var threshold))
            {
                settings = settings with { RefundApprovalThreshold = threshold };
            }
            else
            {
                errors.Add($"{Section}:RefundApprovalThreshold: '{thresholdText}' is not an amount like 250.00");
            }
        }

        if (section["DuplicateWindowDays"] is { } windowText)
        {
            if (int.TryParse(windowText, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days is >= 0 and <= 366)
            {
                settings = settings with { DuplicateWindowDays = days };
            }
            else
            {
                errors.Add($"{Section}:DuplicateWindowDays: '{windowText}' is not a whole number of days from 0 to 366");
            }
        }

        if (section["Gateway"] is { } gateway)
        {
            var name = gateway.Trim().ToLowerInvariant();
            if (name is "test" or "none")
            {
                settings = settings with { Gateway = name };
            }
            else
            {
                errors.Add($"{Section}:Gateway: '{gateway}' is not a gateway; use test or none");
            }
        }

        return errors.Count == 0
            ? settings
            : throw new InvalidOperationException($"The configuration section {Section} is invalid: {string.Join("; ", errors)}");
    }
}
