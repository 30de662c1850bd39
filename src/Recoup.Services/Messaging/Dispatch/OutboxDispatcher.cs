using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Data.Messaging;
using Recoup.Data.Outbox;
using Recoup.Domain;
using Recoup.Domain.Compliance;
using Recoup.Domain.Conversations;
using Recoup.Domain.Debtors;
using Recoup.Services.Audit;
using Recoup.Services.Compliance;
using Recoup.Services.Messaging.OptOut;
using Recoup.Services.Storage;

namespace Recoup.Services.Messaging.Dispatch;

/// <summary>What one pass of the dispatcher did.</summary>
public sealed record DispatchRun(int Claimed, int Sent, int Retried, int Failed, int Blocked, int Rescheduled)
{
    public static DispatchRun None { get; } = new(0, 0, 0, 0, 0, 0);

    public DispatchRun Add(DispatchRun other) => new(
        Claimed + other.Claimed, Sent + other.Sent, Retried + other.Retried, Failed + other.Failed, Blocked + other.Blocked, Rescheduled + other.Rescheduled);
}

/// <summary>
/// Delivers the outbox's e-mail, texts and webhooks (letters, payment instructions and ACH files have
/// consumers of their own and are never touched here).
/// </summary>
/// <remarks>
/// <para><b>Claim.</b> Due messages (pending, not before now) are claimed one by one with a conditional update
/// to <c>Sending</c> that records the claim time and the dispatcher; only one of several dispatchers (web
/// nodes, a cron job) wins each message. A message left in <c>Sending</c> longer than the lease — its
/// dispatcher died between the claim and the record — is claimed again.</para>
/// <para><b>Gate.</b> An e-mail or text to a debtor's contact point is put to the compliance gate again at the
/// moment of sending: refused for good, it is <c>Blocked</c> with the reasons; refused until later, it waits
/// until the gate's next allowed time. E-mail and texts to a business go out within the configured business
/// hours in the debtor's time zone.</para>
/// <para><b>Send and record.</b> The provider sees the message's id as idempotency id (the e-mail's Message-ID,
/// the webhook's <c>Webhook-Id</c>). Then, in one transaction: the message is <c>Sent</c>, the attempt is in the
/// delivery log, and a debtor's message is in the conversation log and on the account's timeline. A failure is
/// retried with exponential back-off until the maximum of attempts, then <c>Failed</c>. A dispatcher killed
/// between sending and recording leaves the message claimed: it is sent again with the same id after the lease,
/// so it is never lost, and the receiver can recognise the repeat.</para>
/// </remarks>
public sealed class OutboxDispatcher(RecoupDatabase database, TimeProvider clock, MessagingSettings settings, RuleSet rules, IEnumerable<IOutboxChannel> channels)
{
    public const string Actor = "system:outbox";

    private readonly Dictionary<OutboxChannel, IOutboxChannel> _channels = channels
        .Where(c => c.Channel is OutboxChannel.Email or OutboxChannel.Sms or OutboxChannel.Webhook)
        .ToDictionary(c => c.Channel);

    /// <summary>This dispatcher's name in claims and the delivery log: host and process by default.</summary>
    public string Node { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>
    /// For tests: runs after the provider accepted a message and before the outcome is recorded. Throwing here
    /// is a dispatcher killed at the worst moment.
    /// </summary>
    public Func<OutboxMessage, Task>? AfterSend { get; init; }

    /// <summary>The channels this dispatcher delivers (those with a configured provider).</summary>
    public IReadOnlyCollection<OutboxChannel> Channels => _channels.Keys;

    /// <summary>Delivers everything due now, batch after batch, until nothing due is left.</summary>
    public async Task<DispatchRun> DrainAsync(CancellationToken ct = default)
    {
        var total = DispatchRun.None;
        for (var pass = 0; pass < 10_000; pass++)
        {
            var run = await RunOnceAsync(ct);
            total = total.Add(run);
            if (run.Claimed == 0)
            {
                break;
            }
        }

        return total;
    }

    /// <summary>Claims one batch of due messages and delivers them.</summary>
    public async Task<DispatchRun> RunOnceAsync(CancellationToken ct = default)
    {
        var claimed = await ClaimAsync(ct);
        var run = DispatchRun.None with { Claimed = claimed.Count };
        foreach (var message in claimed)
        {
            run = run.Add(await DeliverAsync(message, ct));
        }

        return run;
    }

    private async Task<List<OutboxMessage>> ClaimAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var stale = now - settings.Lease;
        await using var db = database.CreateContext();
        var candidates = new List<(Guid Id, DateTimeOffset NotBefore)>();
        foreach (var channel in _channels.Keys)
        {
            var due = await db.Outbox.AsNoTracking()
                .Where(m => m.Channel == channel
                    && ((m.Status == OutboxStatus.Pending && m.NotBefore <= now) || (m.Status == OutboxStatus.Sending && (m.ClaimedAt == null || m.ClaimedAt < stale))))
                .OrderBy(m => m.NotBefore).Take(settings.BatchSize)
                .Select(m => new { m.Id, m.NotBefore }).ToListAsync(ct);
            candidates.AddRange(due.Select(d => (d.Id, d.NotBefore)));
        }

        var mine = new List<Guid>();
        foreach (var (id, _) in candidates.OrderBy(c => c.NotBefore).Take(settings.BatchSize))
        {
            var won = await db.Outbox
                .Where(m => m.Id == id
                    && ((m.Status == OutboxStatus.Pending && m.NotBefore <= now) || (m.Status == OutboxStatus.Sending && (m.ClaimedAt == null || m.ClaimedAt < stale))))
                .ExecuteUpdateAsync(set => set
                    .SetProperty(m => m.Status, OutboxStatus.Sending)
                    .SetProperty(m => m.ClaimedAt, now)
                    .SetProperty(m => m.ClaimedBy, Node)
                    .SetProperty(m => m.Attempts, m => m.Attempts + 1), ct);
            if (won == 1)
            {
                mine.Add(id);
            }
        }

        if (mine.Count == 0)
        {
            return [];
        }

        var messages = await db.Outbox.AsNoTracking().Where(m => mine.Contains(m.Id)).ToListAsync(ct);
        return [.. messages.Where(m => m.ClaimedBy == Node).OrderBy(m => m.NotBefore).ThenBy(m => m.Id)];
    }

    private async Task<DispatchRun> DeliverAsync(OutboxMessage message, CancellationToken ct)
    {
        var started = clock.GetUtcNow();
        var watch = Stopwatch.StartNew();
        var recipient = message.Channel is OutboxChannel.Email or OutboxChannel.Sms ? await DebtorRecipientAsync(message, ct) : null;
        if (recipient is not null)
        {
            var verdict = await CheckAsync(message, recipient, started, ct);
            if (verdict.Blocked is { } reason)
            {
                await FinishAsync(message, started, watch, OutboxStatus.Blocked, "blocked", null, reason, null, null, ct);
                return DispatchRun.None with { Blocked = 1 };
            }

            if (verdict.Later is { } later)
            {
                await FinishAsync(message, started, watch, OutboxStatus.Pending, "rescheduled", null, verdict.Why, later, null, ct);
                return DispatchRun.None with { Rescheduled = 1 };
            }
        }

        var outgoing = message;
        if (recipient is not null)
        {
            outgoing = OptOutNotice.Apply(message, settings.OptOutUrl(message.Id));
            outgoing.ContactPointId = recipient.Point.Id.Value;
            if (message.Channel == OutboxChannel.Sms)
            {
                outgoing.Recipient = recipient.Point.Normalized; // E.164, as SMS providers want it
            }
        }

        DeliveryResult result;
        try
        {
            result = await _channels[message.Channel].DeliverAsync(outgoing, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw; // the claim stays: another pass takes the message over after the lease
        }
#pragma warning disable CA1031 // a provider's surprise is a failed try of this message, never the end of the dispatcher
        catch (Exception e)
#pragma warning restore CA1031
        {
            result = DeliveryResult.Retry($"{e.GetType().Name}: {e.Message}");
        }

        if (result.Delivered)
        {
            if (AfterSend is { } hook)
            {
                await hook(message);
            }

            await FinishAsync(message, started, watch, OutboxStatus.Sent, "sent", result.StatusCode, null, null, recipient, ct);
            return DispatchRun.None with { Sent = 1 };
        }

        var giveUp = result.Permanent || message.Attempts >= settings.MaxAttempts;
        if (giveUp)
        {
            await FinishAsync(message, started, watch, OutboxStatus.Failed, "gave_up", result.StatusCode, result.Error, null, null, ct);
            return DispatchRun.None with { Failed = 1 };
        }

        await FinishAsync(message, started, watch, OutboxStatus.Pending, "failed", result.StatusCode, result.Error, started + settings.RetryDelay(message.Attempts), null, ct);
        return DispatchRun.None with { Retried = 1 };
    }

    /// <summary>The debtor and contact point an e-mail or text goes to; null when it goes to someone else (sales, a colleague).</summary>
    private async Task<Recipient?> DebtorRecipientAsync(OutboxMessage message, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        Debtor? debtor = null;
        if (message.ContactPointId is { } pointGuid)
        {
            var pointId = new ContactPointId(pointGuid);
            debtor = await db.Debtors.AsNoTracking().Include(d => d.ContactPoints).SingleOrDefaultAsync(d => d.ContactPoints.Any(c => c.Id == pointId), ct);
        }
        else if (message.DebtorId is { } debtorGuid)
        {
            var debtorId = new DebtorId(debtorGuid);
            debtor = await db.Debtors.AsNoTracking().Include(d => d.ContactPoints).SingleOrDefaultAsync(d => d.Id == debtorId, ct);
        }
        else if (message.AccountId is { } accountGuid)
        {
            var accountId = new AccountId(accountGuid);
            var owner = await db.Accounts.AsNoTracking().Where(a => a.Id == accountId).Select(a => a.DebtorId).ToListAsync(ct);
            debtor = owner is [var id] ? await db.Debtors.AsNoTracking().Include(d => d.ContactPoints).SingleOrDefaultAsync(d => d.Id == id, ct) : null;
        }

        if (debtor is null)
        {
            return null;
        }

        var kind = message.Channel == OutboxChannel.Email ? ContactKind.Email : ContactKind.Phone;
        var point = message.ContactPointId is { } given
            ? debtor.ContactPoints.FirstOrDefault(c => c.Id.Value == given)
            : debtor.ContactPoints.FirstOrDefault(c => c.Kind == kind && Matches(c, message.Recipient));
        if (point is null)
        {
            return null;
        }

        var accounts = await db.Accounts.AsNoTracking().Where(a => a.DebtorId == debtor.Id).Select(a => a.Id).ToListAsync(ct);
        return new Recipient(debtor, point, accounts);
    }

    private static bool Matches(ContactPoint point, string recipient)
    {
        var value = recipient.Trim();
        if (string.Equals(point.Value.Trim(), value, StringComparison.OrdinalIgnoreCase) || string.Equals(point.Normalized, value.ToLowerInvariant(), StringComparison.Ordinal))
        {
            return true;
        }

        return point.Kind == ContactKind.Phone && Domain.Contacts.Phone.Parse(value) is { IsSuccess: true } parsed && parsed.Value.E164 == point.Normalized;
    }

    private async Task<Verdict> CheckAsync(OutboxMessage message, Recipient recipient, DateTimeOffset now, CancellationToken ct)
    {
        var account = message.AccountId is { } accountGuid && recipient.Accounts.Contains(new AccountId(accountGuid))
            ? new AccountId(accountGuid)
            : recipient.Accounts.FirstOrDefault();
        if (recipient.Accounts.Count == 0)
        {
            return new Verdict("The debtor has no account to write about", null, null);
        }

        var channel = message.Channel == OutboxChannel.Email ? ContactChannel.Email : ContactChannel.Sms;
        var gate = new ComplianceCheck(database, clock, rules);
        var answer = await gate.RunAsync(new ComplianceQuestion(recipient.Debtor.ExternalId, account, channel, recipient.Point.Id, now, Automated: true, GateFacts.PurposeOf(message.Purpose)), Actor, ct);
        if (answer.Error is { } error)
        {
            return new Verdict(error.Message, null, null);
        }

        var decision = answer.Value;
        if (!decision.Allowed)
        {
            var reasons = string.Join("; ", decision.Reasons.Select(r => $"{r.Rule} ({r.Citation}): {r.Message}"));
            return decision.NextAllowedAt is { } next && next > now ? new Verdict(null, next, reasons) : new Verdict(reasons, null, null);
        }

        if (recipient.Debtor.Kind == DebtorKind.Business)
        {
            IReadOnlyList<string> zones = recipient.Point.TimeZones.Count > 0 ? recipient.Point.TimeZones : recipient.Debtor.PossibleTimeZones();
            if (!settings.BusinessHours.IsOpen(now, zones))
            {
                var open = settings.BusinessHours.NextOpen(now, zones);
                var hours = $"outside business hours ({settings.BusinessHours.Start:HH\\:mm}–{settings.BusinessHours.End:HH\\:mm} in {string.Join(", ", zones.DefaultIfEmpty("UTC"))})";
                return open is { } at ? new Verdict(null, at, hours) : new Verdict(hours, null, null);
            }
        }

        return new Verdict(null, null, null);
    }

    /// <summary>Records the outcome of one try in one transaction: the message's status, the delivery log, and for a sent message to a debtor the conversation log and timeline.</summary>
    private async Task FinishAsync(
        OutboxMessage claimed, DateTimeOffset started, Stopwatch watch, OutboxStatus status, string outcome, int? statusCode, string? error,
        DateTimeOffset? notBefore, Recipient? recipient, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var message = await db.Outbox.SingleAsync(m => m.Id == claimed.Id, ct);
        if (message.Status == OutboxStatus.Sent && status != OutboxStatus.Sent)
        {
            return; // another dispatcher, which took the claim over after the lease, already delivered it
        }

        message.Status = status;
        message.ClaimedAt = null;
        message.ClaimedBy = null;
        if (status == OutboxStatus.Sent)
        {
            message.SentAt = now;
            message.LastError = null;
        }
        else
        {
            message.LastError = Truncate(error, 4000);
        }

        if (notBefore is { } at)
        {
            message.NotBefore = at;
        }

        if (outcome is "rescheduled" or "blocked")
        {
            message.Attempts = Math.Max(0, message.Attempts - 1); // the gate's answer is not a try at delivery
        }

        db.DeliveryAttempts.Add(new DeliveryAttempt
        {
            Id = Guid.CreateVersion7(started),
            MessageId = message.Id,
            Number = claimed.Attempts,
            StartedAt = started,
            DurationMs = (int)Math.Min(int.MaxValue, watch.ElapsedMilliseconds),
            Outcome = outcome,
            StatusCode = statusCode,
            Error = Truncate(error, 4000),
            Node = Node,
        });

        if (status == OutboxStatus.Sent && recipient is not null)
        {
            LogConversation(db, message, recipient, now);
        }

        if (message.AccountId is { } account && outcome is "sent" or "gave_up" or "blocked")
        {
            db.AuditLog.Add(AuditLog.Record(now, Actor, outcome switch { "sent" => "message.sent", "blocked" => "message.blocked", _ => "message.failed" },
                AuditEntities.Account, new AccountId(account).ToString(), null, new
                {
                    outbox_id = message.Id,
                    channel = message.Channel.ToString().ToLowerInvariant(),
                    purpose = message.Purpose,
                    recipient = message.Recipient,
                    template = message.TemplateKey,
                    template_version = message.TemplateVersion,
                    language = message.Language,
                    attempts = message.Attempts,
                    status_code = statusCode,
                    error,
                }));
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    private static void LogConversation(RecoupDbContext db, OutboxMessage message, Recipient recipient, DateTimeOffset now)
    {
        var accounts = message.AccountId is { } account && recipient.Accounts.Contains(new AccountId(account))
            ? [new AccountId(account)]
            : recipient.Accounts.Take(1).ToList();
        var draft = new InteractionDraft(
            accounts,
            message.Channel == OutboxChannel.Email ? InteractionChannel.EmailSent : InteractionChannel.SmsSent,
            now,
            recipient.Point.Id,
            PartyReached.None,
            InteractionOutcome.None,
            Notes: $"{message.Purpose} sent automatically{(message.TemplateKey is { } key ? $" from template {key} v{message.TemplateVersion}" : "")} (outbox {message.Id:D})");
        var entry = Interaction.Record(InteractionId.New(now), recipient.Debtor.Id, draft, recipient.Debtor.ContactPoints, recipient.Accounts, null, Actor, now);
        if (entry.IsSuccess)
        {
            db.Interactions.Add(entry.Value);
        }
    }

    private static string? Truncate(string? text, int length) => text is { } t && t.Length > length ? t[..length] : text;

    private sealed record Recipient(Debtor Debtor, ContactPoint Point, IReadOnlyList<AccountId> Accounts);

    /// <summary>The gate's answer at sending: blocked for good (with why), or not before a time (with why), or neither.</summary>
    private sealed record Verdict(string? Blocked, DateTimeOffset? Later, string? Why);
}
