using System.Net;
using Microsoft.EntityFrameworkCore;
using Recoup.Data.Identity;
using Recoup.Data.WorkQueues;
using Recoup.Domain;
using Recoup.Domain.Conversations;
using Recoup.Services.Conversations;
using Recoup.Services.Imports;
using Recoup.Testing;

namespace Recoup.Web.Tests;

/// <summary>
/// The queue build, "next account" and bulk moves over HTTP. At the fixture's 09:00 UTC it is 04:00 in
/// New York and earlier further west, so a debtor who may be in the United States is skipped and only a
/// Londoner (W1, 09:00 there) may be called.
/// </summary>
public abstract class WorkQueueTests(ApiFixture fixture)
{
    private async Task SeedAsync()
    {
        await using var db = fixture.Database.CreateContext();
        if (await db.CollectorProfiles.AnyAsync(c => c.UserName == Roles.Collector))
        {
            return;
        }

        // Welsh speakers: the rule below picks exactly these, so no other test's accounts enter a queue.
        var portfolio = new TestPortfolio()
            .Raw("debtors.csv", TestPortfolio.DebtorsHeader + ",language\n" +
                "W1,William Hart,person,consumer,,+44 20 7946 0018,10 Downing St,London,,SW1A 2AA,GB,,cy\n" +
                "W2,Wanda Nobody,person,consumer,,,,,,,,,cy\n" +
                "W3,Walter Price,person,consumer,walter@example.com,,,,,,,,cy\n" +
                "W4,Wes Moved,person,consumer,wes@example.com,,,,,,,,cy\n")
            .Invoices(
                "W-INV-1,W1,2026-06-01,2026-07-01,90000.00,GBP",
                "W-INV-2,W2,2026-06-01,2026-07-01,80000.00,USD",
                "W-INV-3,W3,2026-06-01,2026-07-01,500.00,USD",
                "W-INV-4,W4,2026-06-01,2026-07-01,300.00,USD");
        Assert.True((await new ImportPortfolio(fixture.Database, fixture.Clock).RunAsync(portfolio.Folder)).Succeeded);
        db.CollectorProfiles.AddRange(new CollectorProfile { UserName = Roles.Collector, Capacity = 500 }, new CollectorProfile { UserName = "amy", Capacity = 500 });
        db.AssignmentRules.Add(new AssignmentRuleRecord { Id = Guid.CreateVersion7(), Order = 1, Name = "Welsh", Language = "cy", Collectors = [Roles.Collector] });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task OnlySupervisorsAndAboveBuildQueues_AndNextSkipsWhoMayNotBeCalledNow()
    {
        await SeedAsync();
        await Json.ProblemAsync(await Json.PostAsync(fixture.As(Roles.Collector), "/api/work-queues/build", new { }), HttpStatusCode.Forbidden);

        var build = await Json.ReadAsync(await Json.PostAsync(fixture.As(Roles.Supervisor), "/api/work-queues/build", new { }));
        Assert.True(build.GetProperty("queued").GetInt32() > 1);
        Assert.Contains(build.GetProperty("collectors").EnumerateArray(), c => c.Str("user_name") == Roles.Collector && c.GetProperty("total").GetInt32() > 1);

        var collector = fixture.As(Roles.Collector);
        var first = await Json.GetAsync(collector, "/api/work-queues/mine/next");
        var next = first.GetProperty("next");
        Assert.Equal("W1", next.Str("debtor_id"));
        Assert.Equal("queue", next.Str("why"));
        Assert.Equal(("call", "+44 20 7946 0018"), (next.GetProperty("contact").Str("channel"), next.GetProperty("contact").Str("value")));
        Assert.Equal(("90000.00", "GBP"), (next.GetProperty("balance").Str("amount"), next.GetProperty("balance").Str("currency")));

        var queue = await Json.GetAsync(collector, "/api/work-queues/mine?limit=5");
        Assert.Equal("W1", queue.Items().First().Str("debtor_id"));
        var remaining = queue.GetProperty("remaining").GetInt32();

        // Once the call is logged, W1 leaves "next"; nobody left in the queue may be contacted now.
        var contact = new ContactPointId(Guid.Parse(next.GetProperty("contact").Str("contact_point_id")));
        var logged = await new ConversationLog(fixture.Database, fixture.Clock).RecordAsync("W1", new InteractionDraft(
            [new AccountId(Guid.Parse(next.Str("account_id")))], InteractionChannel.OutboundCall, fixture.Clock.GetUtcNow(), contact, PartyReached.None,
            InteractionOutcome.NoAnswer), Roles.Collector);
        Assert.True(logged.IsSuccess, logged.Error?.Message);
        var after = await Json.GetAsync(collector, "/api/work-queues/mine/next");

        Assert.Equal(System.Text.Json.JsonValueKind.Null, after.GetProperty("next").ValueKind);
        Assert.Equal(remaining - 1, after.GetProperty("remaining").GetInt32());
        var skipped = after.GetProperty("skipped").EnumerateArray().ToList();
        Assert.NotEmpty(skipped);
        var reasons = skipped.Select(s => s.GetProperty("reasons")[0].Str("rule")).ToList();
        Assert.All(reasons, rule => Assert.Contains(rule, new[] { "inconvenient-time", "no-contact-point" }));
        Assert.Contains("inconvenient-time", reasons);

        // W2 has no phone, e-mail or address: it is skipped until someone finds one.
        var w2 = await fixture.AccountOfAsync("W2");
        var noContact = Assert.Single(skipped, s => s.Str("account_id") == w2);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, noContact.GetProperty("next_allowed_at").ValueKind);

        // W3 has only an e-mail address and no address: he may be anywhere in the contiguous United
        // States, so an e-mail may go out only when it is 8:00 in Los Angeles, 16:00 UTC.
        var w3 = await fixture.AccountOfAsync("W3");
        var early = Assert.Single(skipped, s => s.Str("account_id") == w3);
        Assert.Equal("inconvenient-time", early.GetProperty("reasons")[0].Str("rule"));
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 16, 0, 0, TimeSpan.Zero), early.GetProperty("next_allowed_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task ASupervisorMovesAccounts_TheyLeaveOneQueueForAnother_AndUnknownCollectorsAreRefused()
    {
        await SeedAsync();
        await Json.ReadAsync(await Json.PostAsync(fixture.As(Roles.Supervisor), "/api/work-queues/build", new { }));
        var account = await fixture.AccountOfAsync("W4");
        var supervisor = fixture.As(Roles.Supervisor);

        await Json.ProblemAsync(await Json.PostAsync(fixture.As(Roles.Collector), "/api/work-queues/reassign", new { account_ids = new[] { account }, to = new[] { "amy" } }),
            HttpStatusCode.Forbidden);
        var nobody = await Json.ProblemAsync(await Json.PostAsync(supervisor, "/api/work-queues/reassign", new { account_ids = new[] { account }, to = new[] { "nobody" } }),
            HttpStatusCode.BadRequest);
        Assert.Equal("None of nobody is an active collector", nobody.GetProperty("errors").GetProperty("to")[0].GetString());

        var moved = await Json.ReadAsync(await Json.PostAsync(supervisor, "/api/work-queues/reassign", new { account_ids = new[] { account }, to = new[] { "amy" } }));

        var move = Assert.Single(moved.GetProperty("moved").EnumerateArray());
        Assert.Equal((account, Roles.Collector, "amy"), (move.Str("account_id"), move.Str("from"), move.Str("to")));
        await using var db = fixture.Database.CreateContext();
        var id = Guid.Parse(account);
        Assert.Equal("amy", await db.WorkQueueEntries.Where(e => e.AccountId == id).Select(e => e.Collector).SingleAsync());
        Assert.Equal("amy", await db.AccountAssignments.Where(a => a.AccountId == id).Select(a => a.Collector).SingleAsync());
        var listed = await Json.GetAsync(supervisor, "/api/accounts?collector=amy");
        Assert.Equal([account], listed.Items().Select(r => r.Str("account_id")));
        Assert.Equal("amy", listed.Items().Single().Str("collector"));
        var audit = await Json.GetAsync(fixture.As(Roles.Auditor), $"/api/audit?entity=account&entity_id={account}");
        Assert.Contains(audit.Items(), r => r.Str("action") == "account.reassigned");
    }
}

[Collection("sqlite")]
public sealed class SqliteWorkQueueTests(SqliteApi fixture) : WorkQueueTests(fixture);

[Collection("postgres")]
public sealed class PostgresWorkQueueTests(PostgresApi fixture) : WorkQueueTests(fixture);
