using System.ComponentModel;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Recoup.Domain;
using Recoup.Services;
using Recoup.Services.Reporting;
using Recoup.Services.Storage;

namespace Recoup.Web.Api;

/// <summary>A collector's targets for a month. <c>kept_rate</c> is a percentage with up to two decimals (<c>"80.00"</c>).</summary>
public sealed record CollectorTargetJson(string Collector, string Month, IReadOnlyList<MoneyJson> Amounts, int Contacts, int Promises, string KeptRate, string SetBy, DateTimeOffset SetAt)
{
    public static CollectorTargetJson From(CollectorTarget t) => new(
        t.Collector, t.Month.ToString("yyyy-MM", CultureInfo.InvariantCulture), t.Amounts.Select(MoneyJson.From).ToList(), t.Contacts, t.Promises,
        t.KeptRatePercent.ToString("0.00", CultureInfo.InvariantCulture), t.SetBy, t.SetAt);
}

/// <summary>The month's targets in force, one per collector that has any.</summary>
public sealed record CollectorTargetsJson(string Month, IReadOnlyList<CollectorTargetJson> Items);

/// <summary>One collector's targets as sent: amounts are decimal strings in major units per currency; <c>kept_rate</c> a percentage.</summary>
public sealed record CollectorTargetBody(string? Collector, IReadOnlyList<MoneyJson>? Amounts, int? Contacts, int? Promises, string? KeptRate);

/// <summary>The targets to set: each collector named gets a new set for the month; the others keep theirs.</summary>
public sealed record CollectorTargetsBody(IReadOnlyList<CollectorTargetBody>? Targets);

/// <summary><c>GET/PUT /api/collector-targets?month=YYYY-MM</c>: the targets of collector performance (docs/reports.md).</summary>
public static class CollectorTargetEndpoints
{
    private const string Example = "{\"targets\":[{\"collector\":\"ana\",\"amounts\":[{\"amount\":\"25000.00\",\"currency\":\"USD\"}],\"contacts\":120,\"promises\":40,\"kept_rate\":\"75\"}]}";

    public static void MapCollectorTargets(this IEndpointRouteBuilder api)
    {
        var targets = api.MapGroup("/collector-targets").WithTags("Reports");
        targets.MapGet("", GetAsync)
            .RequireAuthorization(p => p.RequireRole(ReportEndpoints.Readers))
            .WithName("GetCollectorTargets")
            .WithSummary("Each collector's targets for a month: amount collected per currency, right-party contacts, promises taken, promise-kept rate")
            .WithDescription("The targets in force now (or at the end of `as_of`), one set per collector; targets are append-only, so a past date gives the targets then.")
            .Produces<CollectorTargetsJson>()
            .ProducesValidationProblem();
        targets.MapPut("", PutAsync)
            .RequireAuthorization(Policies.ManageWorkQueues)
            .WithName("SetCollectorTargets")
            .WithSummary("Set collectors' targets for a month (supervisor, manager or admin)")
            .WithDescription("Each collector named gets a new set of targets for the month (amounts per currency, contacts, promises, kept rate); the others keep theirs. Every change is audited.")
            .Accepts<CollectorTargetsBody>("application/json")
            .Produces<CollectorTargetsJson>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
    }

    private static async Task<IResult> GetAsync(
        [FromQuery(Name = "month"), Description("The month (YYYY-MM); default the current month.")] string? month,
        [FromQuery(Name = "as_of"), Description("The targets in force at the end of this day (YYYY-MM-DD); default now.")] string? asOf,
        RecoupDatabase database,
        TimeProvider clock,
        CancellationToken ct)
    {
        var query = new QueryReader();
        var first = Month(query, month, clock);
        DateOnly? date = asOf is null ? null : query.Date("as_of", asOf, clock.Today());
        if (!query.IsValid)
        {
            return query.Problem();
        }

        var targets = await new CollectorTargets(database, clock).ForMonthAsync(first, date, ct);
        return TypedResults.Ok(new CollectorTargetsJson(first.ToString("yyyy-MM", CultureInfo.InvariantCulture), targets.Select(CollectorTargetJson.From).ToList()));
    }

    private static async Task<IResult> PutAsync(
        [FromQuery(Name = "month"), Description("The month (YYYY-MM); default the current month.")] string? month,
        HttpContext http,
        RecoupDatabase database,
        TimeProvider clock,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        CancellationToken ct)
    {
        var query = new QueryReader();
        var first = Month(query, month, clock);
        if (!query.IsValid)
        {
            return query.Problem();
        }

        var (body, problem) = await JsonBody.ReadAsync<CollectorTargetsBody>(http, json.Value.SerializerOptions, Example, ct, "targets");
        if (problem is not null)
        {
            return problem;
        }

        var inputs = new List<CollectorTargetInput>();
        var errors = new List<Error>();
        foreach (var (target, i) in (body!.Targets ?? []).Select((t, i) => (t, i)))
        {
            var amounts = new List<Money>();
            foreach (var (amount, k) in (target.Amounts ?? []).Select((a, k) => (a, k)))
            {
                if (!Currency.TryFromCode(amount.Currency?.Trim().ToUpperInvariant(), out var currency))
                {
                    errors.Add(new Error("currency_invalid", $"'{amount.Currency}' is not an ISO 4217 currency code", $"targets[{i}].amounts[{k}].currency"));
                    continue;
                }

                if (Money.TryParse(amount.Amount?.Trim() ?? "", currency, out var money) is { } bad)
                {
                    errors.Add(new Error("amount_invalid", $"'{amount.Amount}': {bad}", $"targets[{i}].amounts[{k}].amount"));
                    continue;
                }

                amounts.Add(money);
            }

            var basisPoints = 0;
            if (target.KeptRate is { } text && !string.IsNullOrWhiteSpace(text))
            {
                if (decimal.TryParse(text.Trim().TrimEnd('%'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate) && rate * 100 == decimal.Truncate(rate * 100))
                {
                    basisPoints = rate > 100 ? 10001 : (int)(rate * 100);
                }
                else
                {
                    errors.Add(new Error("kept_rate_invalid", $"'{text}' is not a percentage like \"75\" or \"82.5\"", $"targets[{i}].kept_rate"));
                }
            }

            inputs.Add(new CollectorTargetInput(target.Collector, amounts, target.Contacts ?? 0, target.Promises ?? 0, basisPoints));
        }

        if (errors.Count > 0)
        {
            return BodyFields.Problems(errors);
        }

        var saved = await new CollectorTargets(database, clock).SetAsync(first, inputs, ApiCaller.Actor(http.User), ct);
        if (saved.Error is { } error)
        {
            return BodyFields.Problems([error]);
        }

        return TypedResults.Ok(new CollectorTargetsJson(first.ToString("yyyy-MM", CultureInfo.InvariantCulture), saved.Value!.Select(CollectorTargetJson.From).ToList()));
    }

    private static DateOnly Month(QueryReader query, string? month, TimeProvider clock)
    {
        var today = clock.Today();
        if (string.IsNullOrWhiteSpace(month))
        {
            return new DateOnly(today.Year, today.Month, 1);
        }

        var parsed = CollectorTargets.ParseMonth(month);
        if (parsed.Error is { } error)
        {
            query.Add("month", error.Message);
            return new DateOnly(today.Year, today.Month, 1);
        }

        return parsed.Value;
    }
}
