using System.Net;
using System.Text.Json;
using Recoup.Data.Identity;

namespace Recoup.Web.Tests;

/// <summary>The plan preview contract, plans, promises and settlements through the API.</summary>
public abstract class PlanTests(ApiFixture fixture)
{
    private static string[] Schedule(JsonElement preview) =>
        preview.GetProperty("installments").EnumerateArray().Select(i => $"{i.GetProperty("number").GetInt32()} {i.Str("due")} {i.Str("amount")}").ToArray();

    [Fact]
    public async Task The_preview_answers_the_schedule_in_exactly_the_documented_shape_and_creates_nothing()
    {
        var client = fixture.As(Roles.Collector);
        var response = await Json.PostAsync(client, "/api/plans/preview",
            new { total = "1000.00", currency = "USD", down_payment = "0.00", frequency = "monthly", installments = 3, first_due = "2026-01-31" });

        var preview = await Json.ReadAsync(response, HttpStatusCode.OK);
        Assert.Equal(["installments"], preview.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["number", "due", "amount"], preview.GetProperty("installments")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(["1 2026-01-31 333.33", "2 2026-02-28 333.33", "3 2026-03-31 333.34"], Schedule(preview));

        var byAmount = await Json.ReadAsync(await Json.PostAsync(client, "/api/plans/preview",
            new { total = "1000", currency = "JPY", down_payment = "100", frequency = "bi-weekly", installment_amount = "400", first_due = "2026-12-25" }), HttpStatusCode.OK);
        Assert.Equal(["1 2026-12-25 100", "2 2027-01-08 400", "3 2027-01-22 400", "4 2027-02-05 100"], Schedule(byAmount));
    }

    [Fact]
    public async Task A_preview_with_bad_fields_names_each_of_them()
    {
        var problem = await Json.ProblemAsync(await Json.PostAsync(fixture.As(Roles.Collector), "/api/plans/preview",
            new { total = "10.001", currency = "USD", frequency = "fortnightly", installments = 3, first_due = "31/01/2026" }), HttpStatusCode.BadRequest);

        Assert.Equal(["first_due", "frequency", "total"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        var currency = await Json.ProblemAsync(await Json.PostAsync(fixture.As(Roles.Collector), "/api/plans/preview",
            new { total = "10.00", currency = "XYZ", frequency = "monthly", installments = 3, first_due = "2026-12-01" }), HttpStatusCode.BadRequest);
        Assert.Equal("'XYZ' is not an ISO 4217 currency code", currency.GetProperty("errors").GetProperty("currency")[0].GetString());
    }

    [Fact]
    public async Task A_plan_set_up_through_the_api_is_listed_on_the_account_with_its_schedule()
    {
        var (_, account) = await TestDebtors.AddAsync(fixture, "Nell Harper");
        var client = fixture.As(Roles.Collector);

        // Commercial policy: at least 10 % down and installments of 100.00 or more.
        var plan = await Json.ReadAsync(await Json.PostAsync(client, $"/api/accounts/{account}/plans",
            new { down_payment = "50.00", frequency = "monthly", installments = 4, first_due = "2026-11-30" }), HttpStatusCode.Created);

        Assert.Equal(("active", "500.00", "monthly"), (plan.Str("status"), plan.GetProperty("total").Str("amount"), plan.Str("frequency")));
        Assert.Equal(["2026-11-30 50.00", "2026-12-30 112.50", "2027-01-30 112.50", "2027-02-28 112.50", "2027-03-30 112.50"],
            plan.GetProperty("installments").EnumerateArray().Select(i => $"{i.Str("due")} {i.GetProperty("amount").Str("amount")}"));
        var listed = await Json.GetAsync(client, $"/api/accounts/{account}/plans");
        Assert.Equal(plan.Str("plan_id"), listed[0].Str("plan_id"));
    }

    [Fact]
    public async Task A_collector_s_deep_settlement_waits_for_a_supervisor_which_a_collector_cannot_give()
    {
        var (_, account) = await TestDebtors.AddAsync(fixture, "Otto Lind");
        var offer = await Json.ReadAsync(await Json.PostAsync(fixture.As(Roles.Collector), $"/api/accounts/{account}/settlements",
            new { amount = "350.00", kind = "lump_sum", due_on = "2026-12-15" }), HttpStatusCode.Created);
        Assert.Equal(("pending_approval", "supervisor"), (offer.Str("status"), offer.Str("needs_approval_by")));

        var id = offer.Str("settlement_id");
        Assert.Equal(HttpStatusCode.Forbidden, (await Json.PostAsync(fixture.As(Roles.Collector), $"/api/settlements/{id}/approve", new { })).StatusCode);
        var approved = await Json.ReadAsync(await Json.PostAsync(fixture.As(Roles.Supervisor), $"/api/settlements/{id}/approve", new { }), HttpStatusCode.OK);
        Assert.Equal(("active", "supervisor (api key: supervisor tests)"), (approved.Str("status"), approved.Str("approved_by")));
    }

    [Fact]
    public async Task A_promise_is_taken_listed_and_cancelled_and_a_retry_takes_it_once()
    {
        var (_, account) = await TestDebtors.AddAsync(fixture, "Pia Roth");
        var client = fixture.As(Roles.Collector);
        var body = new { amount = "150.00", promised_for = "2026-11-28", channel = "call" };

        var first = await Json.PostAsync(client, $"/api/accounts/{account}/promises", body, ("Idempotency-Key", $"promise-{account}"));
        var retry = await Json.PostAsync(client, $"/api/accounts/{account}/promises", body, ("Idempotency-Key", $"promise-{account}"));
        var promise = await Json.ReadAsync(first, HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Single((await Json.GetAsync(client, $"/api/accounts/{account}/promises")).EnumerateArray());
        Assert.Equal("pending", promise.Str("status"));

        var cancelled = await Json.ReadAsync(await Json.PostAsync(client, $"/api/promises/{promise.Str("promise_id")}/cancel", new { reason = "Debtor will pay through the plan" }), HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled.Str("status"));
    }
}

[Collection("sqlite")]
public sealed class SqlitePlanTests(SqliteApi fixture) : PlanTests(fixture);

[Collection("postgres")]
public sealed class PostgresPlanTests(PostgresApi fixture) : PlanTests(fixture);
