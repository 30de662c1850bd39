using System.Text.Json;
using Microsoft.Extensions.Options;
using Recoup.Data.Payments;
using Recoup.Domain;
using Recoup.Services.Payments;

namespace Recoup.Web.Api;

/// <summary>Why a payment is reversed.</summary>
public sealed record ReversalBody(string? Reason);

/// <summary>A reversed payment: the reversal entry and the balance before and after.</summary>
public sealed record ReversalJson(string AccountId, string PaymentEntryId, string ReversalEntryId, long Sequence, MoneyJson Amount, string Reason, MoneyJson BalanceBefore, MoneyJson BalanceAfter, long Version, DateTimeOffset ReversedAt, string ReversedBy);

/// <summary>A refund asked for.</summary>
/// <param name="Amount">In major units of the account's currency.</param>
/// <param name="PaymentEntryId">The payment refunded: a duplicate, or a card payment (the money goes back to the card). None: a refund of unapplied credit.</param>
/// <param name="Kind"><c>overpayment</c> (the default without a payment) or <c>duplicate_payment</c> (the default with one).</param>
public sealed record RefundBody(string? Amount, string? Reason, string? PaymentEntryId, string? Kind);

/// <summary>An approver's decision, with an optional note.</summary>
public sealed record RefundDecisionBody(string? Note);

/// <summary>A refund and where it stands.</summary>
public sealed record RefundJson(
    string Id,
    string AccountId,
    string Kind,
    string Status,
    MoneyJson Amount,
    string Reason,
    string? PaymentEntryId,
    string Channel,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? DecisionNote,
    string? RefundEntryId,
    string? GatewayRefundId,
    string? OutboxMessageId,
    string? FailureReason)
{
    public static RefundJson From(RefundView view)
    {
        var r = view.Record;
        return new RefundJson(
            r.Id.ToString(), r.AccountId.ToString(), r.Kind == RefundKind.Overpayment ? "overpayment" : "duplicate_payment", Refunds.Status(r.Status),
            MoneyJson.From(view.Amount), r.Reason, r.PaymentEntryId?.ToString(), r.Channel == RefundChannel.Card ? "card" : "payment_instruction",
            r.RequestedBy, r.RequestedAt, r.DecidedBy, r.DecidedAt, r.DecisionNote, r.RefundEntryId?.ToString(), r.GatewayRefundId, r.OutboxMessageId?.ToString(), r.FailureReason);
    }
}

/// <summary>A payment that repeats an earlier one (same account, amount and reference within the window).</summary>
public sealed record DuplicateJson(
    string AccountId, string OriginalEntryId, long OriginalSequence, string OriginalDate, string DuplicateEntryId, long DuplicateSequence, string DuplicateDate,
    MoneyJson Amount, string Reference, int DaysApart, MoneyJson Refunded);

/// <summary>
/// Reversals of payments, refunds with their approval, and suspected duplicate payments:
/// <c>/api/accounts/{accountId}/payments/{entryId}/reversal</c>, <c>/api/accounts/{accountId}/refunds</c>,
/// <c>/api/refunds/{id}/approve|reject</c>, <c>/api/accounts/{accountId}/payments/duplicates</c>.
/// </summary>
public static class RefundEndpoints
{
    public static void MapRefunds(this IEndpointRouteBuilder api)
    {
        api.MapPost("/accounts/{accountId}/payments/{entryId}/reversal", ReverseAsync)
            .WithTags("Payments")
            .WithName("ReversePayment")
            .WithSummary("Reverse a payment, with a reason")
            .WithDescription("Posts a reversal entry that negates the payment and what it paid (a bounced check, a payment on the wrong account). " +
                "A payment is reversed once: a second reversal is 409 `already_reversed`; a refunded payment is 409 `payment_refunded`. " +
                "Send an `Idempotency-Key` to make retries safe. Audited as `payment.reversed`.")
            .RequireAuthorization(Policies.MoveMoney)
            .Accepts<ReversalBody>("application/json")
            .Produces<ReversalJson>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        api.MapGet("/accounts/{accountId}/payments/duplicates", AccountDuplicatesAsync)
            .WithTags("Refunds")
            .WithName("AccountSuspectedDuplicates")
            .WithSummary("Suspected duplicate payments of an account")
            .WithDescription("Payments with the same amount and reference as an earlier one of the account, received within `Recoup:Payments:DuplicateWindowDays` (default 7) of it.")
            .Produces<IReadOnlyList<DuplicateJson>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/payments/duplicates", DuplicatesAsync)
            .WithTags("Refunds")
            .WithName("SuspectedDuplicates")
            .WithSummary("Suspected duplicate payments of every account")
            .WithDescription("As for one account, over the payments received in the last `days` days (default 90).")
            .Produces<IReadOnlyList<DuplicateJson>>();

        api.MapPost("/accounts/{accountId}/refunds", RequestAsync)
            .WithTags("Refunds")
            .WithName("RequestRefund")
            .WithSummary("Refund unapplied credit or a duplicate payment")
            .WithDescription("A refund at or below `Recoup:Payments:RefundApprovalThreshold` (default 100.00) is carried out at once (201, status `completed`): " +
                "posted as a refund entry and sent to the card of the payment it names when that was a card payment, otherwise written to the outbox as a payment instruction. " +
                "Above the threshold it waits for a supervisor's or manager's approval (202, status `pending_approval`). Send an `Idempotency-Key` to make retries safe.")
            .RequireAuthorization(Policies.MoveMoney)
            .Accepts<RefundBody>("application/json")
            .Produces<RefundJson>(StatusCodes.Status201Created)
            .Produces<RefundJson>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/accounts/{accountId}/refunds", AccountRefundsAsync)
            .WithTags("Refunds")
            .WithName("AccountRefunds")
            .WithSummary("An account's refunds, newest first")
            .Produces<IReadOnlyList<RefundJson>>();

        api.MapGet("/refunds", ListAsync)
            .WithTags("Refunds")
            .WithName("Refunds")
            .WithSummary("Refunds by status (default: waiting for approval)")
            .WithDescription("`status` is `pending_approval` (the default), `completed`, `rejected`, `failed` or `all`.")
            .Produces<IReadOnlyList<RefundJson>>()
            .ProducesValidationProblem();

        api.MapGet("/refunds/{id}", GetAsync)
            .WithTags("Refunds")
            .WithName("Refund")
            .WithSummary("One refund")
            .Produces<RefundJson>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/refunds/{id}/approve", (string id, HttpContext http, Refunds refunds, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct) =>
                DecideAsync(id, http, json.Value.SerializerOptions, (refundId, actor, note) => refunds.ApproveAsync(refundId, actor, note, ct), ct))
            .WithTags("Refunds")
            .WithName("ApproveRefund")
            .WithSummary("Approve a refund waiting for approval, and carry it out")
            .WithDescription("Supervisors, managers and admins; never the person who asked for it (403 `self_approval`). A refund already decided is 409 `refund_not_pending`.")
            .RequireAuthorization(Policies.ApproveRefunds)
            .Accepts<RefundDecisionBody>("application/json")
            .Produces<RefundJson>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/refunds/{id}/reject", (string id, HttpContext http, Refunds refunds, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct) =>
                DecideAsync(id, http, json.Value.SerializerOptions, (refundId, actor, note) => refunds.RejectAsync(refundId, actor, note, ct), ct))
            .WithTags("Refunds")
            .WithName("RejectRefund")
            .WithSummary("Reject a refund waiting for approval")
            .WithDescription("Supervisors, managers and admins; never the person who asked for it. Nothing is posted or sent.")
            .RequireAuthorization(Policies.ApproveRefunds)
            .Accepts<RefundDecisionBody>("application/json")
            .Produces<RefundJson>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> ReverseAsync(
        string accountId, string entryId, HttpContext http, ReversePayment reverse, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        if (AccountEndpoints.ParseId(accountId) is not { } id)
        {
            return AccountEndpoints.NotFound(accountId);
        }

        if (!Guid.TryParse(entryId, out var entryGuid))
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "Entry not found", $"'{entryId}' is not a ledger entry id", ReversePayment.EntryNotFound);
        }

        var options = json.Value.SerializerOptions;
        var (body, invalid) = await JsonBody.ReadAsync<ReversalBody>(http, options, "{\"reason\":\"check returned unpaid\"}", ct, "reversal");
        if (invalid is not null)
        {
            return invalid;
        }

        var query = new QueryReader();
        var key = JsonBodies.IdempotencyKey(http, query);
        if (string.IsNullOrWhiteSpace(body!.Reason))
        {
            query.Add("reason", "Say why the payment is reversed");
        }

        if (!query.IsValid)
        {
            return query.Problem();
        }

        var idempotency = key.Length == 0
            ? null
            : new IdempotentRequest(ApiCaller.Id(http.User), key, IdempotentRequest.Hash("POST", $"/api/accounts/{id}/payments/{entryGuid}/reversal", body.Reason!.Trim()));
        StoredResponse Render(ReversedPayment r) => new(StatusCodes.Status201Created, JsonSerializer.Serialize(
            new ReversalJson(r.AccountId.ToString(), r.PaymentId.ToString(), r.ReversalId.ToString(), r.Sequence, MoneyJson.From(r.Amount), r.Reason,
                MoneyJson.From(r.BalanceBefore), MoneyJson.From(r.BalanceAfter), r.Version, r.ReversedAt, r.Actor),
            options));

        var outcome = await reverse.RunAsync(id, new LedgerEntryId(entryGuid), body.Reason!, ApiCaller.Actor(http.User), idempotency, Render, ct);
        if (outcome.Error is { } error)
        {
            return Problem(error);
        }

        var result = outcome.Value;
        if (result.Replayed)
        {
            http.Response.Headers[PaymentEndpoints.ReplayedHeader] = "true";
        }

        if (result.Value is { } done)
        {
            http.Response.Headers.ETag = AccountEndpoints.ETag(done.Version);
        }

        return JsonBodies.Content(result.Value is { } fresh && idempotency is null ? Render(fresh) : result.Response);
    }

    private static async Task<IResult> AccountDuplicatesAsync(string accountId, Refunds refunds, CancellationToken ct)
    {
        if (AccountEndpoints.ParseId(accountId) is not { } id)
        {
            return AccountEndpoints.NotFound(accountId);
        }

        return TypedResults.Ok((await refunds.SuspectedDuplicatesAsync(id, ct: ct)).Select(ToJson).ToList());
    }

    private static async Task<IResult> DuplicatesAsync(Refunds refunds, int? days, CancellationToken ct)
    {
        if (days is < 1 or > 3660)
        {
            return ApiProblems.Invalid("days", "days is 1 to 3660");
        }

        return TypedResults.Ok((await refunds.SuspectedDuplicatesAsync(null, days ?? 90, ct)).Select(ToJson).ToList());
    }

    private static async Task<IResult> RequestAsync(
        string accountId, HttpContext http, Refunds refunds, IdempotencyClaims claims, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        if (AccountEndpoints.ParseId(accountId) is not { } id)
        {
            return AccountEndpoints.NotFound(accountId);
        }

        var options = json.Value.SerializerOptions;
        var (body, invalid) = await JsonBody.ReadAsync<RefundBody>(http, options, "{\"amount\":\"25.00\",\"reason\":\"overpaid\"}", ct, "refund");
        if (invalid is not null)
        {
            return invalid;
        }

        var query = new QueryReader();
        var amount = JsonBodies.Amount(query, "amount", body!.Amount);
        var key = JsonBodies.IdempotencyKey(http, query);
        LedgerEntryId? payment = null;
        if (!string.IsNullOrWhiteSpace(body.PaymentEntryId))
        {
            if (Guid.TryParse(body.PaymentEntryId, out var paymentGuid))
            {
                payment = new LedgerEntryId(paymentGuid);
            }
            else
            {
                query.Add("payment_entry_id", $"'{body.PaymentEntryId}' is not a ledger entry id");
            }
        }

        RefundKind? kind = body.Kind switch
        {
            null or "" => null,
            "overpayment" => RefundKind.Overpayment,
            "duplicate_payment" => RefundKind.DuplicatePayment,
            _ => (RefundKind)(-1),
        };
        if (kind == (RefundKind)(-1))
        {
            query.Add("kind", "kind is overpayment or duplicate_payment");
        }

        if (string.IsNullOrWhiteSpace(body.Reason))
        {
            query.Add("reason", "Say why the money is refunded");
        }

        if (!query.IsValid)
        {
            return query.Problem();
        }

        var idempotency = key.Length == 0
            ? null
            : new IdempotentRequest(ApiCaller.Id(http.User), key, IdempotentRequest.Hash("POST", $"/api/accounts/{id}/refunds", body.Amount!, body.Reason!, body.PaymentEntryId ?? "", body.Kind ?? ""));
        if (idempotency is not null)
        {
            var claimed = await claims.ClaimAsync(idempotency, ct);
            if (claimed.Error is { } claimError)
            {
                return ApiProblems.From(claimError);
            }

            if (claimed.Value is { } stored)
            {
                http.Response.Headers[PaymentEndpoints.ReplayedHeader] = "true";
                return JsonBodies.Content(stored);
            }
        }

        Result<RefundView> result;
        try
        {
            result = await refunds.RequestAsync(new RefundRequest(id, amount, body.Reason!, payment, kind), ApiCaller.Actor(http.User), ct);
        }
        catch
        {
            if (idempotency is not null)
            {
                await claims.ReleaseAsync(idempotency, CancellationToken.None);
            }

            throw;
        }

        if (result.Error is { } error)
        {
            if (idempotency is not null)
            {
                await claims.ReleaseAsync(idempotency, CancellationToken.None);
            }

            return Problem(error);
        }

        var view = result.Value;
        var response = new StoredResponse(
            view.Status == RefundStatus.PendingApproval ? StatusCodes.Status202Accepted : StatusCodes.Status201Created,
            JsonSerializer.Serialize(RefundJson.From(view), options));
        if (idempotency is not null)
        {
            await claims.CompleteAsync(idempotency, response, CancellationToken.None);
        }

        http.Response.Headers.Location = $"/api/refunds/{view.Id}";
        return JsonBodies.Content(response);
    }

    private static async Task<IResult> AccountRefundsAsync(string accountId, Refunds refunds, CancellationToken ct)
    {
        if (AccountEndpoints.ParseId(accountId) is not { } id)
        {
            return AccountEndpoints.NotFound(accountId);
        }

        return TypedResults.Ok((await refunds.ListAsync(id, null, ct)).Select(RefundJson.From).ToList());
    }

    private static async Task<IResult> ListAsync(Refunds refunds, string? status, CancellationToken ct)
    {
        RefundStatus? wanted = (status ?? "pending_approval") switch
        {
            "pending_approval" => RefundStatus.PendingApproval,
            "completed" => RefundStatus.Completed,
            "rejected" => RefundStatus.Rejected,
            "failed" => RefundStatus.Failed,
            "all" => null,
            _ => (RefundStatus)(-1),
        };
        if (wanted == (RefundStatus)(-1))
        {
            return ApiProblems.Invalid("status", "status is pending_approval, completed, rejected, failed or all");
        }

        return TypedResults.Ok((await refunds.ListAsync(null, wanted, ct)).Select(RefundJson.From).ToList());
    }

    private static async Task<IResult> GetAsync(string id, Refunds refunds, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var refundId))
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "Refund not found", $"'{id}' is not a refund id", Refunds.NotFound);
        }

        var found = await refunds.FindAsync(refundId, ct);
        return found.Error is { } error ? Problem(error) : TypedResults.Ok(RefundJson.From(found.Value));
    }

    private static async Task<IResult> DecideAsync(string id, HttpContext http, JsonSerializerOptions options, Func<Guid, string, string?, Task<Result<RefundView>>> decide, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var refundId))
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "Refund not found", $"'{id}' is not a refund id", Refunds.NotFound);
        }

        string? note = null;
        if (http.Request.ContentLength is > 0 || http.Request.HasJsonContentType())
        {
            var (body, invalid) = await JsonBody.ReadAsync<RefundDecisionBody>(http, options, "{\"note\":\"checked with the debtor\"}", ct, "decision");
            if (invalid is not null)
            {
                return invalid;
            }

            note = body!.Note;
        }

        if (note is { Length: > 500 })
        {
            return ApiProblems.Invalid("note", "The note is longer than 500 characters");
        }

        var result = await decide(refundId, ApiCaller.Actor(http.User), note);
        return result.Error is { } error ? Problem(error) : TypedResults.Ok(RefundJson.From(result.Value));
    }

    private static DuplicateJson ToJson(SuspectedDuplicate d) => new(
        d.AccountId.ToString(), d.OriginalEntryId.ToString(), d.OriginalSequence, ApiJson.Date(d.OriginalDate), d.DuplicateEntryId.ToString(), d.DuplicateSequence,
        ApiJson.Date(d.DuplicateDate), MoneyJson.From(d.Amount), d.Reference, d.DaysApart, MoneyJson.From(d.Refunded));

    private static IResult Problem(Error error) => error.Code switch
    {
        Refunds.NotFound => ApiProblems.Problem(StatusCodes.Status404NotFound, "Refund not found", error.Message, error.Code),
        ReversePayment.EntryNotFound => ApiProblems.Problem(StatusCodes.Status404NotFound, "Entry not found", error.Message, error.Code),
        Refunds.NotPending => ApiProblems.Problem(StatusCodes.Status409Conflict, "The refund was already decided", error.Message, error.Code),
        Refunds.SelfApproval => ApiProblems.Problem(StatusCodes.Status403Forbidden, "You cannot decide your own refund", error.Message, error.Code),
        Refunds.Failed => ApiProblems.Problem(StatusCodes.Status409Conflict, "The refund could not be carried out", error.Message, error.Code),
        ReversePayment.AlreadyReversed => ApiProblems.Problem(StatusCodes.Status409Conflict, "The payment was already reversed", error.Message, error.Code),
        "reversal_blocked" or "payment_refunded" => ApiProblems.Problem(StatusCodes.Status409Conflict, "The payment cannot be reversed now", error.Message, error.Code),
        _ => ApiProblems.From(error),
    };
}
