using System.Net;
using System.Text.Json;
using Recoup.Data.Identity;

namespace Recoup.Web.Tests;

/// <summary>Follow-ups: scheduled in the debtor's local time, listed overdue first, closed once.</summary>
public abstract class FollowUpTests(ApiFixture fixture)
{
    private const string Chicago = ",+1 312 555 0190,900 N Michigan Ave,Chicago,IL,60611,US,America/Chicago";

    private static Task<HttpResponseMessage> ScheduleAsync(HttpClient client, string account, object body, params (string, string)[] headers) =>
        Json.PostAsync(client, $"/api/accounts/{account}/follow-ups", body, headers);

    [Fact]
    public async Task ACallbackAt1030InChicago_IsDueAt1630Utc_OwnedByTheCaller_AndOnTheTimeline()
    {
        var (debtor, account) = await TestDebtors.AddAsync(fixture, "Yara Bloom", Chicago);
        var response = await ScheduleAsync(fixture.As(Roles.Collector), account, new { kind = "callback", due_local = "2026-11-24T10:30", note = "After her shift" });

        var followUp = await Json.ReadAsync(response, HttpStatusCode.Created);
        Assert.Equal(
            ["follow_up_id", "account_id", "debtor_id", "debtor_name", "kind", "state", "due_at", "due_local", "time_zone", "overdue", "owner", "note",
                "origin_interaction_id", "created_by", "created_at", "closed_by", "closed_at"],
            followUp.EnumerateObject().Select(p => p.Name));
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 16, 30, 0, TimeSpan.Zero), followUp.GetProperty("due_at").GetDateTimeOffset());
        Assert.Equal(TimeSpan.Zero, followUp.GetProperty("due_at").GetDateTimeOffset().Offset);
        Assert.Equal(("2026-11-24T10:30:00", "America/Chicago", "callback", "open", "collector", debtor),
            (followUp.Str("due_local"), followUp.Str("time_zone"), followUp.Str("kind"), followUp.Str("state"), followUp.Str("owner"), followUp.Str("debtor_id")));
        Assert.False(followUp.GetProperty("overdue").GetBoolean());
        Assert.Equal($"/api/accounts/{account}/follow-ups", response.Headers.Location?.OriginalString);
        Assert.Equal([followUp.Str("follow_up_id")], (await Json.GetAsync(fixture.As(Roles.Auditor), $"/api/accounts/{account}/follow-ups")).Items().Select(f => f.Str("follow_up_id")));

        var timeline = (await Json.GetAsync(fixture.As(Roles.Collector), $"/api/accounts/{account}")).GetProperty("timeline");
        Assert.Contains(timeline.EnumerateArray(), t => t.Str("kind") == "follow_up.scheduled" && t.Str("actor") == "collector (api key: collector tests)");
    }

    [Fact]
    public async Task ADebtorInTwoZones_MustBeToldWhichZone_AndBadFieldsAreNamed()
    {
        var (_, account) = await TestDebtors.AddAsync(fixture, "Zed Marsh", ",+1 212 555 0191,1 Market St,San Francisco,CA,94105,US,");
        var client = fixture.As(Roles.Collector);

        var zone = await Json.ProblemAsync(await ScheduleAsync(client, account, new { kind = "task", due_local = "2026-11-24T10:30" }), HttpStatusCode.BadRequest);
        var fields = await Json.ProblemAsync(await ScheduleAsync(client, account, new { kind = "visit", due_local = "2026-11-24 10:30+01:00", owner = "nobody" }), HttpStatusCode.BadRequest);
        var owner = await Json.ProblemAsync(await ScheduleAsync(client, account, new { kind = "task", due_local = "2026-11-24T10:30", time_zone = "America/New_York", owner = "nobody" }), HttpStatusCode.BadRequest);
        var past = await Json.ProblemAsync(await ScheduleAsync(client, account, new { kind = "task", due_local = "2026-11-22T10:30", time_zone = "America/New_York" }), HttpStatusCode.BadRequest);
        var missing = await Json.ProblemAsync(await ScheduleAsync(client, Guid.NewGuid().ToString(), new { kind = "task", due_local = "2026-11-24T10:30" }), HttpStatusCode.NotFound);

        Assert.Equal("time_zone_required", zone.Str("code"));
        Assert.Equal("Zed Marsh may be in America/Los_Angeles or America/New_York; say which time zone the follow-up is agreed in", Error(zone, "time_zone"));
        Assert.Equal(["due_local", "kind"], fields.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal("There is no user 'nobody' to own the follow-up", Error(owner, "owner"));
        Assert.Equal("2026-11-22 10:30 in America/New_York has already passed", Error(past, "due_local"));
        Assert.Equal("account_not_found", missing.Str("code"));
        Assert.Empty((await Json.GetAsync(client, $"/api/accounts/{account}/follow-ups")).Items());
    }

    [Fact]
    public async Task Mine_ListsOverdueOnesFirst_ThenByDueTime_EachWithItsLocalTimeAndZone()
    {
        var (debtor, account) = await TestDebtors.AddAsync(fixture, "Abel Crane", Chicago);
        var client = fixture.As(Roles.Supervisor);

        // Due this very minute (so overdue at once), the day after tomorrow, and tomorrow.
        var chicago = TimeZoneInfo.FindSystemTimeZoneById("America/Chicago");
        var now = TimeZoneInfo.ConvertTime(fixture.Clock.GetUtcNow(), chicago);
        var thisMinute = now.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture);
        string Scheduled(JsonElement f) => f.Str("follow_up_id");
        var later = Scheduled(await Json.ReadAsync(await ScheduleAsync(client, account, new { kind = "task", due_local = "2026-11-25T09:00" }), HttpStatusCode.Created));
        var overdue = Scheduled(await Json.ReadAsync(await ScheduleAsync(client, account, new { kind = "callback", due_local = thisMinute }), HttpStatusCode.Created));
        var tomorrow = Scheduled(await Json.ReadAsync(await ScheduleAsync(client, account, new { kind = "callback", due_local = "2026-11-24T15:45" }), HttpStatusCode.Created));
        var someoneElses = Scheduled(await Json.ReadAsync(await ScheduleAsync(client, account, new { kind = "task", due_local = "2026-11-24T08:00", owner = "manager" }), HttpStatusCode.Created));

        var mine = (await Json.GetAsync(client, "/api/follow-ups/mine")).Items().Where(f => f.Str("debtor_id") == debtor).ToList();

        Assert.Equal([overdue, tomorrow, later], mine.Select(Scheduled));
        Assert.Equal([true, false, false], mine.Select(f => f.GetProperty("overdue").GetBoolean()));
        Assert.Equal(("2026-11-24T15:45:00", "America/Chicago"), (mine[1].Str("due_local"), mine[1].Str("time_zone")));
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 21, 45, 0, TimeSpan.Zero), mine[1].GetProperty("due_at").GetDateTimeOffset());
        Assert.Contains(someoneElses, (await Json.GetAsync(fixture.As(Roles.Manager), "/api/follow-ups/mine")).Items().Select(Scheduled));
    }

    [Fact]
    public async Task Closing_IsDoneOnce_AndTheAccountListsOpenOnesFirst()
    {
        var (_, account) = await TestDebtors.AddAsync(fixture, "Bea Lowe", Chicago);
        var client = fixture.As(Roles.Collector);
        var first = (await Json.ReadAsync(await ScheduleAsync(client, account, new { kind = "task", due_local = "2026-11-24T09:00" }), HttpStatusCode.Created)).Str("follow_up_id");
        var second = (await Json.ReadAsync(await ScheduleAsync(client, account, new { kind = "task", due_local = "2026-11-25T09:00" }), HttpStatusCode.Created)).Str("follow_up_id");

        var done = await Json.ReadAsync(await Json.PostAsync(client, $"/api/follow-ups/{first}/close", new { state = "done" }), HttpStatusCode.OK);
        var again = await Json.ProblemAsync(await Json.PostAsync(client, $"/api/follow-ups/{first}/close", new { state = "cancelled" }), HttpStatusCode.Conflict);
        var bad = await Json.ProblemAsync(await Json.PostAsync(client, $"/api/follow-ups/{second}/close", new { state = "open" }), HttpStatusCode.BadRequest);
        var unknown = await Json.ProblemAsync(await Json.PostAsync(client, $"/api/follow-ups/{Guid.NewGuid()}/close", new { state = "done" }), HttpStatusCode.NotFound);
        var auditor = await Json.ProblemAsync(await Json.PostAsync(fixture.As(Roles.Auditor), $"/api/follow-ups/{second}/close", new { state = "done" }), HttpStatusCode.Forbidden);

        Assert.Equal(("done", "collector (api key: collector tests)"), (done.Str("state"), done.Str("closed_by")));
        Assert.Equal(("follow_up_closed", "This follow-up was already done by collector (api key: collector tests)"), (again.Str("code"), again.Str("detail")));
        Assert.Equal("'open' is not done or cancelled", Error(bad, "state"));
        Assert.Equal("follow_up_not_found", unknown.Str("code"));
        Assert.Equal("forbidden", auditor.Str("code"));
        var listed = (await Json.GetAsync(client, $"/api/accounts/{account}/follow-ups")).Items().ToList();
        Assert.Equal([(second, "open"), (first, "done")], listed.Select(f => (f.Str("follow_up_id"), f.Str("state"))));
        Assert.Contains("follow_up.done", await TestDebtors.AuditActionsAsync(fixture, account));
    }

    [Fact]
    public async Task ARetriedSchedule_WithTheSameIdempotencyKey_SchedulesOnce()
    {
        var (_, account) = await TestDebtors.AddAsync(fixture, "Cal Reed", Chicago);
        var client = fixture.As(Roles.Collector);
        var body = new { kind = "callback", due_local = "2026-11-24T11:00" };
        var key = $"fu-{Guid.NewGuid():N}";

        var first = await ScheduleAsync(client, account, body, ("Idempotency-Key", key));
        var retry = await ScheduleAsync(client, account, body, ("Idempotency-Key", key));

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, retry.StatusCode));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.True(retry.Headers.Contains("Idempotent-Replayed"));
        Assert.Single((await Json.GetAsync(client, $"/api/accounts/{account}/follow-ups")).Items());
    }

    private static string Error(JsonElement problem, string field) => problem.GetProperty("errors").GetProperty(field)[0].GetString()!;
}

[Collection("sqlite")]
public sealed class SqliteFollowUpTests(SqliteApi fixture) : FollowUpTests(fixture);

[Collection("postgres")]
public sealed class PostgresFollowUpTests(PostgresApi fixture) : FollowUpTests(fixture);
