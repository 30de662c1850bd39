using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Data.Ach;
using Recoup.Data.Outbox;
using Recoup.Domain;
using Recoup.Domain.Ledger;
using Recoup.Domain.Plans;
using Recoup.Formats.Nacha;
using Recoup.Services.Ach;
using Recoup.Services.Imports;
using Recoup.Services.Plans;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Services.Tests.Ach;

/// <summary>ACH: authorizations, the day's debit file for due installments, and return files that undo them — on both providers.</summary>
public sealed class AchTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 15, 0, 0, TimeSpan.Zero));

    private async Task<(RecoupDatabase Database, AccountId Account, Guid Plan)> SeedAsync(DatabaseProvider provider, string debtType = "commercial")
    {
        var database = await TestDatabases.CreateAsync(provider);
        var portfolio = new TestPortfolio()
            .Debtors($"A1,Birch Supply LLC,business,{debtType},ap@birch.example,,,,,,,America/Chicago")
            .Invoices("A-INV-1,A1,2026-08-01,2026-08-31,900.00,USD");
        Assert.True((await new ImportPortfolio(database, _clock).RunAsync(portfolio.Folder)).Succeeded);
        await using var db = database.CreateContext();
        var account = (await db.Accounts.SingleAsync()).Id;
        var plan = await new PaymentPlans(database, _clock, new PlanSettings()).CreateAsync(
            new CreatePlan(account, null, Money.FromMajor(90m, Currency.USD, MidpointRounding.ToEven), PlanFrequency.Monthly, new DateOnly(2026, 12, 1), 3, null), "sam", mayApprove: true);
        Assert.True(plan.IsSuccess, plan.Error?.Message);
        return (database, account, plan.Value.Id);
    }

    private Task<Result<AchAuthorizationView>> AuthorizeAsync(RecoupDatabase database, AccountId account, Guid plan, string routing = "011000015") =>
        new AchAuthorizations(database, _clock).CreateAsync(
            new NewAchAuthorization(account, true, plan, null, null, routing, "000123456789", "checking", "Birch Supply LLC", "PPD", "Signed form 2026-11-23, scanned to the file"), "sam");

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task An_authorization_with_a_wrong_check_digit_is_refused_naming_the_field(DatabaseProvider provider)
    {
        var (database, account, plan) = await SeedAsync(provider);

        var refused = await AuthorizeAsync(database, account, plan, routing: "011000016");

        Assert.Equal(("routing_number_invalid", "routing_number"), (refused.Error?.Code, refused.Error?.Field));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_debit_file_collects_the_due_installment_once_posts_it_and_reads_back_with_its_controls(DatabaseProvider provider)
    {
        var (database, account, plan) = await SeedAsync(provider);
        Assert.True((await AuthorizeAsync(database, account, plan)).IsSuccess);
        _clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 6, 0, 0, TimeSpan.Zero));
        var debits = new AchDebits(database, _clock, AchSettings.Default);

        var file = await debits.GenerateAsync(new DateOnly(2026, 12, 1), "system");
        var again = await debits.GenerateAsync(new DateOnly(2026, 12, 1), "system");

        Assert.Equal((1, 9_000L), (file.Entries, file.TotalMinor));
        Assert.Equal(0, again.Entries);
        var parsed = NachaFile.Read(new StringReader(file.Content!), "debits.ach");
        var entry = Assert.Single(parsed.Entries);
        Assert.Equal((27, 9_000L, "011000015"), (entry.TransactionCode, entry.AmountMinor, entry.RoutingNumber));
        await using var db = database.CreateContext();
        var payment = await db.LedgerEntries.AsNoTracking().SingleAsync(e => e.AccountId == account && e.Kind == EntryKind.Payment);
        Assert.Equal($"ach {entry.Trace}", payment.Reference);
        Assert.Equal(OutboxChannel.AchFile, (await db.Outbox.AsNoTracking().SingleAsync()).Channel);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_return_reverses_the_payment_charges_the_fee_marks_the_installment_missed_and_is_applied_once(DatabaseProvider provider)
    {
        var (database, account, plan) = await SeedAsync(provider);
        Assert.True((await AuthorizeAsync(database, account, plan)).IsSuccess);
        _clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 6, 0, 0, TimeSpan.Zero));
        var file = await new AchDebits(database, _clock, AchSettings.Default).GenerateAsync(new DateOnly(2026, 12, 1), "system");
        var trace = NachaFile.Read(new StringReader(file.Content!), "debits.ach").Entries.Single().Trace;
        _clock.SetUtcNow(new DateTimeOffset(2026, 12, 3, 6, 0, 0, TimeSpan.Zero));
        var returns = new AchReturns(database, _clock, AchSettings.Default);
        var content = AchReturnFile.Write((trace, 9_000, "R01"));

        var result = await returns.ImportAsync(content, "returns-1203.ach", "system");
        var twice = await returns.ImportAsync(content, "returns-1203.ach", "system");

        Assert.Equal((1, 1, 1, 0), (result.Reversed, result.FeesCharged, result.Returns, result.AuthorizationsStopped));
        Assert.Empty(result.Unmatched);
        Assert.True(twice.AlreadyImported);
        await using var db = database.CreateContext();
        var entries = await db.LedgerEntries.AsNoTracking().Where(e => e.AccountId == account).ToListAsync();
        Assert.Single(entries, e => e.Kind == EntryKind.Reversal);
        Assert.Equal(2_500, entries.Single(e => e.Kind == EntryKind.Fee).AmountMinor);
        Assert.Equal(92_500, entries.Sum(e => e.AmountMinor));
        var installment = await db.PlanInstallments.AsNoTracking().SingleAsync(i => i.PlanId == plan && i.Number == 1);
        Assert.Equal((InstallmentStatus.Missed, new DateOnly(2026, 12, 3)), (installment.Status, installment.ReturnedOn));
        Assert.Equal(AchAuthorizationStatus.Active, (await db.AchAuthorizations.SingleAsync()).Status);

        // The monitoring keeps it missed although its grace period has not ended.
        await new PlanMonitoring(database, _clock, new PlanSettings(), Domain.Compliance.RuleSet.Default).RunAsync(new DateOnly(2026, 12, 3));
        await using var after = database.CreateContext();
        Assert.Equal(InstallmentStatus.Missed, (await after.PlanInstallments.AsNoTracking().SingleAsync(i => i.PlanId == plan && i.Number == 1)).Status);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task An_account_closed_return_stops_further_debits_and_an_unknown_trace_is_reported_with_its_line(DatabaseProvider provider)
    {
        var (database, account, plan) = await SeedAsync(provider, debtType: "consumer");
        Assert.True((await AuthorizeAsync(database, account, plan)).IsSuccess);
        _clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 6, 0, 0, TimeSpan.Zero));
        var file = await new AchDebits(database, _clock, AchSettings.Default).GenerateAsync(new DateOnly(2026, 12, 1), "system");
        var trace = NachaFile.Read(new StringReader(file.Content!), "debits.ach").Entries.Single().Trace;

        var result = await new AchReturns(database, _clock, AchSettings.Default).ImportAsync(
            AchReturnFile.Write((trace, 9_000, "R02"), ("011000019999999", 1_000, "R01")), "returns.ach", "system");

        Assert.Equal((1, 0, 1), (result.Reversed, result.FeesCharged, result.AuthorizationsStopped));
        var unmatched = Assert.Single(result.Unmatched);
        Assert.Equal(5, unmatched.Line);
        Assert.Contains("011000019999999", unmatched.Reason, StringComparison.Ordinal);
        await using var db = database.CreateContext();
        var authorization = await db.AchAuthorizations.SingleAsync();
        Assert.Equal(AchAuthorizationStatus.Stopped, authorization.Status);
        Assert.StartsWith("ACH return R02", authorization.StatusReason, StringComparison.Ordinal);

        _clock.SetUtcNow(new DateTimeOffset(2027, 1, 1, 6, 0, 0, TimeSpan.Zero));
        Assert.Equal(0, (await new AchDebits(database, _clock, AchSettings.Default).GenerateAsync(new DateOnly(2027, 1, 1), "system")).Entries);
    }
}
