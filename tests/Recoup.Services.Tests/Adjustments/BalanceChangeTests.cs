using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Data.Disputes;
using Recoup.Domain;
using Recoup.Domain.Ledger;
using Recoup.Domain.Plans;
using Recoup.Services.Adjustments;
using Recoup.Services.Disputes;
using Recoup.Services.Imports;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Services.Tests.Adjustments;

/// <summary>Adjustments and credit memos within each role's limit are posted; beyond it they wait for a senior enough approver — on both providers.</summary>
public sealed class BalanceChangeTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 15, 0, 0, TimeSpan.Zero));

    private static Money Usd(decimal major) => Money.FromMajor(major, Currency.USD, MidpointRounding.ToEven);

    private async Task<(RecoupDatabase Database, AccountId Account)> SeedAsync(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var portfolio = new TestPortfolio()
            .Debtors("A1,Acme Supply,business,commercial,ap@acme.example,,,,,,,America/Chicago")
            .Invoices("A-1,A1,2026-08-01,2026-08-31,2000.00,USD", "A-2,A1,2026-09-01,2026-09-30,500.00,USD");
        Assert.True((await new ImportPortfolio(database, _clock).RunAsync(portfolio.Folder)).Succeeded);
        await using var db = database.CreateContext();
        return (database, (await db.Accounts.SingleAsync()).Id);
    }

    private static async Task<Money> BalanceAsync(RecoupDatabase database)
    {
        await using var db = database.CreateContext();
        return Usd(await db.LedgerEntries.SumAsync(e => e.AmountMinor) / 100m);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Each_role_posts_up_to_its_limit_and_beyond_it_the_change_waits_for_the_right_approver(DatabaseProvider provider)
    {
        var (database, account) = await SeedAsync(provider);
        var changes = new BalanceChanges(database, _clock, new DisputeSettings());

        var atLimit = await changes.RequestAsync(new RequestBalanceChange(account, BalanceChangeKind.CreditMemo, Usd(50m), "goodwill", "A-2"), "sam", SettlementRole.Collector);
        var overCollector = await changes.RequestAsync(new RequestBalanceChange(account, BalanceChangeKind.CreditMemo, Usd(50.01m), "pricing", "A-2"), "sam", SettlementRole.Collector);
        var overSupervisor = await changes.RequestAsync(new RequestBalanceChange(account, BalanceChangeKind.Adjustment, Usd(-1000.01m), "billing_error", "A-1"), "morgan", SettlementRole.Supervisor);

        Assert.Equal((BalanceChangeStatus.Posted, (string?)null), (atLimit.Value.Status, atLimit.Value.NeedsApprovalBy));
        Assert.Equal((BalanceChangeStatus.PendingApproval, "supervisor"), (overCollector.Value.Status, overCollector.Value.NeedsApprovalBy));
        Assert.Equal((BalanceChangeStatus.PendingApproval, "manager"), (overSupervisor.Value.Status, overSupervisor.Value.NeedsApprovalBy));
        Assert.Equal(Usd(2450m), await BalanceAsync(database));

        Assert.Equal("beyond_authority", (await changes.ApproveAsync(overSupervisor.Value.Id, "riley", SettlementRole.Supervisor)).Error?.Code);
        Assert.Equal("own_request", (await changes.ApproveAsync(overCollector.Value.Id, "sam", SettlementRole.Supervisor)).Error?.Code);
        var approved = await changes.ApproveAsync(overCollector.Value.Id, "morgan", SettlementRole.Supervisor);
        var byManager = await changes.ApproveAsync(overSupervisor.Value.Id, "alex", SettlementRole.Manager);

        Assert.Equal((BalanceChangeStatus.Posted, "morgan"), (approved.Value.Status, approved.Value.DecidedBy));
        Assert.True(byManager.IsSuccess, byManager.Error?.Message);
        Assert.Equal(Usd(2450m - 50.01m - 1000.01m), await BalanceAsync(database));
        await using var db = database.CreateContext();
        Assert.Equal(
            [(EntryKind.CreditMemo, -5000L), (EntryKind.CreditMemo, -5001L), (EntryKind.Adjustment, -100001L)],
            (await db.LedgerEntries.Where(e => e.Kind != EntryKind.Charge).ToListAsync()).OrderBy(e => e.Sequence).Select(e => (e.Kind, e.AmountMinor)));
        Assert.Equal(3, await db.AuditLog.CountAsync(a => a.Action == "credit_memo.posted" || a.Action == "credit_memo.requested" || a.Action == "adjustment.requested"));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_rejected_request_posts_nothing_and_a_debit_adjustment_needs_an_invoice(DatabaseProvider provider)
    {
        var (database, account) = await SeedAsync(provider);
        var changes = new BalanceChanges(database, _clock, new DisputeSettings());

        var pending = await changes.RequestAsync(new RequestBalanceChange(account, BalanceChangeKind.CreditMemo, Usd(400m), "returned_goods", "A-2"), "sam", SettlementRole.Collector);
        var rejected = await changes.RejectAsync(pending.Value.Id, "No return authorisation", "morgan", SettlementRole.Supervisor);
        var noInvoice = await changes.RequestAsync(new RequestBalanceChange(account, BalanceChangeKind.Adjustment, Usd(10m), "billing_error"), "sam", SettlementRole.Collector);
        var unknownReason = await changes.RequestAsync(new RequestBalanceChange(account, BalanceChangeKind.CreditMemo, Usd(10m), "because"), "sam", SettlementRole.Collector);

        Assert.Equal(BalanceChangeStatus.Rejected, rejected.Value.Status);
        Assert.Equal("invoice_required", noInvoice.Error?.Code);
        Assert.Equal(("reason_unknown", "reason"), (unknownReason.Error?.Code, unknownReason.Error?.Field));
        Assert.Equal(Usd(2500m), await BalanceAsync(database));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_reconciliation_explains_the_balance_invoice_by_invoice(DatabaseProvider provider)
    {
        var (database, account) = await SeedAsync(provider);
        var changes = new BalanceChanges(database, _clock, new DisputeSettings());
        await changes.RequestAsync(new RequestBalanceChange(account, BalanceChangeKind.CreditMemo, Usd(20m), "pricing", "A-2", "Price list 2026"), "sam", SettlementRole.Collector);
        await changes.RequestAsync(new RequestBalanceChange(account, BalanceChangeKind.Adjustment, Usd(15m), "billing_error", "A-1", "Freight not billed"), "sam", SettlementRole.Collector);

        var reconciliation = (await new AccountReconciliation(database).ForAccountAsync(account)).Value;

        Assert.True(reconciliation.Reconciles);
        Assert.Equal(Usd(2495m), reconciliation.Balance);
        var a1 = reconciliation.Invoices[0];
        var a2 = reconciliation.Invoices[1];
        Assert.Equal(("A-1", Usd(2000m), Usd(2015m)), (a1.Number, a1.Billed, a1.Open));
        Assert.Equal([("adjustment", Usd(15m), "billing error: Freight not billed")], a1.Lines.Select(l => (l.Kind, l.Amount, l.Description)));
        Assert.Equal([("credit_memo", Usd(-20m), Usd(480m))], a2.Lines.Select(l => (l.Kind, l.Amount, l.After)));
    }
}
