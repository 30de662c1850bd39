namespace Recoup.Domain.Ledger;

/// <summary>The kinds of ledger entry. The sign of each is fixed, except for adjustments.</summary>
public enum EntryKind
{
    /// <summary>An invoice billed: increases the balance by the invoice amount.</summary>
    Charge,

    /// <summary>Money received from the debtor: decreases the balance.</summary>
    Payment,

    /// <summary>A correction either way, with a reason: positive increases an invoice, negative credits it.</summary>
    Adjustment,

    /// <summary>A credit granted against an invoice (returned goods, pricing error): decreases the balance.</summary>
    CreditMemo,

    /// <summary>Money paid back to the debtor out of unapplied credit: increases the balance.</summary>
    Refund,

    /// <summary>A fee charged on an invoice (late fee, returned-payment fee): increases the balance.</summary>
    Fee,

    /// <summary>Interest charged on an invoice: increases the balance.</summary>
    Interest,

    /// <summary>Debt given up as uncollectable: decreases the balance.</summary>
    WriteOff,

    /// <summary>Written-off debt reinstated because money for it arrived; always posted with the payment that recovers it.</summary>
    Recovery,

    /// <summary>Cancels one earlier entry exactly; its amount and allocations are the original's, negated.</summary>
    Reversal,
}

/// <summary>
/// One line of the append-only ledger. A positive amount increases what the debtor owes; a negative
/// amount decreases it. Entries are never changed or deleted: a mistake is corrected by a
/// <see cref="EntryKind.Reversal"/> that points at the original.
/// </summary>
public sealed class LedgerEntry
{
    private LedgerEntry()
    {
    }

    internal LedgerEntry(
        LedgerEntryId id,
        AccountId accountId,
        long sequence,
        EntryKind kind,
        Money amount,
        DateOnly effectiveDate,
        DateTimeOffset postedAt,
        InvoiceId? invoiceId,
        LedgerEntryId? reversesEntryId,
        string? reference,
        string? memo,
        string? sourceId = null)
    {
        Id = id;
        AccountId = accountId;
        Sequence = sequence;
        Kind = kind;
        AmountMinor = amount.Minor;
        Currency = amount.Currency;
        EffectiveDate = effectiveDate;
        PostedAt = postedAt;
        InvoiceId = invoiceId;
        ReversesEntryId = reversesEntryId;
        Reference = reference;
        Memo = memo;
        SourceId = sourceId;
    }

    public LedgerEntryId Id { get; private set; }
    public AccountId AccountId { get; private set; }

    /// <summary>Position in the account's ledger, 1, 2, 3, …; unique per account, so two writers can never both append entry n.</summary>
    public long Sequence { get; private set; }

    public EntryKind Kind { get; private set; }
    public long AmountMinor { get; private set; }
    public Currency Currency { get; private set; }

    /// <summary>The business date the entry takes effect (payment received on, invoice issued on).</summary>
    public DateOnly EffectiveDate { get; private set; }

    /// <summary>The instant it was recorded.</summary>
    public DateTimeOffset PostedAt { get; private set; }

    /// <summary>The invoice a charge, fee or interest entry belongs to, or that a credit was directed to.</summary>
    public InvoiceId? InvoiceId { get; private set; }

    /// <summary>For a reversal: the entry it cancels.</summary>
    public LedgerEntryId? ReversesEntryId { get; private set; }

    /// <summary>An outside reference: the payment id, the check number, the bank reference.</summary>
    public string? Reference { get; private set; }

    /// <summary>The reason or note a person gave.</summary>
    public string? Memo { get; private set; }

    /// <summary>
    /// The id the entry arrived with from outside (a payment id in an import file, an idempotency
    /// key), unique across the ledger, so the same payment can never be posted twice.
    /// </summary>
    public string? SourceId { get; private set; }

    public Money Amount => new(AmountMinor, Currency);

    /// <summary>Builds a charge for an import, which writes entries in bulk outside an <see cref="AccountLedger"/>.</summary>
    public static LedgerEntry ChargeFor(LedgerEntryId id, Invoice invoice, long sequence, DateTimeOffset postedAt) =>
        new(id, invoice.AccountId, sequence, EntryKind.Charge, invoice.Amount, invoice.IssueDate, postedAt, invoice.Id, null, invoice.Number, null);

    /// <summary>Builds a payment for an import; its allocations come from <see cref="CreditAllocator"/>.</summary>
    public static LedgerEntry PaymentFor(LedgerEntryId id, AccountId accountId, long sequence, Money received, DateOnly receivedOn, DateTimeOffset postedAt, InvoiceId? directedTo, string reference)
    {
        if (!received.IsPositive)
        {
            throw new ArgumentOutOfRangeException(nameof(received), received, "A payment must be positive");
        }

        return new LedgerEntry(id, accountId, sequence, EntryKind.Payment, -received, receivedOn, postedAt, directedTo, null, reference, null, reference);
    }
}

/// <summary>
/// The part of a ledger entry that lands on one invoice, or on no invoice (unapplied credit, when
/// <see cref="InvoiceId"/> is null). The allocations of an entry add up to its amount, so what is
/// still owed on an invoice is the sum of its allocations, and the unapplied credit is minus the sum
/// of the allocations without an invoice. Each row also names the <see cref="BalanceComponent"/> it
/// concerns, so what is open on an invoice is known per principal, fees and interest.
/// </summary>
public sealed class Allocation
{
    private Allocation()
    {
    }

    public Allocation(LedgerEntryId entryId, int line, AccountId accountId, InvoiceId? invoiceId, DateOnly effectiveDate, long amountMinor, BalanceComponent component = BalanceComponent.Principal)
    {
        Component = component;
        EntryId = entryId;
        Line = line;
        AccountId = accountId;
        InvoiceId = invoiceId;
        EffectiveDate = effectiveDate;
        AmountMinor = amountMinor;
    }

    public LedgerEntryId EntryId { get; private set; }

    /// <summary>1, 2, 3, … within the entry.</summary>
    public int Line { get; private set; }

    public AccountId AccountId { get; private set; }
    public InvoiceId? InvoiceId { get; private set; }
    public DateOnly EffectiveDate { get; private set; }
    public long AmountMinor { get; private set; }

    /// <summary>
    /// The part of the invoice's debt the row adds to or pays: principal for charges, fee for fees,
    /// interest for interest, and for a credit the component its split gave it (<see cref="ComponentOrder"/>).
    /// Always <see cref="BalanceComponent.Principal"/> on a row without an invoice.
    /// </summary>
    public BalanceComponent Component { get; private set; }
}
