using Microsoft.Extensions.Options;
using Recoup.Domain.Disputes;
using Recoup.Services.Adjustments;
using Recoup.Services.Disputes;
using Recoup.Services.Payments;
using Recoup.Services.Storage;
using Recoup.Services.WriteOffs;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Recoup.Web.Api;

/// <summary>An invoice named in a dispute: its number and the amount disputed on it (none: all that is open on it).</summary>
public sealed record DisputedInvoiceBody(string? InvoiceNumber, string? Amount);

/// <summary>A dispute to open. Without <c>invoices</c> it is on the account: <c>amount</c>, or the whole balance not already disputed.</summary>
public sealed record OpenDisputeBody(
    string? Reason, string? Source, string? Description, string? Amount, IReadOnlyList<DisputedInvoiceBody>? Invoices, string? Department, string? Owner, string? DueOn);

/// <summary>How a dispute is resolved: <c>upheld</c>, <c>partially_upheld</c> (with <c>credited</c>) or <c>rejected</c>; <c>evidence</c> goes to the debtor.</summary>
public sealed record ResolveDisputeBody(string? Outcome, string? Remedy, string? Credited, string? Note, string? Evidence);

/// <summary>A dispute handed to another department, owner or due date.</summary>
public sealed record RouteDisputeBody(string? Department, string? Owner, string? DueOn);

public sealed record DisputeItemJson(string InvoiceNumber, MoneyJson Amount);

public sealed record DisputeJson(
    string DisputeId, string AccountId, string DebtorId, string DebtorName, MoneyJson Amount, DisputeReason Reason, DisputeSource Source, DisputeDepartment Department,
    string? Owner, string Description, bool InWriting, string OpenedOn, DateTimeOffset OpenedAt, string OpenedBy, string DueOn, int AgeDays, bool Breached,
    DisputeStatus Status, string? ResolvedOn, string? ResolvedBy, MoneyJson Credited, DisputeRemedy? Remedy, string? CreditEntryId, string? Resolution,
    DateTimeOffset? VerificationSentAt, IReadOnlyList<DisputeItemJson> Invoices)
{
    public static DisputeJson From(DisputeView d) => new(
        d.Id.ToString(), d.AccountId.ToString(), d.DebtorId, d.DebtorName, MoneyJson.From(d.Amount), d.Reason, d.Source, d.Department, d.Owner, d.Description, d.InWriting,
        ApiJson.Date(d.OpenedOn), d.OpenedAt, d.OpenedBy, ApiJson.Date(d.DueOn), d.AgeDays, d.Breached, d.Status, d.ResolvedOn is { } on ? ApiJson.Date(on) : null,
        d.ResolvedBy, MoneyJson.From(d.Credited), d.Remedy, d.CreditEntryId?.ToString(), d.Resolution, d.VerificationSentAt,
        d.Items.Select(i => new DisputeItemJson(i.InvoiceNumber, MoneyJson.From(i.Amount))).ToList());
}

/// <summary>What a dispute import opened (or, in a dry run, would open); <c>already_imported</c> when the same content was imported before.</summary>
public sealed record DisputeImportJson(string File, string Sha256, bool DryRun, bool AlreadyImported, int Opened, IReadOnlyList<DisputeJson> Disputes);

/// <summary>An account's disputes and the hold: the balance, what open disputes hold, and what is collectible.</summary>
public sealed record AccountDisputesJson(string AccountId, MoneyJson Balance, MoneyJson Held, MoneyJson Collectible, bool HeldInFull, IReadOnlyList<DisputeJson> Disputes)
{
    public static AccountDisputesJson From(AccountDisputesView v) =>
        new(v.AccountId.ToString(), MoneyJson.From(v.Balance), MoneyJson.From(v.Held), MoneyJson.From(v.Collectible), v.HeldInFull, v.Disputes.Select(DisputeJson.From).ToList());
}

/// <summary>
/// Disputes (docs/disputes.md): <c>/api/accounts/{accountId}/disputes</c>, <c>/api/disputes</c> (the supervisors'
/// list by age and SLA), <c>/api/disputes/{id}/resolve</c>, <c>/api/disputes/{id}/route</c>. Also registers and maps
/// adjustments and write-offs (<see cref="AdjustmentEndpoints"/>, <see cref="WriteOffEndpoints"/>).
/// </summary>
public static class DisputeEndpoints
{
    /// <summary>The use cases of disputes, adjustments and write-offs, and their settings (<c>Recoup:Disputes</c>, <c>Recoup:Adjustments</c>, <c>Recoup:WriteOffs</c>).</summary>
    public static IServiceCollection AddDisputes(this IServiceCollection services)
    {
        services.AddSingleton(provider => DisputeSettings.Load(provider.GetService<IConfiguration>()));
        services.AddScoped<Disputes>();
        services.AddScoped<DisputeImport>();
        services.AddScoped<BalanceChanges>();
        services.AddScoped<AccountReconciliation>();
        services.AddScoped<SmallBalanceWriteOffs>();
        services.AddScoped<Recoveries>();
        return services;
    }

    public static void MapDisputes(this IEndpointRouteBuilder api)
    {
        var onAccount = api.MapGroup("/accounts/{accountId}").WithTags("Disputes");
        onAccount.MapGet("/disputes", AccountDisputesAsync).WithName("AccountDisputes")
            .WithSummary("An account's disputes, with what the open ones hold out of collection and what is collectible")
            .Produces<AccountDisputesJson>().ProducesProblem(StatusCodes.Status404NotFound);
        onAccount.MapPost("/disputes", OpenAsync).WithName("OpenDispute")
            .WithSummary("Open a dispute on the account or on named invoices; its amount is held out of collection")
            .WithDescription("Audited as `dispute.opened`, raises the `dispute.opened` webhook event and writes an acknowledgement to the debtor to the outbox. Send an `Idempotency-Key` to make retries safe.")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Workers)).Accepts<OpenDisputeBody>("application/json")
            .Produces<DisputeJson>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        var disputes = api.MapGroup("/disputes").WithTags("Disputes");
        disputes.MapGet("/", ListAsync).WithName("ListDisputes")
            .WithSummary("Disputes by status (default open), oldest first, with age, owner, department, due date and whether the SLA is breached")
            .Produces<IReadOnlyList<DisputeJson>>().ProducesValidationProblem();
        disputes.MapPost("/import", ImportAsync).WithName("ImportDisputes")
            .WithSummary("Import disputes received elsewhere (CSV: account_number,invoice_number,amount,currency,reason,opened_on,channel,note)")
            .WithDescription("The body is the CSV file itself, `Content-Type: text/csv`; `?dry_run=true` checks it and opens nothing. All or nothing: any problem " +
                "(a bad value, an unknown account or invoice, more than is open) is a 400 listing every problem with its line and column, and nothing is opened. " +
                "The same content imported again opens nothing (`already_imported`). Supervisor, manager or admin. See docs/disputes.md.")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Supervisors)).Accepts<string>("text/csv")
            .Produces<DisputeImportJson>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        disputes.MapGet("/{disputeId}", GetAsync).WithName("GetDispute").Produces<DisputeJson>().ProducesProblem(StatusCodes.Status404NotFound);
        disputes.MapPost("/{disputeId}/resolve", ResolveAsync).WithName("ResolveDispute")
            .WithSummary("Resolve a dispute: upheld (credit memo or adjustment), partially upheld, or rejected (the evidence goes to the debtor)")
            .WithDescription("A credit beyond the caller's adjustment limit is 403 `beyond_authority`. Audited as `dispute.resolved`; raises `dispute.resolved`.")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Workers)).Accepts<ResolveDisputeBody>("application/json")
            .Produces<DisputeJson>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        disputes.MapPost("/{disputeId}/route", RouteAsync).WithName("RouteDispute")
            .WithSummary("Hand an open dispute to another department, owner or due date")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Workers)).Accepts<RouteDisputeBody>("application/json").Produces<DisputeJson>();

        api.MapAdjustments();
        api.MapWriteOffs();
    }

    private static async Task<IResult> AccountDisputesAsync(string accountId, Disputes disputes, CancellationToken ct)
    {
        if (AccountEndpoints.ParseId(accountId) is not { } id)
        {
            return AccountEndpoints.NotFound(accountId);
        }

        var view = await disputes.ForAccountAsync(id, ct);
        return view.Error is { } error ? ApiProblems.From(error) : TypedResults.Ok(AccountDisputesJson.From(view.Value));
    }

    private static async Task<IResult> OpenAsync(
        string accountId, HttpContext http, Disputes disputes, RecoupDatabase database, IdempotencyClaims claims, IOptions<JsonOptions> json, CancellationToken ct)
    {
        var options = json.Value.SerializerOptions;
        var (id, currency, body, problem) = await AccountRequest.ReadAsync<OpenDisputeBody>(accountId, http, database, options,
            "{\"reason\":\"wrong_amount\",\"source\":\"collector\",\"description\":\"...\",\"invoices\":[{\"invoice_number\":\"INV-1\",\"amount\":\"100.00\"}]}", ct);
        if (problem is not null)
        {
            return problem;
        }

        var query = new QueryReader();
        var reason = BodyFields.Required<DisputeReason>(query, "reason", body!.Reason);
        var source = body.Source is null ? DisputeSource.Collector : query.Enum<DisputeSource>("source", body.Source);
        var department = query.Enum<DisputeDepartment>("department", body.Department);
        var amount = query.Amount("amount", body.Amount, currency);
        DateOnly? dueOn = body.DueOn is null ? null : query.Date("due_on", body.DueOn, default);
        var invoices = new List<DisputedInvoice>();
        foreach (var item in body.Invoices ?? [])
        {
            if (string.IsNullOrWhiteSpace(item.InvoiceNumber))
            {
                query.Add("invoices", "Each invoice needs its invoice_number");
                continue;
            }

            invoices.Add(new DisputedInvoice(item.InvoiceNumber, query.Amount("invoices", item.Amount, currency)));
        }

        if (invoices.Count > 0 && amount is not null)
        {
            query.Add("amount", "Give the amount per invoice, or an amount on the account, not both");
        }

        if (!query.IsValid)
        {
            return query.Problem();
        }

        return await IdempotentWrite.RunAsync(http, claims, new { accountId, body }, options, async () =>
        {
            var opened = await disputes.OpenAsync(new OpenDispute(id, reason!.Value, source!.Value, body.Description ?? "", amount, invoices, department, body.Owner, dueOn), ApiCaller.Actor(http.User), ct);
            return opened.Error is { } error ? ApiProblems.From(error) : new Answer(null, StatusCodes.Status201Created, DisputeJson.From(opened.Value), $"/api/disputes/{opened.Value.Id}");
        }, ct);
    }

    private static async Task<IResult> ListAsync(HttpContext http, Disputes disputes, CancellationToken ct)
    {
        var q = http.Request.Query;
        var query = new QueryReader();
        var status = query.Enum<DisputeStatus>("status", q["status"].FirstOrDefault());
        var department = query.Enum<DisputeDepartment>("department", q["department"].FirstOrDefault());
        var limit = query.Limit(q["limit"].FirstOrDefault(), 200, 500);
        var breached = q["breached"].FirstOrDefault() is { } text && (text == "true" || text == "1");
        if (!query.IsValid)
        {
            return query.Problem();
        }

        var list = await disputes.ListAsync(status, department, q["owner"].FirstOrDefault(), breached, limit, ct);
        return TypedResults.Ok(list.Select(DisputeJson.From).ToList());
    }

    private static async Task<IResult> ImportAsync(HttpContext http, DisputeImport import, CancellationToken ct)
    {
        if (!string.Equals(http.Request.ContentType?.Split(';')[0].Trim(), "text/csv", StringComparison.OrdinalIgnoreCase))
        {
            return ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, "Send CSV",
                "Send the file as the body with 'Content-Type: text/csv' (curl --data-binary @disputes.csv -H 'Content-Type: text/csv').", "unsupported_media_type");
        }

        var q = http.Request.Query;
        var name = q["file_name"].FirstOrDefault() is { Length: > 0 } given ? given.Trim() : DisputeImport.DefaultFileName;
        if (name.Length > 64)
        {
            return ApiProblems.Invalid("file_name", "The file name is at most 64 characters");
        }

        var dryRun = q["dry_run"].FirstOrDefault() is "true" or "1";
        using var body = new StreamReader(http.Request.Body, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var text = await body.ReadToEndAsync(ct);
        var outcome = await import.RunAsync(text, name, dryRun, ApiCaller.Actor(http.User), ct);
        if (!outcome.Succeeded)
        {
            var problem = ApiProblems.Problem(StatusCodes.Status400BadRequest, "The file has errors; no dispute was opened",
                $"{outcome.Errors.Count} problem{(outcome.Errors.Count == 1 ? "" : "s")} in {name}, listed in errors with their line and column. Fix the file and send it again.",
                "invalid_file");
            problem.ProblemDetails.Extensions["errors"] = outcome.Errors.Select(e => new FileErrorJson(e.Line, e.Column, e.Message)).ToList();
            return problem;
        }

        return TypedResults.Ok(new DisputeImportJson(name, outcome.Sha256, outcome.DryRun, outcome.AlreadyImported, outcome.Disputes.Count,
            outcome.Disputes.Select(DisputeJson.From).ToList()));
    }

    private static async Task<IResult> GetAsync(string disputeId, Disputes disputes, CancellationToken ct)
    {
        if (!Guid.TryParse(disputeId, out var id))
        {
            return ApiProblems.NotFound("Dispute", $"There is no dispute '{disputeId}'");
        }

        var found = await disputes.GetAsync(id, ct);
        return found.Error is { } error ? ApiProblems.From(error) : TypedResults.Ok(DisputeJson.From(found.Value));
    }

    private static async Task<IResult> ResolveAsync(string disputeId, HttpContext http, Disputes disputes, IdempotencyClaims claims, IOptions<JsonOptions> json, CancellationToken ct)
    {
        if (!Guid.TryParse(disputeId, out var id))
        {
            return ApiProblems.NotFound("Dispute", $"There is no dispute '{disputeId}'");
        }

        var options = json.Value.SerializerOptions;
        var (body, problem) = await JsonBody.ReadAsync<ResolveDisputeBody>(http, options, "{\"outcome\":\"rejected\",\"evidence\":\"...\"}", ct);
        if (problem is not null)
        {
            return problem;
        }

        var existing = await disputes.GetAsync(id, ct);
        if (existing.Error is { } missing)
        {
            return ApiProblems.From(missing);
        }

        var query = new QueryReader();
        var outcome = BodyFields.Required<DisputeStatus>(query, "outcome", body!.Outcome);
        var remedy = body.Remedy is null ? DisputeRemedy.CreditMemo : query.Enum<DisputeRemedy>("remedy", body.Remedy);
        var credited = query.Amount("credited", body.Credited, existing.Value.Amount.Currency, required: outcome == DisputeStatus.PartiallyUpheld);
        if (outcome == DisputeStatus.Open)
        {
            query.Add("outcome", "A dispute is resolved upheld, partially_upheld or rejected");
        }

        if (!query.IsValid)
        {
            return query.Problem();
        }

        return await IdempotentWrite.RunAsync(http, claims, new { disputeId, body }, options, async () =>
        {
            var resolved = await disputes.ResolveAsync(id, new ResolveDispute(outcome!.Value, remedy!.Value, credited, body.Note, body.Evidence),
                ApiCaller.Actor(http.User), PlanEndpoints.SettlementRoleOf(http.User), ct);
            return resolved.Error is { Code: "beyond_authority" } beyond
                ? ApiProblems.Problem(StatusCodes.Status403Forbidden, "Beyond your authority", beyond.Message, beyond.Code)
                : resolved.Error is { } error ? ApiProblems.From(error) : new Answer(null, StatusCodes.Status200OK, DisputeJson.From(resolved.Value));
        }, ct);
    }

    private static async Task<IResult> RouteAsync(string disputeId, HttpContext http, Disputes disputes, IOptions<JsonOptions> json, CancellationToken ct)
    {
        if (!Guid.TryParse(disputeId, out var id))
        {
            return ApiProblems.NotFound("Dispute", $"There is no dispute '{disputeId}'");
        }

        var (body, problem) = await JsonBody.ReadAsync<RouteDisputeBody>(http, json.Value.SerializerOptions, "{\"department\":\"billing\",\"owner\":\"billie\"}", ct);
        if (problem is not null)
        {
            return problem;
        }

        var query = new QueryReader();
        var department = query.Enum<DisputeDepartment>("department", body!.Department);
        DateOnly? dueOn = body.DueOn is null ? null : query.Date("due_on", body.DueOn, default);
        if (!query.IsValid)
        {
            return query.Problem();
        }

        var routed = await disputes.RouteAsync(id, department, body.Owner, dueOn, ApiCaller.Actor(http.User), ct);
        return routed.Error is { } error ? ApiProblems.From(error) : TypedResults.Ok(DisputeJson.From(routed.Value));
    }
}
