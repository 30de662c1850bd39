using Recoup.Data.Disputes;
using Recoup.Data.Outbox;
using Recoup.Domain;
using Recoup.Domain.Debtors;

namespace Recoup.Services.Disputes;

/// <summary>
/// The messages a dispute sends the debtor (the acknowledgement, the resolution with its evidence): an e-mail to the
/// debtor's primary usable address, else a letter to the postal address, written to the outbox with the change.
/// Plain text for now; templates replace the bodies later, under the same purposes.
/// </summary>
public static class DisputeLetters
{
    /// <summary>The message, or null when the debtor has no usable e-mail or postal address.</summary>
    public static OutboxMessage? Message(Debtor debtor, DisputeRecord dispute, string purpose, DateTimeOffset now, string actor, string subject, string body)
    {
        var point = debtor.ContactPoints
            .Where(p => p.IsUsable && p.OptedOutAt is null && p.Kind is ContactKind.Email or ContactKind.Postal)
            .OrderBy(p => p.Kind == ContactKind.Email ? 0 : 1).ThenByDescending(p => p.IsPrimary).ThenBy(p => p.CreatedAt)
            .FirstOrDefault();
        if (point is null)
        {
            return null;
        }

        return new OutboxMessage
        {
            Id = SequentialGuid.Create(now),
            Channel = point.Kind == ContactKind.Email ? OutboxChannel.Email : OutboxChannel.Letter,
            Purpose = purpose,
            AccountId = dispute.AccountId.Value,
            DebtorId = dispute.DebtorId.Value,
            ContactPointId = point.Id.Value,
            Recipient = point.Address?.ToString() ?? point.Value,
            Subject = subject,
            Body = body,
            Language = debtor.Language,
            DedupKey = $"dispute:{dispute.Id:N}:{purpose}",
            CreatedAt = now,
            NotBefore = now,
            Status = OutboxStatus.Pending,
            CreatedBy = actor,
        };
    }
}
