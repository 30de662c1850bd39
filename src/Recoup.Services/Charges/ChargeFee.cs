using Recoup.Domain;
using Recoup.Domain.Charges;
using Recoup.Services.Audit;
using Recoup.Services.Ledger;
using Recoup.Services.Storage;

namespace Recoup.Services.Charges;

/// <summary>A fee a collector charges by hand on one invoice (a returned-payment fee, a late fee the run did not charge).</summary>
public sealed record ChargeFeeRequest(AccountId AccountId, string? InvoiceNumber, Money Amount, string? Reason);

/// <summary>
/// Charges a fee by hand, only where the account's terms allow fees: never to a consumer whose agreement or law does
/// not authorize it (15 U.S.C. 1692f(1)), and never above the terms' cap. The fee's memo names the reason and the
/// authority.
/// </summary>
public sealed class ChargeFee(RecoupDatabase database, TimeProvider clock)
{
    public async Task<Result<LedgerEntryView>> RunAsync(ChargeFeeRequest request, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            return new Error("reason_missing", "Say what the fee is for", "reason");
        }

        if (!request.Amount.IsPositive)
        {
            return new Error("amount_not_positive", "The fee must be more than zero", "amount");
        }

        var today = clock.Today();
        var now = clock.GetUtcNow();
        await using var db = database.CreateContext();
        var ledgers = await LedgerLoader.LoadAsync(db, a => a.Id == request.AccountId, tracked: true, ct);
        if (ledgers is not [var ledger])
        {
            return new Error("account_not_found", $"There is no account {request.AccountId}");
        }

        if (request.Amount.Currency != ledger.Currency)
        {
            return new Error("currency_mismatch", $"The account is in {ledger.Currency.Code}, not {request.Amount.Currency.Code}", "currency");
        }

        var invoice = ledger.Invoices.FirstOrDefault(i => i.Number == request.InvoiceNumber?.Trim());
        if (invoice is null)
        {
            return new Error("invoice_not_on_account", $"Account {request.AccountId} has no invoice '{request.InvoiceNumber}'", "invoice_number");
        }

        var debtor = ledger.Account.Debtor!;
        var terms = ChargeTermsBook.For(await ChargeTermsBook.LoadAsync(db, ct), debtor, ledger.Currency);
        if (ChargePolicy.Refusal(terms, debtor.DebtType, debtor.Kind) is { } refusal)
        {
            return refusal;
        }

        if (terms!.LateFee == LateFeeKind.None)
        {
            return new Error(ChargePolicy.NotAuthorized, "The terms of this account allow interest but no fees");
        }

        if (terms.LateFeeCapMinor is { } cap && request.Amount.Minor > cap)
        {
            return new Error("fee_above_cap", $"The terms cap a fee at {new Money(cap, ledger.Currency)}", "amount");
        }

        var authority = terms.Authority == ChargeAuthority.None ? "business terms" : $"{terms.Authority.ToString().ToLowerInvariant()}: {terms.AuthorityReference}";
        var posted = ledger.PostFee(request.Amount, invoice.Id, today, now, $"{request.Reason.Trim()} (fee charged by {actor}; authorized by {authority})");
        if (posted.Error is { } error)
        {
            return error;
        }

        db.AuditLog.Add(AuditLog.Record(now, actor, "fee.charged", AuditEntities.Account, request.AccountId.ToString(), null, new
        {
            entry_id = posted.Value.Id.ToString(),
            invoice = invoice.Number,
            amount = request.Amount.ToDecimalString(),
            currency = request.Amount.Currency.Code,
            reason = request.Reason.Trim(),
        }));
        await LedgerWrites.StageAsync(db, [ledger], ct);
        await db.SaveChangesAsync(ct);
        return new LedgerEntryView(posted.Value.Id.ToString(), invoice.Number, posted.Value.Amount, posted.Value.EffectiveDate, posted.Value.Memo ?? "");
    }
}

/// <summary>A posted entry as the API answers it.</summary>
public sealed record LedgerEntryView(string EntryId, string Invoice, Money Amount, DateOnly Date, string Memo);
