using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Domain;
using Recoup.Domain.Conversations;
using Recoup.Domain.Debtors;
using Recoup.Services.Conversations;
using Recoup.Services.Imports;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Services.Tests.Conversations;

public sealed class ConversationLogTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 23, 16, 0, 0, TimeSpan.Zero));

    private static async Task<(RecoupDatabase Database, AccountId Account, ContactPointId Phone)> SeedAsync(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var portfolio = new TestPortfolio()
            .Debtors("K1,Maria Gonzalez,person,consumer,maria@example.com,+1 312 555 0147,1418 W Belmont Ave,Chicago,IL,60657,US,")
            .Invoices("K-INV-1,K1,2026-05-01,2026-05-31,100.00,USD");
        Assert.True((await new ImportPortfolio(database, Clock).RunAsync(portfolio.Folder)).Succeeded);
        await using var db = database.CreateContext();
        var account = await db.Accounts.SingleAsync();
        var phone = await db.ContactPoints.SingleAsync(c => c.Kind == ContactKind.Phone);
        return (database, account.Id, phone.Id);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ARightPartyCall_UpdatesTheAccountTheSummaryTheNumberAndTheTimeline(DatabaseProvider provider)
    {
        var (database, account, phone) = await SeedAsync(provider);
        var log = new ConversationLog(database, Clock);
        var at = Clock.GetUtcNow().AddMinutes(-5);

        var entry = await log.RecordAsync("K1", new InteractionDraft([account], InteractionChannel.OutboundCall, at, phone, PartyReached.Debtor,
            InteractionOutcome.CallbackRequested, DelinquencyReason.JobLoss, "Lost job in September; call back Friday"), "sam");

        Assert.True(entry.IsSuccess, entry.Error?.Message);
        await using var db = database.CreateContext();
        Assert.Equal(DelinquencyReason.JobLoss, (await db.Accounts.SingleAsync()).DelinquencyReason);
        Assert.Equal(at, (await db.AccountSummaries.SingleAsync()).LastContactAt);
        Assert.Equal(ContactStatus.Good, (await db.ContactPoints.SingleAsync(c => c.Id == phone)).Status);
        var audit = await db.AuditLog.SingleAsync(a => a.Action == "interaction.recorded");
        Assert.Equal(("sam", account.ToString()), (audit.Actor, audit.EntityId));
        Assert.Single(await log.ListAsync("K1"));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ADisconnectedNumber_IsMarked_AndARefusedEntryChangesNothing(DatabaseProvider provider)
    {
        var (database, account, phone) = await SeedAsync(provider);
        var log = new ConversationLog(database, Clock);

        var refused = await log.RecordAsync("K1", new InteractionDraft([account], InteractionChannel.OutboundCall, Clock.GetUtcNow(), phone,
            PartyReached.Debtor, InteractionOutcome.Disconnected), "sam");
        Assert.Equal("outcome_not_applicable", refused.Error!.Code);
        await using (var check = database.CreateContext())
        {
            Assert.Equal(0, await check.Interactions.CountAsync());
            Assert.Equal(0, await check.AuditLog.CountAsync(a => a.Action == "interaction.recorded"));
        }

        var recorded = await log.RecordAsync("K1", new InteractionDraft([account], InteractionChannel.OutboundCall, Clock.GetUtcNow(), phone,
            PartyReached.None, InteractionOutcome.Disconnected), "sam");

        Assert.True(recorded.IsSuccess);
        await using var db = database.CreateContext();
        Assert.Equal(ContactStatus.Disconnected, (await db.ContactPoints.SingleAsync(c => c.Id == phone)).Status);
        Assert.Equal(1, await db.Interactions.CountAsync());

        // The number no longer places the debtor; the Illinois address still does.
        Assert.Equal("America/Chicago", (await db.AccountSummaries.SingleAsync()).TimeZones);
    }
}
