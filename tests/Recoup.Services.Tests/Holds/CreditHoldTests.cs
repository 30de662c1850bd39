using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Data.Outbox;
using Recoup.Data.Webhooks;
using Recoup.Services.Holds;
using Recoup.Services.Imports;
using Recoup.Services.Storage;
using Recoup.Services.Webhooks;
using Recoup.Testing;

namespace Recoup.Services.Tests.Holds;

/// <summary>Credit holds of business customers: sales told by webhook and e-mail in the same transaction, the shutdown report — on both providers.</summary>
public sealed class CreditHoldTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 15, 0, 0, TimeSpan.Zero));

    private async Task<RecoupDatabase> SeedAsync(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var portfolio = new TestPortfolio()
            .Debtors(
                "B1,Northwind Traders,business,commercial,ap@northwind.example,,1 Harbor Way,Seattle,WA,98101,US,America/Los_Angeles",
                "P1,Pat Doe,person,consumer,,,,,,,,")
            .Invoices("B-INV-1,B1,2026-08-01,2026-08-31,1200.00,USD", "B-INV-2,B1,2026-09-01,2026-09-30,800.50,USD", "P-INV-1,P1,2026-08-01,2026-08-31,50.00,USD");
        Assert.True((await new ImportPortfolio(database, _clock).RunAsync(portfolio.Folder)).Succeeded);
        await using var db = database.CreateContext();
        db.WebhookSubscriptions.Add(new WebhookSubscription
        {
            Id = Guid.NewGuid(), Url = "https://sales.example/hooks", Secret = "s3cret", EventTypes = [WebhookEvents.CreditHoldChanged], Active = true,
            CreatedAt = _clock.GetUtcNow(), CreatedBy = "test",
        });
        await db.SaveChangesAsync();
        return database;
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task PuttingABusinessOnHold_TellsSales_AndTheShutdownReportShowsExposureAndDays(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);
        var holds = new CreditHolds(database, _clock, new CreditHoldSettings("sales@example.com"));

        var placed = await holds.PutOnHoldAsync("B1", "90 days past due, two broken promises", "morgan");
        Assert.True(placed.IsSuccess, placed.Error?.Message);
        Assert.Equal(["2000.50 USD"], placed.Value.Exposure.Select(m => m.ToString()));

        await using (var db = database.CreateContext())
        {
            var messages = await db.Outbox.AsNoTracking().ToListAsync();
            var webhook = Assert.Single(messages, m => m.Channel == OutboxChannel.Webhook);
            Assert.Equal(WebhookEvents.CreditHoldChanged, webhook.Purpose);
            Assert.Contains("\"on_hold\":true", webhook.Body);
            Assert.Contains("\"debtor_id\":\"B1\"", webhook.Body);
            var email = Assert.Single(messages, m => m.Channel == OutboxChannel.Email);
            Assert.Equal(("credit_hold", "sales@example.com"), (email.Purpose, email.Recipient));
            Assert.Contains("Northwind Traders", email.Subject);
            Assert.Contains("90 days past due", email.Body);
            Assert.Equal(1, await db.AuditLog.CountAsync(a => a.Action == "credit_hold.placed" && a.Entity == "account"));
            Assert.Equal(1, await db.AuditLog.CountAsync(a => a.Action == "credit_hold.placed" && a.Entity == "debtor" && a.EntityId == "B1"));
        }

        Assert.Equal("already_on_credit_hold", (await holds.PutOnHoldAsync("B1", "again", "morgan")).Error?.Code);
        Assert.Equal("credit_hold_business_only", (await holds.PutOnHoldAsync("P1", "x", "morgan")).Error?.Code);

        _clock.Advance(TimeSpan.FromDays(12));
        var report = await holds.ShutdownReportAsync();
        var row = Assert.Single(report);
        Assert.Equal(("B1", 12, "2000.50"), (row.DebtorId, row.DaysOnHold, row.Exposure.Single().ToDecimalString()));
        var csv = CreditHolds.Csv(report);
        Assert.Equal("debtor_id,name,reason,placed_on,placed_by,days_on_hold,exposure,currency\r\n" +
            "B1,Northwind Traders,\"90 days past due, two broken promises\",2026-11-23,morgan,12,2000.50,USD\r\n", csv);

        var released = await holds.ReleaseAsync("B1", "Paid in full", "morgan");
        Assert.True(released.IsSuccess);
        Assert.Empty(await holds.ShutdownReportAsync());
        Assert.Equal("not_on_credit_hold", (await holds.ReleaseAsync("B1", "again", "morgan")).Error?.Code);
        await using (var db = database.CreateContext())
        {
            Assert.Equal(2, await db.Outbox.CountAsync(m => m.Channel == OutboxChannel.Email));
            Assert.Contains("\"on_hold\":false", (await db.Outbox.AsNoTracking().Where(m => m.Channel == OutboxChannel.Webhook).ToListAsync()).OrderBy(m => m.CreatedAt).Last().Body);
        }
    }
}
