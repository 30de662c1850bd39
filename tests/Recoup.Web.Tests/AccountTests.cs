using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Recoup.Data.Identity;
using Recoup.Domain;
using Recoup.Domain.Risk;
using Recoup.Services.Ledger;
using Recoup.Services.Risk;

namespace Recoup.Web.Tests;

/// <summary>The accounts list (search, filters, cursor pages), one account with its ETag, debtors, aging and the dashboard.</summary>
public abstract class AccountTests(ApiFixture fixture)
{
    [Theory]
    [InlineData("balance_desc")]
    [InlineData("balance_asc")]
    [InlineData("dpd_desc")]
    [InlineData("name_asc")]
    public async Task CursorPagination_WalksEveryAccountExactlyOnce_InOrder(string sort)
    {
        var client = fixture.As(Roles.Collector);
        var seen = new List<JsonElement>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var url = $"/api/accounts?sort={sort}&limit=7" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            var page = await Json.GetAsync(client, url);
            seen.AddRange(page.Items());
            cursor = page.GetProperty("next_cursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 100);

        await using var db = fixture.Database.CreateContext();
        var ids = seen.Select(a => a.Str("account_id")).ToList();
        Assert.Equal(db.Accounts.Count(), ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var keys = sort switch
        {
            "balance_desc" => seen.Select(a => -decimal.Parse(a.GetProperty("balance").Str("amount"), System.Globalization.CultureInfo.InvariantCulture)).ToList(),
            "balance_asc" => seen.Select(a => decimal.Parse(a.GetProperty("balance").Str("amount"), System.Globalization.CultureInfo.InvariantCulture)).ToList(),
            "dpd_desc" => seen.Select(a => -(decimal)a.GetProperty("days_past_due").GetInt32()).ToList(),
            _ => null,
        };
        if (keys is not null)
        {
            Assert.Equal(keys.Order(), keys);
        }
    }

    [Theory]
    [InlineData("gonzalez", "K1")]
    [InlineData("MARIA GONZ", "K1")]
    [InlineData("(312) 555-0147", "K1")]
    [InlineData("3125550147", "K1")]
    [InlineData("Maria.Gonzalez@Example.com", "K1")]
    [InlineData("K-INV-3", "K2")]
    [InlineData("k-inv-3", "K2")]
    [InlineData("harbor freight", "K2")]
    [InlineData("K3", "K3")]
    public async Task Search_FindsByNamePhoneEmailInvoiceAndDebtorId(string term, string debtorId)
    {
        var page = await Json.GetAsync(fixture.As(Roles.Collector), $"/api/accounts?search={Uri.EscapeDataString(term)}");
        Assert.Contains(debtorId, page.Items().Select(a => a.Str("debtor_id")));
        Assert.True(page.Items().Count() <= 3, $"'{term}' matched {page.Items().Count()} accounts");
    }

    [Fact]
    public async Task Filters_CombineAndSayWhatIsWrong()
    {
        var client = fixture.As(Roles.Collector);
        var medical = await Json.GetAsync(client, "/api/accounts?debt_type=medical&limit=200");
        Assert.All(medical.Items(), a => Assert.Equal("medical", a.Str("debt_type")));
        Assert.Contains("K3", medical.Items().Select(a => a.Str("debtor_id")));

        var delinquent = await Json.GetAsync(client, "/api/accounts?status=delinquent&bucket=121%2B&min_balance=100&limit=200");
        Assert.All(delinquent.Items(), a =>
        {
            Assert.Equal("delinquent", a.Str("status"));
            Assert.True(a.GetProperty("days_past_due").GetInt32() > 120);
            Assert.True(decimal.Parse(a.GetProperty("balance").Str("amount"), System.Globalization.CultureInfo.InvariantCulture) >= 100);
        });

        // K1: invoice K-INV-2 due 2026-07-01 has 150.00 open: 145 days past due on 2026-11-23.
        var k1 = (await Json.GetAsync(client, "/api/accounts?search=K1")).Items().Single(a => a.Str("debtor_id") == "K1");
        Assert.Equal((145, "delinquent", "150.00"), (k1.GetProperty("days_past_due").GetInt32(), k1.Str("status"), k1.GetProperty("balance").Str("amount")));
        var inBucket = await Json.GetAsync(client, "/api/accounts?bucket=121%2B&search=gonzalez");
        Assert.Single(inBucket.Items());
        Assert.Empty((await Json.GetAsync(client, "/api/accounts?bucket=91-120&search=gonzalez")).Items());

        var problem = await Json.ProblemAsync(await client.GetAsync("/api/accounts?status=late&debt_type=car&sort=random&limit=0&min_balance=abc"), HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "status", "debt_type", "limit", "min_balance" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }

        var badCursor = await Json.ProblemAsync(await client.GetAsync("/api/accounts?cursor=bm90LWEtY3Vyc29y"), HttpStatusCode.BadRequest);
        Assert.True(badCursor.GetProperty("errors").TryGetProperty("cursor", out _));
    }

    [Fact]
    public async Task Account_HasDebtorContactsOpenInvoicesLedgerAndAnETag()
    {
        var client = fixture.As(Roles.Collector);
        var id = await fixture.AccountOfAsync("K1");
        var response = await client.GetAsync($"/api/accounts/{id}");
        var account = await Json.ReadAsync(response);
        Assert.Equal($"\"{account.GetProperty("version").GetInt64()}\"", response.Headers.ETag?.ToString());
        Assert.Equal(("K1", "Maria Gonzalez", "consumer"), (account.GetProperty("debtor").Str("debtor_id"), account.GetProperty("debtor").Str("name"), account.GetProperty("debtor").Str("debt_type")));
        Assert.Equal(["email", "phone", "postal"], account.GetProperty("contacts").EnumerateArray().Select(c => c.Str("kind")).Order(StringComparer.Ordinal));
        Assert.Equal(["K-INV-2"], account.GetProperty("open_invoices").EnumerateArray().Select(i => i.Str("invoice_id")));
        Assert.Equal(new { amount = "150.00", currency = "USD" }.ToString(), new { amount = account.GetProperty("balance").Str("amount"), currency = account.GetProperty("balance").Str("currency") }.ToString());
        Assert.NotEmpty(account.GetProperty("timeline").EnumerateArray());

        var notModified = new HttpRequestMessage(HttpMethod.Get, $"/api/accounts/{id}");
        notModified.Headers.TryAddWithoutValidation("If-None-Match", response.Headers.ETag!.ToString());
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(notModified)).StatusCode);

        var invoices = await Json.GetAsync(client, $"/api/accounts/{id}/invoices");
        Assert.Equal(["K-INV-1", "K-INV-2"], invoices.Items().Select(i => i.Str("invoice_id")));
        Assert.Equal(["0.00", "150.00"], invoices.Items().Select(i => i.GetProperty("open").Str("amount")));

        var ledger = await Json.GetAsync(client, $"/api/accounts/{id}/ledger");
        Assert.Equal(["charge", "charge", "payment"], ledger.Items().Select(l => l.Str("kind")));
        Assert.Equal(["100.00", "300.00", "150.00"], ledger.Items().Select(l => l.GetProperty("balance").Str("amount")));

        var asOfJune = await Json.GetAsync(client, $"/api/accounts/{id}/ledger?as_of=2026-06-15");
        Assert.Equal(2, asOfJune.Items().Count());
    }

    [Fact]
    public async Task Risk_IsNullUntilScored_ThenTheStoredScoreWithItsReasons()
    {
        var client = fixture.As(Roles.Collector);
        var id = await fixture.AccountOfAsync("K3", "EUR");
        var accountId = new AccountId(Guid.Parse(id));
        await using (var db = fixture.Database.CreateContext())
        {
            await db.AccountRiskScores.Where(r => r.AccountId == accountId.Value).ExecuteDeleteAsync();
        }

        var unscored = await Json.GetAsync(client, $"/api/accounts/{id}/risk");
        Assert.Equal(id, unscored.Str("account_id"));
        Assert.Equal(JsonValueKind.Null, unscored.GetProperty("score").ValueKind);
        Assert.Equal(JsonValueKind.Null, unscored.GetProperty("scored_on").ValueKind);
        Assert.Empty(unscored.GetProperty("reasons").EnumerateArray());

        // Scored the way the daily run scores a batch: K-INV-4 (EUR 89.90, due 2026-08-31) is open, so it was open at its due date.
        await using (var db = fixture.Database.CreateContext())
        {
            var open = await OpenInvoices.LoadAsync(db, [accountId], ApiFixture.Today, default);
            var assessed = await RiskAssessments.AssessAsync(db, [accountId], ApiFixture.Today, open, default);
            var (fresh, changed) = await RiskAssessments.ReconcileAsync(db, assessed, ApiFixture.Today, default);
            Assert.Empty(changed);
            db.AccountRiskScores.AddRange(fresh);
            await db.SaveChangesAsync();
        }

        var expected = RiskScorecard.Assess(new RiskInputs(DaysPastDue: ApiFixture.Today.DayNumber - new DateOnly(2026, 8, 31).DayNumber, InvoicesDue: 1, InvoicesPaidLate: 1));
        Assert.Equal(28 + 20, expected.Score); // 84 days past due (61–90: 28), the one invoice of the year paid late (20)
        var scored = await Json.GetAsync(client, $"/api/accounts/{id}/risk");
        Assert.Equal(expected.Score, scored.GetProperty("score").GetInt32());
        Assert.Equal("some", scored.Str("level"));
        Assert.Equal(ApiFixture.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), scored.Str("scored_on"));
        Assert.Equal(expected.Reasons.Select(r => (r.Points, r.Text)), scored.GetProperty("reasons").EnumerateArray().Select(r => (r.GetProperty("points").GetInt32(), r.Str("text"))));
        Assert.Equal(["past_due", "late_payments"], scored.GetProperty("reasons").EnumerateArray().Select(r => r.Str("code")));

        await Json.ProblemAsync(await client.GetAsync($"/api/accounts/{Guid.NewGuid()}/risk"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task UnknownIds_Are404Problems_AndBadDatesAre400()
    {
        var client = fixture.As(Roles.Collector);
        foreach (var path in new[] { $"/api/accounts/{Guid.NewGuid()}", "/api/accounts/not-an-id/ledger", $"/api/accounts/{Guid.NewGuid()}/invoices", "/api/debtors/NOPE", "/api/debtors/NOPE/contacts" })
        {
            var problem = await Json.ProblemAsync(await client.GetAsync(path), HttpStatusCode.NotFound);
            Assert.EndsWith("_not_found", problem.Str("code"), StringComparison.Ordinal);
        }

        var payment = await Json.PostAsync(client, $"/api/accounts/{Guid.NewGuid()}/payments", new { amount = "1.00", method = "cash" });
        await Json.ProblemAsync(payment, HttpStatusCode.NotFound);

        var badDate = await Json.ProblemAsync(await client.GetAsync("/api/aging?as_of=23.11.2026"), HttpStatusCode.BadRequest);
        Assert.Contains("YYYY-MM-DD", badDate.GetProperty("errors").GetProperty("as_of")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Debtors_ArePagedInIdOrder_WithAccountsAndContacts()
    {
        var client = fixture.As(Roles.Collector);
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Json.GetAsync(client, "/api/debtors?limit=11" + (cursor is null ? "" : $"&cursor={cursor}"));
            ids.AddRange(page.Items().Select(d => d.Str("debtor_id")));
            cursor = page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);

        await using var db = fixture.Database.CreateContext();
        Assert.Equal(db.Debtors.Count(), ids.Distinct().Count());
        Assert.Equal(ids.Count, ids.Distinct().Count());

        var k1 = await Json.GetAsync(client, "/api/debtors/K1");
        Assert.Equal(("Maria Gonzalez", "America/Chicago"), (k1.Str("name"), k1.Str("time_zone")));
        Assert.Equal("150.00", k1.GetProperty("accounts")[0].GetProperty("balance").Str("amount"));

        var contacts = await Json.GetAsync(client, "/api/debtors/K1/contacts");
        var phone = contacts.Items().Single(c => c.Str("kind") == "phone");
        Assert.Equal(("+1 312 555 0147", "original_creditor", true), (phone.Str("value"), phone.Str("source"), phone.GetProperty("primary").GetBoolean()));
    }

    [Fact]
    public async Task AgingAndDashboard_AgreeOnTheTotalOpenPerCurrency()
    {
        var client = fixture.As(Roles.Manager);
        var aging = await Json.GetAsync(client, "/api/aging?as_of=2026-11-23");
        var dashboard = await Json.GetAsync(client, "/api/dashboard?as_of=2026-11-23");
        var agingTotals = aging.GetProperty("currencies").EnumerateArray().ToDictionary(c => c.Str("currency"), c => c.GetProperty("total").Str("amount"));
        var dashboardTotals = dashboard.GetProperty("currencies").EnumerateArray().ToDictionary(c => c.Str("currency"), c => c.GetProperty("open").Str("amount"));
        Assert.NotEmpty(agingTotals);
        Assert.Equal(agingTotals.OrderBy(t => t.Key), dashboardTotals.Where(t => t.Value is not ("0.00" or "0")).OrderBy(t => t.Key));

        var usd = dashboard.GetProperty("currencies").EnumerateArray().Single(c => c.Str("currency") == "USD");
        var byStatus = usd.GetProperty("accounts_by_status");
        Assert.Equal(usd.GetProperty("accounts").GetInt32(), byStatus.EnumerateObject().Sum(s => s.Value.GetInt32()));
        Assert.Equal(6, usd.GetProperty("buckets").GetArrayLength());
    }

    [Fact]
    public async Task OpenApiDocument_DescribesEveryApiEndpoint()
    {
        var document = await Json.GetAsync(fixture.As(Roles.Collector), "/openapi/v1.json");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var path in new[]
        {
            "/api/accounts", "/api/accounts/{accountId}", "/api/accounts/{accountId}/invoices", "/api/accounts/{accountId}/ledger", "/api/accounts/{accountId}/risk",
            "/api/accounts/{accountId}/payments", "/api/debtors", "/api/debtors/{debtorId}", "/api/debtors/{debtorId}/contacts",
            "/api/aging", "/api/dashboard", "/api/audit",
        })
        {
            Assert.Contains(path, paths);
        }

        var post = document.GetProperty("paths").GetProperty("/api/accounts/{accountId}/payments").GetProperty("post");
        Assert.False(string.IsNullOrEmpty(post.Str("summary")));
        Assert.True(post.GetProperty("responses").TryGetProperty("412", out _));
        var schemas = document.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.GetProperty("PaymentJson").GetProperty("properties").TryGetProperty("balance_after", out _));
    }
}

[Collection("sqlite")]
public sealed class SqliteAccountTests(SqliteApi fixture) : AccountTests(fixture);

[Collection("postgres")]
public sealed class PostgresAccountTests(PostgresApi fixture) : AccountTests(fixture);
