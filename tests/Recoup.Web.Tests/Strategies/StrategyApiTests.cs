using System.Net;
using System.Text;
using Recoup.Data.Identity;
using Recoup.Data.Strategies;

namespace Recoup.Web.Tests.Strategies;

/// <summary>The strategies API: collectors read, supervisors save new versions (refused with every mistake and where it is); the recorded runs.</summary>
public abstract class StrategyApiTests(ApiFixture fixture)
{
    private static Task<HttpResponseMessage> PutAsync(HttpClient client, string url, string json) =>
        client.PutAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

    private const string Split = """
        { "name": "Commercial test", "dunning": "account", "segments": [
          { "name": "Standard", "arms": [
            { "name": "champion", "percent": 70, "steps": [ { "key": "reminder", "action": "email", "days_past_due": 3, "template": "first_reminder" } ] },
            { "name": "challenger", "percent": PCT, "steps": [ { "key": "reminder", "action": "letter", "days_past_due": 3, "template": "TEMPLATE" },
                                                              { "key": "call", "action": "call_task", "days_past_due": 10, "priority": 2 } ] } ] } ] }
        """;

    [Fact]
    public async Task A_collector_reads_the_strategies_but_may_not_save_one()
    {
        var collector = fixture.As(Roles.Collector);
        var list = await Json.GetAsync(collector, "/api/strategies");
        Assert.Equal(["consumer", "commercial", "medical"], list.EnumerateArray().Select(s => s.Str("debt_type")));

        var consumer = await Json.GetAsync(collector, "/api/strategies/consumer");
        Assert.True(consumer.GetProperty("live").GetBoolean());
        Assert.Contains(consumer.GetProperty("definition").GetProperty("segments").EnumerateArray(), s => s.Str("name") == "Small balance");

        await Json.ProblemAsync(await PutAsync(collector, "/api/strategies/consumer", Split.Replace("PCT", "30").Replace("TEMPLATE", "final_demand")), HttpStatusCode.Forbidden);
        var unknown = await Json.ProblemAsync(await collector.GetAsync("/api/strategies/leasing"), HttpStatusCode.NotFound);
        Assert.Equal("strategy_not_found", unknown.Str("code"));
    }

    [Fact]
    public async Task A_supervisor_saves_a_new_version_and_a_wrong_split_or_template_is_refused_naming_where()
    {
        var supervisor = fixture.As(Roles.Supervisor);
        var before = (await Json.GetAsync(supervisor, "/api/strategies/commercial")).GetProperty("version").GetInt32();

        var wrong = await Json.ProblemAsync(await PutAsync(supervisor, "/api/strategies/commercial", Split.Replace("PCT", "20").Replace("TEMPLATE", "final_demnd")), HttpStatusCode.BadRequest);
        var errors = wrong.GetProperty("errors");
        Assert.Contains("share 90 %", errors.GetProperty("segments[0].arms")[0].GetString());
        Assert.Contains("There is no letter template 'final_demnd'; did you mean 'final_demand'?", errors.GetProperty("segments[0].arms[1].steps[0].template")[0].GetString());

        var misspelt = await Json.ProblemAsync(await PutAsync(supervisor, "/api/strategies/commercial", """{ "name": "x", "dunning": "account", "segmnts": [] }"""), HttpStatusCode.BadRequest);
        Assert.Contains("segmnts", misspelt.Str("detail"));

        var saved = await Json.ReadAsync(await PutAsync(supervisor, "/api/strategies/commercial", Split.Replace("PCT", "30").Replace("TEMPLATE", "final_demand")), HttpStatusCode.Created);
        Assert.Equal(before + 1, saved.GetProperty("version").GetInt32());
        var live = await Json.GetAsync(supervisor, "/api/strategies/commercial");
        Assert.Equal(("Commercial test", before + 1), (live.Str("name"), live.GetProperty("version").GetInt32()));
        var arms = live.GetProperty("definition").GetProperty("segments")[0].GetProperty("arms");
        Assert.Equal(30, arms[1].GetProperty("percent").GetInt32());

        // The version it replaced is kept as it was.
        var previous = await Json.GetAsync(supervisor, $"/api/strategies/commercial?version={before}");
        Assert.False(previous.GetProperty("live").GetBoolean());
        Assert.NotEqual("Commercial test", previous.Str("name"));
        var history = await Json.GetAsync(supervisor, "/api/strategies/commercial?history=true");
        Assert.Equal(before + 1, history[0].GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task The_recorded_runs_are_listed_newest_first_with_their_counts_and_errors()
    {
        var now = fixture.Clock.GetUtcNow();
        var failed = new CollectionRun
        {
            Id = Guid.NewGuid(), AsOf = new DateOnly(2026, 11, 21), Status = CollectionRunStatus.Failed, StartedAt = now.AddDays(-2),
            FinishedAt = now.AddDays(-2).AddSeconds(3), StartedBy = "scheduler", Accounts = 40, Error = "database went away",
            Counts = """{"accounts":40,"steps":{"letter":3},"broken_promises":1,"missed_installments":0,"blocked_by_compliance":2,"deferred":0,"by_segment":{}}""",
        };
        var completed = new CollectionRun
        {
            Id = Guid.NewGuid(), AsOf = new DateOnly(2026, 11, 22), Status = CollectionRunStatus.Completed, StartedAt = now.AddDays(-1),
            FinishedAt = now.AddDays(-1).AddSeconds(12.5), StartedBy = "admin", Accounts = 300,
            Counts = """{"accounts":300,"steps":{"letter":12,"call_task":7},"broken_promises":2,"missed_installments":1,"blocked_by_compliance":4,"deferred":5,"by_segment":{"Consumer standard / Standard / champion":19}}""",
        };
        await using (var db = fixture.Database.CreateContext())
        {
            db.CollectionRuns.AddRange(failed, completed);
            await db.SaveChangesAsync();
        }

        var runs = await Json.GetAsync(fixture.As(Roles.Collector), "/api/collection-runs");
        var ours = runs.EnumerateArray().Where(r => r.Str("id") == failed.Id.ToString() || r.Str("id") == completed.Id.ToString()).ToList();
        Assert.Equal(["completed", "failed"], ours.Select(r => r.Str("status")));
        Assert.Equal((12_500L, 12, 7), (ours[0].GetProperty("duration_ms").GetInt64(), ours[0].GetProperty("steps").GetProperty("letter").GetInt32(), ours[0].GetProperty("steps").GetProperty("call_task").GetInt32()));
        Assert.Equal("database went away", ours[1].Str("error"));

        var one = await Json.GetAsync(fixture.As(Roles.Supervisor), $"/api/collection-runs/{completed.Id}");
        Assert.Equal(300, one.GetProperty("run").GetProperty("accounts").GetInt32());
        await Json.ProblemAsync(await fixture.As(Roles.Supervisor).GetAsync($"/api/collection-runs/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_comparison_needs_a_segment_and_exports_csv()
    {
        var manager = fixture.As(Roles.Manager);
        var missing = await Json.ProblemAsync(await manager.GetAsync("/api/strategies/consumer/comparison"), HttpStatusCode.BadRequest);
        Assert.True(missing.GetProperty("errors").TryGetProperty("segment", out _));

        var csv = await manager.GetAsync("/api/strategies/consumer/comparison?segment=Standard&format=csv&as_of=2026-11-23");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("Arm,Accounts,Currency,Recovered", (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF'));
        await Json.ProblemAsync(await fixture.As(Roles.Collector).GetAsync("/api/strategies/consumer/comparison?segment=Standard"), HttpStatusCode.Forbidden);
    }
}

[Collection("sqlite")]
public sealed class SqliteStrategyApiTests(SqliteApi fixture) : StrategyApiTests(fixture);

[Collection("postgres")]
public sealed class PostgresStrategyApiTests(PostgresApi fixture) : StrategyApiTests(fixture);
