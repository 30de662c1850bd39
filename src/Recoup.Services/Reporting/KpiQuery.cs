using Microsoft.EntityFrameworkCore;
using Recoup.Domain;
using Recoup.Domain.Aging;
using Recoup.Domain.Conversations;
using Recoup.Domain.Ledger;
using Recoup.Domain.Plans;
using Recoup.Domain.Reporting;
using Recoup.Services.Aging;
using Recoup.Services.Storage;

namespace Recoup.Services.Reporting;

/// <summary>The period and currency of a KPI report; both dates are included.</summary>
public sealed record KpiRequest(DateOnly From, DateOnly To, Currency Currency)
{
    /// <summary>Refuses an empty or reversed period and one longer than ten years.</summary>
    public static Result<KpiRequest> Create(DateOnly from, DateOnly to, Currency currency)
    {
        if (to < from)
        {
            return Result<KpiRequest>.Fail("period_reversed", $"The period ends ({to:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd})", "to");
        }

        if (to.DayNumber - from.DayNumber > 3660)
        {
            return Result<KpiRequest>.Fail("period_too_long", "A KPI period can be at most ten years", "from");
        }

        return new KpiRequest(from, to, currency);
    }
}

/// <summary>One month of the countback: its first day, its sales and the days it counts.</summary>
public sealed record CountbackMonth(DateOnly Start, long SalesMinor, int Days);

/// <summary>The aging amounts per bucket at one date.</summary>
/// <param name="EnteredLastMinor">Of the last bucket, what entered it since the aging before (null for the first).</param>
public sealed record BucketAmounts(DateOnly AsOf, IReadOnlyList<long> Minor, long? EnteredLastMinor = null);

/// <summary>Roll rates between two month ends.</summary>
public sealed record RollPeriod(DateOnly From, DateOnly To, IReadOnlyList<RollRate> Rates);

/// <summary>Every figure a KPI was computed from, so a reader can redo the sum (docs/kpis.md).</summary>
public sealed record KpiInputs(
    int Days,
    int Months,
    long BeginningReceivablesMinor,
    long EndingReceivablesMinor,
    long EndingCurrentMinor,
    long CreditSalesMinor,
    long CollectedMinor,
    long WrittenOffMinor,
    long RecoveredMinor,
    IReadOnlyList<CountbackMonth> CountbackMonths,
    IReadOnlyList<string> Buckets,
    IReadOnlyList<BucketAmounts> MonthEndAging,
    int PromisesKept,
    int PromisesResolved,
    int RightPartyContacts,
    int OutboundCalls,
    int AccountsPastDueAtStart,
    int AccountsCured,
    long PaidToInvoicesMinor);

/// <summary>The KPIs of one currency over one period, unrounded, with their inputs.</summary>
public sealed record KpiReport(
    KpiRequest Request,
    decimal? Dso,
    decimal? DsoCountback,
    decimal? BestPossibleDso,
    decimal? AverageDaysDelinquent,
    decimal? Cei,
    IReadOnlyList<RollPeriod> RollRates,
    decimal? LiquidationRate,
    decimal? PromiseKeptRate,
    decimal? RightPartyContactRate,
    decimal? CureRate,
    decimal? AverageDaysToPay,
    KpiInputs Inputs)
{
    public Money WrittenOff => new(Inputs.WrittenOffMinor, Request.Currency);
    public Money Recovered => new(Inputs.RecoveredMinor, Request.Currency);
    public Money Collected => new(Inputs.CollectedMinor, Request.Currency);
}

/// <summary>
/// Computes the receivables KPIs of one currency over a period from the ledger, as of the period's last
/// day: receivables come from the aging query (<see cref="AgingQuery"/>), flows from the ledger entries
/// effective in the period, promise and contact rates from the promises and the conversation log.
/// </summary>
/// <remarks>
/// Every figure is a query over the append-only ledger with effective dates up to the period's end, so
/// a past period gives the numbers the system would have given on its last day (entries later posted
/// with an earlier effective date are the one exception, as in aging). About a dozen set-based queries,
/// however large the portfolio: one aging per month end, one sum of entries per day and kind.
/// </remarks>
public sealed class KpiQuery(RecoupDatabase database)
{
    /// <summary>How far countback DSO looks back.</summary>
    public const int CountbackMonthLimit = 24;

    // One aging query answers every currency at once: kept for the other currencies of a pack.
    private readonly Dictionary<(DateOnly AsOf, string Bounds), AgingReport> _agings = [];

    /// <summary>The aging as of a date (every currency), asked of the database once per date and buckets for this instance.</summary>
    public async Task<AgingReport> AgingAsync(DateOnly asOf, AgingBuckets buckets, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        var key = (asOf, string.Join(',', buckets.Buckets.Select(b => b.Name)));
        if (!_agings.TryGetValue(key, out var report))
        {
            report = await new AgingQuery(database).ByBucketAsync(asOf, buckets, ct);
            _agings[key] = report;
        }

        return report;
    }

    public async Task<KpiReport> RunAsync(KpiRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (from, to, currency) = (request.From, request.To, request.Currency);
        var buckets = AgingBuckets.Default;

        // Aging at the day before the period, at each month end inside it, and at its last day.
        var points = MonthEnds(from.AddDays(-1), to);
        var agings = new List<BucketAmounts>(points.Count);
        var bounds = buckets.Buckets.Where(b => b.FromDays is not null && b.ToDays is not null).Select(b => b.ToDays!.Value).ToList();
        for (var k = 0; k < points.Count; k++)
        {
            if (k == 0)
            {
                agings.Add(Amounts(await AgingAsync(points[k], buckets, ct), currency, buckets.Buckets.Count));
                continue;
            }

            // One more bound splits the last bucket into what entered it since the previous point and what was there already.
            var gap = points[k].DayNumber - points[k - 1].DayNumber;
            var split = AgingBuckets.FromUpperBounds([.. bounds, bounds[^1] + gap]).Value;
            var amounts = Amounts(await AgingAsync(points[k], split, ct), currency, split.Buckets.Count);
            agings.Add(new BucketAmounts(points[k], [.. amounts.Minor.Take(bounds.Count + 1), amounts.Minor[^2] + amounts.Minor[^1]], amounts.Minor[^2]));
        }

        var beginning = agings[0].Minor.Sum();
        var ending = agings[^1].Minor.Sum();
        var endingCurrent = agings[^1].Minor[0];

        var countbackStart = new DateOnly(to.Year, to.Month, 1).AddMonths(-(CountbackMonthLimit - 1));
        var flows = await FlowsAsync(Min(from, countbackStart), to, currency, ct);
        var inPeriod = flows.Where(f => f.Date >= from).ToList();
        var sales = Sum(inPeriod, EntryKind.Charge);
        var collected = -Sum(inPeriod, EntryKind.Payment);
        var writtenOff = -Sum(inPeriod, EntryKind.WriteOff);
        var recovered = Sum(inPeriod, EntryKind.Recovery);

        var months = new List<CountbackMonth>();
        for (var start = new DateOnly(to.Year, to.Month, 1); start >= countbackStart; start = start.AddMonths(-1))
        {
            var end = start == new DateOnly(to.Year, to.Month, 1) ? to : start.AddMonths(1).AddDays(-1);
            months.Add(new CountbackMonth(start, Sum(flows.Where(f => f.Date >= start && f.Date <= end), EntryKind.Charge), end.DayNumber - start.DayNumber + 1));
        }

        var days = to.DayNumber - from.DayNumber + 1;
        var monthCount = (to.Year * 12 + to.Month) - (from.Year * 12 + from.Month) + 1;
        var (kept, resolved) = await PromisesAsync(from, to, currency, ct);
        var (rightParty, calls) = await CallsAsync(from, to, ct);
        var (pastDueAtStart, cured) = await CuresAsync(from.AddDays(-1), to, currency, ct);
        var (daysToPay, paidToInvoices) = await DaysToPayAsync(from, to, currency, ct);

        var inputs = new KpiInputs(
            days, monthCount, beginning, ending, endingCurrent, sales, collected, writtenOff, recovered, months,
            buckets.Buckets.Select(b => b.Name).ToList(), agings, kept, resolved, rightParty, calls, pastDueAtStart, cured, paidToInvoices);

        var dso = Kpis.Dso(ending, sales, days);
        var best = Kpis.BestPossibleDso(endingCurrent, sales, days);
        var names = inputs.Buckets;
        var rolls = agings.Zip(agings.Skip(1), (a, b) => new RollPeriod(a.AsOf, b.AsOf, Kpis.RollRates(names, a.Minor, b.Minor, b.EnteredLastMinor))).ToList();
        return new KpiReport(
            request,
            dso,
            Kpis.CountbackDso(ending, months.Select(m => new MonthSales(m.SalesMinor, m.Days)).ToList()),
            best,
            Kpis.AverageDaysDelinquent(dso, best),
            Kpis.Cei(beginning, sales, monthCount, ending, endingCurrent),
            rolls,
            Kpis.LiquidationRate(collected, beginning, sales),
            Kpis.Percent(kept, resolved),
            Kpis.Percent(rightParty, calls),
            Kpis.Percent(cured, pastDueAtStart),
            daysToPay,
            inputs);
    }

    /// <summary>The day before the period, every month end after it up to the last day, and the last day itself.</summary>
    public static IReadOnlyList<DateOnly> MonthEnds(DateOnly start, DateOnly end)
    {
        var points = new List<DateOnly> { start };
        var monthEnd = new DateOnly(start.Year, start.Month, 1).AddMonths(1).AddDays(-1);
        if (monthEnd == start)
        {
            monthEnd = new DateOnly(start.Year, start.Month, 1).AddMonths(2).AddDays(-1);
        }

        for (; monthEnd < end; monthEnd = new DateOnly(monthEnd.Year, monthEnd.Month, 1).AddMonths(2).AddDays(-1))
        {
            points.Add(monthEnd);
        }

        points.Add(end);
        return points;
    }

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private static BucketAmounts Amounts(AgingReport report, Currency currency, int bucketCount)
    {
        var section = report.Currencies.FirstOrDefault(c => c.Currency == currency);
        return new BucketAmounts(report.AsOf, section is null ? new long[bucketCount] : section.Buckets.Select(b => b.Amount.Minor).ToList());
    }

    /// <summary>One day's entries of one kind; a reversal counts as the kind it reverses, with its (opposite) sign.</summary>
    private sealed record Flow(DateOnly Date, EntryKind Kind, long Minor);

    private static long Sum(IEnumerable<Flow> flows, EntryKind kind) => flows.Where(f => f.Kind == kind).Sum(f => f.Minor);

    private async Task<List<Flow>> FlowsAsync(DateOnly first, DateOnly last, Currency currency, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var rows = await (
            from e in db.LedgerEntries
            where e.Currency == currency && e.EffectiveDate >= first && e.EffectiveDate <= last
            join r in db.LedgerEntries on e.ReversesEntryId equals (LedgerEntryId?)r.Id into reversed
            from r in reversed.DefaultIfEmpty()
            group e.AmountMinor by new { e.EffectiveDate, e.Kind, ReversedKind = (EntryKind?)r.Kind } into g
            select new { g.Key.EffectiveDate, g.Key.Kind, g.Key.ReversedKind, Minor = g.Sum() }).ToListAsync(ct);
        return rows.Select(r => new Flow(r.EffectiveDate, r.Kind == EntryKind.Reversal && r.ReversedKind is { } original ? original : r.Kind, r.Minor)).ToList();
    }

    private async Task<(int Kept, int Resolved)> PromisesAsync(DateOnly from, DateOnly to, Currency currency, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var rows = await db.Promises.AsNoTracking()
            .Where(p => p.Currency == currency && p.ResolvedOn >= from && p.ResolvedOn <= to
                && (p.Status == PromiseStatus.Kept || p.Status == PromiseStatus.PartiallyKept || p.Status == PromiseStatus.Broken))
            .GroupBy(p => p.Status).Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(ct);
        return (rows.Where(r => r.Status == PromiseStatus.Kept).Sum(r => r.Count), rows.Sum(r => r.Count));
    }

    /// <summary>Outbound calls in the period (UTC days) and how many reached the debtor; a corrected entry counts as its correction.</summary>
    private async Task<(int RightParty, int Calls)> CallsAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        await using var db = database.CreateContext();
        var rows = await db.Interactions.AsNoTracking()
            .Where(i => i.Channel == InteractionChannel.OutboundCall && i.OccurredAt >= start && i.OccurredAt < end
                && !db.Interactions.Any(c => c.Corrects == i.Id))
            .GroupBy(i => new { i.Party, i.Outcome }).Select(g => new { g.Key.Party, g.Key.Outcome, Count = g.Count() }).ToListAsync(ct);
        return (rows.Where(r => Interaction.IsRightPartyContactFor(r.Party, r.Outcome)).Sum(r => r.Count), rows.Sum(r => r.Count));
    }

    /// <summary>Accounts with something past due at the start, and how many of them have nothing past due at the end.</summary>
    private async Task<(int PastDue, int Cured)> CuresAsync(DateOnly start, DateOnly end, Currency currency, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        // Two plain grouped scans compared in memory: on a million accounts PostgreSQL planned the
        // IN (grouped subquery) form as a rescan per account and did not finish in ten minutes.
        var atStart = await PastDueAccounts(db, start, currency).ToListAsync(ct);
        var atEnd = (await PastDueAccounts(db, end, currency).ToListAsync(ct)).ToHashSet();
        return (atStart.Count, atStart.Count(id => !atEnd.Contains(id)));
    }

    private static IQueryable<AccountId> PastDueAccounts(Data.RecoupDbContext db, DateOnly asOf, Currency currency) =>
        (from a in db.Allocations
         where a.InvoiceId != null && a.EffectiveDate <= asOf
         join i in db.Invoices on a.InvoiceId equals (InvoiceId?)i.Id
         where i.Currency == currency && i.DueDate < asOf
         group a.AmountMinor by new { i.Id, i.AccountId } into perInvoice
         where perInvoice.Sum() > 0
         select perInvoice.Key.AccountId).Distinct();

    /// <summary>Payments applied to invoices in the period, weighted by amount: the days from each invoice's issue to the payment.</summary>
    private async Task<(decimal? Days, long Paid)> DaysToPayAsync(DateOnly first, DateOnly last, Currency currency, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var rows = await (
            from a in db.Allocations
            where a.InvoiceId != null && a.EffectiveDate >= first && a.EffectiveDate <= last
            join e in db.LedgerEntries on a.EntryId equals e.Id
            join r in db.LedgerEntries on e.ReversesEntryId equals (LedgerEntryId?)r.Id into reversed
            from r in reversed.DefaultIfEmpty()
            where e.Currency == currency && (e.Kind == EntryKind.Payment || (e.Kind == EntryKind.Reversal && r.Kind == EntryKind.Payment))
            join i in db.Invoices on a.InvoiceId equals (InvoiceId?)i.Id
            group a.AmountMinor by new { a.EffectiveDate, i.IssueDate } into g
            select new { g.Key.EffectiveDate, g.Key.IssueDate, Minor = g.Sum() }).ToListAsync(ct);
        var paid = rows.Select(r => (Days: r.EffectiveDate.DayNumber - r.IssueDate.DayNumber, Amount: -r.Minor)).ToList();
        return (Kpis.WeightedAverageDays(paid), paid.Sum(p => p.Amount));
    }
}
