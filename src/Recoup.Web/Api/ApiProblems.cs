using Microsoft.AspNetCore.Http.HttpResults;
using Recoup.Domain;
using Recoup.Services.Payments;

namespace Recoup.Web.Api;

/// <summary>
/// Every refusal as an RFC 9457 problem document: a title that names the problem, a detail that says
/// what to do, the stable error <c>code</c>, and for invalid input an <c>errors</c> object keyed by field.
/// </summary>
internal static class ApiProblems
{
    public static ProblemHttpResult Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is invalid",
            Detail = string.Join(" ", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}."))),
            Extensions = { ["code"] = "invalid_request" },
        });

    public static ProblemHttpResult Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemHttpResult NotFound(string what, string detail) =>
        Problem(StatusCodes.Status404NotFound, $"{what} not found", detail, $"{what.ToLowerInvariant()}_not_found");

    /// <summary>Maps a use case's error to its status: not found 404, stale 412, key reused 422, in flight 409, invalid field 400.</summary>
    public static ProblemHttpResult From(Error error, Func<string, string>? fieldName = null) => error.Code switch
    {
        "account_not_found" => Problem(StatusCodes.Status404NotFound, "Account not found", error.Message, error.Code),
        "debtor_not_found" => Problem(StatusCodes.Status404NotFound, "Debtor not found", error.Message, error.Code),
        PostPayment.StaleVersion => Problem(StatusCodes.Status412PreconditionFailed, "The account has changed", error.Message, error.Code),
        IdempotencyErrors.KeyReused => Problem(StatusCodes.Status422UnprocessableEntity, "Idempotency-Key already used for another request", error.Message, error.Code),
        _ when error.Field is null && error.Code.EndsWith("_not_found", StringComparison.Ordinal) => Problem(StatusCodes.Status404NotFound, "Not found", error.Message, error.Code),
        IdempotencyErrors.InFlight => Problem(StatusCodes.Status409Conflict, "The same request is still being processed", error.Message, error.Code),
        _ when error.Field is { } field => WithCode(Invalid(fieldName?.Invoke(field) ?? field, error.Message), error.Code),
        _ => Problem(StatusCodes.Status422UnprocessableEntity, "The request was refused", error.Message, error.Code),
    };

    public static ProblemHttpResult Problem(int status, string title, string detail, string code) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: new Dictionary<string, object?> { ["code"] = code });

    private static ProblemHttpResult WithCode(ProblemHttpResult result, string code)
    {
        result.ProblemDetails.Extensions["code"] = code;
        return result;
    }
}
