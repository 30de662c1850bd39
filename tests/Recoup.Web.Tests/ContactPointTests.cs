using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Recoup.Data.Identity;
using Recoup.Domain.Debtors;

namespace Recoup.Web.Tests;

/// <summary><c>/api/debtors/{debtor_id}/contact-points</c>: adding phones, e-mails and addresses, and recording what was learned about them.</summary>
public abstract class ContactPointTests(ApiFixture fixture)
{
    private static Task<HttpResponseMessage> PatchAsync(HttpClient client, string url, object body) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, url) { Content = JsonContent.Create(body) });

    [Fact]
    public async Task APhone_IsParsedToE164_WithLineTypeAndZones_Listed_Searchable_AndOnTheTimeline()
    {
        var (debtor, account) = await TestDebtors.AddAsync(fixture, "Nora Quint", "nora@quint.example,,,,,,,");
        var client = fixture.As(Roles.Collector);

        var response = await Json.PostAsync(client, $"/api/debtors/{debtor}/contact-points",
            new { kind = "phone", value = "(303) 555-0162", phone_type = "mobile", source = "debtor" });
        var added = await Json.ReadAsync(response, HttpStatusCode.Created);

        Assert.Equal(
            ["kind", "value", "status", "source", "primary", "contact_point_id", "normalized", "phone_type", "is_workplace", "time_zones", "address",
                "source_detail", "confidence", "autodialer_consent", "text_consent", "opted_out_at", "created_at"],
            added.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("phone", "(303) 555-0162", "+13035550162", "mobile", "unverified", "debtor"),
            (added.Str("kind"), added.Str("value"), added.Str("normalized"), added.Str("phone_type"), added.Str("status"), added.Str("source")));
        Assert.True(added.GetProperty("primary").GetBoolean());
        Assert.False(added.GetProperty("is_workplace").GetBoolean());
        Assert.Equal(["America/Denver"], added.GetProperty("time_zones").EnumerateArray().Select(z => z.GetString()));
        Assert.Equal(JsonValueKind.Null, added.GetProperty("autodialer_consent").ValueKind);
        Assert.Equal($"/api/debtors/{debtor}/contact-points", response.Headers.Location?.OriginalString);

        var listed = await Json.GetAsync(fixture.As(Roles.Auditor), $"/api/debtors/{debtor}/contact-points");
        Assert.Equal([("phone", "(303) 555-0162"), ("email", "nora@quint.example")], listed.Items().Select(p => (p.Str("kind"), p.Str("value"))));
        var found = await Json.GetAsync(client, "/api/accounts?search=3035550162");
        Assert.Equal([debtor], found.Items().Select(a => a.Str("debtor_id")));
        Assert.Contains("contact_point.added", await TestDebtors.AuditActionsAsync(fixture, account));
    }

    [Fact]
    public async Task AnAddress_GetsTheZonesOfItsState_AndAWorkplaceNumberIsAWorkPhone()
    {
        var (debtor, _) = await TestDebtors.AddAsync(fixture, "Omar Reyes");
        var client = fixture.As(Roles.Supervisor);

        var address = await Json.ReadAsync(await Json.PostAsync(client, $"/api/debtors/{debtor}/contact-points",
            new { kind = "postal", source = "skip_trace", address = new { line1 = "500 Congress Ave", city = "Austin", region = "TX", postal_code = "78701", country = "US" } }),
            HttpStatusCode.Created);
        var work = await Json.ReadAsync(await Json.PostAsync(client, $"/api/debtors/{debtor}/contact-points",
            new { kind = "phone", value = "+1 512 555 0199", source = "debtor", is_workplace = true }), HttpStatusCode.Created);

        Assert.Equal("500 Congress Ave, Austin, TX, 78701, US", address.Str("value"));
        Assert.Equal(["America/Chicago", "America/Denver"], address.GetProperty("time_zones").EnumerateArray().Select(z => z.GetString()));
        Assert.Equal(("Austin", "78701"), (address.GetProperty("address").Str("city"), address.GetProperty("address").Str("postal_code")));
        Assert.Equal(JsonValueKind.Null, address.GetProperty("phone_type").ValueKind);
        Assert.Equal("work", work.Str("phone_type"));
        Assert.True(work.GetProperty("is_workplace").GetBoolean());
    }

    [Fact]
    public async Task BadAdditions_NameTheirFields_ADuplicateIs409_AndAnUnknownDebtorIs404()
    {
        var (debtor, _) = await TestDebtors.AddAsync(fixture, "Pia Lund", ",+1 303 555 0170,,,,,,");
        var client = fixture.As(Roles.Collector);
        var url = $"/api/debtors/{debtor}/contact-points";

        var tooShort = await Json.ProblemAsync(await Json.PostAsync(client, url, new { kind = "phone", value = "555-01", source = "debtor" }), HttpStatusCode.BadRequest);
        var missing = await Json.ProblemAsync(await Json.PostAsync(client, url, new { value = "x@y.example" }), HttpStatusCode.BadRequest);
        var emailType = await Json.ProblemAsync(await Json.PostAsync(client, url, new { kind = "email", value = "pia@example", phone_type = "mobile", source = "debtor" }), HttpStatusCode.BadRequest);
        var duplicate = await Json.ProblemAsync(await Json.PostAsync(client, url, new { kind = "phone", value = "(303) 555-0170", source = "skip_trace" }), HttpStatusCode.Conflict);
        var unknown = await Json.ProblemAsync(await Json.PostAsync(client, "/api/debtors/NO-SUCH-DEBTOR/contact-points", new { kind = "email", value = "a@b.example", source = "debtor" }), HttpStatusCode.NotFound);

        Assert.Equal("'555-01' is not a phone number: it has too few digits", Error(tooShort, "value"));
        Assert.Equal("phone_invalid", tooShort.Str("code"));
        Assert.Equal(["kind", "source"], missing.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal("The kind is required: one of phone, email, postal", Error(missing, "kind"));
        Assert.Equal("phone_type and is_workplace are recorded for phone numbers only", Error(emailType, "phone_type"));
        Assert.Equal("'pia@example' is not an e-mail address", Error(emailType, "value"));
        Assert.Equal("contact_point_exists", duplicate.Str("code"));
        Assert.StartsWith($"{debtor} already has +1 303 555 0170 (contact point ", duplicate.Str("detail"), StringComparison.Ordinal);
        Assert.Equal("debtor_not_found", unknown.Str("code"));
        Assert.Single(await TestDebtors.PointsAsync(fixture, debtor, ContactKind.Phone));

        var notJson = await client.PostAsync(url, new StringContent("kind=phone&value=3035550111", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal("unsupported_media_type", (await Json.ProblemAsync(notJson, HttpStatusCode.UnsupportedMediaType)).Str("code"));
    }

    [Fact]
    public async Task Patch_RecordsStatusPrimaryConsentAndOptOut_AndIsAllOrNothing()
    {
        var (debtor, account) = await TestDebtors.AddAsync(fixture, "Quinn Ames", ",+1 720 555 0123,,,,,,");
        var client = fixture.As(Roles.Collector);
        var first = (await TestDebtors.PointsAsync(fixture, debtor, ContactKind.Phone)).Single();
        var second = (await Json.ReadAsync(await Json.PostAsync(client, $"/api/debtors/{debtor}/contact-points",
            new { kind = "phone", value = "720 555 0124", phone_type = "home", source = "debtor" }), HttpStatusCode.Created)).Str("contact_point_id");

        var refused = await Json.ProblemAsync(await PatchAsync(client, $"/api/debtors/{debtor}/contact-points/{second}",
            new { status = "returned_mail", primary = true, autodialer_consent = new { given = true } }), HttpStatusCode.BadRequest);
        Assert.Equal("Only a postal address can have mail returned", Error(refused, "status"));
        Assert.Equal("Say how the consent was obtained (e.g. recorded call, signed form)", Error(refused, "autodialer_consent.how_obtained"));
        var unchanged = await Json.GetAsync(client, $"/api/debtors/{debtor}/contact-points");
        Assert.Equal([(first, true), (second, false)], unchanged.Items().Select(p => (p.Str("contact_point_id"), p.GetProperty("primary").GetBoolean())));

        var changed = await Json.ReadAsync(await PatchAsync(client, $"/api/debtors/{debtor}/contact-points/{second}",
            new { status = "good", primary = true, autodialer_consent = new { given = true, at = "2026-11-20T15:00:00Z", how_obtained = "recorded call" } }), HttpStatusCode.OK);
        Assert.Equal(("good", true), (changed.Str("status"), changed.GetProperty("primary").GetBoolean()));
        var consent = changed.GetProperty("autodialer_consent");
        Assert.Equal((new DateTimeOffset(2026, 11, 20, 15, 0, 0, TimeSpan.Zero), "recorded call"), (consent.GetProperty("given_at").GetDateTimeOffset(), consent.Str("how_obtained")));
        Assert.Equal(JsonValueKind.Null, consent.GetProperty("revoked_at").ValueKind);

        var revoked = await Json.ReadAsync(await PatchAsync(client, $"/api/debtors/{debtor}/contact-points/{second}",
            new { autodialer_consent = new { given = false }, opted_out = true }), HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.String, revoked.GetProperty("autodialer_consent").GetProperty("revoked_at").ValueKind);
        Assert.Equal(JsonValueKind.String, revoked.GetProperty("opted_out_at").ValueKind);

        var bad = await Json.ReadAsync(await PatchAsync(client, $"/api/debtors/{debtor}/contact-points/{first}", new { status = "disconnected" }), HttpStatusCode.OK);
        Assert.Equal(("disconnected", false), (bad.Str("status"), bad.GetProperty("primary").GetBoolean()));

        var nothing = await Json.ProblemAsync(await PatchAsync(client, $"/api/debtors/{debtor}/contact-points/{first}", new { }), HttpStatusCode.BadRequest);
        Assert.Equal("nothing_to_change", nothing.Str("code"));
        await Json.ProblemAsync(await PatchAsync(client, $"/api/debtors/{debtor}/contact-points/{Guid.NewGuid()}", new { status = "good" }), HttpStatusCode.NotFound);
        Assert.Equal(3, (await TestDebtors.AuditActionsAsync(fixture, account)).Count(a => a == "contact_point.changed"));
    }

    [Fact]
    public async Task AnAuditor_MayReadButNotChange()
    {
        var (debtor, _) = await TestDebtors.AddAsync(fixture, "Rhea Voss", "rhea@voss.example,,,,,,,");
        var auditor = fixture.As(Roles.Auditor);
        var point = (await TestDebtors.PointsAsync(fixture, debtor, ContactKind.Email)).Single();

        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"/api/debtors/{debtor}/contact-points")).StatusCode);
        var add = await Json.ProblemAsync(await Json.PostAsync(auditor, $"/api/debtors/{debtor}/contact-points", new { kind = "email", value = "r@v.example", source = "debtor" }), HttpStatusCode.Forbidden);
        await Json.ProblemAsync(await PatchAsync(auditor, $"/api/debtors/{debtor}/contact-points/{point}", new { status = "good" }), HttpStatusCode.Forbidden);
        Assert.Equal("forbidden", add.Str("code"));
    }

    private static string Error(JsonElement problem, string field) => problem.GetProperty("errors").GetProperty(field)[0].GetString()!;
}

[Collection("sqlite")]
public sealed class SqliteContactPointTests(SqliteApi fixture) : ContactPointTests(fixture);

[Collection("postgres")]
public sealed class PostgresContactPointTests(PostgresApi fixture) : ContactPointTests(fixture);
