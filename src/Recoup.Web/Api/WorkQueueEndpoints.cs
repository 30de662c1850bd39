using System.Globalization;
using Recoup.Domain.Compliance;
using Recoup.Domain.WorkQueues;
using Recoup.Services.WorkQueues;

namespace Recoup.Web.Api;

public sealed record ContactOptionJson(string Channel, string ContactPointId, string Value);

public sealed record FollowUpDueJson(string Id, string Kind, DateTimeOffset DueAt, string DueLocal, string TimeZone, string? Note, bool Overdue);

/// <summary>The account to work next and how to reach the debtor now.</summary>
/// <param name="Why"><c>follow_up_due</c> (a callback or task of yours is due) or <c>queue</c> (the highest priority not yet worked).</param>
public sealed record NextAccountJson(
    string AccountId,
    string DebtorId,
    string Name,
    MoneyJson Balance,
    int DaysPastDue,
    long? Priority,
    string Why,
    FollowUpDueJson? FollowUp,
    ContactOptionJson Contact);

public sealed record SkippedAccountJson(string AccountId, string DebtorId, IReadOnlyList<ComplianceReasonJson> Reasons, DateTimeOffset? NextAllowedAt);

/// <summary>The answer of <c>GET /api/work-queues/mine/next</c>: <see cref="Next"/> is null when nothing may be worked now.</summary>
/// <param name="Remaining">Accounts in the caller's queue not yet worked today, counted up to 1,000 (1000 means 1,000 or more).</param>
public sealed record NextJson(NextAccountJson? Next, IReadOnlyList<SkippedAccountJson> Skipped, int Remaining);

public sealed record QueueItemJson(string AccountId, string DebtorId, string Name, MoneyJson Balance, long Priority, DateTimeOffset? WorkedAt);

public sealed record QueueJson(string Collector, IReadOnlyList<QueueItemJson> Items, int Remaining, DateTimeOffset? BuiltAt);

public sealed record CollectorLoadJson(string UserName, int Capacity, bool Active, int Kept, int Assigned, int Total);

public sealed record QueueBuildJson(
    DateTimeOffset BuiltAt, int Accounts, int Queued, int Scored, int Assigned, int Kept, int Released, int Restricted, int UnassignedNoRule, int UnassignedCapacity,
    IReadOnlyList<CollectorLoadJson> Collectors, double ElapsedSeconds);

/// <param name="AccountIds">The accounts to move (at most 10,000).</param>
/// <param name="To">The user names of the collectors to spread them over.</param>
public sealed record ReassignBody(IReadOnlyList<string>? AccountIds, IReadOnlyList<string>? To);

public sealed record MoveJson(string AccountId, string? From, string To);

public sealed record NotMovedJson(string AccountId, string Reason);

public sealed record ReassignJson(IReadOnlyList<MoveJson> Moved, IReadOnlyList<NotMovedJson> NotMoved, IReadOnlyList<string> IgnoredTargets);

/// <summary>
/// The collector's queue and "next account", and the supervisor's queue build and bulk moves, under
/// <c>/api/work-queues</c>.
/// </summary>
public static class WorkQueueEndpoints
{
    public static void MapWorkQueues(this IEndpointRouteBuilder api)
    {
        var queues = api.MapGroup("/work-queues").WithTags("Work queues");
        queues.MapGet("/mine/next", NextAsync)
            .WithName("NextAccount")
            .WithSummary("The account you should work next")
            .WithDescription("Your due follow-ups first (overdue first), then your queue by priority, skipping every account the compliance gate " +
                "will not let you contact now; those are listed in `skipped` with the reasons and `next_allowed_at`. `next` is null when nothing may be " +
                "worked now. Logging an interaction on the account takes it out of `next` until the queues are built again. See docs/work-queues.md.")
            .Produces<NextJson>();
        queues.MapGet("/mine", MineAsync)
            .WithName("MyQueue")
            .WithSummary("Your queue, highest priority first")
            .Produces<QueueJson>()
            .ProducesValidationProblem();
        queues.MapPost("/build", BuildAsync)
            .WithName("BuildWorkQueues")
            .WithSummary("Assign accounts by the rules and rebuild every collector's queue")
            .WithDescription("Supervisors, managers and admins. The daily run does this too.")
            .RequireAuthorization(Policies.ManageWorkQueues)
            .Produces<QueueBuildJson>();
        queues.MapPost("/reassign", ReassignAsync)
            .WithName("ReassignAccounts")
            .WithSummary("Move accounts to other collectors in bulk")
            .WithDescription("Spreads the accounts over the collectors named in `to`, highest priority first, round-robin and within capacity. " +
                "Supervisors, managers and admins.")
            .RequireAuthorization(Policies.ManageWorkQueues)
            .Accepts<ReassignBody>("application/json")
            .Produces<ReassignJson>()
            .ProducesValidationProblem();
    }

    private static async Task<IResult> NextAsync(HttpContext http, NextAccount next, TimeProvider clock, CancellationToken ct)
    {
        var result = await next.FindAsync(Collector(http), ApiCaller.Actor(http.User), ct);
        return Results.Ok(ToJson(result, clock.GetUtcNow()));
    }

    /// <summary>Queues belong to user names; a request with an API key works the queue of the key's user.</summary>
    private static string Collector(HttpContext http) => http.User.Identity?.Name ?? ApiCaller.Id(http.User);

    private static NextJson ToJson(NextAccountResult result, DateTimeOffset now)
    {
        NextAccountJson? item = null;
        if (result.Next is { } next)
        {
            var followUp = next.FollowUp is { } f
                ? new FollowUpDueJson(f.Id.ToString(), f.Kind == FollowUpKind.Callback ? "callback" : "task", f.DueAt,
                    f.DueLocal.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture), f.DueTimeZone, f.Note, f.DueAt <= now)
                : null;
            item = new NextAccountJson(next.AccountId.ToString(), next.DebtorId, next.Name, MoneyJson.From(next.Balance), next.DaysPastDue, next.Priority,
                next.Why == NextReason.FollowUpDue ? "follow_up_due" : "queue", followUp,
                new ContactOptionJson(ContactChannels.Name(next.Contact.Channel), next.Contact.ContactPointId.ToString(), next.Contact.Value));
        }

        return new NextJson(item,
            result.Skipped.Select(s => new SkippedAccountJson(s.AccountId.ToString(), s.DebtorId,
                s.Reasons.Select(r => new ComplianceReasonJson(r.Rule, r.Citation, r.Message)).ToList(), s.NextAllowedAt)).ToList(),
            result.Remaining);
    }

    private static async Task<IResult> MineAsync(HttpContext http, QueueListing listing, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > QueueListing.MaxLimit)
        {
            return ApiProblems.Invalid("limit", $"The limit must lie within 1 and {QueueListing.MaxLimit}");
        }

        var collector = Collector(http);
        var page = await listing.ListAsync(collector, limit ?? 50, ct);
        var items = page.Items.Select(i => new QueueItemJson(i.AccountId.ToString(), i.DebtorId, i.Name, MoneyJson.From(i.Balance), i.Priority, i.WorkedAt)).ToList();
        return Results.Ok(new QueueJson(collector, items, page.Remaining, page.BuiltAt));
    }

    private static async Task<IResult> BuildAsync(HttpContext http, BuildWorkQueues build, CancellationToken ct)
    {
        var result = await build.RunAsync(ApiCaller.Actor(http.User), ct: ct);
        return Results.Ok(new QueueBuildJson(result.BuiltAt, result.Accounts, result.Queued, result.Scored, result.Assigned, result.Kept, result.Released, result.Restricted,
            result.UnassignedNoRule, result.UnassignedCapacity,
            result.Collectors.Select(c => new CollectorLoadJson(c.UserName, c.Capacity, c.Active, c.Kept, c.Assigned, c.Total)).ToList(),
            Math.Round(result.Elapsed.TotalSeconds, 3)));
    }

    private static async Task<IResult> ReassignAsync(ReassignBody? body, HttpContext http, ReassignAccounts reassign, CancellationToken ct)
    {
        var ids = new List<Guid>();
        foreach (var text in body?.AccountIds ?? [])
        {
            if (!Guid.TryParse(text, out var id))
            {
                return ApiProblems.Invalid("account_ids", $"'{text}' is not an account id");
            }

            ids.Add(id);
        }

        var result = await reassign.RunAsync(new ReassignRequest(ids, body?.To ?? []), ApiCaller.Actor(http.User), ct);
        if (!result.IsSuccess)
        {
            return ApiProblems.From(result.Error!);
        }

        var moved = result.Value;
        return Results.Ok(new ReassignJson(
            moved.Moves.Select(m => new MoveJson(m.AccountId.ToString(), m.From, m.To)).ToList(),
            moved.NotMoved.Select(n => new NotMovedJson(n.AccountId.ToString(), n.Reason.Code())).ToList(),
            moved.IgnoredTargets));
    }
}
