using System.ComponentModel;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Recoup.Domain;
using Recoup.Domain.Compliance;
using Recoup.Services.Compliance;

namespace Recoup.Web.Api;

/// <summary>An intended contact, as a dialer or a sending path asks about it.</summary>
/// <param name="DebtorId">The creditor's debtor id (<c>D-0000001</c>).</param>
/// <param name="AccountId">The account (debt) the contact is about.</param>
/// <param name="Channel"><c>call</c>, <c>sms</c>, <c>email</c> or <c>letter</c>.</param>
/// <param name="ContactPointId">The number or address to be used.</param>
/// <param name="At">When the contact would be made (ISO 8601 with offset); default now.</param>
public sealed record ComplianceCheckBody(string? DebtorId, string? AccountId, string? Channel, string? ContactPointId, string? At);

public sealed record ComplianceReasonJson(string Rule, string Citation, string Message);

/// <summary>The gate's answer; <see cref="NextAllowedAt"/> is when the same contact would be allowed (null when allowed now, or never).</summary>
public sealed record ComplianceDecisionJson(bool Allowed, IReadOnlyList<ComplianceReasonJson> Reasons, DateTimeOffset? NextAllowedAt);

/// <summary>A manager's documented exception to a compliance rule, as a client asks for it.</summary>
/// <param name="DebtorId">The creditor's debtor id (<c>D-0000001</c>).</param>
/// <param name="AccountId">The only account it applies to; omit for every account of the debtor.</param>
/// <param name="Rule">The rule's id: <c>attorney-represented</c>, <c>workplace-contact</c>, <c>inconvenient-time</c>, <c>call-frequency</c> or <c>call-after-conversation</c>.</param>
/// <param name="Channel">The only medium it applies to (<c>call</c>, <c>sms</c>, <c>email</c>, <c>letter</c>); omit for every medium.</param>
/// <param name="ContactPointId">The only number or address it applies to; omit for any.</param>
/// <param name="ValidFrom">When it starts (ISO 8601 with offset); default now. Not in the past.</param>
/// <param name="ValidUntil">When it ends (exclusive), at most 30 days after it starts.</param>
/// <param name="Documentation">Why, in at least 20 characters: who agreed to what, when and how.</param>
public sealed record ComplianceExceptionBody(
    string? DebtorId, string? AccountId, string? Rule, string? Channel, string? ContactPointId, string? ValidFrom, string? ValidUntil, string? Documentation);

/// <summary>A documented exception; <see cref="Status"/> is <c>scheduled</c>, <c>in_force</c>, <c>ended</c> or <c>revoked</c> at the time of the answer.</summary>
public sealed record ComplianceExceptionJson(
    string ExceptionId,
    string DebtorId,
    string? AccountId,
    string Rule,
    string Citation,
    string? Channel,
    string? ContactPointId,
    DateTimeOffset ValidFrom,
    DateTimeOffset ValidUntil,
    string Documentation,
    string GrantedBy,
    DateTimeOffset GrantedAt,
    DateTimeOffset? RevokedAt,
    string? RevokedBy,
    string Status)
{
    public static ComplianceExceptionJson From(ExceptionGrantView view, DateTimeOffset now)
    {
        var g = view.Grant;
        var status = g.RevokedAt is not null && g.RevokedAt < g.ValidUntil ? "revoked"
            : g.ValidUntil <= now ? "ended"
            : g.ValidFrom > now ? "scheduled"
            : "in_force";
        return new(g.Id.ToString(), view.DebtorId, g.AccountId?.ToString(), g.Rule, ComplianceRules.Find(g.Rule)?.Citation ?? "",
            g.Channel is { } channel ? ContactChannels.Name(channel) : null, g.ContactPointId?.ToString(), g.ValidFrom, g.ValidUntil, g.Documentation,
            g.GrantedBy, g.GrantedAt, g.RevokedAt, g.RevokedBy, status);
    }
}

/// <summary>
/// <c>POST /api/compliance/check</c>: may this contact be made, and if not, why and when.
/// <c>/api/compliance/exceptions</c>: managers' documented exceptions — record, list, revoke.
/// </summary>
public static class ComplianceEndpoints
{
    private const string InstantExample = "2026-11-23T15:00:00-05:00";

    public static void MapCompliance(this IEndpointRouteBuilder api)
    {
        var exceptions = api.MapGroup("/compliance/exceptions").WithTags("Compliance");

        exceptions.MapPost("/", GrantAsync)
            .WithName("GrantComplianceException")
            .WithSummary("Record a manager's documented exception to a compliance rule")
            .WithDescription("Only for rules that allow one (attorney-represented, workplace-contact, inconvenient-time, call-frequency, call-after-conversation), " +
                "for at most 30 days, with at least 20 characters of documentation. While in force, the check no longer blocks on that rule for the debtor " +
                "(and the account, channel and contact point it names), and records which exception allowed the contact. Requires the manager or admin role. See docs/compliance.md.")
            .RequireAuthorization(Policies.GrantComplianceException)
            .Accepts<ComplianceExceptionBody>("application/json")
            .Produces<ComplianceExceptionJson>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        exceptions.MapGet("/", ListAsync)
            .WithName("ListComplianceExceptions")
            .WithSummary("A debtor's compliance exceptions, newest first, revoked and ended ones included")
            .Produces<PageJson<ComplianceExceptionJson>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        exceptions.MapPost("/{exceptionId}/revoke", RevokeAsync)
            .WithName("RevokeComplianceException")
            .WithSummary("Revoke a compliance exception, which ends it now")
            .WithDescription("The exception stays on record with who revoked it and when. Requires the manager or admin role.")
            .RequireAuthorization(Policies.GrantComplianceException)
            .Produces<ComplianceExceptionJson>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/compliance/check", CheckAsync)
            .WithTags("Compliance")
            .WithName("CheckCompliance")
            .WithSummary("Ask the compliance gate whether a contact may be made")
            .WithDescription("Every reason a contact is blocked (rule, legal citation, plain-language message) and the earliest time the same contact " +
                "would be allowed. The decision is recorded on the account's timeline and in the audit log. See docs/compliance.md.")
            .Accepts<ComplianceCheckBody>("application/json")
            .Produces<ComplianceDecisionJson>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> CheckAsync(ComplianceCheckBody? body, HttpContext http, ComplianceCheck check, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(body?.DebtorId))
        {
            errors["debtor_id"] = ["Give the debtor's id."];
        }

        var accountId = Guid.TryParse(body?.AccountId, out var account) ? account : (Guid?)null;
        if (accountId is null)
        {
            errors["account_id"] = [$"'{body?.AccountId}' is not an account id."];
        }

        var pointId = Guid.TryParse(body?.ContactPointId, out var point) ? point : (Guid?)null;
        if (pointId is null)
        {
            errors["contact_point_id"] = [$"'{body?.ContactPointId}' is not a contact point id."];
        }

        var channel = ContactChannels.Parse(body?.Channel);
        if (channel is null)
        {
            errors["channel"] = [$"'{body?.Channel}' is not a channel; use call, sms, email or letter."];
        }

        var at = clock.GetUtcNow();
        if (!string.IsNullOrWhiteSpace(body?.At) && !DateTimeOffset.TryParse(body.At, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at))
        {
            errors["at"] = [$"'{body.At}' is not a date and time like 2026-11-23T15:00:00-05:00."];
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        var question = new ComplianceQuestion(body!.DebtorId!.Trim(), new AccountId(accountId!.Value), channel!.Value, new ContactPointId(pointId!.Value), at);
        var result = await check.RunAsync(question, http.User.Identity?.Name ?? "unknown", ct);
        if (!result.IsSuccess)
        {
            return result.Error!.Code.EndsWith("_not_found", StringComparison.Ordinal)
                ? ApiProblems.Problem(StatusCodes.Status404NotFound, "Not found", result.Error.Message, result.Error.Code)
                : ApiProblems.From(result.Error);
        }

        var decision = result.Value;
        return Results.Ok(new ComplianceDecisionJson(decision.Allowed,
            decision.Reasons.Select(r => new ComplianceReasonJson(r.Rule, r.Citation, r.Message)).ToList(), decision.NextAllowedAt));
    }

    private static async Task<IResult> GrantAsync(ComplianceExceptionBody? body, HttpContext http, RecordComplianceException record, TimeProvider clock, CancellationToken ct)
    {
        var query = new QueryReader();
        if (string.IsNullOrWhiteSpace(body?.DebtorId))
        {
            query.Add("debtor_id", "Give the debtor's id");
        }

        AccountId? account = null;
        if (!string.IsNullOrWhiteSpace(body?.AccountId))
        {
            account = Guid.TryParse(body.AccountId, out var id) ? new AccountId(id) : null;
            if (account is null)
            {
                query.Add("account_id", $"'{body.AccountId}' is not an account id");
            }
        }

        if (string.IsNullOrWhiteSpace(body?.Rule))
        {
            query.Add("rule", $"Name the rule to make an exception to: {string.Join(", ", ComplianceExceptionGrant.ExceptableRules)}");
        }

        ContactChannel? channel = null;
        if (!string.IsNullOrWhiteSpace(body?.Channel))
        {
            channel = ContactChannels.Parse(body.Channel);
            if (channel is null)
            {
                query.Add("channel", $"'{body.Channel}' is not a channel; use call, sms, email or letter");
            }
        }

        ContactPointId? point = null;
        if (!string.IsNullOrWhiteSpace(body?.ContactPointId))
        {
            point = Guid.TryParse(body.ContactPointId, out var id) ? new ContactPointId(id) : null;
            if (point is null)
            {
                query.Add("contact_point_id", $"'{body.ContactPointId}' is not a contact point id");
            }
        }

        DateTimeOffset? validFrom = null;
        if (!string.IsNullOrWhiteSpace(body?.ValidFrom))
        {
            validFrom = Instant(body.ValidFrom);
            if (validFrom is null)
            {
                query.Add("valid_from", $"'{body.ValidFrom}' is not a date and time like {InstantExample}");
            }
        }

        DateTimeOffset? validUntil = null;
        if (string.IsNullOrWhiteSpace(body?.ValidUntil))
        {
            query.Add("valid_until", $"Say when the exception ends, as a date and time like {InstantExample}; at most 30 days after it starts");
        }
        else
        {
            validUntil = Instant(body.ValidUntil);
            if (validUntil is null)
            {
                query.Add("valid_until", $"'{body.ValidUntil}' is not a date and time like {InstantExample}");
            }
        }

        if (!query.IsValid)
        {
            return query.Problem();
        }

        var draft = new ExceptionGrantDraft(body!.Rule!.Trim(), account, channel, point, validFrom, validUntil!.Value, body.Documentation ?? "");
        var debtorId = body.DebtorId!.Trim();
        var granted = await record.RunAsync(debtorId, draft, ApiCaller.Actor(http.User), ct);
        if (granted.Error is { } error)
        {
            return NotFoundOr(error);
        }

        return TypedResults.Created($"/api/compliance/exceptions?debtor_id={Uri.EscapeDataString(debtorId)}", ComplianceExceptionJson.From(granted.Value, clock.GetUtcNow()));
    }

    private static async Task<IResult> ListAsync(
        ListComplianceExceptions list, TimeProvider clock, [FromQuery(Name = "debtor_id"), Description("The creditor's debtor id (D-0000001).")] string? debtorId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(debtorId))
        {
            return ApiProblems.Invalid("debtor_id", "Give the debtor's id: ?debtor_id=D-0000001");
        }

        var found = await list.RunAsync(debtorId.Trim(), ct);
        if (found.Error is { } error)
        {
            return NotFoundOr(error);
        }

        var now = clock.GetUtcNow();
        return TypedResults.Ok(new PageJson<ComplianceExceptionJson>([.. found.Value.Select(v => ComplianceExceptionJson.From(v, now))], null));
    }

    private static async Task<IResult> RevokeAsync(string exceptionId, HttpContext http, RevokeComplianceException revoke, TimeProvider clock, CancellationToken ct)
    {
        if (!Guid.TryParse(exceptionId, out var id))
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "Compliance exception not found", $"There is no compliance exception {exceptionId}", "exception_not_found");
        }

        var revoked = await revoke.RunAsync(new ExceptionGrantId(id), ApiCaller.Actor(http.User), ct);
        if (revoked.Error is { } error)
        {
            return error.Code switch
            {
                "exception_revoked" or "exception_ended" => ApiProblems.Problem(StatusCodes.Status409Conflict, "The exception has already ended", error.Message, error.Code),
                _ => NotFoundOr(error),
            };
        }

        return TypedResults.Ok(ComplianceExceptionJson.From(revoked.Value, clock.GetUtcNow()));
    }

    private static DateTimeOffset? Instant(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    /// <summary>Unknown debtors, accounts, contact points and exceptions are 404, as for the check; anything else names its field.</summary>
    private static ProblemHttpResult NotFoundOr(Error error) => error.Code switch
    {
        "exception_not_found" => ApiProblems.Problem(StatusCodes.Status404NotFound, "Compliance exception not found", error.Message, error.Code),
        _ when error.Code.EndsWith("_not_found", StringComparison.Ordinal) => ApiProblems.Problem(StatusCodes.Status404NotFound, "Not found", error.Message, error.Code),
        _ => ApiProblems.From(error),
    };
}

/// <summary>
/// Reads the compliance rule set when the application starts, so that a wrong <c>Recoup:Compliance</c>
/// configuration stops the start-up with a message naming the key, rather than failing the first check.
/// </summary>
internal sealed class ComplianceConfigurationCheck(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<RuleSet>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
