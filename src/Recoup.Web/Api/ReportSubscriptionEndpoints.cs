using Microsoft.Extensions.Options;
using Recoup.Data.Identity;
using Recoup.Services.Reporting;

namespace Recoup.Web.Api;

/// <summary>A subscription to create: an e-mail address, <c>weekly</c> or <c>monthly</c>, and the pack's filter (blank is "all").</summary>
public sealed record ReportSubscriptionBody(string? Email, string? Pack, string? Collector, string? DebtType, string? Currency);

/// <summary>A subscription as listed.</summary>
public sealed record ReportSubscriptionJson(string Id, string Email, string Pack, string? Collector, string? DebtType, string? Currency, string Filter, bool Active, DateTimeOffset CreatedAt, string CreatedBy)
{
    public static ReportSubscriptionJson From(ReportSubscriptionView s) => new(
        s.Id.ToString(), s.Email, s.PackName, s.Filter.Collector, s.Filter.DebtType?.ToString().ToLowerInvariant(), s.Filter.Currency?.Code, s.Filter.Describe(), s.Active, s.CreatedAt, s.CreatedBy);
}

/// <summary>
/// The report packs' e-mail subscribers (docs/reports.md, "Delivery by e-mail"): <c>GET</c>, <c>POST</c> and
/// <c>DELETE /api/report-subscriptions</c>. Managers and administrators.
/// </summary>
public static class ReportSubscriptionEndpoints
{
    internal static readonly string[] Managers = [Roles.Manager, Roles.Admin];

    public static void MapReportSubscriptions(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/report-subscriptions").WithTags("Reports").RequireAuthorization(p => p.RequireRole(Managers));
        group.MapGet("", async (bool? include_removed, ReportSubscriptions subscriptions, CancellationToken ct) =>
                TypedResults.Ok((await subscriptions.ListAsync(include_removed ?? false, ct)).Select(ReportSubscriptionJson.From).ToList()))
            .WithName("ReportSubscriptions")
            .WithSummary("Who receives the report packs by e-mail")
            .WithDescription("The active subscriptions; `include_removed=true` lists the removed ones too.");
        group.MapPost("", CreateAsync)
            .WithName("CreateReportSubscription")
            .WithSummary("Send a report pack to an e-mail address after each period")
            .WithDescription("`pack` is `weekly` (sent each Monday for the week to Sunday) or `monthly` (sent on the 1st for the month before); " +
                "`collector`, `debt_type` and `currency` filter the pack as on the Reports screen (leave them out for the whole portfolio). " +
                "The e-mail carries the pack's PDF and XLSX. See docs/reports.md.")
            .Accepts<ReportSubscriptionBody>("application/json")
            .Produces<ReportSubscriptionJson>(StatusCodes.Status201Created)
            .ProducesValidationProblem();
        group.MapDelete("/{id}", async (string id, HttpContext http, ReportSubscriptions subscriptions, CancellationToken ct) =>
            {
                if (!Guid.TryParse(id, out var guid))
                {
                    return NotFound(id);
                }

                var removed = await subscriptions.RemoveAsync(guid, ApiCaller.Actor(http.User), ct);
                return removed.Error is { } error
                    ? error.Code == ReportSubscriptions.NotFound ? NotFound(id) : ApiProblems.From(error)
                    : Results.Ok(ReportSubscriptionJson.From(removed.Value));
            })
            .WithName("RemoveReportSubscription")
            .WithSummary("Stop sending a report pack to a subscriber")
            .WithDescription("The subscription is kept, marked removed (`active: false`), so the e-mails already sent stay traceable to it. Removing twice is harmless.")
            .Produces<ReportSubscriptionJson>()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static IResult NotFound(string id) =>
        ApiProblems.Problem(StatusCodes.Status404NotFound, "Subscription not found", $"There is no report subscription {id}", ReportSubscriptions.NotFound);

    private static async Task<IResult> CreateAsync(HttpContext http, ReportSubscriptions subscriptions, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        var (body, invalid) = await JsonBody.ReadAsync<ReportSubscriptionBody>(http, json.Value.SerializerOptions,
            "{\"email\":\"finance@example.com\",\"pack\":\"monthly\",\"currency\":\"USD\"}", ct, "subscription");
        if (invalid is not null)
        {
            return invalid;
        }

        var created = await subscriptions.CreateAsync(new NewReportSubscription(body!.Email, body.Pack, body.Collector, body.DebtType, body.Currency), ApiCaller.Actor(http.User), ct);
        if (created.Error is { } error)
        {
            return ApiProblems.From(error);
        }

        var view = ReportSubscriptionJson.From(created.Value);
        return TypedResults.Created($"/api/report-subscriptions/{view.Id}", view);
    }
}
