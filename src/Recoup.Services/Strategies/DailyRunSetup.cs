using System.Globalization;
using Microsoft.Extensions.Configuration;
using Recoup.Domain.Strategies;
using Recoup.Services.Charges;
using Recoup.Services.Compliance;
using Recoup.Services.Disputes;
using Recoup.Services.Holds;
using Recoup.Services.Messaging.Templates;
using Recoup.Services.Plans;
using Recoup.Services.Storage;
using Recoup.Services.WorkQueues;
using Recoup.Services.WriteOffs;

namespace Recoup.Services.Strategies;

/// <summary>
/// The whole daily run, configured as the web application is (the CLI, the scheduler in <c>recoup serve</c> and the
/// benchmark build it here): every step executor, plan monitoring, fee and interest accrual, small-balance write-offs
/// and the queue rebuild.
/// </summary>
public static class DailyRunSetup
{
    public static IReadOnlyList<IStepExecutor> Executors(IConfiguration? configuration)
    {
        var messaging = MessagingSettings.Load(configuration);
        var rules = RuleSetConfiguration.Load(configuration);
        return
        [
            new MessageStepExecutor(StepAction.Letter, messaging, rules),
            new MessageStepExecutor(StepAction.Email, messaging, rules),
            new MessageStepExecutor(StepAction.Sms, messaging, rules),
            new CallTaskExecutor(),
            new CreditHoldExecutor(CreditHoldSettings.Load(configuration)),
            new WriteOffProposalExecutor(),
            new EscalationExecutor(EscalationSettings.Load(configuration)),
            new AssignQueueExecutor(),
        ];
    }

    /// <param name="queues">The queue build to run at the end (the web application passes its configured one); a default one when null.</param>
    public static DailyRun Create(RecoupDatabase database, TimeProvider clock, IConfiguration? configuration, BuildWorkQueues? queues = null, int? batchSize = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        var rules = RuleSetConfiguration.Load(configuration);
        return new DailyRun(database, clock, new StrategyStore(database, clock), new JobLeases(database, clock), Executors(configuration))
        {
            BatchSize = batchSize ?? DailyRunSchedule.BatchSize(configuration),
            Monitoring = new PlanMonitoring(database, clock, PlanSettings.Load(configuration), rules),
            Accrual = new AccrueFeesAndInterest(database, clock),
            SmallBalances = new SmallBalanceWriteOffs(database, clock, DisputeSettings.Load(configuration)),
            Queues = queues ?? new BuildWorkQueues(database, clock),
        };
    }
}

/// <summary>
/// When <c>recoup serve</c> runs the daily run by itself (configuration section <c>Recoup:DailyRun</c>): <c>At</c>, the
/// local time of day (<c>06:00</c>), in <c>TimeZone</c> (an IANA name, default <c>Etc/UTC</c>). Without <c>At</c> the
/// scheduler is off. <c>BatchSize</c> sets the accounts per batch (default 5,000).
/// </summary>
public sealed record DailyRunSchedule(TimeOnly At, TimeZoneInfo TimeZone)
{
    public const string Section = "Recoup:DailyRun";

    /// <summary>The schedule, or null when none is configured; a malformed time or an unknown zone is an error naming the key.</summary>
    public static DailyRunSchedule? Load(IConfiguration? configuration) => Load(configuration, Section);

    /// <summary>A schedule of the same shape (<c>At</c>, <c>TimeZone</c>) from another section, e.g. <c>Recoup:ReportDelivery</c>.</summary>
    public static DailyRunSchedule? Load(IConfiguration? configuration, string sectionName)
    {
        var section = configuration?.GetSection(sectionName);
        if (section?["At"] is not { Length: > 0 } at)
        {
            return null;
        }

        if (!TimeOnly.TryParseExact(at.Trim(), ["HH:mm", "H:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            throw new InvalidOperationException($"{sectionName}:At must be a time of day like 06:00, not '{at}'");
        }

        var zoneName = section["TimeZone"] is { Length: > 0 } z ? z.Trim() : "Etc/UTC";
        try
        {
            return new DailyRunSchedule(time, TimeZoneInfo.FindSystemTimeZoneById(zoneName));
        }
        catch (TimeZoneNotFoundException)
        {
            throw new InvalidOperationException($"{sectionName}:TimeZone '{zoneName}' is not a known time zone (use an IANA name such as America/Chicago)");
        }
    }

    public static int BatchSize(IConfiguration? configuration)
    {
        var text = configuration?.GetSection(Section)["BatchSize"];
        if (string.IsNullOrWhiteSpace(text))
        {
            return 5_000;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is > 0 and <= 50_000
            ? size
            : throw new InvalidOperationException($"{Section}:BatchSize must be a whole number from 1 to 50,000, not '{text}'");
    }

    /// <summary>Waits on <paramref name="clock"/> until the next moment due (<see cref="Next"/>) and returns its business date, or null when stopped meanwhile.</summary>
    public async Task<DateOnly?> WaitForNextAsync(TimeProvider clock, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var (next, date) = Next(clock.GetUtcNow());
        try
        {
            var wait = next - clock.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        return date;
    }

    /// <summary>The next moment the run is due after <paramref name="now"/>, and the business date it runs for (the local date then).</summary>
    public (DateTimeOffset At, DateOnly AsOf) Next(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, TimeZone);
        var date = DateOnly.FromDateTime(local.DateTime);
        for (var i = 0; i < 3; i++)
        {
            var candidate = date.AddDays(i);
            var wall = candidate.ToDateTime(At);
            if (TimeZone.IsInvalidTime(wall))
            {
                wall = wall.AddHours(1); // the clocks skipped this hour: run at the first moment after it
            }

            var at = new DateTimeOffset(wall, TimeZone.GetUtcOffset(wall));
            if (at > now)
            {
                return (at, candidate);
            }
        }

        throw new InvalidOperationException("unreachable: a day always has the time of day");
    }
}
