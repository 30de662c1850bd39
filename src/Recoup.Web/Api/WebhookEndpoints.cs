using Microsoft.Extensions.Options;
using Recoup.Data.Messaging;
using Recoup.Services.Webhooks;

namespace Recoup.Web.Api;

/// <summary>A subscription to create.</summary>
public sealed record WebhookSubscriptionBody(string? Url, IReadOnlyList<string>? EventTypes, string? Description);

/// <summary>A subscription as listed: never its secret.</summary>
public sealed record WebhookSubscriptionJson(string Id, string Url, IReadOnlyList<string> EventTypes, string? Description, bool Active, DateTimeOffset CreatedAt, string CreatedBy)
{
    public static WebhookSubscriptionJson From(WebhookSubscriptionView s) => new(s.Id.ToString(), s.Url, s.EventTypes, s.Description, s.Active, s.CreatedAt, s.CreatedBy);
}

/// <summary>A new subscription with its signing secret, returned this once.</summary>
public sealed record CreatedWebhookSubscriptionJson(WebhookSubscriptionJson Subscription, string Secret);

/// <summary>One try at delivering.</summary>
public sealed record DeliveryAttemptJson(int Number, DateTimeOffset StartedAt, int DurationMs, string Outcome, int? StatusCode, string? Error, string Node)
{
    public static DeliveryAttemptJson From(DeliveryAttempt a) => new(a.Number, a.StartedAt, a.DurationMs, a.Outcome, a.StatusCode, a.Error, a.Node);
}

/// <summary>One event delivered (or being delivered) to a subscription, with its tries.</summary>
public sealed record WebhookDeliveryJson(
    string Id, string SubscriptionId, string EventType, string EventId, string Url, string Status, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset NextTryAt,
    DateTimeOffset? SentAt, string? LastError, IReadOnlyList<DeliveryAttemptJson> Tries)
{
    public static WebhookDeliveryJson From(WebhookDeliveryView d) => new(
        d.MessageId.ToString(), d.SubscriptionId.ToString(), d.EventType, d.EventId, d.Url, d.Status.ToString().ToLowerInvariant(), d.Attempts, d.CreatedAt, d.NotBefore,
        d.SentAt, d.LastError, [.. d.Tries.Select(DeliveryAttemptJson.From)]);
}

/// <summary>
/// Webhook subscriptions and their delivery log (docs/webhooks.md): <c>/api/webhooks/subscriptions</c>,
/// <c>/api/webhooks/subscriptions/{id}/deactivate</c>, <c>/api/webhooks/subscriptions/{id}/deliveries</c>,
/// <c>/api/webhooks/deliveries/{id}</c> and its <c>/replay</c>. Administrators only.
/// </summary>
public static class WebhookEndpoints
{
    public static void MapWebhooks(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/webhooks").WithTags("Webhooks").RequireAuthorization(Policies.Administer);
        group.MapPost("/subscriptions", CreateAsync)
            .WithName("CreateWebhookSubscription")
            .WithSummary("Subscribe an endpoint to event types")
            .WithDescription("Returns the subscription and its signing `secret`, shown this once. `url` must be https (http only for a loopback receiver); " +
                "`event_types` are among `dispute.opened`, `dispute.resolved`, `credit_hold.changed`, `account.placed`, `payment.posted`, `promise.broken`. See docs/webhooks.md.")
            .Accepts<WebhookSubscriptionBody>("application/json")
            .Produces<CreatedWebhookSubscriptionJson>(StatusCodes.Status201Created)
            .ProducesValidationProblem();
        group.MapGet("/subscriptions", async (WebhookSubscriptions subscriptions, CancellationToken ct) =>
                TypedResults.Ok((await subscriptions.ListAsync(ct)).Select(WebhookSubscriptionJson.From).ToList()))
            .WithName("WebhookSubscriptions")
            .WithSummary("Every subscription, the active first (never the secrets)");
        group.MapGet("/subscriptions/{id}", async (string id, WebhookSubscriptions subscriptions, CancellationToken ct) =>
                Guid.TryParse(id, out var guid) && await subscriptions.GetAsync(guid, ct) is { IsSuccess: true } found
                    ? Results.Ok(WebhookSubscriptionJson.From(found.Value))
                    : NotFound(id))
            .WithName("WebhookSubscription")
            .WithSummary("One subscription")
            .Produces<WebhookSubscriptionJson>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/subscriptions/{id}/deactivate", async (string id, HttpContext http, WebhookSubscriptions subscriptions, CancellationToken ct) =>
            {
                if (!Guid.TryParse(id, out var guid))
                {
                    return NotFound(id);
                }

                var done = await subscriptions.DeactivateAsync(guid, ApiCaller.Actor(http.User), ct);
                return done.Error is { } error ? ApiProblems.From(error) : Results.Ok(WebhookSubscriptionJson.From(done.Value));
            })
            .WithName("DeactivateWebhookSubscription")
            .WithSummary("Stop deliveries to a subscription")
            .WithDescription("No new event is queued for it and what is still waiting is cancelled. Deactivating twice is harmless.")
            .Produces<WebhookSubscriptionJson>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/subscriptions/{id}/deliveries", async (string id, int? limit, WebhookSubscriptions subscriptions, CancellationToken ct) =>
            {
                if (!Guid.TryParse(id, out var guid))
                {
                    return NotFound(id);
                }

                var log = await subscriptions.DeliveriesAsync(guid, limit ?? 50, ct);
                return log.Error is { } error ? ApiProblems.From(error) : Results.Ok(log.Value.Select(WebhookDeliveryJson.From).ToList());
            })
            .WithName("WebhookDeliveries")
            .WithSummary("The delivery log of a subscription, newest first")
            .WithDescription("Each event with its status and every try: outcome, HTTP status, duration, error. `limit` 1–500, default 50.")
            .Produces<List<WebhookDeliveryJson>>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/deliveries/{id}", async (string id, WebhookSubscriptions subscriptions, CancellationToken ct) =>
                Guid.TryParse(id, out var guid) && await subscriptions.DeliveryAsync(guid, ct) is { IsSuccess: true } found
                    ? Results.Ok(WebhookDeliveryJson.From(found.Value))
                    : ApiProblems.Problem(StatusCodes.Status404NotFound, "Delivery not found", $"There is no webhook delivery {id}", WebhookSubscriptions.DeliveryNotFound))
            .WithName("WebhookDelivery")
            .WithSummary("One delivery with its tries")
            .Produces<WebhookDeliveryJson>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/deliveries/{id}/replay", async (string id, HttpContext http, WebhookSubscriptions subscriptions, CancellationToken ct) =>
            {
                if (!Guid.TryParse(id, out var guid))
                {
                    return ApiProblems.Problem(StatusCodes.Status404NotFound, "Delivery not found", $"There is no webhook delivery {id}", WebhookSubscriptions.DeliveryNotFound);
                }

                var replayed = await subscriptions.ReplayAsync(guid, ApiCaller.Actor(http.User), ct);
                return replayed.Error is { } error
                    ? error.Code == "webhook_delivery_in_progress" || error.Code == "webhook_subscription_inactive"
                        ? ApiProblems.Problem(StatusCodes.Status409Conflict, "Cannot replay now", error.Message, error.Code)
                        : ApiProblems.From(error)
                    : Results.Accepted($"/api/webhooks/deliveries/{guid}", WebhookDeliveryJson.From(replayed.Value));
            })
            .WithName("ReplayWebhookDelivery")
            .WithSummary("Send a delivered, failed or cancelled event again")
            .WithDescription("Back in the outbox, due now, with a fresh count of tries; the event keeps its id (`Webhook-Id`). A delivery still pending or sending is 409.")
            .Produces<WebhookDeliveryJson>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static IResult NotFound(string id) =>
        ApiProblems.Problem(StatusCodes.Status404NotFound, "Subscription not found", $"There is no webhook subscription {id}", WebhookSubscriptions.NotFound);

    private static async Task<IResult> CreateAsync(HttpContext http, WebhookSubscriptions subscriptions, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        var (body, invalid) = await JsonBody.ReadAsync<WebhookSubscriptionBody>(http, json.Value.SerializerOptions,
            "{\"url\":\"https://crm.example.com/hooks/recoup\",\"event_types\":[\"payment.posted\"]}", ct, "subscription");
        if (invalid is not null)
        {
            return invalid;
        }

        var created = await subscriptions.CreateAsync(new NewWebhookSubscription(body!.Url ?? "", body.EventTypes ?? [], body.Description), ApiCaller.Actor(http.User), ct);
        if (created.Error is { } error)
        {
            return ApiProblems.From(error);
        }

        var view = WebhookSubscriptionJson.From(created.Value.Subscription);
        return TypedResults.Created($"/api/webhooks/subscriptions/{view.Id}", new CreatedWebhookSubscriptionJson(view, created.Value.Secret));
    }
}
