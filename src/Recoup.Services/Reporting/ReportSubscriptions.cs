using Microsoft.EntityFrameworkCore;
using MimeKit;
using Recoup.Data.Reporting;
using Recoup.Domain;
using Recoup.Services.Audit;
using Recoup.Services.Storage;

namespace Recoup.Services.Reporting;

/// <summary>A subscription to create: who, which pack, and the pack's filter (blank fields are "all").</summary>
public sealed record NewReportSubscription(string? Email, string? Pack, string? Collector = null, string? DebtType = null, string? Currency = null);

/// <summary>A subscription as listed.</summary>
public sealed record ReportSubscriptionView(Guid Id, string Email, PackKind Pack, ReportFilter Filter, string CreatedBy, DateTimeOffset CreatedAt, bool Active)
{
    /// <summary><c>weekly</c> or <c>monthly</c>, as the API and the CLI write it.</summary>
    public string PackName => ReportSubscriptions.PackName(Pack);
}

/// <summary>
/// The staff who receive the report packs by e-mail (docs/reports.md, "Delivery by e-mail"): add, list, remove.
/// Removing deactivates (the row stays, so what was sent remains traceable to it). Every change is in the audit log.
/// </summary>
public sealed class ReportSubscriptions(RecoupDatabase database, TimeProvider clock)
{
    public const string NotFound = "report_subscription_not_found";
    private const string Entity = "report_subscription";

    public static string PackName(PackKind kind) => kind == PackKind.Weekly ? "weekly" : "monthly";

    /// <summary>Reads <c>weekly</c> or <c>monthly</c> (any case).</summary>
    public static PackKind? ParsePack(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "weekly" => PackKind.Weekly,
        "monthly" => PackKind.Monthly,
        _ => null,
    };

    /// <summary>The filter a subscription stored: one nullable column per field.</summary>
    public static ReportFilter FilterOf(ReportSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var parsed = ReportFilter.Parse(subscription.Collector, subscription.DebtType, subscription.Currency);
        return parsed.IsSuccess ? parsed.Value : throw new InvalidOperationException($"Report subscription {subscription.Id} has a filter that no longer reads: {parsed.Error!.Message}");
    }

    public static ReportSubscriptionView View(ReportSubscription s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(s.Id, s.Email, ParsePack(s.Pack) ?? PackKind.Monthly, FilterOf(s), s.CreatedBy, s.CreatedAt, s.Active);
    }

    /// <summary>Checks the request and stores the subscription; a refusal names its field.</summary>
    public async Task<Result<ReportSubscriptionView>> CreateAsync(NewReportSubscription request, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var email = request.Email?.Trim() ?? "";
        if (email.Length is 0 or > 320 || !MailboxAddress.TryParse(email, out var address) || address.Address != email || !email.Contains('@', StringComparison.Ordinal))
        {
            return new Error("email_invalid", "Give one e-mail address, like finance@example.com", "email");
        }

        if (ParsePack(request.Pack) is not { } pack)
        {
            return new Error("pack_unknown", $"The pack must be weekly or monthly, not '{request.Pack}'", "pack");
        }

        var filter = ReportFilter.Parse(request.Collector, request.DebtType, request.Currency);
        if (filter.Error is { } refused)
        {
            return refused;
        }

        var now = clock.GetUtcNow();
        var row = new ReportSubscription
        {
            Id = SequentialGuid.Create(now),
            Email = email,
            Pack = PackName(pack),
            Collector = filter.Value.Collector,
            DebtType = filter.Value.DebtType?.ToString().ToLowerInvariant(),
            Currency = filter.Value.Currency?.Code,
            CreatedBy = actor,
            CreatedAt = now,
            Active = true,
        };
        await using var db = database.CreateContext();
        db.ReportSubscriptions.Add(row);
        db.AuditLog.Add(AuditLog.Record(now, actor, "report_subscription.created", Entity, row.Id.ToString(), null,
            new { email, pack = row.Pack, collector = row.Collector, debt_type = row.DebtType, currency = row.Currency }));
        await db.SaveChangesAsync(ct);
        return View(row);
    }

    /// <summary>The active subscriptions (with <paramref name="includeRemoved"/>, the removed too), by pack and address.</summary>
    public async Task<IReadOnlyList<ReportSubscriptionView>> ListAsync(bool includeRemoved = false, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var rows = await db.ReportSubscriptions.AsNoTracking().Where(s => includeRemoved || s.Active).ToListAsync(ct);
        return [.. rows.OrderByDescending(s => s.Active).ThenBy(s => s.Pack, StringComparer.Ordinal).ThenBy(s => s.Email, StringComparer.OrdinalIgnoreCase).ThenBy(s => s.CreatedAt).Select(View)];
    }

    /// <summary>Stops the deliveries to a subscription. Removing twice is harmless.</summary>
    public async Task<Result<ReportSubscriptionView>> RemoveAsync(Guid id, string actor, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var row = await db.ReportSubscriptions.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (row is null)
        {
            return new Error(NotFound, $"There is no report subscription {id}");
        }

        if (row.Active)
        {
            row.Active = false;
            db.AuditLog.Add(AuditLog.Record(clock.GetUtcNow(), actor, "report_subscription.removed", Entity, id.ToString(), new { active = true }, new { active = false }));
            await db.SaveChangesAsync(ct);
        }

        return View(row);
    }
}
