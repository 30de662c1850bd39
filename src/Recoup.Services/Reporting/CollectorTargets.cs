using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Recoup.Data.Identity;
using Recoup.Data.Reporting;
using Recoup.Domain;
using Recoup.Services.Audit;
using Recoup.Services.Storage;

namespace Recoup.Services.Reporting;

/// <summary>A collector's targets for a month: an amount to collect per currency, right-party contacts, promises taken, and the share of promises kept.</summary>
/// <param name="KeptRateBasisPoints">Hundredths of a percent: 8000 is 80 %.</param>
public sealed record CollectorTarget(
    string Collector, DateOnly Month, IReadOnlyList<Money> Amounts, int Contacts, int Promises, int KeptRateBasisPoints, string SetBy, DateTimeOffset SetAt)
{
    public decimal KeptRatePercent => KeptRateBasisPoints / 100m;
}

/// <summary>What a supervisor sets for one collector and month.</summary>
public sealed record CollectorTargetInput(string? Collector, IReadOnlyList<Money> Amounts, int Contacts, int Promises, int KeptRateBasisPoints);

/// <summary>
/// The targets supervisors set per collector and month (<c>collector_targets</c>, append-only): setting
/// them adds a new set, and the set in force on a date is the latest one set by the end of that day
/// (docs/reports.md, "Collector performance against targets").
/// </summary>
public sealed class CollectorTargets(RecoupDatabase database, TimeProvider clock)
{
    /// <summary>The month of a <c>YYYY-MM</c> text (its first day), or an error naming <c>month</c>.</summary>
    public static Result<DateOnly> ParseMonth(string? text)
    {
        if (DateOnly.TryParseExact(text?.Trim() + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
        {
            return month;
        }

        return new Error("month_invalid", $"'{text}' is not a month like 2026-11", "month");
    }

    /// <summary>The targets in force for the month as of the end of <paramref name="asOf"/> (null: now), one per collector, by collector.</summary>
    public async Task<IReadOnlyList<CollectorTarget>> ForMonthAsync(DateOnly month, DateOnly? asOf = null, CancellationToken ct = default)
    {
        var first = new DateOnly(month.Year, month.Month, 1);
        var cutoff = asOf is { } day ? new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : DateTimeOffset.MaxValue;
        await using var db = database.CreateContext();
        // A month has one set per collector per change: a few dozen rows, filtered by time here (SQLite cannot compare instants).
        var rows = (await db.CollectorTargets.AsNoTracking().Where(t => t.Month == first).ToListAsync(ct)).Where(t => t.SetAt < cutoff).ToList();
        return rows.GroupBy(r => r.Collector, StringComparer.Ordinal)
            .Select(g =>
            {
                var latest = g.Max(r => r.SetAt);
                var set = g.Where(r => r.SetAt == latest).OrderBy(r => r.Currency.Code, StringComparer.Ordinal).ToList();
                var head = set[0];
                return new CollectorTarget(head.Collector, first, set.Select(r => new Money(r.AmountMinor, r.Currency)).ToList(), head.Contacts, head.Promises, head.KeptRateBasisPoints, head.SetBy, head.SetAt);
            })
            .OrderBy(t => t.Collector, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The user names that can be given targets: the users with the collector role, and the collectors with a profile or with accounts assigned.</summary>
    public async Task<IReadOnlyList<string>> CollectorsAsync(CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var users = await (from user in db.Users.AsNoTracking()
                           join link in db.UserRoles on user.Id equals link.UserId
                           join role in db.Roles on link.RoleId equals role.Id
                           where role.Name == Roles.Collector
                           select user.UserName!).ToListAsync(ct);
        var profiles = await db.CollectorProfiles.AsNoTracking().Select(c => c.UserName).ToListAsync(ct);
        var assigned = await db.AccountAssignments.AsNoTracking().Select(a => a.Collector).Distinct().ToListAsync(ct);
        return users.Concat(profiles).Concat(assigned).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Sets the month's targets of each collector named (a new set each; the others keep theirs). Refused whole when any is invalid.</summary>
    public async Task<Result<IReadOnlyList<CollectorTarget>>> SetAsync(DateOnly month, IReadOnlyList<CollectorTargetInput> inputs, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var first = new DateOnly(month.Year, month.Month, 1);
        if (inputs.Count == 0)
        {
            return new Error("targets_missing", "Give at least one collector's targets", "targets");
        }

        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            var at = $"targets[{i}]";
            if (string.IsNullOrWhiteSpace(input.Collector))
            {
                return new Error("collector_missing", "Name the collector", $"{at}.collector");
            }

            if (input.Amounts.Count == 0)
            {
                return new Error("amount_missing", $"Give {input.Collector}'s amount to collect in at least one currency", $"{at}.amounts");
            }

            if (input.Amounts.GroupBy(a => a.Currency).Any(g => g.Count() > 1))
            {
                return new Error("currency_repeated", $"Give {input.Collector}'s amount once per currency", $"{at}.amounts");
            }

            if (input.Amounts.Any(a => a.Minor < 0) || input.Contacts < 0 || input.Promises < 0)
            {
                return new Error("target_negative", $"{input.Collector}'s targets cannot be negative", at);
            }

            if (input.KeptRateBasisPoints is < 0 or > 10000)
            {
                return new Error("kept_rate_invalid", $"{input.Collector}'s kept rate must be between 0 and 100 %", $"{at}.kept_rate");
            }

            if (inputs.Take(i).Any(o => string.Equals(o.Collector?.Trim(), input.Collector.Trim(), StringComparison.Ordinal)))
            {
                return new Error("collector_repeated", $"{input.Collector} is named twice", $"{at}.collector");
            }
        }

        var now = clock.GetUtcNow();
        await using var db = database.CreateContext();
        var saved = new List<CollectorTarget>();
        foreach (var input in inputs)
        {
            var collector = input.Collector!.Trim();
            foreach (var amount in input.Amounts)
            {
                db.CollectorTargets.Add(new CollectorTargetRecord
                {
                    Id = SequentialGuid.Create(now),
                    Collector = collector,
                    Month = first,
                    Currency = amount.Currency,
                    AmountMinor = amount.Minor,
                    Contacts = input.Contacts,
                    Promises = input.Promises,
                    KeptRateBasisPoints = input.KeptRateBasisPoints,
                    SetBy = actor,
                    SetAt = now,
                });
            }

            var target = new CollectorTarget(collector, first, input.Amounts.OrderBy(a => a.Currency.Code, StringComparer.Ordinal).ToList(), input.Contacts, input.Promises, input.KeptRateBasisPoints, actor, now);
            db.AuditLog.Add(AuditLog.Record(now, actor, "collector_target.set", "collector", collector, null, new
            {
                month = first.ToString("yyyy-MM", CultureInfo.InvariantCulture),
                amounts = target.Amounts.Select(a => new { currency = a.Currency.Code, amount = a.ToDecimalString() }),
                contacts = input.Contacts,
                promises = input.Promises,
                kept_rate_basis_points = input.KeptRateBasisPoints,
            }));
            saved.Add(target);
        }

        await db.SaveChangesAsync(ct);
        return saved;
    }
}
