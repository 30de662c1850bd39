using System.Globalization;
using Recoup.Domain.Aging;
using Recoup.Services.Aging;
using Recoup.Services.Ledger;

namespace Recoup.Web.Api;

/// <summary>The REST API under /api, grouped by capability.</summary>
public static class ApiEndpoints
{
    public static IServiceCollection AddRecoupApi(this IServiceCollection services)
    {
        services.AddScoped<AgingQuery>();
        services.AddScoped<AccountStatement>();
        return services;
    }

    public static void MapRecoupApi(this WebApplication app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/aging", async (string? asOf, AgingQuery aging, TimeProvider clock, CancellationToken cancellationToken) =>
            {
                var date = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
                if (asOf is not null && !DateOnly.TryParseExact(asOf, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
                {
                    return Results.ValidationProblem(new Dictionary<string, string[]> { ["as_of"] = [$"'{asOf}' is not a date in the form YYYY-MM-DD"] });
                }

                var report = await aging.ByBucketAsync(date, AgingBuckets.Default, cancellationToken);
                return Results.Ok(new
                {
                    as_of = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    currencies = report.Currencies.Select(c => new
                    {
                        currency = c.Currency.Code,
                        buckets = c.Buckets.Select(b => new { name = b.Bucket.Name, amount = b.Amount.ToDecimalString(), count = b.Count }),
                        total = c.Total.ToDecimalString(),
                    }),
                });
            })
            .WithTags("Aging")
            .WithSummary("Receivables by aging bucket as of a date (the same figures as `recoup aging --output json`).");
    }
}
