using Microsoft.EntityFrameworkCore;
using Recoup.Domain.Conversations;
using Recoup.Services.Conversations;
using Recoup.Services.Storage;
using Recoup.Services.WorkQueues;
using Recoup.Testing;

namespace Recoup.Services.Tests.WorkQueues;

public sealed class BuildWorkQueuesTests
{
    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Build_AssignsRoundRobinInPriorityOrder_AndQueuesAllButTheDebtorWhoAskedUsToStop(DatabaseProvider provider)
    {
        var scenario = await WorkQueueScenario.CreateAsync(provider);

        var build = await new BuildWorkQueues(scenario.Database, scenario.Clock).RunAsync("sue");

        Assert.Equal((4, 4, 0, 3, 1), (build.Accounts, build.Assigned, build.Kept, build.Queued, build.Restricted));
        Assert.Equal(["L1", "K1"], await scenario.QueueOfAsync("amy"));
        Assert.Equal(["N1"], await scenario.QueueOfAsync("bob"));
        Assert.Equal("bob", await scenario.CollectorOfAsync("C1"));
        await using var db = scenario.Database.CreateContext();
        Assert.Equal(4, await db.AccountAssignments.CountAsync(a => a.AssignedBy == "rule:Consumer"));
        var audit = await db.AuditLog.SingleAsync(a => a.Action == "work_queues.built");
        Assert.Equal("sue", audit.Actor);
        Assert.Contains("\"queued\":3", audit.After, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task EachQueueHoldsTheDaysBest_AndEveryAccountStaysAssigned(DatabaseProvider provider)
    {
        var scenario = await WorkQueueScenario.CreateAsync(provider);

        var build = await new BuildWorkQueues(scenario.Database, scenario.Clock) { DailyQueueSize = 1 }.RunAsync("sue");

        Assert.Equal((3, 2, 4), (build.Scored, build.Queued, build.Assigned));
        Assert.Equal(["L1"], await scenario.QueueOfAsync("amy"));
        Assert.Equal(["N1"], await scenario.QueueOfAsync("bob"));
        Assert.Equal("amy", await scenario.CollectorOfAsync("K1"));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Rebuild_KeepsAssignments_AndGivesAnInactiveCollectorsAccountsToTheOthers(DatabaseProvider provider)
    {
        var scenario = await WorkQueueScenario.CreateAsync(provider);
        var builder = new BuildWorkQueues(scenario.Database, scenario.Clock);
        await builder.RunAsync("sue");

        var again = await builder.RunAsync("sue");
        Assert.Equal((0, 4), (again.Assigned, again.Kept));

        await scenario.SetCollectorAsync("bob", capacity: 10, active: false);
        var moved = await builder.RunAsync("sue");

        Assert.Equal((2, 2), (moved.Assigned, moved.Kept));
        Assert.Equal(["L1", "K1", "N1"], await scenario.QueueOfAsync("amy"));
        Assert.Empty(await scenario.QueueOfAsync("bob"));
        Assert.Equal("amy", await scenario.CollectorOfAsync("N1"));
        Assert.Equal("amy", await scenario.CollectorOfAsync("C1"));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AccountsOfAnInactiveCollector_NobodyHasRoomFor_AreReleased(DatabaseProvider provider)
    {
        var scenario = await WorkQueueScenario.CreateAsync(provider);
        var builder = new BuildWorkQueues(scenario.Database, scenario.Clock);
        await builder.RunAsync("sue");
        await scenario.SetCollectorAsync("amy", capacity: 2, active: true);
        await scenario.SetCollectorAsync("bob", capacity: 10, active: false);

        var build = await builder.RunAsync("sue");

        Assert.Equal((2, 2, 0), (build.Released, build.UnassignedCapacity, build.Assigned));
        Assert.Null(await scenario.CollectorOfAsync("N1"));
        Assert.Null(await scenario.CollectorOfAsync("C1"));
        Assert.Equal(["L1", "K1"], await scenario.QueueOfAsync("amy"));
        await using var db = scenario.Database.CreateContext();
        Assert.Equal(2, await db.AccountAssignments.CountAsync());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AnAccountWorkedToday_StaysOutOfNext_WhenTheQueuesAreRebuiltDuringTheDay(DatabaseProvider provider)
    {
        var scenario = await WorkQueueScenario.CreateAsync(provider);
        var builder = new BuildWorkQueues(scenario.Database, scenario.Clock);
        await builder.RunAsync("sue");
        var k1 = scenario.Accounts["K1"];
        await new ConversationLog(scenario.Database, scenario.Clock).RecordAsync("K1",
            new InteractionDraft([k1], InteractionChannel.Note, scenario.Clock.GetUtcNow(), null, PartyReached.None, InteractionOutcome.None, null, "Reviewed"), "amy");

        scenario.Clock.Advance(TimeSpan.FromHours(2));
        await builder.RunAsync("sue");

        await using var db = scenario.Database.CreateContext();
        var worked = await db.WorkQueueEntries.Where(e => e.WorkedAt != null).Select(e => e.AccountId).ToListAsync();
        Assert.Equal([k1.Value], worked);

        // The next day starts afresh.
        scenario.Clock.Advance(TimeSpan.FromDays(1));
        await builder.RunAsync("sue");
        Assert.Equal(0, await db.WorkQueueEntries.CountAsync(e => e.WorkedAt != null));
    }
}
