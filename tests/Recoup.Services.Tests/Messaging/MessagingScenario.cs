using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Data.Outbox;
using Recoup.Domain;
using Recoup.Domain.Compliance;
using Recoup.Domain.Debtors;
using Recoup.Services.Contacts;
using Recoup.Services.Imports;
using Recoup.Services.Messaging.Dispatch;
using Recoup.Services.Messaging.Email;
using Recoup.Services.Messaging.Sms;
using Recoup.Services.Storage;
using Recoup.Testing;
using Recoup.Testing.Messaging;

namespace Recoup.Services.Tests.Messaging;

/// <summary>
/// A database with two debtors — Dana, a person in Chicago with an e-mail address and a mobile number she
/// consented to texts on, and Harbor, a business in Seattle with an e-mail address — a real SMTP server on
/// loopback, the test SMS provider, and dispatchers over them. The clock starts on Monday 23 November 2026
/// at 15:00 UTC (9:00 in Chicago, 7:00 in Seattle).
/// </summary>
internal sealed class MessagingScenario : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 15, 0, 0, TimeSpan.Zero);

    private MessagingScenario(RecoupDatabase database) => Database = database;

    public RecoupDatabase Database { get; }
    public FakeTimeProvider Clock { get; } = new(Start);
    public SmtpSink Smtp { get; } = new();
    public TestSmsSender Sms { get; } = new();
    public MessagingSettings Settings { get; set; } = new() { PublicBaseUrl = "https://pay.example.org" };

    public static async Task<MessagingScenario> CreateAsync(DatabaseProvider provider)
    {
        var scenario = new MessagingScenario(await TestDatabases.CreateAsync(provider));
        var portfolio = new TestPortfolio()
            .Debtors(
                "D1,Dana Whitfield,person,consumer,dana@example.com,+1 312 555 0199,1418 W Belmont Ave,Chicago,IL,60657,US,America/Chicago",
                "B1,Harbor Freight Logistics LLC,business,commercial,ap@harbor.example,,2200 Alaskan Way,Seattle,WA,98121,US,America/Los_Angeles")
            .Invoices("D-INV-1,D1,2026-08-01,2026-08-31,300.00,USD", "B-INV-1,B1,2026-08-01,2026-08-31,5000.00,USD");
        var imported = await new ImportPortfolio(scenario.Database, scenario.Clock).RunAsync(portfolio.Folder);
        Assert.True(imported.Succeeded, string.Join("\n", imported.Errors));
        var phone = await scenario.PointAsync("D1", ContactKind.Phone);
        var consent = await new ContactPoints(scenario.Database, scenario.Clock).ChangeAsync(
            "D1", phone.Id, new ContactPointChange(Text: new ConsentChange(true, Start.AddDays(-30), "signed application form")), "test");
        Assert.True(consent.Succeeded, string.Join("; ", consent.Errors.Select(e => e.Message)));
        return scenario;
    }

    public SmtpSettings SmtpSettings => new() { Host = "127.0.0.1", Port = Smtp.Port, Tls = SmtpTls.None, From = "collections@example.org", FromName = "Example Collections" };

    /// <summary>A dispatcher of this "process": a fresh one is a restarted dispatcher.</summary>
    public OutboxDispatcher Dispatcher(string node = "node-a", Func<OutboxMessage, Task>? afterSend = null, params IOutboxChannel[] extra) =>
        new(Database, Clock, Settings, RuleSet.Default, [new SmtpEmailChannel(SmtpSettings, Settings, Database), new SmsChannel(Sms), .. extra]) { Node = node, AfterSend = afterSend };

    public async Task<ContactPoint> PointAsync(string debtorId, ContactKind kind)
    {
        await using var db = Database.CreateContext();
        var debtor = await db.Debtors.AsNoTracking().Include(d => d.ContactPoints).SingleAsync(d => d.ExternalId == debtorId);
        return debtor.ContactPoints.Single(c => c.Kind == kind);
    }

    /// <summary>Writes a pending e-mail or text to the debtor's contact point, as the templates' writer does.</summary>
    public async Task<OutboxMessage> QueueAsync(string debtorId, OutboxChannel channel, string body = "Your balance of 300.00 USD is past due.", string? html = null, string? language = null)
    {
        await using var db = Database.CreateContext();
        var debtor = await db.Debtors.AsNoTracking().Include(d => d.ContactPoints).SingleAsync(d => d.ExternalId == debtorId);
        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.DebtorId == debtor.Id);
        var point = debtor.ContactPoints.Single(c => c.Kind == (channel == OutboxChannel.Email ? ContactKind.Email : ContactKind.Phone));
        var now = Clock.GetUtcNow();
        var message = new OutboxMessage
        {
            Id = SequentialGuid.Create(now),
            Channel = channel,
            Purpose = "first_reminder",
            AccountId = account.Id.Value,
            DebtorId = debtor.Id.Value,
            ContactPointId = point.Id.Value,
            Recipient = point.Value,
            Subject = channel == OutboxChannel.Email ? "Your account is past due" : null,
            Body = body,
            HtmlBody = html,
            Language = language,
            TemplateKey = "first_reminder",
            TemplateVersion = 3,
            CreatedAt = now,
            NotBefore = now,
            Status = OutboxStatus.Pending,
            CreatedBy = "test",
        };
        db.Outbox.Add(message);
        await db.SaveChangesAsync();
        return message;
    }

    public async Task<OutboxMessage> ReloadAsync(Guid id)
    {
        await using var db = Database.CreateContext();
        return await db.Outbox.AsNoTracking().SingleAsync(m => m.Id == id);
    }

    public async Task<List<Data.Messaging.DeliveryAttempt>> AttemptsAsync(Guid id)
    {
        await using var db = Database.CreateContext();
        return [.. (await db.DeliveryAttempts.AsNoTracking().Where(a => a.MessageId == id).ToListAsync()).OrderBy(a => a.Id)];
    }

    public void Advance(TimeSpan by) => Clock.Advance(by);

    public async ValueTask DisposeAsync() => await Smtp.DisposeAsync();
}
