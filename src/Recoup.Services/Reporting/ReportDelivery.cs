using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Recoup.Data.Outbox;
using Recoup.Domain;
using Recoup.Services.Payments;
using Recoup.Services.Storage;
using Recoup.Services.Strategies;

namespace Recoup.Services.Reporting;

/// <summary>A pack due on a run date: its kind and the last day of its period.</summary>
public sealed record DueReportPack(PackKind Kind, DateOnly PeriodEnd)
{
    public string Name => ReportSubscriptions.PackName(Kind);
}

/// <summary>What a delivery did for one subscriber: <c>queued</c>, <c>already_queued</c> (an earlier run did), or <c>would_queue</c> (a dry run).</summary>
public sealed record ReportDeliveryItem(Guid SubscriptionId, string Email, string Pack, DateOnly PeriodEnd, string Outcome, Guid? OutboxId);

/// <summary>One delivery run: the packs due on the date and each subscriber's outcome.</summary>
public sealed record ReportDeliveryRun(DateOnly RunDate, bool DryRun, IReadOnlyList<DueReportPack> Due, IReadOnlyList<ReportDeliveryItem> Items)
{
    public int Queued => Items.Count(i => i.Outcome == ReportDelivery.Queued);
}

/// <summary>
/// Delivers the report packs to their subscribers through the outbox (docs/reports.md, "Delivery by e-mail"). On a
/// run date D: every Monday the weekly pack of the seven days to the Sunday before (D − 1), and on the first of each
/// month the monthly pack of the month before (to D − 1). Each subscriber gets one e-mail with the pack's PDF and
/// XLSX attached, built with the subscription's filter (subscribers with the same filter share one build).
/// </summary>
/// <remarks>
/// <para><b>Once per period and subscriber.</b> Each e-mail carries the dedup key
/// <c>report-pack:{pack}:{period end}:{subscription}</c>, unique in the outbox, so a second run for the same date — or a
/// second node racing the first — queues nothing more.</para>
/// <para><b>One process at a time.</b> A real run holds the database lease <see cref="LeaseName"/> (<see cref="JobLeases"/>),
/// so of several web nodes one builds the packs; a dry run builds nothing and takes no lease.</para>
/// <para><b>Staff, not debtors.</b> The e-mails name no debtor, account or contact point, so the dispatcher sends them
/// without the debtor compliance gate (which governs contact with debtors).</para>
/// </remarks>
public sealed class ReportDelivery(RecoupDatabase database, TimeProvider clock, Strategies.ContactCosts? costs = null)
{
    public const string LeaseName = "report-delivery";
    public const string Purpose = "report_pack";
    public const string Queued = "queued";
    public const string AlreadyQueued = "already_queued";
    public const string WouldQueue = "would_queue";

    private static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(30);

    /// <summary>The packs due on <paramref name="runDate"/>: the weekly one on a Monday, the monthly one on the 1st; often none.</summary>
    public static IReadOnlyList<DueReportPack> DueOn(DateOnly runDate)
    {
        var due = new List<DueReportPack>();
        if (runDate.DayOfWeek == DayOfWeek.Monday)
        {
            due.Add(new DueReportPack(PackKind.Weekly, runDate.AddDays(-1)));
        }

        if (runDate.Day == 1)
        {
            due.Add(new DueReportPack(PackKind.Monthly, runDate.AddDays(-1)));
        }

        return due;
    }

    /// <summary>The outbox dedup key of one subscriber's pack for one period.</summary>
    public static string DedupKey(PackKind kind, DateOnly periodEnd, Guid subscriptionId) =>
        $"report-pack:{ReportSubscriptions.PackName(kind)}:{periodEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}:{subscriptionId:N}";

    /// <summary>Queues the packs due on <paramref name="runDate"/> for every active subscriber; with <paramref name="dryRun"/>, only says what it would queue.</summary>
    public async Task<Result<ReportDeliveryRun>> RunAsync(DateOnly runDate, bool dryRun, string actor, CancellationToken ct = default)
    {
        var due = DueOn(runDate);
        if (due.Count == 0)
        {
            return new ReportDeliveryRun(runDate, dryRun, due, []);
        }

        var holder = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        var leases = new JobLeases(database, clock);
        if (!dryRun && !await leases.TryAcquireAsync(LeaseName, holder, LeaseDuration, ct))
        {
            var current = await leases.HolderAsync(LeaseName, ct);
            return new Error("report_delivery_in_progress",
                $"Another report delivery is in progress ({current?.Holder ?? "another process"}, until {current?.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "its lease lapses"} UTC); try again when it has finished");
        }

        try
        {
            var items = new List<ReportDeliveryItem>();
            foreach (var pack in due)
            {
                items.AddRange(await DeliverAsync(pack, dryRun, actor, holder, leases, ct));
            }

            return new ReportDeliveryRun(runDate, dryRun, due, items);
        }
        finally
        {
            if (!dryRun)
            {
                await leases.ReleaseAsync(LeaseName, holder, CancellationToken.None);
            }
        }
    }

    private async Task<List<ReportDeliveryItem>> DeliverAsync(DueReportPack due, bool dryRun, string actor, string holder, JobLeases leases, CancellationToken ct)
    {
        var name = due.Name;
        List<Data.Reporting.ReportSubscription> subscriptions;
        HashSet<string> sent;
        await using (var db = database.CreateContext())
        {
            subscriptions = await db.ReportSubscriptions.AsNoTracking().Where(s => s.Active && s.Pack == name).ToListAsync(ct);
            var keys = subscriptions.Select(s => DedupKey(due.Kind, due.PeriodEnd, s.Id)).ToList();
            sent = [.. await db.Outbox.AsNoTracking().Where(m => m.DedupKey != null && keys.Contains(m.DedupKey)).Select(m => m.DedupKey!).ToListAsync(ct)];
        }

        var items = new List<ReportDeliveryItem>();
        var groups = subscriptions
            .OrderBy(s => s.CreatedAt)
            .GroupBy(s => ReportSubscriptions.FilterOf(s))
            .ToList();
        foreach (var group in groups)
        {
            var waiting = group.Where(s => !sent.Contains(DedupKey(due.Kind, due.PeriodEnd, s.Id))).ToList();
            items.AddRange(group.Except(waiting).Select(s => new ReportDeliveryItem(s.Id, s.Email, name, due.PeriodEnd, AlreadyQueued, null)));
            if (waiting.Count == 0)
            {
                continue;
            }

            if (dryRun)
            {
                items.AddRange(waiting.Select(s => new ReportDeliveryItem(s.Id, s.Email, name, due.PeriodEnd, WouldQueue, null)));
                continue;
            }

            await leases.TryAcquireAsync(LeaseName, holder, LeaseDuration, ct); // renew: a large portfolio takes a while per filter
            var pack = await new ReportPacks(database, costs: costs).BuildAsync(due.Kind, due.PeriodEnd, group.Key, ct);
            var pdf = ReportExports.Pdf(pack);
            byte[] xlsx;
            using (var stream = new MemoryStream())
            {
                ReportExports.Xlsx(pack.Tables, stream);
                xlsx = stream.ToArray();
            }

            foreach (var subscription in waiting)
            {
                items.Add(await QueueAsync(subscription, due, pack, group.Key, pdf, xlsx, actor, ct));
            }
        }

        return items;
    }

    private async Task<ReportDeliveryItem> QueueAsync(
        Data.Reporting.ReportSubscription subscription, DueReportPack due, ReportPack pack, ReportFilter filter, byte[] pdf, byte[] xlsx, string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var message = new OutboxMessage
        {
            Id = SequentialGuid.Create(now),
            Channel = OutboxChannel.Email,
            Purpose = Purpose,
            Recipient = subscription.Email,
            Subject = pack.Title,
            Body = Body(pack, filter, subscription),
            DedupKey = DedupKey(due.Kind, due.PeriodEnd, subscription.Id),
            CreatedAt = now,
            NotBefore = now,
            Status = OutboxStatus.Pending,
            CreatedBy = actor,
        };
        await using var db = database.CreateContext();
        db.Outbox.Add(message);
        db.OutboxAttachments.Add(new OutboxAttachment { Id = SequentialGuid.Create(now), OutboxId = message.Id, Position = 0, FileName = pack.FileName + ".pdf", ContentType = "application/pdf", Content = pdf });
        db.OutboxAttachments.Add(new OutboxAttachment
        {
            Id = SequentialGuid.Create(now),
            OutboxId = message.Id,
            Position = 1,
            FileName = pack.FileName + ".xlsx",
            ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Content = xlsx,
        });
        try
        {
            await db.SaveChangesAsync(ct);
            return new ReportDeliveryItem(subscription.Id, subscription.Email, due.Name, due.PeriodEnd, Queued, message.Id);
        }
        catch (DbUpdateException e) when (IdempotencyErrors.IsUniqueViolation(e))
        {
            return new ReportDeliveryItem(subscription.Id, subscription.Email, due.Name, due.PeriodEnd, AlreadyQueued, null); // another node queued it first
        }
    }

    private static string Body(ReportPack pack, ReportFilter filter, Data.Reporting.ReportSubscription subscription)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{pack.Title}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Attached: the {pack.Kind} report pack as PDF ({pack.FileName}.pdf) and XLSX ({pack.FileName}.xlsx).\n");
        text.Append(CultureInfo.InvariantCulture, $"Accounts: {filter.Describe()}. Every figure is computed from the ledger as of {pack.To:yyyy-MM-dd}.\n\n");
        if (pack.Tables.FirstOrDefault(t => t.Title == "KPIs") is { } kpis)
        {
            foreach (var row in kpis.Rows.Where(r => (string?)r[1] is "DSO" or "CEI"))
            {
                text.Append(CultureInfo.InvariantCulture, $"{row[0]} {row[1]}: {(row[2] is null ? "n/a" : ReportTable.Text(row[2]))} {row[3]}\n");
            }

            text.Append('\n');
        }

        text.Append(CultureInfo.InvariantCulture, $"You receive this because {subscription.CreatedBy} subscribed {subscription.Email} to the {subscription.Pack} pack in Recoup. ");
        text.Append("A manager can remove the subscription under Reports > Subscriptions.\n");
        return text.ToString();
    }
}
