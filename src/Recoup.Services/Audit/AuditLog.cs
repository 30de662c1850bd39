using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Recoup.Data.Audit;
using Recoup.Services.Accounts;
using Recoup.Services.Storage;

namespace Recoup.Services.Audit;

/// <summary>The kinds of thing the audit log records changes to.</summary>
public static class AuditEntities
{
    public const string Account = "account";

    /// <summary>A debtor, by the creditor's debtor id: what is about the person rather than one account (e.g. a compliance exception for every account).</summary>
    public const string Debtor = "debtor";
}

/// <summary>One audit record as the log shows it; <see cref="Before"/> and <see cref="After"/> are JSON.</summary>
public sealed record AuditEntry(Guid Id, DateTimeOffset At, string Actor, string Action, string Entity, string EntityId, string? Before, string? After);

/// <summary>A page of the audit log, newest first; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Items, string? NextCursor);

/// <summary>Reads the append-only audit log (the auditor's screen and <c>GET /api/audit</c>), and builds its records.</summary>
public sealed class AuditLog(RecoupDatabase database)
{
    public const int MaxLimit = 200;
    private const string Sort = "audit";

    /// <summary>Whether a cursor is one <see cref="ListAsync"/> returned.</summary>
    public static bool IsValidCursor(string? cursor) => cursor is null || PageCursor.TryDecode(cursor, Sort) is not null;

    /// <summary>The records, newest first, optionally only those about one entity (<c>account</c>) or one thing (its id).</summary>
    public async Task<AuditPage> ListAsync(string? entity, string? entityId, string? cursor, int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);
        var after = cursor is null ? null : PageCursor.TryDecode(cursor, Sort) ?? throw new ArgumentException("The cursor is not one the audit log returned", nameof(cursor));

        await using var db = database.CreateContext();
        var query = db.AuditLog.AsNoTracking();
        if (!string.IsNullOrEmpty(entity))
        {
            query = query.Where(a => a.Entity == entity);
        }

        if (!string.IsNullOrEmpty(entityId))
        {
            query = query.Where(a => a.EntityId == entityId);
        }

        // Ids are version 7 GUIDs, created with the record: ordering by id is ordering by time.
        if (after is not null)
        {
            var last = after.Id;
            query = query.Where(a => a.Id < last);
        }

        var rows = await query.OrderByDescending(a => a.Id).Take(limit + 1).ToListAsync(ct);
        var page = rows.Take(limit).Select(a => new AuditEntry(a.Id, a.At, a.Actor, a.Action, a.Entity, a.EntityId, a.Before, a.After)).ToList();
        var next = rows.Count > limit ? new PageCursor(Sort, "", page[^1].Id).Encode() : null;
        return new AuditPage(page, next);
    }

    /// <summary>A new record; <paramref name="before"/> and <paramref name="after"/> are serialised as snake_case JSON.</summary>
    public static AuditRecord Record(DateTimeOffset at, string actor, string action, string entity, string entityId, object? before, object? after) => new()
    {
        Id = Guid.CreateVersion7(at),
        At = at,
        Actor = actor,
        Action = action,
        Entity = entity,
        EntityId = entityId,
        Before = before is null ? null : JsonSerializer.Serialize(before, Json),
        After = after is null ? null : JsonSerializer.Serialize(after, Json),
    };

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
