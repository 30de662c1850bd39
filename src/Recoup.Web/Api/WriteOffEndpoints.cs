using Microsoft.Extensions.Options;
using Recoup.Data.Disputes;
using Recoup.Services;
using Recoup.Services.Adjustments;
using Recoup.Services.Payments;
using Recoup.Services.Storage;
using Recoup.Services.WriteOffs;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Recoup.Web.Api;

/// <summary>A bad-debt write-off: the amount, a reason code, optionally the invoice.</summary>
public sealed record WriteOffBody(string? Amount, string? Reason, string? InvoiceNumber, string? Note);

/// <summary>The as-of date of a small-balance run (default today).</summary>
public sealed record SmallBalanceRunBody(string? AsOf);

public sealed record SmallBalanceRunJson(string AsOf, int Accounts, IReadOnlyList<MoneyJson> Totals, bool Replayed);

/// <summary>Money received for written-off debt.</summary>
public sealed record RecoveryBody(string? Amount, string? ReceivedOn, string? Reference);

public sealed record RecoveryJson(string AccountId, MoneyJson Received, MoneyJson Recovered, string RecoveryEntryId, string PaymentEntryId, MoneyJson WrittenOffOutstanding, MoneyJson Balance);

public sealed record RecoveryTotalsJson(string Currency, MoneyJson Collected, MoneyJson Recovered, MoneyJson WrittenOff, int Recoveries);

public sealed record RecoveryReportJson(string From, string To, IReadOnlyList<RecoveryTotalsJson> Currencies);

/// <summary>
/// Write-offs and recoveries (docs/adjustments-and-write-offs.md): <c>/api/accounts/{accountId}/write-offs</c> (bad debt,
/// with approval), <c>/api/accounts/{accountId}/write-offs/small-balance</c> (by hand), <c>/api/write-offs/small-balance-run</c>
/// (what the daily run calls), <c>/api/accounts/{accountId}/recoveries</c> and <c>/api/reports/recoveries</c>.
/// </summary>
public static class WriteOffEndpoints
{
    public static void MapWriteOffs(this IEndpointRouteBuilder api)
    {
        var onAccount = api.MapGroup("/accounts/{accountId}").WithTags("Write-offs");
        onAccount.MapPost("/write-offs", WriteOffAsync).WithName("WriteOffBadDebt")
            .WithSummary("Write bad debt off; beyond the caller's limit it waits for approval (202)")
            .WithDescription("Limits (configurable, `Recoup:WriteOffs:BadDebt`): a collector always needs approval, a supervisor up to 1,000.00, a manager any. Approve with POST /api/adjustments/{id}/approve.")
            .RequireAuthorization(Policies.MoveMoney).Accepts<WriteOffBody>("application/json")
            .Produces<BalanceChangeJson>(StatusCodes.Status201Created).Produces<BalanceChangeJson>(StatusCodes.Status202Accepted).ProducesValidationProblem();
        onAccount.MapPost("/write-offs/small-balance", SmallBalanceAsync).WithName("WriteOffSmallBalance")
            .WithSummary("Write off the account's balance when it is positive and below its currency's small-balance threshold")
            .RequireAuthorization(Policies.MoveMoney).Produces<MoneyJson>().ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        onAccount.MapPost("/recoveries", RecoverAsync).WithName("RecordRecovery")
            .WithSummary("Record money received for written-off debt: a recovery entry reinstates it and a payment pays it")
            .RequireAuthorization(Policies.MoveMoney).Accepts<RecoveryBody>("application/json").Produces<RecoveryJson>(StatusCodes.Status201Created).ProducesValidationProblem();

        api.MapPost("/write-offs/small-balance-run", RunAsync).WithTags("Write-offs").WithName("RunSmallBalanceWriteOffs")
            .WithSummary("Write off every small balance as of a date (what the daily run does); a date already run answers its result again")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Supervisors)).Accepts<SmallBalanceRunBody>("application/json").Produces<SmallBalanceRunJson>();
        api.MapGet("/reports/recoveries", ReportAsync).WithTags("Write-offs").WithName("RecoveryReport")
            .WithSummary("Collections, recoveries of written-off debt and write-offs from `from` to `to` (default the last 30 days), per currency")
            .Produces<RecoveryReportJson>().ProducesValidationProblem();
    }

    private static async Task<IResult> WriteOffAsync(
        string accountId, HttpContext http, BalanceChanges changes, RecoupDatabase database, IdempotencyClaims claims, IOptions<JsonOptions> json, CancellationToken ct)
    {
        var options = json.Value.SerializerOptions;
        var (id, currency, body, problem) = await AccountRequest.ReadAsync<WriteOffBody>(accountId, http, database, options, "{\"amount\":\"400.00\",\"reason\":\"uncollectable\"}", ct);
        if (problem is not null)
        {
            return problem;
        }

        var query = new QueryReader();
        var amount = query.Amount("amount", body!.Amount, currency, required: true);
        if (!query.IsValid)
        {
            return query.Problem();
        }

        return await IdempotentWrite.RunAsync(http, claims, new { accountId, body }, options, () =>
            AdjustmentEndpoints.RunAsync(changes, new RequestBalanceChange(id, BalanceChangeKind.BadDebtWriteOff, amount!.Value, body.Reason ?? "", body.InvoiceNumber, body.Note), http, ct), ct);
    }

    private static async Task<IResult> SmallBalanceAsync(string accountId, HttpContext http, SmallBalanceWriteOffs writeOffs, CancellationToken ct)
    {
        if (AccountEndpoints.ParseId(accountId) is not { } id)
        {
            return AccountEndpoints.NotFound(accountId);
        }

        var written = await writeOffs.WriteOffAccountAsync(id, ApiCaller.Actor(http.User), ct);
        return written.Error is { } error ? ApiProblems.From(error) : TypedResults.Ok(MoneyJson.From(written.Value));
    }

    private static async Task<IResult> RecoverAsync(
        string accountId, HttpContext http, Recoveries recoveries, RecoupDatabase database, TimeProvider clock, IdempotencyClaims claims, IOptions<JsonOptions> json, CancellationToken ct)
    {
        var options = json.Value.SerializerOptions;
        var (id, currency, body, problem) = await AccountRequest.ReadAsync<RecoveryBody>(accountId, http, database, options, "{\"amount\":\"150.00\",\"received_on\":\"2026-12-01\"}", ct);
        if (problem is not null)
        {
            return problem;
        }

        var query = new QueryReader();
        var amount = query.Amount("amount", body!.Amount, currency, required: true);
        var receivedOn = query.Date("received_on", body.ReceivedOn, clock.Today());
        if (!query.IsValid)
        {
            return query.Problem();
        }

        return await IdempotentWrite.RunAsync(http, claims, new { accountId, body }, options, async () =>
        {
            var recorded = await recoveries.RecordAsync(id, amount!.Value, receivedOn, body.Reference, ApiCaller.Actor(http.User), ct);
            if (recorded.Error is { } error)
            {
                return ApiProblems.From(error);
            }

            var r = recorded.Value;
            return new Answer(null, StatusCodes.Status201Created, new RecoveryJson(r.AccountId.ToString(), MoneyJson.From(r.Received), MoneyJson.From(r.Recovered),
                r.RecoveryEntryId.ToString(), r.PaymentEntryId.ToString(), MoneyJson.From(r.WrittenOffOutstanding), MoneyJson.From(r.Balance)));
        }, ct);
    }

    private static async Task<IResult> RunAsync(HttpContext http, SmallBalanceWriteOffs writeOffs, TimeProvider clock, IOptions<JsonOptions> json, CancellationToken ct)
    {
        var asOf = clock.Today();
        if (http.Request.ContentLength is > 0)
        {
            var (body, problem) = await JsonBody.ReadAsync<SmallBalanceRunBody>(http, json.Value.SerializerOptions, "{\"as_of\":\"2026-11-30\"}", ct);
            if (problem is not null)
            {
                return problem;
            }

            var query = new QueryReader();
            asOf = query.Date("as_of", body!.AsOf, asOf);
            if (!query.IsValid)
            {
                return query.Problem();
            }
        }

        var result = await writeOffs.RunAsync(asOf, ApiCaller.Actor(http.User), ct);
        return TypedResults.Ok(new SmallBalanceRunJson(ApiJson.Date(result.AsOf), result.Accounts, result.Totals.Select(MoneyJson.From).ToList(), result.Replayed));
    }

    private static async Task<IResult> ReportAsync(HttpContext http, Recoveries recoveries, TimeProvider clock, CancellationToken ct)
    {
        var query = new QueryReader();
        var to = query.Date("to", http.Request.Query["to"].FirstOrDefault(), clock.Today());
        var from = query.Date("from", http.Request.Query["from"].FirstOrDefault(), to.AddDays(-30));
        if (from > to)
        {
            query.Add("from", "from is after to");
        }

        if (!query.IsValid)
        {
            return query.Problem();
        }

        var report = await recoveries.ReportAsync(from, to, ct);
        return TypedResults.Ok(new RecoveryReportJson(ApiJson.Date(report.From), ApiJson.Date(report.To), report.Currencies.Select(c =>
            new RecoveryTotalsJson(c.Currency.Code, MoneyJson.From(c.Collected), MoneyJson.From(c.Recovered), MoneyJson.From(c.WrittenOff), c.Recoveries)).ToList()));
    }
}
