using Microsoft.Extensions.Time.Testing;
using Recoup.Domain.Debtors;
using Recoup.Domain.Strategies;
using Recoup.Services.Storage;
using Recoup.Services.Strategies;
using Recoup.Testing;

namespace Recoup.Services.Tests.Strategies;

/// <summary>Strategies stored as versions, the defaults seeded, the daily run's lease — on both providers.</summary>
public sealed class StrategyStoreTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 6, 0, 0, TimeSpan.Zero));

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ANewDatabase_FollowsTheDefaultStrategies_AndASaveAddsAVersion(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var store = new StrategyStore(database, _clock);

        var live = await store.LiveAsync();
        var changed = DefaultStrategies.Commercial with { Name = "Commercial, faster hold" };
        var (saved, errors) = await store.SaveAsync(DebtType.Commercial, changed, "maria");

        Assert.Equal([1, 1, 1], live.Values.Select(s => s.Version));
        Assert.Equal(DefaultStrategies.Consumer.Name, live[DebtType.Consumer].Definition.Name);
        Assert.Equal(StrategyJson.Write(DefaultStrategies.Medical), StrategyJson.Write(live[DebtType.Medical].Definition));
        Assert.Empty(errors);
        Assert.Equal((2, "maria"), (saved!.Version, saved.CreatedBy));
        Assert.Equal("Commercial, faster hold", (await store.LiveAsync())[DebtType.Commercial].Definition.Name);
        Assert.Equal([2, 1], (await store.VersionsAsync(DebtType.Commercial)).Select(v => v.Version));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AStrategyThatBreaksARule_IsNotSaved_AndEveryMistakeIsNamed(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var store = new StrategyStore(database, _clock);
        var broken = new StrategyDefinition("", DunningLevel.Account, []);

        var (saved, errors) = await store.SaveAsync(DebtType.Consumer, broken, "maria");

        Assert.Null(saved);
        Assert.Equal(["name", "segments"], errors.Select(e => e.Field));
        Assert.Equal(1, (await store.LiveAsync())[DebtType.Consumer].Version);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task TheLease_KeepsASecondHolderOut_UntilItIsReleasedOrLapses(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var leases = new JobLeases(database, _clock);

        Assert.True(await leases.TryAcquireAsync("daily-run", "node-a", TimeSpan.FromMinutes(5)));
        Assert.False(await leases.TryAcquireAsync("daily-run", "node-b", TimeSpan.FromMinutes(5)));
        Assert.True(await leases.TryAcquireAsync("daily-run", "node-a", TimeSpan.FromMinutes(5))); // renewed by its holder
        Assert.Equal("node-a", (await leases.HolderAsync("daily-run"))!.Holder);

        _clock.Advance(TimeSpan.FromMinutes(6));
        Assert.True(await leases.TryAcquireAsync("daily-run", "node-b", TimeSpan.FromMinutes(5))); // node-a's lapsed
        await leases.ReleaseAsync("daily-run", "node-a"); // not node-a's any more: nothing happens
        Assert.False(await leases.TryAcquireAsync("daily-run", "node-a", TimeSpan.FromMinutes(5)));
        await leases.ReleaseAsync("daily-run", "node-b");
        Assert.Null(await leases.HolderAsync("daily-run"));
        Assert.True(await leases.TryAcquireAsync("daily-run", "node-a", TimeSpan.FromMinutes(5)));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task TwoProcessesRacingForTheLease_OnlyOneGetsIt(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => new JobLeases(database, _clock).TryAcquireAsync("daily-run", $"node-{i}", TimeSpan.FromMinutes(5))));

        Assert.Equal(1, results.Count(r => r));
    }
}
