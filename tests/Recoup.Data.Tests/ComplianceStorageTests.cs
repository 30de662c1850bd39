using Microsoft.EntityFrameworkCore;
using Recoup.Domain;
using Recoup.Domain.Compliance;
using Recoup.Domain.Debtors;
using Recoup.Domain.Ledger;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Data.Tests;

/// <summary>Managers' compliance exceptions on both providers: stored as granted, revoked in place, never deleted.</summary>
public sealed class ComplianceStorageTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 15, 30, 0, TimeSpan.Zero);

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AGrant_ReadsBackAsGranted_IsRevokedInPlace_AndCannotBeDeleted(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var debtor = new Debtor(DebtorId.New(Now), "D-9", "Ana Ruiz", DebtorKind.Person, DebtType.Consumer, null, Now);
        var phone = debtor.AddContactPoint(ContactPointId.New(Now), ContactKind.Phone, "(213) 555-0101", ContactSource.Debtor);
        var account = new Account(AccountId.New(Now), debtor.Id, Currency.USD, Now);
        var grant = ComplianceExceptionGrant.Grant(ExceptionGrantId.New(Now), debtor, [account.Id],
            new ExceptionGrantDraft("inconvenient-time", account.Id, ContactChannel.Call, phone.Id, Now.AddHours(1), Now.AddHours(2),
                "Debtor asked on a recorded call on 2026-11-23 to be called at 7:30 tomorrow"), "morgan", Now).Value;
        await using (var db = database.CreateContext())
        {
            db.Debtors.Add(debtor);
            db.Accounts.Add(account);
            db.ComplianceExceptionGrants.Add(grant);
            await db.SaveChangesAsync();
        }

        await using (var db = database.CreateContext())
        {
            // The check's query: the debtor's grants that end after an instant.
            var stored = await db.ComplianceExceptionGrants.Where(g => g.DebtorId == debtor.Id && g.ValidUntil > Now).SingleAsync();
            Assert.Equal(grant.ToFacts(), stored.ToFacts());
            Assert.Equal((grant.Documentation, "morgan", Now), (stored.Documentation, stored.GrantedBy, stored.GrantedAt));
            Assert.True(stored.Revoke("avery", Now.AddMinutes(10)).IsSuccess);
            await db.SaveChangesAsync();
        }

        await using (var db = database.CreateContext())
        {
            var revoked = await db.ComplianceExceptionGrants.SingleAsync();
            Assert.Equal((Now.AddMinutes(10), "avery"), (revoked.RevokedAt, revoked.RevokedBy));
            db.ComplianceExceptionGrants.Remove(revoked);
            var deleted = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
            Assert.Equal($"Compliance exception {grant.Id} cannot be deleted: revoke it instead", deleted.Message);
        }
    }
}
