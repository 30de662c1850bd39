using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Recoup.Data.Outbox;
using Recoup.Domain;
using Recoup.Domain.Debtors;
using static Microsoft.Playwright.Assertions;

namespace Recoup.Browser.Tests;

/// <summary>An administrator subscribes a system to webhooks; a supervisor reads the outbox; a debtor opts out from an e-mail's link.</summary>
[Collection(SiteCollection.Name)]
public sealed class MessagingScreenTests(RecoupSite site)
{
    [Fact]
    public async Task AnAdmin_SubscribesAWebhook_AndSeesTheSecretOnce()
    {
        var page = await site.SignedInAsync("admin");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Webhooks" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Webhooks", Exact = true })).ToBeVisibleAsync();

        await page.GetByLabel("URL").FillAsync("https://crm.example.com/hooks/recoup");
        await page.GetByLabel("payment.posted").CheckAsync();
        await page.GetByLabel("promise.broken").CheckAsync();
        await page.GetByLabel("Description").FillAsync("Sales CRM");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create subscription" }).ClickAsync();

        await Expect(page.GetByTestId("webhook-secret")).ToContainTextAsync("whsec_");
        var hook = page.GetByTestId("webhook").Filter(new() { HasText = "Sales CRM" });
        await Expect(hook).ToContainTextAsync("payment.posted, promise.broken");
        await Expect(hook).ToContainTextAsync("Active");
        await RecoupSite.ScreenshotAsync(page, "20-webhooks");

        await page.GotoAsync("/admin/webhooks");
        await Expect(page.GetByTestId("webhook-secret")).ToHaveCountAsync(0);
        await hook.GetByRole(AriaRole.Button, new() { Name = "Deactivate" }).ClickAsync();
        await Expect(page.GetByTestId("webhook").Filter(new() { HasText = "Sales CRM" })).ToContainTextAsync("Deactivated");
    }

    [Fact]
    public async Task ASupervisor_SeesBlockedMessagesWithTheirReason_AndADebtorOptsOutFromTheLink()
    {
        Guid blocked, sent;
        await using (var db = site.Database.CreateContext())
        {
            var debtor = await db.Debtors.AsNoTracking().Include(d => d.ContactPoints)
                .Where(d => d.ContactPoints.Any(c => c.Kind == ContactKind.Email)).OrderBy(d => d.ExternalId).FirstAsync();
            var point = debtor.ContactPoints.First(c => c.Kind == ContactKind.Email);
            var account = await db.Accounts.AsNoTracking().FirstAsync(a => a.DebtorId == debtor.Id);
            var now = DateTimeOffset.UtcNow;
            OutboxMessage Message(OutboxStatus status, string? error) => new()
            {
                Id = SequentialGuid.Create(now), Channel = OutboxChannel.Email, Purpose = "first_reminder", AccountId = account.Id.Value, DebtorId = debtor.Id.Value,
                ContactPointId = point.Id.Value, Recipient = point.Value, Subject = "Your account is past due", Body = "Your account is past due.", TemplateKey = "first_reminder",
                TemplateVersion = 2, Language = "en", CreatedAt = now, NotBefore = now, Status = status, LastError = error, Attempts = status == OutboxStatus.Sent ? 1 : 0,
                SentAt = status == OutboxStatus.Sent ? now : null, CreatedBy = "browser-test",
            };
            var b = Message(OutboxStatus.Blocked, "cease-communication (12 CFR 1006.6(c)): The debtor asked us to stop communicating");
            var s = Message(OutboxStatus.Sent, null);
            db.Outbox.AddRange(b, s);
            await db.SaveChangesAsync();
            (blocked, sent) = (b.Id, s.Id);
        }

        var page = await site.SignedInAsync("supervisor");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Outbox" }).ClickAsync();
        await page.GetByTestId("outbox-filters").GetByRole(AriaRole.Link, new() { Name = "Blocked" }).ClickAsync();
        await Expect(page.GetByTestId("outbox")).ToContainTextAsync("The debtor asked us to stop communicating");
        await RecoupSite.ScreenshotAsync(page, "21-outbox");

        var debtorPage = await site.NewPageAsync();
        await debtorPage.GotoAsync($"{site.Url}/opt-out/{sent}");
        await Expect(debtorPage.GetByRole(AriaRole.Heading, new() { Name = "Stop these messages?" })).ToBeVisibleAsync();
        await RecoupSite.ScreenshotAsync(debtorPage, "22-opt-out");
        await debtorPage.GetByTestId("opt-out-confirm").ClickAsync();
        await Expect(debtorPage.GetByTestId("opt-out-done")).ToContainTextAsync("We will not send any more e-mails");
        await RecoupSite.ScreenshotAsync(debtorPage, "23-opted-out");
        Assert.NotEqual(blocked, sent);
    }
}
