using System.Buffers.Text;
using System.Text;

namespace Recoup.Services.Accounts;

/// <summary>
/// An opaque position in a keyset-paginated list: the sort it belongs to, the sort key of the last
/// row returned and that row's id, written as URL-safe base64. Clients pass it back unchanged.
/// </summary>
public sealed record PageCursor(string Sort, string Key, Guid Id)
{
    private const char Separator = '\u001f';

    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join(Separator, Sort, Key, Id.ToString("N"))));

    /// <summary>Decodes a cursor made by <see cref="Encode"/> for the same sort; null when it is not one.</summary>
    public static PageCursor? TryDecode(string? text, string sort)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 1_000)
        {
            return null;
        }

        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split(Separator);
            return parts.Length == 3 && parts[0] == sort && Guid.TryParseExact(parts[2], "N", out var id)
                ? new PageCursor(parts[0], parts[1], id)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
