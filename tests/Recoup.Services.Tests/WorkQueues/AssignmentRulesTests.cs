using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Data.Identity;
using Recoup.Domain.Debtors;
using Recoup.Services.Storage;
using Recoup.Services.WorkQueues;
using Recoup.Testing;

namespace Recoup.Services.Tests.WorkQueues;

public sealed class AssignmentRulesTests
{
    // Audit records are ordered by their version 7 ids, which order by time only from one millisecond to the next.
    private static FakeTimeProvider Clock => new(new DateTimeOffset(2026, 11, 23, 16, 0, 0, TimeSpan.Zero)) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };

    /// <summary>Collectors ana and ben, supervisor sue.</summary>
    private static async Task<RecoupDatabase> SeedAsync(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        await using var db = database.CreateContext();
        var collector = new IdentityRole(Roles.Collector) { NormalizedName = "COLLECTOR" };
        var supervisor = new IdentityRole(Roles.Supervisor) { NormalizedName = "SUPERVISOR" };
        db.Roles.AddRange(collector, supervisor);
        foreach (var (name, role) in new[] { ("ana", collector), ("ben", collector), ("sue", supervisor) })
        {
            var user = new RecoupUser { UserName = name, NormalizedUserName = name.ToUpperInvariant(), DisplayName = $"{name} (display)" };
            db.Users.Add(user);
            db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = role.Id });
        }

        await db.SaveChangesAsync();
        return database;
    }

    private static AssignmentRuleDraft Draft(string name = "Texas consumer", params string[] collectors) =>
        new(1, name, DebtType.Consumer, 1_000_0000, 10_000_0000, ["tx", " ok "], "ES", collectors.Length == 0 ? ["ANA", "ben"] : collectors);

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ARule_IsStoredTidied_ListedInOrder_Updated_AndDeleted_EachStepAudited(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);
        var rules = new AssignmentRules(database, Clock);

        var created = await rules.CreateAsync(Draft(), "sue");
        var catchAll = await rules.CreateAsync(new AssignmentRuleDraft(9, "Everything else", null, null, null, [], null, ["ben"]), "sue");
        Assert.True(created.Succeeded, string.Join("; ", created.Errors));
        var rule = created.Rule!;
        Assert.Equal(("Texas consumer", "es"), (rule.Name, rule.Language));
        Assert.Equal(["ana", "ben"], rule.Collectors);
        Assert.Equal(["OK", "TX"], rule.Regions.Order(StringComparer.Ordinal));

        var listed = await rules.ListAsync();
        Assert.Equal([rule.Id, catchAll.Rule!.Id], listed.Select(r => r.Id));
        Assert.Equal((1_000_0000L, 10_000_0000L), (listed[0].MinBalanceSortKey!.Value, listed[0].MaxBalanceSortKey!.Value));

        var updated = await rules.UpdateAsync(rule.Id, Draft("Texas consumer, Spanish") with { Order = 20 }, "sue");
        Assert.True(updated.Succeeded);
        Assert.Equal([catchAll.Rule.Id, rule.Id], (await rules.ListAsync()).Select(r => r.Id));

        Assert.True((await rules.DeleteAsync(rule.Id, "sue")).IsSuccess);
        Assert.Equal(AssignmentRules.RuleNotFound, (await rules.DeleteAsync(rule.Id, "sue")).Error!.Code);
        Assert.Equal(AssignmentRules.RuleNotFound, (await rules.UpdateAsync(rule.Id, Draft(), "sue")).Errors.Single().Code);
        Assert.Equal([catchAll.Rule.Id], (await rules.ListAsync()).Select(r => r.Id));

        await using var db = database.CreateContext();
        var audit = await db.AuditLog.AsNoTracking().Where(a => a.EntityId == rule.Id.ToString()).OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(["assignment_rule.created", "assignment_rule.updated", "assignment_rule.deleted"], audit.Select(a => a.Action));
        Assert.Contains("\"name\":\"Texas consumer\"", audit[1].Before, StringComparison.Ordinal);
        Assert.Contains("\"order\":20", audit[1].After, StringComparison.Ordinal);
        Assert.Null(audit[2].After);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ABadRule_ListsEveryProblem_WithItsField_AndStoresNothing(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);
        var rules = new AssignmentRules(database, Clock);

        var refused = await rules.CreateAsync(new AssignmentRuleDraft(1, " ", null, 5_000_0000, 1_000_0000, ["TX", ""], "spanish", ["ana", "sue", "zed", "ANA"]), "sue");

        Assert.False(refused.Succeeded);
        Assert.Equal(
            [
                ("rule_regions", "Regions"),
                ("rule_language", "Language"),
                ("rule_collector_unknown", "Collectors"),
                ("rule_collector_twice", "Collectors"),
                ("rule_name", "Name"),
                ("rule_band", "MaxBalanceSortKey"),
            ],
            refused.Errors.Select(e => (e.Code, e.Field!)));
        Assert.Equal("'sue', 'zed' are not users with the collector role", refused.Errors.Single(e => e.Code == "rule_collector_unknown").Message);
        Assert.Equal("rule_collectors", (await rules.CreateAsync(Draft("No one", " "), "sue")).Errors.Single().Code);
        await using var db = database.CreateContext();
        Assert.Equal(0, await db.AssignmentRules.CountAsync());
        Assert.Equal(0, await db.AuditLog.CountAsync());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Collectors_AreTheUsersWithTheRole_AndOnlyTheyGetACapacity(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);
        var rules = new AssignmentRules(database, Clock);

        var before = await rules.ListCollectorsAsync();
        var set = await rules.SetCollectorAsync("ANA", 250, active: false, "sue");
        var again = await rules.SetCollectorAsync("ana", 300, active: true, "sue");
        var supervisor = await rules.SetCollectorAsync("sue", 10, active: true, "sue");
        var nobody = await rules.SetCollectorAsync("zed", 10, active: true, "sue");
        var negative = await rules.SetCollectorAsync("ben", -1, active: true, "sue");

        Assert.Equal([("ana", (int?)null, false), ("ben", null, false)], before.Select(c => (c.UserName, c.Capacity, c.Active)));
        Assert.Equal(("ana", 250, false), (set.Value.UserName, set.Value.Capacity!.Value, set.Value.Active));
        Assert.True(again.IsSuccess);
        Assert.Equal((AssignmentRules.NotACollector, "sue does not have the collector role; only collectors have a capacity"), (supervisor.Error!.Code, supervisor.Error.Message));
        Assert.Equal(AssignmentRules.CollectorNotFound, nobody.Error!.Code);
        Assert.Equal(("capacity_invalid", "capacity"), (negative.Error!.Code, negative.Error.Field));

        var after = await rules.ListCollectorsAsync();
        Assert.Equal([("ana", (int?)300, true, "ana (display)"), ("ben", null, false, "ben (display)")], after.Select(c => (c.UserName, c.Capacity, c.Active, c.DisplayName)));
        await using var db = database.CreateContext();
        var audit = await db.AuditLog.AsNoTracking().Where(a => a.Entity == "collector").OrderBy(a => a.Id).ToListAsync();
        Assert.Equal([null, "{\"capacity\":250,\"active\":false}"], audit.Select(a => a.Before));
        Assert.Equal("{\"capacity\":300,\"active\":true}", audit[1].After);
    }
}
