using System.Globalization;
using Microsoft.Extensions.Options;
using Recoup.Domain;
using Recoup.Domain.WorkQueues;
using Recoup.Services.Payments;
using Recoup.Services.WorkQueues;

namespace Recoup.Web.Api;

/// <summary>
/// A callback or task. <c>due_at</c> is the instant (UTC); <c>due_local</c> the wall-clock time agreed
/// in <c>time_zone</c>; <c>overdue</c> whether it is open and its instant has passed.
/// </summary>
public sealed record FollowUpJson(
    string FollowUpId,
    string AccountId,
    string DebtorId,
    string DebtorName,
    FollowUpKind Kind,
    FollowUpState State,
    DateTimeOffset DueAt,
    string DueLocal,
    string TimeZone,
    bool Overdue,
    string Owner,
    string? Note,
    string? OriginInteractionId,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    string? ClosedBy,
    DateTimeOffset? ClosedAt)
{
    public static FollowUpJson From(FollowUpItem item)
    {
        var f = item.FollowUp;
        return new(f.Id.ToString(), f.AccountId.ToString(), item.DebtorId, item.DebtorName, f.Kind, f.State, f.DueAt,
            f.DueLocal.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture), f.DueTimeZone, item.Overdue, f.Owner, f.Note, f.Origin?.ToString(),
            f.CreatedBy, f.CreatedAt, f.ClosedBy, f.ClosedAt);
    }
}

/// <summary>A follow-up to schedule.</summary>
/// <param name="Kind"><c>callback</c> or <c>task</c>.</param>
/// <param name="DueLocal">The wall-clock time it is due, without an offset: <c>2026-11-24T10:30</c>.</param>
/// <param name="TimeZone">The IANA zone of <paramref name="DueLocal"/>; default the debtor's, when the debtor has exactly one.</param>
/// <param name="Owner">The user name of who must do it; default the caller.</param>
/// <param name="OriginInteractionId">The conversation in which it was agreed.</param>
public sealed record FollowUpBody(string? Kind, string? DueLocal, string? TimeZone, string? Owner, string? Note, string? OriginInteractionId);

/// <summary>How a follow-up is closed: <c>done</c> or <c>cancelled</c>.</summary>
public sealed record CloseFollowUpBody(string? State);

/// <summary>Follow-ups: <c>/api/accounts/{accountId}/follow-ups</c>, <c>/api/follow-ups/mine</c> and <c>/api/follow-ups/{id}/close</c>.</summary>
public static class FollowUpEndpoints
{
    private const string Example = "{\"kind\":\"callback\",\"due_local\":\"2026-11-24T10:30\",\"time_zone\":\"America/Chicago\"}";
    private static readonly string[] LocalFormats = ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"];

    public static void MapFollowUps(this IEndpointRouteBuilder api)
    {
        var onAccount = api.MapGroup("/accounts/{accountId}/follow-ups").WithTags("Follow-ups");
        onAccount.MapGet("/", ListForAccountAsync)
            .WithName("ListAccountFollowUps")
            .WithSummary("The account's follow-ups: open ones by due time, then closed ones, most recently closed first")
            .Produces<PageJson<FollowUpJson>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        onAccount.MapPost("/", ScheduleAsync)
            .WithName("ScheduleFollowUp")
            .WithSummary("Schedule a callback or task at a local time in the debtor's zone")
            .WithDescription("`due_local` is a wall-clock time in `time_zone`; without `time_zone` the debtor's is used when the debtor has exactly one, " +
                "otherwise the error lists the possible zones. A time skipped by a daylight-saving change is refused; a repeated one means the first. " +
                "Send an `Idempotency-Key` to make retries safe. Collector, supervisor, manager or admin.")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Workers))
            .Accepts<FollowUpBody>("application/json")
            .Produces<FollowUpJson>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        var followUps = api.MapGroup("/follow-ups").WithTags("Follow-ups");
        followUps.MapGet("/mine", MineAsync)
            .WithName("ListMyFollowUps")
            .WithSummary("The caller's open follow-ups: overdue ones first, then by due time")
            .Produces<PageJson<FollowUpJson>>();

        followUps.MapPost("/{followUpId}/close", CloseAsync)
            .WithName("CloseFollowUp")
            .WithSummary("Mark a follow-up done or cancelled")
            .WithDescription("Closing one that is already closed is 409. Collector, supervisor, manager or admin.")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Workers))
            .Accepts<CloseFollowUpBody>("application/json")
            .Produces<FollowUpJson>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
    }

    private static async Task<IResult> ListForAccountAsync(string accountId, FollowUps followUps, CancellationToken ct)
    {
        if (AccountEndpoints.ParseId(accountId) is not { } id)
        {
            return AccountEndpoints.NotFound(accountId);
        }

        var listed = await followUps.ListForAccountAsync(id, ct);
        return listed.Error is { } error ? ApiProblems.From(error) : TypedResults.Ok(Page(listed.Value));
    }

    private static async Task<IResult> MineAsync(HttpContext http, FollowUps followUps, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok(Page(await followUps.ListForOwnerAsync(http.User.Identity?.Name ?? "", clock.GetUtcNow(), ct)));

    private static async Task<IResult> ScheduleAsync(
        string accountId, HttpContext http, FollowUps followUps, IdempotencyClaims claims, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        if (AccountEndpoints.ParseId(accountId) is not { } id)
        {
            return AccountEndpoints.NotFound(accountId);
        }

        var options = json.Value.SerializerOptions;
        var (body, problem) = await JsonBody.ReadAsync<FollowUpBody>(http, options, Example, ct);
        if (problem is not null)
        {
            return problem;
        }

        var query = new QueryReader();
        var kind = BodyFields.Required<FollowUpKind>(query, "kind", body!.Kind);
        var dueLocal = default(DateTime);
        if (string.IsNullOrWhiteSpace(body.DueLocal))
        {
            query.Add("due_local", "The local date and time it is due is required, like 2026-11-24T10:30");
        }
        else if (!DateTime.TryParseExact(body.DueLocal.Trim(), LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out dueLocal))
        {
            query.Add("due_local", $"'{body.DueLocal}' is not a local date and time like 2026-11-24T10:30 (no offset: the zone is time_zone)");
        }

        InteractionId? origin = null;
        if (!string.IsNullOrWhiteSpace(body.OriginInteractionId))
        {
            if (Guid.TryParse(body.OriginInteractionId, out var guid))
            {
                origin = new InteractionId(guid);
            }
            else
            {
                query.Add("origin_interaction_id", $"'{body.OriginInteractionId}' is not an interaction id");
            }
        }

        if (!query.IsValid)
        {
            return query.Problem();
        }

        var owner = string.IsNullOrWhiteSpace(body.Owner) ? http.User.Identity?.Name ?? "" : body.Owner;
        var request = new ScheduleFollowUp(id, kind!.Value, dueLocal, body.TimeZone, owner, body.Note, origin);
        return await IdempotentWrite.RunAsync(http, claims, body, options, async () =>
        {
            var scheduled = await followUps.ScheduleAsync(request, ApiCaller.Actor(http.User), ct);
            if (scheduled.Error is { } error)
            {
                return new Answer(error.Field is null ? ApiProblems.From(error) : BodyFields.Problems([error], f => f == "due_at" ? "due_local" : f));
            }

            return new Answer(null, StatusCodes.Status201Created, FollowUpJson.From(scheduled.Value), $"/api/accounts/{id}/follow-ups");
        }, ct);
    }

    private static async Task<IResult> CloseAsync(
        string followUpId, HttpContext http, FollowUps followUps, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        if (!Guid.TryParse(followUpId, out var id))
        {
            return NotFound(followUpId);
        }

        var (body, problem) = await JsonBody.ReadAsync<CloseFollowUpBody>(http, json.Value.SerializerOptions, "{\"state\":\"done\"}", ct);
        if (problem is not null)
        {
            return problem;
        }

        var query = new QueryReader();
        var state = body!.State is "done" ? FollowUpState.Done : body.State is "cancelled" ? FollowUpState.Cancelled : (FollowUpState?)null;
        if (state is null)
        {
            query.Add("state", string.IsNullOrWhiteSpace(body.State) ? "The state is required: done or cancelled" : $"'{body.State}' is not done or cancelled");
            return query.Problem();
        }

        var closed = await followUps.CloseAsync(new FollowUpId(id), state.Value, ApiCaller.Actor(http.User), ct);
        return closed.Error switch
        {
            null => TypedResults.Ok(FollowUpJson.From(closed.Value)),
            { Code: FollowUps.NotFound } => NotFound(followUpId),
            { Code: FollowUps.ConcurrentClose } error => ApiProblems.Problem(StatusCodes.Status409Conflict, "The follow-up is already closed", error.Message, error.Code),
            var error => BodyFields.Problems([error]),
        };
    }

    private static PageJson<FollowUpJson> Page(IReadOnlyList<FollowUpItem> items) => new(items.Select(FollowUpJson.From).ToList(), null);

    private static IResult NotFound(string followUpId) =>
        ApiProblems.Problem(StatusCodes.Status404NotFound, "Follow-up not found", $"There is no follow-up '{followUpId}'", FollowUps.NotFound);
}
