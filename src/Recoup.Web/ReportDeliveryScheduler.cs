using Recoup.Services.Reporting;
using Recoup.Services.Storage;
using Recoup.Services.Strategies;

namespace Recoup.Web;

/// <summary>Registers the report packs' delivery scheduler for <c>recoup serve</c>.</summary>
public static class ReportDeliverySchedulerRegistration
{
    /// <summary>The configuration section: <c>At</c> (local time of day, e.g. <c>07:00</c>) and <c>TimeZone</c> (IANA, default <c>Etc/UTC</c>); off without <c>At</c>.</summary>
    public const string Section = "Recoup:ReportDelivery";

    public static IServiceCollection AddReportDeliveryScheduler(this IServiceCollection services) => services.AddHostedService<ReportDeliveryScheduler>();
}

/// <summary>
/// Delivers the report packs to their subscribers inside the web application (<see cref="ReportDelivery"/>): every day
/// at the configured time (<c>Recoup:ReportDelivery:At</c> in <c>TimeZone</c>) for that local date, which queues the
/// weekly pack on Mondays and the monthly pack on the 1st. With several web nodes the delivery's lease in the database
/// lets one of them build the packs, and the outbox's dedup keys make a second run for the same date queue nothing.
/// A node that starts after the time of day runs today's delivery at once (a no-op when it was done).
/// </summary>
internal sealed partial class ReportDeliveryScheduler(RecoupDatabase database, TimeProvider clock, IConfiguration configuration, ILogger<ReportDeliveryScheduler> logger) : BackgroundService
{
    public const string Actor = "system:report-delivery";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedule = DailyRunSchedule.Load(configuration, ReportDeliverySchedulerRegistration.Section);
        if (schedule is null)
        {
            Disabled(logger, ReportDeliverySchedulerRegistration.Section);
            return;
        }

        var now = clock.GetUtcNow();
        var (_, nextDate) = schedule.Next(now);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, schedule.TimeZone).DateTime);
        if (nextDate > today)
        {
            await RunAsync(today, stoppingToken);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            if (await schedule.WaitForNextAsync(clock, stoppingToken) is not { } date)
            {
                return;
            }

            await RunAsync(date, stoppingToken);
        }
    }

    /// <summary>One day's delivery; failures are logged, and the next day's run (or `recoup report deliver`) catches up.</summary>
    internal async Task RunAsync(DateOnly date, CancellationToken ct)
    {
        if (ReportDelivery.DueOn(date).Count == 0)
        {
            return;
        }

        try
        {
            var run = await new ReportDelivery(database, clock, ContactCosts.Load(configuration)).RunAsync(date, dryRun: false, Actor, ct);
            if (run.Error is { } error)
            {
                NotHere(logger, date, error.Message);
                return;
            }

            Delivered(logger, date, string.Join(", ", run.Value.Due.Select(d => $"{d.Name} to {d.PeriodEnd:yyyy-MM-dd}")), run.Value.Queued, run.Value.Items.Count - run.Value.Queued);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping: what was queued stays queued; the rest is queued by the next run for this date.
        }
#pragma warning disable CA1031 // a failed delivery is logged; `recoup report deliver --as-of DATE` repeats it without sending twice
        catch (Exception e)
#pragma warning restore CA1031
        {
            Failed(logger, date, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Report delivery: no schedule ({Section}:At is not set); deliver with `recoup report deliver`")]
    private static partial void Disabled(ILogger logger, string section);

    [LoggerMessage(Level = LogLevel.Information, Message = "Report delivery for {Date} not run here: {Reason}")]
    private static partial void NotHere(ILogger logger, DateOnly date, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Report delivery for {Date} ({Packs}): {Queued} e-mails queued, {Skipped} already queued")]
    private static partial void Delivered(ILogger logger, DateOnly date, string packs, int queued, int skipped);

    [LoggerMessage(Level = LogLevel.Error, Message = "Report delivery for {Date} failed; run `recoup report deliver --as-of {Date}` to finish it (nothing is sent twice)")]
    private static partial void Failed(ILogger logger, DateOnly date, Exception exception);
}
