namespace Recoup.Domain.Ledger;

/// <summary>
/// A receivable: what the creditor billed, when, and when it falls due. The invoice itself never
/// changes; what is still owed on it is derived from the allocations of ledger entries.
/// </summary>
public sealed class Invoice
{
    private Invoice()
    {
        Number = "";
    }

    internal Invoice(InvoiceId id, AccountId accountId, string number, DateOnly issueDate, DateOnly dueDate, Money amount)
    {
        Id = id;
        AccountId = accountId;
        Number = number;
        IssueDate = issueDate;
        DueDate = dueDate;
        AmountMinor = amount.Minor;
        Currency = amount.Currency;
    }

    public InvoiceId Id { get; private set; }
    public AccountId AccountId { get; private set; }

    /// <summary>The creditor's invoice number, unique across the database.</summary>
    public string Number { get; private set; }

    public DateOnly IssueDate { get; private set; }
    public DateOnly DueDate { get; private set; }
    public long AmountMinor { get; private set; }
    public Currency Currency { get; private set; }

    public Money Amount => new(AmountMinor, Currency);

    /// <summary>Builds an invoice for an import, which writes invoices in bulk outside an <see cref="AccountLedger"/>.</summary>
    public static Invoice Create(InvoiceId id, AccountId accountId, string number, DateOnly issueDate, DateOnly dueDate, Money amount)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(number);
        if (!amount.IsPositive)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "An invoice amount must be positive");
        }

        if (dueDate < issueDate)
        {
            throw new ArgumentOutOfRangeException(nameof(dueDate), dueDate, "An invoice cannot fall due before it is issued");
        }

        return new Invoice(id, accountId, number, issueDate, dueDate, amount);
    }
}
