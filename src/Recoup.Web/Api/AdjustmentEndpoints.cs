using Microsoft.Extensions.Options;
using Recoup.Data.Disputes;
using Recoup.Services.Adjustments;
using Recoup.Services.Payments;
using Recoup.Services.Storage;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Recoup.Web.Api;

/// <summary>An adjustment (signed <c>amount</c>: positive adds to the named invoice) or a credit memo (positive amount).</summary>
public sealed record AdjustmentBody(string? Kind, string? Amount, string? Reason, string? InvoiceNumber, string? Note, string? EffectiveOn);

/// <summary>Why a pending change is rejected.</summary>
public sealed record RejectBody(string? Reason);

public sealed record BalanceChangeJson(
    string Id, string AccountId, BalanceChangeKind Kind, MoneyJson Amount, string? InvoiceNumber, string Reason, string? Note, string EffectiveOn,
    BalanceChangeStatus Status, string RequestedBy, string RequestedByRole, DateTimeOffset RequestedAt, string? NeedsApprovalBy, string? DecidedBy,
    DateTimeOffset? DecidedAt, string? LedgerEntryId)
{
    public static BalanceChangeJson From(BalanceChangeView c) => new(
        c.Id.ToString(), c.AccountId.ToString(), c.Kind, MoneyJson.From(c.Amount), c.InvoiceNumber, c.Reason, c.Note, ApiJson.Date(c.EffectiveOn), c.Status,
        c.RequestedBy, c.RequestedByRole, c.RequestedAt, c.NeedsApprovalBy, c.DecidedBy, c.DecidedAt, c.EntryId?.ToString());
}

public sealed record ReconciliationLineJson(long Sequence, string Date, string Kind, string Description, MoneyJson Amount, MoneyJson After);

public sealed record ReconciledInvoiceJson(string Number, string IssueDate, string DueDate, MoneyJson Billed, IReadOnlyList<ReconciliationLineJson> Lines, MoneyJson Open, MoneyJson Disputed);

public sealed record ReconciliationJson(
    string AccountId, IReadOnlyList<ReconciledInvoiceJson> Invoices, IReadOnlyList<ReconciliationLineJson> Credit, MoneyJson OpenInvoices, MoneyJson UnappliedCredit,
    MoneyJson Balance, MoneyJson WrittenOffOutstanding, bool Reconciles)
{
    public static ReconciliationJson From(Reconciliation r) => new(
        r.AccountId.ToString(),
        r.Invoices.Select(i => new ReconciledInvoiceJson(i.Number, ApiJson.Date(i.IssueDate), ApiJson.Date(i.DueDate), MoneyJson.From(i.Billed), i.Lines.Select(Line).ToList(),
            MoneyJson.From(i.Open), MoneyJson.From(i.Disputed))).ToList(),
        r.Credit.Select(Line).ToList(), MoneyJson.From(r.OpenInvoices), MoneyJson.From(r.UnappliedCredit), MoneyJson.From(r.Balance), MoneyJson.From(r.WrittenOffOutstanding), r.Reconciles);

    private static ReconciliationLineJson Line(ReconciliationLine l) => new(l.Sequence, ApiJson.Date(l.Date), l.Kind, l.Description, MoneyJson.From(l.Amount), MoneyJson.From(l.After));
}

/// <summary>
/// Adjustments and credit memos with approval thresholds per role, and the reconciliation view
/// (docs/adjustments-and-write-offs.md): <c>/api/accounts/{accountId}/adjustments</c>,
/// <c>/api/accounts/{accountId}/reconciliation</c>, <c>/api/adjustments/pending</c>, <c>/api/adjustments/{id}/approve|reject</c>.
/// </summary>
public static class AdjustmentEndpoints
{
    public static void MapAdjustments(this IEndpointRouteBuilder api)
    {
        var onAccount = api.MapGroup("/accounts/{accountId}").WithTags("Adjustments");
        onAccount.MapGet("/adjustments", ListAsync).WithName("AccountAdjustments")
            .WithSummary("An account's adjustments, credit memos and bad-debt write-offs by hand, newest first").Produces<IReadOnlyList<BalanceChangeJson>>();
        onAccount.MapPost("/adjustments", RequestAsync).WithName("RequestAdjustment")
            .WithSummary("Post an adjustment or credit memo; beyond the caller's limit it waits for approval (202)")
            .WithDescription("Limits (configurable, `Recoup:Adjustments`): collector 50.00, supervisor 1,000.00, manager any. Send an `Idempotency-Key` to make retries safe.")
            .RequireAuthorization(Policies.MoveMoney).Accepts<AdjustmentBody>("application/json")
            .Produces<BalanceChangeJson>(StatusCodes.Status201Created).Produces<BalanceChangeJson>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        onAccount.MapGet("/reconciliation", ReconciliationAsync).WithName("AccountReconciliation")
            .WithSummary("The balance explained line by line from the original invoices").Produces<ReconciliationJson>().ProducesProblem(StatusCodes.Status404NotFound);

        var changes = api.MapGroup("/adjustments").WithTags("Adjustments");
        changes.MapGet("/pending", PendingAsync).WithName("PendingAdjustments")
            .WithSummary("Adjustments, credit memos and write-offs waiting for approval, oldest first")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Supervisors)).Produces<IReadOnlyList<BalanceChangeJson>>();
        changes.MapPost("/{changeId}/approve", ApproveAsync).WithName("ApproveAdjustment")
            .WithSummary("Approve and post a pending change; beyond the approver's own limit it is 403")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Supervisors)).Produces<BalanceChangeJson>().ProducesProblem(StatusCodes.Status404NotFound);
        changes.MapPost("/{changeId}/reject", RejectAsync).WithName("RejectAdjustment")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Supervisors)).Accepts<RejectBody>("application/json").Produces<BalanceChangeJson>();
    }

    private static async Task<IResult> ListAsync(string accountId, BalanceChanges changes, CancellationToken ct) =>
        AccountEndpoints.ParseId(accountId) is { } id
            ? TypedResults.Ok((await changes.ForAccountAsync(id, ct)).Select(BalanceChangeJson.From).ToList())
            : AccountEndpoints.NotFound(accountId);

    private static async Task<IResult> ReconciliationAsync(string accountId, AccountReconciliation reconciliation, CancellationToken ct)
    {
        if (AccountEndpoints.ParseId(accountId) is not { } id)
        {
            return AccountEndpoints.NotFound(accountId);
        }

        var explained = await reconciliation.ForAccountAsync(id, ct);
        return explained.Error is { } error ? ApiProblems.From(error) : TypedResults.Ok(ReconciliationJson.From(explained.Value));
    }

    private static async Task<IResult> RequestAsync(
        string accountId, HttpContext http, BalanceChanges changes, RecoupDatabase database, IdempotencyClaims claims, IOptions<JsonOptions> json, CancellationToken ct)
    {
        var options = json.Value.SerializerOptions;
        var (id, currency, body, problem) = await AccountRequest.ReadAsync<AdjustmentBody>(accountId, http, database, options,
            "{\"kind\":\"credit_memo\",\"amount\":\"25.00\",\"reason\":\"pricing\",\"invoice_number\":\"INV-1\"}", ct);
        if (problem is not null)
        {
            return problem;
        }

        var query = new QueryReader();
        var kind = BodyFields.Required<BalanceChangeKind>(query, "kind", body!.Kind);
        if (kind == BalanceChangeKind.BadDebtWriteOff)
        {
            query.Add("kind", "Write bad debt off with POST /api/accounts/{accountId}/write-offs");
        }

        var amount = query.Amount("amount", body.Amount, currency, required: true);
        DateOnly? effectiveOn = body.EffectiveOn is null ? null : query.Date("effective_on", body.EffectiveOn, default);
        if (!query.IsValid)
        {
            return query.Problem();
        }

        return await IdempotentWrite.RunAsync(http, claims, new { accountId, body }, options, () =>
            RunAsync(changes, new RequestBalanceChange(id, kind!.Value, amount!.Value, body.Reason ?? "", body.InvoiceNumber, body.Note, effectiveOn), http, ct), ct);
    }

    /// <summary>Asks for a change: 201 when posted, 202 when it waits for approval.</summary>
    internal static async Task<Answer> RunAsync(BalanceChanges changes, RequestBalanceChange request, HttpContext http, CancellationToken ct)
    {
        var result = await changes.RequestAsync(request, ApiCaller.Actor(http.User), PlanEndpoints.SettlementRoleOf(http.User), ct);
        if (result.Error is { } error)
        {
            return ApiProblems.From(error);
        }

        var status = result.Value.Status == BalanceChangeStatus.Posted ? StatusCodes.Status201Created : StatusCodes.Status202Accepted;
        return new Answer(null, status, BalanceChangeJson.From(result.Value));
    }

    private static async Task<IResult> PendingAsync(BalanceChanges changes, CancellationToken ct) =>
        TypedResults.Ok((await changes.PendingAsync(ct)).Select(BalanceChangeJson.From).ToList());

    private static async Task<IResult> ApproveAsync(string changeId, HttpContext http, BalanceChanges changes, CancellationToken ct)
    {
        if (!Guid.TryParse(changeId, out var id))
        {
            return ApiProblems.NotFound("Adjustment", $"There is no adjustment '{changeId}'");
        }

        var approved = await changes.ApproveAsync(id, ApiCaller.Actor(http.User), PlanEndpoints.SettlementRoleOf(http.User), ct);
        return Decision(approved);
    }

    private static async Task<IResult> RejectAsync(string changeId, HttpContext http, BalanceChanges changes, IOptions<JsonOptions> json, CancellationToken ct)
    {
        if (!Guid.TryParse(changeId, out var id))
        {
            return ApiProblems.NotFound("Adjustment", $"There is no adjustment '{changeId}'");
        }

        var (body, problem) = await JsonBody.ReadAsync<RejectBody>(http, json.Value.SerializerOptions, "{\"reason\":\"...\"}", ct);
        if (problem is not null)
        {
            return problem;
        }

        return Decision(await changes.RejectAsync(id, body!.Reason ?? "", ApiCaller.Actor(http.User), PlanEndpoints.SettlementRoleOf(http.User), ct));
    }

    private static IResult Decision(Domain.Result<BalanceChangeView> result) =>
        result.Error is { Code: "beyond_authority" or "own_request" } refused
            ? ApiProblems.Problem(StatusCodes.Status403Forbidden, "Beyond your authority", refused.Message, refused.Code)
            : result.Error is { } error ? ApiProblems.From(error) : TypedResults.Ok(BalanceChangeJson.From(result.Value));
}
