using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Recoup.Services.Messaging.Email;

/// <summary>How a connection to the SMTP server is secured.</summary>
public enum SmtpTls
{
    /// <summary>Plain text (a relay on the same host, a test server).</summary>
    None,

    /// <summary>Plain connection upgraded with STARTTLS, which must be offered (port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    Tls,

    /// <summary>STARTTLS when the server offers it, else plain.</summary>
    Auto,
}

/// <summary>
/// The SMTP server e-mail leaves through, from the configuration section <c>Recoup:Smtp</c> (docs/messaging.md):
/// <c>Host</c> (no e-mail is sent while it is empty), <c>Port</c> (default 587), <c>Tls</c> (<c>none</c>,
/// <c>starttls</c>, <c>tls</c>, <c>auto</c>; default <c>starttls</c>), <c>User</c> and <c>Password</c> (no
/// authentication when empty), <c>From</c> (the sender address) and <c>FromName</c>, <c>TimeoutSeconds</c> (default 30).
/// </summary>
public sealed record SmtpSettings
{
    public const string Section = "Recoup:Smtp";

    public string? Host { get; init; }

    public int Port { get; init; } = 587;

    public SmtpTls Tls { get; init; } = SmtpTls.StartTls;

    public string? User { get; init; }

    public string? Password { get; init; }

    public string From { get; init; } = "collections@recoup.invalid";

    public string FromName { get; init; } = "Recoup";

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    /// <exception cref="InvalidOperationException">A value is invalid; the message names the key.</exception>
    public static SmtpSettings Load(IConfiguration? configuration)
    {
        var section = configuration?.GetSection(Section);
        if (section is null)
        {
            return new SmtpSettings();
        }

        var settings = new SmtpSettings
        {
            Host = string.IsNullOrWhiteSpace(section["Host"]) ? null : section["Host"]!.Trim(),
            User = string.IsNullOrWhiteSpace(section["User"]) ? null : section["User"],
            Password = section["Password"],
        };
        if (ConfigurationValues.Int(section, "Port") is { } port)
        {
            settings = port is > 0 and < 65536 ? settings with { Port = port } : throw new InvalidOperationException($"{Section}:Port must be from 1 to 65535");
        }

        if (section["Tls"] is { Length: > 0 } tls)
        {
            settings = settings with
            {
                Tls = tls.ToLowerInvariant() switch
                {
                    "none" => SmtpTls.None,
                    "starttls" => SmtpTls.StartTls,
                    "tls" or "ssl" => SmtpTls.Tls,
                    "auto" => SmtpTls.Auto,
                    _ => throw new InvalidOperationException($"{Section}:Tls must be none, starttls, tls or auto, not '{tls}'"),
                },
            };
        }

        if (section["From"] is { Length: > 0 } from)
        {
            settings = MimeKit.MailboxAddress.TryParse(from, out _)
                ? settings with { From = from }
                : throw new InvalidOperationException($"{Section}:From is not an e-mail address: '{from}'");
        }

        if (section["FromName"] is { Length: > 0 } name)
        {
            settings = settings with { FromName = name };
        }

        if (ConfigurationValues.Int(section, "TimeoutSeconds") is { } seconds)
        {
            settings = settings with { Timeout = TimeSpan.FromSeconds(Math.Max(1, seconds)) };
        }

        return settings;
    }

    /// <summary>The domain of the sender address, which the Message-ID of every e-mail ends with.</summary>
    public string Domain => From.Split('@') is [_, var domain] && domain.Length > 0 ? domain.ToLower(CultureInfo.InvariantCulture) : "recoup.invalid";
}
