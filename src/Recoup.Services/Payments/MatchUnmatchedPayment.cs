using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Recoup.Data.Payments;
using Recoup.Domain;
using Recoup.Domain.Ledger;
using Recoup.Services.Audit;
using Recoup.Services.Ledger;
using Recoup.Services.Storage;

namespace Recoup.Services.Payments;

/// <summary>A queued payment posted to the account a person chose.</summary>
/// <param name="AlreadyMatched">The payment had been matched to this account before (a retry): nothing new was posted.</param>
public sealed record MatchedPayment(
    Guid UnmatchedId, AccountId AccountId, LedgerEntryId EntryId, Money Amount, IReadOnlyList<PaymentApplication> AppliedTo, Money BalanceAfter,
    string MatchedBy, DateTimeOffset MatchedAt, bool AlreadyMatched);

/// <summary>
/// Matches a payment of the unmatched queue to an account (and optionally an invoice to pay first):
/// posts it to the ledger under the payment's own source id, marks it matched and records who did
/// it, in one transaction.
/// </summary>
/// <remarks>
/// <para>Idempotent: matching a payment again to the same account answers the first match and posts
/// nothing (<see cref="MatchedPayment.AlreadyMatched"/>); to another account is refused
/// (<c>already_matched</c>). The payment's row is locked first, so two people matching it at once
/// post it once.</para>
/// <para>Errors: <c>unmatched_not_found</c>; <c>already_matched</c>, <c>returned_to_bank</c>;
/// <c>account_not_found</c>, <c>currency_mismatch</c> (field <c>account_id</c>); <c>invoice_not_found</c>
/// (field <c>invoice_number</c>).</para>
/// </remarks>
public sealed class MatchUnmatchedPayment(RecoupDatabase database, TimeProvider clock, PaymentSettings? settings = null)
{
    public const string NotFound = "unmatched_not_found";
    public const string AlreadyMatched = "already_matched";
    public const string ReturnedToBank = "returned_to_bank";

    private const int Attempts = 5;

    public async Task<Result<MatchedPayment>> RunAsync(Guid unmatchedId, AccountId accountId, string? invoiceNumber, string actor, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await AttemptAsync(unmatchedId, accountId, invoiceNumber?.Trim() is { Length: > 0 } number ? number : null, actor, ct);
            }
            catch (DbUpdateException e) when ((e is DbUpdateConcurrencyException || IdempotencyErrors.IsUniqueViolation(e)) && attempt < Attempts)
            {
                // Another writer on the account, or the same payment matched at the same moment: look again.
            }
        }
    }

    private async Task<Result<MatchedPayment>> AttemptAsync(Guid unmatchedId, AccountId accountId, string? invoiceNumber, string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var payment = await LockAsync(db, unmatchedId, ct);
        if (payment is null)
        {
            return Result<MatchedPayment>.Fail(NotFound, $"There is no unmatched payment {unmatchedId}");
        }

        switch (payment.Status)
        {
            case UnmatchedStatus.Matched when payment.MatchedAccountId == accountId.Value:
                return await EarlierAsync(db, payment, ct);
            case UnmatchedStatus.Matched:
                return Result<MatchedPayment>.Fail(AlreadyMatched,
                    $"This payment was already matched to account {payment.MatchedAccountId} by {payment.MatchedBy} on {payment.MatchedAt!.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC");
            case UnmatchedStatus.ReturnedToBank:
                return Result<MatchedPayment>.Fail(ReturnedToBank, "This payment was returned to the bank; it cannot be posted");
            case UnmatchedStatus.Open:
                break;
        }

        await db.Accounts.Where(a => a.Id == accountId).ExecuteUpdateAsync(set => set.SetProperty(a => a.Version, a => a.Version), ct);
        if (await LedgerLoader.LoadAsync(db, a => a.Id == accountId, tracked: true, ct) is not [var ledger])
        {
            return Result<MatchedPayment>.Fail("account_not_found", $"There is no account {accountId}", "account_id");
        }

        if (ledger.Currency != payment.Currency)
        {
            return Result<MatchedPayment>.Fail("currency_mismatch",
                $"The payment is in {payment.Currency.Code} and the account in {ledger.Currency.Code}; choose the debtor's {payment.Currency.Code} account", "account_id");
        }

        Domain.InvoiceId? target = null;
        if (invoiceNumber is not null)
        {
            if (ledger.Invoices.FirstOrDefault(i => i.Number == invoiceNumber) is not { } invoice)
            {
                return Result<MatchedPayment>.Fail("invoice_not_found", $"Invoice '{invoiceNumber}' is not on this account", "invoice_number");
            }

            target = invoice.Id;
        }

        var today = clock.Today();
        var date = payment.ValueDate is { } value && value < today ? value : today;
        var before = ledger.Balance;
        var order = (settings ?? PaymentSettings.Default).OrderFor(ledger.Account.Debtor?.DebtType ?? Domain.Debtors.DebtType.Consumer);
        var posted = ledger.PostPayment(
            payment.Amount, date, now, payment.BankReference ?? payment.ReferenceList.FirstOrDefault(), target is { } named ? [new PaymentDirection(named)] : [], order, payment.SourceId);
        if (posted.Error is { } refused)
        {
            return Result<MatchedPayment>.Fail(refused.Code, refused.Message, refused.Code.StartsWith("invoice", StringComparison.Ordinal) ? "invoice_number" : null);
        }

        var entry = posted.Value;
        db.LedgerEntries.AddRange(ledger.NewEntries);
        db.Allocations.AddRange(ledger.NewAllocations);
        await PostPayment.RefreshSummaryAsync(db, ledger, ct);
        payment.Status = UnmatchedStatus.Matched;
        payment.MatchedAccountId = accountId.Value;
        payment.MatchedEntryId = entry.Id.Value;
        payment.MatchedBy = actor;
        payment.MatchedAt = now;

        var applied = Applied(ledger.Invoices.ToDictionary(i => i.Id, i => i.Number), ledger.NewAllocations.Where(a => a.EntryId == entry.Id), ledger.Currency);
        db.AuditLog.Add(AuditLog.Record(
            now, actor, "payment.matched", AuditEntities.Account, accountId.ToString(),
            new { balance = before.ToDecimalString(), currency = ledger.Currency.Code },
            new
            {
                balance = ledger.Balance.ToDecimalString(),
                currency = ledger.Currency.Code,
                entry_id = entry.Id.ToString(),
                unmatched_payment_id = payment.Id.ToString(),
                amount = payment.Amount.ToDecimalString(),
                received_on = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                bank_reference = payment.BankReference,
                applied_to = applied.Select(a => new { invoice = a.InvoiceNumber, amount = a.Amount.ToDecimalString() }),
            }));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new MatchedPayment(payment.Id, accountId, entry.Id, payment.Amount, applied, ledger.Balance, actor, now, AlreadyMatched: false);
    }

    /// <summary>
    /// Takes the queued payment's row lock (a no-op update) and reads it, tracked, in the caller's
    /// transaction: whoever matches or returns it second sees what the first did.
    /// </summary>
    internal static async Task<UnmatchedPayment?> LockAsync(Data.RecoupDbContext db, Guid unmatchedId, CancellationToken ct)
    {
        await db.UnmatchedPayments.Where(p => p.Id == unmatchedId).ExecuteUpdateAsync(set => set.SetProperty(p => p.Status, p => p.Status), ct);
        return await db.UnmatchedPayments.FirstOrDefaultAsync(p => p.Id == unmatchedId, ct);
    }

    private static async Task<Result<MatchedPayment>> EarlierAsync(Data.RecoupDbContext db, UnmatchedPayment payment, CancellationToken ct)
    {
        var accountId = new AccountId(payment.MatchedAccountId!.Value);
        var ledger = (await LedgerLoader.LoadAsync(db, a => a.Id == accountId, tracked: false, ct)).Single();
        var entryId = new LedgerEntryId(payment.MatchedEntryId!.Value);
        var applied = Applied(ledger.Invoices.ToDictionary(i => i.Id, i => i.Number), ledger.Allocations.Where(a => a.EntryId == entryId), ledger.Currency);
        return new MatchedPayment(payment.Id, accountId, entryId, payment.Amount, applied, ledger.Balance, payment.MatchedBy!, payment.MatchedAt!.Value, AlreadyMatched: true);
    }

    private static List<PaymentApplication> Applied(Dictionary<Domain.InvoiceId, string> numbers, IEnumerable<Domain.Ledger.Allocation> allocations, Currency currency) =>
        allocations.Where(a => a.InvoiceId is not null).Select(a => new PaymentApplication(numbers[a.InvoiceId!.Value], new Money(-a.AmountMinor, currency))).ToList();
}
