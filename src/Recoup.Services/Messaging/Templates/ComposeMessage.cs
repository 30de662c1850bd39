using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Data.Messaging.Templates;
using Recoup.Data.Outbox;
using Recoup.Domain;
using Recoup.Domain.Compliance;
using Recoup.Domain.Debtors;
using Recoup.Services.Audit;
using Recoup.Services.Compliance;
using Recoup.Services.Storage;

namespace Recoup.Services.Messaging.Templates;

/// <summary>
/// A message to write to one account's debtor from a template. An account is one debtor's debt in one currency,
/// so the daily run sends one consolidated message per debtor and currency by composing once per account: the
/// message lists every past-due invoice unless <see cref="InvoiceNumbers"/> narrows it.
/// </summary>
public sealed record ComposeRequest(AccountId AccountId, string TemplateKey, TemplateChannel Channel)
{
    /// <summary>The business date the message is written on (amounts, days past due, validation period); today when null.</summary>
    public DateOnly? AsOf { get; init; }

    /// <summary>Only these invoices (by number) instead of every past-due one.</summary>
    public IReadOnlyList<string>? InvoiceNumbers { get; init; }

    /// <summary>A particular phone, e-mail address or postal address; else the best usable one of the channel's kind.</summary>
    public ContactPointId? ContactPointId { get; init; }

    public DisputeFacts? Dispute { get; init; }

    /// <summary>The installment a reminder is for, instead of the plan's next one.</summary>
    public InstallmentFacts? Installment { get; init; }

    /// <summary>What the outbox records the message is for; the template key when null.</summary>
    public string? Purpose { get; init; }

    /// <summary>Makes the message unique: a second compose with the same key is refused (<c>message_duplicate</c>).</summary>
    public string? DedupKey { get; init; }

    public DateTimeOffset? NotBefore { get; init; }
}

/// <summary>
/// Composes a message from a template: picks the contact point of the channel and the debtor's language
/// (English when the template has no version in it), puts the contact to the compliance gate (a contact the gate
/// refuses outright is not queued; one it only delays waits in the outbox until the gate's next allowed time),
/// renders the live template version and adds the outbox message — with the template key, version and language,
/// the rendered text and HTML, and the contact point — to the caller's unit of work. The message's id is made
/// before rendering so that the e-mail's opt-out link names it.
/// </summary>
public sealed class ComposeMessage(RecoupDatabase database, TimeProvider clock, MessagingSettings settings, RuleSet rules)
{
    /// <summary>Composes and saves one message, audited on the account's timeline as <c>message.queued</c>.</summary>
    public async Task<Result<OutboxMessage>> QueueAsync(ComposeRequest request, string actor, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var now = clock.GetUtcNow();
        await MessageTemplates.EnsureStandardAsync(db, now, ct);
        var asOf = request.AsOf ?? clock.Today();
        var loaded = await TemplateFactsLoader.LoadAsync(db, [request.AccountId], asOf, ct);
        if (!loaded.TryGetValue(request.AccountId, out var account))
        {
            return new Error("account_not_found", $"There is no account {request.AccountId}", "account_id");
        }

        var composed = await ComposeAsync(db, account, request, settings, rules, now, actor, ct);
        if (!composed.IsSuccess)
        {
            return composed;
        }

        var message = composed.Value;
        db.AuditLog.Add(AuditLog.Record(now, actor, "message.queued", AuditEntities.Account, request.AccountId.ToString(), null, new
        {
            message_id = message.Id,
            channel = message.Channel.ToString().ToLowerInvariant(),
            template = message.TemplateKey,
            template_version = message.TemplateVersion,
            language = message.Language,
            recipient = message.Recipient,
            not_before = message.NotBefore,
        }));
        await db.SaveChangesAsync(ct);
        return message;
    }

    /// <summary>
    /// Composes one message for an account already loaded and adds it to <paramref name="db"/> (not saved: the caller
    /// saves it with the rest of its transaction).
    /// </summary>
    public static async Task<Result<OutboxMessage>> ComposeAsync(
        RecoupDbContext db, AccountForMessage account, ComposeRequest request, MessagingSettings settings, RuleSet rules,
        DateTimeOffset now, string actor, CancellationToken ct)
    {
        var debtor = account.Debtor;
        var point = PickContactPoint(debtor, request.Channel, request.ContactPointId, now);
        if (point is null)
        {
            return new Error("no_contact_point",
                $"Debtor {debtor.ExternalId} has no usable {Describe(request.Channel)} to send '{request.TemplateKey}' to", "contact_point_id");
        }

        var language = TemplateFormat.Normalize(debtor.Language);
        var template = await MessageTemplates.LiveAsync(db, request.TemplateKey, request.Channel, language, ct);
        if (template is null)
        {
            return new Error("template_not_found", $"There is no {MessageTemplates.ChannelName(request.Channel)} template '{request.TemplateKey}'", "template");
        }

        if (request.DedupKey is { } dedup && await db.Outbox.AnyAsync(m => m.DedupKey == dedup, ct))
        {
            return new Error("message_duplicate", $"A message for '{dedup}' was already written", "dedup_key");
        }

        var notBefore = request.NotBefore ?? now;
        var decision = await GateAsync(db, debtor, point, request.Channel, account.AccountId, notBefore, rules, request.Purpose ?? request.TemplateKey, ct);
        if (!decision.Allowed)
        {
            if (decision.NextAllowedAt is not { } later)
            {
                return new Error("contact_blocked",
                    $"The compliance gate refuses this {Describe(request.Channel)}: {string.Join("; ", decision.Reasons.Select(r => $"{r.Message} ({r.Citation})"))}", "contact_point_id");
            }

            notBefore = later;
        }

        var message = Render(account, request, template, point, settings, now, actor);
        message.NotBefore = notBefore;
        db.Outbox.Add(message);
        return message;
    }

    /// <summary>Renders the message (no gate, nothing saved): the part of composing the letter run repeats for every letter.</summary>
    public static OutboxMessage Render(
        AccountForMessage account, ComposeRequest request, MessageTemplateVersion template, ContactPoint point, MessagingSettings settings, DateTimeOffset now, string actor)
    {
        var facts = account.Facts;
        if (request.InvoiceNumbers is { } numbers)
        {
            var wanted = numbers.ToHashSet(StringComparer.Ordinal);
            facts = facts with { Invoices = [.. facts.Invoices.Where(i => wanted.Contains(i.Number))] };
        }

        if (request.Dispute is { } dispute)
        {
            facts = facts with { Dispute = dispute };
        }

        if (request.Installment is { } installment && facts.Plan is { } plan)
        {
            facts = facts with { Plan = plan with { Next = installment } };
        }

        if (point.Address is { } address)
        {
            facts = facts with { Address = address };
        }

        var id = SequentialGuid.Create(now);
        var model = TemplateModel.Build(facts, template.Language, settings, settings.OptOutUrl(id));
        // A letter's HTML is its text's markup in the standard page (LetterMarkup.Document): it is neither made nor stored
        // here, but made again from the text where it is shown (OutboxListing.HtmlOf).
        var rendered = TemplateRenderer.Render(template, model, letterHtml: false);
        return new OutboxMessage
        {
            Id = id,
            Channel = request.Channel switch
            {
                TemplateChannel.Email => OutboxChannel.Email,
                TemplateChannel.Sms => OutboxChannel.Sms,
                TemplateChannel.Letter => OutboxChannel.Letter,
                _ => throw new ArgumentOutOfRangeException(nameof(request)),
            },
            Purpose = request.Purpose ?? request.TemplateKey,
            AccountId = account.AccountId.Value,
            DebtorId = account.Debtor.Id.Value,
            Recipient = point.Value,
            ContactPointId = point.Id.Value,
            Subject = rendered.Subject,
            Body = rendered.Text,
            HtmlBody = rendered.Html,
            TemplateKey = template.Key,
            TemplateVersion = template.Version,
            Language = template.Language,
            DedupKey = request.DedupKey,
            CreatedAt = now,
            NotBefore = now,
            Status = OutboxStatus.Pending,
            CreatedBy = actor,
        };
    }

    /// <summary>
    /// The contact point a message of the channel goes to: the one asked for when it is of the right kind, else the
    /// primary usable one; never one the debtor opted out of, and for texts only a number with text consent.
    /// Postal addresses with returned mail are not usable.
    /// </summary>
    public static ContactPoint? PickContactPoint(DebtorContacts debtor, TemplateChannel channel, ContactPointId? wanted, DateTimeOffset now)
    {
        var kind = channel switch
        {
            TemplateChannel.Email => ContactKind.Email,
            TemplateChannel.Sms => ContactKind.Phone,
            TemplateChannel.Letter => ContactKind.Postal,
            _ => throw new ArgumentOutOfRangeException(nameof(channel)),
        };
        var candidates = debtor.ContactPoints
            .Where(c => c.Kind == kind && c.IsUsable && c.OptedOutAt is null)
            .Where(c => channel != TemplateChannel.Sms || (c.TextConsent is { } consent && consent.IsActiveAt(now)))
            .OrderByDescending(c => c.IsPrimary);
        return wanted is { } id ? candidates.FirstOrDefault(c => c.Id == id) : candidates.FirstOrDefault();
    }

    /// <summary>
    /// The gate's answer for a message to this contact point at <paramref name="at"/> (an automated contact), with every
    /// fact the gate knows: the debtor's accounts, history and exceptions, disputes, collection holds and placements.
    /// </summary>
    public static async Task<GateDecision> GateAsync(
        RecoupDbContext db, DebtorContacts debtor, ContactPoint point, TemplateChannel channel, AccountId accountId, DateTimeOffset at, RuleSet rules, string? purpose, CancellationToken ct)
    {
        var facts = await GateFacts.LoadAsync(db, [debtor.Id], at, ct);
        var medium = channel switch
        {
            TemplateChannel.Email => ContactChannel.Email,
            TemplateChannel.Sms => ContactChannel.Sms,
            TemplateChannel.Letter => ContactChannel.Letter,
            _ => throw new ArgumentOutOfRangeException(nameof(channel)),
        };
        return facts.Check(debtor, point, medium, accountId, at, rules, GateFacts.PurposeOf(purpose));
    }

    private static string Describe(TemplateChannel channel) => channel switch
    {
        TemplateChannel.Email => "e-mail address",
        TemplateChannel.Sms => "mobile number with consent to texts",
        TemplateChannel.Letter => "postal address",
        _ => "contact point",
    };
}
