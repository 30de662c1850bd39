using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Recoup.Data.Identity;

namespace Recoup.Web.Tests;

/// <summary><c>/api/work-queues/rules</c> and <c>/api/work-queues/collectors</c>: for supervisors, managers and admins.</summary>
public abstract class AssignmentRuleTests(ApiFixture fixture)
{
    private static Task<HttpResponseMessage> PutAsync(HttpClient client, string url, object body) => client.PutAsJsonAsync(url, body);

    [Fact]
    public async Task CollectorsAndAuditors_AreRefused_SupervisorsManagersAndAdminsAllowed()
    {
        foreach (var role in new[] { Roles.Collector, Roles.Auditor })
        {
            var client = fixture.As(role);
            Assert.Equal("forbidden", (await Json.ProblemAsync(await client.GetAsync("/api/work-queues/rules"), HttpStatusCode.Forbidden)).Str("code"));
            await Json.ProblemAsync(await Json.PostAsync(client, "/api/work-queues/rules", new { order = 1, name = "x", collectors = new[] { "collector" } }), HttpStatusCode.Forbidden);
            await Json.ProblemAsync(await client.GetAsync("/api/work-queues/collectors"), HttpStatusCode.Forbidden);
            await Json.ProblemAsync(await PutAsync(client, "/api/work-queues/collectors/collector", new { capacity = 1, active = true }), HttpStatusCode.Forbidden);
            await Json.ProblemAsync(await client.DeleteAsync($"/api/work-queues/rules/{Guid.NewGuid()}"), HttpStatusCode.Forbidden);
        }

        foreach (var role in new[] { Roles.Supervisor, Roles.Manager, Roles.Admin })
        {
            Assert.Equal(HttpStatusCode.OK, (await fixture.As(role).GetAsync("/api/work-queues/rules")).StatusCode);
        }
    }

    [Fact]
    public async Task ARule_WithABalanceBandInMajorUnits_IsStoredAsSortKeys_Replaced_AndDeleted()
    {
        var client = fixture.As(Roles.Supervisor);
        var response = await Json.PostAsync(client, "/api/work-queues/rules", new
        {
            order = 10, name = "Texas consumer, 1,000 to 10,000", debt_type = "consumer", min_balance = "1000.00", max_balance = "10000",
            regions = new[] { "tx" }, language = "ES", collectors = new[] { "COLLECTOR" },
        });
        var rule = await Json.ReadAsync(response, HttpStatusCode.Created);
        var id = rule.Str("rule_id");

        Assert.Equal(["rule_id", "order", "name", "debt_type", "min_balance", "max_balance", "regions", "language", "collectors"], rule.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("consumer", "1000.00", "10000.00", "es"), (rule.Str("debt_type"), rule.Str("min_balance"), rule.Str("max_balance"), rule.Str("language")));
        Assert.Equal(["TX"], rule.GetProperty("regions").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["collector"], rule.GetProperty("collectors").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal($"/api/work-queues/rules/{id}", response.Headers.Location?.OriginalString);
        await using (var db = fixture.Database.CreateContext())
        {
            var stored = await db.AssignmentRules.AsNoTracking().SingleAsync(r => r.Id == Guid.Parse(id));
            Assert.Equal((10_000_000L, 100_000_000L), (stored.MinBalanceSortKey!.Value, stored.MaxBalanceSortKey!.Value));
        }

        var replaced = await Json.ReadAsync(await PutAsync(client, $"/api/work-queues/rules/{id}",
            new { order = 11, name = "Small consumer balances", max_balance = "99.9950", collectors = new[] { "collector" } }), HttpStatusCode.OK);
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null, "99.995"), (replaced.GetProperty("debt_type").ValueKind, replaced.GetProperty("min_balance").ValueKind, replaced.Str("max_balance")));
        Assert.Empty(replaced.GetProperty("regions").EnumerateArray());
        Assert.Contains(id, (await Json.GetAsync(fixture.As(Roles.Manager), "/api/work-queues/rules")).Items().Select(r => r.Str("rule_id")));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/work-queues/rules/{id}")).StatusCode);
        Assert.Equal("rule_not_found", (await Json.ProblemAsync(await client.DeleteAsync($"/api/work-queues/rules/{id}"), HttpStatusCode.NotFound)).Str("code"));
        await Json.ProblemAsync(await PutAsync(client, $"/api/work-queues/rules/{id}", new { order = 1, name = "x", collectors = new[] { "collector" } }), HttpStatusCode.NotFound);
        Assert.DoesNotContain(id, (await Json.GetAsync(client, "/api/work-queues/rules")).Items().Select(r => r.Str("rule_id")));

        await using var check = fixture.Database.CreateContext();
        var actions = await check.AuditLog.AsNoTracking().Where(a => a.Entity == "assignment_rule" && a.EntityId == id).Select(a => a.Action).ToListAsync();
        Assert.Equal(["assignment_rule.created", "assignment_rule.deleted", "assignment_rule.updated"], actions.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ABadRule_ListsEveryProblemByApiFieldName()
    {
        var client = fixture.As(Roles.Admin);

        var shape = await Json.ProblemAsync(await Json.PostAsync(client, "/api/work-queues/rules",
            new { name = "x", debt_type = "car", min_balance = "-5", max_balance = "1.23456", collectors = new[] { "collector" } }), HttpStatusCode.BadRequest);
        var rules = await Json.ProblemAsync(await Json.PostAsync(client, "/api/work-queues/rules",
            new { order = 1, name = "", min_balance = "500", max_balance = "100", language = "spanish", collectors = new[] { "supervisor", "nobody" } }), HttpStatusCode.BadRequest);

        Assert.Equal(["debt_type", "max_balance", "min_balance", "order"], shape.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal("'1.23456' has more than 4 decimals", Error(shape, "max_balance"));
        Assert.Equal(["collectors", "language", "max_balance", "name"], rules.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal("'supervisor', 'nobody' are not users with the collector role", Error(rules, "collectors"));
        Assert.Equal("The lowest balance must be below the balance the band stops at", Error(rules, "max_balance"));
    }

    [Fact]
    public async Task Collectors_AreListed_WithCapacity_WhichOnlyCollectorsCanHave()
    {
        // A collector of this test's own: the work-queue tests seed the "collector" user's profile.
        const string Cora = "cora";
        await using (var scope = fixture.Factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Recoup.Web.Identity.Users>();
            if (await users.FindAsync(Cora) is null)
            {
                Assert.True((await users.AddAsync(Cora, Roles.Collector, ApiFixture.Password, "Cora Lind")).IsSuccess);
            }
        }

        var client = fixture.As(Roles.Manager);
        var before = (await Json.GetAsync(client, "/api/work-queues/collectors")).Items().ToList();
        var set = await Json.ReadAsync(await PutAsync(client, "/api/work-queues/collectors/CORA", new { capacity = 400, active = true }), HttpStatusCode.OK);
        var notCollector = await Json.ProblemAsync(await PutAsync(client, "/api/work-queues/collectors/supervisor", new { capacity = 10, active = true }), HttpStatusCode.UnprocessableEntity);
        var unknown = await Json.ProblemAsync(await PutAsync(client, "/api/work-queues/collectors/nobody", new { capacity = 10, active = true }), HttpStatusCode.NotFound);
        var incomplete = await Json.ProblemAsync(await PutAsync(client, "/api/work-queues/collectors/cora", new { capacity = -1 }), HttpStatusCode.BadRequest);
        var negative = await Json.ProblemAsync(await PutAsync(client, "/api/work-queues/collectors/cora", new { capacity = -1, active = true }), HttpStatusCode.BadRequest);

        var cora = Assert.Single(before, c => c.Str("user_name") == Cora);
        Assert.Equal((JsonValueKind.Null, false, true, "Cora Lind"),
            (cora.GetProperty("capacity").ValueKind, cora.GetProperty("active").GetBoolean(), cora.GetProperty("is_collector").GetBoolean(), cora.Str("display_name")));
        Assert.Equal(["user_name", "display_name", "capacity", "active", "is_collector"], set.EnumerateObject().Select(p => p.Name));
        Assert.Equal((Cora, 400, true), (set.Str("user_name"), set.GetProperty("capacity").GetInt32(), set.GetProperty("active").GetBoolean()));
        Assert.Equal(("not_a_collector", "supervisor does not have the collector role; only collectors have a capacity"), (notCollector.Str("code"), notCollector.Str("detail")));
        Assert.Equal("collector_not_found", unknown.Str("code"));
        Assert.True(incomplete.GetProperty("errors").TryGetProperty("active", out _));
        Assert.Equal("The capacity is a whole number of accounts from 0 to 1,000,000", Error(negative, "capacity"));
        var listed = (await Json.GetAsync(client, "/api/work-queues/collectors")).Items().ToList();
        Assert.Contains(listed, c => c.Str("user_name") == Roles.Collector && c.GetProperty("is_collector").GetBoolean());
        Assert.Equal(400, listed.Single(c => c.Str("user_name") == Cora).GetProperty("capacity").GetInt32());
        Assert.All(listed.Where(c => c.GetProperty("is_collector").GetBoolean()), c => Assert.Contains(c.Str("user_name"), new[] { Roles.Collector, Cora }));
    }

    private static string Error(JsonElement problem, string field) => problem.GetProperty("errors").GetProperty(field)[0].GetString()!;
}

[Collection("sqlite")]
public sealed class SqliteAssignmentRuleTests(SqliteApi fixture) : AssignmentRuleTests(fixture);

[Collection("postgres")]
public sealed class PostgresAssignmentRuleTests(PostgresApi fixture) : AssignmentRuleTests(fixture);
