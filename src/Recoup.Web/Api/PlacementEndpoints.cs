using Microsoft.Extensions.Options;
using Recoup.Domain.Compliance;
using Recoup.Domain.Holds;
using Recoup.Services.Payments;
using Recoup.Services.Placements;
using Recoup.Services.Storage;

namespace Recoup.Web.Api;

/// <summary>A placement with an attorney or agency; <c>allowed_channels</c> are the contacts Recoup may still make while it is active.</summary>
public sealed record PlacementJson(
    string PlacementId, string AccountId, PlacementKind Kind, string PlacedWith, string PlacedOn, MoneyJson PlacedBalance, decimal FeePercent, string? FeeTerms,
    IReadOnlyList<string> AllowedChannels, PlacementStatus Status, string StatusSince, bool Active, string PlacedBy, DateTimeOffset PlacedAt, DateTimeOffset? EndedAt, string? Note)
{
    public static PlacementJson From(PlacementView p) => new(
        p.Id.ToString(), p.AccountId.ToString(), p.Kind, p.PlacedWith, ApiJson.Date(p.PlacedOn), MoneyJson.From(p.PlacedBalance), p.FeePercent, p.FeeTerms,
        p.AllowedChannels.Select(ContactChannels.Name).ToList(), p.Status, ApiJson.Date(p.StatusSince), p.Active, p.PlacedBy, p.PlacedAt, p.EndedAt, p.Note);
}

/// <summary>An account to place: <c>kind</c> attorney or agency; <c>fee_percent</c> a decimal string; <c>placed_on</c> defaults to today.</summary>
public sealed record PlacementBody(string? Kind, string? PlacedWith, string? PlacedOn, string? FeePercent, string? FeeTerms, IReadOnlyList<string>? AllowedChannels, string? Note);

/// <summary>A placement's new status: <c>in_suit</c>, <c>judgment</c>, <c>recalled</c> or <c>returned</c>.</summary>
public sealed record PlacementStatusBody(string? Status, string? Note);

/// <summary>Placements: <c>/api/accounts/{accountId}/placements</c>, <c>/api/placements/{id}/status</c> and <c>/api/placements/{id}/recall</c>.</summary>
public static class PlacementEndpoints
{
    private const string Example = "{\"kind\":\"attorney\",\"placed_with\":\"Lex & Partners LLP\",\"fee_percent\":\"33.3\"}";

    public static void MapPlacements(this IEndpointRouteBuilder api)
    {
        var onAccount = api.MapGroup("/accounts/{accountId}/placements").WithTags("Placements");
        onAccount.MapGet("/", ListAsync)
            .WithName("ListPlacements")
            .WithSummary("The account's placements, newest first")
            .Produces<IReadOnlyList<PlacementJson>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        onAccount.MapPost("/", PlaceAsync)
            .WithName("PlaceAccount")
            .WithSummary("Place the account with an attorney or an outside agency")
            .WithDescription("The placed balance is the account's balance now. While placed (placed, in suit, judgment) the compliance gate refuses every contact " +
                "except on `allowed_channels` (rule `placed-with-agency`); payments are still posted. Raises `account.placed` for webhook subscribers. " +
                "Send an `Idempotency-Key` to make retries safe. Supervisor, manager or admin.")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Supervisors))
            .Accepts<PlacementBody>("application/json")
            .Produces<PlacementJson>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        var placements = api.MapGroup("/placements/{placementId}").WithTags("Placements");
        placements.MapPost("/status", StatusAsync)
            .WithName("ChangePlacementStatus")
            .WithSummary("Move a placement on (in_suit, judgment) or end it (recalled, returned)")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Supervisors))
            .Accepts<PlacementStatusBody>("application/json")
            .Produces<PlacementJson>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        placements.MapPost("/recall", RecallAsync)
            .WithName("RecallPlacement")
            .WithSummary("Recall the account from the attorney or agency: collection resumes in Recoup")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Supervisors))
            .Accepts<ReleaseBody>("application/json")
            .Produces<PlacementJson>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> ListAsync(string accountId, AccountPlacements placements, CancellationToken ct)
    {
        if (AccountEndpoints.ParseId(accountId) is not { } id)
        {
            return AccountEndpoints.NotFound(accountId);
        }

        var listed = await placements.ListAsync(id, ct);
        return listed.Error is { } error ? ApiProblems.From(error) : TypedResults.Ok(listed.Value.Select(PlacementJson.From).ToList());
    }

    private static async Task<IResult> PlaceAsync(
        string accountId, HttpContext http, AccountPlacements placements, RecoupDatabase database, IdempotencyClaims claims,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        var options = json.Value.SerializerOptions;
        var (id, _, body, problem) = await AccountRequest.ReadAsync<PlacementBody>(accountId, http, database, options, Example, ct);
        if (problem is not null)
        {
            return problem;
        }

        var query = new QueryReader();
        var kind = BodyFields.Required<PlacementKind>(query, "kind", body!.Kind);
        DateOnly? placedOn = body.PlacedOn is null ? null : query.Date("placed_on", body.PlacedOn, default);
        var fee = query.Decimal("fee_percent", body.FeePercent) ?? 0m;
        var channels = new List<ContactChannel>();
        foreach (var name in body.AllowedChannels ?? [])
        {
            if (ContactChannels.Parse(name) is { } channel)
            {
                channels.Add(channel);
            }
            else
            {
                query.Add("allowed_channels", $"'{name}' is not call, sms, email or letter");
            }
        }

        if (!query.IsValid)
        {
            return query.Problem();
        }

        var request = new PlaceAccount(id, kind!.Value, body.PlacedWith, placedOn, fee, body.FeeTerms, channels, body.Note);
        return await IdempotentWrite.RunAsync(http, claims, body, options, async () =>
        {
            var placed = await placements.PlaceAsync(request, ApiCaller.Actor(http.User), ct);
            return placed.Error is { } error
                ? new Answer(error.Field is null ? ApiProblems.From(error) : BodyFields.Problems([error]))
                : new Answer(null, StatusCodes.Status201Created, PlacementJson.From(placed.Value), $"/api/accounts/{id}/placements");
        }, ct);
    }

    private static async Task<IResult> StatusAsync(
        string placementId, HttpContext http, AccountPlacements placements, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<PlacementStatusBody>(http, json.Value.SerializerOptions, "{\"status\":\"in_suit\"}", ct);
        if (problem is not null)
        {
            return problem;
        }

        var query = new QueryReader();
        var status = BodyFields.Required<PlacementStatus>(query, "status", body!.Status);
        return query.IsValid ? await ChangeAsync(placementId, status!.Value, body.Note, http, placements, ct) : query.Problem();
    }

    private static async Task<IResult> RecallAsync(
        string placementId, HttpContext http, AccountPlacements placements, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<ReleaseBody>(http, json.Value.SerializerOptions, "{\"reason\":\"Debtor settled with us\"}", ct);
        return problem ?? await ChangeAsync(placementId, PlacementStatus.Recalled, body!.Reason, http, placements, ct);
    }

    private static async Task<IResult> ChangeAsync(string placementId, PlacementStatus status, string? note, HttpContext http, AccountPlacements placements, CancellationToken ct)
    {
        if (!Guid.TryParse(placementId, out var id))
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "Placement not found", $"There is no placement '{placementId}'", AccountPlacements.NotFound);
        }

        var changed = await placements.ChangeStatusAsync(id, status, note, ApiCaller.Actor(http.User), ct);
        return changed.Error switch
        {
            null => TypedResults.Ok(PlacementJson.From(changed.Value)),
            { Field: not null } error => BodyFields.Problems([error]),
            var error => ApiProblems.From(error),
        };
    }
}
