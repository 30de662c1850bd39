using System.Net;
using System.Net.Http.Json;
using Recoup.Data.Identity;

namespace Recoup.Web.Tests;

/// <summary><c>/api/clients</c>: everyone reads the creditor clients; managers and admins add and change them.</summary>
public abstract class ClientTests(ApiFixture fixture)
{
    private static string NewCode() => "C" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    [Fact]
    public async Task AManager_AddsRenamesAndDeactivatesAClient_AndEveryoneListsIt()
    {
        var code = NewCode();
        var manager = fixture.As(Roles.Manager);

        var response = await Json.PostAsync(manager, "/api/clients", new { code = code.ToLowerInvariant(), name = "Acme Health" });
        var added = await Json.ReadAsync(response, HttpStatusCode.Created);
        Assert.Equal(["code", "name", "active", "created_at", "debtors"], added.EnumerateObject().Select(p => p.Name));
        Assert.Equal((code, "Acme Health", true), (added.Str("code"), added.Str("name"), added.GetProperty("active").GetBoolean()));
        Assert.Equal($"/api/clients/{code}", response.Headers.Location?.OriginalString);

        var renamed = await Json.ReadAsync(await manager.PutAsJsonAsync($"/api/clients/{code}", new { name = "Acme Health Partners", active = false }));
        Assert.Equal((code, "Acme Health Partners", false), (renamed.Str("code"), renamed.Str("name"), renamed.GetProperty("active").GetBoolean()));

        var listed = (await Json.GetAsync(fixture.As(Roles.Collector), "/api/clients")).Items();
        Assert.Contains(listed, c => c.Str("code") == code && c.Str("name") == "Acme Health Partners");
        Assert.Equal("Acme Health Partners", (await Json.GetAsync(fixture.As(Roles.Auditor), $"/api/clients/{code.ToLowerInvariant()}")).Str("name"));
    }

    [Fact]
    public async Task BadInput_GetsAProblemNamingTheField_ATakenCodeIsAConflict_AndOnlyManagersAndAdminsWrite()
    {
        var code = NewCode();
        var admin = fixture.As(Roles.Admin);
        await Json.ReadAsync(await Json.PostAsync(admin, "/api/clients", new { code, name = "Globex" }), HttpStatusCode.Created);

        var taken = await Json.ProblemAsync(await Json.PostAsync(admin, "/api/clients", new { code, name = "Globex again" }), HttpStatusCode.Conflict);
        Assert.Equal("client_code_taken", taken.Str("code"));

        var invalid = await Json.ProblemAsync(await Json.PostAsync(admin, "/api/clients", new { code = "a b", name = "" }), HttpStatusCode.BadRequest);
        Assert.True(invalid.GetProperty("errors").TryGetProperty("code", out _));
        Assert.True(invalid.GetProperty("errors").TryGetProperty("name", out _));

        Assert.Equal("client_not_found", (await Json.ProblemAsync(await admin.PutAsJsonAsync("/api/clients/NOPE-NOPE", new { name = "x" }), HttpStatusCode.NotFound)).Str("code"));
        await Json.ProblemAsync(await admin.PutAsJsonAsync($"/api/clients/{code}", new { }), HttpStatusCode.BadRequest);

        foreach (var role in new[] { Roles.Collector, Roles.Supervisor, Roles.Auditor })
        {
            await Json.ProblemAsync(await Json.PostAsync(fixture.As(role), "/api/clients", new { code = NewCode(), name = "x" }), HttpStatusCode.Forbidden);
            await Json.ProblemAsync(await fixture.As(role).PutAsJsonAsync($"/api/clients/{code}", new { name = "x" }), HttpStatusCode.Forbidden);
        }
    }
}

/// <summary>The reports' client filter through the API: an unknown client is a 400 problem naming <c>client</c>.</summary>
public abstract class ReportClientFilterApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task An_unknown_client_is_a_400_problem_naming_the_client_field_and_a_known_one_is_accepted()
    {
        var code = "R" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        await Json.ReadAsync(await Json.PostAsync(fixture.As(Roles.Manager), "/api/clients", new { code, name = "Report client" }), HttpStatusCode.Created);
        var supervisor = fixture.As(Roles.Supervisor);

        foreach (var url in new[] { "/api/reports/kpis?client=NOPE-NOPE", "/api/reports/packs/monthly?format=csv&table=kpis&client=NOPE-NOPE", "/api/reports/kpis?client=a%20b" })
        {
            var problem = await Json.ProblemAsync(await supervisor.GetAsync(url), HttpStatusCode.BadRequest);
            Assert.StartsWith("Unknown client", problem.GetProperty("errors").GetProperty("client")[0].GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, (await supervisor.GetAsync($"/api/reports/kpis?client={code.ToLowerInvariant()}")).StatusCode);
    }
}

[Collection("sqlite")]
public sealed class SqliteReportClientFilterApiTests(SqliteApi fixture) : ReportClientFilterApiTests(fixture);

[Collection("postgres")]
public sealed class PostgresReportClientFilterApiTests(PostgresApi fixture) : ReportClientFilterApiTests(fixture);

[Collection("sqlite")]
public sealed class SqliteClientTests(SqliteApi fixture) : ClientTests(fixture);

[Collection("postgres")]
public sealed class PostgresClientTests(PostgresApi fixture) : ClientTests(fixture);
