using Recoup.Domain;
using Recoup.Domain.Plans;
using Recoup.Domain.Reporting;
using Recoup.Services.Plans;

namespace Recoup.Services.Reporting;

/// <summary>
/// The pack's sections after the KPIs, aging, payments and disputes: collector performance against
/// targets, promises and plans, credit holds (the shutdown report), the cash-flow forecast, and strategy
/// performance (<c>ReportPacks.Strategies.cs</c>; docs/reports.md). Each is one <see cref="ReportTable"/>, so the screen, CSV, XLSX and PDF show the same numbers.
/// </summary>
public sealed partial class ReportPacks
{
    /// <summary>Weeks of the cash-flow forecast, from the as-of date's week.</summary>
    public const int ForecastWeeks = 13;

    /// <summary>The sections' tables for the period, in the order of <c>ReportEndpoints.TableSlugs</c> after <c>disputes</c>.</summary>
    private async Task<IReadOnlyList<ReportTable>> SectionsAsync(ReportFilter filter, DateOnly from, DateOnly to, IReadOnlyList<Currency> currencies, CancellationToken ct)
    {
        var sql = new ReportSql(database, filter);
        var monthStart = new DateOnly(to.Year, to.Month, 1);
        var horizon = ForecastStart(to).AddDays(7 * ForecastWeeks - 1);

        // Every query on its own connection; the grouped results are small.
        var collected = await ReportTimings.TimeAsync(timings, "Collected by collector", () => sql.CollectedByCollectorAsync(monthStart, to, ct));
        var contacts = await ReportTimings.TimeAsync(timings, "Contacts by collector", () => sql.ContactsByCollectorAsync(monthStart, to, ct));
        var promisesBy = await ReportTimings.TimeAsync(timings, "Promises by collector", () => sql.PromisesByCollectorAsync(monthStart, to, ct));
        var targets = await ReportTimings.TimeAsync(timings, "Collector targets", () => new CollectorTargets(database, TimeProvider.System).ForMonthAsync(monthStart, to, ct));
        var known = await new CollectorTargets(database, TimeProvider.System).CollectorsAsync(ct);
        var promiseGroups = await ReportTimings.TimeAsync(timings, "Promises", () => sql.PromiseGroupsAsync(from, to, ct));
        var plans = await ReportTimings.TimeAsync(timings, "Plans", () => sql.PlansAsync(from, to, ct));
        var installments = await ReportTimings.TimeAsync(timings, "Installments", () => sql.InstallmentsAsync(from, to, ct));
        var holds = await ReportTimings.TimeAsync(timings, "Credit holds", () => sql.CreditHoldsAsync(to, ct));
        var openPromises = await ReportTimings.TimeAsync(timings, "Forecast promises", () => sql.OpenPromisesAsync(to, horizon, ct));
        var promiseRecord = await ReportTimings.TimeAsync(timings, "Forecast promise record", () => sql.PromisesAsync(to.AddDays(-364), to, ct));
        var toCome = await ReportTimings.TimeAsync(timings, "Forecast installments", () => sql.InstallmentsToComeAsync(to, horizon, ct));
        var installmentRecord = await ReportTimings.TimeAsync(timings, "Forecast installment record", () => sql.InstallmentRecordAsync(to, ct));
        var strategies = await StrategyPerformanceAsync(sql, to, ct);

        return
        [
            CollectorPerformance(monthStart, to, filter, targets, known, collected, contacts, promisesBy),
            PromisesAndPlans(from, to, currencies, promiseGroups, plans, installments),
            CreditHolds(to, holds),
            CashFlowForecastTable(to, currencies, openPromises, promiseRecord, toCome, installmentRecord),
            strategies,
        ];
    }

    /// <summary>
    /// Per collector, each target of the month against what the collector did from the month's first day to
    /// <paramref name="to"/>: collected per currency (payments net of reversals on the collector's accounts),
    /// right-party contacts recorded, promises taken, and the kept rate of the promises they took that were
    /// resolved in the month; with the actual as a percentage of the target.
    /// </summary>
    internal static ReportTable CollectorPerformance(
        DateOnly month, DateOnly to, ReportFilter filter, IReadOnlyList<CollectorTarget> targets, IReadOnlyList<string> known,
        List<(string Collector, Currency Currency, long Minor)> collected, Dictionary<string, int> contacts, Dictionary<string, (int Made, int Kept, int Resolved)> promises)
    {
        bool Shown(string collector) => filter.Collector is null || string.Equals(filter.Collector, collector, StringComparison.Ordinal);
        bool InCurrency(Currency currency) => filter.Currency is null || filter.Currency == currency;
        var active = known.Where(k => contacts.ContainsKey(k) || promises.ContainsKey(k));
        var collectors = targets.Select(t => t.Collector).Concat(collected.Select(c => c.Collector)).Concat(active)
            .Where(Shown).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        var rows = new List<IReadOnlyList<object?>>();
        foreach (var collector in collectors)
        {
            var target = targets.FirstOrDefault(t => t.Collector == collector);
            var amounts = collected.Where(c => c.Collector == collector && InCurrency(c.Currency)).ToList();
            var currencies = (target?.Amounts.Select(a => a.Currency) ?? []).Concat(amounts.Select(a => a.Currency)).Where(InCurrency)
                .Distinct().OrderBy(c => c.Code, StringComparer.Ordinal).ToList();
            foreach (var currency in currencies)
            {
                var goal = target?.Amounts.FirstOrDefault(a => a.Currency == currency);
                var actual = new Money(amounts.Where(a => a.Currency == currency).Sum(a => a.Minor), currency);
                rows.Add([collector, "Collected", currency.Code, goal is { } g ? ReportTable.Amount(g) : null, ReportTable.Amount(actual), Kpis.Round(goal is { Minor: > 0 } m ? Kpis.Percent(actual.Minor, m.Minor) : null)]);
            }

            var rpc = contacts.GetValueOrDefault(collector);
            rows.Add([collector, "Right-party contacts", "", target?.Contacts, rpc, Kpis.Round(target is { Contacts: > 0 } ? Kpis.Percent(rpc, target.Contacts) : null)]);
            var (made, kept, resolved) = promises.GetValueOrDefault(collector);
            rows.Add([collector, "Promises taken", "", target?.Promises, made, Kpis.Round(target is { Promises: > 0 } ? Kpis.Percent(made, target.Promises) : null)]);
            var keptRate = Kpis.Round(Kpis.Percent(kept, resolved));
            decimal? keptTarget = target is null ? null : target.KeptRatePercent + 0.00m;
            rows.Add([collector, "Promise-kept rate %", "", keptTarget, keptRate, Kpis.Round(keptRate is { } r && keptTarget is > 0 ? r / keptTarget.Value * 100m : null)]);
        }

        return new ReportTable($"Collector targets {month:yyyy-MM}", ["Collector", "Measure", "Currency", "Target", "Actual", "% of target"], rows);
    }

    /// <summary>
    /// Per currency: promises taken in the period; resolved in it as kept, partly kept, broken or cancelled
    /// (amount promised and amount paid); open at its end; plans active at its end, completed and defaulted
    /// in it; installments due in it and those of them fully paid by its end.
    /// </summary>
    internal static ReportTable PromisesAndPlans(
        DateOnly from, DateOnly to, IReadOnlyList<Currency> currencies, List<ReportSql.PromiseGroup> promises,
        Dictionary<Currency, (int Active, long ActiveMinor, int Completed, int Defaulted)> plans,
        Dictionary<Currency, (int Due, long DueMinor, int Paid, long PaidMinor)> installments)
    {
        var rows = new List<IReadOnlyList<object?>>();
        foreach (var currency in currencies)
        {
            decimal Amount(long minor) => ReportTable.Amount(new Money(minor, currency));
            var mine = promises.Where(p => p.Currency == currency).ToList();
            rows.Add([currency.Code, "Promises taken", mine.Sum(p => p.Made), Amount(mine.Sum(p => p.MadeMinor)), null]);
            foreach (var (status, label) in new[] { (PromiseStatus.Kept, "Promises kept"), (PromiseStatus.PartiallyKept, "Promises partly kept"), (PromiseStatus.Broken, "Promises broken"), (PromiseStatus.Cancelled, "Promises cancelled") })
            {
                var group = mine.Where(p => p.Status == status).ToList();
                rows.Add([currency.Code, label, group.Sum(p => p.Resolved), Amount(group.Sum(p => p.ResolvedMinor)), Amount(group.Sum(p => p.PaidMinor))]);
            }

            rows.Add([currency.Code, "Promises open at end", mine.Sum(p => p.Open), Amount(mine.Sum(p => p.OpenMinor)), null]);
            var plan = plans.GetValueOrDefault(currency);
            rows.Add([currency.Code, "Plans active at end", plan.Active, Amount(plan.ActiveMinor), null]);
            rows.Add([currency.Code, "Plans completed", plan.Completed, null, null]);
            rows.Add([currency.Code, "Plans defaulted", plan.Defaulted, null, null]);
            var due = installments.GetValueOrDefault(currency);
            rows.Add([currency.Code, "Installments due", due.Due, Amount(due.DueMinor), Amount(due.PaidMinor)]);
            rows.Add([currency.Code, "Installments paid in full", due.Paid, Amount(due.PaidMinor), Amount(due.PaidMinor)]);
        }

        return new ReportTable("Promises and plans", ["Currency", "Measure", "Count", "Amount", "Paid"], rows);
    }

    /// <summary>The shutdown report as of the date: each customer on credit hold then, longest first, with what it owed per currency.</summary>
    internal static ReportTable CreditHolds(DateOnly asOf, List<ReportSql.CreditHoldRow> holds) => new(
        $"Credit holds {asOf:yyyy-MM-dd}",
        ["Debtor", "Name", "Reason", "Placed on", "Placed by", "Days on hold", "Currency", "Exposure"],
        holds.OrderBy(h => h.PlacedOn).ThenBy(h => h.Name, StringComparer.Ordinal).ThenBy(h => h.Currency.Code, StringComparer.Ordinal)
            .Select(h => (IReadOnlyList<object?>)[h.DebtorId, h.Name, h.Reason, h.PlacedOn, h.PlacedBy, asOf.DayNumber - h.PlacedOn.DayNumber, h.Currency.Code, ReportTable.Amount(new Money(h.ExposureMinor, h.Currency))])
            .ToList());

    /// <summary>The Monday of the as-of date's week: the forecast's first week.</summary>
    public static DateOnly ForecastStart(DateOnly asOf) => asOf.AddDays(-(((int)asOf.DayOfWeek + 6) % 7));

    /// <summary>
    /// Expected receipts per week from the promises and plan installments open at the end of the date
    /// (<see cref="CashFlow"/>'s method, <see cref="CashFlowForecast"/>): a promise counts for what is still
    /// to come times the keep rate of the promises resolved in the 365 days to the date; an installment for
    /// its amount times its plan's record blended with the installment keep rate of the plans active then.
    /// </summary>
    internal static ReportTable CashFlowForecastTable(
        DateOnly asOf, IReadOnlyList<Currency> currencies, List<(Currency Currency, DateOnly Due, long Minor, int Count)> promises,
        Dictionary<Currency, (int Kept, int Resolved)> promiseRecord, List<ReportSql.InstallmentGroup> installments, Dictionary<Currency, (int Kept, int Judged)> installmentRecord)
    {
        var rows = new List<IReadOnlyList<object?>>();
        var firstMonday = ForecastStart(asOf);
        foreach (var currency in currencies)
        {
            var (kept, resolved) = promiseRecord.GetValueOrDefault(currency);
            var promiseRate = resolved == 0 ? CashFlow.DefaultPromiseKeepRate : (decimal)kept / resolved;
            var (paid, judged) = installmentRecord.GetValueOrDefault(currency);
            var portfolioRate = judged == 0 ? CashFlow.DefaultInstallmentKeepRate : (decimal)paid / judged;
            var receipts = promises.Where(p => p.Currency == currency && p.Minor > 0).Select(p => (p.Due, p.Count, Receipt: new ExpectedReceipt(p.Due, p.Minor, promiseRate, FromPromise: true)))
                .Concat(installments.Where(i => i.Currency == currency && i.Minor > 0)
                    .Select(i => (i.Due, i.Count, Receipt: new ExpectedReceipt(i.Due, i.Minor, CashFlowForecast.Blend(i.PlanKept, i.PlanJudged, portfolioRate), FromPromise: false))))
                .ToList();
            var weeks = CashFlowForecast.ByWeek(receipts.Select(r => r.Receipt), asOf, ForecastWeeks);
            int Week(DateOnly due) => due < asOf ? 0 : (due.DayNumber - firstMonday.DayNumber) / 7;
            for (var w = 0; w < weeks.Count; w++)
            {
                var inWeek = receipts.Where(r => Week(r.Due) == w).ToList();
                rows.Add([
                    currency.Code, weeks[w].WeekStart, inWeek.Where(r => r.Receipt.FromPromise).Sum(r => r.Count), inWeek.Where(r => !r.Receipt.FromPromise).Sum(r => r.Count),
                    ReportTable.Amount(new Money(weeks[w].ScheduledMinor, currency)), ReportTable.Amount(new Money(weeks[w].ExpectedMinor, currency))]);
            }

            rows.Add([currency.Code, "total", receipts.Where(r => r.Receipt.FromPromise && Week(r.Due) < ForecastWeeks).Sum(r => r.Count), receipts.Where(r => !r.Receipt.FromPromise && Week(r.Due) < ForecastWeeks).Sum(r => r.Count),
                ReportTable.Amount(new Money(weeks.Sum(w => w.ScheduledMinor), currency)), ReportTable.Amount(new Money(weeks.Sum(w => w.ExpectedMinor), currency))]);
        }

        return new ReportTable("Cash-flow forecast", ["Currency", "Week from", "Promises", "Installments", "Scheduled", "Expected"], rows);
    }
}
