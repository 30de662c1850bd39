using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Data.Outbox;
using Recoup.Data.Webhooks;
using Recoup.Domain;
using Recoup.Domain.Compliance;
using Recoup.Domain.Debtors;
using Recoup.Domain.Disputes;
using Recoup.Domain.Ledger;
using Recoup.Domain.Plans;
using Recoup.Services.Accounts;
using Recoup.Services.Compliance;
using Recoup.Services.Disputes;
using Recoup.Services.Imports;
using Recoup.Services.Storage;
using Recoup.Services.Webhooks;
using Recoup.Testing;

namespace Recoup.Services.Tests.Disputes;

/// <summary>Disputes hold exactly their amount out of collection and out of the gate, and each resolution posts the right entries — on both providers.</summary>
public sealed class DisputeTests
{
    // 15:00 UTC is 10:00 in New York: a convenient time for a call.
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 15, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Now);
    private readonly DisputeSettings _settings = new();

    private static Money Usd(decimal major) => Money.FromMajor(major, Currency.USD, MidpointRounding.ToEven);

    private sealed record Seeded(RecoupDatabase Database, AccountId Account, ContactPointId Phone);

    private async Task<Seeded> SeedAsync(DatabaseProvider provider, string debtType = "consumer", string kind = "person")
    {
        var database = await TestDatabases.CreateAsync(provider);
        var portfolio = new TestPortfolio()
            .Debtors($"D1,Lee Okafor,{kind},{debtType},lee@example.com,+1 212 555 0147,12 Main St,New York,NY,10001,US,America/New_York")
            .Invoices("INV-1,D1,2026-08-01,2026-08-31,700.00,USD", "INV-2,D1,2026-09-01,2026-09-30,300.00,USD");
        Assert.True((await new ImportPortfolio(database, _clock).RunAsync(portfolio.Folder)).Succeeded);
        await using var db = database.CreateContext();
        db.WebhookSubscriptions.Add(new WebhookSubscription
        {
            Id = Guid.NewGuid(), Url = "https://sales.example.com/hooks", EventTypes = [WebhookEvents.DisputeOpened, WebhookEvents.DisputeResolved], Secret = "s3cret", CreatedAt = Now, CreatedBy = "admin",
        });
        await db.SaveChangesAsync();
        return new Seeded(database, (await db.Accounts.SingleAsync()).Id, (await db.ContactPoints.SingleAsync(c => c.Kind == ContactKind.Phone)).Id);
    }

    private Recoup.Services.Disputes.Disputes Service(RecoupDatabase database) => new(database, _clock, _settings);

    private async Task<GateDecision> CallAsync(Seeded s) =>
        (await new ComplianceCheck(s.Database, _clock, RuleSet.Default).RunAsync(new ComplianceQuestion("D1", s.Account, ContactChannel.Call, s.Phone, Now), "sam")).Value;

    private static async Task<List<LedgerEntry>> EntriesAsync(RecoupDatabase database, EntryKind kind)
    {
        await using var db = database.CreateContext();
        return await db.LedgerEntries.AsNoTracking().Where(e => e.Kind == kind).ToListAsync();
    }

    private static async Task<List<OutboxMessage>> OutboxAsync(RecoupDatabase database)
    {
        await using var db = database.CreateContext();
        return await db.Outbox.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_partial_dispute_holds_exactly_its_amount_and_the_rest_stays_collectible_and_callable(DatabaseProvider provider)
    {
        var s = await SeedAsync(provider);
        var disputes = Service(s.Database);

        // Heard on the phone (not in writing): only the dispute hold applies, not the consumer's written-dispute rule.
        var opened = await disputes.OpenAsync(new OpenDispute(s.Account, DisputeReason.WrongAmount, DisputeSource.Collector, "Billed 300 for 200 units", Invoices: [new DisputedInvoice("INV-2", Usd(100m))]), "sam");
        Assert.True(opened.IsSuccess, opened.Error?.Message);

        var view = (await disputes.ForAccountAsync(s.Account)).Value;
        Assert.Equal((Usd(1000m), Usd(100m), Usd(900m), false), (view.Balance, view.Held, view.Collectible, view.HeldInFull));
        Assert.Equal(DisputeDepartment.Billing, opened.Value.Department);
        Assert.Equal(new DateOnly(2026, 12, 3), opened.Value.DueOn);
        Assert.True((await CallAsync(s)).Allowed);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_dispute_of_the_whole_balance_blocks_collection_calls_until_it_is_rejected(DatabaseProvider provider)
    {
        var s = await SeedAsync(provider, debtType: "commercial", kind: "business");
        var disputes = Service(s.Database);

        var opened = await disputes.OpenAsync(new OpenDispute(s.Account, DisputeReason.GoodsNotReceived, DisputeSource.Collector, "Pallets never arrived"), "sam");
        Assert.Equal(Usd(1000m), opened.Value.Amount);
        var view = (await disputes.ForAccountAsync(s.Account)).Value;
        Assert.Equal((Usd(0m), true), (view.Collectible, view.HeldInFull));

        var blocked = await CallAsync(s);
        Assert.False(blocked.Allowed);
        Assert.Equal(["dispute-hold"], blocked.Reasons.Select(r => r.Rule));
        Assert.Null(blocked.NextAllowedAt);

        var rejected = await disputes.ResolveAsync(opened.Value.Id, new ResolveDispute(DisputeStatus.Rejected, Evidence: "Signed delivery note of 2026-08-03 attached"), "morgan", SettlementRole.Supervisor);
        Assert.True(rejected.IsSuccess, rejected.Error?.Message);
        Assert.True((await CallAsync(s)).Allowed);
        Assert.Empty(await EntriesAsync(s.Database, EntryKind.CreditMemo));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_consumer_s_dispute_in_writing_blocks_until_rejected_with_evidence_sent_and_the_verification_recorded(DatabaseProvider provider)
    {
        var s = await SeedAsync(provider);
        var disputes = Service(s.Database);

        var opened = await disputes.OpenAsync(new OpenDispute(s.Account, DisputeReason.NotMine, DisputeSource.Portal, "I never had this account", Invoices: [new DisputedInvoice("INV-2")]), "portal");
        Assert.True(opened.Value.InWriting);
        var blocked = await CallAsync(s);
        Assert.Equal(["disputed-debt"], blocked.Reasons.Select(r => r.Rule));

        var rejected = await disputes.ResolveAsync(opened.Value.Id,
            new ResolveDispute(DisputeStatus.Rejected, Evidence: "Your signed application of 2026-07-15 and the delivery receipt are enclosed."), "morgan", SettlementRole.Supervisor);

        Assert.Equal(Now, rejected.Value.VerificationSentAt);
        Assert.True((await CallAsync(s)).Allowed);
        var letters = (await OutboxAsync(s.Database)).Where(m => m.Channel != OutboxChannel.Webhook).ToList();
        Assert.Equal(["dispute_acknowledgement", "dispute_resolution"], letters.Select(m => m.Purpose));
        Assert.All(letters, m => Assert.Equal((OutboxChannel.Email, "lee@example.com"), (m.Channel, m.Recipient)));
        Assert.All(letters, m => Assert.NotNull(m.ContactPointId));
        Assert.Contains("signed application of 2026-07-15", letters[1].Body, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Upheld_posts_a_credit_memo_of_the_disputed_amount_on_the_disputed_invoice_and_raises_both_webhook_events(DatabaseProvider provider)
    {
        var s = await SeedAsync(provider);
        var disputes = Service(s.Database);
        var opened = await disputes.OpenAsync(new OpenDispute(s.Account, DisputeReason.DuplicateBilling, DisputeSource.Email, "INV-2 bills the same order as INV-1",
            Invoices: [new DisputedInvoice("INV-2", Usd(40m))]), "sam");

        var upheld = await disputes.ResolveAsync(opened.Value.Id, new ResolveDispute(DisputeStatus.Upheld, DisputeRemedy.CreditMemo, Note: "Duplicate confirmed by billing"), "sam", SettlementRole.Collector);

        Assert.True(upheld.IsSuccess, upheld.Error?.Message);
        var memo = Assert.Single(await EntriesAsync(s.Database, EntryKind.CreditMemo));
        Assert.Equal(Usd(-40m), memo.Amount);
        Assert.Equal(upheld.Value.CreditEntryId, memo.Id);
        var view = (await disputes.ForAccountAsync(s.Account)).Value;
        Assert.Equal((Usd(960m), Usd(0m), Usd(960m)), (view.Balance, view.Held, view.Collectible));
        var hooks = (await OutboxAsync(s.Database)).Where(m => m.Channel == OutboxChannel.Webhook).ToList();
        Assert.Equal([WebhookEvents.DisputeOpened, WebhookEvents.DisputeResolved], hooks.Select(m => m.Purpose));
        Assert.Contains("\"status\":\"upheld\"", hooks[1].Body, StringComparison.Ordinal);
        var timeline = (await new AccountDetails(s.Database).GetAsync(s.Account, new DateOnly(2026, 11, 23))).Value.Timeline.Select(t => t.Text).ToList();
        Assert.Contains("Dispute of 40.00 USD upheld by sam: 40.00 USD credited by credit memo; outcome sent by e-mail (verification recorded)", timeline);
        Assert.Contains(timeline, t => t.StartsWith("Dispute of 40.00 USD opened by sam (duplicate billing, INV-2): routed to billing, due 2026-12-03; collectible 960.00 USD", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.StartsWith("credit memo of -40.00 USD effective 2026-11-23", StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Partially_upheld_credits_part_by_adjustment_and_sends_the_evidence_for_the_rest(DatabaseProvider provider)
    {
        var s = await SeedAsync(provider);
        var disputes = Service(s.Database);
        var opened = await disputes.OpenAsync(new OpenDispute(s.Account, DisputeReason.Pricing, DisputeSource.Letter, "Agreed price was 250", Invoices: [new DisputedInvoice("INV-2")]), "sam");
        Assert.Equal(Usd(300m), opened.Value.Amount);

        var partly = await disputes.ResolveAsync(opened.Value.Id,
            new ResolveDispute(DisputeStatus.PartiallyUpheld, DisputeRemedy.Adjustment, Usd(30m), "Discount applies to 30.00 only", "The quote of 2026-08-20 gives 10 % off, not 50.00."), "sam", SettlementRole.Collector);

        Assert.True(partly.IsSuccess, partly.Error?.Message);
        var adjustment = Assert.Single(await EntriesAsync(s.Database, EntryKind.Adjustment));
        Assert.Equal(Usd(-30m), adjustment.Amount);
        var view = (await disputes.ForAccountAsync(s.Account)).Value;
        Assert.Equal((Usd(970m), Usd(970m)), (view.Balance, view.Collectible));
        var letter = (await OutboxAsync(s.Database)).Single(m => m.Purpose == "dispute_resolution");
        Assert.Contains("we credited 30.00 USD of the 300.00 USD", letter.Body, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Crediting_beyond_the_resolver_s_limit_is_refused_and_nothing_is_posted(DatabaseProvider provider)
    {
        var s = await SeedAsync(provider);
        var disputes = Service(s.Database);
        var opened = await disputes.OpenAsync(new OpenDispute(s.Account, DisputeReason.Quality, DisputeSource.Collector, "Damaged goods", Invoices: [new DisputedInvoice("INV-2")]), "sam");

        var refused = await disputes.ResolveAsync(opened.Value.Id, new ResolveDispute(DisputeStatus.Upheld), "sam", SettlementRole.Collector);

        Assert.Equal("beyond_authority", refused.Error?.Code);
        Assert.Contains("a supervisor must approve it", refused.Error!.Message, StringComparison.Ordinal);
        Assert.Empty(await EntriesAsync(s.Database, EntryKind.CreditMemo));
        Assert.Equal(DisputeStatus.Open, (await disputes.GetAsync(opened.Value.Id)).Value.Status);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task More_than_is_open_cannot_be_disputed_and_a_second_dispute_only_takes_what_is_left(DatabaseProvider provider)
    {
        var s = await SeedAsync(provider);
        var disputes = Service(s.Database);
        Assert.Equal("amount_out_of_range", (await disputes.OpenAsync(new OpenDispute(s.Account, DisputeReason.Other, DisputeSource.Collector, "x", Invoices: [new DisputedInvoice("INV-2", Usd(300.01m))]), "sam")).Error?.Code);

        Assert.True((await disputes.OpenAsync(new OpenDispute(s.Account, DisputeReason.Other, DisputeSource.Collector, "first", Usd(600m)), "sam")).IsSuccess);
        var rest = await disputes.OpenAsync(new OpenDispute(s.Account, DisputeReason.Other, DisputeSource.Collector, "all the rest"), "sam");

        Assert.Equal(Usd(400m), rest.Value.Amount);
        Assert.True((await disputes.ForAccountAsync(s.Account)).Value.HeldInFull);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Supervisors_see_open_disputes_by_age_with_breached_ones_flagged(DatabaseProvider provider)
    {
        var s = await SeedAsync(provider);
        var disputes = Service(s.Database);
        await disputes.OpenAsync(new OpenDispute(s.Account, DisputeReason.AlreadyPaid, DisputeSource.Collector, "Paid by check 1042", Usd(100m), Owner: "billie"), "sam");
        _clock.Advance(TimeSpan.FromDays(12));
        await disputes.OpenAsync(new OpenDispute(s.Account, DisputeReason.NotMine, DisputeSource.Collector, "Not my signature", Usd(100m)), "sam");

        var open = await disputes.ListAsync(null, null, null, breachedOnly: false);
        var breached = await disputes.ListAsync(null, null, null, breachedOnly: true);

        Assert.Equal([(12, true, "billie"), (0, false, (string?)null)], open.Select(d => (d.AgeDays, d.Breached, d.Owner)));
        Assert.Equal(DisputeDepartment.Legal, open[1].Department);
        Assert.Single(breached);
    }
}
