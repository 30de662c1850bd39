using System.ComponentModel;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Recoup.Data.Payments;
using Recoup.Domain.Payments;
using Recoup.Formats.Payments;
using Recoup.Services.Payments;
using Recoup.Web.Identity;

namespace Recoup.Web.Api;

/// <summary>One payment the import refused outright, with its line.</summary>
public sealed record RejectedJson(int Line, string Reason);

/// <summary>A payment file import: what was read, matched, posted and queued. Totals are decimal strings per currency.</summary>
public sealed record PaymentImportJson(
    string? ImportId,
    string Format,
    string FileName,
    string Sha256,
    int Records,
    IReadOnlyDictionary<string, string> Total,
    int Matched,
    int Unmatched,
    int Posted,
    IReadOnlyList<RejectedJson> Rejected,
    string AutoMatchRate,
    bool DryRun,
    DateTimeOffset ImportedAt,
    string ImportedBy);

/// <summary>An account cash application suggests for a payment, with its confidence (0–100) and why.</summary>
public sealed record SuggestionJson(string AccountId, string DebtorId, string Name, string? InvoiceNumber, int Confidence, string Reason);

/// <summary>A payment in the unmatched queue.</summary>
public sealed record UnmatchedJson(
    string UnmatchedPaymentId,
    string ImportId,
    string FileName,
    int Line,
    MoneyJson Amount,
    string? ValueDate,
    string? PayerName,
    string? BankReference,
    IReadOnlyList<string> References,
    string? RemittanceText,
    string TypeCode,
    string Reason,
    IReadOnlyList<SuggestionJson> Suggestions,
    UnmatchedStatus Status,
    DateTimeOffset CreatedAt,
    string? MatchedAccountId,
    string? MatchedEntryId,
    string? MatchedBy,
    DateTimeOffset? MatchedAt,
    string? ReturnReason,
    string? ReturnedBy,
    DateTimeOffset? ReturnedAt)
{
    public static UnmatchedJson From(UnmatchedView p) => new(
        p.Id.ToString(), p.ImportId.ToString(), p.FileName, p.Line, MoneyJson.From(p.Amount), p.ValueDate is { } d ? ApiJson.Date(d) : null,
        p.PayerName, p.BankReference, p.References, p.RemittanceText, p.TypeCode, p.Reason,
        p.Suggestions.Select(s => new SuggestionJson(s.AccountId.ToString(), s.DebtorExternalId, s.DebtorName, s.InvoiceNumber, s.Confidence, s.Reason)).ToList(),
        p.Status, p.CreatedAt, p.MatchedAccountId?.ToString(), p.MatchedEntryId?.ToString(), p.MatchedBy, p.MatchedAt,
        p.ReturnReason, p.ReturnedBy, p.ReturnedAt);
}

/// <summary>Which account (and optionally which invoice first) a queued payment belongs to.</summary>
public sealed record MatchBody(string? AccountId, string? InvoiceNumber);

/// <summary>Why a queued payment goes back to the payer.</summary>
public sealed record ReturnBody(string? Reason);

/// <summary>A queued payment sent back to the payer through a payment instruction in the outbox.</summary>
public sealed record ReturnJson(string UnmatchedPaymentId, MoneyJson Amount, string Reason, string ReturnedBy, DateTimeOffset ReturnedAt, string InstructionId, bool AlreadyReturned);

/// <summary>A queued payment posted to an account.</summary>
public sealed record MatchJson(
    string UnmatchedPaymentId, string AccountId, string EntryId, MoneyJson Amount, IReadOnlyList<PaymentApplicationJson> AppliedTo, MoneyJson BalanceAfter,
    string MatchedBy, DateTimeOffset MatchedAt, bool AlreadyMatched);

/// <summary>
/// Bank and lockbox imports and the unmatched-payments queue: <c>POST /api/payments/imports</c>,
/// <c>GET /api/payments/imports/{id}</c>, <c>GET /api/payments/unmatched</c>, <c>POST /api/payments/unmatched/{id}/match</c>.
/// </summary>
public static class PaymentImportEndpoints
{
    /// <summary>The largest file the API takes; bigger files go through <c>recoup payments import</c>.</summary>
    public const long MaxFileBytes = 100L * 1024 * 1024;

    public static void MapPaymentImports(this IEndpointRouteBuilder api)
    {
        api.MapPost("/payments/imports", ImportAsync)
            .WithTags("Payments")
            .WithName("ImportPaymentFile")
            .WithSummary("Import a bank or lockbox file (BAI2, camt.053/054, NACHA returns, CSV)")
            .WithDescription("The body is the file itself (any content type but a form, e.g. `application/octet-stream`), or for API-key callers a multipart form with one file. " +
                "`format` is auto (default), bai2, camt053, camt054, nacha-returns or csv. The whole file is read and its control totals checked first: a malformed file is a 400 " +
                "naming the line and posts nothing. The same content again is a 409 naming the earlier import. Confident matches are posted, the rest go to the unmatched queue. " +
                "`dry_run=true` reads and matches without writing (200). Supervisor, manager or admin. See docs/cash-application.md.")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Supervisors))
            .DisableAntiforgery()
            .Produces<PaymentImportJson>(StatusCodes.Status201Created)
            .Produces<PaymentImportJson>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        api.MapGet("/payments/imports/{importId}", GetImportAsync)
            .WithTags("Payments")
            .WithName("GetPaymentImport")
            .WithSummary("One payment file import: counts, totals, rejected lines and the auto-match rate")
            .Produces<PaymentImportJson>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/payments/unmatched", ListAsync)
            .WithTags("Payments")
            .WithName("ListUnmatchedPayments")
            .WithSummary("The unmatched-payments queue, oldest first, with each payment's best suggestions")
            .Produces<PageJson<UnmatchedJson>>()
            .ProducesValidationProblem();

        api.MapPost("/payments/unmatched/{unmatchedId}/match", MatchAsync)
            .WithTags("Payments")
            .WithName("MatchUnmatchedPayment")
            .WithSummary("Post a queued payment to the account a person chose")
            .WithDescription("Body: `{\"account_id\":\"…\",\"invoice_number\":\"INV-1\"}` (the invoice is optional; without it the oldest due is paid first). " +
                "Idempotent: matching it again to the same account answers the first match (200, `already_matched: true`) and posts nothing; to another account is 409. " +
                "Audited as `payment.matched` on the account. Collector, supervisor, manager or admin.")
            .RequireAuthorization(Policies.MoveMoney)
            .Accepts<MatchBody>("application/json")
            .Produces<MatchJson>(StatusCodes.Status201Created)
            .Produces<MatchJson>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        api.MapPost("/payments/unmatched/{unmatchedId}/return", ReturnAsync)
            .WithTags("Payments")
            .WithName("ReturnUnmatchedPayment")
            .WithSummary("Send a queued payment back to the payer")
            .WithDescription("Body: `{\"reason\":\"No account for this payer\"}`. The payment leaves the queue as `returned_to_bank` and a payment instruction " +
                "to return it goes into the outbox; nothing is posted to a ledger. Idempotent: returning it again answers the first return (200, `already_returned: true`); " +
                "a payment already matched to an account is 409 (reverse and refund it there). Audited as `payment.returned_to_bank`. Collector, supervisor, manager or admin.")
            .RequireAuthorization(Policies.MoveMoney)
            .Accepts<ReturnBody>("application/json")
            .Produces<ReturnJson>(StatusCodes.Status201Created)
            .Produces<ReturnJson>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
    }

    private static async Task<IResult> ImportAsync(
        HttpContext http,
        ImportPaymentFile import,
        [FromQuery(Name = "format"), Description("auto (default), bai2, camt053, camt054, nacha-returns or csv.")] string? format,
        [FromQuery(Name = "file_name"), Description("The file's name for a raw body, for errors and the record; default payments.")] string? fileName,
        [FromQuery(Name = "dry_run"), Description("true: read, check and match, but write nothing.")] bool? dryRun,
        CancellationToken ct)
    {
        var name = string.IsNullOrWhiteSpace(fileName) ? "payments" : fileName.Trim();
        using var content = new MemoryStream();
        // A page on another site can make a signed-in browser post a form or plain text (no CORS preflight):
        // browsers must send the file with another content type; forms are for API-key callers.
        var mediaType = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (http.User.Identity?.AuthenticationType != ApiKeyAuthentication.SchemeName && (http.Request.HasFormContentType || mediaType is null or "text/plain"))
        {
            return ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, "Send the file as the body",
                "Send the file itself as the body with a content type such as application/octet-stream or text/csv; multipart forms are for API-key callers.", "unsupported_media_type");
        }

        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(ct);
            if (form.Files is not [var upload])
            {
                return ApiProblems.Invalid("file", "Send exactly one file in the form");
            }

            name = string.IsNullOrWhiteSpace(fileName) ? Path.GetFileName(upload.FileName) : name;
            await using var stream = upload.OpenReadStream();
            await stream.CopyToAsync(content, ct);
        }
        else
        {
            await http.Request.Body.CopyToAsync(content, ct);
        }

        if (content.Length > MaxFileBytes)
        {
            return ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "The file is too large",
                $"The API takes files up to {MaxFileBytes / 1024 / 1024} MB; import larger ones with `recoup payments import`.", "file_too_large");
        }

        if (content.Length == 0)
        {
            return ApiProblems.Invalid("file", "The file is empty; send it as the body");
        }

        content.Position = 0;
        var outcome = await import.RunAsync(content, name.Length > 256 ? name[..256] : name, format ?? PaymentFormats.Auto, dryRun ?? false, ApiCaller.Actor(http.User), null, ct);
        if (outcome.Error is { } error)
        {
            if (outcome.Problem is { } problem)
            {
                var result = ApiProblems.Problem(StatusCodes.Status400BadRequest, "The file is malformed; nothing was imported", error.Message, error.Code);
                result.ProblemDetails.Extensions["line"] = problem.Line;
                result.ProblemDetails.Extensions["field"] = problem.Field;
                return result;
            }

            if (outcome.AlreadyImportedAs is { } earlier)
            {
                var result = ApiProblems.Problem(StatusCodes.Status409Conflict, "This file was already imported", error.Message, error.Code);
                result.ProblemDetails.Extensions["import_id"] = earlier.ToString();
                return result;
            }

            return ApiProblems.From(error);
        }

        var report = outcome.Report!;
        var json = new PaymentImportJson(
            report.ImportId?.ToString(), report.Format, report.FileName, report.ContentHash, report.Records,
            report.Totals.ToDictionary(t => t.Currency.Code, t => t.ToDecimalString(), StringComparer.Ordinal),
            report.Matched, report.Unmatched, report.Posted, report.Rejected.Select(r => new RejectedJson(r.Line, r.Reason)).ToList(),
            Rate(report.AutoMatchRate), report.DryRun, report.ImportedAt, report.ImportedBy);
        return report.ImportId is { } id ? TypedResults.Created($"/api/payments/imports/{id}", json) : TypedResults.Ok(json);
    }

    private static async Task<IResult> GetImportAsync(string importId, UnmatchedPayments queue, CancellationToken ct)
    {
        if (!Guid.TryParse(importId, out var id) || await queue.GetImportAsync(id, ct) is not { } record)
        {
            return ApiProblems.NotFound("Import", $"There is no payment import {importId}");
        }

        var totals = record.Totals.Split("; ", StringSplitOptions.RemoveEmptyEntries).Select(t => t.Split(' ')).ToDictionary(t => t[0], t => t[1], StringComparer.Ordinal);
        var rejected = record.RejectedLines.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(": ", 2))
            .Select(p => new RejectedJson(int.Parse(p[0], CultureInfo.InvariantCulture), p[1]))
            .ToList();
        return TypedResults.Ok(new PaymentImportJson(
            record.Id.ToString(), record.Format, record.FileName, record.ContentHash, record.Records, totals, record.Matched, record.Unmatched, record.Matched,
            rejected, Rate(record.AutoMatchRate), false, record.ImportedAt, record.ImportedBy));
    }

    private static async Task<IResult> ListAsync(
        UnmatchedPayments queue,
        [FromQuery(Name = "status"), Description("open (default), matched, returned_to_bank or all.")] string? status,
        [FromQuery(Name = "cursor"), Description("The next_cursor of the previous page.")] string? cursor,
        [FromQuery(Name = "limit"), Description("1 to 200; default 50.")] string? limit,
        CancellationToken ct)
    {
        var query = new QueryReader();
        var wanted = status is null or "all" ? null : query.Enum<UnmatchedStatus>("status", status);
        var size = query.Limit(limit, 50, UnmatchedPayments.MaxLimit);
        if (!query.IsValid)
        {
            return query.Problem();
        }

        var page = await queue.ListAsync(status is null ? UnmatchedStatus.Open : wanted, cursor, size, ct);
        if (page.Error is { } error)
        {
            return ApiProblems.From(error);
        }

        return TypedResults.Ok(new PageJson<UnmatchedJson>(page.Value.Items.Select(UnmatchedJson.From).ToList(), page.Value.NextCursor));
    }

    private static async Task<IResult> MatchAsync(
        string unmatchedId, HttpContext http, MatchUnmatchedPayment match, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        if (!Guid.TryParse(unmatchedId, out var id))
        {
            return ApiProblems.NotFound("Unmatched payment", $"There is no unmatched payment {unmatchedId}");
        }

        var (body, problem) = await JsonBody.ReadAsync<MatchBody>(http, json.Value.SerializerOptions, "{\"account_id\":\"…\"}", ct);
        if (problem is not null)
        {
            return problem;
        }

        if (AccountEndpoints.ParseId(body!.AccountId ?? "") is not { } accountId)
        {
            return ApiProblems.Invalid("account_id", "Name the account to post the payment to, by its id");
        }

        var result = await match.RunAsync(id, accountId, body.InvoiceNumber, ApiCaller.Actor(http.User), ct);
        if (result.Error is { } error)
        {
            return error.Code switch
            {
                MatchUnmatchedPayment.NotFound => ApiProblems.NotFound("Unmatched payment", error.Message),
                MatchUnmatchedPayment.AlreadyMatched or MatchUnmatchedPayment.ReturnedToBank => ApiProblems.Problem(StatusCodes.Status409Conflict, "The payment is no longer open", error.Message, error.Code),
                "account_not_found" => ApiProblems.Invalid("account_id", error.Message),
                _ => ApiProblems.From(error),
            };
        }

        var matched = result.Value;
        var response = new MatchJson(
            matched.UnmatchedId.ToString(), matched.AccountId.ToString(), matched.EntryId.ToString(), MoneyJson.From(matched.Amount),
            matched.AppliedTo.Select(a => new PaymentApplicationJson(a.InvoiceNumber, MoneyJson.From(a.Amount))).ToList(),
            MoneyJson.From(matched.BalanceAfter), matched.MatchedBy, matched.MatchedAt, matched.AlreadyMatched);
        return matched.AlreadyMatched ? TypedResults.Ok(response) : TypedResults.Created($"/api/accounts/{matched.AccountId}/ledger", response);
    }

    private static async Task<IResult> ReturnAsync(
        string unmatchedId, HttpContext http, ReturnUnmatchedPayment returns, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        if (!Guid.TryParse(unmatchedId, out var id))
        {
            return ApiProblems.NotFound("Unmatched payment", $"There is no unmatched payment {unmatchedId}");
        }

        var (body, problem) = await JsonBody.ReadAsync<ReturnBody>(http, json.Value.SerializerOptions, "{\"reason\":\"…\"}", ct);
        if (problem is not null)
        {
            return problem;
        }

        var result = await returns.RunAsync(id, body!.Reason ?? "", ApiCaller.Actor(http.User), ct);
        if (result.Error is { } error)
        {
            return error.Code switch
            {
                MatchUnmatchedPayment.NotFound => ApiProblems.NotFound("Unmatched payment", error.Message),
                MatchUnmatchedPayment.AlreadyMatched => ApiProblems.Problem(StatusCodes.Status409Conflict, "The payment is no longer open", error.Message, error.Code),
                _ => ApiProblems.From(error),
            };
        }

        var returned = result.Value;
        var response = new ReturnJson(returned.UnmatchedId.ToString(), MoneyJson.From(returned.Amount), returned.Reason, returned.ReturnedBy, returned.ReturnedAt,
            returned.InstructionId.ToString(), returned.AlreadyReturned);
        return returned.AlreadyReturned ? TypedResults.Ok(response) : TypedResults.Created($"/api/payments/unmatched/{returned.UnmatchedId}", response);
    }

    private static string Rate(decimal rate) => rate.ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>The auto-post threshold, <c>Recoup:CashApplication:AutoPostThreshold</c> (default 90).</summary>
    /// <exception cref="InvalidOperationException">The value is not a whole number from 0 to 100.</exception>
    public static int AutoPostThreshold(IConfiguration? configuration)
    {
        const string Key = "Recoup:CashApplication:AutoPostThreshold";
        var text = configuration?[Key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return CashApplication.DefaultAutoPostThreshold;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= 100
            ? value
            : throw new InvalidOperationException($"{Key} must be a whole number from 0 to 100, not '{text}'");
    }
}
