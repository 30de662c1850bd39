using Microsoft.EntityFrameworkCore;
using Recoup.Data.Charges;
using Recoup.Domain;
using Recoup.Domain.Charges;
using Recoup.Domain.Holds;
using Recoup.Domain.Ledger;
using Recoup.Services.Audit;
using Recoup.Services.Holds;
using Recoup.Services.Ledger;
using Recoup.Services.Storage;

namespace Recoup.Services.Charges;

/// <summary>What one accrual run did.</summary>
/// <param name="AccountsChecked">Past-due accounts with terms that were looked at.</param>
/// <param name="Refused">Accounts whose terms would charge a consumer without authority: charged nothing.</param>
/// <param name="Held">Accounts (or invoices) under a collection hold or placed: no late fee.</param>
public sealed record AccrualResult(DateOnly AsOf, int AccountsChecked, int FeesPosted, int InterestPosted, int Refused, int Held);

/// <summary>
/// Accrues late fees and interest as of a business date, as ledger entries, for every past-due account whose terms
/// allow them; the daily run calls it, and <c>recoup accrue --as-of DATE</c>.
/// </summary>
/// <remarks>
/// <para>Set-based: past-due accounts are read a batch at a time (their ledgers and accrual states in a few queries), and
/// each batch is one transaction that posts the entries, moves the accrual states and refreshes the summaries.</para>
/// <para>Idempotent per date: a late fee is charged once per invoice, and interest accrues through the as-of date
/// and never twice for a day; running again for the same date (or an earlier one) posts nothing.</para>
/// <para>A consumer or medical debt of a person whose terms name no authority is charged nothing and counted in
/// <see cref="AccrualResult.Refused"/>. No late fee is charged on an account or invoice under a collection hold, or on
/// a placed account; a placed account accrues no interest either (the placement fixed the balance placed).</para>
/// </remarks>
public sealed class AccrueFeesAndInterest(RecoupDatabase database, TimeProvider clock)
{
    public const string Actor = "system:accrual";
    public const int BatchSize = 1_000;

    public async Task<AccrualResult> RunAsync(DateOnly asOf, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        List<Guid> candidates;
        IReadOnlyDictionary<string, ChargeTerms> terms;
        await using (var db = database.CreateContext())
        {
            terms = await ChargeTermsBook.LoadAsync(db, ct);
            if (terms.Count == 0)
            {
                return new AccrualResult(asOf, 0, 0, 0, 0, 0);
            }

            // Past due on the date: the oldest open invoice fell due before it.
            candidates = await db.AccountSummaries.AsNoTracking().Where(s => s.OpenMinor > 0 && s.OldestDueDate < asOf)
                .OrderBy(s => s.AccountId).Select(s => s.AccountId).ToListAsync(ct);
        }

        int checkedCount = 0, fees = 0, interest = 0, refused = 0, held = 0;
        foreach (var batch in candidates.Chunk(BatchSize))
        {
            var (c, f, i, r, h) = await RunBatchAsync(batch.Select(id => new AccountId(id)).ToList(), terms, asOf, now, ct);
            checkedCount += c;
            fees += f;
            interest += i;
            refused += r;
            held += h;
        }

        return new AccrualResult(asOf, checkedCount, fees, interest, refused, held);
    }

    private async Task<(int Checked, int Fees, int Interest, int Refused, int Held)> RunBatchAsync(
        List<AccountId> accountIds, IReadOnlyDictionary<string, ChargeTerms> allTerms, DateOnly asOf, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var ledgers = await LedgerLoader.LoadAsync(db, a => accountIds.Contains(a.Id), tracked: true, ct);
        var accruals = (await db.ChargeAccruals.Where(a => accountIds.Contains(a.AccountId)).ToListAsync(ct)).ToDictionary(a => a.InvoiceId);
        var holds = await CollectionHolds.InForceOn(db.CollectionHolds.AsNoTracking(), asOf).Where(h => accountIds.Contains(h.AccountId)).ToListAsync(ct);
        var placed = (await db.Placements.AsNoTracking().Where(p => accountIds.Contains(p.AccountId) && p.PlacedOn <= asOf).ToListAsync(ct))
            .Where(p => PlacementRules.IsActive(p.Status)).Select(p => p.AccountId).ToHashSet();
        var heldAccounts = holds.Where(h => h.InvoiceId is null).Select(h => h.AccountId).ToHashSet();
        var heldInvoices = holds.Where(h => h.InvoiceId is not null).Select(h => h.InvoiceId!.Value).ToHashSet();

        int checkedCount = 0, fees = 0, interest = 0, refused = 0, held = 0;
        var audit = new List<Data.Audit.AuditRecord>();
        foreach (var ledger in ledgers)
        {
            var debtor = ledger.Account.Debtor!;
            var terms = ChargeTermsBook.For(allTerms, debtor, ledger.Currency);
            if (terms is null)
            {
                continue;
            }

            checkedCount++;
            if (ChargePolicy.Refusal(terms, debtor.DebtType, debtor.Kind) is not null)
            {
                refused++;
                continue;
            }

            if (placed.Contains(ledger.Account.Id))
            {
                held++;
                continue;
            }

            var posted = new List<object>();
            var accountHeld = heldAccounts.Contains(ledger.Account.Id);
            foreach (var invoice in ledger.Invoices)
            {
                if (!accruals.TryGetValue(invoice.Id, out var accrual))
                {
                    accrual = new ChargeAccrualRecord { InvoiceId = invoice.Id, AccountId = ledger.Account.Id };
                }

                var principalChanges = ledger.Allocations.Where(a => a.InvoiceId == invoice.Id && a.Component == BalanceComponent.Principal)
                    .Select(a => (a.EffectiveDate, a.AmountMinor)).ToList();
                var openPrincipal = principalChanges.Where(c => c.EffectiveDate <= asOf).Sum(c => c.AmountMinor);
                var changed = false;

                // The late fee: once, when the invoice is more than the grace days past due with principal open.
                if (terms.LateFee != LateFeeKind.None && accrual.LateFeeOn is null && asOf.DayNumber - invoice.DueDate.DayNumber > terms.LateFeeGraceDays && openPrincipal > 0)
                {
                    if (accountHeld || heldInvoices.Contains(invoice.Id))
                    {
                        held++;
                    }
                    else if (ChargeFormulas.LateFee(terms, openPrincipal) is var fee and > 0
                        && ledger.PostFee(new Money(fee, ledger.Currency), invoice.Id, asOf, now, ChargeFormulas.LateFeeBasis(terms, openPrincipal, fee)) is { IsSuccess: true } entry)
                    {
                        accrual.LateFeeOn = asOf;
                        changed = true;
                        fees++;
                        posted.Add(new { kind = "fee", invoice = invoice.Number, amount = entry.Value.Amount.ToDecimalString(), basis = entry.Value.Memo });
                    }
                }

                // Interest: simple, by the day, on the principal open at the end of each day since the last accrual.
                if (terms.Interest != InterestKind.None)
                {
                    var start = invoice.DueDate.AddDays(terms.InterestGraceDays + 1);
                    if (accrual.InterestThrough is { } through && through.AddDays(1) > start)
                    {
                        start = through.AddDays(1);
                    }

                    if (start <= asOf)
                    {
                        var runs = ChargeFormulas.Runs(start, asOf, principalChanges);
                        var result = ChargeFormulas.Accrue(runs, terms.AnnualRatePercent, accrual.InterestNumerator, accrual.InterestPostedMinor, ledger.Currency);
                        if (result.Minor > 0
                            && ledger.PostInterest(new Money(result.Minor, ledger.Currency), invoice.Id, asOf, now, result.Basis) is { IsSuccess: true } entry)
                        {
                            interest++;
                            posted.Add(new { kind = "interest", invoice = invoice.Number, amount = entry.Value.Amount.ToDecimalString(), basis = entry.Value.Memo });
                            accrual.InterestPostedMinor = result.PostedMinor;
                        }

                        accrual.InterestNumerator = result.Numerator;
                        accrual.InterestThrough = asOf;
                        changed = true;
                    }
                }

                if (changed && !accruals.ContainsKey(invoice.Id))
                {
                    accruals[invoice.Id] = accrual;
                    db.ChargeAccruals.Add(accrual);
                }
            }

            if (posted.Count > 0)
            {
                audit.Add(AuditLog.Record(now, Actor, "charges.accrued", AuditEntities.Account, ledger.Account.Id.ToString(), null, new { as_of = asOf, entries = posted }));
            }
        }

        await LedgerWrites.StageAsync(db, ledgers, ct);
        db.AuditLog.AddRange(audit);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (checkedCount, fees, interest, refused, held);
    }
}
