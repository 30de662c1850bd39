using Microsoft.Extensions.Configuration;
using Recoup.Domain.Debtors;
using Recoup.Formats.Nacha;

namespace Recoup.Services.Ach;

/// <summary>
/// Who Recoup's ACH files come from and go to (configuration section <c>Recoup:Ach</c>), and the fee
/// charged when a debit is returned, per kind of debt where the terms allow one
/// (<c>Recoup:Ach:ReturnFee:Commercial</c> = <c>25.00</c>; none by default for consumer and medical debts).
/// </summary>
public sealed record AchSettings(NachaOriginator Originator, IReadOnlyDictionary<DebtType, decimal> ReturnFees)
{
    public const string SectionName = "Recoup:Ach";

    /// <summary>A test originator (the Federal Reserve's routing number as destination) for development; configure your bank's values in production.</summary>
    public static AchSettings Default { get; } = new(
        new NachaOriginator("011000015", "1234567890", "FEDERAL RESERVE BANK", "RECOUP COLLECTIONS", "RECOUP", "1234567890", "01100001"),
        new Dictionary<DebtType, decimal> { [DebtType.Commercial] = 25m });

    public static AchSettings Load(IConfiguration? configuration)
    {
        var section = configuration?.GetSection(SectionName);
        if (section is null || !section.Exists())
        {
            return Default;
        }

        var o = Default.Originator;
        var fees = new Dictionary<DebtType, decimal>(Default.ReturnFees);
        foreach (var type in Enum.GetValues<DebtType>())
        {
            if (ConfigurationValues.Decimal(section.GetSection("ReturnFee"), type.ToString()) is { } fee)
            {
                fees[type] = fee;
            }
        }

        return new AchSettings(
            new NachaOriginator(
                section["ImmediateDestination"] ?? o.ImmediateDestination, section["ImmediateOrigin"] ?? o.ImmediateOrigin,
                section["DestinationName"] ?? o.DestinationName, section["OriginName"] ?? o.OriginName,
                section["CompanyName"] ?? o.CompanyName, section["CompanyId"] ?? o.CompanyId, section["Odfi"] ?? o.Odfi),
            fees);
    }
}
