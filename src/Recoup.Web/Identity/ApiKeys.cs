using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Data.Identity;
using Recoup.Services.Audit;

namespace Recoup.Web.Identity;

/// <summary>
/// Creates and checks API keys. A key looks like <c>rk_1a2b3c4d5e6f_…</c>: the part up to the second
/// underscore is its prefix (stored, to find it); the whole key is stored only as a SHA-256 hash.
/// Keys are 256 random bits, so a fast hash is safe here (unlike passwords).
/// </summary>
public sealed class ApiKeys(RecoupDbContext db, TimeProvider clock)
{
    private const string Lead = "rk_";

    /// <summary>Creates a key for the user and returns it in clear — the only time it is ever shown.</summary>
    public async Task<string> CreateAsync(RecoupUser user, string name, CancellationToken cancellationToken = default, string actor = "system")
    {
        var prefix = Lead + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var key = $"{prefix}_{secret}";
        db.ApiKeys.Add(new ApiKey
        {
            Id = Guid.CreateVersion7(clock.GetUtcNow()),
            UserId = user.Id,
            Name = name,
            Prefix = prefix,
            Hash = Hash(key),
            CreatedAt = clock.GetUtcNow(),
        });
        db.AuditLog.Add(AuditLog.Record(clock.GetUtcNow(), actor, "api_key.created", "user", user.Id, null, new { user = user.UserName, name, prefix }));
        await db.SaveChangesAsync(cancellationToken);
        return key;
    }

    /// <summary>The stored key matching a presented one, unless unknown or revoked.</summary>
    public async Task<ApiKey?> FindAsync(string presented, CancellationToken cancellationToken = default)
    {
        var underscore = presented.IndexOf('_', Lead.Length);
        if (!presented.StartsWith(Lead, StringComparison.Ordinal) || underscore < 0)
        {
            return null;
        }

        var prefix = presented[..underscore];
        var stored = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Prefix == prefix, cancellationToken);
        return stored is not null && stored.RevokedAt is null && CryptographicOperations.FixedTimeEquals(stored.Hash, Hash(presented))
            ? stored
            : null;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
