using Microsoft.Extensions.Configuration;
using Recoup.Domain.Adjustments;
using Recoup.Domain.Disputes;

namespace Recoup.Services.Disputes;

/// <summary>
/// How disputes, adjustments and write-offs are governed (configuration sections <c>Recoup:Disputes</c>,
/// <c>Recoup:Adjustments</c> and <c>Recoup:WriteOffs</c>; docs/disputes.md and docs/adjustments-and-write-offs.md
/// list every key and its default).
/// </summary>
public sealed record DisputeSettings
{
    /// <summary>Days a department has to resolve a dispute (its SLA), counted from the day it was opened.</summary>
    public IReadOnlyDictionary<DisputeDepartment, int> SlaDays { get; init; } = new Dictionary<DisputeDepartment, int>
    {
        [DisputeDepartment.Billing] = 10,
        [DisputeDepartment.Sales] = 10,
        [DisputeDepartment.CustomerService] = 15,
        [DisputeDepartment.Legal] = 30,
    };

    /// <summary>Who may post an adjustment or credit memo (and credit an upheld dispute) without approval.</summary>
    public ApprovalLimits Adjustments { get; init; } = ApprovalLimits.Adjustments;

    /// <summary>Who may write a bad debt off without approval.</summary>
    public ApprovalLimits BadDebt { get; init; } = ApprovalLimits.BadDebt;

    /// <summary>Small-balance write-off thresholds per currency code, in major units: a positive balance below it is written off.</summary>
    public IReadOnlyDictionary<string, decimal> SmallBalanceThresholds { get; init; } = new Dictionary<string, decimal>(StringComparer.Ordinal) { ["USD"] = 5m };

    public int SlaDaysFor(DisputeDepartment department) => SlaDays.TryGetValue(department, out var days) ? days : 10;

    /// <summary>Reads the settings; a key that is present but wrong is an error naming the key, never a silent default.</summary>
    public static DisputeSettings Load(IConfiguration? configuration)
    {
        var defaults = new DisputeSettings();
        if (configuration is null)
        {
            return defaults;
        }

        var sla = new Dictionary<DisputeDepartment, int>(defaults.SlaDays);
        var slaSection = configuration.GetSection("Recoup:Disputes:SlaDays");
        foreach (var department in Enum.GetValues<DisputeDepartment>())
        {
            if (ConfigurationValues.Int(slaSection, department.ToString()) is { } days)
            {
                sla[department] = days;
            }
        }

        var thresholds = new Dictionary<string, decimal>(defaults.SmallBalanceThresholds, StringComparer.Ordinal);
        foreach (var child in configuration.GetSection("Recoup:WriteOffs:SmallBalance").GetChildren())
        {
            var code = child.Key.ToUpperInvariant();
            if (!Domain.Currency.TryFromCode(code, out _))
            {
                throw new InvalidOperationException($"Recoup:WriteOffs:SmallBalance:{child.Key} is not a currency code");
            }

            thresholds[code] = ConfigurationValues.Decimal(configuration.GetSection("Recoup:WriteOffs:SmallBalance"), child.Key) ?? 0m;
        }

        return defaults with
        {
            SlaDays = sla,
            Adjustments = Limits(configuration.GetSection("Recoup:Adjustments"), defaults.Adjustments),
            BadDebt = Limits(configuration.GetSection("Recoup:WriteOffs:BadDebt"), defaults.BadDebt),
            SmallBalanceThresholds = thresholds,
        };
    }

    private static ApprovalLimits Limits(IConfigurationSection section, ApprovalLimits defaults) => new(
        Limit(section, "CollectorMax", defaults.CollectorMax),
        Limit(section, "SupervisorMax", defaults.SupervisorMax),
        Limit(section, "ManagerMax", defaults.ManagerMax));

    /// <summary>A limit: a decimal, or <c>none</c> for no limit.</summary>
    private static decimal? Limit(IConfigurationSection section, string key, decimal? current) =>
        string.Equals(section[key]?.Trim(), "none", StringComparison.OrdinalIgnoreCase) ? null : ConfigurationValues.Decimal(section, key) ?? current;
}
