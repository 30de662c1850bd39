using Recoup.Data.Outbox;
using Recoup.Services.Messaging.Dispatch;

namespace Recoup.Web.Api;

/// <summary>An outbox message as supervisors see it.</summary>
public sealed record OutboxItemJson(
    string Id, string Channel, string Purpose, string Recipient, string? Subject, string Status, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset NotBefore,
    DateTimeOffset? SentAt, string? LastError, string? AccountId, string? Template, int? TemplateVersion, string? Language)
{
    public static OutboxItemJson From(OutboxItem m) => new(
        m.Id.ToString(), ApiJson.Name(m.Channel), m.Purpose, m.Recipient, m.Subject, ApiJson.Name(m.Status), m.Attempts, m.CreatedAt, m.NotBefore, m.SentAt, m.LastError,
        m.AccountId?.ToString(), m.TemplateKey, m.TemplateVersion, m.Language);
}

/// <summary>A page of the outbox; <c>next_before</c> continues it.</summary>
public sealed record OutboxPageJson(IReadOnlyList<OutboxItemJson> Items, string? NextBefore, IReadOnlyDictionary<string, int> Counts);

/// <summary>One message with its text and tries.</summary>
public sealed record OutboxDetailJson(OutboxItemJson Message, string Body, string? HtmlBody, IReadOnlyList<DeliveryAttemptJson> Tries);

/// <summary>What one dispatch pass did.</summary>
public sealed record DispatchJson(int Claimed, int Sent, int Retried, int Failed, int Blocked, int Rescheduled);

/// <summary>
/// The outbox for supervisors: <c>GET /api/outbox</c> (filter by <c>status</c> and <c>channel</c>),
/// <c>GET /api/outbox/{id}</c> with the text and the delivery log, and <c>POST /api/outbox/dispatch</c>
/// to deliver what is due now (administrators; the background dispatcher does it anyway).
/// </summary>
public static class OutboxEndpoints
{
    /// <summary>Every messaging endpoint: the outbox, webhook subscriptions, inbound texts.</summary>
    public static void MapMessaging(this IEndpointRouteBuilder api)
    {
        api.MapOutbox();
        api.MapWebhooks();
        api.MapSms();
    }

    public static void MapOutbox(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/outbox").WithTags("Messaging");
        group.MapGet("", ListAsync)
            .RequireAuthorization(Policies.ManageWorkQueues)
            .WithName("Outbox")
            .WithSummary("Outbox messages, newest first")
            .WithDescription("`status`: pending, sending, sent, failed, blocked, cancelled; `channel`: email, sms, letter, webhook, payment_instruction, ach_file; " +
                "`limit` 1–200 (default 50); `before`: the `next_before` of the previous page. Supervisors, managers and admins.")
            .Produces<OutboxPageJson>()
            .ProducesValidationProblem();
        group.MapGet("/{id}", async (string id, OutboxListing outbox, CancellationToken ct) =>
                Guid.TryParse(id, out var guid) && await outbox.GetAsync(guid, ct) is { IsSuccess: true } found
                    ? Results.Ok(new OutboxDetailJson(OutboxItemJson.From(found.Value.Item), found.Value.Body, found.Value.HtmlBody, [.. found.Value.Tries.Select(DeliveryAttemptJson.From)]))
                    : ApiProblems.Problem(StatusCodes.Status404NotFound, "Message not found", $"There is no outbox message {id}", "outbox_message_not_found"))
            .RequireAuthorization(Policies.ManageWorkQueues)
            .WithName("OutboxMessage")
            .WithSummary("One outbox message with its text and delivery log")
            .Produces<OutboxDetailJson>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/dispatch", async (OutboxDispatcher dispatcher, CancellationToken ct) =>
            {
                var run = await dispatcher.DrainAsync(ct);
                return Results.Ok(new DispatchJson(run.Claimed, run.Sent, run.Retried, run.Failed, run.Blocked, run.Rescheduled));
            })
            .RequireAuthorization(Policies.Administer)
            .WithName("DispatchOutbox")
            .WithSummary("Deliver the e-mail, texts and webhooks due now")
            .WithDescription("The same pass the background dispatcher of `recoup serve` makes (and `recoup outbox dispatch --once`): claims, gate, send, record. Administrators.")
            .Produces<DispatchJson>();
    }

    private static async Task<IResult> ListAsync(string? status, string? channel, string? before, int? limit, OutboxListing outbox, CancellationToken ct)
    {
        var query = new QueryReader();
        OutboxStatus? s = null;
        OutboxChannel? c = null;
        Guid? b = null;
        if (!string.IsNullOrEmpty(status))
        {
            s = Enum.GetValues<OutboxStatus>().Cast<OutboxStatus?>().FirstOrDefault(v => ApiJson.Name(v!.Value) == status);
            if (s is null)
            {
                query.Add("status", $"'{status}' is not a status; use {string.Join(", ", Enum.GetValues<OutboxStatus>().Select(v => ApiJson.Name(v)))}");
            }
        }

        if (!string.IsNullOrEmpty(channel))
        {
            c = Enum.GetValues<OutboxChannel>().Cast<OutboxChannel?>().FirstOrDefault(v => ApiJson.Name(v!.Value) == channel);
            if (c is null)
            {
                query.Add("channel", $"'{channel}' is not a channel; use {string.Join(", ", Enum.GetValues<OutboxChannel>().Select(v => ApiJson.Name(v)))}");
            }
        }

        if (!string.IsNullOrEmpty(before))
        {
            if (Guid.TryParse(before, out var parsed))
            {
                b = parsed;
            }
            else
            {
                query.Add("before", "Pass the next_before of the previous page");
            }
        }

        if (limit is < 1 or > OutboxListing.MaxLimit)
        {
            query.Add("limit", $"The limit is from 1 to {OutboxListing.MaxLimit}");
        }

        if (!query.IsValid)
        {
            return query.Problem();
        }

        var page = await outbox.ListAsync(s, c, b, limit ?? 50, ct);
        return Results.Ok(new OutboxPageJson(
            [.. page.Items.Select(OutboxItemJson.From)], page.NextBefore?.ToString(), page.Counts.ToDictionary(p => ApiJson.Name(p.Key), p => p.Value)));
    }
}
