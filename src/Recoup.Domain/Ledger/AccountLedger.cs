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
    private readonly Dictionary<(InvoiceId, BalanceComponent), long> _openByComponent = [];
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

    /// <summary>What is open on one component (principal, fees, interest) of an invoice.</summary>
    public Money OpenOn(InvoiceId invoiceId, BalanceComponent component) =>
        new(_openByComponent.GetValueOrDefault((invoiceId, component)), Currency);

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
        Append(EntryKind.Charge, amount, issueDate, now, invoice.Id, null, number, null, [new Part(invoice.Id, BalanceComponent.Principal, amount.Minor)]);
        return Result<Invoice>.Ok(invoice);
    }

    /// <summary>Records money received, applied to the named invoice or oldest due first; the rest stays unapplied.</summary>
    /// <param name="sourceId">The payment's id from outside (import file, idempotency key); unique across the ledger.</param>
    public Result<LedgerEntry> PostPayment(Money amount, DateOnly receivedOn, DateTimeOffset now, string? reference = null, InvoiceId? target = null, string? sourceId = null) =>
        PostCredit(EntryKind.Payment, amount, receivedOn, now, target, reference, null, sourceId);

    /// <summary>
    /// Records money received, applied as the payer directed: to the named invoices (each up to the
    /// amount named for it, or oldest due first among those named without an amount), or, when none
    /// is named, oldest due first across the account. Within each invoice the components are paid in
    /// <paramref name="order"/>. What is left stays unapplied credit.
    /// </summary>
    /// <remarks>
    /// Refused when an invoice is named twice, is not on the account or not issued yet, when an amount
    /// named for an invoice is more than is open on it, or when the named amounts add up to more than
    /// the payment.
    /// </remarks>
    public Result<LedgerEntry> PostPayment(
        Money amount, DateOnly receivedOn, DateTimeOffset now, string? reference, IReadOnlyList<PaymentDirection> directions, ComponentOrder order, string? sourceId = null)
    {
        ArgumentNullException.ThrowIfNull(directions);
        ArgumentNullException.ThrowIfNull(order);
        if (CheckAmount(amount, "payment") is { } error)
        {
            return error;
        }

        if (directions.Count == 0)
        {
            return PostCredit(EntryKind.Payment, amount, receivedOn, now, null, reference, null, sourceId, order);
        }

        var named = new HashSet<InvoiceId>();
        long namedTotal = 0;
        foreach (var direction in directions)
        {
            if (CheckTarget(direction.InvoiceId, receivedOn) is { } targetError)
            {
                return targetError;
            }

            var number = _invoiceById[direction.InvoiceId].Number;
            if (!named.Add(direction.InvoiceId))
            {
                return new Error("invoice_named_twice", $"Invoice {number} is named twice");
            }

            if (direction.Amount is { } part)
            {
                if (part.Currency != Currency)
                {
                    return CurrencyError(part);
                }

                if (!part.IsPositive)
                {
                    return new Error("amount_not_positive", $"The amount for invoice {number} must be positive, not {part}");
                }

                var open = ComponentHeadroom(direction.InvoiceId, receivedOn);
                if (part.Minor > open)
                {
                    return new Error("allocation_exceeds_open", $"{part} for invoice {number} is more than is open on it ({new Money(open, Currency)})");
                }

                namedTotal = checked(namedTotal + part.Minor);
            }
        }

        if (namedTotal > amount.Minor)
        {
            return new Error("allocations_exceed_payment", $"The amounts named for invoices add up to {new Money(namedTotal, Currency)}, more than the payment of {amount}");
        }

        var parts = new List<Part>();
        var left = amount.Minor;
        foreach (var direction in directions.Where(d => d.Amount is not null))
        {
            parts.AddRange(SplitComponents(direction.InvoiceId, direction.Amount!.Value.Minor, receivedOn, order, -1));
            left -= direction.Amount!.Value.Minor;
        }

        var unnamedAmounts = directions.Where(d => d.Amount is null).Select(d => d.InvoiceId).ToHashSet();
        if (left > 0 && unnamedAmounts.Count > 0)
        {
            var split = CreditAllocator.Allocate(left, CreditableItems(receivedOn, unnamedAmounts), null, receivedOn);
            foreach (var (invoiceId, minor) in split.ToInvoices)
            {
                parts.AddRange(SplitComponents(invoiceId, minor, receivedOn, order, -1));
            }

            left = split.UnappliedMinor;
        }

        left = RecoverWrittenOff(left, receivedOn, now, reference, parts);
        parts.Add(new Part(null, BalanceComponent.Principal, -left));
        var directedTo = directions.Count == 1 ? directions[0].InvoiceId : (InvoiceId?)null;
        return Result<LedgerEntry>.Ok(Append(EntryKind.Payment, -amount, receivedOn, now, directedTo, null, reference, null, parts, sourceId));
    }

    /// <summary>Grants a credit memo against the named invoice, or oldest due first.</summary>
    public Result<LedgerEntry> PostCreditMemo(Money amount, DateOnly date, DateTimeOffset now, string reason, InvoiceId? target = null, ComponentOrder? order = null) =>
        PostCredit(EntryKind.CreditMemo, amount, date, now, target, null, reason, null, order);

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
    public Result<LedgerEntry> PostRefund(Money amount, DateOnly date, DateTimeOffset now, string reason) =>
        PostRefund(amount, date, now, reason, null, null);

    /// <summary>
    /// Pays money back to the debtor. Without <paramref name="ofPayment"/>, out of unapplied credit
    /// only. With it (a duplicate payment, a card payment refunded to the card), out of unapplied
    /// credit first, and then by re-opening what that payment paid on its invoices, last paid first:
    /// the money the payment applied goes back, so the debt it had settled is owed again.
    /// </summary>
    public Result<LedgerEntry> PostRefund(Money amount, DateOnly date, DateTimeOffset now, string reason, LedgerEntryId? ofPayment, string? reference)
    {
        if (CheckAmount(amount, "refund") is { } error)
        {
            return error;
        }

        var fromCredit = Math.Min(amount.Minor, Math.Max(0, Headroom(null, date)));
        if (ofPayment is not { } paymentId)
        {
            if (amount.Minor > fromCredit)
            {
                return new Error("refund_exceeds_credit", $"A refund of {amount} exceeds the unapplied credit of {UnappliedCredit}");
            }

            return Result<LedgerEntry>.Ok(Append(EntryKind.Refund, amount, date, now, null, null, reference, reason, [new Part(null, BalanceComponent.Principal, amount.Minor)]));
        }

        if (!_entryById.TryGetValue(paymentId, out var payment) || payment.Kind != EntryKind.Payment)
        {
            return new Error("payment_not_found", $"Entry {paymentId} is not a payment on this account");
        }

        if (_reversed.Contains(paymentId))
        {
            return new Error("payment_reversed", $"Payment {payment.Sequence} has been reversed; there is nothing to refund");
        }

        if (date < payment.EffectiveDate)
        {
            return new Error("refund_before_payment", $"A refund cannot take effect before the payment it refunds ({payment.EffectiveDate:yyyy-MM-dd})");
        }

        if (amount.Minor > -payment.AmountMinor)
        {
            return new Error("refund_exceeds_payment", $"A refund of {amount} exceeds the payment of {-payment.Amount}");
        }

        var parts = new List<Part>();
        if (fromCredit > 0)
        {
            parts.Add(new Part(null, BalanceComponent.Principal, fromCredit));
        }

        var left = amount.Minor - fromCredit;
        foreach (var paid in _allocations.Where(a => a.EntryId == paymentId && a.InvoiceId is not null).OrderByDescending(a => a.Line))
        {
            if (left == 0)
            {
                break;
            }

            var reopened = Math.Min(left, -paid.AmountMinor);
            parts.Add(new Part(paid.InvoiceId, paid.Component, reopened));
            left -= reopened;
        }

        if (left > 0)
        {
            return new Error("refund_exceeds_payment", $"A refund of {amount} is more than payment {payment.Sequence} applied plus the unapplied credit");
        }

        return Result<LedgerEntry>.Ok(Append(EntryKind.Refund, amount, date, now, null, null, reference ?? payment.Reference, reason, parts));
    }

    /// <summary>Writes off debt on the named invoice, or oldest due first. It can never exceed what is open.</summary>
    public Result<LedgerEntry> WriteOff(Money amount, DateOnly date, DateTimeOffset now, string reason, InvoiceId? target = null, ComponentOrder? order = null)
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

        var allocations = split.ToInvoices.SelectMany(s => SplitComponents(s.InvoiceId, s.Minor, date, order ?? ComponentOrder.Default, -1)).ToList();
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

        var recovered = SplitWrittenOff(amount.Minor, receivedOn);
        var recoveredMinor = amount.Minor - recovered.UnappliedMinor;
        if (recoveredMinor == 0)
        {
            return new Error("nothing_written_off", "There is no written-off debt on this account to recover");
        }

        // The rest is allocated before the recovery is appended: once appended, the reinstated debt
        // would look open and the rest would pay it a second time.
        // The reinstated debt is principal, and the payment pays exactly that back.
        var allocations = recovered.ToInvoices.Select(s => new Part(s.InvoiceId, BalanceComponent.Principal, -s.Minor)).ToList();
        if (recovered.UnappliedMinor > 0)
        {
            var rest = CreditAllocator.Allocate(recovered.UnappliedMinor, CreditableItems(receivedOn), null, receivedOn);
            allocations.AddRange(rest.ToInvoices.SelectMany(s => SplitComponents(s.InvoiceId, s.Minor, receivedOn, ComponentOrder.Default, -1)));
            allocations.Add(new Part(null, BalanceComponent.Principal, -rest.UnappliedMinor));
        }

        var recovery = AppendRecovery(recovered, receivedOn, now, reference, null);

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

        var negated = Negated(entryId);

        foreach (var component in negated.Where(a => a.InvoiceId is not null).GroupBy(a => (a.InvoiceId!.Value, a.Component)))
        {
            if (Headroom(component.Key.Value, component.Key.Component, date) + component.Sum(a => a.Minor) < 0)
            {
                return new Error("reversal_blocked", $"Reversing entry {original.Sequence} would leave the {Describe(component.Key.Component)} of invoice {_invoiceById[component.Key.Value].Number} below zero; reverse the credits applied to it first");
            }
        }

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
        var reversal = Append(EntryKind.Reversal, -original.Amount, date, now, original.InvoiceId, entryId, original.Reference, reason, negated);

        // A payment that paid written-off debt came with the recovery that reinstated it: without the
        // payment the debt goes back to written off, so the recovery is reversed with it.
        if (original.Kind == EntryKind.Payment
            && _entries.FirstOrDefault(e => e.Sequence == original.Sequence - 1) is { Kind: EntryKind.Recovery } recovery
            && recovery.PostedAt == original.PostedAt
            && !_reversed.Contains(recovery.Id))
        {
            _reversed.Add(recovery.Id);
            Append(EntryKind.Reversal, -recovery.Amount, date, now, recovery.InvoiceId, recovery.Id, recovery.Reference, reason, Negated(recovery.Id));
        }

        return Result<LedgerEntry>.Ok(reversal);
    }

    /// <summary>An entry's allocations with their signs turned: what its reversal allocates.</summary>
    private List<Part> Negated(LedgerEntryId entryId) =>
        _allocations.Where(a => a.EntryId == entryId).Select(a => new Part(a.InvoiceId, a.Component, checked(-a.AmountMinor))).ToList();

    private Result<LedgerEntry> PostCredit(
        EntryKind kind, Money amount, DateOnly date, DateTimeOffset now, InvoiceId? target, string? reference, string? memo, string? sourceId = null, ComponentOrder? order = null)
    {
        if ((CheckAmount(amount, Describe(kind)) ?? CheckTarget(target, date)) is { } error)
        {
            return error;
        }

        var split = CreditAllocator.Allocate(amount.Minor, CreditableItems(date), target, date);
        var allocations = split.ToInvoices.SelectMany(s => SplitComponents(s.InvoiceId, s.Minor, date, order ?? ComponentOrder.Default, -1)).ToList();
        var left = kind == EntryKind.Payment ? RecoverWrittenOff(split.UnappliedMinor, date, now, reference, allocations) : split.UnappliedMinor;
        allocations.Add(new Part(null, BalanceComponent.Principal, -left));
        return Result<LedgerEntry>.Ok(Append(kind, -amount, date, now, target, null, reference, memo, allocations, sourceId));
    }

    /// <summary>
    /// Money a payment has left over after paying what is open goes to written-off debt before it
    /// becomes unapplied credit: a recovery entry reinstates that debt (appended first, so the payment
    /// that follows pays debt that is open again), and <paramref name="allocations"/> gains the
    /// payment's share of it. Returns what is still left over.
    /// </summary>
    private long RecoverWrittenOff(long leftover, DateOnly date, DateTimeOffset now, string? reference, List<Part> allocations)
    {
        if (leftover <= 0 || !_writtenOff.Values.Any(v => v > 0))
        {
            return leftover;
        }

        var recovered = SplitWrittenOff(leftover, date);
        if (recovered.ToInvoices.Count == 0)
        {
            return leftover;
        }

        AppendRecovery(recovered, date, now, reference, "payment on written-off debt");
        allocations.AddRange(recovered.ToInvoices.Select(s => new Part(s.InvoiceId, BalanceComponent.Principal, -s.Minor)));
        return recovered.UnappliedMinor;
    }

    /// <summary>How <paramref name="minor"/> would reinstate written-off debt on <paramref name="date"/>, oldest due first.</summary>
    private CreditSplit SplitWrittenOff(long minor, DateOnly date) => CreditAllocator.Allocate(
        minor,
        _writtenOff
            .Where(w => w.Value > 0)
            .Select(w => _invoiceById[w.Key])
            .Select(i => new OpenItem(i.Id, i.Number, i.IssueDate, i.DueDate, WrittenOffHeadroom(i.Id, date))),
        null,
        date);

    /// <summary>The recovery entry that reinstates the written-off debt of <paramref name="recovered"/> as principal.</summary>
    private LedgerEntry AppendRecovery(CreditSplit recovered, DateOnly date, DateTimeOffset now, string? reference, string? memo) => Append(
        EntryKind.Recovery, new Money(recovered.ToInvoices.Sum(s => s.Minor), Currency), date, now, null, null, reference, memo,
        recovered.ToInvoices.Select(s => new Part(s.InvoiceId, BalanceComponent.Principal, s.Minor)).ToList());

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

        var component = kind switch
        {
            EntryKind.Fee => BalanceComponent.Fee,
            EntryKind.Interest => BalanceComponent.Interest,
            _ => BalanceComponent.Principal,
        };
        return Result<LedgerEntry>.Ok(Append(kind, amount, date, now, id, null, null, reason, [new Part(id, component, amount.Minor)]));
    }

    /// <summary>
    /// What can be taken off an invoice (or, for <c>null</c>, out of the unapplied credit) by a row
    /// effective on <paramref name="from"/> without taking it below zero on that day or any later one.
    /// </summary>
    private long Headroom(InvoiceId? invoiceId, DateOnly from) =>
        LowestFrom(_allocations.Where(a => a.InvoiceId == invoiceId), invoiceId is null ? -1 : 1, from);

    /// <summary>What can be taken off one component of an invoice by a row effective on <paramref name="from"/>.</summary>
    private long Headroom(InvoiceId invoiceId, BalanceComponent component, DateOnly from) =>
        LowestFrom(_allocations.Where(a => a.InvoiceId == invoiceId && a.Component == component), 1, from);

    /// <summary>What a credit effective on <paramref name="from"/> may take off the invoice, component by component.</summary>
    private long ComponentHeadroom(InvoiceId invoiceId, DateOnly from) =>
        Enum.GetValues<BalanceComponent>().Sum(c => Math.Max(0, Headroom(invoiceId, c, from)));

    /// <summary>
    /// Splits what a credit pays on one invoice across its components in <paramref name="order"/>,
    /// each up to what it may take off that component; <paramref name="sign"/> -1 for a credit.
    /// </summary>
    private List<Part> SplitComponents(InvoiceId invoiceId, long minor, DateOnly date, ComponentOrder order, int sign)
    {
        var parts = new List<Part>();
        var left = minor;
        foreach (var component in order.Order)
        {
            if (left == 0)
            {
                break;
            }

            var take = Math.Min(left, Math.Max(0, Headroom(invoiceId, component, date)));
            if (take > 0)
            {
                parts.Add(new Part(invoiceId, component, sign * take));
                left -= take;
            }
        }

        if (left != 0)
        {
            throw new InvalidOperationException($"{minor} does not fit on the components of invoice {_invoiceById[invoiceId].Number}");
        }

        return parts;
    }

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
    /// <param name="only">When given, only these invoices (chosen before their headroom, which reads every allocation, is worked out).</param>
    private IEnumerable<OpenItem> CreditableItems(DateOnly date, IReadOnlySet<InvoiceId>? only = null) =>
        _invoices
            .Where(i => i.IssueDate <= date && _open[i.Id] > 0 && (only is null || only.Contains(i.Id)))
            .Select(i => new OpenItem(i.Id, i.Number, i.IssueDate, i.DueDate, Math.Min(Headroom(i.Id, date), ComponentHeadroom(i.Id, date))));

    private static string Describe(BalanceComponent component) => component switch
    {
        BalanceComponent.Fee => "fees",
        BalanceComponent.Interest => "interest",
        _ => "principal",
    };

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
        IReadOnlyList<Part> allocations,
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
        foreach (var (target, component, minor) in allocations)
        {
            if (minor == 0)
            {
                continue;
            }

            var allocation = new Allocation(entry.Id, ++line, Account.Id, target, date, minor, target is null ? BalanceComponent.Principal : component);
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
        _openByComponent[(invoiceId, allocation.Component)] = _openByComponent.GetValueOrDefault((invoiceId, allocation.Component)) + allocation.AmountMinor;
        if (kind is EntryKind.WriteOff or EntryKind.Recovery)
        {
            _writtenOff[invoiceId] = _writtenOff.GetValueOrDefault(invoiceId) - allocation.AmountMinor;
        }
    }

    /// <summary>One allocation row to append: the invoice (none for unapplied credit), the component, the signed amount.</summary>
    private readonly record struct Part(InvoiceId? InvoiceId, BalanceComponent Component, long Minor);
}

/// <summary>An invoice the payer named for a payment, with the amount for it, or none to let the payment fill it.</summary>
public sealed record PaymentDirection(InvoiceId InvoiceId, Money? Amount = null);
