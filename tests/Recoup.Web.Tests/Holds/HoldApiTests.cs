using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Recoup.Data.Identity;
using Recoup.Domain.Debtors;
using Recoup.Services.Imports;
using Recoup.Testing;

namespace Recoup.Web.Tests.Holds;

/// <summary>Collection holds, credit holds, placements and fees through the API, with the gate's answers.</summary>
public abstract class HoldApiTests(ApiFixture fixture)
{
    private const string Chicago = "h@example.com,+1 312 555 0142,1 Main St,Chicago,IL,60601,US,America/Chicago";

    // 16:00 UTC on the fixture's day is 10:00 in Chicago: only a hold or a placement can block the call.
    private async Task<JsonElement> AskAsync(string debtorId, string account)
    {
        var phone = (await TestDebtors.PointsAsync(fixture, debtorId, ContactKind.Phone))[0];
        return await Json.ReadAsync(await Json.PostAsync(fixture.As(Roles.Collector), "/api/compliance/check",
            new { debtor_id = debtorId, account_id = account, channel = "call", contact_point_id = phone, at = "2026-11-23T16:00:00Z" }), HttpStatusCode.OK);
    }

    private static string[] Rules(JsonElement decision) => decision.GetProperty("reasons").EnumerateArray().Select(r => r.Str("rule")).ToArray();

    [Fact]
    public async Task ABackdatedCollectionHold_IsListed_RefusesTheCall_AndItsReleaseLetsItThrough()
    {
        var (debtor, account) = await TestDebtors.AddAsync(fixture, "Hana Held", Chicago);
        var client = fixture.As(Roles.Collector);
        var body = new { reason = "Customer disputes delivery", starts_on = "2026-11-20", ends_on = "2026-12-04" };

        var set = await Json.ReadAsync(await Json.PostAsync(client, $"/api/accounts/{account}/collection-holds", body, ("Idempotency-Key", $"hold-{account}")), HttpStatusCode.Created);
        var retry = await Json.PostAsync(client, $"/api/accounts/{account}/collection-holds", body, ("Idempotency-Key", $"hold-{account}"));
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(("2026-11-20", "2026-12-04", true, (string?)null), (set.Str("starts_on"), set.Str("ends_on"), set.GetProperty("in_force").GetBoolean(), set.GetProperty("invoice_number").GetString()));
        Assert.StartsWith("collector", set.Str("set_by"), StringComparison.Ordinal);
        Assert.Single((await Json.GetAsync(client, $"/api/accounts/{account}/collection-holds")).EnumerateArray());

        var blocked = await AskAsync(debtor, account);
        Assert.False(blocked.GetProperty("allowed").GetBoolean());
        Assert.Equal(["collection-hold"], Rules(blocked));

        await Json.ReadAsync(await Json.PostAsync(client, $"/api/collection-holds/{set.Str("hold_id")}/release", new { reason = "Delivery proven" }), HttpStatusCode.OK);
        Assert.True((await AskAsync(debtor, account)).GetProperty("allowed").GetBoolean());
        Assert.Contains("collection_hold.released", await TestDebtors.AuditActionsAsync(fixture, account));
    }

    [Fact]
    public async Task ABadHold_NamesTheField_AndAnAuditorMayNotSetOne()
    {
        var (_, account) = await TestDebtors.AddAsync(fixture, "Ivo Invalid");
        var problem = await Json.ProblemAsync(await Json.PostAsync(fixture.As(Roles.Collector), $"/api/accounts/{account}/collection-holds", new { reason = "x" }), HttpStatusCode.BadRequest);
        Assert.Equal(["ends_on"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        var unknownInvoice = await Json.ProblemAsync(await Json.PostAsync(fixture.As(Roles.Collector), $"/api/accounts/{account}/collection-holds",
            new { reason = "x", invoice_number = "NOPE", ends_on = "2026-12-01" }), HttpStatusCode.BadRequest);
        Assert.Equal("invoice_not_on_account", unknownInvoice.Str("code"));
        Assert.Equal(HttpStatusCode.Forbidden, (await Json.PostAsync(fixture.As(Roles.Auditor), $"/api/accounts/{account}/collection-holds", new { reason = "x", ends_on = "2026-12-01" })).StatusCode);
    }

    [Fact]
    public async Task APlacedAccount_RefusesCalls_UntilRecalled()
    {
        var (debtor, account) = await TestDebtors.AddAsync(fixture, "Paul Placed", Chicago);
        Assert.Equal(HttpStatusCode.Forbidden, (await Json.PostAsync(fixture.As(Roles.Collector), $"/api/accounts/{account}/placements",
            new { kind = "agency", placed_with = "Acme Recovery", fee_percent = "25" })).StatusCode);
        var placed = await Json.ReadAsync(await Json.PostAsync(fixture.As(Roles.Supervisor), $"/api/accounts/{account}/placements",
            new { kind = "agency", placed_with = "Acme Recovery", fee_percent = "25", allowed_channels = new[] { "letter" } }), HttpStatusCode.Created);
        Assert.Equal(("placed", "500.00", "letter"), (placed.Str("status"), placed.GetProperty("placed_balance").Str("amount"), placed.GetProperty("allowed_channels")[0].GetString()));
        Assert.Equal(["placed-with-agency"], Rules(await AskAsync(debtor, account)));

        var recalled = await Json.ReadAsync(await Json.PostAsync(fixture.As(Roles.Supervisor), $"/api/placements/{placed.Str("placement_id")}/recall", new { reason = "Settled with us" }), HttpStatusCode.OK);
        Assert.Equal(("recalled", false), (recalled.Str("status"), recalled.GetProperty("active").GetBoolean()));
        Assert.True((await AskAsync(debtor, account)).GetProperty("allowed").GetBoolean());
    }

    [Fact]
    public async Task ABusinessOnCreditHold_IsInTheShutdownReport_AsJsonAndCsv()
    {
        var id = $"B{Guid.NewGuid():N}"[..12];
        var portfolio = new TestPortfolio().Debtors($"{id},Globex Supply,business,commercial,,,,,,,,").Invoices($"{id}-INV,{id},2026-09-01,2026-10-01,750.25,USD");
        Assert.True((await new ImportPortfolio(fixture.Database, fixture.Clock).RunAsync(portfolio.Folder)).Succeeded);

        Assert.Equal(HttpStatusCode.Forbidden, (await Json.PostAsync(fixture.As(Roles.Collector), $"/api/debtors/{id}/credit-hold", new { reason = "x" })).StatusCode);
        var hold = await Json.ReadAsync(await Json.PostAsync(fixture.As(Roles.Supervisor), $"/api/debtors/{id}/credit-hold", new { reason = "120 days past due" }), HttpStatusCode.Created);
        Assert.Equal((true, "750.25"), (hold.GetProperty("on_hold").GetBoolean(), hold.GetProperty("exposure")[0].Str("amount")));

        var report = await Json.GetAsync(fixture.As(Roles.Collector), "/api/credit-holds");
        Assert.Contains(report.EnumerateArray(), r => r.Str("debtor_id") == id && r.Str("reason") == "120 days past due");
        var csv = await fixture.As(Roles.Collector).GetAsync("/api/credit-holds?format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"{id},Globex Supply,120 days past due,2026-11-23,", await csv.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await Json.ReadAsync(await Json.PostAsync(fixture.As(Roles.Supervisor), $"/api/debtors/{id}/credit-hold/release", new { reason = "Paid" }), HttpStatusCode.OK);
        Assert.False((await Json.GetAsync(fixture.As(Roles.Collector), $"/api/debtors/{id}/credit-hold")).GetProperty("on_hold").GetBoolean());
    }

    [Fact]
    public async Task AFee_IsRefusedWithoutTerms_AndConsumerTermsNeedTheirAuthority()
    {
        var (debtor, account) = await TestDebtors.AddAsync(fixture, "Fay Fee");
        var refused = await Json.ProblemAsync(await Json.PostAsync(fixture.As(Roles.Collector), $"/api/accounts/{account}/fees",
            new { invoice_number = $"{debtor}-INV", amount = "15.00", reason = "Returned check" }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("fee_not_authorized", refused.Str("code"));

        var consumerTerms = await Json.ProblemAsync(await fixture.As(Roles.Manager).PutAsJsonAsync("/api/charge-terms/debt-types/consumer",
            new { currency = "USD", late_fee = "flat", late_fee_amount = "25.00" }), HttpStatusCode.BadRequest);
        Assert.Equal("fee_not_authorized", consumerTerms.Str("code"));
        Assert.True(consumerTerms.GetProperty("errors").TryGetProperty("authority", out _));

        var terms = await Json.ReadAsync(await fixture.As(Roles.Manager).PutAsJsonAsync($"/api/debtors/{debtor}/charge-terms",
            new { currency = "USD", late_fee = "flat", late_fee_amount = "15.00", late_fee_cap = "20.00" }), HttpStatusCode.OK);
        Assert.Equal(debtor, terms.Str("debtor_id"));
        var fee = await Json.ReadAsync(await Json.PostAsync(fixture.As(Roles.Collector), $"/api/accounts/{account}/fees",
            new { invoice_number = $"{debtor}-INV", amount = "15.00", reason = "Returned check" }), HttpStatusCode.Created);
        Assert.Equal("15.00", fee.GetProperty("amount").Str("amount"));
        Assert.Contains("Returned check", fee.Str("memo"), StringComparison.Ordinal);
    }
}

[Collection("sqlite")]
public sealed class SqliteHoldApiTests(SqliteApi fixture) : HoldApiTests(fixture);

[Collection("postgres")]
public sealed class PostgresHoldApiTests(PostgresApi fixture) : HoldApiTests(fixture);
