using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Data.Plans;
using Recoup.Domain;
using Recoup.Domain.Aging;
using Recoup.Domain.Conversations;
using Recoup.Domain.Ledger;
using Recoup.Domain.Plans;
using Recoup.Domain.Reporting;
using Recoup.Services.Demo;
using Recoup.Services.Imports;
using Recoup.Services.Reporting;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Services.Tests.Reporting;

/// <summary>The KPIs from a real ledger on both providers: a small portfolio worked by hand, and a generated one checked against sums over the raw entries.</summary>
public sealed class KpiQueryTests
{
    private static readonly DateOnly October1 = new(2026, 10, 1);
    private static readonly DateOnly October31 = new(2026, 10, 31);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));

    /// <summary>
    /// Two debtors. K1 owes 1,000.00 billed 2 August, due 1 September, and pays 400.00 of it on 10 October;
    /// K1 is billed 500.00 more on 5 October, due 4 November. K2 owes 200.00 billed 15 August, due 14 September,
    /// and pays it all on 20 October. November brings another invoice and payment that October's figures
    /// must not see.
    /// </summary>
    private async Task<RecoupDatabase> SeedAsync(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var portfolio = new TestPortfolio()
            .Debtors(TestPortfolio.Person("K1", "Kim One"), TestPortfolio.Person("K2", "Kai Two"))
            .Invoices(
                "K-1,K1,2026-08-02,2026-09-01,1000.00,USD",
                "K-2,K1,2026-10-05,2026-11-04,500.00,USD",
                "K-3,K2,2026-08-15,2026-09-14,200.00,USD",
                "K-4,K2,2026-11-02,2026-12-02,900.00,USD")
            .Payments(
                "KP-1,K1,2026-10-10,400.00,USD,K-1",
                "KP-2,K2,2026-10-20,200.00,USD,K-3",
                "KP-3,K1,2026-11-05,100.00,USD,K-1");
        var imported = await new ImportPortfolio(database, _clock).RunAsync(portfolio.Folder);
        Assert.True(imported.Succeeded);
        return database;
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task October_s_KPIs_are_the_hand_worked_figures_and_ignore_November(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);

        var report = await new KpiQuery(database).RunAsync(new KpiRequest(October1, October31, Currency.USD));

        var inputs = report.Inputs;
        // Receivables: 1,200.00 on 30 September (both 1-30 days past due); 1,100.00 on 31 October, 500.00 of it current.
        Assert.Equal((120_000L, 110_000L, 50_000L, 50_000L, 60_000L), (inputs.BeginningReceivablesMinor, inputs.EndingReceivablesMinor, inputs.EndingCurrentMinor, inputs.CreditSalesMinor, inputs.CollectedMinor));
        Assert.Equal((31, 1), (inputs.Days, inputs.Months));
        Assert.Equal(68.2m, Kpis.Round(report.Dso));                       // 1,100 ÷ 500 × 31
        Assert.Equal(31m, Kpis.Round(report.BestPossibleDso));             // 500 ÷ 500 × 31
        Assert.Equal(37.2m, Kpis.Round(report.AverageDaysDelinquent));
        Assert.Equal(50m, Kpis.Round(report.Cei));                         // (1,200 + 500 − 1,100) ÷ (1,200 + 500 − 500)
        Assert.Equal(76.5m, Kpis.Round(report.DsoCountback));              // October 31 days, September 30 (no sales), 600 ÷ 1,200 of August's 31
        Assert.Equal(35.29m, Kpis.Round(report.LiquidationRate));          // 600 ÷ 1,700
        Assert.Equal(50m, Kpis.Round(report.CureRate));                    // K2 cured, K1 still past due
        Assert.Equal(68m, Kpis.Round(report.AverageDaysToPay));            // (400 × 69 + 200 × 66) ÷ 600
        var roll = Assert.Single(report.RollRates);
        Assert.Equal((new DateOnly(2026, 9, 30), October31), (roll.From, roll.To));
        Assert.Equal(50m, roll.Rates.Single(r => r.From == "1-30").Percent); // 600 of 1,200 moved on to 31-60
        Assert.Null(roll.Rates.Single(r => r.From == "current").Percent);  // nothing was current on 30 September
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Promise_kept_and_right_party_contact_rates_count_what_resolved_and_happened_in_the_period(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);
        await using (var db = database.CreateContext())
        {
            var account = await db.Accounts.FirstAsync();
            db.Promises.AddRange(
                Promise(account, PromiseStatus.Kept, new DateOnly(2026, 10, 5)),
                Promise(account, PromiseStatus.Broken, new DateOnly(2026, 10, 12)),
                Promise(account, PromiseStatus.PartiallyKept, new DateOnly(2026, 10, 31)),
                Promise(account, PromiseStatus.Kept, new DateOnly(2026, 11, 2)),
                Promise(account, PromiseStatus.Pending, null));

            var reached = Call(account, new DateTimeOffset(2026, 10, 3, 15, 0, 0, TimeSpan.Zero), PartyReached.Debtor, InteractionOutcome.PromiseMade);
            var wronglyLogged = Call(account, new DateTimeOffset(2026, 10, 4, 15, 0, 0, TimeSpan.Zero), PartyReached.None, InteractionOutcome.NoAnswer);
            db.Interactions.AddRange(
                reached,
                wronglyLogged,
                Call(account, new DateTimeOffset(2026, 10, 8, 15, 0, 0, TimeSpan.Zero), PartyReached.None, InteractionOutcome.VoicemailLeft),
                Call(account, new DateTimeOffset(2026, 10, 31, 23, 59, 0, TimeSpan.Zero), PartyReached.ThirdParty, InteractionOutcome.WrongParty),
                Call(account, new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), PartyReached.Debtor, InteractionOutcome.RefusedToPay));
            await db.SaveChangesAsync();
            // The no-answer call was in fact answered by the debtor: the correction replaces it.
            db.Interactions.Add(Call(account, wronglyLogged.OccurredAt, PartyReached.Debtor, InteractionOutcome.CallbackRequested, wronglyLogged));
            await db.SaveChangesAsync();
        }

        var report = await new KpiQuery(database).RunAsync(new KpiRequest(October1, October31, Currency.USD));

        Assert.Equal((1, 3), (report.Inputs.PromisesKept, report.Inputs.PromisesResolved));
        Assert.Equal(33.33m, Kpis.Round(report.PromiseKeptRate));
        Assert.Equal((2, 4), (report.Inputs.RightPartyContacts, report.Inputs.OutboundCalls));
        Assert.Equal(50m, report.RightPartyContactRate);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task On_a_generated_portfolio_every_ledger_KPI_equals_the_sums_over_the_raw_entries(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var asOf = new DateOnly(2026, 10, 31);
        var folder = TempFolder.Create("kpi-portfolio");
        PortfolioGenerator.Write(folder, new PortfolioSpec(150, asOf, Seed: 11));
        Assert.True((await new ImportPortfolio(database, _clock).RunAsync(folder)).Succeeded);
        var from = new DateOnly(2026, 7, 1);
        var to = new DateOnly(2026, 9, 30);

        var report = await new KpiQuery(database).RunAsync(new KpiRequest(from, to, Currency.USD));

        // Independently: load the raw tables and sum them in memory.
        await using var db = database.CreateContext();
        var invoices = await db.Invoices.AsNoTracking().Where(i => i.Currency == Currency.USD).ToDictionaryAsync(i => i.Id);
        var allocations = (await db.Allocations.AsNoTracking().Where(a => a.InvoiceId != null).ToListAsync()).Where(a => invoices.ContainsKey(a.InvoiceId!.Value)).ToList();
        var entries = await db.LedgerEntries.AsNoTracking().Where(e => e.Currency == Currency.USD).ToListAsync();

        (long Total, long Current) Receivables(DateOnly asOfDate)
        {
            var open = allocations.Where(a => a.EffectiveDate <= asOfDate).GroupBy(a => a.InvoiceId!.Value)
                .Select(g => (Invoice: invoices[g.Key], Open: g.Sum(a => a.AmountMinor))).Where(x => x.Open > 0).ToList();
            return (open.Sum(x => x.Open), open.Where(x => x.Invoice.DueDate >= asOfDate).Sum(x => x.Open));
        }

        var (beginning, _) = Receivables(from.AddDays(-1));
        var (ending, endingCurrent) = Receivables(to);
        var sales = entries.Where(e => e.Kind == EntryKind.Charge && e.EffectiveDate >= from && e.EffectiveDate <= to).Sum(e => e.AmountMinor);
        var collected = -entries.Where(e => e.Kind == EntryKind.Payment && e.EffectiveDate >= from && e.EffectiveDate <= to).Sum(e => e.AmountMinor);
        Assert.True(sales > 0 && collected > 0 && ending > 0, "the generated portfolio bills and collects in the quarter");

        Assert.Equal((beginning, ending, endingCurrent, sales, collected),
            (report.Inputs.BeginningReceivablesMinor, report.Inputs.EndingReceivablesMinor, report.Inputs.EndingCurrentMinor, report.Inputs.CreditSalesMinor, report.Inputs.CollectedMinor));
        Assert.Equal((decimal)ending / sales * 92, report.Dso);
        Assert.Equal((decimal)endingCurrent / sales * 92, report.BestPossibleDso);
        var monthly = (decimal)sales / 3;
        Assert.Equal((beginning + monthly - ending) / (beginning + monthly - endingCurrent) * 100, report.Cei);

        // Countback from September backwards over calendar months, from the raw charges.
        var left = (decimal)ending;
        var countback = 0m;
        for (var month = new DateOnly(2026, 9, 1); left > 0 && month > to.AddMonths(-KpiQuery.CountbackMonthLimit); month = month.AddMonths(-1))
        {
            var monthSales = entries.Where(e => e.Kind == EntryKind.Charge && e.EffectiveDate >= month && e.EffectiveDate < month.AddMonths(1)).Sum(e => e.AmountMinor);
            var length = month.AddMonths(1).DayNumber - month.DayNumber;
            var part = monthSales == 0 ? 1m : Math.Min(1m, left / monthSales);
            countback += part * length;
            left -= Math.Min(left, monthSales);
        }

        Assert.Equal(Kpis.Round(countback), Kpis.Round(report.DsoCountback));

        // Roll rates over the three month ends of the quarter, bucket by bucket from the raw invoices.
        Assert.Equal([new DateOnly(2026, 6, 30), new DateOnly(2026, 7, 31), new DateOnly(2026, 8, 31), to], report.Inputs.MonthEndAging.Select(a => a.AsOf));
        long[] BucketsAt(DateOnly date)
        {
            var amounts = new long[AgingBuckets.Default.Buckets.Count];
            foreach (var g in allocations.Where(a => a.EffectiveDate <= date).GroupBy(a => a.InvoiceId!.Value))
            {
                var open = g.Sum(a => a.AmountMinor);
                if (open > 0)
                {
                    amounts[AgingBuckets.Default.IndexFor(invoices[g.Key].DueDate, date)] += open;
                }
            }

            return amounts;
        }

        var july = BucketsAt(new DateOnly(2026, 6, 30));
        var august = BucketsAt(new DateOnly(2026, 7, 31));
        Assert.Equal((decimal)august[2] / july[1] * 100, report.RollRates[0].Rates[1].Percent);

        // Into 121+: only invoices that crossed 120 days past due during July (31 days) count.
        var entered = allocations.Where(a => a.EffectiveDate <= new DateOnly(2026, 7, 31)).GroupBy(a => a.InvoiceId!.Value)
            .Select(g => (Days: AgingBuckets.DaysPastDue(invoices[g.Key].DueDate, new DateOnly(2026, 7, 31)), Open: g.Sum(a => a.AmountMinor)))
            .Where(x => x.Open > 0 && x.Days >= 121 && x.Days <= 151).Sum(x => x.Open);
        Assert.Equal((decimal)entered / july[4] * 100, report.RollRates[0].Rates[4].Percent);
        Assert.Equal(august[5], report.Inputs.MonthEndAging[1].Minor[5]);
    }

    private static PromiseRecord Promise(Account account, PromiseStatus status, DateOnly? resolvedOn) => new()
    {
        Id = Guid.NewGuid(),
        AccountId = account.Id,
        DebtorId = account.DebtorId,
        Currency = account.Currency,
        AmountMinor = 10_000,
        PromisedFor = resolvedOn ?? new DateOnly(2026, 12, 1),
        TakenOn = new DateOnly(2026, 9, 20),
        Channel = "phone",
        TakenBy = "sam",
        TakenAt = new DateTimeOffset(2026, 9, 20, 15, 0, 0, TimeSpan.Zero),
        Status = status,
        ResolvedOn = resolvedOn,
    };

    private Interaction Call(Account account, DateTimeOffset at, PartyReached party, InteractionOutcome outcome, Interaction? corrects = null)
    {
        var recorded = Interaction.Record(
            InteractionId.New(_clock.GetUtcNow()), account.DebtorId,
            new InteractionDraft([account.Id], InteractionChannel.OutboundCall, at, null, party, outcome, Corrects: corrects?.Id),
            [], [account.Id], corrects, "sam", _clock.GetUtcNow());
        Assert.True(recorded.IsSuccess, recorded.Error?.Message);
        return recorded.Value;
    }
}
