using System.Globalization;
using Microsoft.Extensions.Options;
using Recoup.Domain;
using Recoup.Domain.Conversations;
using Recoup.Services.Contacts;
using Recoup.Services.Conversations;
using Recoup.Services.Payments;

namespace Recoup.Web.Api;

/// <summary>One entry of the conversation log. <c>corrects</c> names the entry this one corrects; the corrected one stays as it was.</summary>
public sealed record InteractionJson(
    string InteractionId,
    string DebtorId,
    IReadOnlyList<string> AccountIds,
    InteractionChannel Channel,
    DateTimeOffset OccurredAt,
    string? ContactPointId,
    PartyReached Party,
    InteractionOutcome Outcome,
    DelinquencyReason? Reason,
    string? Notes,
    string? Corrects,
    string RecordedBy,
    DateTimeOffset RecordedAt)
{
    public static InteractionJson From(Interaction i, string debtorId) => new(
        i.Id.ToString(), debtorId, i.AccountIds.Select(a => a.ToString()).ToList(), i.Channel, i.OccurredAt, i.ContactPointId?.ToString(), i.Party, i.Outcome,
        i.Reason, i.Notes, i.Corrects?.ToString(), i.RecordedBy, i.RecordedAt);
}

/// <summary>An interaction to record.</summary>
/// <param name="Channel"><c>outbound_call</c>, <c>inbound_call</c>, <c>email_sent</c>, <c>email_received</c>, <c>letter_sent</c>, <c>sms_sent</c>, <c>sms_received</c>, <c>portal_action</c> or <c>note</c>.</param>
/// <param name="OccurredAt">When it happened (ISO 8601 with an offset); default now; not in the future.</param>
/// <param name="AccountIds">The debtor's accounts the conversation was about (at least one).</param>
/// <param name="Party"><c>debtor</c>, <c>third_party</c>, <c>attorney</c> or <c>none</c> (default).</param>
/// <param name="Outcome"><c>right_party_contact</c>, <c>wrong_party</c>, <c>no_answer</c>, … or <c>none</c> (default, for notes and messages).</param>
/// <param name="Reason">The reason for delinquency learned, if any: <c>job_loss</c>, <c>medical</c>, …</param>
/// <param name="Corrects">The id of the entry this one corrects.</param>
public sealed record InteractionBody(
    string? Channel, string? OccurredAt, string? ContactPointId, IReadOnlyList<string>? AccountIds, string? Party, string? Outcome, string? Reason, string? Notes, string? Corrects);

/// <summary>
/// <c>/api/debtors/{debtorId}/interactions</c>: the conversation log. Entries are immutable, so there
/// is no PUT or DELETE: a correction is a new entry whose <c>corrects</c> names the old one.
/// </summary>
public static class InteractionEndpoints
{
    private const string Example = "{\"channel\":\"outbound_call\",\"account_ids\":[\"…\"],\"contact_point_id\":\"…\",\"party\":\"debtor\",\"outcome\":\"promise_made\"}";

    public static void MapInteractions(this IEndpointRouteBuilder api)
    {
        var log = api.MapGroup("/debtors/{debtorId}/interactions").WithTags("Conversation log");

        log.MapGet("/", ListAsync)
            .WithName("ListInteractions")
            .WithSummary("The debtor's conversation log, newest first")
            .Produces<PageJson<InteractionJson>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        log.MapGet("/{interactionId}", GetAsync)
            .WithName("GetInteraction")
            .WithSummary("One entry of the conversation log")
            .Produces<InteractionJson>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        log.MapPost("/", RecordAsync)
            .WithName("RecordInteraction")
            .WithSummary("Record a call, message, letter, portal action or note")
            .WithDescription("In one transaction: the entry, the accounts' reason for delinquency, the summaries' last contact, the number's status " +
                "(a disconnected number or a wrong party marks it), a cease request, the work queue's worked mark and each account's timeline. " +
                "Entries cannot be changed or deleted: to correct one, record a new entry with `corrects`. Send an `Idempotency-Key` to make retries safe. " +
                "Collector, supervisor, manager or admin.")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Workers))
            .Accepts<InteractionBody>("application/json")
            .Produces<InteractionJson>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<IResult> ListAsync(string debtorId, ConversationLog log, ContactPoints points, CancellationToken ct)
    {
        var entries = await log.ListAsync(debtorId, ct);
        if (entries.Count == 0 && (await points.ListAsync(debtorId, ct)).Error is { } missing)
        {
            return ApiProblems.From(missing);
        }

        return TypedResults.Ok(new PageJson<InteractionJson>(entries.Select(e => InteractionJson.From(e, debtorId)).ToList(), null));
    }

    private static async Task<IResult> GetAsync(string debtorId, string interactionId, ConversationLog log, CancellationToken ct)
    {
        var entry = Guid.TryParse(interactionId, out var id) ? (await log.ListAsync(debtorId, ct)).FirstOrDefault(e => e.Id.Value == id) : null;
        return entry is null
            ? ApiProblems.Problem(StatusCodes.Status404NotFound, "Interaction not found", $"Debtor '{debtorId}' has no interaction '{interactionId}'", "interaction_not_found")
            : TypedResults.Ok(InteractionJson.From(entry, debtorId));
    }

    private static async Task<IResult> RecordAsync(
        string debtorId, HttpContext http, ConversationLog log, IdempotencyClaims claims, TimeProvider clock,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        var options = json.Value.SerializerOptions;
        var (body, problem) = await JsonBody.ReadAsync<InteractionBody>(http, options, Example, ct);
        if (problem is not null)
        {
            return problem;
        }

        var query = new QueryReader();
        var channel = BodyFields.Required<InteractionChannel>(query, "channel", body!.Channel);
        var party = query.Enum<PartyReached>("party", body.Party) ?? PartyReached.None;
        var outcome = query.Enum<InteractionOutcome>("outcome", body.Outcome) ?? InteractionOutcome.None;
        var reason = query.Enum<DelinquencyReason>("reason", body.Reason);
        var occurredAt = clock.GetUtcNow();
        if (body.OccurredAt is not null && !DateTimeOffset.TryParse(body.OccurredAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out occurredAt))
        {
            query.Add("occurred_at", $"'{body.OccurredAt}' is not a date and time like 2026-11-23T15:10:00Z");
        }

        var accounts = new List<AccountId>();
        foreach (var text in body.AccountIds ?? [])
        {
            if (AccountEndpoints.ParseId(text ?? "") is { } account)
            {
                accounts.Add(account);
            }
            else
            {
                query.Add("account_ids", $"'{text}' is not an account id");
            }
        }

        var point = Id(query, "contact_point_id", body.ContactPointId, g => new ContactPointId(g));
        var corrects = Id(query, "corrects", body.Corrects, g => new InteractionId(g));
        if (!query.IsValid)
        {
            return query.Problem();
        }

        var draft = new InteractionDraft(accounts, channel!.Value, occurredAt, point, party, outcome, reason, body.Notes, corrects);
        return await IdempotentWrite.RunAsync(http, claims, body, options, async () =>
        {
            var recorded = await log.RecordAsync(debtorId, draft, ApiCaller.Actor(http.User), ct);
            if (recorded.Error is { } error)
            {
                // A wrong account or contact point in the body is a bad field (400), not an unknown address (404).
                return new Answer(error.Field is null || error.Code == ContactPoints.DebtorNotFound ? ApiProblems.From(error) : BodyFields.Problems([error]));
            }

            var entry = recorded.Value;
            return new Answer(null, StatusCodes.Status201Created, InteractionJson.From(entry, debtorId),
                $"/api/debtors/{Uri.EscapeDataString(debtorId)}/interactions/{entry.Id}");
        }, ct);
    }

    private static TId? Id<TId>(QueryReader query, string field, string? text, Func<Guid, TId> make)
        where TId : struct
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (Guid.TryParse(text, out var guid))
        {
            return make(guid);
        }

        query.Add(field, $"'{text}' is not an id");
        return null;
    }
}
