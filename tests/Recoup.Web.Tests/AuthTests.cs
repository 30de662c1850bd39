using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Recoup.Data.Identity;

namespace Recoup.Web.Tests;

/// <summary>Authentication and roles: nothing but health and sign-in is open, roles are enforced, API keys work both ways.</summary>
public abstract class AuthTests(ApiFixture fixture)
{
    /// <summary>
    /// The only endpoints an anonymous caller may reach: health, the sign-in page and its form post,
    /// the not-found page, and the static script and icon of the API reference page (the page itself
    /// needs a sign-in). Anything added here is a decision to let strangers in.
    /// </summary>
    private static readonly string[] Anonymous =
    [
        "GET /health/live", "GET /health/ready",
        "GET /login", "POST /login", "POST /account/login",
        "GET /not-found", "POST /not-found",
        "GET /api/reference/favicon.svg", "GET /api/reference/scalar.aspnetcore.js", "GET /api/reference/scalar.js",

        // An e-mail's opt-out link (debtors are not users) and SMS replies (the provider's shared secret instead of a user).
        "GET /opt-out/{Id:guid}", "POST /opt-out/{Id:guid}", "POST /api/sms/inbound",
    ];

    [Fact]
    public async Task EveryEndpoint_WithoutCredentials_Is401OrTheLoginPage_ExceptHealthAndSignIn()
    {
        var endpoints = fixture.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.Contains(endpoints, e => e.RoutePattern.RawText == "/api/accounts/{accountId}/payments");
        using var client = fixture.Factory.Anonymous();
        var open = new List<string>();
        var checkedCount = 0;
        foreach (var endpoint in endpoints)
        {
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods)
            {
                var path = SamplePath(endpoint.RoutePattern);
                using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
                checkedCount++;
                var name = $"{method} {endpoint.RoutePattern.RawText}";
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    Assert.True("application/problem+json" == response.Content.Headers.ContentType?.MediaType, $"{name}: a 401 without a problem document");
                }
                else if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString.Contains("/login", StringComparison.Ordinal) != true)
                {
                    open.Add(name);
                }
            }
        }

        Assert.True(checkedCount > 15, $"only {checkedCount} endpoints found");
        Assert.True(Anonymous.Order(StringComparer.Ordinal).SequenceEqual(open.Distinct().Order(StringComparer.Ordinal)), "Anonymous: " + string.Join(", ", open.Distinct().Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task ApiEndpoints_WithoutCredentials_Are401ProblemDocuments_EvenUnknownOnes()
    {
        using var client = fixture.Factory.Anonymous();
        foreach (var path in new[] { "/api/accounts", "/api/no-such-thing", "/openapi/v1.json" })
        {
            var problem = await Json.ProblemAsync(await client.GetAsync(path), HttpStatusCode.Unauthorized);
            Assert.Equal("unauthenticated", problem.Str("code"));
        }
    }

    [Fact]
    public async Task ApiKey_IsAcceptedAsBearerAndAsXApiKey_AndAnUnknownKeyIs401()
    {
        var key = fixture.KeyOf(Roles.Collector);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Factory.WithBearer(key).GetAsync("/api/accounts?limit=1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Factory.WithApiKey(key).GetAsync("/api/accounts?limit=1")).StatusCode);
        await Json.ProblemAsync(await fixture.Factory.WithBearer(key[..^2] + "xx").GetAsync("/api/accounts"), HttpStatusCode.Unauthorized);
        await Json.ProblemAsync(await fixture.Factory.WithApiKey("rk_nothing_here").GetAsync("/api/accounts"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Auditor_CannotPostAPayment_AndCollector_CannotReadTheAuditLog()
    {
        var account = await fixture.AccountOfAsync("K2");
        var refused = await Json.PostAsync(fixture.As(Roles.Auditor), $"/api/accounts/{account}/payments", new { amount = "1.00", method = "cash" });
        var problem = await Json.ProblemAsync(refused, HttpStatusCode.Forbidden);
        Assert.Equal("forbidden", problem.Str("code"));

        await Json.ProblemAsync(await fixture.As(Roles.Collector).GetAsync("/api/audit"), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await fixture.As(Roles.Auditor).GetAsync("/api/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.As(Roles.Admin).GetAsync("/api/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.As(Roles.Auditor).GetAsync($"/api/accounts/{account}")).StatusCode);
    }

    private static string SamplePath(RoutePattern pattern)
    {
        var parts = pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart => Guid.NewGuid().ToString(),
            _ => "",
        })));
        return "/" + string.Join('/', parts);
    }
}

[Collection("sqlite")]
public sealed class SqliteAuthTests(SqliteApi fixture) : AuthTests(fixture);

[Collection("postgres")]
public sealed class PostgresAuthTests(PostgresApi fixture) : AuthTests(fixture);
