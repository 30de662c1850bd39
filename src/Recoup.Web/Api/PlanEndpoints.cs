using Microsoft.Extensions.Options;
using Recoup.Data.Identity;
using Recoup.Data.Plans;
using Recoup.Domain;
using Recoup.Domain.Plans;
using Recoup.Services;
using Recoup.Services.Payments;
using Recoup.Services.Plans;
using Recoup.Services.Storage;

namespace Recoup.Web.Api;

/// <summary>A schedule to preview: the total with its currency, the down payment, and a count or an amount per installment.</summary>
public sealed record PlanPreviewBody(string? Total, string? Currency, string? DownPayment, string? Frequency, int? Installments, string? InstallmentAmount, string? FirstDue);

/// <summary>A plan to set up; without <c>total</c> the plan is for the whole balance.</summary>
public sealed record PlanBody(string? Total, string? DownPayment, string? Frequency, int? Installments, string? InstallmentAmount, string? FirstDue);

/// <summary>A change to a plan: <c>reage</c>, <c>skip</c> (optionally which <c>installment</c>) or <c>reschedule</c> (<c>frequency</c>, <c>first_due</c>, and <c>installments</c> or <c>installment_amount</c>).</summary>
public sealed record PlanChangeBody(string? Kind, string? Reason, int? Installment, string? Frequency, string? FirstDue, int? Installments, string? InstallmentAmount);

public sealed record PromiseBody(string? Amount, string? PromisedFor, string? Channel, string? Note);

/// <summary>A settlement offer: <c>kind</c> <c>lump_sum</c> (with <c>due_on</c>) or <c>installments</c> (with <c>frequency</c>, <c>first_due</c>, <c>installments</c>).</summary>
public sealed record SettlementBody(string? Amount, string? Kind, string? DueOn, string? Frequency, string? FirstDue, int? Installments);

public sealed record ReasonBody(string? Reason);

public sealed record ScheduledInstallmentJson(int Number, string Due, string Amount);

public sealed record SchedulePreviewJson(IReadOnlyList<ScheduledInstallmentJson> Installments);

public sealed record InstallmentJson(int Number, string Due, MoneyJson Amount, MoneyJson Paid, string? CoveredOn, string Status);

public sealed record PlanRevisionJson(int Version, string Kind, string? Reason, string By, DateTimeOffset At, IReadOnlyList<InstallmentJson> Installments);

public sealed record PlanJson(
    string PlanId, string AccountId, string Status, string? StatusSince, MoneyJson Total, MoneyJson DownPayment, string Frequency, string FirstDue, string StartOn,
    int Version, IReadOnlyList<string> PolicyBreaches, string CreatedBy, DateTimeOffset CreatedAt, string? ApprovedBy, DateTimeOffset? ApprovedAt, string? SettlementId,
    MoneyJson Paid, MoneyJson Remaining, IReadOnlyList<InstallmentJson> Installments, IReadOnlyList<PlanRevisionJson> History)
{
    public static PlanJson From(PlanView p) => new(
        p.Id.ToString(), p.AccountId.ToString(), ApiJson.Name(p.Status), p.StatusSince is { } since ? ApiJson.Date(since) : null, MoneyJson.From(p.Total), MoneyJson.From(p.DownPayment),
        PlanFrequencies.Name(p.Frequency), ApiJson.Date(p.FirstDue), ApiJson.Date(p.StartOn), p.Version, p.PolicyBreaches, p.CreatedBy, p.CreatedAt, p.ApprovedBy, p.ApprovedAt,
        p.SettlementId?.ToString(), MoneyJson.From(p.Paid), MoneyJson.From(p.Remaining), p.Installments.Select(Installment).ToList(),
        p.History.Select(h => new PlanRevisionJson(h.Version, h.Kind, h.Reason, h.By, h.At, h.Installments.Select(Installment).ToList())).ToList());

    private static InstallmentJson Installment(InstallmentView i) =>
        new(i.Number, ApiJson.Date(i.Due), MoneyJson.From(i.Amount), MoneyJson.From(i.Paid), i.CoveredOn is { } on ? ApiJson.Date(on) : null, ApiJson.Name(i.Status));
}

public sealed record PromiseJson(
    string PromiseId, string AccountId, MoneyJson Amount, string PromisedFor, string TakenOn, string Channel, string TakenBy, DateTimeOffset TakenAt,
    string Status, MoneyJson Paid, string? ResolvedOn, string? Note, string? CancelledBy, string? CancelReason)
{
    public static PromiseJson From(PromiseView p) => new(
        p.Id.ToString(), p.AccountId.ToString(), MoneyJson.From(p.Amount), ApiJson.Date(p.PromisedFor), ApiJson.Date(p.TakenOn), p.Channel, p.TakenBy, p.TakenAt,
        ApiJson.Name(p.Status), MoneyJson.From(p.Paid), p.ResolvedOn is { } on ? ApiJson.Date(on) : null, p.Note, p.CancelledBy, p.CancelReason);
}

public sealed record SettlementJson(
    string SettlementId, string AccountId, MoneyJson Balance, MoneyJson Amount, decimal DiscountPercent, string Kind, string? DueOn, string? PlanId, string Status,
    string? ResolvedOn, string OfferedBy, string OfferedByRole, DateTimeOffset OfferedAt, string? ApprovedBy, DateTimeOffset? ApprovedAt, string? NeedsApprovalBy,
    MoneyJson Paid, string? WriteOffEntryId)
{
    public static SettlementJson From(SettlementView s) => new(
        s.Id.ToString(), s.AccountId.ToString(), MoneyJson.From(s.Balance), MoneyJson.From(s.Amount), s.DiscountPercent, ApiJson.Name(s.Kind),
        s.DueOn is { } due ? ApiJson.Date(due) : null, s.PlanId?.ToString(), ApiJson.Name(s.Status), s.ResolvedOn is { } on ? ApiJson.Date(on) : null,
        s.OfferedBy, s.OfferedByRole, s.OfferedAt, s.ApprovedBy, s.ApprovedAt, s.NeedsApprovalBy, MoneyJson.From(s.Paid), s.WriteOffEntryId?.ToString());
}

public sealed record ForecastWeekJson(string WeekStart, string Scheduled, string Expected, int Promises, int Installments);

public sealed record ForecastJson(string Currency, string From, decimal PromiseKeepRate, decimal InstallmentKeepRate, IReadOnlyList<ForecastWeekJson> Weeks);

public sealed record MonitoringJson(
    string AsOf, int PlansChecked, int InstallmentsChanged, int PlansCompleted, int PlansDefaulted, int PromisesChecked, int PromisesKept,
    int PromisesPartiallyKept, int PromisesBroken, int SettlementsCompleted, int SettlementsBroken, int RemindersQueued, int RemindersBlocked);

/// <summary>
/// Promises, payment plans, settlements, the schedule preview, the monitoring run and the cash-flow
/// forecast (docs/plans.md).
/// </summary>
public static class PlanEndpoints
{
    private const string PreviewExample = "{\"total\":\"1000.00\",\"currency\":\"USD\",\"down_payment\":\"0.00\",\"frequency\":\"monthly\",\"installments\":3,\"first_due\":\"2026-01-31\"}";

    public static void MapPlans(this IEndpointRouteBuilder api)
    {
        api.MapPost("/plans/preview", PreviewAsync).WithTags("Plans").WithName("PreviewPlan")
            .WithSummary("The schedule a plan would have, creating nothing")
            .WithDescription("Give `installments` (a count) or `installment_amount`. The remainder of an even split goes on the last installment; a down payment is installment 1, due on `first_due`.")
            .Accepts<PlanPreviewBody>("application/json").Produces<SchedulePreviewJson>().ProducesValidationProblem();

        var onAccount = api.MapGroup("/accounts/{accountId}").WithTags("Plans");
        onAccount.MapGet("/plans", ListPlansAsync).WithName("ListPlans").Produces<IReadOnlyList<PlanJson>>();
        onAccount.MapPost("/plans", CreatePlanAsync).WithName("CreatePlan")
            .WithSummary("Set up a payment plan; outside the debt type's policy it waits for a supervisor unless a supervisor or above sets it up")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Workers)).Accepts<PlanBody>("application/json")
            .Produces<PlanJson>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        onAccount.MapGet("/promises", ListPromisesAsync).WithName("ListPromises").Produces<IReadOnlyList<PromiseJson>>();
        onAccount.MapPost("/promises", TakePromiseAsync).WithName("TakePromise")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Workers)).Accepts<PromiseBody>("application/json")
            .Produces<PromiseJson>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        onAccount.MapGet("/settlements", ListSettlementsAsync).WithName("ListSettlements").Produces<IReadOnlyList<SettlementJson>>();
        onAccount.MapPost("/settlements", OfferSettlementAsync).WithName("OfferSettlement")
            .WithSummary("Offer to settle for less; beyond the caller's authority it waits for someone senior enough")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Workers)).Accepts<SettlementBody>("application/json")
            .Produces<SettlementJson>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        var plans = api.MapGroup("/plans").WithTags("Plans");
        plans.MapGet("/{planId}", GetPlanAsync).WithName("GetPlan").Produces<PlanJson>().ProducesProblem(StatusCodes.Status404NotFound);
        plans.MapPost("/{planId}/approve", ApprovePlanAsync).WithName("ApprovePlan")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Supervisors)).Produces<PlanJson>().ProducesProblem(StatusCodes.Status404NotFound);
        plans.MapPost("/{planId}/changes", ChangePlanAsync).WithName("ChangePlan")
            .WithSummary("Re-age, skip or reschedule; the old schedule stays in the plan's history")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Workers)).Accepts<PlanChangeBody>("application/json").Produces<PlanJson>().ProducesValidationProblem();
        plans.MapPost("/{planId}/cancel", CancelPlanAsync).WithName("CancelPlan")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Workers)).Accepts<ReasonBody>("application/json").Produces<PlanJson>();
        plans.MapPost("/monitor", MonitorAsync).WithName("MonitorPlans")
            .WithSummary("Run the daily monitoring of promises, plans and settlements as of a date (default today)")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Supervisors)).Produces<MonitoringJson>();

        api.MapPost("/promises/{promiseId}/cancel", CancelPromiseAsync).WithTags("Plans").WithName("CancelPromise")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Workers)).Accepts<ReasonBody>("application/json").Produces<PromiseJson>();
        api.MapPost("/settlements/{settlementId}/approve", ApproveSettlementAsync).WithTags("Plans").WithName("ApproveSettlement")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Supervisors)).Produces<SettlementJson>();
        api.MapPost("/settlements/{settlementId}/withdraw", WithdrawSettlementAsync).WithTags("Plans").WithName("WithdrawSettlement")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Workers)).Accepts<ReasonBody>("application/json").Produces<SettlementJson>();
        api.MapGet("/forecast", ForecastAsync).WithTags("Plans").WithName("CashFlowForecast")
            .WithSummary("Expected receipts by week from promises and plan installments, discounted by observed keep rates").Produces<ForecastJson>();
    }

    /// <summary>The role whose authority the caller has for settlements: manager (and admin), supervisor, else collector.</summary>
    public static SettlementRole SettlementRoleOf(System.Security.Claims.ClaimsPrincipal user) =>
        user.IsInRole(Roles.Manager) || user.IsInRole(Roles.Admin) ? SettlementRole.Manager
        : user.IsInRole(Roles.Supervisor) ? SettlementRole.Supervisor
        : SettlementRole.Collector;

    private static DateOnly? RequiredDate(QueryReader query, string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            query.Add(field, $"The {field.Replace('_', ' ')} is required, as YYYY-MM-DD");
            return null;
        }

        var date = query.Date(field, text.Trim(), default);
        return query.Has(field) ? null : date;
    }

    private static PlanFrequency? Frequency(QueryReader query, string? text, bool required)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                query.Add("frequency", "The frequency is required: weekly, bi-weekly, semi-monthly or monthly");
            }

            return null;
        }

        var frequency = PlanFrequencies.Parse(text);
        if (frequency is null)
        {
            query.Add("frequency", $"'{text}' is not a frequency; use weekly, bi-weekly, semi-monthly or monthly");
        }

        return frequency;
    }

    private static async Task<IResult> PreviewAsync(HttpContext http, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<PlanPreviewBody>(http, json.Value.SerializerOptions, PreviewExample, ct);
        if (problem is not null)
        {
            return problem;
        }

        var query = new QueryReader();
        if (!Currency.TryFromCode(body!.Currency?.Trim(), out var currency))
        {
            query.Add("currency", body.Currency is null ? "The currency is required, e.g. USD" : $"'{body.Currency}' is not an ISO 4217 currency code");
            return query.Problem();
        }

        var total = query.Amount("total", body.Total, currency, required: true);
        var down = query.Amount("down_payment", body.DownPayment, currency, required: false) ?? Money.Zero(currency);
        var each = query.Amount("installment_amount", body.InstallmentAmount, currency, required: false);
        var frequency = Frequency(query, body.Frequency, required: true);
        var firstDue = RequiredDate(query, "first_due", body.FirstDue);
        if (body.Installments is null && each is null && !query.Has("installment_amount"))
        {
            query.Add("installments", "Give the number of installments or the installment amount");
        }

        if (!query.IsValid)
        {
            return query.Problem();
        }

        var schedule = PlanSchedule.Build(new PlanTerms(total!.Value, down, frequency!.Value, firstDue!.Value, body.Installments, each));
        if (schedule.Error is { } error)
        {
            return ApiProblems.From(error);
        }

        return TypedResults.Ok(new SchedulePreviewJson(schedule.Value.Select(i => new ScheduledInstallmentJson(i.Number, ApiJson.Date(i.Due), i.Amount.ToDecimalString())).ToList()));
    }

    private static async Task<IResult> ListPlansAsync(string accountId, PaymentPlans plans, CancellationToken ct) =>
        AccountEndpoints.ParseId(accountId) is { } id
            ? TypedResults.Ok((await plans.ListAsync(id, ct)).Select(PlanJson.From).ToList())
            : AccountEndpoints.NotFound(accountId);

    private static async Task<IResult> CreatePlanAsync(
        string accountId, HttpContext http, PaymentPlans plans, RecoupDatabase database, IdempotencyClaims claims, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        var options = json.Value.SerializerOptions;
        var (id, currency, body, problem) = await AccountRequest.ReadAsync<PlanBody>(accountId, http, database, options, "{\"down_payment\":\"0.00\",\"frequency\":\"monthly\",\"installments\":6,\"first_due\":\"2026-12-15\"}", ct);
        if (problem is not null)
        {
            return problem;
        }

        var query = new QueryReader();
        var total = query.Amount("total", body!.Total, currency, required: false);
        var down = query.Amount("down_payment", body.DownPayment, currency, required: false) ?? Money.Zero(currency);
        var each = query.Amount("installment_amount", body.InstallmentAmount, currency, required: false);
        var frequency = Frequency(query, body.Frequency, required: true);
        var firstDue = RequiredDate(query, "first_due", body.FirstDue);
        if (!query.IsValid)
        {
            return query.Problem();
        }

        var mayApprove = ApiRoles.Supervisors.Any(http.User.IsInRole);
        return await IdempotentWrite.RunAsync(http, claims, new { accountId, body }, options, async () =>
        {
            var created = await plans.CreateAsync(new CreatePlan(id, total, down, frequency!.Value, firstDue!.Value, body.Installments, each), ApiCaller.Actor(http.User), mayApprove, ct);
            return created.Error is { } error ? ApiProblems.From(error) : new Answer(null, StatusCodes.Status201Created, PlanJson.From(created.Value), $"/api/plans/{created.Value.Id}");
        }, ct);
    }

    private static async Task<IResult> GetPlanAsync(string planId, PaymentPlans plans, CancellationToken ct) =>
        Guid.TryParse(planId, out var id) && await plans.GetAsync(id, ct) is { IsSuccess: true } found
            ? TypedResults.Ok(PlanJson.From(found.Value))
            : ApiProblems.NotFound("Plan", $"There is no plan '{planId}'");

    private static async Task<IResult> ApprovePlanAsync(string planId, HttpContext http, PaymentPlans plans, CancellationToken ct)
    {
        if (!Guid.TryParse(planId, out var id))
        {
            return ApiProblems.NotFound("Plan", $"There is no plan '{planId}'");
        }

        var approved = await plans.ApproveAsync(id, ApiCaller.Actor(http.User), ct);
        return approved.Error is { } error ? ApiProblems.From(error) : TypedResults.Ok(PlanJson.From(approved.Value));
    }

    private static async Task<IResult> ChangePlanAsync(string planId, HttpContext http, PaymentPlans plans, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        if (!Guid.TryParse(planId, out var id) || await plans.GetAsync(id, ct) is not { IsSuccess: true } plan)
        {
            return ApiProblems.NotFound("Plan", $"There is no plan '{planId}'");
        }

        var (body, problem) = await JsonBody.ReadAsync<PlanChangeBody>(http, json.Value.SerializerOptions, "{\"kind\":\"skip\",\"reason\":\"...\"}", ct);
        if (problem is not null)
        {
            return problem;
        }

        var query = new QueryReader();
        var currency = plan.Value.Total.Currency;
        var frequency = Frequency(query, body!.Frequency, required: false);
        DateOnly? firstDue = body.FirstDue is null ? null : query.Date("first_due", body.FirstDue, default);
        var each = query.Amount("installment_amount", body.InstallmentAmount, currency, required: false);
        if (!query.IsValid)
        {
            return query.Problem();
        }

        var changed = await plans.ChangeAsync(id, new ChangePlan(body.Kind?.Trim().ToLowerInvariant() ?? "", body.Reason ?? "", body.Installment, frequency, firstDue, body.Installments, each),
            ApiCaller.Actor(http.User), ct);
        return changed.Error is { } error ? ApiProblems.From(error) : TypedResults.Ok(PlanJson.From(changed.Value));
    }

    private static async Task<IResult> CancelPlanAsync(string planId, HttpContext http, PaymentPlans plans, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        if (!Guid.TryParse(planId, out var id))
        {
            return ApiProblems.NotFound("Plan", $"There is no plan '{planId}'");
        }

        var (body, problem) = await JsonBody.ReadAsync<ReasonBody>(http, json.Value.SerializerOptions, "{\"reason\":\"...\"}", ct);
        if (problem is not null)
        {
            return problem;
        }

        var cancelled = await plans.CancelAsync(id, body!.Reason ?? "", ApiCaller.Actor(http.User), ct);
        return cancelled.Error is { } error ? ApiProblems.From(error) : TypedResults.Ok(PlanJson.From(cancelled.Value));
    }

    private static async Task<IResult> MonitorAsync(string? asOf, PlanMonitoring monitoring, TimeProvider clock, CancellationToken ct)
    {
        var query = new QueryReader();
        var date = query.Date("as_of", asOf, clock.Today());
        if (!query.IsValid)
        {
            return query.Problem();
        }

        var r = await monitoring.RunAsync(date, ct);
        return TypedResults.Ok(new MonitoringJson(ApiJson.Date(r.AsOf), r.PlansChecked, r.InstallmentsChanged, r.PlansCompleted, r.PlansDefaulted, r.PromisesChecked,
            r.PromisesKept, r.PromisesPartiallyKept, r.PromisesBroken, r.SettlementsCompleted, r.SettlementsBroken, r.RemindersQueued, r.RemindersBlocked));
    }

    private static async Task<IResult> ListPromisesAsync(string accountId, Promises promises, CancellationToken ct) =>
        AccountEndpoints.ParseId(accountId) is { } id
            ? TypedResults.Ok((await promises.ListAsync(id, ct)).Select(PromiseJson.From).ToList())
            : AccountEndpoints.NotFound(accountId);

    private static async Task<IResult> TakePromiseAsync(
        string accountId, HttpContext http, Promises promises, RecoupDatabase database, IdempotencyClaims claims, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        var options = json.Value.SerializerOptions;
        var (id, currency, body, problem) = await AccountRequest.ReadAsync<PromiseBody>(accountId, http, database, options, "{\"amount\":\"150.00\",\"promised_for\":\"2026-12-05\",\"channel\":\"call\"}", ct);
        if (problem is not null)
        {
            return problem;
        }

        var query = new QueryReader();
        var amount = query.Amount("amount", body!.Amount, currency, required: true);
        var promisedFor = RequiredDate(query, "promised_for", body.PromisedFor);
        if (!query.IsValid)
        {
            return query.Problem();
        }

        return await IdempotentWrite.RunAsync(http, claims, new { accountId, body }, options, async () =>
        {
            var taken = await promises.TakeAsync(new TakePromise(id, amount!.Value, promisedFor!.Value, body.Channel?.Trim().ToLowerInvariant() ?? "call", body.Note), ApiCaller.Actor(http.User), ct);
            return taken.Error is { } error ? ApiProblems.From(error) : new Answer(null, StatusCodes.Status201Created, PromiseJson.From(taken.Value));
        }, ct);
    }

    private static async Task<IResult> CancelPromiseAsync(string promiseId, HttpContext http, Promises promises, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        if (!Guid.TryParse(promiseId, out var id))
        {
            return ApiProblems.NotFound("Promise", $"There is no promise '{promiseId}'");
        }

        var (body, problem) = await JsonBody.ReadAsync<ReasonBody>(http, json.Value.SerializerOptions, "{\"reason\":\"...\"}", ct);
        if (problem is not null)
        {
            return problem;
        }

        var cancelled = await promises.CancelAsync(id, body!.Reason ?? "", ApiCaller.Actor(http.User), ct);
        return cancelled.Error is { } error ? ApiProblems.From(error) : TypedResults.Ok(PromiseJson.From(cancelled.Value));
    }

    private static async Task<IResult> ListSettlementsAsync(string accountId, Settlements settlements, CancellationToken ct) =>
        AccountEndpoints.ParseId(accountId) is { } id
            ? TypedResults.Ok((await settlements.ListAsync(id, ct)).Select(SettlementJson.From).ToList())
            : AccountEndpoints.NotFound(accountId);

    private static async Task<IResult> OfferSettlementAsync(
        string accountId, HttpContext http, Settlements settlements, RecoupDatabase database, IdempotencyClaims claims, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        var options = json.Value.SerializerOptions;
        var (id, currency, body, problem) = await AccountRequest.ReadAsync<SettlementBody>(accountId, http, database, options, "{\"amount\":\"800.00\",\"kind\":\"lump_sum\",\"due_on\":\"2026-12-15\"}", ct);
        if (problem is not null)
        {
            return problem;
        }

        var query = new QueryReader();
        var amount = query.Amount("amount", body!.Amount, currency, required: true);
        var kind = body.Kind?.Trim().ToLowerInvariant() switch
        {
            "lump_sum" or "lump-sum" or null or "" => SettlementKind.LumpSum,
            "installments" => SettlementKind.Installments,
            _ => (SettlementKind?)null,
        };
        if (kind is null)
        {
            query.Add("kind", $"'{body.Kind}' is not a kind of settlement; use lump_sum or installments");
        }

        DateOnly? dueOn = body.DueOn is null ? null : query.Date("due_on", body.DueOn, default);
        DateOnly? firstDue = body.FirstDue is null ? null : query.Date("first_due", body.FirstDue, default);
        var frequency = Frequency(query, body.Frequency, required: false);
        if (!query.IsValid)
        {
            return query.Problem();
        }

        return await IdempotentWrite.RunAsync(http, claims, new { accountId, body }, options, async () =>
        {
            var offered = await settlements.OfferAsync(new OfferSettlement(id, amount!.Value, kind!.Value, dueOn, frequency, firstDue, body.Installments),
                ApiCaller.Actor(http.User), SettlementRoleOf(http.User), ct);
            return offered.Error is { } error ? ApiProblems.From(error) : new Answer(null, StatusCodes.Status201Created, SettlementJson.From(offered.Value));
        }, ct);
    }

    private static async Task<IResult> ApproveSettlementAsync(string settlementId, HttpContext http, Settlements settlements, CancellationToken ct)
    {
        if (!Guid.TryParse(settlementId, out var id))
        {
            return ApiProblems.NotFound("Settlement", $"There is no settlement '{settlementId}'");
        }

        var approved = await settlements.ApproveAsync(id, ApiCaller.Actor(http.User), SettlementRoleOf(http.User), ct);
        return approved.Error is { Code: "beyond_authority" } beyond
            ? ApiProblems.Problem(StatusCodes.Status403Forbidden, "Beyond your authority", beyond.Message, beyond.Code)
            : approved.Error is { } error ? ApiProblems.From(error) : TypedResults.Ok(SettlementJson.From(approved.Value));
    }

    private static async Task<IResult> WithdrawSettlementAsync(string settlementId, HttpContext http, Settlements settlements, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        if (!Guid.TryParse(settlementId, out var id))
        {
            return ApiProblems.NotFound("Settlement", $"There is no settlement '{settlementId}'");
        }

        var (body, problem) = await JsonBody.ReadAsync<ReasonBody>(http, json.Value.SerializerOptions, "{\"reason\":\"...\"}", ct);
        if (problem is not null)
        {
            return problem;
        }

        var withdrawn = await settlements.WithdrawAsync(id, body!.Reason ?? "", ApiCaller.Actor(http.User), ct);
        return withdrawn.Error is { } error ? ApiProblems.From(error) : TypedResults.Ok(SettlementJson.From(withdrawn.Value));
    }

    private static async Task<IResult> ForecastAsync(string? currency, string? weeks, CashFlow cashFlow, CancellationToken ct)
    {
        var query = new QueryReader();
        var count = query.Limit(weeks, 13, 52);
        if (!Currency.TryFromCode(currency ?? "USD", out var code))
        {
            query.Add("currency", $"'{currency}' is not an ISO 4217 currency code");
        }

        if (!query.IsValid)
        {
            return query.Problem();
        }

        var view = await cashFlow.ForecastAsync(code, count, ct);
        return TypedResults.Ok(new ForecastJson(view.Currency.Code, ApiJson.Date(view.From), view.PromiseKeepRate, view.InstallmentKeepRate,
            view.Weeks.Select(w => new ForecastWeekJson(ApiJson.Date(w.WeekStart), new Money(w.ScheduledMinor, code).ToDecimalString(),
                new Money(w.ExpectedMinor, code).ToDecimalString(), w.Promises, w.Installments)).ToList()));
    }
}
