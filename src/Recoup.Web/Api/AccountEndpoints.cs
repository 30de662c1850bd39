using Recoup.Services;
using System.ComponentModel;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Recoup.Domain;
using Recoup.Domain.Aging;
using Recoup.Domain.Debtors;
using Recoup.Domain.Ledger;
using Recoup.Services.Accounts;
using Recoup.Services.Ledger;

namespace Recoup.Web.Api;

/// <summary>An account with its debtor, contacts, open invoices, balance, status and timeline.</summary>
public sealed record AccountJson(
    string AccountId,
    string Currency,
    long Version,
    string AsOf,
    DebtorSummaryJson Debtor,
    MoneyJson Balance,
    MoneyJson Open,
    MoneyJson Unapplied,
    DelinquencyStatus Status,
    int DaysPastDue,
    IReadOnlyList<ContactJson> Contacts,
    IReadOnlyList<InvoiceJson> OpenInvoices,
    IReadOnlyList<TimelineJson> Timeline);

/// <summary>
/// An account's risk score as the daily run last stored it (docs/risk.md): 0–100 and its level (low below 20, some
/// 20–49, high 50 and over), the business date it has held since, and the reasons, largest first. All null (and no
/// reasons) for an account no run has scored yet.
/// </summary>
public sealed record AccountRiskJson(string AccountId, int? Score, Recoup.Domain.Risk.RiskLevel? Level, string? ScoredOn, IReadOnlyList<RiskReasonJson> Reasons);

/// <summary>One reason of a risk score: <c>past_due</c>, <c>broken_promises</c>, <c>returned_payments</c>, <c>late_payments</c> or <c>open_disputes</c>, its points, and the words a collector reads.</summary>
public sealed record RiskReasonJson(string Code, int Points, string Text);

public sealed record DebtorSummaryJson(string DebtorId, string Name, DebtorKind Kind, DebtType DebtType, string? TimeZone, string? Client = null);

/// <summary>An invoice: what was billed, and what is open on it as of the date.</summary>
public sealed record InvoiceJson(string InvoiceId, string IssueDate, string DueDate, MoneyJson Amount, MoneyJson Open, int DaysPastDue)
{
    public static InvoiceJson From(StatementInvoice invoice) =>
        new(invoice.Number, ApiJson.Date(invoice.IssueDate), ApiJson.Date(invoice.DueDate), MoneyJson.From(invoice.Amount), MoneyJson.From(invoice.Open), invoice.DaysPastDue);
}

/// <summary>A ledger entry with the balance after it.</summary>
public sealed record LedgerLineJson(
    long Sequence, string Date, EntryKind Kind, MoneyJson Amount, MoneyJson Balance, string? InvoiceId, string? Reference, string? Memo, bool Reversed)
{
    public static LedgerLineJson From(StatementLine line) =>
        new(line.Sequence, ApiJson.Date(line.Date), line.Kind, MoneyJson.From(line.Amount), MoneyJson.From(line.Balance), line.Invoice, line.Reference, line.Memo, line.Reversed);
}

public sealed record TimelineJson(DateTimeOffset At, string Kind, string Text, string? Actor);

/// <summary>
/// <c>/api/accounts</c>: the accounts list (search, filters, sorts, cursor pages) and one account
/// with its invoices and ledger. An account's ETag is its version; a payment names it in <c>If-Match</c>.
/// </summary>
public static class AccountEndpoints
{
    public static void MapAccounts(this IEndpointRouteBuilder api)
    {
        var accounts = api.MapGroup("/accounts").WithTags("Accounts");

        accounts.MapGet("/", ListAsync)
            .WithName("ListAccounts")
            .WithSummary("Search and list accounts")
            .WithDescription("Accounts with their balance, days past due and status as of today. Search matches part of the debtor's name, the debtor id, a phone number, an e-mail address or an invoice number. Filters combine; pages follow `next_cursor`.")
            .ProducesValidationProblem();

        accounts.MapGet("/{accountId}", GetAsync)
            .WithName("GetAccount")
            .WithSummary("One account: debtor, contacts, open invoices, balance, status and timeline")
            .WithDescription("The response's `ETag` is the account's version: send it back in `If-Match` when posting a payment, and the payment is refused with 412 if the account changed meanwhile.")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        accounts.MapGet("/{accountId}/invoices", InvoicesAsync)
            .WithName("ListAccountInvoices")
            .WithSummary("Every invoice of the account issued by the as-of date, with what is open on it")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        accounts.MapGet("/{accountId}/risk", RiskAsync)
            .WithName("GetAccountRisk")
            .WithSummary("The account's risk score as the daily run last stored it, with its reasons")
            .WithDescription("0–100 from days past due, promises broken and payments returned in the last 180 days, the share of the last year's invoices paid late, and open disputes (docs/risk.md). `score`, `level` and `scored_on` are null for an account no daily run has scored yet. Not part of the account's `ETag`: the run changes the score without changing the account.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        accounts.MapGet("/{accountId}/ledger", LedgerAsync)
            .WithName("GetAccountLedger")
            .WithSummary("The account's full ledger: every entry effective by the as-of date, with the running balance")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Ok<PageJson<AccountRowJson>>, ProblemHttpResult>> ListAsync(
        AccountSearch accounts,
        [Description("Part of the debtor's name, the debtor id, a phone number, an e-mail address or an invoice number.")] string? search,
        [Description("current, past_due, delinquent, written_off or paid.")] string? status,
        [Description("The aging bucket of the oldest open invoice: current, 1-30, 31-60, 61-90, 91-120 or 121+.")] string? bucket,
        [FromQuery(Name = "debt_type"), Description("consumer, commercial or medical.")] string? debtType,
        [Description("The assigned collector's user name.")] string? collector,
        [Description("The code of the debtor's creditor client; `none` for debtors without a client.")] string? client,
        [FromQuery(Name = "min_balance"), Description("Lowest balance, a decimal in the account's currency.")] string? minBalance,
        [FromQuery(Name = "max_balance"), Description("Highest balance, a decimal in the account's currency.")] string? maxBalance,
        [Description("balance_desc (default), balance_asc, dpd_desc or name_asc.")] string? sort,
        [Description("The next_cursor of the previous page.")] string? cursor,
        [Description("Accounts per page, 1 to 200; default 50.")] string? limit,
        CancellationToken ct)
    {
        var query = new QueryReader();
        var filter = new AccountFilter(
            Search: search,
            Status: query.Enum<DelinquencyStatus>("status", status),
            Bucket: bucket,
            DebtType: query.Enum<DebtType>("debt_type", debtType),
            Collector: collector,
            Client: client,
            MinBalance: query.Decimal("min_balance", minBalance),
            MaxBalance: query.Decimal("max_balance", maxBalance),
            Sort: sort ?? "balance_desc",
            Cursor: cursor,
            Limit: query.Limit(limit, 50, AccountSearch.MaxLimit));
        if (query.IsValid)
        {
            foreach (var error in AccountSearch.Validate(filter))
            {
                query.Add(error.Field ?? "query", error.Message);
            }
        }

        if (!query.IsValid)
        {
            return query.Problem();
        }

        var page = await accounts.SearchAsync(filter, ct);
        return TypedResults.Ok(new PageJson<AccountRowJson>(page.Rows.Select(AccountRowJson.From).ToList(), page.NextCursor));
    }

    private static async Task<Results<Ok<AccountJson>, StatusCodeHttpResult, ProblemHttpResult>> GetAsync(
        string accountId,
        [FromQuery(Name = "as_of"), Description("The date to see the account as of (YYYY-MM-DD); default today.")] string? asOf,
        AccountDetails details,
        TimeProvider clock,
        HttpContext http,
        CancellationToken ct)
    {
        var loaded = await LoadAsync(accountId, asOf, details, clock, ct);
        if (loaded.Problem is { } problem)
        {
            return problem;
        }

        var view = loaded.View!;
        var etag = ETag(view.Version);
        http.Response.Headers.ETag = etag;
        if (http.Request.Headers.IfNoneMatch.Any(v => v == etag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Ok(new AccountJson(
            view.AccountId.ToString(),
            view.Currency.Code,
            view.Version,
            ApiJson.Date(view.AsOf),
            new DebtorSummaryJson(view.Debtor.DebtorId, view.Debtor.Name, view.Debtor.Kind, view.Debtor.DebtType, view.Debtor.TimeZone, view.Debtor.Client?.Code),
            MoneyJson.From(view.Balance),
            MoneyJson.From(view.OpenInvoices),
            MoneyJson.From(view.UnappliedCredit),
            view.Status,
            view.DaysPastDue,
            view.Contacts.Select(ContactJson.From).ToList(),
            view.OpenInvoiceList.Select(InvoiceJson.From).ToList(),
            view.Timeline.Select(t => new TimelineJson(t.At, t.Kind, t.Text, t.Actor)).ToList()));
    }

    private static async Task<Results<Ok<PageJson<InvoiceJson>>, ProblemHttpResult>> InvoicesAsync(
        string accountId,
        [FromQuery(Name = "as_of"), Description("The date to see the invoices as of (YYYY-MM-DD); default today.")] string? asOf,
        AccountDetails details,
        TimeProvider clock,
        CancellationToken ct)
    {
        var loaded = await LoadAsync(accountId, asOf, details, clock, ct);
        return loaded.Problem is { } problem
            ? problem
            : TypedResults.Ok(new PageJson<InvoiceJson>(loaded.View!.Invoices.Select(InvoiceJson.From).ToList(), null));
    }

    private static async Task<Results<Ok<PageJson<LedgerLineJson>>, ProblemHttpResult>> LedgerAsync(
        string accountId,
        [FromQuery(Name = "as_of"), Description("The date to see the ledger as of (YYYY-MM-DD); default today.")] string? asOf,
        AccountDetails details,
        TimeProvider clock,
        CancellationToken ct)
    {
        var loaded = await LoadAsync(accountId, asOf, details, clock, ct);
        return loaded.Problem is { } problem
            ? problem
            : TypedResults.Ok(new PageJson<LedgerLineJson>(loaded.View!.Ledger.Select(LedgerLineJson.From).ToList(), null));
    }

    private static async Task<Results<Ok<AccountRiskJson>, ProblemHttpResult>> RiskAsync(
        string accountId, Recoup.Services.Risk.AccountRiskScores risks, CancellationToken ct)
    {
        if (ParseId(accountId) is not { } id || await risks.FindAsync(id, ct) is not (true, var risk))
        {
            return NotFound(accountId);
        }

        return TypedResults.Ok(risk is null
            ? new AccountRiskJson(id.ToString(), null, null, null, [])
            : new AccountRiskJson(id.ToString(), risk.Score, Recoup.Domain.Risk.RiskScorecard.LevelOf(risk.Score), ApiJson.Date(risk.ScoredOn),
                risk.Reasons.Select(r => new RiskReasonJson(r.Code, r.Points, r.Text)).ToList()));
    }

    /// <summary>The ETag of an account version: the version in quotes.</summary>
    public static string ETag(long version) => string.Create(CultureInfo.InvariantCulture, $"\"{version}\"");

    /// <summary>An account id from a URL; an id that is not a GUID names no account.</summary>
    public static AccountId? ParseId(string text) => Guid.TryParse(text, out var guid) ? new AccountId(guid) : null;

    public static ProblemHttpResult NotFound(string accountId) => ApiProblems.NotFound("Account", $"There is no account '{accountId}'");

    private static async Task<(AccountView? View, ProblemHttpResult? Problem)> LoadAsync(
        string accountId, string? asOf, AccountDetails details, TimeProvider clock, CancellationToken ct)
    {
        var query = new QueryReader();
        var date = query.Date("as_of", asOf, clock.Today());
        if (!query.IsValid)
        {
            return (null, query.Problem());
        }

        if (ParseId(accountId) is not { } id)
        {
            return (null, NotFound(accountId));
        }

        var view = await details.GetAsync(id, date, ct);
        return view.Error is { } error ? (null, ApiProblems.From(error)) : (view.Value, null);
    }
}
