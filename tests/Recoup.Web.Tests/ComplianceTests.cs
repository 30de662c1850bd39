using System.Net;
using Microsoft.EntityFrameworkCore;
using Recoup.Data.Identity;
using Recoup.Domain.Debtors;

namespace Recoup.Web.Tests;

/// <summary><c>POST /api/compliance/check</c>: the gate's answer from stored facts, recorded on the timeline.</summary>
public abstract class ComplianceTests(ApiFixture fixture)
{
    private async Task<string> PhoneOfAsync(string debtorId)
    {
        await using var db = fixture.Database.CreateContext();
        return (await db.ContactPoints.AsNoTracking().SingleAsync(c => c.Kind == ContactKind.Phone && db.Debtors.Any(d => d.Id == c.DebtorId && d.ExternalId == debtorId)))
            .Id.ToString();
    }

    [Fact]
    public async Task ACallBefore8InChicago_IsBlockedUntil8_AndTheDecisionIsOnTheTimeline()
    {
        var client = fixture.As(Roles.Collector);
        var account = await fixture.AccountOfAsync("K1");
        var phone = await PhoneOfAsync("K1");

        // 13:30 UTC on 2026-11-23 is 07:30 in Chicago (CST, UTC−6).
        var early = await Json.ReadAsync(await Json.PostAsync(client, "/api/compliance/check",
            new { debtor_id = "K1", account_id = account, channel = "call", contact_point_id = phone, at = "2026-11-23T13:30:00Z" }), HttpStatusCode.OK);
        var later = await Json.ReadAsync(await Json.PostAsync(client, "/api/compliance/check",
            new { debtor_id = "K1", account_id = account, channel = "call", contact_point_id = phone, at = "2026-11-23T15:00:00Z" }), HttpStatusCode.OK);

        Assert.False(early.GetProperty("allowed").GetBoolean());
        var reason = early.GetProperty("reasons")[0];
        Assert.Equal("inconvenient-time", reason.Str("rule"));
        Assert.Contains("1006.6(b)(1)(i)", reason.Str("citation"), StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 14, 0, 0, TimeSpan.Zero), early.GetProperty("next_allowed_at").GetDateTimeOffset());
        Assert.True(later.GetProperty("allowed").GetBoolean());
        Assert.Equal(0, later.GetProperty("reasons").GetArrayLength());

        var audit = await Json.GetAsync(fixture.As(Roles.Auditor), $"/api/audit?entity=account&entity_id={account}");
        var actions = audit.Items().Select(r => r.Str("action")).ToList();
        Assert.Contains("compliance.blocked", actions);
        Assert.Contains("compliance.allowed", actions);
    }

    [Fact]
    public async Task BadQuestions_NameTheField_AndUnknownDebtorsAre404()
    {
        var client = fixture.As(Roles.Collector);
        var account = await fixture.AccountOfAsync("K1");
        var phone = await PhoneOfAsync("K1");

        var invalid = await Json.ProblemAsync(await Json.PostAsync(client, "/api/compliance/check",
            new { debtor_id = "K1", account_id = account, channel = "fax", contact_point_id = phone }), HttpStatusCode.BadRequest);
        var missing = await Json.ProblemAsync(await Json.PostAsync(client, "/api/compliance/check",
            new { debtor_id = "NOPE", account_id = account, channel = "call", contact_point_id = phone }), HttpStatusCode.NotFound);
        var wrongKind = await Json.ProblemAsync(await Json.PostAsync(client, "/api/compliance/check",
            new { debtor_id = "K1", account_id = account, channel = "email", contact_point_id = phone }), HttpStatusCode.BadRequest);

        Assert.Equal("'fax' is not a channel; use call, sms, email or letter.", invalid.GetProperty("errors").GetProperty("channel")[0].GetString());
        Assert.Equal("There is no debtor 'NOPE'", missing.Str("detail"));
        Assert.Equal("A contact by email needs an e-mail address, not +1 312 555 0147", wrongKind.GetProperty("errors").GetProperty("contact_point_id")[0].GetString());
    }
}

[Collection("sqlite")]
public sealed class SqliteComplianceTests(SqliteApi fixture) : ComplianceTests(fixture);

[Collection("postgres")]
public sealed class PostgresComplianceTests(PostgresApi fixture) : ComplianceTests(fixture);
