using System.Net;
using Recoup.Data.Identity;

namespace Recoup.Web.Tests.Reporting;

/// <summary><c>GET/POST/DELETE /api/report-subscriptions</c>: managers choose who receives the packs by e-mail.</summary>
public abstract class ReportSubscriptionEndpointTests(ApiFixture fixture)
{
    [Fact]
    public async Task A_manager_adds_lists_and_removes_a_subscriber_and_others_may_not()
    {
        var manager = fixture.As(Roles.Manager);
        var email = $"finance-{Guid.NewGuid():N}@example.com";
        var created = await Json.ReadAsync(await Json.PostAsync(manager, "/api/report-subscriptions", new { email, pack = "monthly", debt_type = "commercial", currency = "usd" }), HttpStatusCode.Created);
        var id = created.Str("id");
        Assert.Equal(("monthly", "commercial", "USD", "debt type commercial, USD", true), (created.Str("pack"), created.Str("debt_type"), created.Str("currency"), created.Str("filter"), created.GetProperty("active").GetBoolean()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, created.GetProperty("collector").ValueKind);

        var listed = await Json.GetAsync(manager, "/api/report-subscriptions");
        Assert.Contains(listed.EnumerateArray(), s => s.Str("id") == id && s.Str("email") == email);

        var bad = await Json.ProblemAsync(await Json.PostAsync(manager, "/api/report-subscriptions", new { email = "nobody", pack = "daily" }), HttpStatusCode.BadRequest);
        Assert.Equal("email_invalid", bad.Str("code"));
        var pack = await Json.ProblemAsync(await Json.PostAsync(manager, "/api/report-subscriptions", new { email, pack = "daily" }), HttpStatusCode.BadRequest);
        Assert.Equal("pack_unknown", pack.Str("code"));
        Assert.Equal(HttpStatusCode.Forbidden, (await Json.PostAsync(fixture.As(Roles.Supervisor), "/api/report-subscriptions", new { email, pack = "weekly" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.As(Roles.Collector).GetAsync("/api/report-subscriptions")).StatusCode);

        var removed = await Json.ReadAsync(await manager.DeleteAsync($"/api/report-subscriptions/{id}"));
        Assert.False(removed.GetProperty("active").GetBoolean());
        Assert.DoesNotContain((await Json.GetAsync(manager, "/api/report-subscriptions")).EnumerateArray(), s => s.Str("id") == id);
        Assert.Contains((await Json.GetAsync(fixture.As(Roles.Admin), "/api/report-subscriptions?include_removed=true")).EnumerateArray(), s => s.Str("id") == id);
        Assert.Equal("report_subscription_not_found", (await Json.ProblemAsync(await manager.DeleteAsync($"/api/report-subscriptions/{Guid.NewGuid()}"), HttpStatusCode.NotFound)).Str("code"));
    }
}

[Collection("sqlite")]
public sealed class SqliteReportSubscriptionEndpointTests(SqliteApi fixture) : ReportSubscriptionEndpointTests(fixture);

[Collection("postgres")]
public sealed class PostgresReportSubscriptionEndpointTests(PostgresApi fixture) : ReportSubscriptionEndpointTests(fixture);
