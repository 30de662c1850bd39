using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Data.Identity;
using Recoup.Data.WorkQueues;
using Recoup.Domain;
using Recoup.Domain.Debtors;
using Recoup.Domain.WorkQueues;
using Recoup.Services.Audit;
using Recoup.Services.Storage;

namespace Recoup.Services.WorkQueues;

/// <summary>An assignment rule as a supervisor writes it (see <see cref="AssignmentRule"/> for what each condition means).</summary>
/// <param name="MinBalanceSortKey">Lowest balance, inclusive, in ten-thousandths of the major unit; null for no lower bound.</param>
/// <param name="MaxBalanceSortKey">The balance the band stops below (exclusive), same unit; null for no upper bound.</param>
public sealed record AssignmentRuleDraft(
    int Order,
    string? Name,
    DebtType? DebtType,
    long? MinBalanceSortKey,
    long? MaxBalanceSortKey,
    IReadOnlyList<string>? Regions,
    string? Language,
    IReadOnlyList<string>? Collectors);

/// <summary>What a change to the rules did: the rule as stored, or every reason it was refused.</summary>
public sealed record RuleChange(AssignmentRule? Rule, IReadOnlyList<Error> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>A collector as the work queues see them: a user with the collector role, and their capacity (null, and not active, until set).</summary>
/// <param name="IsCollector">False for a profile whose user is gone or no longer has the collector role: it takes no accounts.</param>
public sealed record CollectorView(string UserName, string DisplayName, int? Capacity, bool Active, bool IsCollector);

/// <summary>
/// The assignment rules and the collectors' capacity, as supervisors manage them. Rules are checked
/// by <see cref="AssignmentRule.Validate"/> and here against the users: every collector a rule names
/// must be a user with the collector role. Every change is written to the audit log in the same
/// transaction. The queue build reads what is stored here.
/// </summary>
/// <remarks>
/// Errors name the field as the <see cref="AssignmentRuleDraft"/> property (<c>Name</c>,
/// <c>MaxBalanceSortKey</c>, <c>Collectors</c> …), as the domain's rule does.
/// </remarks>
public sealed class AssignmentRules(RecoupDatabase database, TimeProvider clock)
{
    public const string RuleNotFound = "rule_not_found";
    public const string CollectorNotFound = "collector_not_found";
    public const string NotACollector = "not_a_collector";

    /// <summary>The most accounts a collector may be given; more is a typing mistake.</summary>
    public const int MaxCapacity = 1_000_000;

    public const string RuleEntity = "assignment_rule";
    public const string CollectorEntity = "collector";

    /// <summary>Every rule, in the order they are tried (order, then id).</summary>
    public async Task<IReadOnlyList<AssignmentRule>> ListAsync(CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var records = await db.AssignmentRules.AsNoTracking().ToListAsync(ct);
        return records.Select(ToRule).OrderBy(r => r.Order).ThenBy(r => r.Id).ToList();
    }

    public async Task<RuleChange> CreateAsync(AssignmentRuleDraft draft, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var (rule, errors) = await CheckAsync(db, AssignmentRuleId.New(now).Value, draft, ct);
        if (errors.Count > 0)
        {
            return new RuleChange(null, errors);
        }

        var record = new AssignmentRuleRecord { Id = rule.Id };
        Copy(rule, record);
        db.AssignmentRules.Add(record);
        db.AuditLog.Add(AuditLog.Record(now, actor, "assignment_rule.created", RuleEntity, rule.Id.ToString(), null, Describe(rule)));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new RuleChange(rule, []);
    }

    /// <summary>Replaces every condition and the collectors of a rule.</summary>
    public async Task<RuleChange> UpdateAsync(Guid id, AssignmentRuleDraft draft, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var record = await db.AssignmentRules.SingleOrDefaultAsync(r => r.Id == id, ct);
        if (record is null)
        {
            return new RuleChange(null, [NoRule(id)]);
        }

        var (rule, errors) = await CheckAsync(db, id, draft, ct);
        if (errors.Count > 0)
        {
            return new RuleChange(null, errors);
        }

        var before = Describe(ToRule(record));
        Copy(rule, record);
        db.AuditLog.Add(AuditLog.Record(clock.GetUtcNow(), actor, "assignment_rule.updated", RuleEntity, id.ToString(), before, Describe(rule)));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new RuleChange(rule, []);
    }

    /// <summary>Deletes a rule. Accounts it assigned keep their collector; the next queue build no longer uses it.</summary>
    public async Task<Result<AssignmentRule>> DeleteAsync(Guid id, string actor, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var record = await db.AssignmentRules.SingleOrDefaultAsync(r => r.Id == id, ct);
        if (record is null)
        {
            return NoRule(id);
        }

        var rule = ToRule(record);
        db.AssignmentRules.Remove(record);
        db.AuditLog.Add(AuditLog.Record(clock.GetUtcNow(), actor, "assignment_rule.deleted", RuleEntity, id.ToString(), Describe(rule), null));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return rule;
    }

    /// <summary>
    /// Every user with the collector role, with their capacity and whether they are active, then any
    /// profile whose user is no longer a collector; by user name. A collector without a profile yet has
    /// no capacity and is not active: the queue build gives accounts only to collectors with a profile.
    /// </summary>
    public async Task<IReadOnlyList<CollectorView>> ListCollectorsAsync(CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var collectors = await CollectorUsers(db).Select(u => new { u.UserName, u.DisplayName }).ToListAsync(ct);
        var profiles = await db.CollectorProfiles.AsNoTracking().ToDictionaryAsync(p => p.UserName, StringComparer.Ordinal, ct);
        var views = collectors
            .Select(u => profiles.TryGetValue(u.UserName!, out var p)
                ? new CollectorView(u.UserName!, u.DisplayName, p.Capacity, p.Active, true)
                : new CollectorView(u.UserName!, u.DisplayName, null, false, true))
            .ToList();
        var names = views.Select(v => v.UserName).ToHashSet(StringComparer.Ordinal);
        views.AddRange(profiles.Values.Where(p => !names.Contains(p.UserName)).Select(p => new CollectorView(p.UserName, p.UserName, p.Capacity, p.Active, false)));
        return views.OrderBy(v => v.UserName, StringComparer.Ordinal).ToList();
    }

    /// <summary>Sets how many accounts a collector may hold and whether they take any; the user must have the collector role.</summary>
    public async Task<Result<CollectorView>> SetCollectorAsync(string userName, int capacity, bool active, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(userName);
        if (capacity is < 0 or > MaxCapacity)
        {
            return new Error("capacity_invalid", "The capacity is a whole number of accounts from 0 to 1,000,000", "capacity");
        }

        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var normalized = userName.Trim().ToUpperInvariant();
        var user = await db.Users.AsNoTracking().Where(u => u.NormalizedUserName == normalized).Select(u => new { u.Id, u.UserName, u.DisplayName }).SingleOrDefaultAsync(ct);
        if (user is null)
        {
            return new Error(CollectorNotFound, $"There is no user '{userName}'");
        }

        if (!await CollectorUsers(db).AnyAsync(u => u.Id == user.Id, ct))
        {
            return new Error(NotACollector, $"{user.UserName} does not have the collector role; only collectors have a capacity", "user_name");
        }

        var profile = await db.CollectorProfiles.SingleOrDefaultAsync(p => p.UserName == user.UserName, ct);
        object? before = profile is null ? null : new { capacity = profile.Capacity, active = profile.Active };
        if (profile is null)
        {
            profile = new CollectorProfile { UserName = user.UserName! };
            db.CollectorProfiles.Add(profile);
        }

        profile.Capacity = capacity;
        profile.Active = active;
        db.AuditLog.Add(AuditLog.Record(clock.GetUtcNow(), actor, "collector.updated", CollectorEntity, user.UserName!, before, new { capacity, active }));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new CollectorView(user.UserName!, user.DisplayName, capacity, active, true);
    }

    private static IQueryable<RecoupUser> CollectorUsers(RecoupDbContext db) =>
        from user in db.Users.AsNoTracking()
        join link in db.UserRoles on user.Id equals link.UserId
        join role in db.Roles on link.RoleId equals role.Id
        where role.Name == Roles.Collector
        select user;

    /// <summary>The rule the draft describes, tidied (names trimmed, regions upper case, language lower case), and every problem with it.</summary>
    private static async Task<(AssignmentRule Rule, List<Error> Errors)> CheckAsync(RecoupDbContext db, Guid id, AssignmentRuleDraft draft, CancellationToken ct)
    {
        var errors = new List<Error>();
        var name = draft.Name?.Trim() ?? "";
        if (name.Length > 100)
        {
            errors.Add(new Error("rule_name_too_long", $"The name is {name.Length} characters long; at most 100 are allowed", nameof(AssignmentRuleDraft.Name)));
        }

        if (draft.MinBalanceSortKey < 0 || draft.MaxBalanceSortKey < 0)
        {
            errors.Add(new Error("rule_band_negative", "Balances in a band are zero or more",
                draft.MinBalanceSortKey < 0 ? nameof(AssignmentRuleDraft.MinBalanceSortKey) : nameof(AssignmentRuleDraft.MaxBalanceSortKey)));
        }

        var regions = (draft.Regions ?? []).Select(r => r?.Trim().ToUpperInvariant() ?? "").ToList();
        if (regions.Any(r => r.Length is 0 or > 8))
        {
            errors.Add(new Error("rule_regions", "Regions are state or province codes such as TX or ON (1 to 8 characters), none empty", nameof(AssignmentRuleDraft.Regions)));
        }

        string? language = string.IsNullOrWhiteSpace(draft.Language) ? null : draft.Language.Trim().ToLowerInvariant();
        if (language is not null && (language.Length != 2 || !language.All(char.IsAsciiLetterLower)))
        {
            errors.Add(new Error("rule_language", $"'{draft.Language}' is not a two-letter language code such as en or es", nameof(AssignmentRuleDraft.Language)));
        }

        var named = (draft.Collectors ?? []).Select(c => c?.Trim() ?? "").ToList();
        var collectors = new List<string>();
        var known = await CollectorUsers(db).Select(u => u.UserName!).ToListAsync(ct);
        var byNormalized = known.ToDictionary(n => n.ToUpperInvariant(), StringComparer.Ordinal);
        var unknown = new List<string>();
        foreach (var collector in named.Where(c => c.Length > 0))
        {
            if (byNormalized.TryGetValue(collector.ToUpperInvariant(), out var userName))
            {
                collectors.Add(userName);
            }
            else
            {
                unknown.Add(collector);
            }
        }

        if (unknown.Count > 0)
        {
            errors.Add(new Error("rule_collector_unknown",
                $"{string.Join(", ", unknown.Select(u => $"'{u}'"))} {(unknown.Count == 1 ? "is not a user" : "are not users")} with the collector role",
                nameof(AssignmentRuleDraft.Collectors)));
        }

        var twice = collectors.GroupBy(c => c, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (twice.Count > 0)
        {
            errors.Add(new Error("rule_collector_twice", $"{string.Join(", ", twice)} {(twice.Count == 1 ? "is" : "are")} named more than once", nameof(AssignmentRuleDraft.Collectors)));
        }

        // Empty names stay in for the domain's check, which reports them; unknown ones are reported above.
        var rule = new AssignmentRule(id, draft.Order, name, draft.DebtType, draft.MinBalanceSortKey, draft.MaxBalanceSortKey,
            regions.Where(r => r.Length > 0).ToHashSet(StringComparer.Ordinal), language,
            [.. collectors, .. named.Where(c => c.Length == 0)]);
        errors.AddRange(rule.Validate());
        return (rule with { Collectors = collectors }, errors);
    }

    private static AssignmentRule ToRule(AssignmentRuleRecord r) =>
        new(r.Id, r.Order, r.Name, r.DebtType, r.MinBalanceSortKey, r.MaxBalanceSortKey, r.Regions.ToHashSet(StringComparer.Ordinal), r.Language, r.Collectors);

    private static void Copy(AssignmentRule rule, AssignmentRuleRecord record)
    {
        record.Order = rule.Order;
        record.Name = rule.Name;
        record.DebtType = rule.DebtType;
        record.MinBalanceSortKey = rule.MinBalanceSortKey;
        record.MaxBalanceSortKey = rule.MaxBalanceSortKey;
        record.Regions = rule.Regions.Order(StringComparer.Ordinal).ToList();
        record.Language = rule.Language;
        record.Collectors = rule.Collectors.ToList();
    }

    private static Error NoRule(Guid id) => new(RuleNotFound, $"There is no assignment rule {id}");

    private static object Describe(AssignmentRule rule) => new
    {
        order = rule.Order,
        name = rule.Name,
        debt_type = rule.DebtType?.ToString().ToLowerInvariant(),
        min_balance_sort_key = rule.MinBalanceSortKey,
        max_balance_sort_key = rule.MaxBalanceSortKey,
        regions = rule.Regions.Order(StringComparer.Ordinal).ToList(),
        language = rule.Language,
        collectors = rule.Collectors,
    };
}
