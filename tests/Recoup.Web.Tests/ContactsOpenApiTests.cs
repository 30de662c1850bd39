using Recoup.Data.Identity;

namespace Recoup.Web.Tests;

/// <summary>The OpenAPI document describes the contact, conversation, follow-up, rule and skip-trace endpoints.</summary>
public abstract class ContactsOpenApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task OpenApiDocument_DescribesTheR3Endpoints()
    {
        var document = await Json.GetAsync(fixture.As(Roles.Collector), "/openapi/v1.json");
        var paths = document.GetProperty("paths");
        foreach (var (path, method) in new[]
        {
            ("/api/debtors/{debtorId}/contact-points", "get"), ("/api/debtors/{debtorId}/contact-points", "post"),
            ("/api/debtors/{debtorId}/contact-points/{contactPointId}", "patch"),
            ("/api/debtors/{debtorId}/interactions", "get"), ("/api/debtors/{debtorId}/interactions", "post"), ("/api/debtors/{debtorId}/interactions/{interactionId}", "get"),
            ("/api/accounts/{accountId}/follow-ups", "get"), ("/api/accounts/{accountId}/follow-ups", "post"),
            ("/api/follow-ups/mine", "get"), ("/api/follow-ups/{followUpId}/close", "post"),
            ("/api/work-queues/rules", "get"), ("/api/work-queues/rules", "post"), ("/api/work-queues/rules/{ruleId}", "put"), ("/api/work-queues/rules/{ruleId}", "delete"),
            ("/api/work-queues/collectors", "get"), ("/api/work-queues/collectors/{userName}", "put"),
            ("/api/imports/skip-trace", "post"),
        })
        {
            Assert.True(paths.TryGetProperty(path, out var item) && item.TryGetProperty(method, out _), $"{method} {path} is not in the document");
            var operation = item.GetProperty(method);
            Assert.False(string.IsNullOrEmpty(operation.Str("summary")), $"{method} {path} has no summary");
        }

        Assert.False(paths.GetProperty("/api/debtors/{debtorId}/interactions/{interactionId}").TryGetProperty("put", out _));
        Assert.False(paths.GetProperty("/api/debtors/{debtorId}/interactions/{interactionId}").TryGetProperty("delete", out _));
        Assert.True(paths.GetProperty("/api/imports/skip-trace").GetProperty("post").GetProperty("requestBody").GetProperty("content").TryGetProperty("text/csv", out _));
        var schemas = document.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.GetProperty("FollowUpJson").GetProperty("properties").TryGetProperty("due_local", out _));
        Assert.True(schemas.GetProperty("ContactPointJson").GetProperty("properties").TryGetProperty("autodialer_consent", out _));
    }
}

[Collection("sqlite")]
public sealed class SqliteContactsOpenApiTests(SqliteApi fixture) : ContactsOpenApiTests(fixture);

[Collection("postgres")]
public sealed class PostgresContactsOpenApiTests(PostgresApi fixture) : ContactsOpenApiTests(fixture);
