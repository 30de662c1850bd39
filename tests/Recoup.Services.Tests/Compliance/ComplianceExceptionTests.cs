using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Domain;
using Recoup.Domain.Compliance;
using Recoup.Domain.Debtors;
using Recoup.Services.Compliance;
using Recoup.Services.Imports;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Services.Tests.Compliance;

/// <summary>Managers' exceptions recorded, honoured by the check, revoked, and on the timeline — on both providers.</summary>
public sealed class ComplianceExceptionTests
{
    private const string Why = "Debtor asked on a recorded call on 2026-11-20 to be called at 7:30 before work";

    // 12:00 UTC is 06:00 in Chicago; the call in question is at 07:30 there (13:30 UTC).
    private static readonly DateTimeOffset CallAt = new(2026, 11, 23, 13, 30, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    private async Task<(RecoupDatabase Database, AccountId Account, ContactPointId Phone)> SeedAsync(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var portfolio = new TestPortfolio()
            .Debtors("K1,Maria Gonzalez,person,consumer,maria@example.com,+1 312 555 0147,1418 W Belmont Ave,Chicago,IL,60657,US,America/Chicago")
            .Invoices("K-INV-1,K1,2026-05-01,2026-05-31,100.00,USD");
        Assert.True((await new ImportPortfolio(database, _clock).RunAsync(portfolio.Folder)).Succeeded);
        await using var db = database.CreateContext();
        var account = await db.Accounts.SingleAsync();
        var phone = await db.ContactPoints.SingleAsync(c => c.Kind == ContactKind.Phone);
        return (database, account.Id, phone.Id);
    }

    private static ExceptionGrantDraft AtHalfPastSeven(AccountId? account, ContactPointId? phone) =>
        new("inconvenient-time", account, ContactChannel.Call, phone, CallAt.AddMinutes(-15), CallAt.AddMinutes(15), Why);

    private async Task<GateDecision> CheckAsync(RecoupDatabase database, AccountId account, ContactPointId phone) =>
        (await new ComplianceCheck(database, _clock, RuleSet.Default).RunAsync(new ComplianceQuestion("K1", account, ContactChannel.Call, phone, CallAt), "sam")).Value;

    private static async Task<List<Data.Audit.AuditRecord>> AuditAsync(RecoupDatabase database, string action)
    {
        await using var db = database.CreateContext();
        return await db.AuditLog.AsNoTracking().Where(a => a.Action == action).ToListAsync();
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AManagersException_AllowsTheBlockedCall_AndTheTimelineSaysWhichGrantAllowedIt(DatabaseProvider provider)
    {
        var (database, account, phone) = await SeedAsync(provider);
        var before = await CheckAsync(database, account, phone);

        var granted = await new RecordComplianceException(database, _clock).RunAsync("K1", AtHalfPastSeven(account, phone), "morgan");
        var after = await CheckAsync(database, account, phone);

        Assert.Equal(["inconvenient-time"], before.Reasons.Select(r => r.Rule).Distinct());
        Assert.True(granted.IsSuccess, granted.Error?.Message);
        var grant = granted.Value.Grant;
        Assert.True(after.Allowed);
        Assert.Equal(grant.Id.ToString(), Assert.Single(after.Excepted).GrantId);

        var recorded = Assert.Single(await AuditAsync(database, RecordComplianceException.Action));
        Assert.Equal(("morgan", "account", account.ToString()), (recorded.Actor, recorded.Entity, recorded.EntityId));
        using (var json = JsonDocument.Parse(recorded.After!))
        {
            Assert.Equal(grant.Id.ToString(), json.RootElement.GetProperty("exception_id").GetString());
            Assert.Equal("12 CFR 1006.6(b)(1)(i)", json.RootElement.GetProperty("citation").GetString());
            Assert.Equal("+1 312 555 0147", json.RootElement.GetProperty("contact_point").GetString());
            Assert.Equal(Why, json.RootElement.GetProperty("documentation").GetString());
        }

        var allowed = Assert.Single(await AuditAsync(database, "compliance.allowed_by_exception"));
        Assert.Equal(("sam", account.ToString()), (allowed.Actor, allowed.EntityId));
        using (var json = JsonDocument.Parse(allowed.After!))
        {
            var exception = Assert.Single(json.RootElement.GetProperty("exceptions").EnumerateArray().ToList());
            Assert.Equal((grant.Id.ToString(), "inconvenient-time"), (exception.GetProperty("exception_id").GetString(), exception.GetProperty("rule").GetString()));
        }

        Assert.Single(await AuditAsync(database, "compliance.blocked"));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ARefusedException_WritesNothing(DatabaseProvider provider)
    {
        var (database, account, phone) = await SeedAsync(provider);

        var refused = await new RecordComplianceException(database, _clock).RunAsync("K1", AtHalfPastSeven(account, phone) with { Rule = "cease-communication" }, "morgan");
        var unknown = await new RecordComplianceException(database, _clock).RunAsync("NOPE", AtHalfPastSeven(null, null), "morgan");

        Assert.Equal(("exception_not_allowed", "rule"), (refused.Error!.Code, refused.Error.Field));
        Assert.Equal("There is no debtor 'NOPE'", unknown.Error!.Message);
        await using var db = database.CreateContext();
        Assert.Equal(0, await db.ComplianceExceptionGrants.CountAsync());
        Assert.Empty(await AuditAsync(database, RecordComplianceException.Action));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ARevokedException_NoLongerAllowsTheCall_AndStaysOnRecord(DatabaseProvider provider)
    {
        var (database, account, phone) = await SeedAsync(provider);

        // No account named: the exception is about the person, recorded on the debtor.
        var grant = (await new RecordComplianceException(database, _clock).RunAsync("K1", AtHalfPastSeven(null, null), "morgan")).Value.Grant;
        _clock.Advance(TimeSpan.FromMinutes(5));
        var revoked = await new RevokeComplianceException(database, _clock).RunAsync(grant.Id, "avery");
        var again = await new RevokeComplianceException(database, _clock).RunAsync(grant.Id, "morgan");
        var decision = await CheckAsync(database, account, phone);

        Assert.True(revoked.IsSuccess, revoked.Error?.Message);
        Assert.Equal((_clock.GetUtcNow(), "avery"), (revoked.Value.Grant.RevokedAt, revoked.Value.Grant.RevokedBy));
        Assert.Equal("exception_revoked", again.Error!.Code);
        Assert.False(decision.Allowed);
        Assert.Empty(decision.Excepted);

        var listed = Assert.Single((await new ListComplianceExceptions(database).RunAsync("K1")).Value);
        Assert.Equal((grant.Id, "avery"), (listed.Grant.Id, listed.Grant.RevokedBy));
        var grantedRecord = Assert.Single(await AuditAsync(database, RecordComplianceException.Action));
        var revokedRecord = Assert.Single(await AuditAsync(database, RevokeComplianceException.Action));
        Assert.Equal(("morgan", "debtor", "K1"), (grantedRecord.Actor, grantedRecord.Entity, grantedRecord.EntityId));
        Assert.Equal(("avery", "debtor", "K1"), (revokedRecord.Actor, revokedRecord.Entity, revokedRecord.EntityId));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task TwoRevocationsAtOnce_TheFirstStands_AndTheSecondIsRefused(DatabaseProvider provider)
    {
        var (database, account, phone) = await SeedAsync(provider);
        var grant = (await new RecordComplianceException(database, _clock).RunAsync("K1", AtHalfPastSeven(account, phone), "morgan")).Value.Grant;

        // Both read the grant before either saves.
        await using var first = database.CreateContext();
        await using var second = database.CreateContext();
        var one = await first.ComplianceExceptionGrants.SingleAsync();
        var other = await second.ComplianceExceptionGrants.SingleAsync();
        Assert.True(one.Revoke("avery", _clock.GetUtcNow()).IsSuccess);
        Assert.True(other.Revoke("morgan", _clock.GetUtcNow()).IsSuccess);
        await first.SaveChangesAsync();

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
        await using var db = database.CreateContext();
        Assert.Equal("avery", (await db.ComplianceExceptionGrants.SingleAsync(g => g.Id == grant.Id)).RevokedBy);
    }
}
