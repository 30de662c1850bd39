using System.Net;
using System.Text.Json;
using Recoup.Data.Identity;
using Recoup.Domain;
using Recoup.Services.Imports;
using Recoup.Services.Reporting;
using Recoup.Testing;
using Recoup.Web.Api;

namespace Recoup.Web.Tests.Reporting;

/// <summary><c>GET /api/reports/kpis</c>: the documented shape, the hand-worked figures, the inputs used, who may read it and what it refuses.</summary>
public abstract class ReportTests(ApiFixture fixture)
{
    /// <summary>
    /// The hand-worked October of docs/kpis.md, in Swiss francs so that no other test's debtors count:
    /// 1,200.00 past due on 30 September, 500.00 billed and 600.00 collected in October, 1,100.00 open on
    /// 31 October of which 500.00 current.
    /// </summary>
    private static async Task SeedAsync(ApiFixture fixture)
    {
        var id = $"R{Guid.NewGuid():N}"[..10];
        var portfolio = new TestPortfolio()
            .Debtors($"{id}1,Kim One,person,consumer,,,,,,,,", $"{id}2,Kai Two,person,consumer,,,,,,,,")
            .Invoices(
                $"{id}-1,{id}1,2026-08-02,2026-09-01,1000.00,CHF",
                $"{id}-2,{id}1,2026-10-05,2026-11-04,500.00,CHF",
                $"{id}-3,{id}2,2026-08-15,2026-09-14,200.00,CHF")
            .Payments($"{id}P1,{id}1,2026-10-10,400.00,CHF,{id}-1", $"{id}P2,{id}2,2026-10-20,200.00,CHF,{id}-3");
        var outcome = await new ImportPortfolio(fixture.Database, fixture.Clock).RunAsync(portfolio.Folder);
        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Errors));
    }

    private static readonly SemaphoreSlim Seeded = new(1, 1);
    private static readonly HashSet<ApiFixture> SeededFixtures = [];

    private async Task EnsureSeededAsync()
    {
        await Seeded.WaitAsync();
        try
        {
            if (SeededFixtures.Add(fixture))
            {
                await SeedAsync(fixture);
            }
        }
        finally
        {
            Seeded.Release();
        }
    }

    [Fact]
    public async Task The_KPIs_of_October_are_the_hand_worked_figures_with_the_inputs_used()
    {
        await EnsureSeededAsync();

        var kpis = await Json.GetAsync(fixture.As(Roles.Supervisor), "/api/reports/kpis?from=2026-10-01&to=2026-10-31&currency=CHF");

        Assert.Equal(
            ["from", "to", "currency", "dso", "dso_countback", "best_possible_dso", "add", "cei", "roll_rates", "liquidation_rate", "promise_kept_rate",
             "right_party_contact_rate", "cure_rate", "average_days_to_pay", "collected", "written_off", "recovered", "inputs"],
            kpis.EnumerateObject().Select(p => p.Name));
        Assert.Equal((68.2m, 76.5m, 31m, 37.2m, 50m), (Number(kpis, "dso"), Number(kpis, "dso_countback"), Number(kpis, "best_possible_dso"), Number(kpis, "add"), Number(kpis, "cei")));
        Assert.Equal(50m, kpis.GetProperty("roll_rates").GetProperty("1-30_to_31-60").GetDecimal());
        Assert.Equal(JsonValueKind.Null, kpis.GetProperty("roll_rates").GetProperty("current_to_1-30").ValueKind);
        Assert.Equal(("600.00", "CHF"), (kpis.GetProperty("collected").Str("amount"), kpis.GetProperty("collected").Str("currency")));
        var inputs = kpis.GetProperty("inputs");
        Assert.Equal(("1200.00", "1100.00", "500.00", "500.00", 31, 1),
            (inputs.GetProperty("beginning_receivables").Str("amount"), inputs.GetProperty("ending_receivables").Str("amount"),
             inputs.GetProperty("ending_current_receivables").Str("amount"), inputs.GetProperty("credit_sales").Str("amount"),
             inputs.GetProperty("days").GetInt32(), inputs.GetProperty("months").GetInt32()));
        Assert.Equal(["2026-09-30", "2026-10-31"], inputs.GetProperty("aging").EnumerateArray().Select(a => a.Str("as_of")));
        Assert.Equal("2026-10", inputs.GetProperty("countback_months")[0].Str("month"));
    }

    [Fact]
    public async Task The_API_answers_exactly_the_JSON_the_CLI_prints()
    {
        await EnsureSeededAsync();

        var response = await fixture.As(Roles.Auditor).GetAsync("/api/reports/kpis?from=2026-10-01&to=2026-10-31&currency=CHF");
        var report = await new KpiQuery(fixture.Database).RunAsync(new KpiRequest(new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 31), Currency.FromCode("CHF")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonSerializer.Serialize(KpisJson.Of(report), KpisJson.SerializerOptions), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_collector_may_not_read_reports() =>
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.As(Roles.Collector).GetAsync("/api/reports/kpis")).StatusCode);

    [Fact]
    public async Task The_debt_type_filter_narrows_the_KPIs_and_the_pack_s_csv_and_an_unknown_one_is_refused_naming_the_field()
    {
        await EnsureSeededAsync();
        var client = fixture.As(Roles.Supervisor);

        var consumer = await Json.GetAsync(client, "/api/reports/kpis?from=2026-10-01&to=2026-10-31&currency=CHF&debt_type=consumer");
        var commercial = await Json.GetAsync(client, "/api/reports/kpis?from=2026-10-01&to=2026-10-31&currency=CHF&debt_type=commercial");
        var csv = await client.GetStringAsync("/api/reports/packs/monthly?as_of=2026-10-31&format=csv&table=payments&currency=CHF&debt_type=consumer");

        Assert.Equal(("600.00", "0.00"), (consumer.GetProperty("collected").Str("amount"), commercial.GetProperty("collected").Str("amount")));
        Assert.Equal("Currency,Billed,Collected,Written off,Recovered\nCHF,500.00,600.00,0.00,0.00\n", csv);
        var refused = await Json.ProblemAsync(await client.GetAsync("/api/reports/packs/monthly?debt_type=alien"), HttpStatusCode.BadRequest);
        Assert.StartsWith("Unknown debt type 'alien'", refused.GetProperty("errors").GetProperty("debt_type")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reversed_period_or_an_unknown_currency_is_refused_naming_the_field()
    {
        var reversed = await Json.ProblemAsync(await fixture.As(Roles.Manager).GetAsync("/api/reports/kpis?from=2026-10-31&to=2026-10-01"), HttpStatusCode.BadRequest);
        Assert.Equal("The period ends (2026-10-01) before it starts (2026-10-31)", reversed.GetProperty("errors").GetProperty("to")[0].GetString());

        var currency = await Json.ProblemAsync(await fixture.As(Roles.Manager).GetAsync("/api/reports/kpis?currency=XYZ&from=13/10/2026"), HttpStatusCode.BadRequest);
        Assert.Equal(["currency", "from"], currency.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    private static decimal Number(JsonElement json, string name) => json.GetProperty(name).GetDecimal();
}

[Collection("sqlite")]
public sealed class SqliteReportTests(SqliteApi fixture) : ReportTests(fixture);

[Collection("postgres")]
public sealed class PostgresReportTests(PostgresApi fixture) : ReportTests(fixture);
