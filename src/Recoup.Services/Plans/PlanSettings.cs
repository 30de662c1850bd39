using Microsoft.Extensions.Configuration;
using Recoup.Domain.Debtors;
using Recoup.Domain.Plans;

namespace Recoup.Services.Plans;

/// <summary>
/// How promises, plans and settlements are held to account (configuration section <c>Recoup:Plans</c>
/// and <c>Recoup:Settlements</c>; docs/plans.md lists every key and its default).
/// </summary>
public sealed record PlanSettings
{
    public const string SectionName = "Recoup:Plans";

    /// <summary>Days after a promise's date within which a payment still keeps it.</summary>
    public int PromiseGraceDays { get; init; } = 2;

    /// <summary>Days after an installment's due date within which a payment is late, not missed.</summary>
    public int InstallmentGraceDays { get; init; } = 5;

    /// <summary>Installments past their grace and unpaid that break a plan.</summary>
    public int MissesToDefault { get; init; } = 2;

    /// <summary>Days before an installment's due date its reminder is sent (0: no reminders).</summary>
    public int ReminderDaysBefore { get; init; } = 3;

    /// <summary>Days after a lump-sum settlement's due date within which the payment still settles.</summary>
    public int SettlementGraceDays { get; init; } = 5;

    /// <summary>Policy limits per kind of debt; a debt type without an entry has none.</summary>
    public IReadOnlyDictionary<DebtType, PlanPolicy> Policies { get; init; } = new Dictionary<DebtType, PlanPolicy>
    {
        [DebtType.Consumer] = new(MinInstallmentMajor: 25m, MaxTermMonths: 24, MinDownPaymentPercent: null),
        [DebtType.Medical] = new(MinInstallmentMajor: 10m, MaxTermMonths: 36, MinDownPaymentPercent: null),
        [DebtType.Commercial] = new(MinInstallmentMajor: 100m, MaxTermMonths: 12, MinDownPaymentPercent: 10m),
    };

    public SettlementAuthority Authority { get; init; } = new();

    public PlanPolicy PolicyFor(DebtType debtType) => Policies.TryGetValue(debtType, out var policy) ? policy : PlanPolicy.None;

    /// <summary>Reads the settings; a key that is present but wrong is an error naming the key, never a silent default.</summary>
    public static PlanSettings Load(IConfiguration? configuration)
    {
        var defaults = new PlanSettings();
        if (configuration is null)
        {
            return defaults;
        }

        var section = configuration.GetSection(SectionName);
        var policies = new Dictionary<DebtType, PlanPolicy>(defaults.Policies);
        foreach (var type in Enum.GetValues<DebtType>())
        {
            var policy = section.GetSection("Policies").GetSection(type.ToString());
            if (!policy.Exists())
            {
                continue;
            }

            var current = defaults.PolicyFor(type);
            policies[type] = new PlanPolicy(
                ConfigurationValues.Decimal(policy, "MinInstallment") ?? current.MinInstallmentMajor,
                ConfigurationValues.Int(policy, "MaxTermMonths") ?? current.MaxTermMonths,
                ConfigurationValues.Decimal(policy, "MinDownPaymentPercent") ?? current.MinDownPaymentPercent);
        }

        var settlements = configuration.GetSection("Recoup:Settlements");
        return new PlanSettings
        {
            PromiseGraceDays = ConfigurationValues.Int(section, "PromiseGraceDays") ?? defaults.PromiseGraceDays,
            InstallmentGraceDays = ConfigurationValues.Int(section, "InstallmentGraceDays") ?? defaults.InstallmentGraceDays,
            MissesToDefault = Math.Max(1, ConfigurationValues.Int(section, "MissesToDefault") ?? defaults.MissesToDefault),
            ReminderDaysBefore = ConfigurationValues.Int(section, "ReminderDaysBefore") ?? defaults.ReminderDaysBefore,
            SettlementGraceDays = ConfigurationValues.Int(settlements, "GraceDays") ?? defaults.SettlementGraceDays,
            Policies = policies,
            Authority = new SettlementAuthority(
                ConfigurationValues.Decimal(settlements, "CollectorMaxPercent") ?? defaults.Authority.CollectorMaxPercent,
                ConfigurationValues.Decimal(settlements, "SupervisorMaxPercent") ?? defaults.Authority.SupervisorMaxPercent,
                ConfigurationValues.Decimal(settlements, "ManagerMaxPercent") ?? defaults.Authority.ManagerMaxPercent),
        };
    }
}
