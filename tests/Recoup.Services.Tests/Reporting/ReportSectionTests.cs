using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Data.Holds;
using Recoup.Data.Plans;
using Recoup.Data.WorkQueues;
using Recoup.Domain;
using Recoup.Domain.Conversations;
using Recoup.Domain.Debtors;
using Recoup.Domain.Ledger;
using Recoup.Domain.Plans;
using Recoup.Domain.Reporting;
using Recoup.Services.Holds;
using Recoup.Services.Imports;
using Recoup.Services.Reporting;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Services.Tests.Reporting;

/// <summary>
/// The pack's sections — collector performance against targets, promises and plans, credit holds, the
/// cash-flow forecast — against figures the test computes itself from the raw rows of a generated
/// portfolio, on both providers; and each as of a past date, unmoved by what happened after it.
/// </summary>
public sealed class ReportSectionTests
{
    private static readonly DateOnly October1 = new(2026, 10, 1);
    private static readonly DateOnly October31 = new(2026, 10, 31);
    private static readonly string[] Users = ["ana", "ben", "sue"];
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 10, 5, 9, 0, 0, TimeSpan.Zero));

    private sealed record Seeded(RecoupDatabase Database, List<Account> Accounts);

    /// <summary>
    /// Six debtors (K2 and C3 commercial), accounts assigned to ana (K1, E1, C3) and ben (K2, K3, U2), payments in
    /// October and November, and random promises, plans with installments, calls and two credit holds.
    /// </summary>
    private async Task<Seeded> SeedAsync(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var portfolio = new TestPortfolio()
            .Debtors(TestPortfolio.Person("K1", "Kim One"), TestPortfolio.Person("K2", "Kai Two"), TestPortfolio.Person("K3", "Kit Three"),
                TestPortfolio.Person("E1", "Eva Euro"), TestPortfolio.Person("C3", "Cy Corp"), TestPortfolio.Person("U2", "Uma Two"))
            .Invoices(
                "K-1,K1,2026-08-02,2026-09-01,1000.00,USD",
                "K-2,K1,2026-10-05,2026-11-04,500.00,USD",
                "K-3,K2,2026-08-15,2026-09-14,200.00,USD",
                "K-4,K3,2026-09-01,2026-10-01,820.00,USD",
                "E-1,E1,2026-09-10,2026-10-10,750.50,EUR",
                "C-1,C3,2026-07-01,2026-07-31,3000.00,USD",
                "U-1,U2,2026-09-20,2026-10-20,640.00,USD")
            .Payments(
                "KP-1,K1,2026-10-10,400.00,USD,K-1",
                "KP-2,K2,2026-10-20,200.00,USD,K-3",
                "KP-3,K1,2026-11-05,100.00,USD,K-1",
                "KP-4,K3,2026-10-02,120.00,USD,K-4",
                "KP-5,K3,2026-10-31,80.00,USD,K-4",
                "CP-1,C3,2026-10-12,1000.00,USD,C-1",
                "UP-1,U2,2026-11-02,40.00,USD,U-1",
                "EP-1,E1,2026-10-15,250.50,EUR,E-1");
        Assert.True((await new ImportPortfolio(database, _clock).RunAsync(portfolio.Folder)).Succeeded);

        await using var db = database.CreateContext();
        await db.Debtors.Where(d => d.ExternalId == "K2" || d.ExternalId == "C3").ExecuteUpdateAsync(s => s.SetProperty(d => d.DebtType, DebtType.Commercial));
        var accounts = await db.Accounts.AsNoTracking().ToListAsync();
        var debtors = await db.Debtors.AsNoTracking().ToDictionaryAsync(d => d.Id, d => d.ExternalId);
        foreach (var account in accounts)
        {
            var ext = debtors[account.DebtorId];
            db.AccountAssignments.Add(new AccountAssignment { AccountId = account.Id.Value, Collector = ext is "K2" or "K3" or "U2" ? "ben" : "ana", AssignedAt = _clock.GetUtcNow(), AssignedBy = "sue" });
        }

        var random = new Random(20261031);
        DateOnly Day(DateOnly from, int span) => from.AddDays(random.Next(span));
        var promiseStatuses = Enum.GetValues<PromiseStatus>();
        for (var i = 0; i < 60; i++)
        {
            var account = accounts[random.Next(accounts.Count)];
            var status = promiseStatuses[random.Next(promiseStatuses.Length)];
            var taken = Day(new DateOnly(2026, 9, 10), 70);
            var amount = random.Next(1, 500) * 100L;
            db.Promises.Add(new PromiseRecord
            {
                Id = Guid.NewGuid(), AccountId = account.Id, DebtorId = account.DebtorId, Currency = account.Currency, AmountMinor = amount,
                PromisedFor = taken.AddDays(random.Next(1, 40)), TakenOn = taken, Channel = "phone", TakenBy = Users[random.Next(Users.Length)],
                TakenAt = new DateTimeOffset(taken.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero), Status = status,
                PaidMinor = status switch { PromiseStatus.Kept => amount, PromiseStatus.PartiallyKept => amount / 2, PromiseStatus.Pending => random.Next(2) * amount / 4, _ => 0 },
                ResolvedOn = status == PromiseStatus.Pending ? null : taken.AddDays(random.Next(1, 45)),
            });
        }

        var planStatuses = new[] { PlanStatus.PendingApproval, PlanStatus.Active, PlanStatus.Completed, PlanStatus.Defaulted, PlanStatus.Cancelled };
        for (var i = 0; i < 16; i++)
        {
            var account = accounts[random.Next(accounts.Count)];
            var start = Day(new DateOnly(2026, 8, 1), 100);
            var status = planStatuses[random.Next(planStatuses.Length)];
            var version = random.Next(1, 3);
            var plan = new PaymentPlanRecord
            {
                Id = Guid.NewGuid(), AccountId = account.Id, DebtorId = account.DebtorId, Currency = account.Currency, TotalMinor = random.Next(10, 200) * 1000L,
                Frequency = PlanFrequency.Monthly, FirstDue = start.AddDays(10), StartOn = start, Status = status,
                StatusSince = status == PlanStatus.Active ? start : start.AddDays(random.Next(5, 110)), ScheduleVersion = version, CreatedBy = "ana", CreatedAt = _clock.GetUtcNow(),
            };
            db.PaymentPlans.Add(plan);
            for (var v = 1; v <= version; v++)
            {
                for (var n = 1; n <= 6; n++)
                {
                    var due = start.AddDays(10 + v).AddMonths(n - 1).AddDays(random.Next(0, 9));
                    var installmentStatuses = new[] { InstallmentStatus.Pending, InstallmentStatus.Kept, InstallmentStatus.Late, InstallmentStatus.Missed };
                    var installmentStatus = installmentStatuses[random.Next(installmentStatuses.Length)];
                    var amount = random.Next(5, 80) * 1000L;
                    db.PlanInstallments.Add(new PlanInstallmentRecord
                    {
                        PlanId = plan.Id, Version = v, Number = n, Due = due, AmountMinor = amount, Status = installmentStatus,
                        PaidMinor = installmentStatus is InstallmentStatus.Kept or InstallmentStatus.Late ? amount : random.Next(2) * amount / 2,
                        CoveredOn = installmentStatus is InstallmentStatus.Kept or InstallmentStatus.Late ? due.AddDays(random.Next(-5, 6)) : null,
                    });
                }
            }
        }

        var outcomes = Enum.GetValues<InteractionOutcome>();
        var parties = Enum.GetValues<PartyReached>();
        Interaction? last = null;
        for (var i = 0; i < 40; i++)
        {
            var account = accounts[random.Next(accounts.Count)];
            var at = new DateTimeOffset(Day(new DateOnly(2026, 9, 25), 60).ToDateTime(new TimeOnly(random.Next(0, 24), random.Next(0, 60))), TimeSpan.Zero);
            var corrects = i % 13 == 12 ? last : null;
            var recorded = Interaction.Record(
                InteractionId.New(at), account.DebtorId,
                new InteractionDraft([account.Id], i % 3 == 0 ? InteractionChannel.InboundCall : InteractionChannel.OutboundCall, corrects?.OccurredAt ?? at, null,
                    parties[random.Next(parties.Length)], outcomes[random.Next(outcomes.Length)], Corrects: corrects?.Id),
                [], [account.Id], corrects, Users[random.Next(Users.Length)], new DateTimeOffset(2026, 12, 31, 0, 0, 0, TimeSpan.Zero));
            if (recorded.IsSuccess)
            {
                db.Interactions.Add(recorded.Value);
                last = recorded.Value;
            }
        }

        var k2 = accounts.First(a => debtors[a.DebtorId] == "K2");
        var c3 = accounts.First(a => debtors[a.DebtorId] == "C3");
        db.CreditHolds.Add(new CreditHoldRecord
        {
            Id = Guid.NewGuid(), DebtorId = k2.DebtorId, Reason = "90 days past due", PlacedOn = new DateOnly(2026, 10, 3), PlacedAt = _clock.GetUtcNow(), PlacedBy = "sue",
            ReleasedOn = new DateOnly(2026, 11, 5), ReleasedAt = _clock.GetUtcNow().AddDays(31), ReleasedBy = "sue", ReleaseReason = "paid",
        });
        db.CreditHolds.Add(new CreditHoldRecord
        {
            Id = Guid.NewGuid(), DebtorId = c3.DebtorId, Reason = "Cheque returned", PlacedOn = new DateOnly(2026, 9, 12), PlacedAt = _clock.GetUtcNow(), PlacedBy = "max",
        });
        db.CreditHolds.Add(new CreditHoldRecord
        {
            Id = Guid.NewGuid(), DebtorId = accounts.First(a => debtors[a.DebtorId] == "K1").DebtorId, Reason = "later", PlacedOn = new DateOnly(2026, 11, 10), PlacedAt = _clock.GetUtcNow(), PlacedBy = "max",
        });
        await db.SaveChangesAsync();

        // October's targets, set on 5 October; raised on 10 November (after the month): the report as of 31 October keeps the first.
        var targets = new CollectorTargets(database, _clock);
        Assert.True((await targets.SetAsync(October1, [
            new CollectorTargetInput("ana", [new Money(200_000, Currency.USD), new Money(20_000, Currency.EUR)], 4, 6, 5000),
            new CollectorTargetInput("ben", [new Money(30_000, Currency.USD)], 3, 5, 7500)], "sue")).IsSuccess);
        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 10, 9, 0, 0, TimeSpan.Zero));
        Assert.True((await targets.SetAsync(October1, [new CollectorTargetInput("ana", [new Money(900_000, Currency.USD)], 40, 60, 9000)], "sue")).IsSuccess);
        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));
        return new Seeded(database, accounts);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Collector_performance_sets_each_target_in_force_then_against_the_actuals_computed_from_raw_rows(DatabaseProvider provider)
    {
        var (database, _) = await SeedAsync(provider);
        var pack = await new ReportPacks(database).BuildAsync(PackKind.Monthly, October31);
        var table = pack.Tables.Single(t => t.Title == "Collector targets 2026-10");

        await using var db = database.CreateContext();
        var assigned = await db.AccountAssignments.AsNoTracking().ToDictionaryAsync(a => a.AccountId, a => a.Collector);
        var entries = await db.LedgerEntries.AsNoTracking().ToListAsync();
        var byId = entries.ToDictionary(e => e.Id);
        var promises = await db.Promises.AsNoTracking().ToListAsync();
        var interactions = await db.Interactions.AsNoTracking().ToListAsync();

        long Collected(string collector, Currency currency) => -entries
            .Where(e => e.EffectiveDate >= October1 && e.EffectiveDate <= October31 && e.Currency == currency && assigned[e.AccountId.Value] == collector)
            .Where(e => e.Kind == EntryKind.Payment || (e.Kind == EntryKind.Reversal && e.ReversesEntryId is { } r && byId[r].Kind == EntryKind.Payment))
            .Sum(e => e.AmountMinor);
        int Contacts(string user) => interactions.Count(i => i.RecordedBy == user && i.OccurredAt >= new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero)
            && i.OccurredAt < new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero) && i.IsRightPartyContact && !interactions.Any(c => c.Corrects == i.Id));
        bool ResolvedInOctober(PromiseRecord p) => p.ResolvedOn >= October1 && p.ResolvedOn <= October31;

        foreach (var (collector, usd, eur, contacts, promiseTarget, kept) in new[] { ("ana", 2000.00m, (decimal?)200.00m, 4, 6, 50.00m), ("ben", 300.00m, null, 3, 5, 75.00m) })
        {
            var collectedUsd = Collected(collector, Currency.USD) / 100m;
            Assert.Equal([usd, collectedUsd, Kpis.Round(collectedUsd / usd * 100)], Row(table, collector, "Collected", "USD")[3..]);
            if (eur is { } euros)
            {
                var collectedEur = Collected(collector, Currency.EUR) / 100m;
                Assert.Equal([euros, collectedEur, Kpis.Round(collectedEur / euros * 100)], Row(table, collector, "Collected", "EUR")[3..]);
            }

            var rpc = Contacts(collector);
            Assert.Equal([contacts, rpc, Kpis.Round((decimal)rpc / contacts * 100)], Row(table, collector, "Right-party contacts", "")[3..]);
            var made = promises.Count(p => p.TakenBy == collector && p.TakenOn >= October1 && p.TakenOn <= October31);
            Assert.Equal([promiseTarget, made, Kpis.Round((decimal)made / promiseTarget * 100)], Row(table, collector, "Promises taken", "")[3..]);
            var resolved = promises.Where(p => p.TakenBy == collector && ResolvedInOctober(p) && p.Status is PromiseStatus.Kept or PromiseStatus.PartiallyKept or PromiseStatus.Broken).ToList();
            decimal? rate = resolved.Count == 0 ? null : Kpis.Round((decimal)resolved.Count(p => p.Status == PromiseStatus.Kept) / resolved.Count * 100);
            Assert.Equal([kept, rate, rate is { } r ? Kpis.Round(r / kept * 100) : null], Row(table, collector, "Promise-kept rate %", "")[3..]);
        }

        Assert.Equal(1400.00m, (decimal)Row(table, "ana", "Collected", "USD")[4]!); // K1 400.00 and C3 1,000.00
        Assert.True(Contacts("ana") + Contacts("ben") > 0);

        // As of 20 November the raised targets are in force for October; ben's are unchanged.
        var later = (await new ReportPacks(database).BuildAsync(PackKind.Monthly, new DateOnly(2026, 11, 20))).Tables.Single(t => t.Title == "Collector targets 2026-11");
        Assert.DoesNotContain(later.Rows, r => r[3] is not null);
        var octoberNow = await new CollectorTargets(database, _clock).ForMonthAsync(October1);
        Assert.Equal([9000.00m], octoberNow.Single(t => t.Collector == "ana").Amounts.Select(ReportTable.Amount));
        Assert.Equal(7500, octoberNow.Single(t => t.Collector == "ben").KeptRateBasisPoints);

        // Filtered to ben: only his rows; filtered to EUR: only ana's euro amount among the amounts.
        var ben = (await new ReportPacks(database).BuildAsync(PackKind.Monthly, October31, new ReportFilter(Collector: "ben"))).Tables.Single(t => t.Title == "Collector targets 2026-10");
        Assert.All(ben.Rows, r => Assert.Equal("ben", r[0]));
        Assert.Equal(Row(table, "ben", "Collected", "USD"), Row(ben, "ben", "Collected", "USD"));
        var euro = (await new ReportPacks(database).BuildAsync(PackKind.Monthly, October31, new ReportFilter(Currency: Currency.EUR))).Tables.Single(t => t.Title == "Collector targets 2026-10");
        Assert.Equal(["EUR"], euro.Rows.Where(r => (string)r[1]! == "Collected").Select(r => (string)r[2]!));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Promises_and_plans_count_and_sum_what_the_raw_rows_say_for_the_period(DatabaseProvider provider)
    {
        var (database, accounts) = await SeedAsync(provider);
        var table = (await new ReportPacks(database).BuildAsync(PackKind.Monthly, October31)).Tables.Single(t => t.Title == "Promises and plans");

        await using var db = database.CreateContext();
        var promises = await db.Promises.AsNoTracking().ToListAsync();
        var plans = await db.PaymentPlans.AsNoTracking().ToListAsync();
        var installments = await db.PlanInstallments.AsNoTracking().ToListAsync();
        foreach (var currency in new[] { Currency.USD, Currency.EUR })
        {
            decimal Major(long minor) => minor / 100m;
            var mine = promises.Where(p => p.Currency == currency).ToList();
            var made = mine.Where(p => p.TakenOn >= October1 && p.TakenOn <= October31).ToList();
            Assert.Equal([made.Count, Major(made.Sum(p => p.AmountMinor)), null], Row(table, currency.Code, "Promises taken")[2..]);
            foreach (var (status, label) in new[] { (PromiseStatus.Kept, "Promises kept"), (PromiseStatus.PartiallyKept, "Promises partly kept"), (PromiseStatus.Broken, "Promises broken"), (PromiseStatus.Cancelled, "Promises cancelled") })
            {
                var resolved = mine.Where(p => p.Status == status && p.ResolvedOn >= October1 && p.ResolvedOn <= October31).ToList();
                Assert.Equal([resolved.Count, Major(resolved.Sum(p => p.AmountMinor)), Major(resolved.Sum(p => p.PaidMinor))], Row(table, currency.Code, label)[2..]);
            }

            var open = mine.Where(p => p.TakenOn <= October31 && (p.ResolvedOn is null || p.ResolvedOn > October31)).ToList();
            Assert.Equal([open.Count, Major(open.Sum(p => p.AmountMinor)), null], Row(table, currency.Code, "Promises open at end")[2..]);

            var inCurrency = plans.Where(p => p.Currency == currency).ToList();
            var active = inCurrency.Where(p => p.StartOn <= October31 && p.Status != PlanStatus.PendingApproval && (p.Status == PlanStatus.Active || p.StatusSince > October31)).ToList();
            Assert.Equal([active.Count, Major(active.Sum(p => p.TotalMinor)), null], Row(table, currency.Code, "Plans active at end")[2..]);
            Assert.Equal(inCurrency.Count(p => p.Status == PlanStatus.Completed && p.StatusSince >= October1 && p.StatusSince <= October31), Row(table, currency.Code, "Plans completed")[2]);
            Assert.Equal(inCurrency.Count(p => p.Status == PlanStatus.Defaulted && p.StatusSince >= October1 && p.StatusSince <= October31), Row(table, currency.Code, "Plans defaulted")[2]);

            var due = installments.Where(i => inCurrency.Any(p => p.Id == i.PlanId && p.ScheduleVersion == i.Version) && i.Due >= October1 && i.Due <= October31).ToList();
            var paid = due.Where(i => i.CoveredOn <= October31).ToList();
            Assert.Equal([due.Count, Major(due.Sum(i => i.AmountMinor)), Major(paid.Sum(i => i.AmountMinor))], Row(table, currency.Code, "Installments due")[2..]);
            Assert.Equal([paid.Count, Major(paid.Sum(i => i.AmountMinor)), Major(paid.Sum(i => i.AmountMinor))], Row(table, currency.Code, "Installments paid in full")[2..]);
        }

        Assert.True(accounts.Count > 0);
        Assert.Contains(table.Rows, r => r[2] is int n && n > 0);

        // Filtered to commercial debtors, the counts are those of their accounts only.
        var commercial = (await new ReportPacks(database).BuildAsync(PackKind.Monthly, October31, new ReportFilter(DebtType: DebtType.Commercial))).Tables.Single(t => t.Title == "Promises and plans");
        var commercialAccounts = (await db.Accounts.AsNoTracking().Join(db.Debtors, a => a.DebtorId, d => d.Id, (a, d) => new { a.Id, d.DebtType }).ToListAsync())
            .Where(x => x.DebtType == DebtType.Commercial).Select(x => x.Id).ToHashSet();
        Assert.Equal(promises.Count(p => commercialAccounts.Contains(p.AccountId) && p.Currency == Currency.USD && p.TakenOn >= October1 && p.TakenOn <= October31), Row(commercial, "USD", "Promises taken")[2]);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Credit_holds_as_of_a_date_list_the_customers_on_hold_then_with_what_they_owed_then(DatabaseProvider provider)
    {
        var (database, _) = await SeedAsync(provider);
        var packs = new ReportPacks(database);
        await using var db = database.CreateContext();
        var entries = await db.LedgerEntries.AsNoTracking().ToListAsync();
        var accountsOf = (await db.Accounts.AsNoTracking().ToListAsync()).ToLookup(a => a.DebtorId);
        var debtors = await db.Debtors.AsNoTracking().ToDictionaryAsync(d => d.ExternalId);
        decimal Owed(string debtor, DateOnly asOf) => entries.Where(e => accountsOf[debtors[debtor].Id].Any(a => a.Id == e.AccountId) && e.EffectiveDate <= asOf).Sum(e => e.AmountMinor) / 100m;

        var october = (await packs.BuildAsync(PackKind.Monthly, October31)).Tables.Single(t => t.Title == "Credit holds 2026-10-31");
        Assert.Equal(["C3", "K2"], october.Rows.Select(r => (string)r[0]!));
        Assert.Equal(["C3", "Cy Corp", "Cheque returned", new DateOnly(2026, 9, 12), "max", 49, "USD", Owed("C3", October31)], october.Rows[0]);
        Assert.Equal(Owed("K2", October31), october.Rows[1][7]);

        // Today (20 November): K2 released, K1 placed; the exposure is the balance the shutdown screen shows.
        var today = new DateOnly(2026, 11, 20);
        var now = (await packs.BuildAsync(PackKind.Weekly, today)).Tables.Single(t => t.Title == "Credit holds 2026-11-20");
        var screen = await new CreditHolds(database, _clock, new CreditHoldSettings(null)).ShutdownReportAsync();
        Assert.Equal(screen.Select(s => s.DebtorId).Order(), now.Rows.Select(r => (string)r[0]!).Order());
        foreach (var hold in screen)
        {
            var row = now.Rows.Single(r => (string)r[0]! == hold.DebtorId);
            Assert.Equal((hold.DaysOnHold, ReportTable.Amount(hold.Exposure.Single())), ((int)row[5]!, (decimal)row[7]!));
        }

        // Filtered to ben's accounts, ana's customer C3 drops out.
        var ben = (await packs.BuildAsync(PackKind.Monthly, October31, new ReportFilter(Collector: "ben"))).Tables.Single(t => t.Title == "Credit holds 2026-10-31");
        Assert.Equal(["K2"], ben.Rows.Select(r => (string)r[0]!));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_cash_flow_forecast_expects_the_open_promises_and_installments_at_their_keep_rates(DatabaseProvider provider)
    {
        var (database, _) = await SeedAsync(provider);
        var table = (await new ReportPacks(database).BuildAsync(PackKind.Monthly, October31)).Tables.Single(t => t.Title == "Cash-flow forecast");

        await using var db = database.CreateContext();
        var promises = await db.Promises.AsNoTracking().Where(p => p.Currency == Currency.USD).ToListAsync();
        var plans = await db.PaymentPlans.AsNoTracking().Where(p => p.Currency == Currency.USD).ToListAsync();
        var installments = await db.PlanInstallments.AsNoTracking().ToListAsync();

        var resolved = promises.Where(p => p.ResolvedOn >= October31.AddDays(-364) && p.ResolvedOn <= October31 && p.Status is PromiseStatus.Kept or PromiseStatus.PartiallyKept or PromiseStatus.Broken).ToList();
        var promiseRate = resolved.Count == 0 ? 0.5m : (decimal)resolved.Count(p => p.Status == PromiseStatus.Kept) / resolved.Count;
        var monday = new DateOnly(2026, 10, 26);
        var horizon = monday.AddDays(7 * ReportPacks.ForecastWeeks - 1);
        var receipts = promises.Where(p => p.TakenOn <= October31 && (p.ResolvedOn is null || p.ResolvedOn > October31) && p.PromisedFor <= horizon)
            .Select(p => new ExpectedReceipt(p.PromisedFor, p.Status == PromiseStatus.Pending ? p.AmountMinor - p.PaidMinor : p.AmountMinor, promiseRate, true))
            .Where(r => r.AmountMinor > 0).ToList();
        var active = plans.Where(p => p.StartOn <= October31 && p.Status != PlanStatus.PendingApproval && (p.Status == PlanStatus.Active || p.StatusSince > October31)).ToList();
        var schedules = active.ToDictionary(p => p.Id, p => installments.Where(i => i.PlanId == p.Id && i.Version == p.ScheduleVersion).ToList());
        var judged = schedules.Values.SelectMany(s => s).Where(i => i.Due < October31 && i.Status != InstallmentStatus.Pending).ToList();
        var portfolio = judged.Count == 0 ? 0.7m : (decimal)judged.Count(i => i.Status != InstallmentStatus.Missed) / judged.Count;
        foreach (var (_, schedule) in schedules)
        {
            var record = schedule.Where(i => i.Due < October31 && i.Status != InstallmentStatus.Pending).ToList();
            var rate = CashFlowForecast.Blend(record.Count(i => i.Status != InstallmentStatus.Missed), record.Count, portfolio);
            receipts.AddRange(schedule.Where(i => i.Due >= October31 && i.Due <= horizon && (i.CoveredOn is null || i.CoveredOn > October31))
                .Select(i => new ExpectedReceipt(i.Due, i.CoveredOn is null ? i.AmountMinor - i.PaidMinor : i.AmountMinor, rate, false)).Where(r => r.AmountMinor > 0));
        }

        var weeks = CashFlowForecast.ByWeek(receipts, October31, ReportPacks.ForecastWeeks);
        var usd = table.Rows.Where(r => (string)r[0]! == "USD" && r[1] is DateOnly).ToList();
        Assert.Equal(weeks.Select(w => w.WeekStart), usd.Select(r => (DateOnly)r[1]!));
        Assert.Equal(weeks.Select(w => w.ScheduledMinor / 100m), usd.Select(r => (decimal)r[4]!));
        Assert.Equal(weeks.Select(w => w.ExpectedMinor / 100m), usd.Select(r => (decimal)r[5]!));
        Assert.Equal(weeks.Select(w => w.Promises + w.Installments), usd.Select(r => (int)r[2]! + (int)r[3]!));
        Assert.True(weeks.Sum(w => w.ScheduledMinor) > 0);
        var total = table.Rows.Single(r => (string)r[0]! == "USD" && r[1] is "total");
        Assert.Equal(weeks.Sum(w => w.ExpectedMinor) / 100m, total[5]);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_sections_numbers_are_in_the_xlsx_read_back_with_MiniExcel_and_in_the_pdf_read_back_with_PdfPig(DatabaseProvider provider)
    {
        var (database, _) = await SeedAsync(provider);
        var pack = await new ReportPacks(database).BuildAsync(PackKind.Monthly, October31);
        Assert.Contains(pack.Tables.Single(t => t.Title == "Collector targets 2026-10").Rows, r => r[3] is decimal and > 0 && r[4] is decimal and > 0);
        Assert.NotEmpty(pack.Tables.Single(t => t.Title == "Credit holds 2026-10-31").Rows);
        ReportPackTests.AssertExportsCarry(pack);
    }

    private static object?[] Row(ReportTable table, string collector, string measure, string currency) =>
        table.Rows.Single(r => (string)r[0]! == collector && (string)r[1]! == measure && (string)r[2]! == currency).ToArray();

    private static object?[] Row(ReportTable table, string currency, string measure) =>
        table.Rows.Single(r => (string)r[0]! == currency && (string)r[1]! == measure).ToArray();
}
