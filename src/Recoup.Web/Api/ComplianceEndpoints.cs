using System.Globalization;
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

/// <summary><c>POST /api/compliance/check</c>: may this contact be made, and if not, why and when.</summary>
public static class ComplianceEndpoints
{
    public static void MapCompliance(this IEndpointRouteBuilder api)
    {
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
}
