using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Recoup.Data.Identity;
using Recoup.Domain.Debtors;

namespace Recoup.Web.Tests;

/// <summary><c>/api/debtors/{debtor_id}/interactions</c>: the conversation log, immutable, with corrections that reference the original.</summary>
public abstract class InteractionTests(ApiFixture fixture)
{
    private async Task<(string Debtor, string Account, string Phone)> DebtorWithPhoneAsync(string name)
    {
        var (debtor, account) = await TestDebtors.AddAsync(fixture, name, ",+1 415 555 0142,,,,,,");
        return (debtor, account, (await TestDebtors.PointsAsync(fixture, debtor, ContactKind.Phone)).Single());
    }

    [Fact]
    public async Task ACall_IsRecorded_Listed_AndACorrectionReferencesTheOriginal_WhichStaysAsItWas()
    {
        var (debtor, account, phone) = await DebtorWithPhoneAsync("Sol Bright");
        var client = fixture.As(Roles.Collector);
        var url = $"/api/debtors/{debtor}/interactions";

        var response = await Json.PostAsync(client, url, new
        {
            channel = "outbound_call", occurred_at = "2026-11-23T08:40:00Z", contact_point_id = phone, account_ids = new[] { account },
            party = "debtor", outcome = "promise_made", reason = "job_loss", notes = "Will pay 100 on Friday",
        });
        var original = await Json.ReadAsync(response, HttpStatusCode.Created);
        Assert.Equal(
            ["interaction_id", "debtor_id", "account_ids", "channel", "occurred_at", "contact_point_id", "party", "outcome", "reason", "notes", "corrects", "recorded_by", "recorded_at"],
            original.EnumerateObject().Select(p => p.Name));
        Assert.Equal((debtor, "outbound_call", "debtor", "promise_made", "job_loss", "collector (api key: collector tests)"),
            (original.Str("debtor_id"), original.Str("channel"), original.Str("party"), original.Str("outcome"), original.Str("reason"), original.Str("recorded_by")));
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 8, 40, 0, TimeSpan.Zero), original.GetProperty("occurred_at").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, original.GetProperty("corrects").ValueKind);
        var id = original.Str("interaction_id");
        Assert.Equal($"{url}/{id}", response.Headers.Location?.OriginalString);

        var correction = await Json.ReadAsync(await Json.PostAsync(client, url, new
        {
            channel = "outbound_call", occurred_at = "2026-11-23T08:40:00Z", contact_point_id = phone, account_ids = new[] { account },
            party = "debtor", outcome = "promise_made", reason = "medical", notes = "Correction: the hardship is medical, not job loss", corrects = id,
        }), HttpStatusCode.Created);

        Assert.Equal(id, correction.Str("corrects"));
        var log = await Json.GetAsync(fixture.As(Roles.Auditor), url);
        Assert.Equal([correction.Str("interaction_id"), id], log.Items().Select(e => e.Str("interaction_id")));
        var kept = await Json.GetAsync(client, $"{url}/{id}");
        Assert.Equal(("job_loss", "Will pay 100 on Friday"), (kept.Str("reason"), kept.Str("notes")));
        Assert.Equal(2, (await TestDebtors.AuditActionsAsync(fixture, account)).Count(a => a == "interaction.recorded"));
        var point = (await Json.GetAsync(client, $"/api/debtors/{debtor}/contact-points")).Items().Single();
        Assert.Equal("good", point.Str("status"));
    }

    [Fact]
    public async Task Entries_CannotBeChangedOrDeleted()
    {
        var (debtor, account, phone) = await DebtorWithPhoneAsync("Tess Wilde");
        var client = fixture.As(Roles.Admin);
        var url = $"/api/debtors/{debtor}/interactions";
        var entry = await Json.ReadAsync(await Json.PostAsync(client, url,
            new { channel = "note", account_ids = new[] { account }, notes = "Asked for a statement" }), HttpStatusCode.Created);
        var one = $"{url}/{entry.Str("interaction_id")}";

        foreach (var (method, target) in new[] { (HttpMethod.Put, one), (HttpMethod.Delete, one), (HttpMethod.Patch, one), (HttpMethod.Put, url), (HttpMethod.Delete, url) })
        {
            var request = new HttpRequestMessage(method, target) { Content = new StringContent("{\"notes\":\"edited\"}", System.Text.Encoding.UTF8, "application/json") };
            var answer = await client.SendAsync(request);
            Assert.True(answer.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotFound, $"{method} {target}: {(int)answer.StatusCode}");
            await Json.ProblemAsync(answer, answer.StatusCode);
        }

        Assert.Equal("Asked for a statement", (await Json.GetAsync(client, one)).Str("notes"));
        Assert.Single((await Json.GetAsync(client, url)).Items());
        _ = phone;
    }

    [Fact]
    public async Task BadEntries_NameTheField_UnknownDebtorsAre404_AndNothingIsRecorded()
    {
        var (debtor, account, phone) = await DebtorWithPhoneAsync("Uma Stone");
        var (_, otherAccount, _) = await DebtorWithPhoneAsync("Vic Stone");
        var client = fixture.As(Roles.Collector);
        var url = $"/api/debtors/{debtor}/interactions";

        var badChannel = await Json.ProblemAsync(await Json.PostAsync(client, url, new { channel = "fax", account_ids = new[] { account } }), HttpStatusCode.BadRequest);
        var notTheirs = await Json.ProblemAsync(await Json.PostAsync(client, url,
            new { channel = "outbound_call", account_ids = new[] { otherAccount }, contact_point_id = phone, outcome = "no_answer" }), HttpStatusCode.BadRequest);
        var mismatch = await Json.ProblemAsync(await Json.PostAsync(client, url,
            new { channel = "email_sent", account_ids = new[] { account }, outcome = "voicemail_left" }), HttpStatusCode.BadRequest);
        var wrongKind = await Json.ProblemAsync(await Json.PostAsync(client, url,
            new { channel = "email_sent", account_ids = new[] { account }, contact_point_id = phone }), HttpStatusCode.BadRequest);
        var future = await Json.ProblemAsync(await Json.PostAsync(client, url,
            new { channel = "note", account_ids = new[] { account }, notes = "x", occurred_at = "2027-01-01T00:00:00Z" }), HttpStatusCode.BadRequest);
        var unknownCorrected = await Json.ProblemAsync(await Json.PostAsync(client, url,
            new { channel = "note", account_ids = new[] { account }, notes = "x", corrects = Guid.NewGuid().ToString() }), HttpStatusCode.BadRequest);
        var unknown = await Json.ProblemAsync(await Json.PostAsync(client, "/api/debtors/NO-SUCH-DEBTOR/interactions",
            new { channel = "note", account_ids = new[] { account }, notes = "x" }), HttpStatusCode.NotFound);

        Assert.StartsWith("'fax' is not one of outbound_call, inbound_call, email_sent", Error(badChannel, "channel"), StringComparison.Ordinal);
        Assert.Equal(("account_not_found", $"Account {otherAccount} does not belong to this debtor"), (notTheirs.Str("code"), Error(notTheirs, "account_ids")));
        Assert.Equal("'Voicemail left' is an outcome of a phone call, not of email sent", Error(mismatch, "outcome"));
        Assert.Equal("contact_point_wrong_kind", wrongKind.Str("code"));
        Assert.True(future.GetProperty("errors").TryGetProperty("occurred_at", out _));
        Assert.Equal("corrected_not_found", unknownCorrected.Str("code"));
        Assert.Equal("debtor_not_found", unknown.Str("code"));
        Assert.Empty((await Json.GetAsync(client, url)).Items());
        await Json.ProblemAsync(await client.GetAsync("/api/debtors/NO-SUCH-DEBTOR/interactions"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ARetryWithTheSameIdempotencyKey_RecordsOnce_AndAnotherBodyUnderItIs422()
    {
        var (debtor, account, phone) = await DebtorWithPhoneAsync("Wren Hale");
        var client = fixture.As(Roles.Collector);
        var url = $"/api/debtors/{debtor}/interactions";
        var body = new { channel = "outbound_call", account_ids = new[] { account }, contact_point_id = phone, outcome = "no_answer" };
        var key = $"call-{Guid.NewGuid():N}";

        var first = await Json.PostAsync(client, url, body, ("Idempotency-Key", key));
        var retry = await Json.PostAsync(client, url, body, ("Idempotency-Key", key));
        var other = await Json.PostAsync(client, url, body with { outcome = "busy" }, ("Idempotency-Key", key));

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, retry.StatusCode));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.True(retry.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("idempotency_key_reused", (await Json.ProblemAsync(other, HttpStatusCode.UnprocessableEntity)).Str("code"));
        Assert.Single((await Json.GetAsync(client, url)).Items());

        // A refused request leaves no trace: the key can be used again once the request is right.
        var refusedKey = $"call-{Guid.NewGuid():N}";
        await Json.ProblemAsync(await Json.PostAsync(client, url, body with { outcome = "right_party_contact" }, ("Idempotency-Key", refusedKey)), HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.Created, (await Json.PostAsync(client, url, body, ("Idempotency-Key", refusedKey))).StatusCode);
        await using var db = fixture.Database.CreateContext();
        Assert.Equal(2, await db.Interactions.CountAsync(i => db.Debtors.Any(d => d.Id == i.DebtorId && d.ExternalId == debtor)));
    }

    [Fact]
    public async Task AnAuditor_ReadsTheLog_ButCannotWriteInIt()
    {
        var (debtor, account, _) = await DebtorWithPhoneAsync("Xan Ford");
        var auditor = fixture.As(Roles.Auditor);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"/api/debtors/{debtor}/interactions")).StatusCode);
        await Json.ProblemAsync(await Json.PostAsync(auditor, $"/api/debtors/{debtor}/interactions", new { channel = "note", account_ids = new[] { account }, notes = "x" }),
            HttpStatusCode.Forbidden);
    }

    private static string Error(JsonElement problem, string field) => problem.GetProperty("errors").GetProperty(field)[0].GetString()!;
}

[Collection("sqlite")]
public sealed class SqliteInteractionTests(SqliteApi fixture) : InteractionTests(fixture);

[Collection("postgres")]
public sealed class PostgresInteractionTests(PostgresApi fixture) : InteractionTests(fixture);
