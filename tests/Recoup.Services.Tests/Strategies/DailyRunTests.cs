using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Data.Strategies;
using Recoup.Data.WorkQueues;
using Recoup.Domain.Strategies;
using Recoup.Services.Imports;
using Recoup.Services.Storage;
using Recoup.Services.Strategies;
using Recoup.Testing;

namespace Recoup.Services.Tests.Strategies;

/// <summary>The daily run: idempotent for a date, resumable after a crash, one at a time — on both providers.</summary>
public sealed class DailyRunTests
{
    private static readonly DateOnly AsOf = new(2026, 11, 30);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 5, 0, 0, TimeSpan.Zero));

    /// <summary>Twelve consumer debtors, each one invoice 25 days past due on the run's date, all assigned to ana.</summary>
    private async Task<RecoupDatabase> SeedAsync(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var ids = Enumerable.Range(1, 12).Select(i => $"S{i:00}").ToList();
        var portfolio = new TestPortfolio()
            .Debtors([.. ids.Select(id => TestPortfolio.Person(id))])
            .Invoices([.. ids.Select(id => $"{id}-INV,{id},2026-10-01,2026-11-05,300.00,USD")]);
        Assert.True((await new ImportPortfolio(database, _clock).RunAsync(portfolio.Folder)).Succeeded);
        await using var db = database.CreateContext();
        foreach (var account in await db.Accounts.Select(a => a.Id).ToListAsync())
        {
            db.AccountAssignments.Add(new AccountAssignment { AccountId = account.Value, Collector = "ana", AssignedAt = _clock.GetUtcNow(), AssignedBy = "test" });
        }

        await db.SaveChangesAsync();
        return database;
    }

    private DailyRun Run(RecoupDatabase database, Func<int, Task>? afterBatch = null)
    {
        var run = DailyRunSetup.Create(database, _clock, null, batchSize: 5);
        run.AfterBatch = afterBatch;
        return run;
    }

    private static async Task<(int Tasks, int Taken, int States)> StateAsync(RecoupDatabase database)
    {
        await using var db = database.CreateContext();
        return (await db.FollowUps.CountAsync(), await db.StrategyStepsTaken.CountAsync(), await db.AccountStrategyStates.CountAsync());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ASecondRunStartedWhileTheFirstIsGoing_IsRefused_AndTheFirstFinishes(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);
        string? refused = null;

        var first = await Run(database, async batch =>
        {
            if (batch == 1)
            {
                refused = (await Run(database).RunAsync(AsOf, false, "system:node-b")).Error?.Code;
            }
        }).RunAsync(AsOf, false, "system:node-a");

        Assert.Equal(DailyRun.RunInProgress, refused);
        Assert.Equal(12, first.Value!.Steps[StepAction.CallTask]);
        Assert.Equal((12, 12, 12), await StateAsync(database));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ASecondRunForTheSameDate_TakesNoNewStep(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);

        var first = await Run(database).RunAsync(AsOf, dryRun: false, "system:test");
        var afterFirst = await StateAsync(database);
        var second = await Run(database).RunAsync(AsOf, dryRun: false, "system:test");

        Assert.Equal(12, first.Value!.Accounts);
        Assert.Equal(12, first.Value.Steps[StepAction.CallTask]);
        Assert.Equal(12, afterFirst.Tasks);
        Assert.Equal(0, second.Value!.Steps.Values.Sum());
        Assert.Equal(afterFirst, await StateAsync(database));
        await using var db = database.CreateContext();
        Assert.Equal([CollectionRunStatus.Completed, CollectionRunStatus.Completed], await db.CollectionRuns.Select(r => r.Status).ToListAsync());
        Assert.All(await db.AccountStrategyStates.ToListAsync(), s => Assert.Equal(("Standard", "champion", 1, "due:2026-11-05"), (s.Segment, s.Arm, s.StrategyVersion, s.Episode)));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ARunKilledMidway_ResumesAfterItsLastBatch_AndEndsAsAnUninterruptedRunWould(DatabaseProvider provider)
    {
        var crashed = await SeedAsync(provider);
        var whole = await SeedAsync(provider);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Run(crashed, batch => batch == 2 ? throw new InvalidOperationException("killed") : Task.CompletedTask).RunAsync(AsOf, false, "system:test"));
        var halfway = await StateAsync(crashed);
        var resumed = await Run(crashed).RunAsync(AsOf, false, "system:test");
        await Run(whole).RunAsync(AsOf, false, "system:test");

        Assert.Equal((10, 10), (halfway.Tasks, halfway.Taken)); // two committed batches of five accounts, one call task each
        Assert.True(resumed.Value!.Resumed);
        Assert.Equal(await StateAsync(whole), await StateAsync(crashed));
        await using var db = crashed.CreateContext();
        Assert.Equal(CollectionRunStatus.Completed, (await db.CollectionRuns.SingleAsync()).Status);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ADryRun_SaysWhatItWouldDo_AndWritesNothing(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);

        var dry = await Run(database).RunAsync(AsOf, dryRun: true, "system:test");

        Assert.Equal((12, 12, 12, 12), (dry.Value!.Accounts, dry.Value.Steps[StepAction.Email], dry.Value.Steps[StepAction.Letter], dry.Value.Steps[StepAction.CallTask]));
        Assert.Equal(12, dry.Value.BySegment["Consumer standard / Standard / champion"]);
        Assert.Equal((0, 0, 0), await StateAsync(database));
        await using var db = database.CreateContext();
        Assert.Equal(0, await db.CollectionRuns.CountAsync());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task WhileAnotherProcessHoldsTheLease_ARunIsRefused(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);
        Assert.True(await new JobLeases(database, _clock).TryAcquireAsync(DailyRun.LeaseName, "node-b", TimeSpan.FromMinutes(10)));

        var refused = await Run(database).RunAsync(AsOf, false, "system:test");

        Assert.Equal(DailyRun.RunInProgress, refused.Error!.Code);
        Assert.Contains("node-b", refused.Error.Message);
        Assert.Equal((0, 0, 0), await StateAsync(database));
    }
}
