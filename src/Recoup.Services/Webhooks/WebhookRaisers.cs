using System.Globalization;
using Recoup.Data;
using Recoup.Data.Outbox;
using Recoup.Data.Plans;
using Recoup.Domain;
using Recoup.Domain.Plans;
using Recoup.Services.Payments;

namespace Recoup.Services.Webhooks;

/// <summary>
/// The events other parts of Recoup raise, with their data as receivers see it (docs/webhooks.md). Each
/// adds its outbox messages to the caller's unit of work, so an event leaves only when its change commits.
/// </summary>
public static class WebhookRaisers
{
    /// <summary><c>payment.posted</c> for one payment posted by hand, card or ACH.</summary>
    public static Task<int> PaymentPostedAsync(RecoupDbContext db, PostedPayment payment, DebtorId debtorId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return WebhookEvents.RaiseAsync(db, new WebhookEvent(WebhookEvents.PaymentPosted, PaymentData(payment), payment.PostedAt, payment.Actor, payment.AccountId.Value, debtorId.Value), ct);
    }

    /// <summary>The data of a <c>payment.posted</c> event.</summary>
    public static object PaymentData(PostedPayment payment)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return new
        {
            AccountId = payment.AccountId.ToString(),
            EntryId = payment.EntryId.ToString(),
            Amount = payment.Amount.ToDecimalString(),
            Currency = payment.Amount.Currency.Code,
            ReceivedOn = payment.ReceivedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            payment.Method,
            payment.Reference,
            BalanceAfter = payment.BalanceAfter.ToDecimalString(),
            AppliedTo = payment.AppliedTo.Select(a => new { Invoice = a.InvoiceNumber, Amount = a.Amount.ToDecimalString() }),
        };
    }

    /// <summary>
    /// <c>promise.broken</c> for each promise the daily monitoring found broken: the messages to add to its
    /// bulk insert; nothing is read when no promise broke, and only the subscriptions when one did.
    /// </summary>
    public static async Task<IReadOnlyList<OutboxMessage>> PromisesBrokenAsync(RecoupDbContext db, IEnumerable<PromiseRecord> changed, DateTimeOffset now, string actor, CancellationToken ct = default)
    {
        var broken = changed.Where(p => p.Status == PromiseStatus.Broken).ToList();
        if (broken.Count == 0)
        {
            return [];
        }

        var fanOut = await WebhookFanOut.LoadAsync(db, ct);
        if (!fanOut.Wants(WebhookEvents.PromiseBroken))
        {
            return [];
        }

        return [.. broken.SelectMany(p => fanOut.MessagesFor(new WebhookEvent(WebhookEvents.PromiseBroken, new
        {
            AccountId = p.AccountId.ToString(),
            PromiseId = p.Id,
            Amount = new Money(p.AmountMinor, p.Currency).ToDecimalString(),
            Paid = new Money(p.PaidMinor, p.Currency).ToDecimalString(),
            Currency = p.Currency.Code,
            PromisedFor = p.PromisedFor.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        }, now, actor, p.AccountId.Value, p.DebtorId.Value)))];
    }
}
