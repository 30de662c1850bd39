using Microsoft.EntityFrameworkCore;
using Recoup.Domain;
using Recoup.Domain.Aging;
using Recoup.Domain.Debtors;
using Recoup.Domain.Ledger;
using Recoup.Services.Storage;

namespace Recoup.Services.Ledger;

/// <summary>An invoice as the statement shows it: what was billed and what is open as of the date.</summary>
public sealed record StatementInvoice(string Number, DateOnly IssueDate, DateOnly DueDate, Money Amount, Money Open, int DaysPastDue);

/// <summary>A ledger line with the balance after it.</summary>
public sealed record StatementLine(
    long Sequence, DateOnly Date, EntryKind Kind, Money Amount, Money Balance, string? Invoice, string? Reference, string? Memo, bool Reversed);

/// <summary>One account of a debtor, explained: every entry, every invoice, the balance and the status.</summary>
public sealed record StatementAccount(
    Currency Currency,
    IReadOnlyList<StatementInvoice> Invoices,
    IReadOnlyList<StatementLine> Lines,
    Money Balance,
    Money OpenInvoices,
    Money UnappliedCredit,
    DelinquencyStatus Status,
    int DaysPastDue);

public sealed record DebtorStatement(string DebtorId, string Name, DebtorKind Kind, DebtType DebtType, DateOnly AsOf, IReadOnlyList<StatementAccount> Accounts);

/// <summary>The ledger and balance of a debtor's accounts as of a date (<c>recoup account ID</c>).</summary>
public sealed class AccountStatement(RecoupDatabase database)
{
    public async Task<Result<DebtorStatement>> ForDebtorAsync(string debtorId, DateOnly asOf, CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        var debtor = await db.Debtors.AsNoTracking().FirstOrDefaultAsync(d => d.ExternalId == debtorId, cancellationToken);
        if (debtor is null)
        {
            return Result<DebtorStatement>.Fail("debtor_not_found", $"There is no debtor '{debtorId}'");
        }

        var ledgers = await LedgerLoader.LoadAsync(db, a => a.DebtorId == debtor.Id, tracked: false, cancellationToken);
        var accounts = ledgers
            .OrderBy(l => l.Currency.Code, StringComparer.Ordinal)
            .Select(l => Explain(l, asOf))
            .ToList();
        return Result<DebtorStatement>.Ok(new DebtorStatement(debtor.ExternalId, debtor.Name, debtor.Kind, debtor.DebtType, asOf, accounts));
    }

    /// <summary>One account's invoices, ledger lines with the running balance, balance and status as of a date.</summary>
    public static StatementAccount Explain(AccountLedger ledger, DateOnly asOf)
    {
        var numbers = ledger.Invoices.ToDictionary(i => i.Id, i => i.Number);
        var invoices = ledger.Invoices
            .Where(i => i.IssueDate <= asOf)
            .OrderBy(i => i.DueDate).ThenBy(i => i.Number, StringComparer.Ordinal)
            .Select(i =>
            {
                var open = ledger.OpenOnAsOf(i.Id, asOf);
                return new StatementInvoice(i.Number, i.IssueDate, i.DueDate, i.Amount, open, open.IsPositive ? Math.Max(0, AgingBuckets.DaysPastDue(i.DueDate, asOf)) : 0);
            })
            .ToList();

        var balance = Money.Zero(ledger.Currency);
        var lines = new List<StatementLine>();
        foreach (var entry in ledger.Entries.Where(e => e.EffectiveDate <= asOf).OrderBy(e => e.EffectiveDate).ThenBy(e => e.Sequence))
        {
            balance += entry.Amount;
            lines.Add(new StatementLine(
                entry.Sequence, entry.EffectiveDate, entry.Kind, entry.Amount, balance,
                entry.InvoiceId is { } id ? numbers[id] : null, entry.Reference, entry.Memo, ledger.IsReversed(entry.Id)));
        }

        var facts = DelinquencyPolicy.FactsOf(ledger, asOf);
        var unapplied = -ledger.Allocations.Where(a => a.InvoiceId is null && a.EffectiveDate <= asOf).Sum(a => a.AmountMinor);
        return new StatementAccount(
            ledger.Currency,
            invoices,
            lines,
            balance,
            new Money(facts.OpenMinor, ledger.Currency),
            new Money(unapplied, ledger.Currency),
            DelinquencyPolicy.Default.StatusOf(facts),
            facts.DaysPastDue);
    }
}
