using Microsoft.EntityFrameworkCore;
using Recoup.Data.Strategies;
using Recoup.Services.Storage;
using Recoup.Services.Strategies;
using Recoup.Services.WorkQueues;

namespace Recoup.Web;

/// <summary>Registers the daily run's scheduler for <c>recoup serve</c>.</summary>
public static class DailyRunSchedulerRegistration
{
    public static IServiceCollection AddDailyRunScheduler(this IServiceCollection services) => services.AddHostedService<DailyRunScheduler>();
}

/// <summary>
/// Runs the daily collections run inside the web application at the configured time (<see cref="DailyRunSchedule"/>,
/// <c>Recoup:DailyRun:At</c> and <c>TimeZone</c>; off when <c>At</c> is not set) for that local date. With several
/// web nodes every node wakes up, and the run's lease in the database lets one of them run it; the others find it
/// running or done and wait for the next day. A node that starts after the time of day, on a date not yet run,
/// runs it at once.
/// </summary>
internal sealed partial class DailyRunScheduler(
    IServiceScopeFactory scopes, RecoupDatabase database, TimeProvider clock, IConfiguration configuration, ILogger<DailyRunScheduler> logger) : BackgroundService
{
    public const string Actor = "system:scheduler";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedule = DailyRunSchedule.Load(configuration);
        if (schedule is null)
        {
            Disabled(logger, DailyRunSchedule.Section);
            return;
        }

        // Catching up: today's time has passed and today was not run yet.
        var now = clock.GetUtcNow();
        var (next, nextDate) = schedule.Next(now);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, schedule.TimeZone).DateTime);
        if (nextDate > today && !await CompletedAsync(today, stoppingToken))
        {
            await RunAsync(today, stoppingToken);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            (next, nextDate) = schedule.Next(clock.GetUtcNow());
            Scheduled(logger, nextDate, next);
            if (await schedule.WaitForNextAsync(clock, stoppingToken) is not { } date)
            {
                return;
            }

            await RunAsync(date, stoppingToken);
        }
    }

    private async Task<bool> CompletedAsync(DateOnly asOf, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        return await db.CollectionRuns.AsNoTracking().AnyAsync(r => r.AsOf == asOf && r.Status == CollectionRunStatus.Completed, ct);
    }

    private async Task RunAsync(DateOnly asOf, CancellationToken ct)
    {
        try
        {
            if (await CompletedAsync(asOf, ct))
            {
                AlreadyDone(logger, asOf);
                return;
            }

            await using var scope = scopes.CreateAsyncScope();
            var run = DailyRunSetup.Create(database, clock, configuration, scope.ServiceProvider.GetService<BuildWorkQueues>());
            var result = await run.RunAsync(asOf, dryRun: false, Actor, null, ct);
            if (result.Error is { } error)
            {
                Refused(logger, asOf, error.Message);
                return;
            }

            var report = result.Value!;
            Completed(logger, asOf, report.Accounts, report.Steps.Values.Sum(), report.BlockedByCompliance, report.DurationMs);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping: a run cut short resumes from its last batch next time.
        }
#pragma warning disable CA1031 // a failed run is logged; it resumes from its last committed batch at the next attempt
        catch (Exception e)
#pragma warning restore CA1031
        {
            Failed(logger, asOf, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Daily run: no schedule ({Section}:At is not set); run it with `recoup run`")]
    private static partial void Disabled(ILogger logger, string section);

    [LoggerMessage(Level = LogLevel.Information, Message = "Daily run for {AsOf} scheduled at {At}")]
    private static partial void Scheduled(ILogger logger, DateOnly asOf, DateTimeOffset at);

    [LoggerMessage(Level = LogLevel.Information, Message = "Daily run for {AsOf}: already done")]
    private static partial void AlreadyDone(ILogger logger, DateOnly asOf);

    [LoggerMessage(Level = LogLevel.Information, Message = "Daily run for {AsOf} not started here: {Reason}")]
    private static partial void Refused(ILogger logger, DateOnly asOf, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Daily run for {AsOf}: {Accounts} accounts decided, {Steps} steps taken, {Blocked} blocked by compliance, in {DurationMs} ms")]
    private static partial void Completed(ILogger logger, DateOnly asOf, int accounts, int steps, int blocked, long durationMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Daily run for {AsOf} failed; it resumes from its last committed batch at the next attempt")]
    private static partial void Failed(ILogger logger, DateOnly asOf, Exception exception);
}
