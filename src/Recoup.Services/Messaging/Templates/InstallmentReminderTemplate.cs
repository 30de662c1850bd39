using Recoup.Data;
using Recoup.Data.Messaging.Templates;
using Recoup.Data.Outbox;
using Recoup.Domain;
using Recoup.Domain.Debtors;

namespace Recoup.Services.Messaging.Templates;

/// <summary>
/// Writes plan reminders (<c>PlanReminders</c>) from the <c>installment_reminder</c> template: the facts of a chunk's
/// accounts are read once, and each reminder is rendered in its debtor's language into the outbox message the plan
/// monitoring already decided to write (its id names the opt-out link).
/// </summary>
public sealed class InstallmentReminderTemplate
{
    public const string Key = "installment_reminder";

    private readonly RecoupDbContext _db;
    private readonly Dictionary<AccountId, AccountForMessage> _accounts;
    private readonly MessagingSettings _settings;
    private readonly Dictionary<(TemplateChannel, string), MessageTemplateVersion?> _templates = [];

    private InstallmentReminderTemplate(RecoupDbContext db, Dictionary<AccountId, AccountForMessage> accounts, MessagingSettings settings)
    {
        _db = db;
        _accounts = accounts;
        _settings = settings;
    }

    /// <param name="settings">Who the messages come from (<c>Recoup:Company</c>, <c>Recoup:Messaging</c>): the caller's, from its own host.</param>
    public static async Task<InstallmentReminderTemplate> ForAsync(RecoupDbContext db, IEnumerable<AccountId> accounts, DateTimeOffset now, MessagingSettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new InstallmentReminderTemplate(db, await TemplateFactsLoader.LoadAsync(db, [.. accounts], DateOnly.FromDateTime(now.UtcDateTime), ct), settings);
    }

    /// <summary>Fills the message's subject, text, HTML and template fields for the installment.</summary>
    public async Task FillAsync(OutboxMessage message, AccountId accountId, int number, DateOnly due, Money amount, ContactPoint point, CancellationToken ct)
    {
        if (!_accounts.TryGetValue(accountId, out var account))
        {
            return;
        }

        var channel = message.Channel == OutboxChannel.Sms ? TemplateChannel.Sms : TemplateChannel.Email;
        var language = TemplateFormat.Normalize(account.Debtor.Language);
        if (!_templates.TryGetValue((channel, language), out var template))
        {
            template = _templates[(channel, language)] = await MessageTemplates.LiveAsync(_db, Key, channel, language, ct) ?? MessageTemplates.AddStandard(_db, Key, channel, language, message.CreatedAt);
        }

        if (template is null)
        {
            return;
        }

        var rendered = ComposeMessage.Render(account, new ComposeRequest(accountId, Key, channel) { Installment = new InstallmentFacts(number, due, amount) },
            template, point, _settings, message.CreatedAt, message.CreatedBy);
        var url = _settings.OptOutUrl(rendered.Id);
        var own = _settings.OptOutUrl(message.Id);
        message.Subject = rendered.Subject;
        message.Body = rendered.Body.Replace(url, own, StringComparison.Ordinal);
        message.HtmlBody = rendered.HtmlBody?.Replace(url, own, StringComparison.Ordinal);
        message.TemplateKey = rendered.TemplateKey;
        message.TemplateVersion = rendered.TemplateVersion;
        message.Language = rendered.Language;
    }
}
