using System.Net;
using System.Net.Http.Json;
using Recoup.Data.Identity;

namespace Recoup.Web.Tests.Reporting;

/// <summary><c>GET/PUT /api/collector-targets</c>: supervisors set targets per collector and month; readers read them; the pack's CSV sets them against the actuals.</summary>
public abstract class CollectorTargetEndpointTests(ApiFixture fixture)
{
    [Fact]
    public async Task A_supervisor_sets_a_collector_s_targets_the_API_reads_them_back_and_the_targets_csv_carries_them()
    {
        var collector = $"t{Guid.NewGuid():N}"[..12];
        var client = fixture.As(Roles.Supervisor);
        var today = DateOnly.FromDateTime(fixture.Clock.GetUtcNow().UtcDateTime);
        var month = today.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var asOf = today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var put = await client.PutAsJsonAsync($"/api/collector-targets?month={month}", new
        {
            targets = new[] { new { collector, amounts = new[] { new { amount = "2500.00", currency = "USD" }, new { amount = "300.00", currency = "EUR" } }, contacts = 40, promises = 12, kept_rate = "82.5" } },
        });
        var saved = await Json.ReadAsync(put);
        Assert.Equal(month, saved.Str("month"));

        var read = await Json.GetAsync(fixture.As(Roles.Auditor), $"/api/collector-targets?month={month}");
        var mine = read.Items().Single(t => t.Str("collector") == collector);
        Assert.Equal((40, 12, "82.50"), (mine.GetProperty("contacts").GetInt32(), mine.GetProperty("promises").GetInt32(), mine.Str("kept_rate")));
        Assert.StartsWith("supervisor", mine.Str("set_by"), StringComparison.Ordinal);
        Assert.Equal([("300.00", "EUR"), ("2500.00", "USD")], mine.GetProperty("amounts").EnumerateArray().Select(a => (a.Str("amount"), a.Str("currency"))));

        // Before they were set there were none: the targets are append-only and read as of a date.
        var before = await Json.GetAsync(client, $"/api/collector-targets?month={month}&as_of=2000-01-01");
        Assert.DoesNotContain(before.Items(), t => t.Str("collector") == collector);

        var csv = await client.GetStringAsync($"/api/reports/packs/monthly?as_of={asOf}&format=csv&table=targets&collector={collector}");
        Assert.Equal(
            "Collector,Measure,Currency,Target,Actual,% of target\n"
            + $"{collector},Collected,EUR,300.00,0.00,0.00\n{collector},Collected,USD,2500.00,0.00,0.00\n"
            + $"{collector},Right-party contacts,,40,0,0.00\n{collector},Promises taken,,12,0,0.00\n{collector},Promise-kept rate %,,82.50,,\n",
            csv);
    }

    [Fact]
    public async Task A_collector_may_not_set_targets_and_bad_values_are_refused_naming_the_field()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.As(Roles.Collector).PutAsJsonAsync("/api/collector-targets", new { targets = Array.Empty<object>() })).StatusCode);

        var problem = await Json.ProblemAsync(await fixture.As(Roles.Manager).PutAsJsonAsync("/api/collector-targets?month=2026-10", new
        {
            targets = new[] { new { collector = "ana", amounts = new[] { new { amount = "12.345", currency = "USD" } }, contacts = 1, promises = 1, kept_rate = "80" } },
        }), HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("targets[0].amounts[0].amount", out _));

        var month = await Json.ProblemAsync(await fixture.As(Roles.Manager).GetAsync("/api/collector-targets?month=October"), HttpStatusCode.BadRequest);
        Assert.True(month.GetProperty("errors").TryGetProperty("month", out _));
    }
}

[Collection("sqlite")]
public sealed class SqliteCollectorTargetEndpointTests(SqliteApi fixture) : CollectorTargetEndpointTests(fixture);

[Collection("postgres")]
public sealed class PostgresCollectorTargetEndpointTests(PostgresApi fixture) : CollectorTargetEndpointTests(fixture);
