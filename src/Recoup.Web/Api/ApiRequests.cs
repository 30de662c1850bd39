using Recoup.Services.Storage;
using Microsoft.EntityFrameworkCore;
using System.Text.Json;
using Recoup.Domain;
using Recoup.Data.Identity;
using Recoup.Services.Payments;

namespace Recoup.Web.Api;

/// <summary>The roles that may change what the API's working endpoints change.</summary>
internal static class ApiRoles
{
    /// <summary>Those who work accounts: log conversations, manage contact points and follow-ups (auditors only read).</summary>
    public static readonly string[] Workers = [Roles.Collector, Roles.Supervisor, Roles.Manager, Roles.Admin];

    /// <summary>Those who manage the team's work: assignment rules, collectors' capacity, bulk imports.</summary>
    public static readonly string[] Supervisors = [Roles.Supervisor, Roles.Manager, Roles.Admin];
}

/// <summary>Reads a JSON request body, or says in a problem document why it could not.</summary>
internal static class JsonBody
{
    /// <summary>
    /// The body as <typeparamref name="T"/>. Only JSON is read (415 otherwise): an HTML form from another
    /// site cannot send it, so a signed-in browser cannot be made to change anything.
    /// </summary>
    /// <param name="example">A short example of the body, for the message when it is missing.</param>
    /// <param name="what">What the body is ("refund", "card payment"), for the messages; the request when null.</param>
    public static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpContext http, JsonSerializerOptions options, string example, CancellationToken ct, string? what = null)
        where T : class
    {
        if (!http.Request.HasJsonContentType())
        {
            return (null, ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, "Send JSON",
                $"Send the {what ?? "request"} as JSON with 'Content-Type: application/json'.", "unsupported_media_type"));
        }

        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(http.Request.Body, options, ct);
            return body is not null ? (body, null)
                : (null, ApiProblems.Invalid("body", what is null ? $"Send a JSON object: {example}" : $"Send the {what} as a JSON object: {example}"));
        }
        catch (JsonException e)
        {
            // The serializer's message names the path and position only, never the value (a card number stays out of it).
            return (null, ApiProblems.Invalid("body", what is null ? $"The body is not the JSON expected ({example}): {e.Message}" : $"The body is not the JSON of a {what}: {e.Message}"));
        }
    }
}

/// <summary>A request about one account whose amounts are in the account's currency.</summary>
internal static class AccountRequest
{
    /// <summary>The account named in the route with its currency, and the JSON body; or the problem to answer (404, 415, 400).</summary>
    public static async Task<(AccountId Id, Currency Currency, T? Body, IResult? Problem)> ReadAsync<T>(
        string accountId, HttpContext http, RecoupDatabase database, JsonSerializerOptions options, string example, CancellationToken ct)
        where T : class
    {
        if (AccountEndpoints.ParseId(accountId) is not { } id || await CurrencyOfAsync(database, id, ct) is not { } currency)
        {
            return (default, default, null, AccountEndpoints.NotFound(accountId));
        }

        var (body, problem) = await JsonBody.ReadAsync<T>(http, options, example, ct);
        return (id, currency, body, problem);
    }

    /// <summary>The account's currency, or null when there is no such account.</summary>
    public static async Task<Currency?> CurrencyOfAsync(RecoupDatabase database, AccountId id, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var currencies = await db.AccountSummaries.AsNoTracking().Where(s => s.AccountId == id.Value).Select(s => s.Currency).ToListAsync(ct);
        return currencies is [var only] ? only : null;
    }
}

/// <summary>Fields of a request body: required enums, and errors of a use case by field.</summary>
internal static class BodyFields
{
    /// <summary>A 400 listing every error by its field, with the code of the first.</summary>
    public static IResult Problems(IReadOnlyList<Error> errors, Func<string, string>? fieldName = null)
    {
        var byField = errors.GroupBy(e => fieldName?.Invoke(e.Field ?? "body") ?? e.Field ?? "body", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal);
        var problem = ApiProblems.Invalid(byField);
        if (errors.Count == 1)
        {
            problem.ProblemDetails.Extensions["code"] = errors[0].Code;
        }

        return problem;
    }

    /// <summary>A required enum field: its value, or null with the reason added.</summary>
    public static TEnum? Required<TEnum>(QueryReader query, string field, string? text)
        where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            query.Add(field, $"The {field.Replace('_', ' ')} is required: one of {string.Join(", ", Enum.GetValues<TEnum>().Select(ApiJson.Name))}");
            return null;
        }

        return query.Enum<TEnum>(field, text);
    }
}

/// <summary>What a write endpoint answers: a problem, or a status with a JSON body (and where the new thing is).</summary>
internal sealed record Answer(IResult? Problem, int Status = StatusCodes.Status200OK, object? Body = null, string? Location = null)
{
    // Two arguments, so that the primary constructor is chosen rather than the copy constructor (which would convert back here, for ever).
    public static implicit operator Answer(Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult problem) => new(problem, StatusCodes.Status200OK);
}

/// <summary>
/// <c>Idempotency-Key</c> for requests whose retry would record something twice (a conversation, a
/// follow-up): the same key and body answer the first response again with <c>Idempotent-Replayed: true</c>,
/// and do nothing; the same key with another body is 422; a refused request leaves no trace.
/// </summary>
internal static class IdempotentWrite
{
    public static async Task<IResult> RunAsync(
        HttpContext http, IdempotencyClaims claims, object request, JsonSerializerOptions options, Func<Task<Answer>> work, CancellationToken ct)
    {
        if (!http.Request.Headers.TryGetValue(PaymentEndpoints.IdempotencyKeyHeader, out var header))
        {
            return Render(await work(), options);
        }

        var key = header.ToString();
        if (key.Length is 0 or > IdempotentRequest.MaxKeyLength)
        {
            return ApiProblems.Invalid(PaymentEndpoints.IdempotencyKeyHeader, $"The key must be 1 to {IdempotentRequest.MaxKeyLength} characters");
        }

        var idempotency = new IdempotentRequest(
            ApiCaller.Id(http.User), key, IdempotentRequest.Hash(http.Request.Method, http.Request.Path.Value ?? "", JsonSerializer.Serialize(request, options)));
        var claim = await claims.ClaimAsync(idempotency, ct);
        if (claim.Error is { } refused)
        {
            return ApiProblems.From(refused);
        }

        if (claim.Value is { } stored)
        {
            http.Response.Headers[PaymentEndpoints.ReplayedHeader] = "true";
            return Results.Content(stored.Body, "application/json; charset=utf-8", System.Text.Encoding.UTF8, stored.StatusCode);
        }

        Answer answer;
        try
        {
            answer = await work();
        }
        catch
        {
            await claims.ReleaseAsync(idempotency, CancellationToken.None);
            throw;
        }

        if (answer.Problem is not null)
        {
            await claims.ReleaseAsync(idempotency, CancellationToken.None);
            return answer.Problem;
        }

        // Remembered even when the caller has gone: the retry it will send must find the response.
        await claims.CompleteAsync(idempotency, new StoredResponse(answer.Status, JsonSerializer.Serialize(answer.Body, options)), CancellationToken.None);
        return Render(answer, options);
    }

    public static IResult Render(Answer answer, JsonSerializerOptions options)
    {
        if (answer.Problem is { } problem)
        {
            return problem;
        }

        return new JsonAnswer(answer, options);
    }

    private sealed class JsonAnswer(Answer answer, JsonSerializerOptions options) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (answer.Location is { } location)
            {
                httpContext.Response.Headers.Location = location;
            }

            httpContext.Response.StatusCode = answer.Status;
            return answer.Status == StatusCodes.Status204NoContent
                ? Task.CompletedTask
                : httpContext.Response.WriteAsJsonAsync(answer.Body, options, "application/json; charset=utf-8");
        }
    }
}
