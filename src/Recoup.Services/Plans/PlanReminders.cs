using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Data.Outbox;
using Recoup.Domain;
using Recoup.Domain.Compliance;
using Recoup.Domain.Debtors;
using Recoup.Services.Compliance;

namespace Recoup.Services.Plans;

/// <summary>An installment coming due that the debtor should be reminded of.</summary>
public sealed record ReminderDue(Guid PlanId, int Version, int Number, AccountId AccountId, DebtorId DebtorId, DateOnly Due, Money Amount);

/// <summary>
/// Reminders before each installment: one per installment and schedule version, by e-mail where the
/// debtor has a usable address, else by text where they consented to texts; each put to the compliance
/// gate as it is queued (and again by the dispatcher when it is sent). A reminder the gate holds until
/// later waits in the outbox until then; one it refuses outright is kept as blocked, with the reason.
/// </summary>
public static class PlanReminders
{
    public const string Purpose = "installment_reminder";

    public static string KeyPrefix(Guid planId) => $"plan:{planId:N}:";

    public static string KeyFor(ReminderDue due) => $"{KeyPrefix(due.PlanId)}v{due.Version}:i{due.Number}:reminder";

    /// <summary>
    /// The outbox messages for the reminders not yet written (nothing is saved: the caller writes them
    /// with the rest of its transaction), with how many were queued, blocked by the gate, or had no channel.
    /// </summary>
    public static async Task<(List<OutboxMessage> Messages, int Queued, int Blocked, int NoChannel)> QueueAsync(
        RecoupDbContext db, IReadOnlyList<ReminderDue> due, RuleSet rules, Messaging.Templates.MessagingSettings messaging, DateTimeOffset now, string actor, CancellationToken ct)
    {
        var messages = new List<OutboxMessage>();
        int queued = 0, blocked = 0, noChannel = 0;
        foreach (var chunk in due.Chunk(500))
        {
            var keys = chunk.Select(KeyFor).ToList();
            var existing = (await db.Outbox.AsNoTracking().Where(m => m.DedupKey != null && keys.Contains(m.DedupKey)).Select(m => m.DedupKey!).ToListAsync(ct)).ToHashSet();
            var fresh = chunk.Where(d => !existing.Contains(KeyFor(d))).ToList();
            if (fresh.Count == 0)
            {
                continue;
            }

            var debtorIds = fresh.Select(d => d.DebtorId).Distinct().ToList();
            var debtors = await db.Debtors.AsNoTracking().Include(d => d.ContactPoints).Where(d => debtorIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, ct);
            var summaries = (await db.AccountSummaries.AsNoTracking().Where(s => debtorIds.Contains(s.DebtorId)).ToListAsync(ct)).ToLookup(s => s.DebtorId);
            var log = (await db.Interactions.AsNoTracking().Where(i => debtorIds.Contains(i.DebtorId)).ToListAsync(ct)).ToLookup(i => i.DebtorId);
            var grants = (await db.ComplianceExceptionGrants.AsNoTracking().Where(g => debtorIds.Contains(g.DebtorId) && g.ValidUntil > now).ToListAsync(ct)).ToLookup(g => g.DebtorId);
            var stops = await Holds.CollectionStops.LoadAsync(db, debtorIds, now, ct);
            var disputes = await Disputes.DisputeFacts.LoadAsync(db, debtorIds, ct);
            var template = await Messaging.Templates.InstallmentReminderTemplate.ForAsync(db, fresh.Select(d => d.AccountId), now, messaging, ct);
            foreach (var reminder in fresh)
            {
                var debtor = debtors[reminder.DebtorId];
                var (channel, point) = ChannelFor(debtor, now);
                if (point is null)
                {
                    noChannel++;
                    continue;
                }

                var facts = disputes.Apply(ComplianceCheck.Facts(debtor, [.. summaries[debtor.Id]], [.. log[debtor.Id]], [.. grants[debtor.Id]]));
                facts = stops.Apply(facts, debtor.Id);
                var decision = ComplianceGate.Check(facts, new ContactAttempt(channel, ComplianceCheck.PointFacts(point), now, [reminder.AccountId.ToString()], Automated: true), rules);
                var message = Message(reminder, channel, point, now, actor);
                await template.FillAsync(message, reminder.AccountId, reminder.Number, reminder.Due, reminder.Amount, point, ct);
                if (!decision.Allowed)
                {
                    if (decision.NextAllowedAt is { } later)
                    {
                        message.NotBefore = later;
                    }
                    else
                    {
                        message.Status = OutboxStatus.Blocked;
                        message.LastError = string.Join("; ", decision.Reasons.Select(r => $"{r.Rule}: {r.Message}"));
                        blocked++;
                    }
                }

                messages.Add(message);
                queued += message.Status == OutboxStatus.Pending ? 1 : 0;
            }
        }

        return (messages, queued, blocked, noChannel);
    }

    private static (ContactChannel Channel, ContactPoint? Point) ChannelFor(Debtor debtor, DateTimeOffset now)
    {
        var usable = debtor.ContactPoints.Where(c => c.IsUsable && c.OptedOutAt is null).OrderByDescending(c => c.IsPrimary).ToList();
        if (usable.FirstOrDefault(c => c.Kind == ContactKind.Email) is { } email)
        {
            return (ContactChannel.Email, email);
        }

        return usable.FirstOrDefault(c => c.Kind == ContactKind.Phone && c.TextConsent is { } consent && consent.IsActiveAt(now)) is { } mobile
            ? (ContactChannel.Sms, mobile)
            : (ContactChannel.Email, null);
    }

    private static OutboxMessage Message(ReminderDue reminder, ContactChannel channel, ContactPoint point, DateTimeOffset now, string actor)
    {
        var amount = $"{reminder.Amount.ToDecimalString()} {reminder.Amount.Currency.Code}";
        var due = reminder.Due.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture);
        var email = channel == ContactChannel.Email;
        return new OutboxMessage
        {
            Id = SequentialGuid.Create(now),
            Channel = email ? OutboxChannel.Email : OutboxChannel.Sms,
            Purpose = Purpose,
            AccountId = reminder.AccountId.Value,
            DebtorId = reminder.DebtorId.Value,
            Recipient = point.Value,
            ContactPointId = point.Id.Value,
            Subject = email ? $"Payment reminder: {amount} due {due}" : null,
            Body = email
                ? $"This is a reminder that installment {reminder.Number} of your payment plan, {amount}, is due on {due}.\n\n" +
                  "If you have already paid, thank you, and please disregard this message.\n\n" +
                  "To stop receiving e-mails from us, reply with UNSUBSCRIBE."
                : $"Reminder: plan installment of {amount} due {due}. Reply STOP to opt out.",
            DedupKey = KeyFor(reminder),
            CreatedAt = now,
            NotBefore = now,
            Status = OutboxStatus.Pending,
            CreatedBy = actor,
        };
    }
}
