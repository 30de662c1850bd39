using Microsoft.EntityFrameworkCore;
using Recoup.Domain;
using Recoup.Domain.Aging;
using Recoup.Domain.Conversations;
using Recoup.Domain.Ledger;
using Recoup.Domain.Reporting;
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

/// <summary>How long each query of a report took (each on its own connection; on PostgreSQL some run at once).</summary>
public sealed class ReportTimings
{
    private readonly List<(string Stage, TimeSpan Duration)> _stages = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<(string Stage, TimeSpan Duration)> Stages
    {
        get
        {
            lock (_lock)
            {
                return [.. _stages];
            }
        }
    }

    /// <summary>Runs a stage and records how long it took; a null clock just runs it.</summary>
    public static async Task<T> TimeAsync<T>(ReportTimings? timings, string stage, Func<Task<T>> run)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = await run();
        if (timings is not null)
        {
            lock (timings._lock)
            {
                timings._stages.Add((stage, System.Diagnostics.Stopwatch.GetElapsedTime(started)));
            }
        }

        return result;
    }
}

/// <summary>
/// Computes the receivables KPIs over a period from the ledger, as of the period's last day, for the
/// accounts a <see cref="ReportFilter"/> selects: receivables from what is open per invoice at each
/// date (<see cref="ReportSql.OpenByDueDateAsync"/>), flows from the ledger entries effective in the
/// period, promise and contact rates from the promises and the conversation log.
/// </summary>
/// <remarks>
/// Every figure is a query over the append-only ledger with effective dates up to the period's end, so
/// a past period gives the numbers the system would have given on its last day (entries later posted
/// with an earlier effective date are the one exception, as in aging). Six set-based queries however
/// large the portfolio and however many currencies: one pass over the allocations for every aging date
/// at once, one for the cure rate, one sum of entries per day and kind, one of payments to invoices,
/// promises and calls; on PostgreSQL they run at once on separate connections.
/// </remarks>
public sealed class KpiQuery(RecoupDatabase database, ReportFilter? filter = null, ReportTimings? timings = null)
{
    /// <summary>How far countback DSO looks back.</summary>
    public const int CountbackMonthLimit = 24;

    private readonly ReportFilter _filter = filter ?? ReportFilter.None;

    // What is open per currency and due date at each date asked so far: every aging of this instance
    // (any buckets, any currency) is built from these rows.
    private readonly Dictionary<DateOnly, List<OpenByDueDate>> _open = [];

    public ReportFilter Filter => _filter;

    /// <summary>Reads what is open at each of the dates not read yet, in one pass over the allocations.</summary>
    public async Task LoadAgingsAsync(IEnumerable<DateOnly> dates, CancellationToken ct = default)
    {
        var missing = dates.Where(d => !_open.ContainsKey(d)).Distinct().ToList();
        if (missing.Count == 0)
        {
            return;
        }

        var read = await Stage($"Aging at {missing.Count} date(s), one pass over the allocations", () => new ReportSql(database, _filter).OpenByDueDateAsync(missing, ct));
        foreach (var (date, rows) in read)
        {
            _open[date] = rows;
        }
    }

    /// <summary>The aging as of a date (every currency the filter lets through), asked of the database once per date for this instance.</summary>
    public async Task<AgingReport> AgingAsync(DateOnly asOf, AgingBuckets buckets, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        await LoadAgingsAsync([asOf], ct);
        return AgingReport.Build(asOf, _open[asOf], buckets);
    }

    public async Task<KpiReport> RunAsync(KpiRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (await RunAsync(request.From, request.To, [request.Currency], [], ct))[0];
    }

    /// <summary>The KPIs of each currency over the period, from one set of queries; <paramref name="alsoAgeAt"/> are aging dates read in the same pass (a pack's trend).</summary>
    public async Task<IReadOnlyList<KpiReport>> RunAsync(DateOnly from, DateOnly to, IReadOnlyList<Currency> currencies, IEnumerable<DateOnly> alsoAgeAt, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(currencies);
        var buckets = AgingBuckets.Default;
        var points = MonthEnds(from.AddDays(-1), to);
        var countbackStart = new DateOnly(to.Year, to.Month, 1).AddMonths(-(CountbackMonthLimit - 1));
        var sql = new ReportSql(database, _filter);

        var agingsTask = LoadAgingsAsync([.. points, .. alsoAgeAt], ct);
        var flowsTask = Stage("Ledger entries per day and kind", () => sql.FlowsAsync(Min(from, countbackStart), to, ct));
        var curesTask = Stage("Cure rate (past due at start and end, one pass)", () => sql.CuresAsync(from.AddDays(-1), to, ct));
        var paidTask = Stage("Payments applied to invoices", () => sql.PaidToInvoicesAsync(from, to, ct));
        var promisesTask = Stage("Promises resolved", () => sql.PromisesAsync(from, to, ct));
        var callsTask = Stage("Outbound calls", () => CallsAsync(from, to, ct));
        await Task.WhenAll(agingsTask, flowsTask, curesTask, paidTask, promisesTask, callsTask);
        var (flows, cures, paid, promises, (rightParty, calls)) = (flowsTask.Result, curesTask.Result, paidTask.Result, promisesTask.Result, callsTask.Result);

        var reports = new List<KpiReport>(currencies.Count);
        foreach (var currency in currencies)
        {
            var inCurrency = flows.Where(f => f.Currency == currency).ToList();
            var paidInCurrency = paid.Where(p => p.Currency == currency).Select(p => (Days: p.PaidOn.DayNumber - p.IssuedOn.DayNumber, Amount: -p.Minor)).ToList();
            reports.Add(Compute(new KpiRequest(from, to, currency), buckets, points, countbackStart, inCurrency,
                promises.GetValueOrDefault(currency), (rightParty, calls), cures.GetValueOrDefault(currency), paidInCurrency));
        }

        return reports;
    }

    // On PostgreSQL the queries run at once, each on its own connection; SQLite takes them one after another.
    private Task<T> Stage<T>(string name, Func<Task<T>> run) =>
        database.Provider == DatabaseProvider.Postgres
            ? Task.Run(() => ReportTimings.TimeAsync(timings, name, run))
            : RunNow(name, run);

    private readonly SemaphoreSlim _sqliteOneAtATime = new(1, 1);

    private async Task<T> RunNow<T>(string name, Func<Task<T>> run)
    {
        await _sqliteOneAtATime.WaitAsync();
        try
        {
            return await ReportTimings.TimeAsync(timings, name, run);
        }
        finally
        {
            _sqliteOneAtATime.Release();
        }
    }

    private KpiReport Compute(
        KpiRequest request, AgingBuckets buckets, IReadOnlyList<DateOnly> points, DateOnly countbackStart, List<ReportSql.Flow> flows,
        (int Kept, int Resolved) promises, (int RightParty, int Calls) calls, (int PastDue, int Cured) cures, List<(int Days, long Amount)> paid)
    {
        var (from, to, currency) = (request.From, request.To, request.Currency);

        // Aging at the day before the period, at each month end inside it, and at its last day.
        var agings = new List<BucketAmounts>(points.Count);
        var bounds = buckets.Buckets.Where(b => b.FromDays is not null && b.ToDays is not null).Select(b => b.ToDays!.Value).ToList();
        for (var k = 0; k < points.Count; k++)
        {
            if (k == 0)
            {
                agings.Add(Amounts(AgingReport.Build(points[k], _open[points[k]], buckets), currency, buckets.Buckets.Count));
                continue;
            }

            // One more bound splits the last bucket into what entered it since the previous point and what was there already.
            var gap = points[k].DayNumber - points[k - 1].DayNumber;
            var split = AgingBuckets.FromUpperBounds([.. bounds, bounds[^1] + gap]).Value;
            var amounts = Amounts(AgingReport.Build(points[k], _open[points[k]], split), currency, split.Buckets.Count);
            agings.Add(new BucketAmounts(points[k], [.. amounts.Minor.Take(bounds.Count + 1), amounts.Minor[^2] + amounts.Minor[^1]], amounts.Minor[^2]));
        }

        var beginning = agings[0].Minor.Sum();
        var ending = agings[^1].Minor.Sum();
        var endingCurrent = agings[^1].Minor[0];

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
        var inputs = new KpiInputs(
            days, monthCount, beginning, ending, endingCurrent, sales, collected, writtenOff, recovered, months,
            buckets.Buckets.Select(b => b.Name).ToList(), agings, promises.Kept, promises.Resolved, calls.RightParty, calls.Calls, cures.PastDue, cures.Cured,
            paid.Sum(p => p.Amount));

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
            Kpis.Percent(promises.Kept, promises.Resolved),
            Kpis.Percent(calls.RightParty, calls.Calls),
            Kpis.Percent(cures.Cured, cures.PastDue),
            Kpis.WeightedAverageDays(paid),
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

    private static long Sum(IEnumerable<ReportSql.Flow> flows, EntryKind kind) => flows.Where(f => f.Kind == kind).Sum(f => f.Minor);

    /// <summary>Outbound calls in the period (UTC days) and how many reached the debtor; a corrected entry counts as its correction. Filtered by the debtor's debt type and client and by who made the call.</summary>
    private async Task<(int RightParty, int Calls)> CallsAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        await using var db = database.CreateContext();
        var query = db.Interactions.AsNoTracking()
            .Where(i => i.Channel == InteractionChannel.OutboundCall && i.OccurredAt >= start && i.OccurredAt < end
                && !db.Interactions.Any(c => c.Corrects == i.Id));
        if (_filter.DebtType is { } type)
        {
            query = query.Where(i => db.Debtors.Any(d => d.Id == i.DebtorId && d.DebtType == type));
        }

        if (_filter.Collector is { } collector)
        {
            query = query.Where(i => i.RecordedBy == collector);
        }

        if (_filter.Client is { } client)
        {
            query = query.Where(i => db.Debtors.Any(d => d.Id == i.DebtorId && db.Clients.Any(c => c.Id == d.ClientId && c.Code == client)));
        }

        var rows = await query.GroupBy(i => new { i.Party, i.Outcome }).Select(g => new { g.Key.Party, g.Key.Outcome, Count = g.Count() }).ToListAsync(ct);
        return (rows.Where(r => Interaction.IsRightPartyContactFor(r.Party, r.Outcome)).Sum(r => r.Count), rows.Sum(r => r.Count));
    }
}
