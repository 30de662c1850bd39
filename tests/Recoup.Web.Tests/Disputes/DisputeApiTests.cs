using System.Net;
using Recoup.Data.Identity;

namespace Recoup.Web.Tests.Disputes;

/// <summary>Disputes, adjustments with approval, write-offs and recoveries through the API, in the documented shapes.</summary>
public abstract class DisputeApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task A_dispute_opened_holds_its_amount_and_resolving_it_upheld_posts_the_credit_memo()
    {
        var (debtor, account) = await TestDebtors.AddAsync(fixture, "Ada Brennan", "ada@example.com,,,,,,,America/New_York");
        var collector = fixture.As(Roles.Collector);

        var opened = await Json.ReadAsync(await Json.PostAsync(collector, $"/api/accounts/{account}/disputes",
            new { reason = "wrong_amount", source = "collector", description = "Billed twice for freight", invoices = new[] { new { invoice_number = $"{debtor}-INV", amount = "40.00" } } },
            ("Idempotency-Key", $"dispute-{account}")), HttpStatusCode.Created);
        var hold = await Json.GetAsync(collector, $"/api/accounts/{account}/disputes");

        Assert.Equal(("open", "billing", "40.00"), (opened.Str("status"), opened.Str("department"), opened.GetProperty("amount").Str("amount")));
        Assert.Equal(("500.00", "40.00", "460.00"), (hold.GetProperty("balance").Str("amount"), hold.GetProperty("held").Str("amount"), hold.GetProperty("collectible").Str("amount")));

        var resolved = await Json.ReadAsync(await Json.PostAsync(collector, $"/api/disputes/{opened.Str("dispute_id")}/resolve", new { outcome = "upheld", remedy = "credit_memo", note = "Freight billed twice" }));
        Assert.Equal(("upheld", "40.00", "credit_memo"), (resolved.Str("status"), resolved.GetProperty("credited").Str("amount"), resolved.Str("remedy")));
        var after = await Json.GetAsync(collector, $"/api/accounts/{account}/disputes");
        Assert.Equal(("460.00", "460.00"), (after.GetProperty("balance").Str("amount"), after.GetProperty("collectible").Str("amount")));
        var again = await Json.ProblemAsync(await Json.PostAsync(collector, $"/api/disputes/{opened.Str("dispute_id")}/resolve", new { outcome = "rejected", evidence = "x" }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("dispute_not_open", again.Str("code"));
        Assert.Contains("dispute.resolved", await TestDebtors.AuditActionsAsync(fixture, account));
    }

    [Fact]
    public async Task A_rejection_needs_evidence_and_a_bad_reason_names_its_field()
    {
        var (_, account) = await TestDebtors.AddAsync(fixture, "Bo Lindqvist");
        var collector = fixture.As(Roles.Collector);

        var bad = await Json.ProblemAsync(await Json.PostAsync(collector, $"/api/accounts/{account}/disputes", new { reason = "not_happy", description = "x" }), HttpStatusCode.BadRequest);
        Assert.Contains("reason", bad.GetProperty("errors").EnumerateObject().Select(e => e.Name));

        var opened = await Json.ReadAsync(await Json.PostAsync(collector, $"/api/accounts/{account}/disputes", new { reason = "goods_not_received", description = "Nothing arrived" }), HttpStatusCode.Created);
        var noEvidence = await Json.ProblemAsync(await Json.PostAsync(collector, $"/api/disputes/{opened.Str("dispute_id")}/resolve", new { outcome = "rejected" }), HttpStatusCode.BadRequest);
        Assert.Equal("evidence_missing", noEvidence.Str("code"));
        var listed = await Json.GetAsync(fixture.As(Roles.Supervisor), "/api/disputes?department=customer_service");
        Assert.Contains(listed.EnumerateArray(), d => d.Str("dispute_id") == opened.Str("dispute_id") && d.GetProperty("age_days").GetInt32() == 0 && !d.GetProperty("breached").GetBoolean());
    }

    [Fact]
    public async Task A_credit_memo_beyond_a_collector_s_limit_waits_for_a_supervisor_then_is_posted()
    {
        var (debtor, account) = await TestDebtors.AddAsync(fixture, "Cy Moreau");
        var invoice = $"{debtor}-INV";

        var small = await Json.ReadAsync(await Json.PostAsync(fixture.As(Roles.Collector), $"/api/accounts/{account}/adjustments",
            new { kind = "credit_memo", amount = "50.00", reason = "goodwill", invoice_number = invoice }), HttpStatusCode.Created);
        var big = await Json.ReadAsync(await Json.PostAsync(fixture.As(Roles.Collector), $"/api/accounts/{account}/adjustments",
            new { kind = "credit_memo", amount = "120.00", reason = "pricing", invoice_number = invoice }), HttpStatusCode.Accepted);

        Assert.Equal(("posted", "pending_approval", "supervisor"), (small.Str("status"), big.Str("status"), big.Str("needs_approval_by")));
        Assert.Equal(HttpStatusCode.Forbidden, (await Json.PostAsync(fixture.As(Roles.Collector), $"/api/adjustments/{big.Str("id")}/approve", new { })).StatusCode);
        var approved = await Json.ReadAsync(await Json.PostAsync(fixture.As(Roles.Supervisor), $"/api/adjustments/{big.Str("id")}/approve", new { }));
        Assert.Equal("posted", approved.Str("status"));

        var reconciliation = await Json.GetAsync(fixture.As(Roles.Collector), $"/api/accounts/{account}/reconciliation");
        Assert.True(reconciliation.GetProperty("reconciles").GetBoolean());
        Assert.Equal("330.00", reconciliation.GetProperty("balance").Str("amount"));
        Assert.Equal(["credit_memo -50.00", "credit_memo -120.00"],
            reconciliation.GetProperty("invoices")[0].GetProperty("lines").EnumerateArray().Select(l => $"{l.Str("kind")} {l.GetProperty("amount").Str("amount")}"));
    }

    [Fact]
    public async Task A_written_off_account_s_recovery_is_reported_apart_from_collections()
    {
        var (_, account) = await TestDebtors.AddAsync(fixture, "Dee Okonjo");

        var writeOff = await Json.ReadAsync(await Json.PostAsync(fixture.As(Roles.Manager), $"/api/accounts/{account}/write-offs", new { amount = "500.00", reason = "bankruptcy" }), HttpStatusCode.Created);
        var recovery = await Json.ReadAsync(await Json.PostAsync(fixture.As(Roles.Collector), $"/api/accounts/{account}/recoveries", new { amount = "75.00", reference = "trustee dividend" }), HttpStatusCode.Created);
        var report = await Json.GetAsync(fixture.As(Roles.Supervisor), $"/api/reports/recoveries?from={ApiFixture.Today:yyyy-MM-dd}&to={ApiFixture.Today:yyyy-MM-dd}");

        Assert.Equal("posted", writeOff.Str("status"));
        Assert.Equal(("75.00", "425.00", "0.00"), (recovery.GetProperty("recovered").Str("amount"), recovery.GetProperty("written_off_outstanding").Str("amount"), recovery.GetProperty("balance").Str("amount")));
        var usd = report.GetProperty("currencies").EnumerateArray().Single(c => c.Str("currency") == "USD");
        Assert.True(decimal.Parse(usd.GetProperty("recovered").Str("amount"), System.Globalization.CultureInfo.InvariantCulture) >= 75m);
    }

    [Fact]
    public async Task A_dispute_file_is_checked_then_imported_once_with_each_dispute_s_channel()
    {
        var (debtor, account) = await TestDebtors.AddAsync(fixture, "Eli Varga", "eli@example.com,,,,,,,America/New_York");
        var csv = "account_number,invoice_number,amount,currency,reason,opened_on,channel,note\n" +
            $"{debtor}-USD,{debtor}-INV,60.00,,pricing,{ApiFixture.Today.AddDays(-2):yyyy-MM-dd},letter,Agreed price was lower\n";
        var supervisor = fixture.As(Roles.Supervisor);
        Task<HttpResponseMessage> Post(string query, string body) =>
            supervisor.PostAsync("/api/disputes/import" + query, new StringContent(body, System.Text.Encoding.UTF8, "text/csv"));

        var dry = await Json.ReadAsync(await Post("?dry_run=true", csv));
        Assert.Equal((true, 1), (dry.GetProperty("dry_run").GetBoolean(), dry.GetProperty("opened").GetInt32()));
        Assert.Empty((await Json.GetAsync(supervisor, $"/api/accounts/{account}/disputes")).GetProperty("disputes").EnumerateArray());

        var imported = await Json.ReadAsync(await Post("?file_name=mailroom.csv", csv));
        var dispute = imported.GetProperty("disputes")[0];
        Assert.Equal(("letter", true, "60.00"), (dispute.Str("source"), dispute.GetProperty("in_writing").GetBoolean(), dispute.GetProperty("amount").Str("amount")));
        var again = await Json.ReadAsync(await Post("", csv));
        Assert.Equal((true, 0), (again.GetProperty("already_imported").GetBoolean(), again.GetProperty("opened").GetInt32()));
        Assert.Equal("60.00", (await Json.GetAsync(supervisor, $"/api/accounts/{account}/disputes")).GetProperty("held").Str("amount"));

        var bad = await Json.ProblemAsync(await Post("", csv.Replace("pricing", "too_expensive", StringComparison.Ordinal)), HttpStatusCode.BadRequest);
        var error = bad.GetProperty("errors")[0];
        Assert.Equal((2, "reason"), (error.GetProperty("line").GetInt32(), error.Str("column")));
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.As(Roles.Collector).PostAsync("/api/disputes/import", new StringContent(csv, System.Text.Encoding.UTF8, "text/csv"))).StatusCode);
    }
}

[Collection("sqlite")]
public sealed class SqliteDisputeApiTests(SqliteApi fixture) : DisputeApiTests(fixture);

[Collection("postgres")]
public sealed class PostgresDisputeApiTests(PostgresApi fixture) : DisputeApiTests(fixture);
