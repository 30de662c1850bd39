using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Recoup.Data.Identity;
using Recoup.Data.Outbox;
using Recoup.Domain;
using Recoup.Domain.Debtors;
using Recoup.Testing;
using Recoup.Web.Messaging;

namespace Recoup.Web.Tests.Messaging;

/// <summary>
/// Messaging through HTTP: the anonymous opt-out page an e-mail links to, STOP replies forwarded by an SMS
/// provider, webhook subscriptions, and the supervisors' outbox.
/// </summary>
public abstract partial class MessagingApiTests(ApiFixture fixture)
{
    private const string SmsSecret = "sms-shared-secret-2026";

    private HttpClient SmsProvider() => fixture.Factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddSingleton(new SmsSettings("test", TempFolder.Create("sms"), SmsSecret))))
        .CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private async Task<(string Debtor, string Account, Guid Message)> EmailSentAsync(string name, string email, string phone = "")
    {
        var (debtor, account) = await TestDebtors.AddAsync(fixture, name, $"{email},{phone},,,,,,");
        await using var db = fixture.Database.CreateContext();
        var point = await db.ContactPoints.AsNoTracking().SingleAsync(c => c.Kind == ContactKind.Email && db.Debtors.Any(d => d.Id == c.DebtorId && d.ExternalId == debtor));
        var now = fixture.Clock.GetUtcNow();
        var message = new OutboxMessage
        {
            Id = SequentialGuid.Create(now), Channel = OutboxChannel.Email, Purpose = "first_reminder", AccountId = Guid.Parse(account), DebtorId = point.DebtorId.Value,
            ContactPointId = point.Id.Value, Recipient = email, Subject = "Past due", Body = "Your account is past due.", CreatedAt = now, NotBefore = now,
            Status = OutboxStatus.Sent, SentAt = now, Attempts = 1, CreatedBy = "test",
        };
        db.Outbox.Add(message);
        await db.SaveChangesAsync();
        return (debtor, account, message.Id);
    }

    private async Task<ContactPoint> PointAsync(string debtor, ContactKind kind)
    {
        await using var db = fixture.Database.CreateContext();
        return await db.ContactPoints.AsNoTracking().SingleAsync(c => c.Kind == kind && db.Debtors.Any(d => d.Id == c.DebtorId && d.ExternalId == debtor));
    }

    [Fact]
    public async Task The_opt_out_link_shows_a_confirmation_without_signing_in_and_the_confirmation_opts_the_address_out()
    {
        var (debtor, account, message) = await EmailSentAsync("Opal Outerbridge", "opal.outerbridge@example.com");
        var browser = fixture.Factory.Anonymous();

        var page = await browser.GetAsync($"/opt-out/{message}");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var text = WebUtility.HtmlDecode(html);
        Assert.Contains("Stop these messages?", text, StringComparison.Ordinal);
        Assert.Contains("o•••@example.com", text, StringComparison.Ordinal);
        Assert.DoesNotContain("opal.outerbridge@example.com", text, StringComparison.Ordinal);
        Assert.Null((await PointAsync(debtor, ContactKind.Email)).OptedOutAt);

        var form = HiddenInputs().Matches(html).Select(m => m.Value).ToDictionary(
            input => WebUtility.HtmlDecode(Attribute(input, "name")), input => WebUtility.HtmlDecode(Attribute(input, "value")));
        Assert.Contains("__RequestVerificationToken", form.Keys);
        var posted = await browser.PostAsync($"/opt-out/{message}", new FormUrlEncodedContent(form));
        var done = await posted.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Contains("You are unsubscribed", done, StringComparison.Ordinal);

        Assert.NotNull((await PointAsync(debtor, ContactKind.Email)).OptedOutAt);
        Assert.Contains("contact_point.changed", await TestDebtors.AuditActionsAsync(fixture, account));
        Assert.Contains("You are unsubscribed", await (await browser.GetAsync($"/opt-out/{message}")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Link not recognised", await (await browser.GetAsync($"/opt-out/{Guid.NewGuid()}")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stop_reply_forwarded_with_the_shared_secret_opts_the_number_out_and_a_wrong_secret_changes_nothing()
    {
        var (debtor, account, _) = await EmailSentAsync("Stella Stopford", "stella@stopford.example", "+1 415 555 0143");
        var provider = SmsProvider();

        var wrong = await Json.PostAsync(provider, "/api/sms/inbound", new { from = "+14155550143", text = "STOP" }, ("X-Recoup-Sms-Secret", "guess"));
        Assert.Equal("sms_secret_invalid", (await Json.ReadAsync(wrong, HttpStatusCode.Unauthorized)).Str("code"));
        Assert.Null((await PointAsync(debtor, ContactKind.Phone)).OptedOutAt);

        var chat = await Json.ReadAsync(await Json.PostAsync(provider, "/api/sms/inbound", new { from = "+14155550143", text = "ok thanks" }, ("X-Recoup-Sms-Secret", SmsSecret)));
        Assert.False(chat.GetProperty("opt_out").GetBoolean());

        // As Twilio posts it: a form, the secret in the query.
        var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["From"] = "+14155550143", ["Body"] = "Stop" });
        var stop = await Json.ReadAsync(await provider.PostAsync($"/api/sms/inbound?secret={SmsSecret}", form));
        Assert.Equal(("+14155550143", true, 1), (stop.Str("from"), stop.GetProperty("opt_out").GetBoolean(), stop.GetProperty("contact_points_opted_out").GetInt32()));
        Assert.NotNull((await PointAsync(debtor, ContactKind.Phone)).OptedOutAt);
        Assert.Contains("contact_point.changed", await TestDebtors.AuditActionsAsync(fixture, account));

        // Without a configured secret the endpoint is closed.
        var closed = await Json.PostAsync(fixture.Factory.Anonymous(), "/api/sms/inbound", new { from = "+14155550143", text = "STOP" }, ("X-Recoup-Sms-Secret", SmsSecret));
        Assert.Equal("sms_inbound_not_configured", (await Json.ReadAsync(closed, HttpStatusCode.NotFound)).Str("code"));
    }

    [Fact]
    public async Task An_admin_creates_lists_and_deactivates_webhook_subscriptions_and_the_secret_is_shown_once()
    {
        var admin = fixture.As(Roles.Admin);
        var created = await Json.ReadAsync(await Json.PostAsync(admin, "/api/webhooks/subscriptions",
            new { url = "https://crm.example.com/hooks/recoup", event_types = new[] { "payment.posted", "promise.broken" }, description = "CRM" }), HttpStatusCode.Created);
        var secret = created.Str("secret");
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        var id = created.GetProperty("subscription").Str("id");
        Assert.Equal(["payment.posted", "promise.broken"], created.GetProperty("subscription").GetProperty("event_types").EnumerateArray().Select(e => e.GetString()));

        var listed = await Json.GetAsync(admin, "/api/webhooks/subscriptions");
        var mine = listed.EnumerateArray().Single(s => s.Str("id") == id);
        Assert.True(mine.GetProperty("active").GetBoolean());
        Assert.DoesNotContain(secret, listed.GetRawText(), StringComparison.Ordinal);
        Assert.False(mine.TryGetProperty("secret", out _));

        var bad = await Json.ReadAsync(await Json.PostAsync(admin, "/api/webhooks/subscriptions", new { url = "http://crm.example.com/x", event_types = new[] { "payment.posted" } }), HttpStatusCode.BadRequest);
        Assert.Equal("url_invalid", bad.Str("code"));
        var unknown = await Json.ReadAsync(await Json.PostAsync(admin, "/api/webhooks/subscriptions", new { url = "https://crm.example.com/x", event_types = new[] { "payment.bounced" } }), HttpStatusCode.BadRequest);
        Assert.Equal("event_type_unknown", unknown.Str("code"));
        Assert.Equal(HttpStatusCode.Forbidden, (await Json.PostAsync(fixture.As(Roles.Supervisor), "/api/webhooks/subscriptions", new { url = "https://x.example/h", event_types = new[] { "payment.posted" } })).StatusCode);

        var deactivated = await Json.ReadAsync(await admin.PostAsync($"/api/webhooks/subscriptions/{id}/deactivate", null));
        Assert.False(deactivated.GetProperty("active").GetBoolean());
        Assert.Empty((await Json.GetAsync(admin, $"/api/webhooks/subscriptions/{id}/deliveries")).EnumerateArray());
        Assert.Equal("webhook_subscription_not_found", (await Json.ReadAsync(await admin.PostAsync($"/api/webhooks/subscriptions/{Guid.NewGuid()}/deactivate", null), HttpStatusCode.NotFound)).Str("code"));
    }

    [Fact]
    public async Task Supervisors_see_the_outbox_with_status_and_reason_collectors_do_not()
    {
        var (_, _, message) = await EmailSentAsync("Otto Outbox", "otto@outbox.example");
        var page = await Json.GetAsync(fixture.As(Roles.Supervisor), "/api/outbox?status=sent&channel=email&limit=200");
        var item = page.GetProperty("items").EnumerateArray().Single(m => m.Str("id") == message.ToString());
        Assert.Equal(("email", "sent", "otto@outbox.example"), (item.Str("channel"), item.Str("status"), item.Str("recipient")));
        Assert.True(page.GetProperty("counts").GetProperty("sent").GetInt32() >= 1);

        var detail = await Json.GetAsync(fixture.As(Roles.Manager), $"/api/outbox/{message}");
        Assert.Equal("Your account is past due.", detail.Str("body"));
        Assert.Equal("invalid_request", (await Json.ReadAsync(await fixture.As(Roles.Supervisor).GetAsync("/api/outbox?status=lost"), HttpStatusCode.BadRequest)).Str("code"));
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.As(Roles.Collector).GetAsync("/api/outbox")).StatusCode);

        var html = await (await fixture.Factory.WithBearer(fixture.KeyOf(Roles.Supervisor)).GetAsync("/outbox?status=sent")).Content.ReadAsStringAsync();
        Assert.Contains("otto@outbox.example", html, StringComparison.Ordinal);
    }

    private static string Attribute(string input, string name) => Regex.Match(input, $"{name}=\"(?<v>[^\"]*)\"").Groups["v"].Value;

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*>")]
    private static partial Regex HiddenInputs();
}

[Collection("sqlite")]
public sealed class SqliteMessagingApiTests(SqliteApi fixture) : MessagingApiTests(fixture);

[Collection("postgres")]
public sealed class PostgresMessagingApiTests(PostgresApi fixture) : MessagingApiTests(fixture);
