using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Recoup.Data;
using Recoup.Data.Holds;
using Recoup.Data.Outbox;
using Recoup.Domain;
using Recoup.Domain.Debtors;
using Recoup.Services.Audit;
using Recoup.Services.Storage;
using Recoup.Services.Webhooks;

namespace Recoup.Services.Holds;

/// <summary>Where the sales department is told of credit holds (configuration <c>Recoup:CreditHolds:SalesEmail</c>).</summary>
public sealed record CreditHoldSettings(string? SalesEmail)
{
    public const string SectionName = "Recoup:CreditHolds";

    public static CreditHoldSettings Load(IConfiguration? configuration)
    {
        var email = configuration?.GetSection(SectionName)["SalesEmail"];
        if (!string.IsNullOrWhiteSpace(email) && !email.Contains('@', StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{SectionName}:SalesEmail must be an e-mail address, not '{email}'");
        }

        return new CreditHoldSettings(string.IsNullOrWhiteSpace(email) ? null : email.Trim());
    }
}

/// <summary>A customer's credit hold as the screens and the API show it, with what the customer owes.</summary>
public sealed record CreditHoldView(
    Guid Id, string DebtorId, string DebtorName, string Reason, DateOnly PlacedOn, string PlacedBy, DateOnly? ReleasedOn, string? ReleasedBy,
    string? ReleaseReason, int DaysOnHold, IReadOnlyList<Money> Exposure)
{
    public bool OnHold => ReleasedOn is null;
}

/// <summary>
/// Credit holds ("shutdown") of business customers: put on hold or released with a reason, each change audited on
/// every account of the customer, raised as <c>credit_hold.changed</c> to the webhook subscribers and e-mailed to
/// sales, all in the same transaction (the outbox delivers them). The shutdown report lists the customers on hold
/// with their exposure (what they owe, per currency) and days on hold.
/// </summary>
public sealed class CreditHolds(RecoupDatabase database, TimeProvider clock, CreditHoldSettings settings)
{
    public const string Purpose = "credit_hold";

    public async Task<Result<CreditHoldView>> PutOnHoldAsync(string debtorId, string? reason, string actor, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return new Error("reason_missing", "Say why the customer is put on credit hold", "reason");
        }

        var now = clock.GetUtcNow();
        var today = clock.Today();
        await using var db = database.CreateContext();
        var debtor = await db.Debtors.AsNoTracking().SingleOrDefaultAsync(d => d.ExternalId == debtorId, ct);
        if (debtor is null)
        {
            return new Error("debtor_not_found", $"There is no debtor '{debtorId}'");
        }

        if (debtor.Kind != DebtorKind.Business)
        {
            return new Error("credit_hold_business_only", $"{debtor.Name} is a person; credit holds are for business customers");
        }

        if (await db.CreditHolds.AsNoTracking().AnyAsync(h => h.DebtorId == debtor.Id && h.ReleasedAt == null, ct))
        {
            return new Error("already_on_credit_hold", $"{debtor.Name} is already on credit hold");
        }

        var hold = new CreditHoldRecord
        {
            Id = SequentialGuid.Create(now),
            DebtorId = debtor.Id,
            Reason = reason.Trim(),
            PlacedOn = today,
            PlacedAt = now,
            PlacedBy = actor,
        };
        db.CreditHolds.Add(hold);
        var view = await RecordAsync(db, debtor, hold, onHold: true, now, actor, ct);
        await db.SaveChangesAsync(ct);
        return view;
    }

    public async Task<Result<CreditHoldView>> ReleaseAsync(string debtorId, string? reason, string actor, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return new Error("reason_missing", "Say why the credit hold is released", "reason");
        }

        var now = clock.GetUtcNow();
        await using var db = database.CreateContext();
        var debtor = await db.Debtors.AsNoTracking().SingleOrDefaultAsync(d => d.ExternalId == debtorId, ct);
        if (debtor is null)
        {
            return new Error("debtor_not_found", $"There is no debtor '{debtorId}'");
        }

        var hold = await db.CreditHolds.SingleOrDefaultAsync(h => h.DebtorId == debtor.Id && h.ReleasedAt == null, ct);
        if (hold is null)
        {
            return new Error("not_on_credit_hold", $"{debtor.Name} is not on credit hold");
        }

        hold.ReleasedAt = now;
        hold.ReleasedOn = clock.Today();
        hold.ReleasedBy = actor;
        hold.ReleaseReason = reason.Trim();
        var view = await RecordAsync(db, debtor, hold, onHold: false, now, actor, ct);
        await db.SaveChangesAsync(ct);
        return view;
    }

    /// <summary>The customer's current credit hold, or its latest one, or null when it was never on hold.</summary>
    public async Task<Result<CreditHoldView?>> ForDebtorAsync(string debtorId, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var debtor = await db.Debtors.AsNoTracking().SingleOrDefaultAsync(d => d.ExternalId == debtorId, ct);
        if (debtor is null)
        {
            return new Error("debtor_not_found", $"There is no debtor '{debtorId}'");
        }

        var holds = await db.CreditHolds.AsNoTracking().Where(h => h.DebtorId == debtor.Id).ToListAsync(ct);
        var latest = holds.OrderByDescending(h => h.ReleasedAt is null).ThenByDescending(h => h.PlacedAt).FirstOrDefault();
        if (latest is null)
        {
            return Result<CreditHoldView?>.Ok(null);
        }

        var exposure = await ExposureAsync(db, [debtor.Id], ct);
        return View(debtor, latest, [.. exposure[debtor.Id]], clock.Today());
    }

    /// <summary>The shutdown report: every customer on credit hold, longest on hold first.</summary>
    public async Task<IReadOnlyList<CreditHoldView>> ShutdownReportAsync(CancellationToken ct = default)
    {
        var today = clock.Today();
        await using var db = database.CreateContext();
        var holds = await db.CreditHolds.AsNoTracking().Where(h => h.ReleasedAt == null).ToListAsync(ct);
        var debtorIds = holds.Select(h => h.DebtorId).Distinct().ToList();
        var debtors = (await Chunks.QueryAsync(debtorIds, chunk => db.Debtors.AsNoTracking().Where(d => chunk.Contains(d.Id)), ct)).ToDictionary(d => d.Id);
        var exposure = await ExposureAsync(db, debtorIds, ct);
        return holds.Select(h => View(debtors[h.DebtorId], h, [.. exposure[h.DebtorId]], today))
            .OrderByDescending(v => v.DaysOnHold).ThenBy(v => v.DebtorName, StringComparer.Ordinal).ToList();
    }

    /// <summary>The shutdown report as CSV (RFC 4180): one line per customer and currency.</summary>
    public static string Csv(IReadOnlyList<CreditHoldView> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var csv = new StringBuilder("debtor_id,name,reason,placed_on,placed_by,days_on_hold,exposure,currency\r\n");
        foreach (var row in rows)
        {
            var exposures = row.Exposure.Count == 0 ? [Money.Zero(Currency.USD)] : row.Exposure;
            foreach (var money in exposures)
            {
                csv.Append(CultureInfo.InvariantCulture,
                    $"{Field(row.DebtorId)},{Field(row.DebtorName)},{Field(row.Reason)},{row.PlacedOn:yyyy-MM-dd},{Field(row.PlacedBy)},{row.DaysOnHold},{money.ToDecimalString()},{money.Currency.Code}\r\n");
            }
        }

        return csv.ToString();
    }

    private static string Field(string value)
    {
        // A leading =, +, - or @ would be read as a formula by a spreadsheet: prefix it with an apostrophe.
        var text = value.Length > 0 && "=+-@".Contains(value[0], StringComparison.Ordinal) ? "'" + value : value;
        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    private static CreditHoldView View(Debtor debtor, CreditHoldRecord hold, IReadOnlyList<Money> exposure, DateOnly today) => new(
        hold.Id, debtor.ExternalId, debtor.Name, hold.Reason, hold.PlacedOn, hold.PlacedBy, hold.ReleasedOn, hold.ReleasedBy, hold.ReleaseReason,
        (hold.ReleasedOn ?? today).DayNumber - hold.PlacedOn.DayNumber, exposure);

    private static async Task<ILookup<DebtorId, Money>> ExposureAsync(RecoupDbContext db, IReadOnlyList<DebtorId> debtorIds, CancellationToken ct)
    {
        var sums = await Chunks.QueryAsync(debtorIds, chunk => db.AccountSummaries.AsNoTracking().Where(s => chunk.Contains(s.DebtorId))
            .GroupBy(s => new { s.DebtorId, s.Currency }).Select(g => new { g.Key.DebtorId, g.Key.Currency, Balance = g.Sum(s => s.BalanceMinor) }), ct);
        return sums.OrderBy(s => s.Currency.Code, StringComparer.Ordinal).ToLookup(s => s.DebtorId, s => new Money(s.Balance, s.Currency));
    }

    /// <summary>Audits the change on every account of the customer, raises the webhook event and writes the e-mail to sales.</summary>
    private async Task<CreditHoldView> RecordAsync(RecoupDbContext db, Debtor debtor, CreditHoldRecord hold, bool onHold, DateTimeOffset now, string actor, CancellationToken ct)
    {
        var exposure = (await ExposureAsync(db, [debtor.Id], ct))[debtor.Id].ToList();
        var view = View(debtor, hold, exposure, clock.Today());
        var action = onHold ? "credit_hold.placed" : "credit_hold.released";
        var reason = onHold ? hold.Reason : hold.ReleaseReason;
        var accounts = await db.Accounts.AsNoTracking().Where(a => a.DebtorId == debtor.Id).Select(a => a.Id).ToListAsync(ct);
        db.AuditLog.Add(AuditLog.Record(now, actor, action, AuditEntities.Debtor, debtor.ExternalId, null, new { hold_id = hold.Id, reason }));
        foreach (var account in accounts)
        {
            db.AuditLog.Add(AuditLog.Record(now, actor, action, AuditEntities.Account, account.ToString(), null, new { hold_id = hold.Id, debtor_id = debtor.ExternalId, reason }));
        }

        var exposureJson = exposure.Select(m => new { amount = m.ToDecimalString(), currency = m.Currency.Code }).ToList();
        await WebhookEvents.RaiseAsync(db, new WebhookEvent(WebhookEvents.CreditHoldChanged, new
        {
            hold_id = hold.Id,
            debtor_id = debtor.ExternalId,
            debtor_name = debtor.Name,
            on_hold = onHold,
            reason,
            placed_on = hold.PlacedOn,
            released_on = hold.ReleasedOn,
            exposure = exposureJson,
        }, now, actor, null, debtor.Id.Value), ct);

        if (settings.SalesEmail is { } sales)
        {
            var owed = exposure.Count == 0 ? "nothing" : string.Join(" and ", exposure.Select(m => m.ToString()));
            db.Outbox.Add(new OutboxMessage
            {
                Id = SequentialGuid.Create(now),
                Channel = OutboxChannel.Email,
                Purpose = Purpose,
                DebtorId = debtor.Id.Value,
                Recipient = sales,
                Subject = onHold ? $"Credit hold: {debtor.Name} ({debtor.ExternalId})" : $"Credit hold released: {debtor.Name} ({debtor.ExternalId})",
                Body = onHold
                    ? $"{debtor.Name} ({debtor.ExternalId}) was put on credit hold on {hold.PlacedOn:yyyy-MM-dd} by {actor}.\n\nReason: {hold.Reason}\nOwed: {owed}\n\nPlease accept no new orders on credit until the hold is released."
                    : $"The credit hold on {debtor.Name} ({debtor.ExternalId}), placed on {hold.PlacedOn:yyyy-MM-dd}, was released on {hold.ReleasedOn:yyyy-MM-dd} by {actor}.\n\nReason: {hold.ReleaseReason}\nOwed: {owed}\n\nOrders on credit may be accepted again.",
                Language = "en",
                DedupKey = $"credit_hold:{hold.Id:N}:{(onHold ? "placed" : "released")}",
                CreatedAt = now,
                NotBefore = now,
                Status = OutboxStatus.Pending,
                CreatedBy = actor,
            });
        }

        return view;
    }
}
