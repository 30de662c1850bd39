using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Domain;
using Recoup.Domain.Aging;
using Recoup.Domain.Compliance;
using Recoup.Domain.Debtors;
using Recoup.Domain.Ledger;
using Recoup.Domain.Messaging;
using Recoup.Domain.Plans;
using Recoup.Services.Compliance;
using Recoup.Services.Ledger;
using Recoup.Services.Storage;

namespace Recoup.Services.Messaging.Templates;

/// <summary>An account ready to be written to: its id, its debtor (with contact points) and the template facts.</summary>
public sealed record AccountForMessage(AccountId AccountId, DebtorContacts Debtor, TemplateFacts Facts)
{
    /// <summary>The account's whole ledger, when it was loaded (<see cref="TemplateFactsLoader.LoadAsync"/>); null from the set-based read.</summary>
    public AccountLedger? Ledger { get; init; }
}

/// <summary>
/// Gathers the template facts of many accounts with a handful of queries: debtors with their contact points, the
/// ledger's figures (the past-due open invoices, the itemised balance, days past due), active plans with their current
/// schedule, open promises, the latest settlement offer and the assigned collector. The account number is the
/// debtor's id and the currency (<c>D-0000001-USD</c>): an account is one debtor's debt in one currency, so a message
/// per account is one message per debtor per currency.
/// </summary>
/// <remarks>
/// Two ways to the ledger's figures, with the same answer: <see cref="LoadAsync"/> loads each account's whole ledger
/// and derives them from it; <see cref="LoadSetBasedAsync"/> (the daily run's, for thousands of accounts at once) reads
/// only the open invoices with their open amounts (allocations grouped per invoice in the database) and the ledger
/// entries summed per day and kind, and derives the same figures from those.
/// </remarks>
public static class TemplateFactsLoader
{
    /// <summary>The figures a template takes from the ledger.</summary>
    private sealed record LedgerFigures(IReadOnlyList<InvoiceFacts> PastDue, Itemization Balance, int DaysPastDue);

    private sealed record AccountKey(AccountId Id, DebtorId DebtorId, Currency Currency, LedgerFigures Figures, AccountLedger? Ledger);

    /// <summary>Reads the facts from each account's whole ledger.</summary>
    public static async Task<Dictionary<AccountId, AccountForMessage>> LoadAsync(
        RecoupDbContext db, IReadOnlyCollection<AccountId> accountIds, DateOnly asOf, CancellationToken ct)
    {
        var ids = accountIds.Distinct().ToList();
        var ledgers = await LedgerLoader.LoadAsync(db, a => ids.Contains(a.Id), tracked: false, ct);
        var accounts = ledgers.Select(ledger =>
        {
            var invoices = ledger.Invoices
                .Where(i => i.IssueDate <= asOf && i.DueDate < asOf)
                .Select(i => new InvoiceFacts(i.Number, i.IssueDate, i.DueDate, i.Amount, ledger.OpenOnAsOf(i.Id, asOf), AgingBuckets.DaysPastDue(i.DueDate, asOf)))
                .Where(i => i.Open.IsPositive)
                .OrderBy(i => i.DueOn).ThenBy(i => i.Number, StringComparer.Ordinal)
                .ToList();
            var figures = new LedgerFigures(invoices, Itemization.Of(ledger, asOf), Math.Max(0, DelinquencyPolicy.FactsOf(ledger, asOf).DaysPastDue));
            return new AccountKey(ledger.Account.Id, ledger.Account.DebtorId, ledger.Currency, figures, ledger);
        }).ToList();
        return await CompleteAsync(db, accounts, asOf, null, ct);
    }

    /// <summary>
    /// Reads the same facts as <see cref="LoadAsync"/> without loading ledgers: the open invoices (<see cref="OpenInvoices"/>),
    /// each account's latest issue date, and its ledger entries summed per effective date and kind (a reversal counted
    /// with the kind it reverses), a few set-based queries per 2,000 accounts.
    /// </summary>
    /// <param name="debtors">Debtors (with contact points) read already, or null.</param>
    /// <param name="open">Open invoices as of <paramref name="asOf"/> read already (<see cref="OpenInvoices.LoadAsync"/>) for these accounts, or more.</param>
    public static async Task<Dictionary<AccountId, AccountForMessage>> LoadSetBasedAsync(
        RecoupDbContext db, IReadOnlyCollection<AccountId> accountIds, DateOnly asOf, IReadOnlyList<OpenInvoiceRow>? open, IReadOnlyDictionary<DebtorId, DebtorContacts>? debtors, CancellationToken ct)
    {
        var ids = accountIds.Distinct().ToList();
        var rows = await Chunks.QueryAsync(ids, chunk => db.Accounts.AsNoTracking().Where(a => chunk.Contains(a.Id)).Select(a => new { a.Id, a.DebtorId, a.Currency }), ct);
        if (rows.Count == 0)
        {
            return [];
        }

        var wanted = ids.ToHashSet();
        var openByAccount = (open ?? await OpenInvoices.LoadAsync(db, ids, asOf, ct)).Where(o => wanted.Contains(o.AccountId)).ToLookup(o => o.AccountId);
        var lastIssued = (await Chunks.QueryAsync(ids, chunk => db.Invoices.AsNoTracking()
                .Where(i => chunk.Contains(i.AccountId) && i.IssueDate <= asOf)
                .GroupBy(i => i.AccountId).Select(g => new { AccountId = g.Key, Last = g.Max(i => i.IssueDate) }), ct))
            .ToDictionary(i => i.AccountId, i => i.Last);
        var sums = await Chunks.QueryAsync(ids, chunk => db.LedgerEntries.AsNoTracking()
            .Where(e => chunk.Contains(e.AccountId) && e.EffectiveDate <= asOf && !(e.Kind == EntryKind.Reversal && e.ReversesEntryId != null))
            .GroupBy(e => new { e.AccountId, e.EffectiveDate, e.Kind })
            .Select(g => new { g.Key.AccountId, g.Key.EffectiveDate, g.Key.Kind, Amount = g.Sum(e => e.AmountMinor) }), ct);
        var reversals = await Chunks.QueryAsync(ids, chunk => db.LedgerEntries.AsNoTracking()
            .Where(e => chunk.Contains(e.AccountId) && e.EffectiveDate <= asOf && e.Kind == EntryKind.Reversal && e.ReversesEntryId != null)
            .Select(e => new { e.AccountId, e.EffectiveDate, e.AmountMinor, e.ReversesEntryId }), ct);
        var originals = reversals.Count == 0 ? [] : (await Chunks.QueryAsync(reversals.Select(r => r.ReversesEntryId!.Value).Distinct().ToList(),
                chunk => db.LedgerEntries.AsNoTracking().Where(e => chunk.Contains(e.Id)).Select(e => new { e.Id, e.AccountId, e.Kind }), ct))
            .ToDictionary(e => e.Id);
        var amounts = sums.Select(s => (s.AccountId, s.EffectiveDate, s.Kind, s.Amount))
            .Concat(reversals.Select(r => (r.AccountId, r.EffectiveDate,
                Kind: originals.TryGetValue(r.ReversesEntryId!.Value, out var original) && original.AccountId == r.AccountId ? original.Kind : EntryKind.Reversal,
                Amount: r.AmountMinor)))
            .ToLookup(a => a.AccountId);

        var accounts = rows.Select(row =>
        {
            var currency = row.Currency;
            var issuedOpen = openByAccount[row.Id].Where(o => o.IssueDate <= asOf).ToList();
            var invoices = issuedOpen
                .Where(o => o.DueDate < asOf)
                .Select(o => new InvoiceFacts(o.Number, o.IssueDate, o.DueDate, new Money(o.AmountMinor, o.Currency), new Money(o.OpenMinor, currency), AgingBuckets.DaysPastDue(o.DueDate, asOf)))
                .OrderBy(i => i.DueOn).ThenBy(i => i.Number, StringComparer.Ordinal)
                .ToList();
            var date = issuedOpen.Count > 0 ? issuedOpen.Max(o => o.IssueDate) : lastIssued.TryGetValue(row.Id, out var last) ? last : asOf;
            long atItemization = 0, interest = 0, fees = 0, credits = 0;
            foreach (var (_, effective, kind, amount) in amounts[row.Id])
            {
                if (effective <= date)
                {
                    atItemization = checked(atItemization + amount);
                    continue;
                }

                switch (kind)
                {
                    case EntryKind.Interest:
                        interest = checked(interest + amount);
                        break;
                    case EntryKind.Fee:
                        fees = checked(fees + amount);
                        break;
                    default:
                        credits = checked(credits - amount);
                        break;
                }
            }

            var balance = new Itemization(date, new Money(atItemization, currency), new Money(interest, currency), new Money(fees, currency), new Money(credits, currency),
                new Money(checked(atItemization + interest + fees - credits), currency));
            var daysPastDue = issuedOpen.Count == 0 ? 0 : Math.Max(0, AgingBuckets.DaysPastDue(issuedOpen.Min(o => o.DueDate), asOf));
            return new AccountKey(row.Id, row.DebtorId, currency, new LedgerFigures(invoices, balance, daysPastDue), null);
        }).ToList();
        return await CompleteAsync(db, accounts, asOf, debtors, ct);
    }

    /// <summary>Adds what is not in the ledger (debtor, plan, promise, settlement, collector) to the ledger's figures.</summary>
    private static async Task<Dictionary<AccountId, AccountForMessage>> CompleteAsync(
        RecoupDbContext db, List<AccountKey> accounts, DateOnly asOf, IReadOnlyDictionary<DebtorId, DebtorContacts>? known, CancellationToken ct)
    {
        var ids = accounts.Select(a => a.Id).ToList();
        var debtorIds = accounts.Select(a => a.DebtorId).Where(d => known is null || !known.ContainsKey(d)).Distinct().ToList();
        var debtors = debtorIds.Count == 0 ? [] : await DebtorContacts.LoadAsync(db, debtorIds, ct);
        foreach (var (id, debtor) in known ?? new Dictionary<DebtorId, DebtorContacts>())
        {
            debtors.TryAdd(id, debtor);
        }

        var plans = (await Chunks.QueryAsync(ids, chunk => db.PaymentPlans.AsNoTracking().Where(p => chunk.Contains(p.AccountId) && p.Status == PlanStatus.Active), ct))
            .GroupBy(p => p.AccountId).ToDictionary(g => g.Key, g => g.MaxBy(p => p.CreatedAt)!);
        var planIds = plans.Values.Select(p => p.Id).ToList();
        var installments = (await Chunks.QueryAsync(planIds, chunk => db.PlanInstallments.AsNoTracking().Where(i => chunk.Contains(i.PlanId)), ct)).ToLookup(i => i.PlanId);
        var promises = (await Chunks.QueryAsync(ids, chunk => db.Promises.AsNoTracking().Where(p => chunk.Contains(p.AccountId) && p.Status == PromiseStatus.Pending), ct))
            .GroupBy(p => p.AccountId).ToDictionary(g => g.Key, g => g.MinBy(p => p.PromisedFor)!);
        var settlements = (await Chunks.QueryAsync(ids, chunk => db.Settlements.AsNoTracking().Where(s => chunk.Contains(s.AccountId)), ct))
            .GroupBy(s => s.AccountId).ToDictionary(g => g.Key, g => g.MaxBy(s => s.OfferedAt)!);
        var guids = ids.Select(i => i.Value).ToList();
        var collectors = (await Chunks.QueryAsync(guids, chunk => db.AccountAssignments.AsNoTracking().Where(a => chunk.Contains(a.AccountId)).Select(a => new { a.AccountId, a.Collector }), ct))
            .ToDictionary(a => a.AccountId, a => a.Collector);

        var result = new Dictionary<AccountId, AccountForMessage>();
        foreach (var account in accounts)
        {
            var debtor = debtors[account.DebtorId];
            var currency = account.Currency;
            var invoices = account.Figures.PastDue;
            PlanFacts? plan = null;
            if (plans.TryGetValue(account.Id, out var planRecord))
            {
                var schedule = installments[planRecord.Id].Where(i => i.Version == planRecord.ScheduleVersion).OrderBy(i => i.Number).ToList();
                var next = schedule.FirstOrDefault(i => i.Status == InstallmentStatus.Pending && i.Due >= asOf) ?? schedule.FirstOrDefault(i => i.Status == InstallmentStatus.Pending);
                plan = new PlanFacts(
                    new Money(planRecord.TotalMinor, currency),
                    schedule.Count,
                    planRecord.Frequency.ToString(),
                    planRecord.FirstDue,
                    new Money(schedule.Sum(i => i.AmountMinor - Math.Min(i.PaidMinor, i.AmountMinor)), currency),
                    next is null ? null : new InstallmentFacts(next.Number, next.Due, new Money(next.AmountMinor - Math.Min(next.PaidMinor, next.AmountMinor), currency)));
            }

            var postal = debtor.ContactPoints.Where(c => c.Kind == ContactKind.Postal).OrderByDescending(c => c.IsUsable).ThenByDescending(c => c.IsPrimary).FirstOrDefault();
            result[account.Id] = new AccountForMessage(account.Id, debtor, new TemplateFacts
            {
                Today = asOf,
                DebtorId = debtor.ExternalId,
                DebtorName = debtor.Name,
                DebtorKind = debtor.Kind,
                Address = postal?.Address,
                AccountNumber = $"{debtor.ExternalId}-{currency.Code}",
                Balance = account.Figures.Balance,
                PastDue = new Money(invoices.Sum(i => i.Open.Minor), currency),
                DaysPastDue = account.Figures.DaysPastDue,
                Invoices = invoices,
                Plan = plan,
                Promise = promises.TryGetValue(account.Id, out var promise) ? new PromiseFacts(new Money(promise.AmountMinor, currency), promise.PromisedFor) : null,
                Settlement = settlements.TryGetValue(account.Id, out var settlement)
                    ? new SettlementFacts(new Money(settlement.AmountMinor, currency), new Money(settlement.BalanceMinor, currency), settlement.DiscountPercent, settlement.DueOn)
                    : null,
                Collector = collectors.GetValueOrDefault(account.Id.Value),
                ValidationPeriodEnds = ValidationPeriod.EndsOn(asOf),
            })
            {
                Ledger = account.Ledger,
            };
        }

        return result;
    }
}
