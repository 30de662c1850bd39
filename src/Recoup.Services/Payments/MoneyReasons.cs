using Recoup.Domain;

namespace Recoup.Services.Payments;

/// <summary>The reason a person gives for moving money back (a refund, a reversal, a return to the bank): the same rules everywhere.</summary>
public static class MoneyReasons
{
    public const int MaxLength = 500;

    /// <summary>The first problem with <paramref name="reason"/> (field <c>reason</c>), or null when it will do.</summary>
    /// <param name="whenMissing">What to ask for when there is none, e.g. "Say why the payment is reversed".</param>
    public static Error? Check(string? reason, string whenMissing)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return new Error("reason_missing", whenMissing, "reason");
        }

        if (reason.Length > MaxLength)
        {
            return new Error("reason_too_long", $"The reason is longer than {MaxLength} characters", "reason");
        }

        return CardNumbers.ContainsCardNumber(reason)
            ? new Error("card_number_in_text", "The reason looks like a card number; never type card numbers here", "reason")
            : null;
    }
}
