namespace Recoup.Domain.Ledger;

/// <summary>
/// One account's ledger: its invoices, its append-only entries and their allocations, and every
/// operation that may add to them. Each operation either appends entries that keep the ledger's
/// invariants (see <see cref="LedgerInvariants"/>) or returns an <see cref="Error"/> and changes nothing.
/// </summary>
/// <remarks>
/// Balances are never stored: the balance is the sum of the entries, what is open on an invoice is
/// the sum of its allocations, and the unapplied credit is minus the sum of the allocations to no
/// invoice. As of a past date, the same sums over the rows effective on or before it.
/// </remarks>
public sealed class AccountLedger
{
    private readonly List<Invoice> _invoices = [];
    private readonly List<LedgerEntry> _entries = [];
    private readonly List<Allocation> _allocations = [];
    private readonly Dictionary<InvoiceId, Invoice> _invoiceById = [];
    private readonly Dictionary<LedgerEntryId, LedgerEntry> _entryById = [];
    private readonly Dictionary<InvoiceId, long> _open = [];
    private readonly Dictionary<InvoiceId, long> _writtenOff = [];
    private readonly HashSet<LedgerEntryId> _reversed = [];
    private readonly int _loadedInvoices;
    private readonly int _loadedEntries;
    private readonly int _loadedAllocations;
    private long _unapplied;
    private long _lastSequence;

    /// <summary>Rebuilds an account's ledger from its stored rows.</summary>
    public AccountLedger(Account account, IEnumerable<Invoice> invoices, IEnumerable<LedgerEntry> entries, IEnumerable<Allocation> allocations)
    {
        Account = account;
        foreach (var invoice in invoices)
        {
            _invoices.Add(invoice);
            _invoiceById.Add(invoice.Id, invoice);
            _open.Add(invoice.Id, 0);
        }

        foreach (var entry in entries.OrderBy(e => e.Sequence))
        {
            _entries.Add(entry);
            _entryById.Add(entry.Id, entry);
            _lastSequence = Math.Max(_lastSequence, entry.Sequence);
            if (entry.ReversesEntryId is { } reversed)
            {
                _reversed.Add(reversed);
            }
        }

        foreach (var allocation in allocations)
        {
            _allocations.Add(allocation);
            Apply(allocation, TrackingKind(_entryById[allocation.EntryId]));
        }

        _loadedInvoices = _invoices.Count;
        _loadedEntries = _entries.Count;
        _loadedAllocations = _allocations.Count;
    }

    /// <summary>A new account with an empty ledger.</summary>
    public static AccountLedger Open(Account account) => new(account, [], [], []);

    public Account Account { get; }
    public Currency Currency => Account.Currency;

    public IReadOnlyList<Invoice> Invoices => _invoices;
    public IReadOnlyList<LedgerEntry> Entries => _entries;
    public IReadOnlyList<Allocation> Allocations => _allocations;

    /// <summary>Rows added since the ledger was loaded, for the store to insert.</summary>
    public IEnumerable<Invoice> NewInvoices => _invoices.Skip(_loadedInvoices);

    public IEnumerable<LedgerEntry> NewEntries => _entries.Skip(_loadedEntries);
    public IEnumerable<Allocation> NewAllocations => _allocations.Skip(_loadedAllocations);

    /// <summary>What the debtor owes now: the sum of all entries (negative when credit exceeds debt).</summary>
    public Money Balance => new(_entries.Sum(e => e.AmountMinor), Currency);

    /// <summary>The sum of the entries effective on or before <paramref name="asOf"/>.</summary>
    public Money BalanceAsOf(DateOnly asOf) => new(_entries.Where(e => e.EffectiveDate <= asOf).Sum(e => e.AmountMinor), Currency);

    /// <summary>Credit received but not applied to any invoice.</summary>
    public Money UnappliedCredit => new(_unapplied, Currency);

    /// <summary>What is open on all invoices together.</summary>
    public Money OpenTotal => new(_open.Values.Sum(), Currency);

    /// <summary>Written-off debt not yet recovered.</summary>
    public Money WrittenOffOutstanding => new(_writtenOff.Values.Sum(), Currency);

    public Money OpenOn(InvoiceId invoiceId) => new(_open[invoiceId], Currency);

    /// <summary>What was open on the invoice at the end of <paramref name="asOf"/>.</summary>
    public Money OpenOnAsOf(InvoiceId invoiceId, DateOnly asOf) =>
        new(_allocations.Where(a => a.InvoiceId == invoiceId && a.EffectiveDate <= asOf).Sum(a => a.AmountMinor), Currency);

    public IEnumerable<OpenItem> OpenItems() =>
        _invoices.Select(i => new OpenItem(i.Id, i.Number, i.IssueDate, i.DueDate, _open[i.Id]));

    public bool IsReversed(LedgerEntryId entryId) => _reversed.Contains(entryId);

    /// <summary>Bills an invoice: adds it and its charge.</summary>
    public Result<Invoice> AddInvoice(string number, DateOnly issueDate, DateOnly dueDate, Money amount, DateTimeOffset now)
    {
        if (CheckAmount(amount, "invoice") is { } error)
        {
            return error;
        }

        if (string.IsNullOrWhiteSpace(number))
        {
            return new Error("invoice_number_missing", "An invoice needs a number");
        }

        if (_invoices.Exists(i => i.Number == number))
        {
            return new Error("duplicate_invoice", $"Invoice {number} is already on this account");
        }

        if (dueDate < issueDate)
        {
            return new Error("due_before_issue", $"Invoice {number} falls due on {dueDate:yyyy-MM-dd}, before it is issued on {issueDate:yyyy-MM-dd}");
        }

        var invoice = new Invoice(InvoiceId.New(now), Account.Id, number, issueDate, dueDate, amount);
        _invoices.Add(invoice);
        _invoiceById.Add(invoice.Id, invoice);
        _open.Add(invoice.Id, 0);
        Append(EntryKind.Charge, amount, issueDate, now, invoice.Id, null, number, null, [(invoice.Id, amount.Minor)]);
        return Result<Invoice>.Ok(invoice);
    }

    /// <summary>Records money received, applied to the named invoice or oldest due first; the rest stays unapplied.</summary>
    /// <param name="sourceId">The payment's id from outside (import file, idempotency key); unique across the ledger.</param>
    public Result<LedgerEntry> PostPayment(Money amount, DateOnly receivedOn, DateTimeOffset now, string? reference = null, InvoiceId? target = null, string? sourceId = null) =>
        PostCredit(EntryKind.Payment, amount, receivedOn, now, target, reference, null, sourceId);

    /// <summary>Grants a credit memo against the named invoice, or oldest due first.</summary>
    public Result<LedgerEntry> PostCreditMemo(Money amount, DateOnly date, DateTimeOffset now, string reason, InvoiceId? target = null) =>
        PostCredit(EntryKind.CreditMemo, amount, date, now, target, null, reason);

    /// <summary>
    /// Corrects the ledger by a signed amount: a positive adjustment increases the named invoice
    /// (which is then required); a negative one credits it like a credit memo.
    /// </summary>
    public Result<LedgerEntry> PostAdjustment(Money amount, DateOnly date, DateTimeOffset now, string reason, InvoiceId? target = null)
    {
        if (amount.Currency != Currency)
        {
            return CurrencyError(amount);
        }

        if (amount.IsZero)
        {
            return new Error("amount_not_positive", "An adjustment cannot be zero");
        }

        return amount.IsNegative
            ? PostCredit(EntryKind.Adjustment, -amount, date, now, target, null, reason)
            : PostDebit(EntryKind.Adjustment, amount, target, date, now, reason);
    }

    /// <summary>Charges a fee on an invoice.</summary>
    public Result<LedgerEntry> PostFee(Money amount, InvoiceId invoiceId, DateOnly date, DateTimeOffset now, string reason) =>
        PostDebit(EntryKind.Fee, amount, invoiceId, date, now, reason);

    /// <summary>Charges interest on an invoice.</summary>
    public Result<LedgerEntry> PostInterest(Money amount, InvoiceId invoiceId, DateOnly date, DateTimeOffset now, string reason) =>
        PostDebit(EntryKind.Interest, amount, invoiceId, date, now, reason);

    /// <summary>Pays unapplied credit back to the debtor.</summary>
    public Result<LedgerEntry> PostRefund(Money amount, DateOnly date, DateTimeOffset now, string reason)
    {
        if (CheckAmount(amount, "refund") is { } error)
        {
            return error;
        }

        if (amount.Minor > Headroom(null, date))
        {
            return new Error("refund_exceeds_credit", $"A refund of {amount} exceeds the unapplied credit of {UnappliedCredit}");
        }

        return Result<LedgerEntry>.Ok(Append(EntryKind.Refund, amount, date, now, null, null, null, reason, [(null, amount.Minor)]));
    }

    /// <summary>Writes off debt on the named invoice, or oldest due first. It can never exceed what is open.</summary>
    public Result<LedgerEntry> WriteOff(Money amount, DateOnly date, DateTimeOffset now, string reason, InvoiceId? target = null)
    {
        if ((CheckAmount(amount, "write-off") ?? CheckTarget(target, date)) is { } error)
        {
            return error;
        }

        var split = CreditAllocator.Allocate(amount.Minor, CreditableItems(date), target, date);
        if (split.UnappliedMinor != 0)
        {
            return new Error("write_off_exceeds_balance", $"A write-off of {amount} exceeds what is open ({amount.Minor - split.UnappliedMinor} {Currency.Code} can be written off)");
        }

        var allocations = split.ToInvoices.Select(s => ((InvoiceId?)s.InvoiceId, -s.Minor)).ToList();
        return Result<LedgerEntry>.Ok(Append(EntryKind.WriteOff, -amount, date, now, target, null, null, reason, allocations));
    }

    /// <summary>
    /// Records money received on written-off debt: a recovery entry reinstates as much written-off debt
    /// as the money covers, and a payment pays it; money beyond that is applied like any payment.
    /// </summary>
    public Result<(LedgerEntry Recovery, LedgerEntry Payment)> RecordRecovery(Money amount, DateOnly receivedOn, DateTimeOffset now, string? reference = null)
    {
        if (CheckAmount(amount, "recovery") is { } error)
        {
            return error;
        }

        var writtenOff = _writtenOff
            .Where(w => w.Value > 0)
            .Select(w => _invoiceById[w.Key])
            .Select(i => new OpenItem(i.Id, i.Number, i.IssueDate, i.DueDate, WrittenOffHeadroom(i.Id, receivedOn)));
        var recovered = CreditAllocator.Allocate(amount.Minor, writtenOff, null, receivedOn);
        var recoveredMinor = amount.Minor - recovered.UnappliedMinor;
        if (recoveredMinor == 0)
        {
            return new Error("nothing_written_off", "There is no written-off debt on this account to recover");
        }

        // The rest is allocated before the recovery is appended: once appended, the reinstated debt
        // would look open and the rest would pay it a second time.
        var allocations = recovered.ToInvoices.Select(s => ((InvoiceId?)s.InvoiceId, -s.Minor)).ToList();
        if (recovered.UnappliedMinor > 0)
        {
            var rest = CreditAllocator.Allocate(recovered.UnappliedMinor, CreditableItems(receivedOn), null, receivedOn);
            allocations.AddRange(rest.ToInvoices.Select(s => ((InvoiceId?)s.InvoiceId, -s.Minor)));
            allocations.Add((null, -rest.UnappliedMinor));
        }

        var recovery = Append(
            EntryKind.Recovery, new Money(recoveredMinor, Currency), receivedOn, now, null, null, reference, null,
            recovered.ToInvoices.Select(s => ((InvoiceId?)s.InvoiceId, s.Minor)).ToList());

        var payment = Append(EntryKind.Payment, -amount, receivedOn, now, null, null, reference, null, allocations);
        return Result<(LedgerEntry, LedgerEntry)>.Ok((recovery, payment));
    }

    /// <summary>
    /// Cancels an entry with one that negates it and its allocations. Refused when the result would
    /// leave an invoice or the unapplied credit below zero (reverse what depends on the entry first).
    /// </summary>
    public Result<LedgerEntry> Reverse(LedgerEntryId entryId, DateOnly date, DateTimeOffset now, string reason)
    {
        if (!_entryById.TryGetValue(entryId, out var original))
        {
            return new Error("entry_not_found", $"Entry {entryId} is not on this account");
        }

        if (original.Kind == EntryKind.Reversal)
        {
            return new Error("cannot_reverse_reversal", $"Entry {original.Sequence} is itself a reversal; post the original again instead");
        }

        if (_reversed.Contains(entryId))
        {
            return new Error("already_reversed", $"Entry {original.Sequence} has already been reversed");
        }

        if (date < original.EffectiveDate)
        {
            return new Error("reversal_before_original", $"A reversal cannot take effect before the entry it reverses ({original.EffectiveDate:yyyy-MM-dd})");
        }

        var negated = _allocations
            .Where(a => a.EntryId == entryId)
            .Select(a => (a.InvoiceId, Minor: checked(-a.AmountMinor)))
            .ToList();

        foreach (var group in negated.GroupBy(a => a.InvoiceId))
        {
            var change = group.Sum(a => a.Minor);
            if (group.Key is { } id && Headroom(id, date) + change < 0)
            {
                return new Error("reversal_blocked", $"Reversing entry {original.Sequence} would leave invoice {_invoiceById[id].Number} below zero; reverse the credits applied to it first");
            }

            if (group.Key is { } writtenOffId && original.Kind == EntryKind.WriteOff && WrittenOffHeadroom(writtenOffId, date) - change < 0)
            {
                return new Error("reversal_blocked", $"Reversing entry {original.Sequence} would reinstate debt on invoice {_invoiceById[writtenOffId].Number} that a recovery already reinstated; reverse the recovery first");
            }

            if (group.Key is null && Headroom(null, date) - change < 0)
            {
                return new Error("reversal_blocked", $"Reversing entry {original.Sequence} would leave the unapplied credit below zero; reverse the refund first");
            }
        }

        _reversed.Add(entryId);
        return Result<LedgerEntry>.Ok(Append(EntryKind.Reversal, -original.Amount, date, now, original.InvoiceId, entryId, original.Reference, reason, negated));
    }

    private Result<LedgerEntry> PostCredit(EntryKind kind, Money amount, DateOnly date, DateTimeOffset now, InvoiceId? target, string? reference, string? memo, string? sourceId = null)
    {
        if ((CheckAmount(amount, Describe(kind)) ?? CheckTarget(target, date)) is { } error)
        {
            return error;
        }

        var split = CreditAllocator.Allocate(amount.Minor, CreditableItems(date), target, date);
        var allocations = split.ToInvoices.Select(s => ((InvoiceId?)s.InvoiceId, -s.Minor)).ToList();
        allocations.Add((null, -split.UnappliedMinor));
        return Result<LedgerEntry>.Ok(Append(kind, -amount, date, now, target, null, reference, memo, allocations, sourceId));
    }

    private Result<LedgerEntry> PostDebit(EntryKind kind, Money amount, InvoiceId? invoiceId, DateOnly date, DateTimeOffset now, string reason)
    {
        if (CheckAmount(amount, Describe(kind)) is { } error)
        {
            return error;
        }

        if (invoiceId is not { } id)
        {
            return new Error("invoice_required", $"A {Describe(kind)} that increases the balance must name an invoice");
        }

        if (CheckTarget(id, date) is { } targetError)
        {
            return targetError;
        }

        return Result<LedgerEntry>.Ok(Append(kind, amount, date, now, id, null, null, reason, [(id, amount.Minor)]));
    }

    /// <summary>
    /// What can be taken off an invoice (or, for <c>null</c>, out of the unapplied credit) by a row
    /// effective on <paramref name="from"/> without taking it below zero on that day or any later one.
    /// </summary>
    private long Headroom(InvoiceId? invoiceId, DateOnly from) =>
        LowestFrom(_allocations.Where(a => a.InvoiceId == invoiceId), invoiceId is null ? -1 : 1, from);

    /// <summary>
    /// What written-off debt on the invoice may be reinstated by a row effective on <paramref name="from"/>
    /// without leaving less than nothing written off on that day or any later one.
    /// </summary>
    private long WrittenOffHeadroom(InvoiceId invoiceId, DateOnly from) =>
        LowestFrom(
            _allocations.Where(a => a.InvoiceId == invoiceId && TrackingKind(_entryById[a.EntryId]) is EntryKind.WriteOff or EntryKind.Recovery),
            -1,
            from);

    private static long LowestFrom(IEnumerable<Allocation> rows, int sign, DateOnly from)
    {
        // One pass; rows dated after `from` are rare (a backdated posting), so only they are grouped.
        long running = 0;
        List<Allocation>? later = null;
        foreach (var row in rows)
        {
            if (row.EffectiveDate <= from)
            {
                running += row.AmountMinor;
            }
            else
            {
                (later ??= []).Add(row);
            }
        }

        running *= sign;
        if (later is null)
        {
            return running;
        }

        var lowest = running;
        foreach (var day in later.GroupBy(a => a.EffectiveDate).OrderBy(g => g.Key))
        {
            running += sign * day.Sum(a => a.AmountMinor);
            lowest = Math.Min(lowest, running);
        }

        return lowest;
    }

    /// <summary>The invoices a credit effective on <paramref name="date"/> may pay, with what it may take off each.</summary>
    private IEnumerable<OpenItem> CreditableItems(DateOnly date) =>
        _invoices
            .Where(i => i.IssueDate <= date && _open[i.Id] > 0)
            .Select(i => new OpenItem(i.Id, i.Number, i.IssueDate, i.DueDate, Headroom(i.Id, date)));

    private static string Describe(EntryKind kind) => kind switch
    {
        EntryKind.CreditMemo => "credit memo",
        EntryKind.WriteOff => "write-off",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private Error? CheckAmount(Money amount, string what)
    {
        if (amount.Currency != Currency)
        {
            return CurrencyError(amount);
        }

        return amount.IsPositive ? null : new Error("amount_not_positive", $"A {what} must be a positive amount, not {amount}");
    }

    private Error? CheckTarget(InvoiceId? target, DateOnly date)
    {
        if (target is not { } id)
        {
            return null;
        }

        if (!_invoiceById.TryGetValue(id, out var invoice))
        {
            return new Error("invoice_not_found", $"Invoice {id} is not on this account");
        }

        return invoice.IssueDate > date
            ? new Error("invoice_not_yet_issued", $"Invoice {invoice.Number} is issued on {invoice.IssueDate:yyyy-MM-dd}, after {date:yyyy-MM-dd}")
            : null;
    }

    private Error CurrencyError(Money amount) =>
        new("currency_mismatch", $"The account is in {Currency.Code}; {amount} is in {amount.Currency.Code}");

    private LedgerEntry Append(
        EntryKind kind,
        Money amount,
        DateOnly date,
        DateTimeOffset now,
        InvoiceId? invoiceId,
        LedgerEntryId? reverses,
        string? reference,
        string? memo,
        IReadOnlyList<(InvoiceId? InvoiceId, long Minor)> allocations,
        string? sourceId = null)
    {
        if (allocations.Sum(a => a.Minor) != amount.Minor)
        {
            throw new InvalidOperationException($"Allocations of a {kind} do not add up to {amount}");
        }

        var entry = new LedgerEntry(LedgerEntryId.New(now), Account.Id, ++_lastSequence, kind, amount, date, now, invoiceId, reverses, reference, memo, sourceId);
        _entries.Add(entry);
        _entryById.Add(entry.Id, entry);
        var tracking = TrackingKind(entry);
        var line = 0;
        foreach (var (target, minor) in allocations)
        {
            if (minor == 0)
            {
                continue;
            }

            var allocation = new Allocation(entry.Id, ++line, Account.Id, target, date, minor);
            _allocations.Add(allocation);
            Apply(allocation, tracking);
        }

        Account.Touch();
        return entry;
    }

    private EntryKind TrackingKind(LedgerEntry entry) =>
        entry.ReversesEntryId is { } original && _entryById.TryGetValue(original, out var reversed) ? reversed.Kind : entry.Kind;

    private void Apply(Allocation allocation, EntryKind kind)
    {
        if (allocation.InvoiceId is not { } invoiceId)
        {
            _unapplied -= allocation.AmountMinor;
            return;
        }

        _open[invoiceId] += allocation.AmountMinor;
        if (kind is EntryKind.WriteOff or EntryKind.Recovery)
        {
            _writtenOff[invoiceId] = _writtenOff.GetValueOrDefault(invoiceId) - allocation.AmountMinor;
        }
    }
}
