using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Data.Idempotency;
using Recoup.Domain;
using Recoup.Domain.Ledger;
using Recoup.Services.Accounts;
using Recoup.Services.Audit;
using Recoup.Services.Ledger;
using Recoup.Services.Storage;

namespace Recoup.Services.Payments;

/// <summary>A payment received by hand (cash, check, card, ACH, wire) to post to an account.</summary>
/// <param name="Amount">In major units of the account's currency, with no more decimals than it has.</param>
/// <param name="Method"><c>cash</c>, <c>check</c>, <c>card</c>, <c>ach</c> or <c>wire</c>.</param>
/// <param name="InvoiceNumber">The invoice to pay first; else the oldest due is paid first.</param>
/// <param name="ExpectedVersion">The account version the caller saw (ETag); a different current version refuses the payment.</param>
public sealed record PostPaymentRequest(
    AccountId AccountId, decimal Amount, DateOnly ReceivedOn, string Method, string? Reference, string? InvoiceNumber, long? ExpectedVersion)
{
    /// <summary>Several invoices the payer named, each with the amount for it (or none: filled oldest due first); instead of <see cref="InvoiceNumber"/>.</summary>
    public IReadOnlyList<InvoicePart> Invoices { get; init; } = [];

    /// <summary>The check's number: required for a check (the reference is taken when it is not given).</summary>
    public string? CheckNumber { get; init; }
}

/// <summary>An invoice a payment is directed to, by number, with the amount for it in major units (or none).</summary>
public sealed record InvoicePart(string InvoiceNumber, decimal? Amount);

/// <summary>What part of a payment went to one invoice, and to which of its components.</summary>
public sealed record PaymentApplication(string InvoiceNumber, Money Amount)
{
    public Money Principal { get; init; } = Money.Zero(Amount.Currency);
    public Money Fees { get; init; } = Money.Zero(Amount.Currency);
    public Money Interest { get; init; } = Money.Zero(Amount.Currency);
}

/// <summary>A posted payment: its ledger entry, where the money went, and the account before and after.</summary>
public sealed record PostedPayment(
    AccountId AccountId,
    LedgerEntryId EntryId,
    long Sequence,
    Money Amount,
    DateOnly ReceivedOn,
    string Method,
    string? Reference,
    IReadOnlyList<PaymentApplication> AppliedTo,
    Money Unapplied,
    Money BalanceBefore,
    Money BalanceAfter,
    long Version,
    DateTimeOffset PostedAt,
    string Actor);

/// <summary>
/// Posts a manual payment: the ledger entry and its allocations, the account's summary, the audit
/// record and (for an API request with an <c>Idempotency-Key</c>) the remembered response, all in
/// one transaction. Nothing is written when anything is refused.
/// </summary>
/// <remarks>
/// <para>Errors: <c>account_not_found</c>; <c>stale_version</c> when <see cref="PostPaymentRequest.ExpectedVersion"/>
/// is not the account's version; validation errors with <see cref="Error.Field"/> set (<c>amount</c>,
/// <c>received_on</c>, <c>method</c>, <c>reference</c>, <c>invoice_number</c>); and the
/// <see cref="IdempotencyErrors"/>.</para>
/// <para>Idempotency: the key's row is inserted first in the transaction, so its primary key is the
/// lock. A concurrent request with the same key waits for the first to finish and then finds the row:
/// it returns the remembered response and posts nothing. Only a successful posting is remembered; a
/// refused request leaves no row, so it can be corrected and sent again with the same key.</para>
/// </remarks>
public sealed class PostPayment(RecoupDatabase database, TimeProvider clock, PaymentSettings? settings = null)
{
    private readonly PaymentSettings _settings = settings ?? PaymentSettings.Default;

    public static IReadOnlyList<string> Methods { get; } = ["cash", "check", "card", "ach", "wire"];

    public const string StaleVersion = "stale_version";
    public const string AccountNotFound = "account_not_found";

    private const int Attempts = 5;

    public async Task<Result<PostedPayment>> RunAsync(PostPaymentRequest request, string actor, CancellationToken ct = default)
    {
        var outcome = await RunAsync(request, actor, null, null, ct);
        return outcome.Error is { } error ? error : Result<PostedPayment>.Ok(outcome.Value.Value!);
    }

    /// <param name="idempotency">The request's key, or null to post without one.</param>
    /// <param name="render">Turns the posted payment into the response to remember for the key.</param>
    public Task<Result<IdempotentOutcome<PostedPayment>>> RunAsync(
        PostPaymentRequest request, string actor, IdempotentRequest? idempotency, Func<PostedPayment, StoredResponse>? render, CancellationToken ct = default) =>
        RunAsync(request, actor, idempotency, render, null, ct);

    /// <param name="alongside">Adds rows that belong to the payment (a card payment's masked card) to the same transaction.</param>
    public async Task<Result<IdempotentOutcome<PostedPayment>>> RunAsync(
        PostPaymentRequest request,
        string actor,
        IdempotentRequest? idempotency,
        Func<PostedPayment, StoredResponse>? render,
        Action<RecoupDbContext, PostedPayment>? alongside,
        CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var today = clock.Today();
        if (Validate(request, today) is [var invalid, ..])
        {
            return invalid;
        }

        // A conflict with another writer on the same account is retried, unless the caller named the
        // version it expects: then the other writer's change makes the request stale.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await AttemptAsync(request, actor, idempotency, render, alongside, ct);
            }
            catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || IdempotencyErrors.IsUniqueViolation(e))
            {
                if (request.ExpectedVersion is not null)
                {
                    return Result<IdempotentOutcome<PostedPayment>>.Fail(StaleVersion, "The account changed while the payment was being posted; reload it and try again");
                }

                if (attempt == Attempts)
                {
                    throw;
                }
            }
        }
    }

    /// <summary>
    /// Every problem with the request that can be seen without the account (amount, method, date,
    /// reference), each with its field; empty when there is none. The decimals allowed and the
    /// invoice are checked against the account when the payment is posted.
    /// </summary>
    public static IReadOnlyList<Error> Validate(PostPaymentRequest request, DateOnly today)
    {
        var errors = new List<Error>();
        if (request.Amount <= 0)
        {
            errors.Add(new Error("amount_not_positive", "The amount must be more than zero", "amount"));
        }

        if (!Methods.Contains(request.Method))
        {
            errors.Add(new Error("method_unknown", $"'{request.Method}' is not a payment method; use one of {string.Join(", ", Methods)}", "method"));
        }

        if (request.ReceivedOn > today)
        {
            errors.Add(new Error("received_in_future", $"A payment cannot be received in the future ({request.ReceivedOn:yyyy-MM-dd} is after today, {today:yyyy-MM-dd})", "received_on"));
        }

        if (request.Reference is { Length: > 100 })
        {
            errors.Add(new Error("reference_too_long", "The reference is longer than 100 characters", "reference"));
        }

        if (request.Method == "check" && string.IsNullOrWhiteSpace(request.CheckNumber) && string.IsNullOrWhiteSpace(request.Reference))
        {
            // Under the reference, which carries the number where there is no field of its own (the account page).
            errors.Add(new Error("check_number_missing", "A check payment needs the check's number (as check_number or reference)", "reference"));
        }

        if (CardNumbers.ContainsCardNumber(request.Reference))
        {
            errors.Add(new Error("card_number_in_text", "The reference looks like a card number; never type card numbers here (take card payments with the card payment form)", "reference"));
        }

        if (CardNumbers.ContainsCardNumber(request.CheckNumber))
        {
            errors.Add(new Error("card_number_in_text", "The check number looks like a card number", "check_number"));
        }

        if (request.CheckNumber is { Length: > 40 })
        {
            errors.Add(new Error("check_number_too_long", "The check number is longer than 40 characters", "check_number"));
        }

        if (request.Invoices.Count > 0 && !string.IsNullOrWhiteSpace(request.InvoiceNumber))
        {
            errors.Add(new Error("invoices_twice", "Name the invoice either alone or in the list of invoices, not both", "invoices"));
        }

        if (request.Invoices.Any(i => i.Amount is <= 0))
        {
            errors.Add(new Error("amount_not_positive", "The amount for each invoice must be more than zero", "invoices"));
        }

        if (request.Invoices.Any(i => string.IsNullOrWhiteSpace(i.InvoiceNumber)))
        {
            errors.Add(new Error("invoice_number_missing", "Each invoice in the list needs its number", "invoices"));
        }

        return errors;
    }

    private async Task<Result<IdempotentOutcome<PostedPayment>>> AttemptAsync(
        PostPaymentRequest request,
        string actor,
        IdempotentRequest? idempotency,
        Func<PostedPayment, StoredResponse>? render,
        Action<RecoupDbContext, PostedPayment>? alongside,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        IdempotencyRecord? claim = null;
        if (idempotency is not null)
        {
            claim = new IdempotencyRecord { Caller = idempotency.Caller, Key = idempotency.Key, RequestHash = idempotency.RequestHash, CreatedAt = now };
            db.IdempotencyRecords.Add(claim);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (IdempotencyErrors.IsUniqueViolation(e))
            {
                await transaction.RollbackAsync(ct);
                return await ReplayAsync(idempotency, ct);
            }
        }

        // Take the account's row lock before reading its ledger, so that concurrent postings to one
        // account queue here instead of failing their version check (SQLite's write lock already does).
        var accountId = request.AccountId;
        await db.Accounts.Where(a => a.Id == accountId).ExecuteUpdateAsync(set => set.SetProperty(a => a.Version, a => a.Version), ct);
        var ledgers = await LedgerLoader.LoadAsync(db, a => a.Id == accountId, tracked: true, ct);
        if (ledgers is not [var ledger])
        {
            return Result<IdempotentOutcome<PostedPayment>>.Fail(AccountNotFound, $"There is no account {request.AccountId}");
        }

        if (request.ExpectedVersion is { } expected && expected != ledger.Account.Version)
        {
            return Result<IdempotentOutcome<PostedPayment>>.Fail(StaleVersion, $"The account is at version {ledger.Account.Version}, not {expected}: it changed since it was read; reload it and try again");
        }

        var currency = ledger.Currency;
        if (decimal.Round(request.Amount, currency.Exponent) != request.Amount)
        {
            return Result<IdempotentOutcome<PostedPayment>>.Fail(
                "amount_precision",
                currency.Exponent == 0
                    ? $"{currency.Code} amounts are whole numbers; {request.Amount.ToString(CultureInfo.InvariantCulture)} has decimals"
                    : $"{currency.Code} amounts have at most {currency.Exponent} decimals; {request.Amount.ToString(CultureInfo.InvariantCulture)} has more",
                "amount");
        }

        Money amount;
        try
        {
            amount = Money.FromMajor(request.Amount, currency, MidpointRounding.ToEven);
        }
        catch (OverflowException)
        {
            return Result<IdempotentOutcome<PostedPayment>>.Fail("amount_too_large", "The amount is too large", "amount");
        }

        var parts = request.Invoices.Count > 0
            ? request.Invoices
            : string.IsNullOrWhiteSpace(request.InvoiceNumber) ? [] : [new InvoicePart(request.InvoiceNumber, null)];
        var directions = new List<PaymentDirection>();
        foreach (var part in parts)
        {
            var invoice = ledger.Invoices.FirstOrDefault(i => i.Number == part.InvoiceNumber.Trim());
            if (invoice is null)
            {
                return Result<IdempotentOutcome<PostedPayment>>.Fail("invoice_not_found", $"Invoice '{part.InvoiceNumber}' is not on this account", request.Invoices.Count > 0 ? "invoices" : "invoice_number");
            }

            Money? partAmount = null;
            if (part.Amount is { } major)
            {
                if (decimal.Round(major, currency.Exponent) != major)
                {
                    return Result<IdempotentOutcome<PostedPayment>>.Fail("amount_precision", $"The amount for invoice {invoice.Number} has more than {currency.Exponent} decimals", "invoices");
                }

                partAmount = Money.FromMajor(major, currency, MidpointRounding.ToEven);
            }

            directions.Add(new PaymentDirection(invoice.Id, partAmount));
        }

        var before = ledger.Balance;
        var versionBefore = ledger.Account.Version;
        var reference = PaymentReference(request);
        var order = _settings.OrderFor(ledger.Account.Debtor?.DebtType ?? Domain.Debtors.DebtType.Consumer);
        var posted = ledger.PostPayment(amount, request.ReceivedOn, now, reference, directions, order);
        if (posted.Error is { } refused)
        {
            var field = refused.Code switch
            {
                "invoice_not_yet_issued" => "received_on",
                "invoice_not_found" => "invoice_number",
                "allocation_exceeds_open" or "allocations_exceed_payment" or "invoice_named_twice" => request.Invoices.Count > 0 ? "invoices" : "invoice_number",
                _ => "amount",
            };
            return Result<IdempotentOutcome<PostedPayment>>.Fail(refused.Code, refused.Message, field);
        }

        var entry = posted.Value;
        db.LedgerEntries.AddRange(ledger.NewEntries);
        db.Allocations.AddRange(ledger.NewAllocations);
        await RefreshSummaryAsync(db, ledger, ct);

        var numbers = ledger.Invoices.ToDictionary(i => i.Id, i => i.Number);
        var allocations = ledger.NewAllocations.Where(a => a.EntryId == entry.Id).ToList();
        var payment = new PostedPayment(
            ledger.Account.Id,
            entry.Id,
            entry.Sequence,
            amount,
            request.ReceivedOn,
            request.Method,
            request.Reference?.Trim(),
            Applications(allocations, numbers, currency),
            new Money(-allocations.Where(a => a.InvoiceId is null).Sum(a => a.AmountMinor), currency),
            before,
            ledger.Balance,
            ledger.Account.Version,
            now,
            actor);

        db.AuditLog.Add(AuditLog.Record(
            now, actor, "payment.posted", AuditEntities.Account, ledger.Account.Id.ToString(),
            new { balance = before.ToDecimalString(), currency = currency.Code, version = versionBefore },
            new
            {
                balance = ledger.Balance.ToDecimalString(),
                currency = currency.Code,
                version = ledger.Account.Version,
                entry_id = entry.Id.ToString(),
                amount = amount.ToDecimalString(),
                received_on = request.ReceivedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                method = request.Method,
                reference = payment.Reference,
                component_order = order.ToString(),
                applied_to = payment.AppliedTo.Select(a => new
                {
                    invoice = a.InvoiceNumber,
                    amount = a.Amount.ToDecimalString(),
                    principal = a.Principal.ToDecimalString(),
                    fees = a.Fees.ToDecimalString(),
                    interest = a.Interest.ToDecimalString(),
                }),
                unapplied = payment.Unapplied.ToDecimalString(),
            }));

        alongside?.Invoke(db, payment);
        await Webhooks.WebhookRaisers.PaymentPostedAsync(db, payment, ledger.Account.DebtorId, ct);
        StoredResponse? response = null;
        if (claim is not null)
        {
            response = render?.Invoke(payment) ?? new StoredResponse(201, "");
            claim.StatusCode = response.StatusCode;
            claim.ResponseBody = response.Body;
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return Result<IdempotentOutcome<PostedPayment>>.Ok(new IdempotentOutcome<PostedPayment>(payment, response ?? new StoredResponse(201, ""), Replayed: false));
    }

    /// <summary>What the ledger shows as the payment's reference: the method, then the check number or the payer's reference.</summary>
    public static string PaymentReference(PostPaymentRequest request)
    {
        var words = new List<string> { request.Method };
        if (request.Method == "check" && !string.IsNullOrWhiteSpace(request.CheckNumber))
        {
            words.Add($"#{request.CheckNumber.Trim()}");
        }

        if (!string.IsNullOrWhiteSpace(request.Reference))
        {
            words.Add(request.Reference.Trim());
        }

        return string.Join(' ', words);
    }

    /// <summary>A payment's allocations per invoice, with the split across components.</summary>
    public static IReadOnlyList<PaymentApplication> Applications(IEnumerable<Allocation> allocations, IReadOnlyDictionary<InvoiceId, string> numbers, Currency currency) =>
        allocations.Where(a => a.InvoiceId is not null)
            .GroupBy(a => a.InvoiceId!.Value)
            .Select(g => new PaymentApplication(numbers[g.Key], new Money(-g.Sum(a => a.AmountMinor), currency))
            {
                Principal = new Money(-g.Where(a => a.Component == BalanceComponent.Principal).Sum(a => a.AmountMinor), currency),
                Fees = new Money(-g.Where(a => a.Component == BalanceComponent.Fee).Sum(a => a.AmountMinor), currency),
                Interest = new Money(-g.Where(a => a.Component == BalanceComponent.Interest).Sum(a => a.AmountMinor), currency),
            })
            .ToList();

    private async Task<Result<IdempotentOutcome<PostedPayment>>> ReplayAsync(IdempotentRequest idempotency, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var stored = await db.IdempotencyRecords.AsNoTracking()
            .FirstOrDefaultAsync(r => r.Caller == idempotency.Caller && r.Key == idempotency.Key, ct);
        if (stored is null || stored.StatusCode == 0)
        {
            return Result<IdempotentOutcome<PostedPayment>>.Fail(IdempotencyErrors.InFlight, "A request with this Idempotency-Key is still being processed; retry in a moment");
        }

        if (stored.RequestHash != idempotency.RequestHash)
        {
            return Result<IdempotentOutcome<PostedPayment>>.Fail(IdempotencyErrors.KeyReused, "This Idempotency-Key was already used for a different request; use a new key for a new payment", "Idempotency-Key");
        }

        return Result<IdempotentOutcome<PostedPayment>>.Ok(new IdempotentOutcome<PostedPayment>(default, new StoredResponse(stored.StatusCode, stored.ResponseBody), Replayed: true));
    }

    internal static async Task RefreshSummaryAsync(RecoupDbContext db, AccountLedger ledger, CancellationToken ct)
    {
        var summary = await db.AccountSummaries.FirstOrDefaultAsync(s => s.AccountId == ledger.Account.Id.Value, ct);
        if (summary is not null)
        {
            AccountSummaries.Refresh(summary, ledger);
            return;
        }

        var debtor = ledger.Account.Debtor!;
        var contacts = await db.ContactPoints.AsNoTracking().Where(c => c.DebtorId == debtor.Id).ToListAsync(ct);
        var clientCodes = await AccountSummaries.ClientCodesAsync(db, [debtor], ct);
        AccountSummaries.Add(db, ledger, debtor, contacts, AccountSummaries.ClientCodeOf(debtor, clientCodes));
    }
}
