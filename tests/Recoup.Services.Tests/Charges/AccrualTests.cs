using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Domain;
using Recoup.Domain.Charges;
using Recoup.Domain.Debtors;
using Recoup.Domain.Ledger;
using Recoup.Services.Charges;
using Recoup.Services.Holds;
using Recoup.Services.Imports;
using Recoup.Services.Payments;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Services.Tests.Charges;

/// <summary>Late fees and interest accrued as ledger entries only where the terms allow them, idempotent per date — on both providers.</summary>
public sealed class AccrualTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 15, 0, 0, TimeSpan.Zero));

    private static readonly ChargeTerms BusinessTerms = new()
    {
        LateFee = LateFeeKind.Flat, LateFeeFlatMinor = 25_00, LateFeeGraceDays = 10, Interest = InterestKind.SimpleDaily, InterestRatePercent = 12m,
    };

    private async Task<(RecoupDatabase Database, AccountId Business, AccountId Consumer)> SeedAsync(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var portfolio = new TestPortfolio()
            .Debtors("C1,Northwind Traders,business,commercial,,,,,,,,", "P1,Pat Doe,person,consumer,,,,,,,,")
            .Invoices("C-INV-1,C1,2026-10-01,2026-10-31,1000.00,USD", "P-INV-1,P1,2026-10-01,2026-10-31,400.00,USD");
        Assert.True((await new ImportPortfolio(database, _clock).RunAsync(portfolio.Folder)).Succeeded);
        await using var db = database.CreateContext();
        var accounts = await db.Accounts.Include(a => a.Debtor).ToListAsync();
        return (database, accounts.Single(a => a.Debtor!.ExternalId == "C1").Id, accounts.Single(a => a.Debtor!.ExternalId == "P1").Id);
    }

    private static async Task<List<LedgerEntry>> ChargesAsync(RecoupDatabase database, AccountId account)
    {
        await using var db = database.CreateContext();
        return (await db.LedgerEntries.AsNoTracking().Where(e => e.AccountId == account && (e.Kind == EntryKind.Fee || e.Kind == EntryKind.Interest)).ToListAsync())
            .OrderBy(e => e.Sequence).ToList();
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task FeeAndInterest_AccrueOncePerDate_ShowTheirBasis_AndRoundOnlyOnce(DatabaseProvider provider)
    {
        var (database, business, consumer) = await SeedAsync(provider);
        var book = new ChargeTermsBook(database, _clock);
        Assert.True((await book.SetForDebtTypeAsync(DebtType.Commercial, BusinessTerms, "morgan")).IsSuccess);
        Assert.Equal("Late fee 25.00 USD, once an invoice is more than 10 days past due. Interest 12 % a year, simple, on the open principal.",
            await book.DescribeForAccountAsync(business));
        Assert.StartsWith("No fee or interest terms apply", await book.DescribeForAccountAsync(consumer));
        var accrue = new AccrueFeesAndInterest(database, _clock);

        var first = await accrue.RunAsync(new DateOnly(2026, 11, 20));
        Assert.Equal((1, 1, 1), (first.AccountsChecked, first.FeesPosted, first.InterestPosted));
        var entries = await ChargesAsync(database, business);
        Assert.Equal(["Fee 25.00", "Interest 6.58"], entries.Select(e => $"{e.Kind} {e.Amount.ToDecimalString()}"));
        Assert.Contains("flat 25.00", entries[0].Memo);
        Assert.Equal("Interest 12 % a year, simple, 365-day year, on principal 1000.00 for 20 days (2026-11-01–2026-11-20)", entries[1].Memo);
        Assert.Empty(await ChargesAsync(database, consumer)); // no consumer terms: nothing charged

        var again = await accrue.RunAsync(new DateOnly(2026, 11, 20));
        Assert.Equal((0, 0), (again.FeesPosted, again.InterestPosted));
        Assert.Equal(2, (await ChargesAsync(database, business)).Count);

        // One more day alone would be 0.3288 → 0.33, but 21 days in all are 6.9041 → 6.90: 0.32 is posted.
        await accrue.RunAsync(new DateOnly(2026, 11, 21));
        Assert.Equal("0.32", (await ChargesAsync(database, business))[^1].Amount.ToDecimalString());

        await using var db = database.CreateContext();
        var summary = await db.AccountSummaries.AsNoTracking().SingleAsync(s => s.AccountId == business.Value);
        Assert.Equal(1031_90, summary.BalanceMinor);
        Assert.Equal(2, await db.AuditLog.CountAsync(a => a.Action == "charges.accrued"));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Interest_Stops_OncePrincipalIsPaid(DatabaseProvider provider)
    {
        var (database, business, _) = await SeedAsync(provider);
        await new ChargeTermsBook(database, _clock).SetForDebtTypeAsync(DebtType.Commercial, BusinessTerms with { LateFee = LateFeeKind.None }, "morgan");
        var accrue = new AccrueFeesAndInterest(database, _clock);
        await accrue.RunAsync(new DateOnly(2026, 11, 21));
        var paid = await new PostPayment(database, _clock).RunAsync(new PostPaymentRequest(business, 1006.90m, new DateOnly(2026, 11, 22), "wire", "W-1", null, null), "sam");
        Assert.True(paid.IsSuccess, paid.Error?.Message);

        var later = await accrue.RunAsync(new DateOnly(2026, 12, 31));
        Assert.Equal(0, later.InterestPosted);
        Assert.Equal(["6.90"], (await ChargesAsync(database, business)).Select(e => e.Amount.ToDecimalString()));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AConsumerFee_IsRefused_UnlessTheAgreementOrTheLawAuthorizesIt(DatabaseProvider provider)
    {
        var (database, _, consumer) = await SeedAsync(provider);
        var book = new ChargeTermsBook(database, _clock);
        var fee = new ChargeFee(database, _clock);
        var unauthorized = new ChargeTerms { LateFee = LateFeeKind.Flat, LateFeeFlatMinor = 15_00, LateFeeCapMinor = 20_00 };

        Assert.Equal(ChargePolicy.NotAuthorized, (await book.SetForDebtTypeAsync(DebtType.Consumer, unauthorized, "morgan")).Error?.Code);
        Assert.Equal(ChargePolicy.NotAuthorized, (await book.SetForDebtorAsync("P1", unauthorized, "morgan")).Error?.Code);
        var refused = await fee.RunAsync(new ChargeFeeRequest(consumer, "P-INV-1", new Money(15_00, Currency.USD), "Returned check"), "sam");
        Assert.Equal(ChargePolicy.NotAuthorized, refused.Error?.Code);

        var authorized = unauthorized with { Authority = ChargeAuthority.Agreement, AuthorityReference = "Service agreement § 12 (returned payments)" };
        Assert.True((await book.SetForDebtorAsync("P1", authorized, "morgan")).IsSuccess);
        Assert.Equal("fee_above_cap", (await fee.RunAsync(new ChargeFeeRequest(consumer, "P-INV-1", new Money(25_00, Currency.USD), "Returned check"), "sam")).Error?.Code);
        var charged = await fee.RunAsync(new ChargeFeeRequest(consumer, "P-INV-1", new Money(15_00, Currency.USD), "Returned check"), "sam");
        Assert.True(charged.IsSuccess, charged.Error?.Message);
        Assert.Contains("Service agreement § 12", charged.Value.Memo);
        Assert.Single(await ChargesAsync(database, consumer));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AHeldAccount_IsChargedNoLateFee(DatabaseProvider provider)
    {
        var (database, business, _) = await SeedAsync(provider);
        await new ChargeTermsBook(database, _clock).SetForDebtTypeAsync(DebtType.Commercial, BusinessTerms with { Interest = InterestKind.None }, "morgan");
        var today = DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime);
        await new CollectionHolds(database, _clock).SetAsync(new SetCollectionHold(business, null, "Disputed delivery", today.AddDays(-10), today.AddDays(5)), "sam");

        var held = await new AccrueFeesAndInterest(database, _clock).RunAsync(today);
        Assert.Equal((0, 1), (held.FeesPosted, held.Held));

        _clock.Advance(TimeSpan.FromDays(5));
        var lifted = await new AccrueFeesAndInterest(database, _clock).RunAsync(today.AddDays(5));
        Assert.Equal(1, lifted.FeesPosted);
    }
}
