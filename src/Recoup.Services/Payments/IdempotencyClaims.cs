using Microsoft.EntityFrameworkCore;
using Recoup.Data.Idempotency;
using Recoup.Domain;
using Recoup.Services.Storage;

namespace Recoup.Services.Payments;

/// <summary>
/// Idempotency keys for use cases that run their own transaction (the conversation log, follow-ups),
/// where the key's row cannot be written in the same transaction as the change. The key is claimed
/// first, in a transaction of its own; the use case runs; the response is then remembered under the
/// key (or the claim released when the request was refused, so that it can be corrected and sent
/// again with the same key).
/// </summary>
/// <remarks>
/// A retry therefore never does the work twice. The price, against <see cref="PostPayment"/>'s single
/// transaction: if the process stops between the change and remembering its response, the key stays
/// claimed and a retry answers <see cref="IdempotencyErrors.InFlight"/> instead of the response.
/// </remarks>
public sealed class IdempotencyClaims(RecoupDatabase database, TimeProvider clock)
{
    /// <summary>
    /// Claims the key for this request. Null: the request is the first with the key; do the work, then
    /// <see cref="CompleteAsync"/> or <see cref="ReleaseAsync"/>. A response: the request was done
    /// before; answer that again. An error: the key is in use by a request still running, or was used
    /// for a different request.
    /// </summary>
    public async Task<Result<StoredResponse?>> ClaimAsync(IdempotentRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using (var db = database.CreateContext())
        {
            db.IdempotencyRecords.Add(new IdempotencyRecord { Caller = request.Caller, Key = request.Key, RequestHash = request.RequestHash, CreatedAt = clock.GetUtcNow() });
            try
            {
                await db.SaveChangesAsync(ct);
                return Result<StoredResponse?>.Ok(null);
            }
            catch (DbUpdateException e) when (IdempotencyErrors.IsUniqueViolation(e))
            {
                // Claimed before: replay, or refuse below.
            }
        }

        await using var read = database.CreateContext();
        var stored = await read.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Caller == request.Caller && r.Key == request.Key, ct);
        if (stored is not null && stored.RequestHash != request.RequestHash)
        {
            return new Error(IdempotencyErrors.KeyReused, "This Idempotency-Key was already used for a different request; use a new key for a new request", "Idempotency-Key");
        }

        if (stored is null || stored.StatusCode == 0)
        {
            return new Error(IdempotencyErrors.InFlight, "A request with this Idempotency-Key is still being processed; retry in a moment");
        }

        return Result<StoredResponse?>.Ok(new StoredResponse(stored.StatusCode, stored.ResponseBody));
    }

    /// <summary>Remembers the response of the claimed request, to be answered to every retry.</summary>
    public async Task CompleteAsync(IdempotentRequest request, StoredResponse response, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        await using var db = database.CreateContext();
        await db.IdempotencyRecords.Where(r => r.Caller == request.Caller && r.Key == request.Key)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.StatusCode, response.StatusCode).SetProperty(r => r.ResponseBody, response.Body), ct);
    }

    /// <summary>Forgets the claim of a request that was refused or failed, so the key can be used again.</summary>
    public async Task ReleaseAsync(IdempotentRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var db = database.CreateContext();
        await db.IdempotencyRecords.Where(r => r.Caller == request.Caller && r.Key == request.Key && r.StatusCode == 0).ExecuteDeleteAsync(ct);
    }
}
