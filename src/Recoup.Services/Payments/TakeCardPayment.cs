using Microsoft.EntityFrameworkCore;
using Recoup.Data.Payments;
using Recoup.Domain;
using Recoup.Services.Audit;
using Recoup.Services.Storage;

namespace Recoup.Services.Payments;

/// <summary>A card payment to take: the amount in major units of the account's currency, and the card.</summary>
public sealed record CardPaymentRequest(AccountId AccountId, decimal Amount, CardDetails Card);

/// <summary>A card payment taken: the posted payment, the masked card and the gateway's charge.</summary>
public sealed record CardPaymentTaken(PostedPayment Payment, MaskedCard Card, string Gateway, string ChargeId, string Token);

/// <summary>
/// Takes a card payment: authorizes and captures it through the <see cref="IPaymentGateway"/>, then
/// posts the payment and keeps the masked card (brand, last four, the gateway's token and charge id)
/// in the same transaction. A refused card posts nothing and answers <see cref="Declined"/> with the
/// gateway's reason. The card number and CVV go to the gateway and nowhere else.
/// </summary>
/// <remarks>
/// With an idempotency key, the key is claimed before the gateway is called (<see cref="IdempotencyClaims"/>);
/// the gateway is called with a key derived from it, so a retry can never charge the card twice.
/// When the posting fails after the capture, the charge is refunded at the gateway.
/// </remarks>
public sealed class TakeCardPayment(RecoupDatabase database, TimeProvider clock, IPaymentGateway gateway, PostPayment post, IdempotencyClaims claims)
{
    /// <summary>The card was refused by the gateway (HTTP 402); <see cref="Error.Field"/> is null and the message names the reason.</summary>
    public const string Declined = "card_declined";

    /// <summary>The card was charged but the payment could not be posted, so the charge was refunded; the key is spent (HTTP 422).</summary>
    public const string NotPosted = "card_payment_not_posted";

    /// <summary>Every problem with the card and amount that can be seen before the gateway, each with its field.</summary>
    public static IReadOnlyList<Error> Validate(CardPaymentRequest request, DateOnly today)
    {
        var errors = new List<Error>();
        if (request.Amount <= 0)
        {
            errors.Add(new Error("amount_not_positive", "The amount must be more than zero", "amount"));
        }

        var card = request.Card;
        if (card.Number.Length == 0)
        {
            errors.Add(new Error("card_number_missing", "The card number is required", "card_number"));
        }
        else if (!CardNumbers.IsValid(card.Number))
        {
            errors.Add(new Error("card_number_invalid", "The card number is not valid (check the digits)", "card_number"));
        }

        if (card.ExpMonth is < 1 or > 12)
        {
            errors.Add(new Error("exp_month_invalid", "The expiry month must be 1 to 12", "exp_month"));
        }

        if (card.ExpYear is < 2000 or > 2100)
        {
            errors.Add(new Error("exp_year_invalid", "The expiry year must be four digits, like 2028", "exp_year"));
        }
        else if (card.ExpMonth is >= 1 and <= 12 && (card.ExpYear < today.Year || (card.ExpYear == today.Year && card.ExpMonth < today.Month)))
        {
            errors.Add(new Error("card_expired", $"The card expired at the end of {card.ExpMonth:00}/{card.ExpYear}", "exp_year"));
        }

        if (card.Cvv.Length is < 3 or > 4 || !card.Cvv.All(char.IsAsciiDigit))
        {
            errors.Add(new Error("cvv_invalid", "The security code (CVV) is 3 or 4 digits", "cvv"));
        }

        if (CardNumbers.ContainsCardNumber(card.CardholderName))
        {
            errors.Add(new Error("card_number_in_text", "The name on the card looks like a card number", "cardholder_name"));
        }

        if (card.CardholderName is { Length: > 200 })
        {
            errors.Add(new Error("cardholder_name_too_long", "The cardholder name is longer than 200 characters", "cardholder_name"));
        }

        return errors;
    }

    /// <param name="render">The response to remember for the key: for the payment taken, or for the refusal (null: remember nothing, the key may be used again).</param>
    public async Task<Result<IdempotentOutcome<CardPaymentTaken>>> RunAsync(
        CardPaymentRequest request, string actor, IdempotentRequest? idempotency, Func<Result<CardPaymentTaken>, StoredResponse?> render, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(render);
        var today = clock.Today();
        if (Validate(request, today) is [var invalid, ..])
        {
            return invalid;
        }

        if (idempotency is not null)
        {
            var claimed = await claims.ClaimAsync(idempotency, ct);
            if (claimed.Error is { } claimError)
            {
                return claimError;
            }

            if (claimed.Value is { } stored)
            {
                return Result<IdempotentOutcome<CardPaymentTaken>>.Ok(new IdempotentOutcome<CardPaymentTaken>(null, stored, Replayed: true));
            }
        }

        Result<CardPaymentTaken> result;
        try
        {
            result = await TakeAsync(request, actor, idempotency, ct);
        }
        catch
        {
            if (idempotency is not null)
            {
                await claims.ReleaseAsync(idempotency, CancellationToken.None);
            }

            throw;
        }

        // A charge refunded because its posting failed keeps its key: the gateway would answer a retry
        // with the same (refunded) charge.
        var response = render(result) ?? (result.Error is { Code: NotPosted } notPosted
            ? new StoredResponse(422, System.Text.Json.JsonSerializer.Serialize(new { title = "The card payment was not posted", status = 422, detail = notPosted.Message, code = NotPosted }))
            : null);
        if (idempotency is not null)
        {
            if (response is null)
            {
                await claims.ReleaseAsync(idempotency, CancellationToken.None);
            }
            else
            {
                await claims.CompleteAsync(idempotency, response, CancellationToken.None);
            }
        }

        return result.Error is { } error
            ? error
            : Result<IdempotentOutcome<CardPaymentTaken>>.Ok(new IdempotentOutcome<CardPaymentTaken>(result.Value, response ?? new StoredResponse(201, ""), Replayed: false));
    }

    private async Task<Result<CardPaymentTaken>> TakeAsync(CardPaymentRequest request, string actor, IdempotentRequest? idempotency, CancellationToken ct)
    {
        Currency currency;
        await using (var db = database.CreateContext())
        {
            var account = await db.Accounts.AsNoTracking().Where(a => a.Id == request.AccountId).Select(a => new { a.Currency }).FirstOrDefaultAsync(ct);
            if (account is null)
            {
                return Result<CardPaymentTaken>.Fail(PostPayment.AccountNotFound, $"There is no account {request.AccountId}");
            }

            currency = account.Currency;
        }

        if (decimal.Round(request.Amount, currency.Exponent) != request.Amount)
        {
            return Result<CardPaymentTaken>.Fail("amount_precision", $"{currency.Code} amounts have at most {currency.Exponent} decimals", "amount");
        }

        var amount = Money.FromMajor(request.Amount, currency, MidpointRounding.ToEven);
        var key = idempotency is null ? Guid.NewGuid().ToString("N") : $"{idempotency.Caller}:{idempotency.Key}";
        var card = request.Card.Masked;

        var authorized = await gateway.AuthorizeAsync(request.Card, amount, key, ct);
        if (!authorized.Approved)
        {
            return await RefusedAsync(request, actor, amount, card, authorized, ct);
        }

        var captured = await gateway.CaptureAsync(authorized.TransactionId!, amount, key, ct);
        if (!captured.Approved)
        {
            await gateway.VoidAsync(authorized.TransactionId!, key, ct);
            return await RefusedAsync(request, actor, amount, card, captured, ct);
        }

        var posting = new PostPaymentRequest(request.AccountId, request.Amount, clock.Today(), "card", card.ToString(), null, null);
        var now = clock.GetUtcNow();
        var posted = await post.RunAsync(posting, actor, null, null, (db, payment) => db.CardPayments.Add(new CardPaymentRecord
        {
            Id = Guid.CreateVersion7(now),
            AccountId = request.AccountId.Value,
            EntryId = payment.EntryId.Value,
            Gateway = gateway.Name,
            TransactionId = captured.TransactionId!,
            Token = authorized.Token!,
            Brand = card.Brand,
            Last4 = card.Last4,
            ExpMonth = card.ExpMonth,
            ExpYear = card.ExpYear,
            CardholderName = request.Card.CardholderName?.Trim(),
            AmountMinor = amount.Minor,
            Currency = currency,
            CreatedAt = now,
            CreatedBy = actor,
        }), ct);

        if (posted.Error is { } error)
        {
            // The money was taken but cannot be posted: give it back.
            await gateway.RefundAsync(captured.TransactionId!, amount, key, ct);
            return new Error(NotPosted, $"The card was charged but the payment could not be posted ({error.Message}); the charge was refunded to the card. Send the payment again with a new Idempotency-Key");
        }

        return Result<CardPaymentTaken>.Ok(new CardPaymentTaken(posted.Value.Value!, card, gateway.Name, captured.TransactionId!, authorized.Token!));
    }

    private async Task<Result<CardPaymentTaken>> RefusedAsync(CardPaymentRequest request, string actor, Money amount, MaskedCard card, GatewayResult answer, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = database.CreateContext();
        db.AuditLog.Add(AuditLog.Record(
            now, actor, "card_payment.declined", AuditEntities.Account, request.AccountId.ToString(), null,
            new { amount = amount.ToDecimalString(), currency = amount.Currency.Code, card = card.ToString(), gateway = gateway.Name, result = ResultCode(answer.Code), reason = answer.Message }));
        await db.SaveChangesAsync(ct);
        return new Error(Declined, $"The card ({card}) was refused: {answer.Message} ({ResultCode(answer.Code)})", ResultCode(answer.Code));
    }

    /// <summary>The gateway's result as a snake_case code: <c>declined</c>, <c>insufficient_funds</c>, <c>expired_card</c>, …</summary>
    public static string ResultCode(GatewayResultCode code) => code switch
    {
        GatewayResultCode.Approved => "approved",
        GatewayResultCode.Declined => "declined",
        GatewayResultCode.InsufficientFunds => "insufficient_funds",
        GatewayResultCode.ExpiredCard => "expired_card",
        GatewayResultCode.IncorrectCvc => "incorrect_cvc",
        GatewayResultCode.InvalidNumber => "invalid_number",
        GatewayResultCode.ProcessingError => "processing_error",
        GatewayResultCode.NotFound => "not_found",
        _ => "invalid_state",
    };
}
