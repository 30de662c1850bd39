using Recoup.Services;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Recoup.Services.Payments;

namespace Recoup.Web.Api;

/// <summary>A manual payment as a client sends it. The amount is a decimal string, like every amount in the API.</summary>
/// <param name="Amount">In major units of the account's currency, e.g. <c>"123.45"</c>; no more decimals than the currency has.</param>
/// <param name="ReceivedOn">When the money was received (<c>YYYY-MM-DD</c>); not in the future. Default: today.</param>
/// <param name="Method"><c>cash</c>, <c>check</c>, <c>card</c>, <c>ach</c> or <c>wire</c>.</param>
/// <param name="Reference">The check number, bank reference or the like (up to 100 characters).</param>
/// <param name="InvoiceId">The invoice to pay first; without it the oldest due invoice is paid first.</param>
/// <param name="CheckNumber">The check's number; required for a check unless the reference carries it.</param>
/// <param name="Invoices">Several invoices to pay, each with the amount for it (or none: filled oldest due first); what is left stays unapplied credit.</param>
public sealed record PaymentBody(string? Amount, string? ReceivedOn, string? Method, string? Reference, string? InvoiceId, string? CheckNumber = null, IReadOnlyList<InvoicePartBody>? Invoices = null);

/// <summary>One invoice a payment is directed to, with the amount for it (a decimal string) or none.</summary>
public sealed record InvoicePartBody(string? InvoiceId, string? Amount);

/// <summary>A posted payment: its ledger entry, where the money went, and the balance before and after.</summary>
public sealed record PaymentJson(
    string EntryId,
    string AccountId,
    long Sequence,
    MoneyJson Amount,
    string ReceivedOn,
    string Method,
    string? Reference,
    IReadOnlyList<PaymentApplicationJson> AppliedTo,
    MoneyJson Unapplied,
    MoneyJson BalanceBefore,
    MoneyJson BalanceAfter,
    long Version,
    DateTimeOffset PostedAt,
    string PostedBy);

/// <summary>What a payment paid on one invoice, and how that split across its principal, fees and interest.</summary>
public sealed record PaymentApplicationJson(string InvoiceId, MoneyJson Amount, MoneyJson? Principal = null, MoneyJson? Fees = null, MoneyJson? Interest = null);

/// <summary>
/// <c>POST /api/accounts/{accountId}/payments</c>: posts a manual payment, honouring <c>If-Match</c>
/// (the account's ETag) and <c>Idempotency-Key</c>.
/// </summary>
public static class PaymentEndpoints
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    public static void MapPayments(this IEndpointRouteBuilder api)
    {
        api.MapPost("/accounts/{accountId}/payments", PostAsync)
            .WithTags("Payments")
            .WithName("PostPayment")
            .WithSummary("Post a manual payment to an account")
            .WithDescription(
                "Applies the payment to the named invoice (`invoice_id`), to several invoices with an amount for each (`invoices`), or oldest due first; " +
                "within each invoice fees, interest and principal are paid in the configured order (`Recoup:Payments:ComponentOrder`); what is left stays unapplied credit. " +
                "A check needs its `check_number`. " +
                "Send the account's ETag in `If-Match` to be sure nothing changed since you read it (else 412). " +
                "Send an `Idempotency-Key` (up to 128 characters) to make retries safe: the same key with the same body returns the first response again " +
                "(with `Idempotent-Replayed: true`) and posts nothing; the same key with a different body is 422. Requires the collector, supervisor, manager or admin role.")
            .RequireAuthorization(Policies.MoveMoney)
            .Accepts<PaymentBody>("application/json")
            .Produces<PaymentJson>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<IResult> PostAsync(
        string accountId, HttpContext http, PostPayment post, TimeProvider clock, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        if (AccountEndpoints.ParseId(accountId) is not { } id)
        {
            return AccountEndpoints.NotFound(accountId);
        }

        // Only JSON: an HTML form from another site cannot send it, so a signed-in browser cannot be tricked into paying.
        if (!http.Request.HasJsonContentType())
        {
            return ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, "Send JSON", "Send the payment as JSON with 'Content-Type: application/json'.", "unsupported_media_type");
        }

        var options = json.Value.SerializerOptions;
        PaymentBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<PaymentBody>(http.Request.Body, options, ct);
        }
        catch (JsonException e)
        {
            return ApiProblems.Invalid("body", $"The body is not the JSON of a payment: {e.Message}");
        }

        if (body is null)
        {
            return ApiProblems.Invalid("body", "Send the payment as a JSON object: {\"amount\":\"123.45\",\"method\":\"check\"}");
        }

        var today = clock.Today();
        var query = new QueryReader();
        decimal amount = 0;
        if (string.IsNullOrWhiteSpace(body.Amount))
        {
            query.Add("amount", "The amount is required, as a decimal string like \"123.45\"");
        }
        else if (!IsDecimalString(body.Amount) || !decimal.TryParse(body.Amount, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out amount))
        {
            query.Add("amount", $"'{body.Amount}' is not a decimal amount like \"123.45\"");
        }

        var receivedOn = query.Date("received_on", body.ReceivedOn, today);
        if (string.IsNullOrWhiteSpace(body.Method))
        {
            query.Add("method", $"The method is required: one of {string.Join(", ", PostPayment.Methods)}");
        }

        var key = http.Request.Headers[IdempotencyKeyHeader].ToString();
        if (http.Request.Headers.ContainsKey(IdempotencyKeyHeader) && (key.Length is 0 or > IdempotentRequest.MaxKeyLength))
        {
            query.Add(IdempotencyKeyHeader, $"The key must be 1 to {IdempotentRequest.MaxKeyLength} characters");
        }

        var parts = new List<InvoicePart>();
        foreach (var part in body.Invoices ?? [])
        {
            decimal? partAmount = null;
            if (!string.IsNullOrWhiteSpace(part.Amount))
            {
                if (!IsDecimalString(part.Amount) || !decimal.TryParse(part.Amount, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed))
                {
                    query.Add("invoices", $"'{part.Amount}' is not a decimal amount like \"123.45\"");
                    continue;
                }

                partAmount = parsed;
            }

            parts.Add(new InvoicePart(part.InvoiceId ?? "", partAmount));
        }

        var request = new PostPaymentRequest(id, amount, receivedOn, body.Method ?? "", body.Reference, body.InvoiceId, ExpectedVersion(http.Request))
        {
            Invoices = parts,
            CheckNumber = body.CheckNumber,
        };
        foreach (var invalid in PostPayment.Validate(request, today).Select(e => e.Code == "check_number_missing" ? e with { Field = "check_number" } : e).Where(e => !query.Has(e.Field!)))
        {
            query.Add(invalid.Field!, invalid.Message);
        }

        if (!query.IsValid)
        {
            return query.Problem();
        }

        var idempotency = key.Length == 0
            ? null
            : new IdempotentRequest(
                ApiCaller.Id(http.User),
                key,
                IdempotentRequest.Hash(
                    "POST", $"/api/accounts/{id}/payments", body.Amount!, ApiJson.Date(receivedOn), request.Method, request.Reference ?? "", request.InvoiceNumber ?? "",
                    request.CheckNumber ?? "", string.Join(";", parts.Select(p => $"{p.InvoiceNumber}={p.Amount?.ToString(CultureInfo.InvariantCulture)}"))));

        var outcome = await post.RunAsync(request, ApiCaller.Actor(http.User), idempotency, payment => Render(payment, options), ct);
        if (outcome.Error is { } error)
        {
            return ApiProblems.From(error, field => field == "invoice_number" ? "invoice_id" : field);
        }

        return Answer(http, id, outcome.Value, idempotency is null ? posted => Render(posted, options) : null);
    }

    /// <summary>Writes a posted (or replayed) payment's response: 201, its ETag, where the ledger is.</summary>
    internal static IResult Answer(HttpContext http, Recoup.Domain.AccountId id, IdempotentOutcome<PostedPayment> result, Func<PostedPayment, StoredResponse>? render)
    {
        var response = result.Value is { } posted && render is not null ? render(posted) : result.Response;
        if (result.Replayed)
        {
            http.Response.Headers[ReplayedHeader] = "true";
        }

        if (result.Value is { } created)
        {
            http.Response.Headers.ETag = AccountEndpoints.ETag(created.Version);
        }

        http.Response.Headers.Location = $"/api/accounts/{id}/ledger";
        return Results.Content(response.Body, "application/json; charset=utf-8", System.Text.Encoding.UTF8, response.StatusCode);
    }

    /// <summary>The version named in <c>If-Match</c> (<c>"5"</c> or <c>W/"5"</c>); <c>*</c> or no header: none. Anything else matches no version.</summary>
    private static long? ExpectedVersion(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0 || header == "*")
        {
            return null;
        }

        var tag = header.StartsWith("W/", StringComparison.Ordinal) ? header[2..] : header;
        return tag.Length > 2 && tag[0] == '"' && tag[^1] == '"'
            && long.TryParse(tag[1..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : -1;
    }

    private static bool IsDecimalString(string text) =>
        text.Length <= 30 && text.All(c => char.IsAsciiDigit(c) || c is '.' or '-') && text.Count(c => c == '.') <= 1 && text.LastIndexOf('-') <= 0;

    internal static PaymentJson ToJson(PostedPayment payment) => new(
        payment.EntryId.ToString(),
        payment.AccountId.ToString(),
        payment.Sequence,
        MoneyJson.From(payment.Amount),
        ApiJson.Date(payment.ReceivedOn),
        payment.Method,
        payment.Reference,
        payment.AppliedTo.Select(a => new PaymentApplicationJson(a.InvoiceNumber, MoneyJson.From(a.Amount), MoneyJson.From(a.Principal), MoneyJson.From(a.Fees), MoneyJson.From(a.Interest))).ToList(),
        MoneyJson.From(payment.Unapplied),
        MoneyJson.From(payment.BalanceBefore),
        MoneyJson.From(payment.BalanceAfter),
        payment.Version,
        payment.PostedAt,
        payment.Actor);

    private static StoredResponse Render(PostedPayment payment, JsonSerializerOptions options) =>
        new(StatusCodes.Status201Created, JsonSerializer.Serialize(ToJson(payment), options));
}
