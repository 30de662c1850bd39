using Recoup.Services;
using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Recoup.Domain.Aging;
using Recoup.Services.Aging;

namespace Recoup.Web.Api;

/// <summary>Receivables by aging bucket in one currency.</summary>
public sealed record AgingCurrencyJson(string Currency, IReadOnlyList<AgingBucketJson> Buckets, MoneyJson Total, int Count);

/// <summary>One bucket: the open amount and the number of open invoices in it.</summary>
public sealed record AgingBucketJson(string Name, MoneyJson Amount, int Count);

public sealed record AgingJson(string AsOf, IReadOnlyList<AgingCurrencyJson> Currencies);

/// <summary><c>GET /api/aging</c>: the aging report, the same figures as <c>recoup aging</c>.</summary>
public static class AgingEndpoints
{
    public static void MapAging(this IEndpointRouteBuilder api)
    {
        api.MapGet("/aging", GetAsync)
            .WithTags("Aging")
            .WithName("GetAging")
            .WithSummary("Receivables by aging bucket as of a date, per currency")
            .WithDescription("Each open invoice is aged by its own due date (the same figures as `recoup aging`). Buckets: current, 1-30, 31-60, 61-90, 91-120, 121+ days past due.")
            .ProducesValidationProblem();
    }

    private static async Task<Results<Ok<AgingJson>, ProblemHttpResult>> GetAsync(
        [FromQuery(Name = "as_of"), Description("The date to age as of (YYYY-MM-DD); default today.")] string? asOf,
        AgingQuery aging,
        TimeProvider clock,
        CancellationToken ct)
    {
        var query = new QueryReader();
        var date = query.Date("as_of", asOf, clock.Today());
        if (!query.IsValid)
        {
            return query.Problem();
        }

        var report = await aging.ByBucketAsync(date, AgingBuckets.Default, ct);
        return TypedResults.Ok(new AgingJson(
            ApiJson.Date(report.AsOf),
            report.Currencies
                .Select(c => new AgingCurrencyJson(
                    c.Currency.Code,
                    c.Buckets.Select(b => new AgingBucketJson(b.Bucket.Name, MoneyJson.From(b.Amount), b.Count)).ToList(),
                    MoneyJson.From(c.Total),
                    c.Count))
                .ToList()));
    }
}
