using Microsoft.EntityFrameworkCore;
using Recoup.Domain;
using Recoup.Domain.Compliance;
using Recoup.Domain.Conversations;
using Recoup.Domain.WorkQueues;
using Recoup.Services.Conversations;
using Recoup.Services.Storage;
using Recoup.Services.WorkQueues;
using Recoup.Testing;

namespace Recoup.Services.Tests.WorkQueues;

public sealed class NextAccountTests
{
    private static async Task<WorkQueueScenario> BuiltAsync(DatabaseProvider provider)
    {
        var scenario = await WorkQueueScenario.CreateAsync(provider);
        await new BuildWorkQueues(scenario.Database, scenario.Clock).RunAsync("sue");
        return scenario;
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Next_SkipsADebtorForWhomItIsTooEarly_AndSaysWhenTheyCanBeCalled(DatabaseProvider provider)
    {
        var scenario = await BuiltAsync(provider);

        var result = await new NextAccount(scenario.Database, scenario.Clock).FindAsync("amy");

        Assert.Equal("K1", result.Next!.DebtorId);
        Assert.Equal(NextReason.Queue, result.Next.Why);
        Assert.Equal((ContactChannel.Call, "+1 312 555 0147"), (result.Next.Contact.Channel, result.Next.Contact.Value));
        Assert.Equal(2, result.Remaining);
        var skipped = Assert.Single(result.Skipped);
        Assert.Equal("L1", skipped.DebtorId);
        Assert.Contains(skipped.Reasons, r => r.Rule == "inconvenient-time");

        // 8:00 in Los Angeles.
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 16, 0, 0, TimeSpan.Zero), skipped.NextAllowedAt);

        await using var db = scenario.Database.CreateContext();
        Assert.Equal(1, await db.AuditLog.CountAsync(a => a.Action == "compliance.blocked" && a.EntityId == scenario.Accounts["L1"].ToString()));
        Assert.Equal(1, await db.AuditLog.CountAsync(a => a.Action == "compliance.allowed" && a.EntityId == scenario.Accounts["K1"].ToString()));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task LoggingTheOutcome_MovesOn_AndOnceItIsEightInLosAngelesThatDebtorComesUp(DatabaseProvider provider)
    {
        var scenario = await BuiltAsync(provider);
        var next = new NextAccount(scenario.Database, scenario.Clock);
        var first = (await next.FindAsync("amy")).Next!;
        await new ConversationLog(scenario.Database, scenario.Clock).RecordAsync(first.DebtorId,
            new InteractionDraft([first.AccountId], InteractionChannel.OutboundCall, scenario.Clock.GetUtcNow(), first.Contact.ContactPointId,
                PartyReached.None, InteractionOutcome.NoAnswer), "amy");

        var blocked = await next.FindAsync("amy");
        Assert.Null(blocked.Next);
        Assert.Equal(["L1"], blocked.Skipped.Select(s => s.DebtorId));
        Assert.Equal(1, blocked.Remaining);

        scenario.Clock.Advance(TimeSpan.FromMinutes(90));
        var later = await next.FindAsync("amy");
        Assert.Equal("L1", later.Next!.DebtorId);
        Assert.Empty(later.Skipped);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ADueCallback_ComesBeforeTheQueue_EvenOnAnAccountInAnotherQueue(DatabaseProvider provider)
    {
        var scenario = await BuiltAsync(provider);
        var now = scenario.Clock.GetUtcNow();
        await using (var db = scenario.Database.CreateContext())
        {
            var n1 = scenario.Accounts["N1"];
            var debtor = await db.Accounts.Where(a => a.Id == n1).Select(a => a.DebtorId).SingleAsync();
            var callback = FollowUp.Schedule(FollowUpId.New(now.AddHours(-1)), n1, debtor, FollowUpKind.Callback, new DateTime(2026, 11, 23, 9, 15, 0),
                "America/New_York", "amy", "Call back after 9", null, "amy", now.AddHours(-1)).Value;
            db.FollowUps.Add(callback);
            await db.SaveChangesAsync();
        }

        var result = await new NextAccount(scenario.Database, scenario.Clock).FindAsync("amy");

        Assert.Equal("N1", result.Next!.DebtorId);
        Assert.Equal(NextReason.FollowUpDue, result.Next.Why);
        Assert.Equal("Call back after 9", result.Next.FollowUp!.Note);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ACollectorWithoutAQueue_GetsNothing(DatabaseProvider provider)
    {
        var scenario = await BuiltAsync(provider);

        var result = await new NextAccount(scenario.Database, scenario.Clock).FindAsync("zoe");

        Assert.Null(result.Next);
        Assert.Empty(result.Skipped);
        Assert.Equal(0, result.Remaining);
    }
}
