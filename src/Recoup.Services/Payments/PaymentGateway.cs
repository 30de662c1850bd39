using System.Collections.Concurrent;
using System.Security.Cryptography;
using Recoup.Domain;

namespace Recoup.Services.Payments;

/// <summary>What a gateway answered: the outcome, and the ids it gave.</summary>
public enum GatewayResultCode
{
    Approved,
    Declined,
    InsufficientFunds,
    ExpiredCard,
    IncorrectCvc,
    InvalidNumber,
    ProcessingError,

    /// <summary>The authorization or charge named is unknown to the gateway.</summary>
    NotFound,

    /// <summary>The operation does not fit the transaction's state (capture twice, refund more than captured, void after capture).</summary>
    InvalidState,
}

/// <summary>
/// A card as typed by the payer. It exists only in memory, on its way to the gateway: it is never
/// stored, and its <see cref="ToString"/> shows brand and last four only, so it cannot leak into a log.
/// </summary>
public sealed class CardDetails(string number, int expMonth, int expYear, string cvv, string? cardholderName)
{
    public string Number { get; } = CardNumbers.Digits(number);
    public int ExpMonth { get; } = expMonth;
    public int ExpYear { get; } = expYear;
    public string Cvv { get; } = cvv;
    public string? CardholderName { get; } = cardholderName;

    public MaskedCard Masked => new(CardNumbers.Brand(Number), CardNumbers.Last4(Number), ExpMonth, ExpYear);

    public override string ToString() => Masked.ToString();
}

/// <summary>All of a card that may be kept and shown: brand, last four, expiry.</summary>
public sealed record MaskedCard(string Brand, string Last4, int ExpMonth, int ExpYear)
{
    public override string ToString() => $"{Brand} ****{Last4}";
}

/// <summary>
/// A gateway's answer. <see cref="TransactionId"/> names the authorization, charge, refund or void it
/// created; <see cref="Token"/> stands for the card (authorizations only).
/// </summary>
public sealed record GatewayResult(GatewayResultCode Code, string? TransactionId, string? Token, string Message, MaskedCard? Card = null)
{
    public bool Approved => Code == GatewayResultCode.Approved;
}

/// <summary>
/// The port to a card payment gateway. Each call carries an idempotency key: the same key again
/// returns the first answer and moves no money twice.
/// </summary>
public interface IPaymentGateway
{
    /// <summary>The gateway's name, stored with each card payment.</summary>
    string Name { get; }

    /// <summary>Reserves the amount on the card; the result's <see cref="GatewayResult.TransactionId"/> is the authorization.</summary>
    Task<GatewayResult> AuthorizeAsync(CardDetails card, Money amount, string idempotencyKey, CancellationToken ct = default);

    /// <summary>Takes the authorized money; the result's id is the charge, against which refunds are made.</summary>
    Task<GatewayResult> CaptureAsync(string authorizationId, Money amount, string idempotencyKey, CancellationToken ct = default);

    /// <summary>Pays (part of) a captured charge back to the card.</summary>
    Task<GatewayResult> RefundAsync(string chargeId, Money amount, string idempotencyKey, CancellationToken ct = default);

    /// <summary>Releases an authorization that was not captured.</summary>
    Task<GatewayResult> VoidAsync(string authorizationId, string idempotencyKey, CancellationToken ct = default);
}

/// <summary>Card number arithmetic: digits, the Luhn check, the brand and the last four.</summary>
public static class CardNumbers
{
    public static string Digits(string? text) => new((text ?? "").Where(char.IsAsciiDigit).ToArray());

    /// <summary>Whether the digits are 12 to 19 long and pass the Luhn (mod 10) check.</summary>
    public static bool IsValid(string digits) => digits.Length is >= 12 and <= 19 && digits.All(char.IsAsciiDigit) && Luhn(digits);

    public static bool Luhn(string digits)
    {
        var sum = 0;
        var doubled = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubled)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubled = !doubled;
        }

        return sum % 10 == 0;
    }

    public static string Brand(string digits) => digits switch
    {
        _ when digits.StartsWith('4') => "visa",
        _ when digits.Length >= 2 && digits[..2] is "51" or "52" or "53" or "54" or "55" => "mastercard",
        _ when digits.Length >= 4 && int.Parse(digits[..4], System.Globalization.CultureInfo.InvariantCulture) is >= 2221 and <= 2720 => "mastercard",
        _ when digits.StartsWith("34", StringComparison.Ordinal) || digits.StartsWith("37", StringComparison.Ordinal) => "amex",
        _ when digits.StartsWith("6011", StringComparison.Ordinal) || digits.StartsWith("65", StringComparison.Ordinal) => "discover",
        _ => "card",
    };

    public static string Last4(string digits) => digits.Length >= 4 ? digits[^4..] : digits;

    /// <summary>
    /// Whether free text (a reference, a reason, a name) holds what looks like a card number: a run of
    /// 13 to 19 digits (spaces or dashes allowed between them) with a card brand's prefix that passes
    /// the Luhn check. Such text is refused, so a card number typed into the wrong field never reaches
    /// the database. (Longer runs, like some bank references, and runs without a brand's prefix pass.)
    /// </summary>
    public static bool ContainsCardNumber(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        // Digit groups, and where a separator (a space or a dash between digits) joins a group to the next.
        var groups = new List<(string Digits, bool JoinedToNext)>();
        var group = new System.Text.StringBuilder();
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : '\0';
            if (char.IsAsciiDigit(c))
            {
                group.Append(c);
                continue;
            }

            if (group.Length > 0)
            {
                var joined = c is ' ' or '-' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]);
                groups.Add((group.ToString(), joined));
                group.Clear();
            }
        }

        // Every stretch of consecutive joined groups, e.g. "ref 123 4242 4242 4242 4242" tries "4242…" too.
        for (var first = 0; first < groups.Count; first++)
        {
            var digits = "";
            for (var last = first; last < groups.Count; last++)
            {
                // Groups on a card are short (4, 6, 5); a long group (a GUID's first part) stands alone.
                if (last > first && (groups[last].Digits.Length > 6 || groups[first].Digits.Length > 6))
                {
                    break;
                }

                digits += groups[last].Digits;
                if (digits.Length > 19)
                {
                    break;
                }

                if (digits.Length >= 13 && Brand(digits) != "card" && Luhn(digits))
                {
                    return true;
                }

                if (!groups[last].JoinedToNext)
                {
                    break;
                }
            }
        }

        return false;
    }
}

/// <summary>
/// An offline gateway that behaves like a real one in test mode, with the published test card
/// numbers: 4242 4242 4242 4242 (and any other Luhn-valid number) is approved; 4000 0000 0000 0002
/// is declined, …9995 has insufficient funds, …0069 is expired, …0119 has a processing error,
/// …0127 an incorrect CVC. It checks the Luhn digit and the expiry, keeps its transactions in
/// memory, and answers a repeated idempotency key with the first answer.
/// </summary>
public sealed class TestPaymentGateway(TimeProvider clock) : IPaymentGateway
{
    public const string Approve = "4242424242424242";
    public const string Decline = "4000000000000002";
    public const string InsufficientFunds = "4000000000009995";
    public const string Expired = "4000000000000069";
    public const string ProcessingError = "4000000000000119";
    public const string IncorrectCvc = "4000000000000127";

    private readonly ConcurrentDictionary<string, GatewayResult> _answers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Transaction> _transactions = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public string Name => "test";

    public Task<GatewayResult> AuthorizeAsync(CardDetails card, Money amount, string idempotencyKey, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(card);
        return Task.FromResult(Once("authorize:" + idempotencyKey, () => Authorize(card, amount)));
    }

    public Task<GatewayResult> CaptureAsync(string authorizationId, Money amount, string idempotencyKey, CancellationToken ct = default) =>
        Task.FromResult(Once("capture:" + idempotencyKey, () =>
        {
            if (!_transactions.TryGetValue(authorizationId, out var authorization) || authorization.Kind != "auth")
            {
                return new GatewayResult(GatewayResultCode.NotFound, null, null, $"No authorization {authorizationId}");
            }

            if (authorization.Captured || authorization.Voided || amount.Currency != authorization.Amount.Currency || amount.Minor > authorization.Amount.Minor || !amount.IsPositive)
            {
                return new GatewayResult(GatewayResultCode.InvalidState, null, null, "The authorization cannot be captured for that amount (already captured, voided, or less than asked)");
            }

            authorization.Captured = true;
            var charge = new Transaction("charge", amount, authorization.Token);
            var id = NewId("ch");
            _transactions[id] = charge;
            return new GatewayResult(GatewayResultCode.Approved, id, authorization.Token, "Captured");
        }));

    public Task<GatewayResult> RefundAsync(string chargeId, Money amount, string idempotencyKey, CancellationToken ct = default) =>
        Task.FromResult(Once("refund:" + idempotencyKey, () =>
        {
            if (!_transactions.TryGetValue(chargeId, out var charge) || charge.Kind != "charge")
            {
                return new GatewayResult(GatewayResultCode.NotFound, null, null, $"No charge {chargeId}");
            }

            if (!amount.IsPositive || amount.Currency != charge.Amount.Currency || charge.Refunded + amount.Minor > charge.Amount.Minor)
            {
                return new GatewayResult(GatewayResultCode.InvalidState, null, null, $"A refund of {amount} is more than is left of the charge of {charge.Amount}");
            }

            charge.Refunded += amount.Minor;
            var id = NewId("re");
            _transactions[id] = new Transaction("refund", amount, charge.Token);
            return new GatewayResult(GatewayResultCode.Approved, id, charge.Token, "Refunded");
        }));

    public Task<GatewayResult> VoidAsync(string authorizationId, string idempotencyKey, CancellationToken ct = default) =>
        Task.FromResult(Once("void:" + idempotencyKey, () =>
        {
            if (!_transactions.TryGetValue(authorizationId, out var authorization) || authorization.Kind != "auth")
            {
                return new GatewayResult(GatewayResultCode.NotFound, null, null, $"No authorization {authorizationId}");
            }

            if (authorization.Captured || authorization.Voided)
            {
                return new GatewayResult(GatewayResultCode.InvalidState, null, null, "The authorization was already captured or voided; refund a captured charge instead");
            }

            authorization.Voided = true;
            return new GatewayResult(GatewayResultCode.Approved, NewId("vd"), authorization.Token, "Voided");
        }));

    private GatewayResult Authorize(CardDetails card, Money amount)
    {
        var masked = card.Masked;
        if (!CardNumbers.IsValid(card.Number))
        {
            return new GatewayResult(GatewayResultCode.InvalidNumber, null, null, "The card number is not valid", masked);
        }

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (card.ExpMonth is < 1 or > 12 || card.ExpYear < today.Year || (card.ExpYear == today.Year && card.ExpMonth < today.Month))
        {
            return new GatewayResult(GatewayResultCode.ExpiredCard, null, null, "The card has expired", masked);
        }

        if (card.Cvv.Length is < 3 or > 4 || !card.Cvv.All(char.IsAsciiDigit))
        {
            return new GatewayResult(GatewayResultCode.IncorrectCvc, null, null, "The card's security code is incorrect", masked);
        }

        if (!amount.IsPositive)
        {
            return new GatewayResult(GatewayResultCode.InvalidState, null, null, "The amount must be positive", masked);
        }

        var refused = card.Number switch
        {
            Decline => new GatewayResult(GatewayResultCode.Declined, null, null, "The card was declined", masked),
            InsufficientFunds => new GatewayResult(GatewayResultCode.InsufficientFunds, null, null, "The card has insufficient funds", masked),
            Expired => new GatewayResult(GatewayResultCode.ExpiredCard, null, null, "The card has expired", masked),
            ProcessingError => new GatewayResult(GatewayResultCode.ProcessingError, null, null, "An error occurred while processing the card; try again", masked),
            IncorrectCvc => new GatewayResult(GatewayResultCode.IncorrectCvc, null, null, "The card's security code is incorrect", masked),
            _ => null,
        };
        if (refused is not null)
        {
            return refused;
        }

        var token = NewId("tok");
        var id = NewId("auth");
        _transactions[id] = new Transaction("auth", amount, token);
        return new GatewayResult(GatewayResultCode.Approved, id, token, "Authorized", masked);
    }

    private GatewayResult Once(string key, Func<GatewayResult> operation)
    {
        lock (_lock)
        {
            if (_answers.TryGetValue(key, out var first))
            {
                return first;
            }

            var answer = operation();
            _answers[key] = answer;
            return answer;
        }
    }

    /// <summary>An id like <c>tok_test_k3v9…</c>: letters and digits at random, as real gateways write them.</summary>
    private static string NewId(string prefix) => $"{prefix}_test_{RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 24)}";

    private sealed class Transaction(string kind, Money amount, string token)
    {
        public string Kind { get; } = kind;
        public Money Amount { get; } = amount;
        public string Token { get; } = token;
        public bool Captured { get; set; }
        public bool Voided { get; set; }
        public long Refunded { get; set; }
    }
}

/// <summary>The gateway when none is configured (<c>Recoup:Payments:Gateway = none</c>): refuses everything.</summary>
public sealed class NoPaymentGateway : IPaymentGateway
{
    public string Name => "none";

    public Task<GatewayResult> AuthorizeAsync(CardDetails card, Money amount, string idempotencyKey, CancellationToken ct = default) => Refuse();

    public Task<GatewayResult> CaptureAsync(string authorizationId, Money amount, string idempotencyKey, CancellationToken ct = default) => Refuse();

    public Task<GatewayResult> RefundAsync(string chargeId, Money amount, string idempotencyKey, CancellationToken ct = default) => Refuse();

    public Task<GatewayResult> VoidAsync(string authorizationId, string idempotencyKey, CancellationToken ct = default) => Refuse();

    private static Task<GatewayResult> Refuse() =>
        Task.FromResult(new GatewayResult(GatewayResultCode.ProcessingError, null, null, "No payment gateway is configured (Recoup:Payments:Gateway)"));
}
