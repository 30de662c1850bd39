using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Recoup.Services;

/// <summary>Numbers read from configuration: absent is null (the caller's default); present but wrong is an error naming the key, never a silent default.</summary>
public static class ConfigurationValues
{
    public static int? Int(IConfigurationSection section, string key) =>
        section[key] is not { } text ? null
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value
        : throw new InvalidOperationException($"{section.Path}:{key} must be a whole number of at least 0, not '{text}'");

    public static decimal? Decimal(IConfigurationSection section, string key) =>
        section[key] is not { } text ? null
        : decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value
        : throw new InvalidOperationException($"{section.Path}:{key} must be a number of at least 0, not '{text}'");
}
