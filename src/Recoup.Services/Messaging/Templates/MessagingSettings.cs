using Microsoft.Extensions.Configuration;

namespace Recoup.Services.Messaging.Templates;

/// <summary>
/// Who the messages come from and where their links point (configuration sections <c>Recoup:Company</c> and
/// <c>Recoup:Messaging</c>; docs/templates.md lists the keys).
/// </summary>
public sealed record MessagingSettings
{
    public string CompanyName { get; init; } = "Recoup Collections";
    public string CompanyAddress { get; init; } = "100 Main Street, Springfield, IL 62701";
    public string CompanyPhone { get; init; } = "(800) 555-0100";
    public string CompanyEmail { get; init; } = "collections@example.com";

    /// <summary>When people answer the phone, as a sentence in English (<c>Hours</c>) and Spanish (<c>HoursEs</c>).</summary>
    public string CompanyHours { get; init; } = "Monday to Friday, 8 a.m. to 8 p.m. Central Time";

    public string CompanyHoursEs { get; init; } = "de lunes a viernes, de 8 a. m. a 8 p. m., hora del centro";

    /// <summary>The creditor named on accounts when no client is recorded (an in-house team is its own creditor).</summary>
    public string? Creditor { get; init; }

    /// <summary>The public address of the web application, for the portal and opt-out links (no trailing slash).</summary>
    public string PublicBaseUrl { get; init; } = "http://127.0.0.1:5080";

    /// <summary>The name signed under messages when the account has no collector.</summary>
    public string DefaultCollector { get; init; } = "Collections team";

    public string PortalUrl => $"{PublicBaseUrl}/portal";

    /// <summary>The link that opts the recipient out of the medium of one message.</summary>
    public string OptOutUrl(Guid messageId) => $"{PublicBaseUrl}/opt-out/{messageId:D}";

    public static MessagingSettings Load(IConfiguration? configuration)
    {
        var settings = new MessagingSettings();
        if (configuration is null)
        {
            return settings;
        }

        var company = configuration.GetSection("Recoup:Company");
        var messaging = configuration.GetSection("Recoup:Messaging");
        return settings with
        {
            CompanyName = company["Name"] ?? settings.CompanyName,
            CompanyAddress = company["Address"] ?? settings.CompanyAddress,
            CompanyPhone = company["Phone"] ?? settings.CompanyPhone,
            CompanyEmail = company["Email"] ?? settings.CompanyEmail,
            CompanyHours = company["Hours"] ?? settings.CompanyHours,
            CompanyHoursEs = company["HoursEs"] ?? settings.CompanyHoursEs,
            Creditor = company["Creditor"] ?? settings.Creditor,
            DefaultCollector = company["DefaultCollector"] ?? settings.DefaultCollector,
            PublicBaseUrl = (messaging["PublicBaseUrl"] ?? settings.PublicBaseUrl).TrimEnd('/'),
        };
    }
}
