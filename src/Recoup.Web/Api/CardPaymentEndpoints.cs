using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Recoup.Services;
using Recoup.Services.Payments;

namespace Recoup.Web.Api;

/// <summary>A card payment as a client sends it. The card number and CVV go to the gateway and are never stored or logged.</summary>
/// <param name="Amount">In major units of the account's currency, e.g. <c>"50.00"</c>.</param>
/// <param name="CardNumber">The card number (spaces and dashes are ignored).</param>
/// <param name="ExpMonth">1 to 12.</param>
/// <param name="ExpYear">Four digits, e.g. 2028.</param>
/// <param name="Cvv">The 3 or 4 digit security code.</param>
public sealed record CardPaymentBody(string? Amount, string? CardNumber, int? ExpMonth, int? ExpYear, string? Cvv, string? CardholderName);

/// <summary>The card as it may be shown: brand, last four, expiry.</summary>
public sealed record CardJson(string Brand, string Last4, int ExpMonth, int ExpYear);

/// <summary>A card payment taken: the posted payment, the masked card, and the gateway's charge.</summary>
public sealed record CardPaymentJson(PaymentJson Payment, CardJson Card, string Gateway, string ChargeId);

/// <summary><c>POST /api/accounts/{accountId}/card-payments</c>: takes a card payment through the configured gateway.</summary>
public static class CardPaymentEndpoints
{
    public static void MapCardPayments(this IEndpointRouteBuilder api)
    {
        api.MapPost("/accounts/{accountId}/card-payments", PostAsync)
            .WithTags("Payments")
            .WithName("TakeCardPayment")
            .WithSummary("Take a card payment")
            .WithDescription(
                "Authorizes and captures the amount on the card through the payment gateway (`Recoup:Payments:Gateway`), then posts the payment " +
                "like a manual one (method `card`) and keeps the card masked to brand and last four with the gateway's token. " +
                "A card the gateway refuses is 402 with `code` `card_declined` and `reason` (`declined`, `insufficient_funds`, `expired_card`, " +
                "`incorrect_cvc`, `processing_error`); nothing is posted. Send an `Idempotency-Key`: a retry with the same key answers the first " +
                "response again and never charges the card twice. The card number and CVV are never stored, logged or audited.")
            .RequireAuthorization(Policies.MoveMoney)
            .Accepts<CardPaymentBody>("application/json")
            .Produces<CardPaymentJson>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status402PaymentRequired)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> PostAsync(
        string accountId, HttpContext http, PaymentSettings settings, IServiceProvider services, TimeProvider clock, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        if (AccountEndpoints.ParseId(accountId) is not { } id)
        {
            return AccountEndpoints.NotFound(accountId);
        }

        if (settings.Gateway == "none" || services.GetService<TakeCardPayment>() is not { } take)
        {
            return ApiProblems.Problem(StatusCodes.Status503ServiceUnavailable, "Card payments are switched off", "No payment gateway is configured (Recoup:Payments:Gateway).", "gateway_not_configured");
        }

        var options = json.Value.SerializerOptions;
        var (body, invalid) = await JsonBody.ReadAsync<CardPaymentBody>(http, options, "{\"amount\":\"50.00\",\"card_number\":\"4242424242424242\",\"exp_month\":12,\"exp_year\":2030,\"cvv\":\"123\"}", ct, "card payment");
        if (invalid is not null)
        {
            return invalid;
        }

        var query = new QueryReader();
        var amount = JsonBodies.Amount(query, "amount", body!.Amount);
        var key = JsonBodies.IdempotencyKey(http, query);
        var card = new CardDetails(body.CardNumber ?? "", body.ExpMonth ?? 0, body.ExpYear ?? 0, body.Cvv ?? "", body.CardholderName);
        var request = new CardPaymentRequest(id, amount, card);
        foreach (var error in TakeCardPayment.Validate(request, clock.Today()).Where(e => !query.Has(e.Field!)))
        {
            query.Add(error.Field!, error.Message);
        }

        if (!query.IsValid)
        {
            return query.Problem();
        }

        var masked = card.Masked;
        var idempotency = key.Length == 0
            ? null
            : new IdempotentRequest(
                ApiCaller.Id(http.User),
                key,
                IdempotentRequest.Hash("POST", $"/api/accounts/{id}/card-payments", body.Amount!, masked.Brand, masked.Last4, masked.ExpMonth.ToString(CultureInfo.InvariantCulture), masked.ExpYear.ToString(CultureInfo.InvariantCulture), body.CardholderName ?? ""));

        var outcome = await take.RunAsync(request, ApiCaller.Actor(http.User), idempotency, result => Render(result, options), ct);
        if (outcome.Error is { } refused)
        {
            return refused.Code == TakeCardPayment.Declined ? Declined(refused) : ApiProblems.From(refused);
        }

        var answer = outcome.Value;
        if (answer.Replayed)
        {
            http.Response.Headers[PaymentEndpoints.ReplayedHeader] = "true";
        }

        var response = answer.Value is { } taken && idempotency is null ? Render(Recoup.Domain.Result<CardPaymentTaken>.Ok(taken), options)! : answer.Response;
        if (answer.Value is { } created)
        {
            http.Response.Headers.ETag = AccountEndpoints.ETag(created.Payment.Version);
        }

        http.Response.Headers.Location = $"/api/accounts/{id}/ledger";
        return Results.Content(response.Body, response.StatusCode >= 400 ? "application/problem+json; charset=utf-8" : "application/json; charset=utf-8", System.Text.Encoding.UTF8, response.StatusCode);
    }

    /// <summary>402 naming the gateway's reason.</summary>
    private static IResult Declined(Recoup.Domain.Error error) =>
        TypedResults.Problem(DeclinedProblem(error));

    private static ProblemDetails DeclinedProblem(Recoup.Domain.Error error) => new()
    {
        Type = "https://tools.ietf.org/html/rfc9110#section-15.5.3",
        Status = StatusCodes.Status402PaymentRequired,
        Title = "The card was declined",
        Detail = error.Message + ". Nothing was posted; ask for another card or another way to pay.",
        Extensions = { ["code"] = TakeCardPayment.Declined, ["reason"] = error.Field },
    };

    /// <summary>The response to remember for the key: the payment, or the 402 of a refused card (so a retry is told the same); other refusals are not remembered.</summary>
    private static StoredResponse? Render(Recoup.Domain.Result<CardPaymentTaken> result, JsonSerializerOptions options)
    {
        if (result.Error is { } error)
        {
            return error.Code == TakeCardPayment.Declined
                ? new StoredResponse(StatusCodes.Status402PaymentRequired, JsonSerializer.Serialize(DeclinedProblem(error), options))
                : null;
        }

        var taken = result.Value;
        var card = new CardJson(taken.Card.Brand, taken.Card.Last4, taken.Card.ExpMonth, taken.Card.ExpYear);
        return new StoredResponse(StatusCodes.Status201Created, JsonSerializer.Serialize(new CardPaymentJson(PaymentEndpoints.ToJson(taken.Payment), card, taken.Gateway, taken.ChargeId), options));
    }
}

/// <summary>Reading the JSON bodies of the money-moving endpoints.</summary>
internal static class JsonBodies
{
    /// <summary>A required decimal-string amount; 0 (with the error added) when missing or malformed.</summary>
    public static decimal Amount(QueryReader query, string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            query.Add(field, "The amount is required, as a decimal string like \"123.45\"");
            return 0;
        }

        if (text.Length > 30 || !text.All(c => char.IsAsciiDigit(c) || c is '.' or '-') || text.Count(c => c == '.') > 1 || text.LastIndexOf('-') > 0
            || !decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            query.Add(field, $"'{text}' is not a decimal amount like \"123.45\"");
            return 0;
        }

        return amount;
    }

    /// <summary>The request's <c>Idempotency-Key</c> ("" without one); a malformed one is added to the errors.</summary>
    public static string IdempotencyKey(HttpContext http, QueryReader query)
    {
        var key = http.Request.Headers[PaymentEndpoints.IdempotencyKeyHeader].ToString();
        if (http.Request.Headers.ContainsKey(PaymentEndpoints.IdempotencyKeyHeader) && (key.Length is 0 or > IdempotentRequest.MaxKeyLength))
        {
            query.Add(PaymentEndpoints.IdempotencyKeyHeader, $"The key must be 1 to {IdempotentRequest.MaxKeyLength} characters");
        }

        return key;
    }

    /// <summary>A stored or fresh response as it is answered.</summary>
    public static IResult Content(StoredResponse response) =>
        Results.Content(response.Body, response.StatusCode >= 400 ? "application/problem+json; charset=utf-8" : "application/json; charset=utf-8", System.Text.Encoding.UTF8, response.StatusCode);
}
