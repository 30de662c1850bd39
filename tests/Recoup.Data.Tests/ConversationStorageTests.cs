using Microsoft.EntityFrameworkCore;
using Recoup.Domain;
using Recoup.Domain.Contacts;
using Recoup.Domain.Conversations;
using Recoup.Domain.Debtors;
using Recoup.Domain.Ledger;
using Recoup.Domain.WorkQueues;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Data.Tests;

/// <summary>Contact points, the conversation log and follow-ups on both providers.</summary>
public sealed class ConversationStorageTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 15, 30, 0, TimeSpan.Zero);

    private static async Task<(RecoupDatabase Database, Interaction Entry)> SeedAsync(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var debtor = new Debtor(DebtorId.New(Now), "D-9", "Ana Ruiz", DebtorKind.Person, DebtType.Consumer, null, Now);
        debtor.ChangeLanguage("es");
        var phone = debtor.AddContactPoint(ContactPointId.New(Now), ContactKind.Phone, "(213) 555-0101", ContactSource.SkipTrace, null,
            NewContactPoints.Describe(ContactKind.Phone, "(213) 555-0101", null, Now, PhoneType.Mobile, sourceDetail: "TraceCo", confidence: 80));
        phone.GiveConsent(ConsentKind.Autodialer, Now, "recorded call");
        var account = new Account(AccountId.New(Now), debtor.Id, Currency.USD, Now);
        var entry = Interaction.Record(InteractionId.New(Now), debtor.Id,
            new InteractionDraft([account.Id], InteractionChannel.OutboundCall, Now, phone.Id, PartyReached.Debtor, InteractionOutcome.RightPartyContact,
                DelinquencyReason.Medical, "Hospital stay in October"),
            debtor.ContactPoints, [account.Id], null, "sam", Now).Value;
        var followUp = FollowUp.Schedule(FollowUpId.New(Now), account.Id, debtor.Id, FollowUpKind.Callback, new DateTime(2026, 11, 24, 10, 0, 0),
            "America/Los_Angeles", "sam", null, entry.Id, "sam", Now).Value;

        await using var db = database.CreateContext();
        db.Debtors.Add(debtor);
        db.Accounts.Add(account);
        db.Interactions.Add(entry);
        db.FollowUps.Add(followUp);
        await db.SaveChangesAsync();
        return (database, entry);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ContactPointsAndTheLog_ReadBackAsWritten(DatabaseProvider provider)
    {
        var (database, entry) = await SeedAsync(provider);

        await using var db = database.CreateContext();
        var debtor = await db.Debtors.Include(d => d.ContactPoints).SingleAsync();
        var phone = Assert.Single(debtor.ContactPoints);
        var stored = await db.Interactions.SingleAsync();
        var followUp = await db.FollowUps.Where(f => f.DueAt > Now && f.Owner == "sam").OrderBy(f => f.DueAt).SingleAsync();

        Assert.Equal("es", debtor.Language);
        Assert.Equal("+12135550101", phone.Normalized);
        Assert.Equal(["America/Los_Angeles"], phone.TimeZones);
        Assert.Equal(PhoneType.Mobile, phone.PhoneType);
        Assert.Equal(("TraceCo", 80), (phone.SourceDetail, phone.Confidence));
        Assert.Equal("recorded call", phone.AutodialerConsent!.HowObtained);
        Assert.Equal(entry.AccountIds, stored.AccountIds);
        Assert.Equal((InteractionOutcome.RightPartyContact, DelinquencyReason.Medical), (stored.Outcome, stored.Reason));
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 18, 0, 0, TimeSpan.Zero), followUp.DueAt);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ALogEntry_CannotBeChangedOrDeleted(DatabaseProvider provider)
    {
        var (database, _) = await SeedAsync(provider);

        await using (var db = database.CreateContext())
        {
            var stored = await db.Interactions.SingleAsync();
            db.Entry(stored).Property(i => i.Notes).CurrentValue = "rewritten";
            var changed = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
            Assert.Contains("cannot be changed: record a correction that references it instead", changed.Message, StringComparison.Ordinal);
        }

        await using (var db = database.CreateContext())
        {
            db.Interactions.Remove(await db.Interactions.SingleAsync());
            var deleted = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
            Assert.Contains("cannot be deleted", deleted.Message, StringComparison.Ordinal);
        }

        await using var check = database.CreateContext();
        Assert.Equal("Hospital stay in October", (await check.Interactions.SingleAsync()).Notes);
    }
}
