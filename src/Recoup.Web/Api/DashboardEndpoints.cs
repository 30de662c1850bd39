using Recoup.Services;
using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Recoup.Services.Dashboard;

namespace Recoup.Web.Api;

public sealed record DashboardJson(string AsOf, IReadOnlyList<DashboardCurrencyJson> Currencies);

/// <summary>The portfolio in one currency; <c>accounts_by_status</c> has every status as a key.</summary>
public sealed record DashboardCurrencyJson(
    string Currency,
    int Accounts,
    MoneyJson Balance,
    MoneyJson Open,
    MoneyJson PastDue,
    IReadOnlyList<DashboardBucketJson> Buckets,
    IReadOnlyDictionary<string, int> AccountsByStatus);

public sealed record DashboardBucketJson(string Name, MoneyJson Open, int Accounts);

/// <summary><c>GET /api/dashboard</c>: the dashboard's figures.</summary>
public static class DashboardEndpoints
{
    public static void MapDashboard(this IEndpointRouteBuilder api)
    {
        api.MapGet("/dashboard", GetAsync)
            .WithTags("Dashboard")
            .WithName("GetDashboard")
            .WithSummary("Portfolio totals per currency: accounts aged by their oldest open invoice, past-due amount, accounts by status")
            .WithDescription("Aging here is by account: an account's whole open amount counts in the bucket of its oldest open invoice. `GET /api/aging` ages every invoice on its own; the total open amount is the same.")
            .ProducesValidationProblem();
    }

    private static async Task<Results<Ok<DashboardJson>, ProblemHttpResult>> GetAsync(
        [FromQuery(Name = "as_of"), Description("The date days past due are counted to (YYYY-MM-DD); default today.")] string? asOf,
        DashboardQuery dashboard,
        TimeProvider clock,
        CancellationToken ct)
    {
        var query = new QueryReader();
        var date = query.Date("as_of", asOf, clock.Today());
        if (!query.IsValid)
        {
            return query.Problem();
        }

        var view = await dashboard.GetAsync(date, ct);
        return TypedResults.Ok(new DashboardJson(
            ApiJson.Date(view.AsOf),
            view.Currencies
                .Select(c => new DashboardCurrencyJson(
                    c.Currency.Code,
                    c.Accounts,
                    MoneyJson.From(c.Balance),
                    MoneyJson.From(c.Open),
                    MoneyJson.From(c.PastDue),
                    c.Buckets.Select(b => new DashboardBucketJson(b.Name, MoneyJson.From(b.Open), b.Accounts)).ToList(),
                    c.AccountsByStatus.ToDictionary(s => ApiJson.Name(s.Key), s => s.Value)))
                .ToList()));
    }
}
