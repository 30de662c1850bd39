using System.Text;
using Microsoft.Extensions.Options;
using Recoup.Services.Holds;

namespace Recoup.Web.Api;

/// <summary>A customer's credit hold, with what the customer owes (per currency) and how long it has been on hold.</summary>
public sealed record CreditHoldJson(
    string HoldId, string DebtorId, string DebtorName, bool OnHold, string Reason, string PlacedOn, string PlacedBy, string? ReleasedOn, string? ReleasedBy,
    string? ReleaseReason, int DaysOnHold, IReadOnlyList<MoneyJson> Exposure)
{
    public static CreditHoldJson From(CreditHoldView h) => new(
        h.Id.ToString(), h.DebtorId, h.DebtorName, h.OnHold, h.Reason, ApiJson.Date(h.PlacedOn), h.PlacedBy, h.ReleasedOn is { } on ? ApiJson.Date(on) : null,
        h.ReleasedBy, h.ReleaseReason, h.DaysOnHold, h.Exposure.Select(MoneyJson.From).ToList());
}

/// <summary>Credit holds ("shutdown"): <c>/api/debtors/{debtorId}/credit-hold</c> and the shutdown report <c>/api/credit-holds</c>.</summary>
public static class CreditHoldEndpoints
{
    public static void MapCreditHolds(this IEndpointRouteBuilder api)
    {
        var onDebtor = api.MapGroup("/debtors/{debtorId}/credit-hold").WithTags("Credit holds");
        onDebtor.MapGet("/", GetAsync)
            .WithName("GetCreditHold")
            .WithSummary("The customer's credit hold: the current one, else the latest; 404 credit_hold_not_found when never on hold")
            .Produces<CreditHoldJson>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        onDebtor.MapPost("/", PutOnHoldAsync)
            .WithName("PutOnCreditHold")
            .WithSummary("Put a business customer on credit hold, with a reason; sales is told by webhook (credit_hold.changed) and e-mail")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Supervisors))
            .Accepts<ReleaseBody>("application/json")
            .Produces<CreditHoldJson>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        onDebtor.MapPost("/release", ReleaseAsync)
            .WithName("ReleaseCreditHold")
            .WithSummary("Release the customer's credit hold, with a reason; sales is told")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Supervisors))
            .Accepts<ReleaseBody>("application/json")
            .Produces<CreditHoldJson>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapGet("/credit-holds", ReportAsync)
            .WithTags("Credit holds")
            .WithName("ShutdownReport")
            .WithSummary("The shutdown report: customers on credit hold, longest first, with exposure and days on hold; `?format=csv` for CSV")
            .Produces<IReadOnlyList<CreditHoldJson>>()
            .Produces<string>(StatusCodes.Status200OK, "text/csv");
    }

    private static async Task<IResult> GetAsync(string debtorId, CreditHolds holds, CancellationToken ct)
    {
        var found = await holds.ForDebtorAsync(debtorId, ct);
        return found switch
        {
            { Error: { } error } => ApiProblems.From(error),
            { Value: null } => ApiProblems.Problem(StatusCodes.Status404NotFound, "Not on credit hold", $"Debtor '{debtorId}' was never on credit hold", "credit_hold_not_found"),
            { Value: { } hold } => TypedResults.Ok(CreditHoldJson.From(hold)),
        };
    }

    private static Task<IResult> PutOnHoldAsync(string debtorId, HttpContext http, CreditHolds holds, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct) =>
        ChangeAsync(http, json, (reason, actor) => holds.PutOnHoldAsync(debtorId, reason, actor, ct), StatusCodes.Status201Created, ct);

    private static Task<IResult> ReleaseAsync(string debtorId, HttpContext http, CreditHolds holds, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct) =>
        ChangeAsync(http, json, (reason, actor) => holds.ReleaseAsync(debtorId, reason, actor, ct), StatusCodes.Status200OK, ct);

    private static async Task<IResult> ChangeAsync(
        HttpContext http, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, Func<string?, string, Task<Domain.Result<CreditHoldView>>> change, int status, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<ReleaseBody>(http, json.Value.SerializerOptions, "{\"reason\":\"90 days past due\"}", ct);
        if (problem is not null)
        {
            return problem;
        }

        var changed = await change(body!.Reason, ApiCaller.Actor(http.User));
        return changed.Error switch
        {
            null => status == StatusCodes.Status201Created ? TypedResults.Created((string?)null, CreditHoldJson.From(changed.Value)) : TypedResults.Ok(CreditHoldJson.From(changed.Value)),
            { Field: not null } error => BodyFields.Problems([error]),
            var error => ApiProblems.From(error),
        };
    }

    private static async Task<IResult> ReportAsync(string? format, CreditHolds holds, CancellationToken ct)
    {
        var report = await holds.ShutdownReportAsync(ct);
        return format switch
        {
            "csv" => Results.File(Encoding.UTF8.GetBytes(CreditHolds.Csv(report)), "text/csv; charset=utf-8", "shutdown-report.csv"),
            null or "json" => TypedResults.Ok(report.Select(CreditHoldJson.From).ToList()),
            _ => ApiProblems.Invalid("format", $"'{format}' is not json or csv"),
        };
    }
}
