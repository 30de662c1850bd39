using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Data.Messaging.Templates;
using Recoup.Domain;
using Recoup.Domain.Compliance;
using Recoup.Domain.Debtors;
using Recoup.Domain.Strategies;
using Recoup.Services.Audit;
using Recoup.Services.Compliance;
using Recoup.Services.Holds;
using Recoup.Services.Messaging.Templates;
using Recoup.Services.Storage;

namespace Recoup.Services.Strategies;

/// <summary>
/// Letters, e-mails and texts from the step's template (R9), one message per account — an account is one debtor's
/// debt in one currency, so one consolidated message per debtor and currency — listing every invoice the step is
/// about (under account-level dunning every past-due invoice, at the furthest step reached). The messages go into
/// the outbox in the batch's transaction, with the steps taken.
/// </summary>
/// <remarks>
/// <para>Set-based per batch: the accounts' template facts, their debtors' contact points, conversation logs,
/// exception grants, disputes, collection holds and placements are read with a few queries for the whole batch,
/// and each message is put to the compliance gate in memory.</para>
/// <para>A contact the gate only delays (calling hours, a frequency cap) waits in the outbox until the gate's
/// <c>next_allowed_at</c>, and the dispatcher asks the gate again then. A contact the gate refuses outright (cease
/// communication, an opt-out, an attorney) is not written: it counts as blocked by compliance and the step stays
/// due, so a later run tries it again. A debtor with no usable contact point of the channel waits the same way.</para>
/// </remarks>
public sealed class MessageStepExecutor(StepAction action, MessagingSettings settings, RuleSet rules) : IStepExecutor
{
    /// <summary>How far back the conversation log matters to the gate's frequency rules.</summary>
    private static readonly TimeSpan HistoryWindow = TimeSpan.FromDays(35);

    public StepAction Action { get; } = action is StepAction.Letter or StepAction.Email or StepAction.Sms
        ? action
        : throw new ArgumentOutOfRangeException(nameof(action), action, "a message step is a letter, an e-mail or a text");

    private TemplateChannel Channel => ChannelOf(Action);

    private ContactChannel Medium => Action switch
    {
        StepAction.Email => ContactChannel.Email,
        StepAction.Sms => ContactChannel.Sms,
        _ => ContactChannel.Letter,
    };

    public async Task<StepOutcome> ExecuteAsync(StepContext context, IReadOnlyList<StepItem> items, CancellationToken ct)
    {
        var db = context.Db;
        // First what decides whether a message goes at all — the debtor's contact point, the template, the gate — and
        // only then the template facts, for the messages that go (a step waiting for a contact point every day, such
        // as a text to a debtor without consent, reads no more than the debtor).
        var debtors = await DebtorsAsync(context, ct);
        var gate = await GateAsync(context, debtors, ct);
        var templates = new Dictionary<(string Key, string Language), MessageTemplateVersion?>();
        var done = new List<StepItem>();
        var blocked = new List<StepItem>();
        var waiting = new List<StepItem>();
        var going = new List<(StepItem Item, string Key, MessageTemplateVersion Template, ContactPoint Point, DateTimeOffset NotBefore)>();
        foreach (var item in items)
        {
            var step = item.Step.Step;
            if (!debtors.TryGetValue(item.Facts.DebtorId, out var debtor)
                || ComposeMessage.PickContactPoint(debtor, Channel, null, context.Now) is not { } point)
            {
                waiting.Add(item);
                continue;
            }

            var language = TemplateFormat.Normalize(debtor.Language);
            var key = step.Template ?? "";
            if (!templates.TryGetValue((key, language), out var template))
            {
                template = templates[(key, language)] = await MessageTemplates.LiveAsync(db, key, Channel, language, ct);
            }

            if (template is null)
            {
                waiting.Add(item);
                continue;
            }

            var attempt = new ContactAttempt(Medium, ComplianceCheck.PointFacts(point), context.Now, [item.Facts.AccountId.ToString()], Automated: true)
            {
                InvoiceIds = [.. item.Step.Invoices.Select(i => i.Id.ToString())],
            };
            var decision = ComplianceGate.Check(gate.For(debtor), attempt, rules);
            if (!decision.Allowed && decision.NextAllowedAt is null)
            {
                blocked.Add(item);
                continue;
            }

            going.Add((item, key, template, point, decision.Allowed ? context.Now : decision.NextAllowedAt!.Value));
        }

        var accounts = await TemplateFactsAsync(context, going.Select(g => g.Item.Facts.AccountId), debtors, ct);
        var toRender = new List<(StepItem Item, AccountForMessage Account, ComposeRequest Request, MessageTemplateVersion Template, ContactPoint Point, DateTimeOffset NotBefore)>();
        foreach (var (item, key, template, point, notBefore) in going)
        {
            var step = item.Step.Step;
            if (!accounts.TryGetValue(item.Facts.AccountId, out var account))
            {
                waiting.Add(item);
                continue;
            }

        var request = new ComposeRequest(item.Facts.AccountId, key, Channel)
            {
                AsOf = context.AsOf,
                InvoiceNumbers = item.Step.Invoices.Count == 0 ? null : [.. item.Step.Invoices.Select(i => i.Number)],
                Purpose = ("strategy:" + step.Key) is var purpose && purpose.Length > 64 ? purpose[..64] : purpose,
                DedupKey = string.Create(CultureInfo.InvariantCulture, $"daily-run:{context.AsOf:yyyy-MM-dd}:{DailyRun.ActionName(Action)}:{item.Facts.AccountId.Value:N}"),
            };
            toRender.Add((item, account, request, template, point, notBefore));
        }

        // Rendering is pure work on facts already read (templates are parsed once per version and cached), so the
        // batch's messages are rendered across cores; they are written in the items' order.
        var messages = context.Time($"step.{DailyRun.ActionName(Action)}.render", () =>
        {
            var rendered = new Data.Outbox.OutboxMessage[toRender.Count];
            Parallel.For(0, toRender.Count, new ParallelOptions { CancellationToken = ct }, n =>
            {
                var (_, account, request, template, point, _) = toRender[n];
                rendered[n] = ComposeMessage.Render(account, request, template, point, settings, context.Now, context.Actor);
            });
            return rendered;
        });

        for (var n = 0; n < toRender.Count; n++)
        {
            var (item, _, _, _, _, notBefore) = toRender[n];
            var message = messages[n];
            message.NotBefore = notBefore;
            context.Rows.Outbox.Add(message);
            context.Rows.Audit.Add(AuditLog.Record(context.Now, context.Actor, "message.queued", AuditEntities.Account, item.Facts.AccountId.ToString(), null, new
            {
                message_id = message.Id,
                channel = message.Channel.ToString().ToLowerInvariant(),
                template = message.TemplateKey,
                template_version = message.TemplateVersion,
                language = message.Language,
                recipient = message.Recipient,
                not_before = message.NotBefore,
                strategy_step = item.Step.Step.Key,
                invoices = item.Step.Invoices.Select(i => i.Number).ToList(),
            }));
            done.Add(item);
        }

        return new StepOutcome(done, blocked, waiting);
    }

    /// <summary>The debtors (with their contact points) of every message step of the batch, read once for the letter, e-mail and text executors.</summary>
    private static async Task<Dictionary<DebtorId, DebtorContacts>> DebtorsAsync(StepContext context, CancellationToken ct)
    {
        const string Key = "message-debtors";
        if (context.Shared.TryGetValue(Key, out var shared) && shared is Dictionary<DebtorId, DebtorContacts> cached)
        {
            return cached;
        }

        var ids = context.Batch.Where(i => i.Step.Step.IsMessage).Select(i => i.Facts.DebtorId).Distinct().ToList();
        var debtors = await context.TimeAsync("messages.debtors", () => DebtorContacts.LoadAsync(context.Db, ids, ct));
        context.Shared[Key] = debtors;
        return debtors;
    }

    /// <summary>
    /// The gate's facts of the debtors the batch's message steps can reach (a usable contact point of the step's channel),
    /// read once for the letter, e-mail and text executors.
    /// </summary>
    private static async Task<GateFacts> GateAsync(StepContext context, Dictionary<DebtorId, DebtorContacts> debtors, CancellationToken ct)
    {
        const string Key = "message-gate";
        if (context.Shared.TryGetValue(Key, out var shared) && shared is GateFacts cached)
        {
            return cached;
        }

        var reachable = context.Batch
            .Where(i => i.Step.Step.IsMessage && debtors.ContainsKey(i.Facts.DebtorId)
                && ComposeMessage.PickContactPoint(debtors[i.Facts.DebtorId], ChannelOf(i.Step.Step.Action), null, context.Now) is not null)
            .Select(i => i.Facts.DebtorId).Distinct().ToList();
        var gate = await context.TimeAsync("messages.gate_facts", () => GateFacts.LoadAsync(context.Db, reachable, context.Now, HistoryWindow, ct));
        context.Shared[Key] = gate;
        return gate;
    }

    /// <summary>The template facts of the accounts whose messages go, read set-based; kept for the batch's other message executors.</summary>
    private static async Task<Dictionary<AccountId, AccountForMessage>> TemplateFactsAsync(
        StepContext context, IEnumerable<AccountId> wanted, Dictionary<DebtorId, DebtorContacts> debtors, CancellationToken ct)
    {
        const string Key = "message-facts";
        if (!context.Shared.TryGetValue(Key, out var shared) || shared is not Dictionary<AccountId, AccountForMessage> known)
        {
            known = [];
            context.Shared[Key] = known;
        }

        var missing = wanted.Where(a => !known.ContainsKey(a)).Distinct().ToList();
        if (missing.Count > 0)
        {
            var read = await context.TimeAsync("messages.template_facts", () => TemplateFactsLoader.LoadSetBasedAsync(context.Db, missing, context.AsOf, context.OpenInvoices, debtors, ct));
            foreach (var (id, account) in read)
            {
                known[id] = account;
            }
        }

        return known;
    }

    private static TemplateChannel ChannelOf(StepAction action) => action switch
    {
        StepAction.Email => TemplateChannel.Email,
        StepAction.Sms => TemplateChannel.Sms,
        _ => TemplateChannel.Letter,
    };
}

/// <summary>The compliance gate's facts for a batch of debtors, read with a few queries for all of them.</summary>
internal sealed class GateFacts
{
    private readonly ILookup<DebtorId, Data.Accounts.AccountSummary> _summaries;
    private readonly ILookup<DebtorId, Domain.Conversations.Interaction> _log;
    private readonly ILookup<DebtorId, ComplianceExceptionGrant> _grants;
    private readonly Disputes.DisputeFacts _disputes;
    private readonly CollectionStops _stops;
    private readonly Dictionary<DebtorId, ContactCase> _cases = [];

    private GateFacts(
        ILookup<DebtorId, Data.Accounts.AccountSummary> summaries, ILookup<DebtorId, Domain.Conversations.Interaction> log,
        ILookup<DebtorId, ComplianceExceptionGrant> grants, Disputes.DisputeFacts disputes, CollectionStops stops)
    {
        _summaries = summaries;
        _log = log;
        _grants = grants;
        _disputes = disputes;
        _stops = stops;
    }

    public static async Task<GateFacts> LoadAsync(RecoupDbContext db, IReadOnlyList<DebtorId> debtors, DateTimeOffset now, TimeSpan history, CancellationToken ct)
    {
        var ids = debtors.Distinct().ToList();
        var since = now - history;
        var summaries = await Chunks.QueryAsync(ids, chunk => db.AccountSummaries.AsNoTracking().Where(s => chunk.Contains(s.DebtorId)), ct);
        var log = await Chunks.QueryAsync(ids, chunk => db.Interactions.AsNoTracking().Where(i => chunk.Contains(i.DebtorId) && i.OccurredAt >= since), ct);
        var grants = await Chunks.QueryAsync(ids, chunk => db.ComplianceExceptionGrants.AsNoTracking().Where(g => chunk.Contains(g.DebtorId) && g.ValidUntil > now), ct);
        var disputes = await Disputes.DisputeFacts.LoadAsync(db, ids, ct);
        var stops = await CollectionStops.LoadAsync(db, ids, now, ct);
        return new GateFacts(summaries.ToLookup(s => s.DebtorId), log.ToLookup(i => i.DebtorId), grants.ToLookup(g => g.DebtorId), disputes, stops);
    }

    /// <summary>The debtor's case for the gate, made once per debtor of the batch (a debtor's letter and e-mail share it).</summary>
    public ContactCase For(DebtorContacts debtor)
    {
        if (!_cases.TryGetValue(debtor.Id, out var known))
        {
            var facts = ComplianceCheck.Facts(debtor, [.. _summaries[debtor.Id]], [.. _log[debtor.Id]], [.. _grants[debtor.Id]]);
            known = _cases[debtor.Id] = _stops.Apply(_disputes.Apply(facts), debtor.Id);
        }

        return known;
    }
}
