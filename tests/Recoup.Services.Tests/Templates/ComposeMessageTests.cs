using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Data.Messaging.Templates;
using Recoup.Data.Outbox;
using Recoup.Domain;
using Recoup.Domain.Compliance;
using Recoup.Services.Imports;
using Recoup.Services.Messaging.Templates;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Services.Tests.Templates;

/// <summary>Templates saved and versioned, and messages composed into the outbox — on both providers.</summary>
public sealed class ComposeMessageTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 15, 0, 0, TimeSpan.Zero));
    private readonly MessagingSettings _settings = new() { PublicBaseUrl = "https://recoup.example.com" };

    private async Task<(RecoupDatabase Database, AccountId Account)> SeedAsync(DatabaseProvider provider, string language = "en")
    {
        var database = await TestDatabases.CreateAsync(provider);
        var portfolio = new TestPortfolio()
            .Debtors("T1,Ana Pérez,person,consumer,ana@example.com,+13125550134,1 Oak St,Chicago,IL,60601,US,America/Chicago")
            .Invoices("T-INV-1,T1,2026-08-01,2026-08-31,400.00,USD", "T-INV-2,T1,2026-09-01,2026-09-30,250.00,USD", "T-INV-3,T1,2026-11-01,2026-12-31,99.00,USD");
        Assert.True((await new ImportPortfolio(database, _clock).RunAsync(portfolio.Folder)).Succeeded);
        await using var db = database.CreateContext();
        var debtor = await db.Debtors.SingleAsync();
        debtor.ChangeLanguage(language);
        await db.SaveChangesAsync();
        return (database, (await db.Accounts.SingleAsync()).Id);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_saved_version_becomes_live_the_old_one_is_kept_and_a_wrong_one_is_refused_with_its_line(DatabaseProvider provider)
    {
        var (database, _) = await SeedAsync(provider);
        var templates = new MessageTemplates(database, _clock, _settings);

        var list = await templates.ListAsync();
        Assert.Contains(list, t => t is { Key: "validation_notice", Channel: TemplateChannel.Letter, Language: "es", Version: 1, CreatedBy: "system" });

        var saved = await templates.SaveAsync(new SaveTemplate("first_reminder", TemplateChannel.Sms, "en", null, "{{ debtor.name }}, please call {{ company.phone }}.", null, "shorter"), "maria");
        Assert.True(saved.IsSuccess, saved.Error?.Message);
        Assert.Equal(2, saved.Value.Version);

        var refused = await templates.SaveAsync(new SaveTemplate("first_reminder", TemplateChannel.Sms, "en", null, "Hi\n{{ debtor.phone }}", null), "maria");
        Assert.Equal("template_invalid", refused.Error!.Code);
        Assert.Contains("body line 2: Unknown variable 'debtor.phone'", refused.Error.Message, StringComparison.Ordinal);

        var history = await templates.HistoryAsync("first_reminder", TemplateChannel.Sms, "en");
        Assert.Equal([2, 1], history.Value.Select(v => v.Version));
        await using var db = database.CreateContext();
        Assert.Equal(1, await db.AuditLog.CountAsync(a => a.Action == "template.saved"));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_Spanish_speaking_debtor_gets_one_e_mail_listing_every_past_due_invoice_with_an_opt_out_link_naming_the_message(DatabaseProvider provider)
    {
        var (database, account) = await SeedAsync(provider, "es");
        var compose = new ComposeMessage(database, _clock, _settings, RuleSet.Default);

        var result = await compose.QueueAsync(new ComposeRequest(account, "first_reminder", TemplateChannel.Email), "maria");

        Assert.True(result.IsSuccess, result.Error?.Message);
        await using var db = database.CreateContext();
        var message = await db.Outbox.SingleAsync();
        Assert.Equal((OutboxChannel.Email, "ana@example.com", "first_reminder", 1, "es", OutboxStatus.Pending),
            (message.Channel, message.Recipient, message.TemplateKey, message.TemplateVersion, message.Language, message.Status));
        Assert.NotNull(message.ContactPointId);
        Assert.Contains("Factura T-INV-1", message.Body, StringComparison.Ordinal);
        Assert.Contains("Factura T-INV-2", message.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("T-INV-3", message.Body, StringComparison.Ordinal);
        Assert.Contains("650,00 USD", message.Body, StringComparison.Ordinal);
        Assert.Contains($"https://recoup.example.com/opt-out/{message.Id:D}", message.Body, StringComparison.Ordinal);
        Assert.Contains($"https://recoup.example.com/opt-out/{message.Id:D}", message.HtmlBody, StringComparison.Ordinal);
        Assert.Equal(1, await db.AuditLog.CountAsync(a => a.Action == "message.queued"));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_letter_is_stored_once_as_text_and_its_outbox_page_shows_it_as_HTML_in_the_debtors_language(DatabaseProvider provider)
    {
        var (database, account) = await SeedAsync(provider, "es");
        var compose = new ComposeMessage(database, _clock, _settings, RuleSet.Default);

        var result = await compose.QueueAsync(new ComposeRequest(account, "first_reminder", TemplateChannel.Letter), "maria");

        Assert.True(result.IsSuccess, result.Error?.Message);
        await using var db = database.CreateContext();
        var message = await db.Outbox.SingleAsync();
        Assert.Equal(OutboxChannel.Letter, message.Channel);
        Assert.Null(message.HtmlBody);
        Assert.Contains("T-INV-1", message.Body, StringComparison.Ordinal);
        var page = await new Recoup.Services.Messaging.Dispatch.OutboxListing(database).GetAsync(message.Id);
        Assert.True(page.IsSuccess, page.Error?.Message);
        Assert.Equal(message.Body, page.Value.Body);
        var html = page.Value.HtmlBody!;
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"es\">", html, StringComparison.Ordinal);
        Assert.Contains("T-INV-1", html, StringComparison.Ordinal);
        Assert.Contains("T-INV-2", html, StringComparison.Ordinal);
        Assert.DoesNotContain("T-INV-3", html, StringComparison.Ordinal);
        Assert.Contains("650,00 USD", html, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_text_needs_consent_and_nothing_is_queued_to_a_debtor_who_asked_that_communication_cease(DatabaseProvider provider)
    {
        var (database, account) = await SeedAsync(provider);
        var compose = new ComposeMessage(database, _clock, _settings, RuleSet.Default);

        var sms = await compose.QueueAsync(new ComposeRequest(account, "first_reminder", TemplateChannel.Sms), "maria");
        Assert.Equal("no_contact_point", sms.Error!.Code);

        await using (var db = database.CreateContext())
        {
            (await db.Debtors.SingleAsync()).CeaseCommunication(_clock.GetUtcNow().AddDays(-1));
            await db.SaveChangesAsync();
        }

        var email = await compose.QueueAsync(new ComposeRequest(account, "first_reminder", TemplateChannel.Email), "maria");
        Assert.Equal("contact_blocked", email.Error!.Code);
        await using var check = database.CreateContext();
        Assert.Equal(0, await check.Outbox.CountAsync());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_debtor_whose_language_has_no_template_gets_English(DatabaseProvider provider)
    {
        var (database, account) = await SeedAsync(provider, "fr");
        var result = await new ComposeMessage(database, _clock, _settings, RuleSet.Default)
            .QueueAsync(new ComposeRequest(account, "second_reminder", TemplateChannel.Email), "maria");

        Assert.Equal("en", result.Value.Language);
        Assert.StartsWith("Second notice", result.Value.Subject, StringComparison.Ordinal);
    }
}
