using System.Net;
using Microsoft.EntityFrameworkCore;
using Recoup.Data.Identity;
using Recoup.Domain.Ledger;
using Recoup.Services.Accounts;
using Recoup.Services.Ledger;

namespace Recoup.Web.Tests;

/// <summary>Posting payments: the ledger, the summary and the audit log change together; ETags and idempotency keys guard retries.</summary>
public abstract class PaymentTests(ApiFixture fixture)
{
    [Fact]
    public async Task Payment_AppearsInTheLedgerTheListTheTimelineAndTheAuditLog()
    {
        var client = fixture.As(Roles.Collector);
        var id = await fixture.AccountOfAsync("P1");
        var response = await Json.PostAsync(client, $"/api/accounts/{id}/payments",
            new { amount = "123.45", received_on = "2026-11-20", method = "check", reference = "CHK 1042", invoice_id = "P-INV-1" });
        var payment = await Json.ReadAsync(response, HttpStatusCode.Created);
        Assert.Equal(("123.45", "USD"), (payment.GetProperty("amount").Str("amount"), payment.GetProperty("amount").Str("currency")));
        Assert.Equal(("1000.00", "876.55"), (payment.GetProperty("balance_before").Str("amount"), payment.GetProperty("balance_after").Str("amount")));
        Assert.Equal("P-INV-1", payment.GetProperty("applied_to")[0].Str("invoice_id"));
        Assert.Equal("collector (api key: collector tests)", payment.Str("posted_by"));
        Assert.Equal($"\"{payment.GetProperty("version").GetInt64()}\"", response.Headers.ETag?.ToString());

        var ledger = await Json.GetAsync(client, $"/api/accounts/{id}/ledger");
        var line = ledger.Items().Last();
        Assert.Equal(("payment", "-123.45", "876.55", "check CHK 1042"), (line.Str("kind"), line.GetProperty("amount").Str("amount"), line.GetProperty("balance").Str("amount"), line.Str("reference")));

        var listed = (await Json.GetAsync(client, "/api/accounts?search=P1")).Items().Single(a => a.Str("debtor_id") == "P1");
        Assert.Equal("876.55", listed.GetProperty("balance").Str("amount"));

        var account = await Json.GetAsync(client, $"/api/accounts/{id}");
        var newest = account.GetProperty("timeline")[0];
        Assert.Equal(("payment", "collector (api key: collector tests)"), (newest.Str("kind"), newest.Str("actor")));
        Assert.Contains("123.45 USD", newest.Str("text"), StringComparison.Ordinal);

        var audit = await Json.GetAsync(fixture.As(Roles.Auditor), $"/api/audit?entity=account&entity_id={id}");
        var record = Assert.Single(audit.Items());
        Assert.Equal(("payment.posted", "collector (api key: collector tests)"), (record.Str("action"), record.Str("actor")));
        Assert.Equal(("1000.00", "876.55"), (record.GetProperty("before").Str("balance"), record.GetProperty("after").Str("balance")));

        Assert.True((await new VerifyLedger(fixture.Database).RunAsync()).Passed);
        Assert.True((await new RebuildAccountSummaries(fixture.Database).RunAsync(repair: false)).Passed);
    }

    [Fact]
    public async Task StaleIfMatch_Is412_AndPostsNothing_ThenTheFreshETagPosts()
    {
        var client = fixture.As(Roles.Supervisor);
        var id = await fixture.AccountOfAsync("P2");
        var read = await client.GetAsync($"/api/accounts/{id}");
        var etag = read.Headers.ETag!.ToString();

        var first = await Json.PostAsync(client, $"/api/accounts/{id}/payments", new { amount = "10.00", method = "cash" }, ("If-Match", etag));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        var stale = await Json.PostAsync(client, $"/api/accounts/{id}/payments", new { amount = "20.00", method = "cash" }, ("If-Match", etag));
        var problem = await Json.ProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        Assert.Equal("stale_version", problem.Str("code"));
        Assert.Equal(1, await PaymentsOnAsync(id));

        var fresh = await Json.PostAsync(client, $"/api/accounts/{id}/payments", new { amount = "20.00", method = "cash" }, ("If-Match", first.Headers.ETag!.ToString()));
        Assert.Equal(HttpStatusCode.Created, fresh.StatusCode);
        Assert.Equal(2, await PaymentsOnAsync(id));
    }

    [Fact]
    public async Task TwentyConcurrentIdenticalRequests_WithOneIdempotencyKey_PostOnce_AndAllGetTheSameResponse()
    {
        var client = fixture.As(Roles.Collector);
        var id = await fixture.AccountOfAsync("P3");
        var body = new { amount = "77.70", received_on = "2026-11-21", method = "ach", reference = "ACH 77" };
        var key = $"pay-{Guid.NewGuid():N}";

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Json.PostAsync(client, $"/api/accounts/{id}/payments", body, ("Idempotency-Key", key))));

        var statuses = responses.Select(r => r.StatusCode).ToList();
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Created, s));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.Single(bodies.Distinct());
        Assert.Equal(19, responses.Count(r => r.Headers.TryGetValues("Idempotent-Replayed", out _)));
        Assert.Equal(1, await PaymentsOnAsync(id));
    }

    [Fact]
    public async Task IdempotencyKey_WithADifferentBody_Is422_AndKeysAreScopedPerCaller()
    {
        var id = await fixture.AccountOfAsync("P4");
        var key = $"pay-{Guid.NewGuid():N}";
        var collector = fixture.As(Roles.Collector);
        Assert.Equal(HttpStatusCode.Created, (await Json.PostAsync(collector, $"/api/accounts/{id}/payments", new { amount = "5.00", method = "cash" }, ("Idempotency-Key", key))).StatusCode);

        var reused = await Json.PostAsync(collector, $"/api/accounts/{id}/payments", new { amount = "6.00", method = "cash" }, ("Idempotency-Key", key));
        var problem = await Json.ProblemAsync(reused, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("idempotency_key_reused", problem.Str("code"));

        // Another user's identical key is a different request.
        var other = await Json.PostAsync(fixture.As(Roles.Manager), $"/api/accounts/{id}/payments", new { amount = "5.00", method = "cash" }, ("Idempotency-Key", key));
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        Assert.False(other.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(2, await PaymentsOnAsync(id));
    }

    [Fact]
    public async Task InvalidPayments_Are400Problems_NamingEveryField_AndPostNothing()
    {
        var client = fixture.As(Roles.Collector);
        var id = await fixture.AccountOfAsync("P5");

        var problem = await Json.ProblemAsync(
            await Json.PostAsync(client, $"/api/accounts/{id}/payments", new { amount = "-5", received_on = "2027-01-01", method = "bitcoin" }),
            HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.Equal(["amount", "method", "received_on"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));

        foreach (var (body, field) in new (object Body, string Field)[]
        {
            (new { amount = "12.345", method = "cash" }, "amount"),
            (new { amount = "1e3", method = "cash" }, "amount"),
            (new { amount = 12.5, method = "cash" }, "body"),
            (new { amount = "10.00", method = "cash", invoice_id = "NO-SUCH-INVOICE" }, "invoice_id"),
            (new { amount = "10.00", method = "cash", received_on = "20.11.2026" }, "received_on"),
            (new { method = "cash" }, "amount"),
        })
        {
            var invalid = await Json.ProblemAsync(await Json.PostAsync(client, $"/api/accounts/{id}/payments", body), HttpStatusCode.BadRequest);
            Assert.True(invalid.GetProperty("errors").TryGetProperty(field, out _), $"{field}: {invalid}");
        }

        Assert.Equal(0, await PaymentsOnAsync(id));
    }

    [Fact]
    public async Task TheSameAccount_PaidConcurrentlyWithoutKeys_TakesEveryPayment()
    {
        var client = fixture.As(Roles.Collector);
        var id = await fixture.AccountOfAsync("P6");
        var responses = await Task.WhenAll(Enumerable.Range(1, 8).Select(i =>
            Json.PostAsync(client, $"/api/accounts/{id}/payments", new { amount = $"{i}.00", method = "cash" })));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Equal(8, await PaymentsOnAsync(id));
        var account = await Json.GetAsync(client, $"/api/accounts/{id}");
        Assert.Equal("964.00", account.GetProperty("balance").Str("amount"));
        Assert.True((await new RebuildAccountSummaries(fixture.Database).RunAsync(repair: false)).Passed);
    }

    private async Task<int> PaymentsOnAsync(string accountId)
    {
        await using var db = fixture.Database.CreateContext();
        var id = new Domain.AccountId(Guid.Parse(accountId));
        return await db.LedgerEntries.CountAsync(e => e.AccountId == id && e.Kind == EntryKind.Payment);
    }
}

[Collection("sqlite")]
public sealed class SqlitePaymentTests(SqliteApi fixture) : PaymentTests(fixture);

[Collection("postgres")]
public sealed class PostgresPaymentTests(PostgresApi fixture) : PaymentTests(fixture);
