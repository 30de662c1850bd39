using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Recoup.Data.Identity;
using Recoup.Domain;
using Recoup.Domain.Reporting;
using Recoup.Services;
using Recoup.Services.Reporting;
using Recoup.Services.Storage;

namespace Recoup.Web.Api;

/// <summary>
/// The KPIs of one currency over a period, rounded to two places, with every input they were computed
/// from (docs/kpis.md). Rates and CEI are percentages; DSO figures and ADD are days. A KPI whose
/// denominator is zero is null.
/// </summary>
/// <param name="RollRates">Month-over-month roll rates of the period's last month, keyed <c>current_to_1-30</c>; every month is in <c>inputs.roll_rates_by_month</c>.</param>
public sealed record KpisJson(
    string From,
    string To,
    string Currency,
    decimal? Dso,
    decimal? DsoCountback,
    decimal? BestPossibleDso,
    decimal? Add,
    decimal? Cei,
    IReadOnlyDictionary<string, decimal?> RollRates,
    decimal? LiquidationRate,
    decimal? PromiseKeptRate,
    decimal? RightPartyContactRate,
    decimal? CureRate,
    decimal? AverageDaysToPay,
    MoneyJson Collected,
    MoneyJson WrittenOff,
    MoneyJson Recovered,
    KpiInputsJson Inputs)
{
    /// <summary>The API's JSON options, for the CLI to print exactly what the API answers.</summary>
    public static JsonSerializerOptions SerializerOptions { get; } = CreateOptions();

    public static KpisJson Of(KpiReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var currency = report.Request.Currency;
        MoneyJson Amount(long minor) => MoneyJson.From(new Money(minor, currency));
        var inputs = report.Inputs;
        return new KpisJson(
            ApiJson.Date(report.Request.From),
            ApiJson.Date(report.Request.To),
            currency.Code,
            Kpis.Round(report.Dso),
            Kpis.Round(report.DsoCountback),
            Kpis.Round(report.BestPossibleDso),
            Kpis.Round(report.AverageDaysDelinquent),
            Kpis.Round(report.Cei),
            Rates(report.RollRates[^1].Rates),
            Kpis.Round(report.LiquidationRate),
            Kpis.Round(report.PromiseKeptRate),
            Kpis.Round(report.RightPartyContactRate),
            Kpis.Round(report.CureRate),
            Kpis.Round(report.AverageDaysToPay),
            MoneyJson.From(report.Collected),
            MoneyJson.From(report.WrittenOff),
            MoneyJson.From(report.Recovered),
            new KpiInputsJson(
                inputs.Days,
                inputs.Months,
                Amount(inputs.BeginningReceivablesMinor),
                Amount(inputs.EndingReceivablesMinor),
                Amount(inputs.EndingCurrentMinor),
                Amount(inputs.CreditSalesMinor),
                inputs.CountbackMonths.Select(m => new CountbackMonthJson(m.Start.ToString("yyyy-MM", CultureInfo.InvariantCulture), Amount(m.SalesMinor), m.Days)).ToList(),
                inputs.MonthEndAging.Select(a => new AgingPointJson(ApiJson.Date(a.AsOf), inputs.Buckets.Select((b, i) => (b, a.Minor[i])).ToDictionary(x => x.b, x => Amount(x.Item2)))).ToList(),
                report.RollRates.Select(r => new RollMonthJson(ApiJson.Date(r.From), ApiJson.Date(r.To), Rates(r.Rates))).ToList(),
                inputs.PromisesKept,
                inputs.PromisesResolved,
                inputs.RightPartyContacts,
                inputs.OutboundCalls,
                inputs.AccountsPastDueAtStart,
                inputs.AccountsCured,
                Amount(inputs.PaidToInvoicesMinor)));
    }

    private static Dictionary<string, decimal?> Rates(IReadOnlyList<RollRate> rates) =>
        rates.ToDictionary(r => $"{r.From}_to_{r.To}", r => Kpis.Round(r.Percent));

    private static JsonSerializerOptions CreateOptions()
    {
        // The options minimal APIs start from (web defaults, relaxed escaping), configured as the API configures them.
        var options = new JsonSerializerOptions(new Microsoft.AspNetCore.Http.Json.JsonOptions().SerializerOptions);
        ApiJson.Configure(options);
        return options;
    }
}

/// <summary>The figures behind the KPIs.</summary>
/// <param name="Months">N of the CEI: the calendar months the period touches.</param>
/// <param name="CountbackMonths">The months countback DSO walked, the latest first (the latest ends on the period's last day).</param>
/// <param name="Aging">Receivables per bucket the day before the period, at each month end and on the last day.</param>
public sealed record KpiInputsJson(
    int Days,
    int Months,
    MoneyJson BeginningReceivables,
    MoneyJson EndingReceivables,
    MoneyJson EndingCurrentReceivables,
    MoneyJson CreditSales,
    IReadOnlyList<CountbackMonthJson> CountbackMonths,
    IReadOnlyList<AgingPointJson> Aging,
    IReadOnlyList<RollMonthJson> RollRatesByMonth,
    int PromisesKept,
    int PromisesResolved,
    int RightPartyContacts,
    int OutboundCalls,
    int AccountsPastDueAtStart,
    int AccountsCured,
    MoneyJson PaidToInvoices);

public sealed record CountbackMonthJson(string Month, MoneyJson Sales, int Days);

public sealed record AgingPointJson(string AsOf, IReadOnlyDictionary<string, MoneyJson> Buckets);

public sealed record RollMonthJson(string From, string To, IReadOnlyDictionary<string, decimal?> Rates);

/// <summary><c>GET /api/reports/kpis</c>: the receivables KPIs, the same JSON as <c>recoup report kpis --output json</c>.</summary>
public static class ReportEndpoints
{
    /// <summary>Who may read reports: supervisors, managers, administrators and auditors (finance).</summary>
    internal static readonly string[] Readers = [Roles.Supervisor, Roles.Manager, Roles.Admin, Roles.Auditor];

    /// <summary>The tables of a pack by the name <c>?table=</c> gives them in a CSV export.</summary>
    public static readonly IReadOnlyList<string> TableSlugs = ["kpis", "aging", "trend", "payments", "disputes", "targets", "promises", "credit-holds", "cash-flow", "strategies"];

    public static IServiceCollection AddRecoupReports(this IServiceCollection services)
    {
        services.AddScoped(sp => new KpiQuery(sp.GetRequiredService<RecoupDatabase>()));
        services.AddScoped(sp => new ReportPacks(sp.GetRequiredService<RecoupDatabase>(), costs: sp.GetService<Services.Strategies.ContactCosts>()));
        return services;
    }

    public static void MapReports(this IEndpointRouteBuilder api)
    {
        var reports = api.MapGroup("/reports").WithTags("Reports").RequireAuthorization(p => p.RequireRole(Readers));
        reports.MapGet("/kpis", KpisAsync)
            .WithName("GetKpis")
            .WithSummary("DSO (standard and countback), best possible DSO, ADD, CEI, roll rates and collection rates of a period, with their inputs")
            .WithDescription("Computed from the ledger as of the period's last day; formulas in docs/kpis.md. Percentages and days are rounded to two places; null where a denominator is zero.")
            .ProducesValidationProblem();
        reports.MapGet("/packs/{kind}", PackAsync)
            .WithName("GetReportPack")
            .WithSummary("The weekly or monthly pack as of a date, as PDF, XLSX, or one of its tables as CSV")
            .WithDescription("`kind` is weekly or monthly; `format` pdf (default), xlsx or csv; with csv, `table` is kpis, aging, trend, payments, disputes, targets, promises, credit-holds, cash-flow or strategies. The same numbers as the /reports screen.")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .ProducesValidationProblem();
    }

    /// <summary>The pack's file name, content type and bytes, or why not.</summary>
    private static async Task<IResult> PackAsync(
        string kind,
        [FromQuery(Name = "as_of"), Description("The pack's last day (YYYY-MM-DD); default today.")] string? asOf,
        [FromQuery(Name = "format"), Description("pdf, xlsx or csv.")] string? format,
        [FromQuery(Name = "table"), Description("With format=csv: kpis, aging, trend, payments, disputes, targets, promises, credit-holds, cash-flow or strategies.")] string? table,
        [FromQuery(Name = "collector"), Description("Only accounts assigned to this collector.")] string? collector,
        [FromQuery(Name = "debt_type"), Description("Only debtors of this debt type: consumer, commercial or medical.")] string? debtType,
        [FromQuery(Name = "currency"), Description("Only this currency (ISO 4217); default every currency.")] string? currency,
        [FromQuery(Name = "client"), Description("Only debtors placed by this creditor client (its code, e.g. ACME).")] string? client,
        RecoupDatabase database,
        Services.Strategies.ContactCosts costs,
        TimeProvider clock,
        CancellationToken ct)
    {
        var query = new QueryReader();
        var date = query.Date("as_of", asOf, clock.Today());
        var filter = await FilterAsync(query, collector, debtType, currency, client, database, ct);
        PackKind? packKind = kind switch { "weekly" => PackKind.Weekly, "monthly" => PackKind.Monthly, _ => null };
        if (packKind is null)
        {
            query.Add("kind", $"'{kind}' is not a pack: weekly or monthly");
        }

        var fileFormat = format ?? "pdf";
        if (fileFormat is not ("pdf" or "xlsx" or "csv"))
        {
            query.Add("format", $"'{format}' is not one of pdf, xlsx, csv");
        }

        var tableIndex = fileFormat == "csv" ? TableSlugs.ToList().IndexOf(table ?? "") : 0;
        if (tableIndex < 0)
        {
            query.Add("table", $"Name the table to export as CSV: one of {string.Join(", ", TableSlugs)}");
        }

        if (!query.IsValid)
        {
            return query.Problem();
        }

        var pack = await new ReportPacks(database, costs: costs).BuildAsync(packKind!.Value, date, filter!, ct);
        switch (fileFormat)
        {
            case "xlsx":
                var stream = new MemoryStream();
                ReportExports.Xlsx(pack.Tables, stream);
                return TypedResults.File(stream.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", pack.FileName + ".xlsx");
            case "csv":
                return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(ReportExports.Csv(pack.Tables[tableIndex])), "text/csv; charset=utf-8", $"{pack.FileName}-{TableSlugs[tableIndex]}.csv");
            default:
                return TypedResults.File(ReportExports.Pdf(pack), "application/pdf", pack.FileName + ".pdf");
        }
    }

    private static async Task<Results<Ok<KpisJson>, ProblemHttpResult>> KpisAsync(
        [FromQuery(Name = "from"), Description("First day of the period (YYYY-MM-DD); default the first of the current month.")] string? from,
        [FromQuery(Name = "to"), Description("Last day of the period (YYYY-MM-DD); default today.")] string? to,
        [FromQuery(Name = "currency"), Description("ISO 4217 code; default USD.")] string? currency,
        [FromQuery(Name = "collector"), Description("Only accounts assigned to this collector (and calls they made).")] string? collector,
        [FromQuery(Name = "debt_type"), Description("Only debtors of this debt type: consumer, commercial or medical.")] string? debtType,
        [FromQuery(Name = "client"), Description("Only debtors placed by this creditor client (its code, e.g. ACME).")] string? client,
        RecoupDatabase database,
        TimeProvider clock,
        CancellationToken ct)
    {
        var query = new QueryReader();
        var filter = await FilterAsync(query, collector, debtType, null, client, database, ct);
        var today = clock.Today();
        var last = query.Date("to", to, today);
        var first = query.Date("from", from, new DateOnly(last.Year, last.Month, 1));
        if (!Currency.TryFromCode(currency ?? "USD", out var code))
        {
            query.Add("currency", $"'{currency}' is not an ISO 4217 currency code");
        }

        if (!query.IsValid)
        {
            return query.Problem();
        }

        var request = KpiRequest.Create(first, last, code);
        if (request.Error is { } error)
        {
            query.Add(error.Field ?? "from", error.Message);
            return query.Problem();
        }

        return TypedResults.Ok(KpisJson.Of(await new KpiQuery(database, filter).RunAsync(request.Value, ct)));
    }

    /// <summary>The report filter of the query string with its client checked against the database (an unknown client is a 400 naming <c>client</c>), or null with the field at fault added to <paramref name="query"/>.</summary>
    internal static async Task<ReportFilter?> FilterAsync(QueryReader query, string? collector, string? debtType, string? currency, string? client, RecoupDatabase database, CancellationToken ct)
    {
        var parsed = ReportFilter.Parse(collector, debtType, currency, client);
        if (parsed.Error is { } error)
        {
            query.Add(error.Field ?? "filter", error.Message);
            return null;
        }

        if (await parsed.Value!.UnknownClientAsync(database, ct) is { } unknown)
        {
            query.Add(unknown.Field ?? "client", unknown.Message);
            return null;
        }

        return parsed.Value;
    }

    /// <summary>The report filter of the query string, or null with the field at fault added to <paramref name="query"/>.</summary>
    internal static ReportFilter? Filter(QueryReader query, string? collector, string? debtType, string? currency)
    {
        var filter = ReportFilter.Parse(collector, debtType, currency);
        if (filter.Error is { } error)
        {
            query.Add(error.Field ?? "filter", error.Message);
            return null;
        }

        return filter.Value;
    }
}
