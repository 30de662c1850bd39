namespace Recoup.Domain.Ledger;

/// <summary>A breach of a ledger invariant, with the rule broken and what was found.</summary>
public sealed record InvariantViolation(AccountId AccountId, string Rule, string Detail);

/// <summary>
/// The rules every account's ledger obeys after every operation; <c>recoup verify</c> checks them
/// over a whole database.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>Every row is in the account's currency and belongs to the account.</item>
/// <item>The allocations of each entry add up to the entry's amount.</item>
/// <item>Each kind of entry has its sign: charges, fees, interest, refunds and recoveries are
/// positive; payments, credit memos and write-offs negative; adjustments not zero.</item>
/// <item>A reversal negates exactly one earlier, unreversed, non-reversal entry of the account.</item>
/// <item>Each invoice has one charge, for the invoice amount, on its issue date.</item>
/// <item>What is open on an invoice is never below zero, at any date; nor is the unapplied credit;
/// nor what is open on each of an invoice's components (principal, fees, interest).</item>
/// <item>A charge adds to principal, a fee to fees, interest to interest; a row without an invoice is principal.</item>
/// <item>Hence: sum of entries = balance = sum of open invoice amounts − unapplied credit.</item>
/// </list>
/// </remarks>
public static class LedgerInvariants
{
    public static IReadOnlyList<InvariantViolation> Check(
        Account account,
        IReadOnlyCollection<Invoice> invoices,
        IReadOnlyCollection<LedgerEntry> entries,
        IReadOnlyCollection<Allocation> allocations)
    {
        var violations = new List<InvariantViolation>();
        void Breach(string rule, string detail) => violations.Add(new InvariantViolation(account.Id, rule, detail));

        var invoiceById = new Dictionary<InvoiceId, Invoice>();
        foreach (var invoice in invoices)
        {
            invoiceById[invoice.Id] = invoice;
            if (invoice.AccountId != account.Id || invoice.Currency != account.Currency)
            {
                Breach("invoice_account", $"Invoice {invoice.Number} is not in account {account.Id} ({account.Currency.Code})");
            }
        }

        var entryById = new Dictionary<LedgerEntryId, LedgerEntry>();
        var sequences = new HashSet<long>();
        foreach (var entry in entries)
        {
            entryById[entry.Id] = entry;
            if (entry.AccountId != account.Id || entry.Currency != account.Currency)
            {
                Breach("entry_account", $"Entry {entry.Sequence} is not in account {account.Id} ({account.Currency.Code})");
            }

            if (!sequences.Add(entry.Sequence))
            {
                Breach("entry_sequence", $"Sequence {entry.Sequence} is used twice");
            }
        }

        var allocatedPerEntry = new Dictionary<LedgerEntryId, long>();
        foreach (var allocation in allocations)
        {
            if (!entryById.ContainsKey(allocation.EntryId) || allocation.AccountId != account.Id)
            {
                Breach("allocation_entry", $"Allocation {allocation.EntryId}/{allocation.Line} has no entry in this account");
                continue;
            }

            if (allocation.InvoiceId is { } invoiceId && !invoiceById.ContainsKey(invoiceId))
            {
                Breach("allocation_invoice", $"Allocation {allocation.EntryId}/{allocation.Line} points at an invoice outside this account");
            }

            allocatedPerEntry[allocation.EntryId] = allocatedPerEntry.GetValueOrDefault(allocation.EntryId) + allocation.AmountMinor;

            var expected = entryById[allocation.EntryId].Kind switch
            {
                EntryKind.Charge => BalanceComponent.Principal,
                EntryKind.Fee => BalanceComponent.Fee,
                EntryKind.Interest => BalanceComponent.Interest,
                _ => allocation.InvoiceId is null ? BalanceComponent.Principal : (BalanceComponent?)null,
            };
            if (expected is { } component && allocation.Component != component)
            {
                Breach("allocation_component", $"Allocation {allocation.EntryId}/{allocation.Line} of a {entryById[allocation.EntryId].Kind} is {allocation.Component}, not {component}");
            }
        }

        var reversedBy = new Dictionary<LedgerEntryId, LedgerEntry>();
        foreach (var entry in entries)
        {
            if (allocatedPerEntry.GetValueOrDefault(entry.Id) != entry.AmountMinor)
            {
                Breach("allocations_sum", $"Entry {entry.Sequence} is {entry.AmountMinor} but its allocations add up to {allocatedPerEntry.GetValueOrDefault(entry.Id)}");
            }

            if (!HasValidSign(entry))
            {
                Breach("entry_sign", $"Entry {entry.Sequence} ({entry.Kind}) has the wrong sign: {entry.AmountMinor}");
            }

            if (entry.Kind == EntryKind.Reversal)
            {
                CheckReversal(entry, entryById, reversedBy, Breach);
            }
            else if (entry.ReversesEntryId is not null)
            {
                Breach("reversal_kind", $"Entry {entry.Sequence} points at another entry but is not a reversal");
            }
        }

        foreach (var invoice in invoices)
        {
            var charges = entries.Where(e => e.Kind == EntryKind.Charge && e.InvoiceId == invoice.Id).ToList();
            if (charges.Count != 1 || charges[0].AmountMinor != invoice.AmountMinor || charges[0].EffectiveDate != invoice.IssueDate)
            {
                Breach("invoice_charge", $"Invoice {invoice.Number} needs exactly one charge of {invoice.AmountMinor} on {invoice.IssueDate:yyyy-MM-dd}; found {charges.Count}");
            }
        }

        CheckNeverNegative(allocations, invoiceById, Breach);

        var balance = entries.Sum(e => e.AmountMinor);
        var open = allocations.Where(a => a.InvoiceId is not null).Sum(a => a.AmountMinor);
        var unapplied = -allocations.Where(a => a.InvoiceId is null).Sum(a => a.AmountMinor);
        if (balance != open - unapplied)
        {
            Breach("balance", $"Entries add up to {balance}, but open invoices ({open}) less unapplied credit ({unapplied}) is {open - unapplied}");
        }

        return violations;
    }

    private static bool HasValidSign(LedgerEntry entry) => entry.Kind switch
    {
        EntryKind.Charge or EntryKind.Fee or EntryKind.Interest or EntryKind.Refund or EntryKind.Recovery => entry.AmountMinor > 0,
        EntryKind.Payment or EntryKind.CreditMemo or EntryKind.WriteOff => entry.AmountMinor < 0,
        EntryKind.Adjustment or EntryKind.Reversal => entry.AmountMinor != 0,
    };

    private static void CheckReversal(
        LedgerEntry reversal,
        Dictionary<LedgerEntryId, LedgerEntry> entryById,
        Dictionary<LedgerEntryId, LedgerEntry> reversedBy,
        Action<string, string> breach)
    {
        if (reversal.ReversesEntryId is not { } originalId || !entryById.TryGetValue(originalId, out var original))
        {
            breach("reversal_target", $"Reversal {reversal.Sequence} does not point at an entry of this account");
            return;
        }

        if (original.Kind == EntryKind.Reversal || original.AmountMinor != -reversal.AmountMinor || original.Sequence >= reversal.Sequence)
        {
            breach("reversal_target", $"Reversal {reversal.Sequence} does not exactly negate an earlier entry (entry {original.Sequence})");
        }

        if (!reversedBy.TryAdd(originalId, reversal))
        {
            breach("reversal_twice", $"Entry {original.Sequence} is reversed more than once");
        }
    }

    private static void CheckNeverNegative(IReadOnlyCollection<Allocation> allocations, Dictionary<InvoiceId, Invoice> invoiceById, Action<string, string> breach)
    {
        // Walk the allocations by date; within a day all rows count together, because the ledger is
        // read as of the end of a day.
        var running = new Dictionary<InvoiceId, long>();
        var components = new Dictionary<(InvoiceId, BalanceComponent), long>();
        long unapplied = 0;
        foreach (var day in allocations.GroupBy(a => a.EffectiveDate).OrderBy(g => g.Key))
        {
            foreach (var allocation in day)
            {
                if (allocation.InvoiceId is { } id)
                {
                    running[id] = running.GetValueOrDefault(id) + allocation.AmountMinor;
                    components[(id, allocation.Component)] = components.GetValueOrDefault((id, allocation.Component)) + allocation.AmountMinor;
                }
                else
                {
                    unapplied -= allocation.AmountMinor;
                }
            }

            foreach (var (id, open) in running.Where(r => r.Value < 0))
            {
                var number = invoiceById.TryGetValue(id, out var invoice) ? invoice.Number : id.ToString();
                breach("invoice_negative", $"Invoice {number} is {open} on {day.Key:yyyy-MM-dd}: more was applied to it than it owed");
                running[id] = 0;
            }

            foreach (var ((id, component), open) in components.Where(r => r.Value < 0))
            {
                var number = invoiceById.TryGetValue(id, out var invoice) ? invoice.Number : id.ToString();
                breach("component_negative", $"The {component} of invoice {number} is {open} on {day.Key:yyyy-MM-dd}: more was applied to it than it owed");
                components[(id, component)] = 0;
            }

            if (unapplied < 0)
            {
                breach("unapplied_negative", $"Unapplied credit is {unapplied} on {day.Key:yyyy-MM-dd}: more was refunded than received");
                unapplied = 0;
            }
        }
    }
}
