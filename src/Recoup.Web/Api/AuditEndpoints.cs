using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Recoup.Services.Audit;

namespace Recoup.Web.Api;

/// <summary>One change: who, when, what, and the state before and after (JSON objects).</summary>
public sealed record AuditJson(string Id, DateTimeOffset At, string Actor, string Action, string Entity, string EntityId, JsonElement? Before, JsonElement? After);

/// <summary><c>GET /api/audit</c>: the append-only audit log, newest first (auditor and admin roles).</summary>
public static class AuditEndpoints
{
    public static void MapAudit(this IEndpointRouteBuilder api)
    {
        api.MapGet("/audit", ListAsync)
            .WithTags("Audit")
            .WithName("ListAudit")
            .WithSummary("The audit log, newest first, optionally for one entity")
            .WithDescription("Every change: who (user, and API key when one was used), when, the action (e.g. `payment.posted`), the entity and its id, and the state before and after. Requires the auditor or admin role.")
            .RequireAuthorization(Policies.ReadAudit)
            .ProducesValidationProblem();
    }

    private static async Task<Results<Ok<PageJson<AuditJson>>, ProblemHttpResult>> ListAsync(
        AuditLog audit,
        [Description("Only records about this kind of entity, e.g. account.")] string? entity,
        [FromQuery(Name = "entity_id"), Description("Only records about this entity id, e.g. an account id.")] string? entityId,
        [Description("The next_cursor of the previous page.")] string? cursor,
        [Description("Records per page, 1 to 200; default 50.")] string? limit,
        CancellationToken ct)
    {
        var query = new QueryReader();
        var size = query.Limit(limit, 50, AuditLog.MaxLimit);
        if (!AuditLog.IsValidCursor(cursor))
        {
            query.Add("cursor", "The cursor is not one this list returned; start again without a cursor");
        }

        if (!query.IsValid)
        {
            return query.Problem();
        }

        var page = await audit.ListAsync(entity, entityId, cursor, size, ct);
        return TypedResults.Ok(new PageJson<AuditJson>(
            page.Items.Select(a => new AuditJson(a.Id.ToString(), a.At, a.Actor, a.Action, a.Entity, a.EntityId, Parse(a.Before), Parse(a.After))).ToList(),
            page.NextCursor));
    }

    private static JsonElement? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
