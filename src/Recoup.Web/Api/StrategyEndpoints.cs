using System.ComponentModel;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Recoup.Data.Identity;
using Recoup.Domain;
using Recoup.Domain.Debtors;
using Recoup.Services;
using Recoup.Services.Reporting;
using Recoup.Services.Strategies;

namespace Recoup.Web.Api;

/// <summary>A saved version of a strategy; <c>definition</c> is the strategy as JSON (docs/strategies.md).</summary>
public sealed record StrategyVersionJson(string DebtType, int Version, bool Live, string Name, DateTimeOffset CreatedAt, string CreatedBy, JsonNode? Definition);

/// <summary>A recorded daily run.</summary>
public sealed record CollectionRunJson(
    Guid Id, DateOnly AsOf, string Status, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, long? DurationMs, string StartedBy, int Accounts,
    IReadOnlyDictionary<string, int> Steps, int BrokenPromises, int MissedInstallments, int BlockedByCompliance, int Deferred, IReadOnlyDictionary<string, int> BySegment, string? Error)
{
    public static CollectionRunJson From(RunRecord r) => new(
        r.Id, r.AsOf, r.Status.ToString().ToLowerInvariant(), r.StartedAt, r.FinishedAt, r.Duration is { } d ? (long)d.TotalMilliseconds : null, r.StartedBy, r.Accounts,
        r.Steps, r.BrokenPromises, r.MissedInstallments, r.BlockedByCompliance, r.Deferred, r.BySegment, r.Error);
}

/// <summary>
/// <c>/api/strategies</c>: read the live strategies and their versions (every signed-in role but the
/// auditor's reads them; collectors too), save a new version (supervisors, managers, admins), the
/// champion/challenger comparison of a segment; <c>/api/collection-runs</c>: the recorded daily runs.
/// </summary>
public static class StrategyEndpoints
{
    internal static readonly string[] Readers = [Roles.Collector, Roles.Supervisor, Roles.Manager, Roles.Admin, Roles.Auditor];
    internal static readonly string[] Editors = [Roles.Supervisor, Roles.Manager, Roles.Admin];

    public static IServiceCollection AddRecoupStrategies(this IServiceCollection services)
    {
        services.AddScoped<StrategyStore>();
        services.AddScoped<SaveStrategy>();
        services.AddScoped<CollectionRuns>();
        services.AddSingleton(provider => ContactCosts.Load(provider.GetService<IConfiguration>()));
        services.AddScoped<ChampionChallengerReport>();
        return services;
    }

    public static void MapStrategies(this IEndpointRouteBuilder api)
    {
        var strategies = api.MapGroup("/strategies").WithTags("Strategies");
        strategies.MapGet("", ListAsync).RequireAuthorization(p => p.RequireRole(Readers))
            .WithSummary("The live strategy of every kind of debt (consumer, commercial, medical).");
        strategies.MapGet("/{debt_type}", GetAsync).RequireAuthorization(p => p.RequireRole(Readers))
            .WithSummary("A kind of debt's strategy: the live version, or ?version=N; ?history=true lists every version, newest first.");
        strategies.MapPut("/{debt_type}", PutAsync).RequireAuthorization(p => p.RequireRole(Editors))
            .WithSummary("Saves the body (a strategy as JSON) as a new version, which becomes live; 400 with errors keyed by where each mistake is (segments[0].arms[1].percent).")
            .ProducesValidationProblem();
        strategies.MapGet("/{debt_type}/comparison", ComparisonAsync).RequireAuthorization(p => p.RequireRole(Editors.Append(Roles.Auditor).ToArray()))
            .WithSummary("Champion/challenger: a segment's arms compared (recovered per account, cure rate, promise rate, contact cost) with significance tests; ?format=csv for a file.")
            .ProducesValidationProblem();

        var runs = api.MapGroup("/collection-runs").WithTags("Strategies").RequireAuthorization(p => p.RequireRole(Readers));
        runs.MapGet("", RunsAsync).WithSummary("The recorded daily runs, newest first: as-of date, start, end, status, counts per step, errors.");
        runs.MapGet("/{id:guid}", RunAsync).WithSummary("One daily run, with the steps it took per segment, arm and step.");
    }

    private static async Task<IResult> ListAsync(StrategyStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.LiveAsync(ct)).Values.OrderBy(s => s.DebtType).Select(s => Json(s, live: true, withDefinition: false)));

    private static async Task<IResult> GetAsync(
        [FromRoute(Name = "debt_type")] string debtType,
        [FromQuery(Name = "version")] int? version,
        [FromQuery(Name = "history")] bool? history,
        StrategyStore store,
        CancellationToken ct)
    {
        if (Parse(debtType) is not { } type)
        {
            return UnknownDebtType(debtType);
        }

        var versions = await store.VersionsAsync(type, ct);
        if (history == true)
        {
            return TypedResults.Ok(versions.Select((v, i) => Json(v, live: i == 0, withDefinition: false)));
        }

        var found = version is { } v ? versions.FirstOrDefault(s => s.Version == v) : versions[0];
        return found is null
            ? ApiProblems.Problem(StatusCodes.Status404NotFound, "Strategy version not found", $"The {Slug(type)} strategy has no version {version}; its versions are 1 to {versions[0].Version}.", "strategy_version_not_found")
            : TypedResults.Ok(Json(found, found.Version == versions[0].Version, withDefinition: true));
    }

    private static async Task<IResult> PutAsync([FromRoute(Name = "debt_type")] string debtType, HttpContext http, SaveStrategy save, CancellationToken ct)
    {
        if (Parse(debtType) is not { } type)
        {
            return UnknownDebtType(debtType);
        }

        if (!http.Request.HasJsonContentType())
        {
            return ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, "Send JSON", "Send the strategy as JSON with 'Content-Type: application/json'.", "unsupported_media_type");
        }

        using var reader = new StreamReader(http.Request.Body);
        var text = await reader.ReadToEndAsync(ct);
        var read = StrategyJson.Read(text);
        if (!read.IsSuccess)
        {
            return Invalid([read.Error! with { Field = read.Error.Field ?? "body" }]);
        }

        var (saved, errors) = await save.RunAsync(type, read.Value, ApiCaller.Actor(http.User), ct);
        return saved is null
            ? Invalid(errors)
            : TypedResults.Created($"/api/strategies/{Slug(type)}?version={saved.Version}", Json(saved, live: true, withDefinition: true));
    }

    private static async Task<IResult> ComparisonAsync(
        [FromRoute(Name = "debt_type")] string debtType,
        [FromQuery(Name = "segment"), Description("The segment's name, e.g. Standard.")] string? segment,
        [FromQuery(Name = "as_of"), Description("Count payments, cures and promises up to this date (YYYY-MM-DD); default today.")] string? asOf,
        [FromQuery(Name = "currency"), Description("ISO 4217 code; default the currency most of the segment's accounts are in.")] string? currency,
        [FromQuery(Name = "format"), Description("json (default) or csv.")] string? format,
        ChampionChallengerReport report,
        StrategyStore store,
        TimeProvider clock,
        CancellationToken ct)
    {
        var query = new QueryReader();
        var date = query.Date("as_of", asOf, clock.Today());
        var type = Parse(debtType);
        if (type is null)
        {
            query.Add("debt_type", $"'{debtType}' is not a kind of debt: consumer, commercial or medical");
        }

        if (string.IsNullOrWhiteSpace(segment))
        {
            query.Add("segment", "Name the segment to compare, e.g. ?segment=Standard");
        }

        Currency? money = null;
        if (!string.IsNullOrWhiteSpace(currency))
        {
            if (Currency.TryFromCode(currency.ToUpperInvariant(), out var code))
            {
                money = code;
            }
            else
            {
                query.Add("currency", $"'{currency}' is not an ISO 4217 currency code");
            }
        }

        if (format is not (null or "json" or "csv"))
        {
            query.Add("format", $"'{format}' is not json or csv");
        }

        if (!query.IsValid)
        {
            return query.Problem();
        }

        var live = (await store.LiveAsync(ct))[type!.Value];
        var order = live.Definition.Segments.FirstOrDefault(s => s.Name == segment)?.Arms.Select(a => a.Name).ToList();
        var result = await report.RunAsync(type.Value, segment!, date, money, order, ct: ct);
        if (format == "csv")
        {
            var name = $"champion-challenger-{Slug(type.Value)}-{Slugify(segment!)}-{date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}.csv";
            return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(ReportExports.Csv(ChampionChallengerTable.Of(result))), "text/csv; charset=utf-8", name);
        }

        return TypedResults.Ok(new
        {
            debt_type = Slug(result.DebtType),
            segment = result.Segment,
            currency = result.Currency?.Code,
            as_of = result.AsOf,
            currencies = result.Currencies.Select(c => c.Code),
            arms = result.Arms.Select(a => new
            {
                arm = a.Arm,
                accounts = a.Accounts,
                recovered = MoneyJson.From(new Money(a.RecoveredMinor, a.Currency)),
                recovered_per_account = MoneyJson.From(new Money((long)Math.Round(a.RecoveredPerAccountMinor, MidpointRounding.AwayFromZero), a.Currency)),
                cured = a.Cured,
                cure_rate = Math.Round(a.CureRate, 4),
                accounts_with_promise = a.AccountsWithPromise,
                promise_rate = Math.Round(a.PromiseRate, 4),
                promises = a.Promises,
                promises_per_account = Math.Round(a.PromisesPerAccount, 4),
                contacts = a.Contacts.ToDictionary(c => DailyRun.ActionName(c.Key), c => c.Value),
                contact_cost = MoneyJson.From(new Money(a.CostMinor, a.Currency)),
            }),
            tests = result.Tests.Select(t => new
            {
                champion = t.Champion,
                challenger = t.Challenger,
                recovered = TestJson(t.Recovered),
                cure_rate = TestJson(t.Cure),
                promise_rate = TestJson(t.Promise),
            }),
        });
    }

    private static async Task<IResult> RunsAsync([FromQuery(Name = "limit")] int? limit, CollectionRuns runs, CancellationToken ct) =>
        TypedResults.Ok((await runs.ListAsync(limit ?? 50, ct: ct)).Select(CollectionRunJson.From));

    private static async Task<IResult> RunAsync(Guid id, CollectionRuns runs, CancellationToken ct)
    {
        if (await runs.GetAsync(id, ct) is not { } run)
        {
            return ApiProblems.NotFound("Run", $"There is no daily run {id}.");
        }

        var steps = await runs.StepsAsync(id, ct);
        return TypedResults.Ok(new { run = CollectionRunJson.From(run), steps_taken = steps.Select(s => new { segment = s.Segment, arm = s.Arm, step = s.StepKey, action = s.Action, outcome = s.Outcome, accounts = s.Accounts }) });
    }

    private static object TestJson(Domain.Strategies.SignificanceTest test) => new
    {
        test = test.Test,
        statistic = double.IsNaN(test.Statistic) ? (double?)null : Math.Round(test.Statistic, 4),
        degrees_of_freedom = test.DegreesOfFreedom is { } df ? Math.Round(df, 2) : (double?)null,
        p_value = test.PValue is { } p ? Math.Round(p, 6) : (double?)null,
        significant = test.Significant,
        sentence = test.Sentence,
    };

    private static StrategyVersionJson Json(StoredStrategy s, bool live, bool withDefinition) =>
        new(Slug(s.DebtType), s.Version, live, s.Definition.Name, s.CreatedAt, s.CreatedBy, withDefinition ? JsonNode.Parse(StrategyJson.Write(s.Definition)) : null);

    internal static DebtType? Parse(string? slug) => Enum.GetValues<DebtType>().Cast<DebtType?>().FirstOrDefault(t => Slug(t!.Value) == slug?.ToLowerInvariant());

    internal static string Slug(DebtType type) => type.ToString().ToLowerInvariant();

    private static string Slugify(string text) => new(text.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());

    private static IResult UnknownDebtType(string debtType) =>
        ApiProblems.Problem(StatusCodes.Status404NotFound, "Strategy not found", $"There is no strategy '{debtType}': strategies are per kind of debt, consumer, commercial or medical.", "strategy_not_found");

    private static IResult Invalid(IReadOnlyList<Error> errors)
    {
        var result = ApiProblems.Invalid(errors.GroupBy(e => e.Field ?? "body").ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));
        result.ProblemDetails.Title = "The strategy was not saved";
        result.ProblemDetails.Extensions["code"] = errors.Any(e => e.Code != "invalid_strategy") && errors.All(e => e.Code == "unknown_template") ? "unknown_template" : "invalid_strategy";
        return result;
    }
}
