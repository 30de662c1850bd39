using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Domain;
using Recoup.Domain.Aging;
using Recoup.Domain.Compliance;
using Recoup.Domain.Debtors;
using Recoup.Domain.Ledger;
using Recoup.Domain.Messaging;
using Recoup.Domain.Plans;
using Recoup.Services.Ledger;

namespace Recoup.Services.Messaging.Templates;

/// <summary>An account ready to be written to: its ledger, its debtor (with contact points) and the template facts.</summary>
public sealed record AccountForMessage(AccountLedger Ledger, Debtor Debtor, TemplateFacts Facts);

/// <summary>
/// Gathers the template facts of many accounts with a handful of queries: ledgers, debtors with their contact
/// points, active plans with their current schedule, open promises, the latest settlement offer and the assigned
/// collector. The account number is the debtor's id and the currency (<c>D-0000001-USD</c>): an account is one
/// debtor's debt in one currency, so a message per account is one message per debtor per currency.
/// </summary>
public static class TemplateFactsLoader
{
    public static async Task<Dictionary<AccountId, AccountForMessage>> LoadAsync(
        RecoupDbContext db, IReadOnlyCollection<AccountId> accountIds, DateOnly asOf, CancellationToken ct)
    {
        var ids = accountIds.Distinct().ToList();
        var ledgers = await LedgerLoader.LoadAsync(db, a => ids.Contains(a.Id), tracked: false, ct);
        var debtorIds = ledgers.Select(l => l.Account.DebtorId).Distinct().ToList();
        var debtors = await db.Debtors.AsNoTracking().Include(d => d.ContactPoints).Where(d => debtorIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, ct);

        var plans = (await db.PaymentPlans.AsNoTracking().Where(p => ids.Contains(p.AccountId) && p.Status == PlanStatus.Active).ToListAsync(ct))
            .GroupBy(p => p.AccountId).ToDictionary(g => g.Key, g => g.MaxBy(p => p.CreatedAt)!);
        var planIds = plans.Values.Select(p => p.Id).ToList();
        var installments = (await db.PlanInstallments.AsNoTracking().Where(i => planIds.Contains(i.PlanId)).ToListAsync(ct)).ToLookup(i => i.PlanId);
        var promises = (await db.Promises.AsNoTracking().Where(p => ids.Contains(p.AccountId) && p.Status == PromiseStatus.Pending).ToListAsync(ct))
            .GroupBy(p => p.AccountId).ToDictionary(g => g.Key, g => g.MinBy(p => p.PromisedFor)!);
        var settlements = (await db.Settlements.AsNoTracking().Where(s => ids.Contains(s.AccountId)).ToListAsync(ct))
            .GroupBy(s => s.AccountId).ToDictionary(g => g.Key, g => g.MaxBy(s => s.OfferedAt)!);
        var guids = ids.Select(i => i.Value).ToList();
        var collectors = await db.AccountAssignments.AsNoTracking().Where(a => guids.Contains(a.AccountId)).ToDictionaryAsync(a => a.AccountId, a => a.Collector, ct);

        var result = new Dictionary<AccountId, AccountForMessage>();
        foreach (var ledger in ledgers)
        {
            var debtor = debtors[ledger.Account.DebtorId];
            var currency = ledger.Currency;
            var invoices = ledger.Invoices
                .Where(i => i.IssueDate <= asOf && i.DueDate < asOf)
                .Select(i => new InvoiceFacts(i.Number, i.IssueDate, i.DueDate, i.Amount, ledger.OpenOnAsOf(i.Id, asOf), AgingBuckets.DaysPastDue(i.DueDate, asOf)))
                .Where(i => i.Open.IsPositive)
                .OrderBy(i => i.DueOn).ThenBy(i => i.Number, StringComparer.Ordinal)
                .ToList();
            PlanFacts? plan = null;
            if (plans.TryGetValue(ledger.Account.Id, out var planRecord))
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
            var facts = DelinquencyPolicy.FactsOf(ledger, asOf);
            result[ledger.Account.Id] = new AccountForMessage(ledger, debtor, new TemplateFacts
            {
                Today = asOf,
                DebtorId = debtor.ExternalId,
                DebtorName = debtor.Name,
                DebtorKind = debtor.Kind,
                Address = postal?.Address,
                AccountNumber = $"{debtor.ExternalId}-{currency.Code}",
                Balance = Itemization.Of(ledger, asOf),
                PastDue = new Money(invoices.Sum(i => i.Open.Minor), currency),
                DaysPastDue = Math.Max(0, facts.DaysPastDue),
                Invoices = invoices,
                Plan = plan,
                Promise = promises.TryGetValue(ledger.Account.Id, out var promise) ? new PromiseFacts(new Money(promise.AmountMinor, currency), promise.PromisedFor) : null,
                Settlement = settlements.TryGetValue(ledger.Account.Id, out var settlement)
                    ? new SettlementFacts(new Money(settlement.AmountMinor, currency), new Money(settlement.BalanceMinor, currency), settlement.DiscountPercent, settlement.DueOn)
                    : null,
                Collector = collectors.GetValueOrDefault(ledger.Account.Id.Value),
                ValidationPeriodEnds = ValidationPeriod.EndsOn(asOf),
            });
        }

        return result;
    }
}
