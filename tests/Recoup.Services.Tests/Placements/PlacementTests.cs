using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Data.Webhooks;
using Recoup.Domain;
using Recoup.Domain.Compliance;
using Recoup.Domain.Holds;
using Recoup.Services.Compliance;
using Recoup.Services.Imports;
using Recoup.Services.Placements;
using Recoup.Services.Storage;
using Recoup.Services.Webhooks;
using Recoup.Testing;

namespace Recoup.Services.Tests.Placements;

/// <summary>Placing an account with an attorney stops Recoup's own contacts except what the placement allows, until it is recalled — on both providers.</summary>
public sealed class PlacementTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 15, 0, 0, TimeSpan.Zero));

    private async Task<(RecoupDatabase Database, AccountId Account)> SeedAsync(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var portfolio = new TestPortfolio()
            .Debtors("L1,Dana Whitfield,person,consumer,dana@example.com,+1 312 555 0199,1418 W Belmont Ave,Chicago,IL,60657,US,America/Chicago")
            .Invoices("L-INV-1,L1,2026-03-01,2026-03-31,2500.00,USD");
        Assert.True((await new ImportPortfolio(database, _clock).RunAsync(portfolio.Folder)).Succeeded);
        await using var db = database.CreateContext();
        db.WebhookSubscriptions.Add(new WebhookSubscription
        {
            Id = Guid.NewGuid(), Url = "https://legal.example/hooks", Secret = "s3cret", EventTypes = [WebhookEvents.AccountPlaced], Active = true,
            CreatedAt = _clock.GetUtcNow(), CreatedBy = "test",
        });
        await db.SaveChangesAsync();
        return (database, (await db.Accounts.SingleAsync()).Id);
    }

    private async Task<GateDecision> AskAsync(RecoupDatabase database, AccountId account, ContactChannel channel)
    {
        await using var db = database.CreateContext();
        var kind = ContactChannels.KindFor(channel);
        var point = await db.ContactPoints.FirstAsync(c => c.Kind == kind);
        return (await new ComplianceCheck(database, _clock, RuleSet.Default).RunAsync(new ComplianceQuestion("L1", account, channel, point.Id, _clock.GetUtcNow()), "sam")).Value;
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task APlacedAccount_GetsOnlyTheContactsThePlacementAllows_UntilRecalled(DatabaseProvider provider)
    {
        var (database, account) = await SeedAsync(provider);
        var placements = new AccountPlacements(database, _clock);

        var placed = await placements.PlaceAsync(new PlaceAccount(account, PlacementKind.Attorney, "Lex & Partners LLP", null, 33.3m, "33.3 % contingency; costs advanced",
            [ContactChannel.Email]), "morgan");
        Assert.True(placed.IsSuccess, placed.Error?.Message);
        Assert.Equal(("2500.00", PlacementStatus.Placed), (placed.Value.PlacedBalance.ToDecimalString(), placed.Value.Status));

        var call = await AskAsync(database, account, ContactChannel.Call);
        Assert.False(call.Allowed);
        Assert.Contains("Lex & Partners LLP", Assert.Single(call.Reasons, r => r.Rule == "placed-with-agency").Message);
        Assert.True((await AskAsync(database, account, ContactChannel.Email)).Allowed);
        Assert.Equal("already_placed", (await placements.PlaceAsync(new PlaceAccount(account, PlacementKind.Agency, "Other", null, 20m, null, []), "morgan")).Error?.Code);

        await using (var db = database.CreateContext())
        {
            var webhook = await db.Outbox.AsNoTracking().SingleAsync(m => m.Purpose == WebhookEvents.AccountPlaced);
            var data = System.Text.Json.JsonDocument.Parse(webhook.Body).RootElement.GetProperty("data");
            Assert.Equal(("Lex & Partners LLP", "2500.00"), (data.GetProperty("placed_with").GetString(), data.GetProperty("placed_balance").GetProperty("amount").GetString()));
        }

        var inSuit = await placements.ChangeStatusAsync(placed.Value.Id, PlacementStatus.InSuit, "Filed in Cook County", "morgan");
        Assert.Equal(PlacementStatus.InSuit, inSuit.Value.Status);
        Assert.False((await AskAsync(database, account, ContactChannel.Call)).Allowed);

        var recalled = await placements.ChangeStatusAsync(placed.Value.Id, PlacementStatus.Recalled, "Debtor called us to settle", "morgan");
        Assert.True(recalled.IsSuccess);
        Assert.False(recalled.Value.Active);
        Assert.True((await AskAsync(database, account, ContactChannel.Call)).Allowed);
        Assert.Equal("placement_status_invalid", (await placements.ChangeStatusAsync(placed.Value.Id, PlacementStatus.Judgment, null, "morgan")).Error?.Code);

        await using (var db = database.CreateContext())
        {
            Assert.Equal(["placement.in_suit", "placement.placed", "placement.recalled"],
                (await db.AuditLog.AsNoTracking().Where(a => a.Action.StartsWith("placement.")).Select(a => a.Action).ToListAsync()).Order(StringComparer.Ordinal));
        }
    }
}
