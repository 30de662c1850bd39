using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Recoup.Services.Payments;

/// <summary>
/// A request that carries an <c>Idempotency-Key</c>: who sent it, the key, and a hash of what was
/// asked, so a retry is recognised and a different request under the same key is refused.
/// </summary>
/// <param name="Caller">Who sent it (the user id): keys are scoped per caller.</param>
public sealed record IdempotentRequest(string Caller, string Key, string RequestHash)
{
    public const int MaxKeyLength = 128;

    /// <summary>SHA-256 (hex) of the parts that make two requests "the same": method, path and body.</summary>
    public static string Hash(params string[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts))));
}

/// <summary>The response remembered for a key, to be returned again for every retry.</summary>
public sealed record StoredResponse(int StatusCode, string Body);

/// <summary>What an idempotent operation produced: the first time a value and its response; a retry, the remembered response only.</summary>
public sealed record IdempotentOutcome<T>(T? Value, StoredResponse Response, bool Replayed);

/// <summary>Error codes of idempotency, shared by every money-moving operation.</summary>
public static class IdempotencyErrors
{
    /// <summary>The key was used before with a different request (HTTP 422).</summary>
    public const string KeyReused = "idempotency_key_reused";

    /// <summary>A request with the key is still being processed (HTTP 409).</summary>
    public const string InFlight = "idempotency_in_flight";

    /// <summary>Whether the database refused a row because its key exists (the idempotency key, or a ledger sequence).</summary>
    public static bool IsUniqueViolation(DbUpdateException exception) => exception.InnerException switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 1555 or 2067,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
