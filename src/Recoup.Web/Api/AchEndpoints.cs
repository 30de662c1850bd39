using Microsoft.Extensions.Options;
using Recoup.Domain;
using Recoup.Formats.Payments;
using Recoup.Services;
using Recoup.Services.Ach;
using Recoup.Services.Storage;

namespace Recoup.Web.Api;

/// <summary>An ACH debit authorization: recurring for a plan, or once for an amount on a date.</summary>
public sealed record AchAuthorizationBody(
    bool? Recurring, string? PlanId, string? Amount, string? DebitOn, string? RoutingNumber, string? BankAccount, string? BankAccountType,
    string? HolderName, string? SecCode, string? Evidence);

public sealed record AchAuthorizationJson(
    string AuthorizationId, string AccountId, bool Recurring, string? PlanId, string? Amount, string? DebitOn, string RoutingNumber, string BankAccountLast4,
    string BankAccountType, string HolderName, string SecCode, string Evidence, string AuthorizedBy, DateTimeOffset AuthorizedAt, string Status, string? StatusReason)
{
    public static AchAuthorizationJson From(AchAuthorizationView a, Currency currency) => new(
        a.Id.ToString(), a.AccountId.ToString(), a.Recurring, a.PlanId?.ToString(), a.AmountMinor is { } minor ? new Money(minor, currency).ToDecimalString() : null,
        a.DebitOn is { } on ? ApiJson.Date(on) : null, a.RoutingNumber, a.BankAccountLast4, a.BankAccountType, a.HolderName, a.SecCode, a.Evidence,
        a.AuthorizedBy, a.AuthorizedAt, ApiJson.Name(a.Status), a.StatusReason);
}

public sealed record AchDebitFileJson(string? FileId, int Entries, string Total, string EffectiveDate);

public sealed record AchReturnsJson(string? FileId, int Returns, int Reversed, int FeesCharged, int AuthorizationsStopped, string ReversedAmount, IReadOnlyList<AchReturnProblemJson> Unmatched);

public sealed record AchReturnProblemJson(int Line, string Reason);

/// <summary>ACH: authorizations on an account, the day's debit file, return files (docs/ach.md).</summary>
public static class AchEndpoints
{
    public static void MapAch(this IEndpointRouteBuilder api)
    {
        api.MapGet("/accounts/{accountId}/ach-authorizations", ListAsync).WithTags("ACH").WithName("ListAchAuthorizations").Produces<IReadOnlyList<AchAuthorizationJson>>();
        api.MapPost("/accounts/{accountId}/ach-authorizations", CreateAsync).WithTags("ACH").WithName("AuthorizeAch")
            .WithSummary("Record the debtor's authorization to debit their bank account, once or for every installment of a plan")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Workers)).Accepts<AchAuthorizationBody>("application/json")
            .Produces<AchAuthorizationJson>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/ach-authorizations/{authorizationId}/revoke", RevokeAsync).WithTags("ACH").WithName("RevokeAch")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Workers)).Accepts<ReasonBody>("application/json").Produces<AchAuthorizationJson>();
        api.MapPost("/ach/debits", DebitsAsync).WithTags("ACH").WithName("GenerateAchDebits")
            .WithSummary("Write the NACHA debit file for everything due by `as_of` (default today); each debit is posted as an ACH payment and the file goes to the outbox for the bank")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Supervisors)).Produces<AchDebitFileJson>();
        api.MapGet("/ach/files/{fileId}", FileAsync).WithTags("ACH").WithName("GetAchFile")
            .WithSummary("A debit file Recoup wrote, as text/plain").RequireAuthorization(p => p.RequireRole(ApiRoles.Supervisors));
        api.MapPost("/ach/returns", ReturnsAsync).WithTags("ACH").WithName("ApplyAchReturns")
            .WithSummary("Apply a NACHA return file sent as the raw body: reverse each returned payment, charge fees where allowed, stop authorizations where the code demands")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Supervisors)).Produces<AchReturnsJson>().ProducesValidationProblem();
    }

    private static async Task<IResult> ListAsync(string accountId, AchAuthorizations authorizations, RecoupDatabase database, CancellationToken ct)
    {
        if (AccountEndpoints.ParseId(accountId) is not { } id || await AccountRequest.CurrencyOfAsync(database, id, ct) is not { } currency)
        {
            return AccountEndpoints.NotFound(accountId);
        }

        return TypedResults.Ok((await authorizations.ListAsync(id, ct)).Select(a => AchAuthorizationJson.From(a, currency)).ToList());
    }

    private static async Task<IResult> CreateAsync(
        string accountId, HttpContext http, AchAuthorizations authorizations, RecoupDatabase database, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        var (id, currency, body, problem) = await AccountRequest.ReadAsync<AchAuthorizationBody>(accountId, http, database, json.Value.SerializerOptions,
            "{\"recurring\":true,\"plan_id\":\"…\",\"routing_number\":\"011000015\",\"bank_account\":\"000123456789\",\"bank_account_type\":\"checking\",\"holder_name\":\"…\",\"sec_code\":\"PPD\",\"evidence\":\"…\"}", ct);
        if (problem is not null)
        {
            return problem;
        }

        var query = new QueryReader();
        var amount = query.Amount("amount", body!.Amount, currency);
        DateOnly? debitOn = body.DebitOn is null ? null : query.Date("debit_on", body.DebitOn, default);
        Guid? planId = null;
        if (body.PlanId is { } planText)
        {
            if (Guid.TryParse(planText, out var parsedPlan))
            {
                planId = parsedPlan;
            }
            else
            {
                query.Add("plan_id", $"'{planText}' is not a plan id");
            }
        }

        if (!query.IsValid)
        {
            return query.Problem();
        }

        var created = await authorizations.CreateAsync(new NewAchAuthorization(id, body.Recurring ?? planId is not null, planId, amount, debitOn,
            body.RoutingNumber ?? "", body.BankAccount ?? "", body.BankAccountType ?? "checking", body.HolderName ?? "", body.SecCode ?? "PPD", body.Evidence ?? ""),
            ApiCaller.Actor(http.User), ct);
        return created.Error is { } error
            ? ApiProblems.From(error)
            : TypedResults.Created($"/api/accounts/{accountId}/ach-authorizations", AchAuthorizationJson.From(created.Value, currency));
    }

    private static async Task<IResult> RevokeAsync(
        string authorizationId, HttpContext http, AchAuthorizations authorizations, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        if (!Guid.TryParse(authorizationId, out var id))
        {
            return ApiProblems.NotFound("Authorization", $"There is no ACH authorization '{authorizationId}'");
        }

        var (body, problem) = await JsonBody.ReadAsync<ReasonBody>(http, json.Value.SerializerOptions, "{\"reason\":\"…\"}", ct);
        if (problem is not null)
        {
            return problem;
        }

        var revoked = await authorizations.RevokeAsync(id, body!.Reason ?? "", ApiCaller.Actor(http.User), ct);
        return revoked.Error is { } error ? ApiProblems.From(error) : TypedResults.Ok(AchAuthorizationJson.From(revoked.Value, Currency.USD));
    }

    private static async Task<IResult> DebitsAsync(string? asOf, HttpContext http, AchDebits debits, TimeProvider clock, CancellationToken ct)
    {
        var query = new QueryReader();
        var date = query.Date("as_of", asOf, clock.Today());
        if (!query.IsValid)
        {
            return query.Problem();
        }

        var file = await debits.GenerateAsync(date, ApiCaller.Actor(http.User), ct);
        return TypedResults.Ok(new AchDebitFileJson(file.FileId?.ToString(), file.Entries, new Money(file.TotalMinor, Currency.USD).ToDecimalString(), ApiJson.Date(file.EffectiveDate)));
    }

    private static async Task<IResult> FileAsync(string fileId, RecoupDatabase database, CancellationToken ct)
    {
        if (!Guid.TryParse(fileId, out var id))
        {
            return ApiProblems.NotFound("File", $"There is no ACH file '{fileId}'");
        }

        await using var db = database.CreateContext();
        var file = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(db.AchFiles, f => f.Id == id && f.Kind == "debits", ct);
        return file?.Content is { } content
            ? Results.Text(content, "text/plain; charset=us-ascii")
            : ApiProblems.NotFound("File", $"There is no ACH debit file '{fileId}'");
    }

    private static async Task<IResult> ReturnsAsync(string? fileName, HttpContext http, AchReturns returns, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct);
        AchReturnsResult result;
        try
        {
            result = await returns.ImportAsync(buffer.ToArray(), string.IsNullOrWhiteSpace(fileName) ? "returns.ach" : fileName, ApiCaller.Actor(http.User), ct: ct);
        }
        catch (PaymentFileException e)
        {
            var problem = ApiProblems.Invalid("file", e.Message);
            problem.ProblemDetails.Extensions["line"] = e.FileLine;
            return problem;
        }

        if (result.AlreadyImported)
        {
            return ApiProblems.Problem(StatusCodes.Status409Conflict, "Already applied", $"This return file was already applied as file {result.FileId}; nothing was reversed again.", "already_imported");
        }

        return TypedResults.Ok(new AchReturnsJson(result.FileId?.ToString(), result.Returns, result.Reversed, result.FeesCharged, result.AuthorizationsStopped,
            new Money(result.ReversedMinor, Currency.USD).ToDecimalString(), result.Unmatched.Select(u => new AchReturnProblemJson(u.Line, u.Reason)).ToList()));
    }
}
