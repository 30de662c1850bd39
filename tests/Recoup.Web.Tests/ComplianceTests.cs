using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Recoup.Data.Identity;
using Recoup.Domain.Debtors;
using Recoup.Services.Compliance;
using Recoup.Services.WorkQueues;

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

    private async Task<(string Account, string Phone)> CarlaAsync() => (await fixture.AccountOfAsync("C1"), await PhoneOfAsync("C1"));

    /// <summary>A call to C1 at 07:30 in Chicago (13:30 UTC), which the calling hours block.</summary>
    private static object HalfPastSeven(string account, string phone) =>
        new { debtor_id = "C1", account_id = account, channel = "call", contact_point_id = phone, at = "2026-11-23T13:30:00Z" };

    private static object AnException(string account, string phone, string rule = "inconvenient-time", string validFrom = "2026-11-23T13:15:00Z", string validUntil = "2026-11-23T13:45:00Z") => new
    {
        debtor_id = "C1",
        account_id = account,
        rule,
        channel = "call",
        contact_point_id = phone,
        valid_from = validFrom,
        valid_until = validUntil,
        documentation = "Debtor consented on a recorded call on 2026-11-20 to calls at 7:30",
    };

    [Fact]
    public async Task AManagersException_AllowsTheCheckThatWasBlocked_UntilRevoked_AndTheAuditLogShowsTheGrant()
    {
        var collector = fixture.As(Roles.Collector);
        var manager = fixture.As(Roles.Manager);
        var (account, phone) = await CarlaAsync();

        var blocked = await Json.ReadAsync(await Json.PostAsync(collector, "/api/compliance/check", HalfPastSeven(account, phone)));
        var granted = await Json.ReadAsync(await Json.PostAsync(manager, "/api/compliance/exceptions", AnException(account, phone)), HttpStatusCode.Created);
        var allowed = await Json.ReadAsync(await Json.PostAsync(collector, "/api/compliance/check", HalfPastSeven(account, phone)));
        var listed = await Json.GetAsync(collector, "/api/compliance/exceptions?debtor_id=C1");

        Assert.False(blocked.GetProperty("allowed").GetBoolean());
        Assert.Equal("inconvenient-time", blocked.GetProperty("reasons")[0].Str("rule"));
        var id = granted.Str("exception_id");
        Assert.Equal(("C1", account, "inconvenient-time", "12 CFR 1006.6(b)(1)(i)", "call", phone),
            (granted.Str("debtor_id"), granted.Str("account_id"), granted.Str("rule"), granted.Str("citation"), granted.Str("channel"), granted.Str("contact_point_id")));
        Assert.Equal((new DateTimeOffset(2026, 11, 23, 13, 15, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 23, 13, 45, 0, TimeSpan.Zero)),
            (granted.GetProperty("valid_from").GetDateTimeOffset(), granted.GetProperty("valid_until").GetDateTimeOffset()));
        Assert.Equal(("manager (api key: manager tests)", "scheduled"), (granted.Str("granted_by"), granted.Str("status")));

        // The check's answer keeps its shape: the exception is on the record, not in the answer.
        Assert.True(allowed.GetProperty("allowed").GetBoolean());
        Assert.Equal(0, allowed.GetProperty("reasons").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, allowed.GetProperty("next_allowed_at").ValueKind);
        Assert.Equal(["allowed", "next_allowed_at", "reasons"], allowed.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(id, Assert.Single(listed.Items()).Str("exception_id"));

        var audit = (await Json.GetAsync(fixture.As(Roles.Auditor), $"/api/audit?entity=account&entity_id={account}")).Items().ToList();
        var grantRecord = audit.Single(r => r.Str("action") == "compliance.exception_granted");
        Assert.Equal((id, "Debtor consented on a recorded call on 2026-11-20 to calls at 7:30"),
            (grantRecord.GetProperty("after").Str("exception_id"), grantRecord.GetProperty("after").Str("documentation")));
        var allowedRecord = audit.Single(r => r.Str("action") == "compliance.allowed_by_exception");
        var excepted = allowedRecord.GetProperty("after").GetProperty("exceptions")[0];
        Assert.Equal((id, "inconvenient-time"), (excepted.Str("exception_id"), excepted.Str("rule")));
        Assert.Equal("collector", allowedRecord.Str("actor"));

        var revoked = await Json.ReadAsync(await Json.PostAsync(manager, $"/api/compliance/exceptions/{id}/revoke", new { }));
        var again = await Json.ProblemAsync(await Json.PostAsync(manager, $"/api/compliance/exceptions/{id}/revoke", new { }), HttpStatusCode.Conflict);
        var blockedAgain = await Json.ReadAsync(await Json.PostAsync(collector, "/api/compliance/check", HalfPastSeven(account, phone)));

        Assert.Equal(("revoked", "manager (api key: manager tests)"), (revoked.Str("status"), revoked.Str("revoked_by")));
        Assert.Equal("exception_revoked", again.Str("code"));
        Assert.False(blockedAgain.GetProperty("allowed").GetBoolean());
        var afterRevoke = (await Json.GetAsync(fixture.As(Roles.Auditor), $"/api/audit?entity=account&entity_id={account}")).Items();
        Assert.Contains("compliance.exception_revoked", afterRevoke.Select(r => r.Str("action")));
    }

    [Theory]
    [InlineData(Roles.Collector)]
    [InlineData(Roles.Supervisor)]
    [InlineData(Roles.Auditor)]
    public async Task OnlyManagersAndAdmins_MayGrantOrRevoke(string role)
    {
        var (account, phone) = await CarlaAsync();
        var client = fixture.As(role);

        await using var db = fixture.Database.CreateContext();
        var before = await db.ComplianceExceptionGrants.CountAsync();

        var grant = await Json.ProblemAsync(await Json.PostAsync(client, "/api/compliance/exceptions", AnException(account, phone)), HttpStatusCode.Forbidden);
        var revoke = await Json.ProblemAsync(await Json.PostAsync(client, $"/api/compliance/exceptions/{Guid.CreateVersion7()}/revoke", new { }), HttpStatusCode.Forbidden);

        Assert.Equal(("forbidden", "forbidden"), (grant.Str("code"), revoke.Str("code")));
        Assert.Equal(before, await db.ComplianceExceptionGrants.CountAsync());
    }

    [Fact]
    public async Task AnAdmin_MayGrantAnExceptionForEveryAccount_RecordedOnTheDebtor()
    {
        var granted = await Json.ReadAsync(await Json.PostAsync(fixture.As(Roles.Admin), "/api/compliance/exceptions", new
        {
            debtor_id = "K3",
            rule = "attorney-represented",
            valid_until = "2026-12-01T00:00:00Z",
            documentation = "Attorney J. Ruiz consented in writing on 2026-11-20 to direct contact about a payment plan",
        }), HttpStatusCode.Created);

        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null, "in_force"),
            (granted.GetProperty("account_id").ValueKind, granted.GetProperty("channel").ValueKind, granted.Str("status")));
        var audit = await Json.GetAsync(fixture.As(Roles.Auditor), "/api/audit?entity=debtor&entity_id=K3");
        Assert.Equal(granted.Str("exception_id"), audit.Items().Single(r => r.Str("action") == "compliance.exception_granted").GetProperty("after").Str("exception_id"));
    }

    [Fact]
    public async Task AnExceptionToCeaseCommunication_Is400OnTheRule()
    {
        var (account, phone) = await CarlaAsync();

        var problem = await Json.ProblemAsync(await Json.PostAsync(fixture.As(Roles.Manager), "/api/compliance/exceptions", AnException(account, phone, "cease-communication")),
            HttpStatusCode.BadRequest);

        Assert.Equal("exception_not_allowed", problem.Str("code"));
        Assert.Equal(
            "No exception may be recorded to cease-communication (Debtor asked us to stop, 12 CFR 1006.6(c)): only a change of the facts lifts it. " +
            "A manager may record an exception to attorney-represented, workplace-contact, inconvenient-time, call-frequency, call-after-conversation",
            problem.GetProperty("errors").GetProperty("rule")[0].GetString());
    }

    public static TheoryData<string, string, string, string> BadDates => new()
    {
        { "tomorrow", "2026-11-24T13:45:00Z", "valid_from", "'tomorrow' is not a date and time like 2026-11-23T15:00:00-05:00" },
        { "2026-11-23T13:15:00Z", "2026-11-31T25:00", "valid_until", "'2026-11-31T25:00' is not a date and time like 2026-11-23T15:00:00-05:00" },
        { "2026-11-23T08:00:00Z", "2026-11-24T08:00:00Z", "valid_from", "An exception cannot start in the past (2026-11-23T08:00:00Z is before now, 2026-11-23T09:" },
        { "2026-11-23T13:15:00Z", "2026-11-23T13:00:00Z", "valid_until", "An exception must end after it starts (2026-11-23T13:00:00Z is not after 2026-11-23T13:15:00Z)" },
        { "2026-11-23T13:15:00Z", "2026-12-24T13:15:00Z", "valid_until",
            "An exception lasts at most 30 days; this one would last until 2026-12-24T13:15:00Z, more than 30 days after 2026-11-23T13:15:00Z. Record a new one when it ends" },
    };

    [Theory, MemberData(nameof(BadDates))]
    public async Task BadDates_Are400_NamingTheField(string validFrom, string validUntil, string field, string message)
    {
        var (account, phone) = await CarlaAsync();

        var problem = await Json.ProblemAsync(await Json.PostAsync(fixture.As(Roles.Manager), "/api/compliance/exceptions",
            AnException(account, phone, validFrom: validFrom, validUntil: validUntil)), HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(e => e.Name));
        // The fixture's clock moves a millisecond a read: "now" is 09:00 and some seconds.
        Assert.StartsWith(message, errors.GetProperty(field)[0].GetString(), StringComparison.Ordinal);
    }

    /// <summary>The application with a configuration of its own (as appsettings.json would give it), on the fixture's database.</summary>
    private WebApplicationFactory<Program> Configured(string json) =>
        fixture.Factory.WithWebHostBuilder(builder => builder.ConfigureAppConfiguration(
            (_, configuration) => configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)))));

    [Fact]
    public async Task TheConfiguredRuleSet_IsTheOneTheCheckApplies()
    {
        await using var configured = Configured("""
            {"Recoup": {"Compliance": {"CallsFrom": "09:00", "DisabledRules": ["state-call-limit"],
              "StateRules": [{"State": "NY", "Citation": "23 NYCRR 1.6", "MaxContactsPerSevenDays": 3, "Channels": ["call", "sms"]}]}}}
            """);
        using var client = configured.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.KeyOf(Roles.Collector));
        var account = await fixture.AccountOfAsync("K1");
        var phone = await PhoneOfAsync("K1");

        // 14:30 UTC is 08:30 in Chicago: allowed by the federal hours, not by the configured 09:00.
        var question = new { debtor_id = "K1", account_id = account, channel = "call", contact_point_id = phone, at = "2026-11-23T14:30:00Z" };
        var blocked = await Json.ReadAsync(await Json.PostAsync(client, "/api/compliance/check", question));
        var shipped = await Json.ReadAsync(await Json.PostAsync(fixture.As(Roles.Collector), "/api/compliance/check", question));

        Assert.False(blocked.GetProperty("allowed").GetBoolean());
        Assert.Equal("It is 08:30 in America/Chicago; calls are allowed from 09:00 to 21:00 there.", blocked.GetProperty("reasons")[0].Str("message"));
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 15, 0, 0, TimeSpan.Zero), blocked.GetProperty("next_allowed_at").GetDateTimeOffset());
        Assert.True(shipped.GetProperty("allowed").GetBoolean());

        // The work queue's next account puts its contacts to the same configured rules.
        await using var scope = configured.Services.CreateAsyncScope();
        Assert.Equal(new TimeOnly(9, 0), scope.ServiceProvider.GetRequiredService<NextAccount>().Rules.CallsFrom);
    }

    [Fact]
    public async Task AWrongConfiguration_StopsTheStart_NamingTheKey()
    {
        await using var configured = Configured("""{"Recoup": {"Compliance": {"CallsFrom": "25:00", "DisabledRules": ["calls-at-night"]}}}""");

        var thrown = Assert.ThrowsAny<Exception>(() => configured.CreateClient());

        var error = Assert.IsType<RuleSetConfigurationException>(thrown is AggregateException all ? all.InnerExceptions.Single() : thrown);
        Assert.Equal(2, error.Problems.Count);
        Assert.Contains("Recoup:Compliance:CallsFrom: '25:00' is not a time of day like 08:00", error.Message, StringComparison.Ordinal);
        Assert.Contains("Recoup:Compliance:DisabledRules: 'calls-at-night' is not a rule id", error.Message, StringComparison.Ordinal);
    }
}

[Collection("sqlite")]
public sealed class SqliteComplianceTests(SqliteApi fixture) : ComplianceTests(fixture);

[Collection("postgres")]
public sealed class PostgresComplianceTests(PostgresApi fixture) : ComplianceTests(fixture);
