using Microsoft.Extensions.Options;
using Recoup.Domain;
using Recoup.Domain.Charges;
using Recoup.Domain.Debtors;
using Recoup.Services.Charges;
using Recoup.Services.Payments;
using Recoup.Services.Storage;

namespace Recoup.Web.Api;

/// <summary>
/// Fee and interest terms as the API reads and writes them. Amounts are decimal strings in <c>currency</c>; rates
/// and percentages are decimal strings (<c>"12.5"</c> is 12.5 % a year).
/// </summary>
public sealed record ChargeTermsJson(
    string? Currency, string? LateFee, string? LateFeeAmount, string? LateFeePercent, string? LateFeeCap, int? LateFeeGraceDays,
    string? Interest, string? InterestRate, string? ReferenceRateName, string? ReferenceRate, string? Margin, int? InterestGraceDays,
    string? Authority, string? AuthorityReference)
{
    public static ChargeTermsJson From(ChargeTerms t) => new(
        t.Currency.Code, ApiJson.Name(t.LateFee), new Money(t.LateFeeFlatMinor, t.Currency).ToDecimalString(), Percent(t.LateFeePercent),
        t.LateFeeCapMinor is { } cap ? new Money(cap, t.Currency).ToDecimalString() : null, t.LateFeeGraceDays,
        ApiJson.Name(t.Interest), Percent(t.InterestRatePercent), t.ReferenceRateName, Percent(t.ReferenceRatePercent), Percent(t.MarginPercent), t.InterestGraceDays,
        ApiJson.Name(t.Authority), t.AuthorityReference);

    private static string Percent(decimal value) => value.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Stored terms: of a debt type (<c>debt_type</c>) or of one debtor's agreement (<c>debtor_id</c>).</summary>
public sealed record ChargeTermsEntryJson(string Id, DebtType? DebtType, string? DebtorId, ChargeTermsJson Terms, string UpdatedBy, DateTimeOffset UpdatedAt)
{
    public static ChargeTermsEntryJson From(ChargeTermsView v) => new(v.Id.ToString(), v.DebtType, v.DebtorId, ChargeTermsJson.From(v.Terms), v.UpdatedBy, v.UpdatedAt);
}

/// <summary>An accrual run to start: as of a business date (default today).</summary>
public sealed record AccrueBody(string? AsOf);

/// <summary>A fee to charge by hand on one invoice.</summary>
public sealed record FeeBody(string? InvoiceNumber, string? Amount, string? Reason);

/// <summary>What an accrual run did.</summary>
public sealed record AccrualJson(string AsOf, int AccountsChecked, int FeesPosted, int InterestPosted, int Refused, int Held);

/// <summary>A posted fee.</summary>
public sealed record FeeJson(string EntryId, string Invoice, MoneyJson Amount, string Date, string Memo);

/// <summary>Fees and interest: <c>/api/charge-terms</c>, <c>/api/debtors/{id}/charge-terms</c>, <c>/api/charges/accrue</c>, <c>/api/accounts/{id}/fees</c>.</summary>
public static class ChargesEndpoints
{
    private const string TermsExample = "{\"currency\":\"USD\",\"late_fee\":\"flat\",\"late_fee_amount\":\"25.00\",\"interest\":\"simple_daily\",\"interest_rate\":\"12\"}";

    public static void MapCharges(this IEndpointRouteBuilder api)
    {
        var terms = api.MapGroup("/charge-terms").WithTags("Fees and interest");
        terms.MapGet("/", ListAsync)
            .WithName("ListChargeTerms")
            .WithSummary("Every stored fee and interest terms: per debt type and currency, and per debtor agreement")
            .Produces<IReadOnlyList<ChargeTermsEntryJson>>();

        terms.MapPut("/debt-types/{debtType}", SetForTypeAsync)
            .WithName("SetDebtTypeChargeTerms")
            .WithSummary("Set the fee and interest terms of a debt type (consumer, medical, commercial) in a currency")
            .WithDescription("Consumer and medical terms that charge anything must name their `authority` (`agreement` or `law`) and `authority_reference` " +
                "(15 U.S.C. 1692f(1)): otherwise 400 with code `fee_not_authorized`. `reference_plus_margin` interest is for commercial debts. Manager or admin.")
            .RequireAuthorization(p => p.RequireRole(Data.Identity.Roles.Manager, Data.Identity.Roles.Admin))
            .Accepts<ChargeTermsJson>("application/json")
            .Produces<ChargeTermsEntryJson>()
            .ProducesValidationProblem();

        api.MapPut("/debtors/{debtorId}/charge-terms", SetForDebtorAsync)
            .WithTags("Fees and interest")
            .WithName("SetDebtorChargeTerms")
            .WithSummary("Set the fee and interest terms of one debtor's agreement; they override the debt type's")
            .RequireAuthorization(p => p.RequireRole(Data.Identity.Roles.Manager, Data.Identity.Roles.Admin))
            .Accepts<ChargeTermsJson>("application/json")
            .Produces<ChargeTermsEntryJson>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/charges/accrue", AccrueAsync)
            .WithTags("Fees and interest")
            .WithName("AccrueFeesAndInterest")
            .WithSummary("Accrue late fees and interest as of a date, as ledger entries; running again for the same date posts nothing")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Supervisors))
            .Accepts<AccrueBody>("application/json")
            .Produces<AccrualJson>()
            .ProducesValidationProblem();

        api.MapPost("/accounts/{accountId}/fees", ChargeFeeAsync)
            .WithTags("Fees and interest")
            .WithName("ChargeFee")
            .WithSummary("Charge a fee by hand on one invoice, where the account's terms allow fees")
            .WithDescription("Refused (422 `fee_not_authorized`) for a consumer whose agreement or law does not authorize fees, and when no terms allow fees; " +
                "400 `fee_above_cap` above the terms' cap. Send an `Idempotency-Key` to make retries safe. Collector, supervisor, manager or admin.")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Workers))
            .Accepts<FeeBody>("application/json")
            .Produces<FeeJson>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<IResult> ListAsync(ChargeTermsBook book, CancellationToken ct) =>
        TypedResults.Ok((await book.ListAsync(ct)).Select(ChargeTermsEntryJson.From).ToList());

    private static async Task<IResult> SetForTypeAsync(string debtType, HttpContext http, ChargeTermsBook book, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        var query = new QueryReader();
        var type = query.Enum<DebtType>("debt_type", debtType);
        if (!query.IsValid)
        {
            return query.Problem();
        }

        return await SetAsync(http, json, (terms, actor) => book.SetForDebtTypeAsync(type!.Value, terms, actor, ct), ct);
    }

    private static Task<IResult> SetForDebtorAsync(string debtorId, HttpContext http, ChargeTermsBook book, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct) =>
        SetAsync(http, json, (terms, actor) => book.SetForDebtorAsync(debtorId, terms, actor, ct), ct);

    private static async Task<IResult> SetAsync(
        HttpContext http, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, Func<ChargeTerms, string, Task<Result<ChargeTermsView>>> save, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<ChargeTermsJson>(http, json.Value.SerializerOptions, TermsExample, ct, "terms");
        if (problem is not null)
        {
            return problem;
        }

        var query = new QueryReader();
        var terms = Read(query, body!);
        if (!query.IsValid)
        {
            return query.Problem();
        }

        var saved = await save(terms!, ApiCaller.Actor(http.User));
        return saved.Error switch
        {
            null => TypedResults.Ok(ChargeTermsEntryJson.From(saved.Value)),
            { Field: not null } error => BodyFields.Problems([error]),
            var error => ApiProblems.From(error),
        };
    }

    private static ChargeTerms? Read(QueryReader query, ChargeTermsJson body)
    {
        Currency currency = Currency.USD;
        if (!string.IsNullOrWhiteSpace(body.Currency))
        {
            if (Currency.TryFromCode(body.Currency.Trim(), out var parsed))
            {
                currency = parsed;
            }
            else
            {
                query.Add("currency", $"'{body.Currency}' is not an ISO 4217 currency code");
                return null;
            }
        }

        return new ChargeTerms
        {
            Currency = currency,
            LateFee = query.Enum<LateFeeKind>("late_fee", body.LateFee) ?? LateFeeKind.None,
            LateFeeFlatMinor = query.Amount("late_fee_amount", body.LateFeeAmount, currency)?.Minor ?? 0,
            LateFeePercent = query.Decimal("late_fee_percent", body.LateFeePercent) ?? 0m,
            LateFeeCapMinor = query.Amount("late_fee_cap", body.LateFeeCap, currency)?.Minor,
            LateFeeGraceDays = body.LateFeeGraceDays ?? 0,
            Interest = query.Enum<InterestKind>("interest", body.Interest) ?? InterestKind.None,
            InterestRatePercent = query.Decimal("interest_rate", body.InterestRate) ?? 0m,
            ReferenceRateName = string.IsNullOrWhiteSpace(body.ReferenceRateName) ? null : body.ReferenceRateName.Trim(),
            ReferenceRatePercent = query.Decimal("reference_rate", body.ReferenceRate) ?? 0m,
            MarginPercent = query.Decimal("margin", body.Margin) ?? 0m,
            InterestGraceDays = body.InterestGraceDays ?? 0,
            Authority = query.Enum<ChargeAuthority>("authority", body.Authority) ?? ChargeAuthority.None,
            AuthorityReference = string.IsNullOrWhiteSpace(body.AuthorityReference) ? null : body.AuthorityReference.Trim(),
        };
    }

    private static async Task<IResult> AccrueAsync(HttpContext http, AccrueFeesAndInterest accrue, TimeProvider clock, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<AccrueBody>(http, json.Value.SerializerOptions, "{\"as_of\":\"2026-11-30\"}", ct);
        if (problem is not null)
        {
            return problem;
        }

        var query = new QueryReader();
        var asOf = query.Date("as_of", body!.AsOf, Recoup.Services.BusinessClock.Today(clock));
        if (!query.IsValid)
        {
            return query.Problem();
        }

        var result = await accrue.RunAsync(asOf, ct);
        return TypedResults.Ok(new AccrualJson(ApiJson.Date(result.AsOf), result.AccountsChecked, result.FeesPosted, result.InterestPosted, result.Refused, result.Held));
    }

    private static async Task<IResult> ChargeFeeAsync(
        string accountId, HttpContext http, ChargeFee fees, RecoupDatabase database, IdempotencyClaims claims, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        var options = json.Value.SerializerOptions;
        var (id, currency, body, problem) = await AccountRequest.ReadAsync<FeeBody>(accountId, http, database, options, "{\"invoice_number\":\"INV-1\",\"amount\":\"25.00\",\"reason\":\"Returned check\"}", ct);
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

        return await IdempotentWrite.RunAsync(http, claims, body, options, async () =>
        {
            var charged = await fees.RunAsync(new ChargeFeeRequest(id, body.InvoiceNumber, amount!.Value, body.Reason), ApiCaller.Actor(http.User), ct);
            return charged.Error is { } error
                ? new Answer(error.Field is null ? ApiProblems.From(error) : BodyFields.Problems([error]))
                : new Answer(null, StatusCodes.Status201Created,
                    new FeeJson(charged.Value.EntryId, charged.Value.Invoice, MoneyJson.From(charged.Value.Amount), ApiJson.Date(charged.Value.Date), charged.Value.Memo),
                    $"/api/accounts/{id}/statement");
        }, ct);
    }
}
