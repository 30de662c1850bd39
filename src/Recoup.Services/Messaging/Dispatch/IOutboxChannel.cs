using Recoup.Data.Outbox;

namespace Recoup.Services.Messaging.Dispatch;

/// <summary>What a provider said about one delivery.</summary>
/// <param name="Delivered">The provider accepted the message (an SMTP server queued it, a receiver answered 2xx).</param>
/// <param name="StatusCode">The HTTP status or SMTP reply code, when there was one.</param>
/// <param name="Error">Why it was not delivered.</param>
/// <param name="Permanent">Retrying cannot help (a mailbox that does not exist, a number the provider refuses).</param>
public sealed record DeliveryResult(bool Delivered, int? StatusCode = null, string? Error = null, bool Permanent = false)
{
    public static DeliveryResult Ok(int? statusCode = null) => new(true, statusCode);

    public static DeliveryResult Retry(string error, int? statusCode = null) => new(false, statusCode, error);

    public static DeliveryResult GiveUp(string error, int? statusCode = null) => new(false, statusCode, error, Permanent: true);
}

/// <summary>
/// One way out of the outbox (e-mail, text, webhook). The message's <see cref="OutboxMessage.Id"/> is the
/// idempotency id the provider sees: a delivery repeated after a crash carries the same id, so a
/// receiver can recognise it.
/// </summary>
public interface IOutboxChannel
{
    OutboxChannel Channel { get; }

    /// <summary>Hands the message over; returns how that went. Throwing counts as a failure to retry.</summary>
    Task<DeliveryResult> DeliverAsync(OutboxMessage message, CancellationToken ct);
}
