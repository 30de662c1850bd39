using Microsoft.Extensions.Options;
using Recoup.Services;
using Recoup.Services.Holds;
using Recoup.Services.Payments;
using Recoup.Services.Storage;

namespace Recoup.Web.Api;

/// <summary>A collection hold: <c>invoice_number</c> null when the whole account is held; <c>in_force</c> today.</summary>
public sealed record CollectionHoldJson(
    string HoldId, string AccountId, string? InvoiceNumber, string Reason, string StartsOn, string EndsOn, string SetBy, DateTimeOffset SetAt,
    string? ReleasedOn, string? ReleasedBy, string? ReleaseReason, bool InForce)
{
    public static CollectionHoldJson From(CollectionHoldView h) => new(
        h.Id.ToString(), h.AccountId.ToString(), h.InvoiceNumber, h.Reason, ApiJson.Date(h.StartsOn), ApiJson.Date(h.EndsOn), h.SetBy, h.SetAt,
        h.ReleasedOn is { } on ? ApiJson.Date(on) : null, h.ReleasedBy, h.ReleaseReason, h.InForce);
}

/// <summary>A hold to set. <c>starts_on</c> defaults to today and may be in the past (a backdated hold); collection resumes on <c>ends_on</c>.</summary>
public sealed record CollectionHoldBody(string? InvoiceNumber, string? Reason, string? StartsOn, string? EndsOn);

/// <summary>Why a hold is released before its end date.</summary>
public sealed record ReleaseBody(string? Reason);

/// <summary>Registers and maps collection holds, credit holds, placements, and fees and interest (one call each from <see cref="ApiEndpoints"/>).</summary>
public static class HoldsAndCharges
{
    public static IServiceCollection AddHoldsAndCharges(this IServiceCollection services)
    {
        services.AddScoped<CollectionHolds>();
        services.AddSingleton(provider => CreditHoldSettings.Load(provider.GetService<IConfiguration>()));
        services.AddScoped<CreditHolds>();
        services.AddScoped<Recoup.Services.Placements.AccountPlacements>();
        services.AddScoped<Recoup.Services.Charges.ChargeTermsBook>();
        services.AddScoped<Recoup.Services.Charges.AccrueFeesAndInterest>();
        services.AddScoped<Recoup.Services.Charges.ChargeFee>();
        services.AddScoped<Components.Holds.HoldMarks>();
        return services;
    }

    public static void MapHoldsAndCharges(this IEndpointRouteBuilder api)
    {
        api.MapCollectionHolds();
        api.MapCreditHolds();
        api.MapPlacements();
        api.MapCharges();
    }
}

/// <summary>Collection holds: <c>/api/accounts/{accountId}/collection-holds</c> and <c>/api/collection-holds/{holdId}/release</c>.</summary>
public static class CollectionHoldEndpoints
{
    private const string Example = "{\"reason\":\"Customer disputes delivery\",\"ends_on\":\"2026-12-15\"}";

    public static void MapCollectionHolds(this IEndpointRouteBuilder api)
    {
        var onAccount = api.MapGroup("/accounts/{accountId}/collection-holds").WithTags("Collection holds");
        onAccount.MapGet("/", ListAsync)
            .WithName("ListCollectionHolds")
            .WithSummary("The account's collection holds, those in force first")
            .Produces<IReadOnlyList<CollectionHoldJson>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        onAccount.MapPost("/", SetAsync)
            .WithName("SetCollectionHold")
            .WithSummary("Pause all collection on the account, or on one invoice, with a reason, until an end date")
            .WithDescription("While in force, the compliance gate refuses every contact about the held account (rule `collection-hold`), or about the held invoice, " +
                "and contacts about the whole account when everything open on it is held; no late fee is charged. `starts_on` may be up to 366 days in the past. " +
                "Collection resumes by itself on `ends_on`. Send an `Idempotency-Key` to make retries safe. Collector, supervisor, manager or admin.")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Workers))
            .Accepts<CollectionHoldBody>("application/json")
            .Produces<CollectionHoldJson>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        api.MapPost("/collection-holds/{holdId}/release", ReleaseAsync)
            .WithTags("Collection holds")
            .WithName("ReleaseCollectionHold")
            .WithSummary("End a collection hold before its end date, with a reason")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Workers))
            .Accepts<ReleaseBody>("application/json")
            .Produces<CollectionHoldJson>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<IResult> ListAsync(string accountId, CollectionHolds holds, CancellationToken ct)
    {
        if (AccountEndpoints.ParseId(accountId) is not { } id)
        {
            return AccountEndpoints.NotFound(accountId);
        }

        var listed = await holds.ListAsync(id, ct);
        return listed.Error is { } error ? ApiProblems.From(error) : TypedResults.Ok(listed.Value.Select(CollectionHoldJson.From).ToList());
    }

    private static async Task<IResult> SetAsync(
        string accountId, HttpContext http, CollectionHolds holds, RecoupDatabase database, IdempotencyClaims claims, TimeProvider clock,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        var options = json.Value.SerializerOptions;
        var (id, _, body, problem) = await AccountRequest.ReadAsync<CollectionHoldBody>(accountId, http, database, options, Example, ct);
        if (problem is not null)
        {
            return problem;
        }

        var query = new QueryReader();
        var today = clock.Today();
        var startsOn = query.Date("starts_on", body!.StartsOn, today);
        if (string.IsNullOrWhiteSpace(body.EndsOn))
        {
            query.Add("ends_on", "The end date is required, like 2026-12-15: collection resumes on it");
        }

        var endsOn = query.Date("ends_on", body.EndsOn, today);
        if (!query.IsValid)
        {
            return query.Problem();
        }

        return await IdempotentWrite.RunAsync(http, claims, body, options, async () =>
        {
            var set = await holds.SetAsync(new SetCollectionHold(id, body.InvoiceNumber, body.Reason, startsOn, endsOn), ApiCaller.Actor(http.User), ct);
            return set.Error is { } error
                ? new Answer(error.Field is null ? ApiProblems.From(error) : BodyFields.Problems([error]))
                : new Answer(null, StatusCodes.Status201Created, CollectionHoldJson.From(set.Value), $"/api/accounts/{id}/collection-holds");
        }, ct);
    }

    private static async Task<IResult> ReleaseAsync(
        string holdId, HttpContext http, CollectionHolds holds, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        if (!Guid.TryParse(holdId, out var id))
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "Hold not found", $"There is no collection hold '{holdId}'", CollectionHolds.NotFound);
        }

        var (body, problem) = await JsonBody.ReadAsync<ReleaseBody>(http, json.Value.SerializerOptions, "{\"reason\":\"Dispute resolved\"}", ct);
        if (problem is not null)
        {
            return problem;
        }

        var released = await holds.ReleaseAsync(id, body!.Reason, ApiCaller.Actor(http.User), ct);
        return released.Error switch
        {
            null => TypedResults.Ok(CollectionHoldJson.From(released.Value)),
            { Field: not null } error => BodyFields.Problems([error]),
            var error => ApiProblems.From(error),
        };
    }
}
