using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Recoup.Services.Webhooks;

/// <summary>
/// The signature on every webhook delivery (docs/webhooks.md): HMAC-SHA256, keyed with the UTF-8 bytes
/// of the subscription's secret, over <c>{Webhook-Id}.{Webhook-Timestamp}.{body}</c>, sent base64-encoded
/// as <c>Webhook-Signature: v1,{signature}</c>.
/// </summary>
public static class WebhookSignature
{
    public const string IdHeader = "Webhook-Id";
    public const string TimestampHeader = "Webhook-Timestamp";
    public const string SignatureHeader = "Webhook-Signature";

    /// <summary>The base64 HMAC-SHA256 of <c>{id}.{timestamp}.{body}</c> with <paramref name="secret"/>.</summary>
    public static string Sign(string secret, string id, long timestamp, string body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var content = Encoding.UTF8.GetBytes($"{id}.{timestamp.ToString(CultureInfo.InvariantCulture)}.{body}");
        return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), content));
    }

    /// <summary>The header value: <c>v1,{signature}</c>.</summary>
    public static string Header(string secret, string id, long timestamp, string body) => $"v1,{Sign(secret, id, timestamp, body)}";

    /// <summary>Whether a <c>Webhook-Signature</c> header (one or more space-separated <c>v1,…</c> values) holds the right signature; compared in constant time.</summary>
    public static bool Verify(string secret, string id, long timestamp, string body, string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, id, timestamp, body));
        foreach (var part in header.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith("v1,", StringComparison.Ordinal) && CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(part[3..])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A new secret: <c>whsec_</c> and 32 random bytes in base64url.</summary>
    public static string NewSecret() =>
        "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
