using CsCheck;
using Recoup.Domain.Aging;
using Recoup.Domain.Ledger;
using static Recoup.Domain.Tests.Builders;

namespace Recoup.Domain.Tests.Ledger;

/// <summary>
/// Random sequences of ledger operations, some of them refused, checked after every step against
/// <see cref="LedgerInvariants"/> and the balance identities; and proof that the checker itself fails
/// on a ledger that breaks them.
/// </summary>
public class LedgerPropertyTests
{
    private const int Iterations = 250;

    public enum OpKind
    {
        Invoice,
        Payment,
        NamedPayment,
        Overpayment,
        CreditMemo,
        Adjustment,
        Fee,
        Interest,
        Refund,
        WriteOff,
        Recovery,
        Reversal,
        SplitPayment,
        OrderedPayment,
        PaymentRefund,
    }

    /// <summary>
    /// One step, interpreted against the ledger as it stands: <see cref="Pick"/> chooses an invoice or
    /// entry, <see cref="Shift"/> moves the date (forward mostly, sometimes back).
    /// </summary>
    public readonly record struct Op(OpKind Kind, long Minor, int Pick, int Shift);

    public enum Corruption
    {
        DropAllocation,
        SkewAllocation,
        DuplicateSequence,
        InvoiceWithoutCharge,
        DropCharge,
        ForeignEntry,
        OverpaidInvoice,
        OrphanAllocation,
        ForeignInvoice,
        MisdirectedAllocation,
        UnappliedBelowZero,
        OverpaidComponent,
        WrongComponent,
    }

    private static readonly Gen<OpKind> Kinds = Gen.Frequency(
        (6, OpKind.Invoice),
        (5, OpKind.Payment),
        (3, OpKind.NamedPayment),
        (2, OpKind.Overpayment),
        (2, OpKind.CreditMemo),
        (2, OpKind.Adjustment),
        (2, OpKind.Fee),
        (1, OpKind.Interest),
        (2, OpKind.Refund),
        (2, OpKind.WriteOff),
        (2, OpKind.Recovery),
        (4, OpKind.Reversal),
        (3, OpKind.SplitPayment),
        (3, OpKind.OrderedPayment),
        (2, OpKind.PaymentRefund));

    private static readonly ComponentOrder[] Orders =
    [
        ComponentOrder.Default,
        ComponentOrder.PrincipalFirst,
        ComponentOrder.Parse("interest,fees,principal").Ok(),
        ComponentOrder.Parse("principal,fees,interest").Ok(),
    ];

    private static readonly Gen<Op> Ops = Gen.Select(
        Kinds,
        Gen.Frequency((3, Gen.Long[1, 20_000]), (1, Gen.Long[1, 100])),
        Gen.Int[0, 10_000],
        Gen.Frequency((6, Gen.Int[0, 10]), (1, Gen.Int[-15, -1]), (1, Gen.Const(0))),
        (kind, minor, pick, shift) => new Op(kind, minor, pick, shift));

    private static readonly Gen<Op[]> Scripts = Ops.Array[1, 40];

    private static readonly Gen<int[]> ProbeDays = Gen.Int[-5, 400].Array[1, 6];

    [Fact]
    public void EveryOperation_KeepsTheLedgerInvariants() =>
        Gen.Select(Scripts, ProbeDays).Sample((script, probes) =>
        {
            var ledger = ALedger().Build();
            var runner = new Runner(ledger);
            foreach (var op in script)
            {
                var before = ledger.Snapshot();
                var succeeded = runner.Apply(op);
                if (!succeeded)
                {
                    Assert.Equal(before, ledger.Snapshot());
                }

                AssertConsistent(ledger, probes);
            }

            var rebuilt = new AccountLedger(ledger.Account, ledger.Invoices, ledger.Entries, ledger.Allocations);
            Assert.Equal(ledger.Snapshot(), rebuilt.Snapshot());
            Assert.Equal(ledger.OpenItems(), rebuilt.OpenItems());
        }, iter: Iterations);

    [Fact]
    public void Invariants_DetectAnAllocationThatDoesNotAddUp() =>
        Gen.Select(Gen.Long[2, 1_000_000], Gen.Long[1, 1_000_000], Gen.Long[-1_000, 1_000].Where(d => d != 0))
            .Sample((invoiceMinor, paymentMinor, skew) =>
            {
                var account = AnAccount();
                var invoice = Invoice.Create(InvoiceId.New(Now), account.Id, "H-1", Day(0), Day(30), new Money(invoiceMinor, account.Currency));
                var charge = LedgerEntry.ChargeFor(LedgerEntryId.New(Now), invoice, 1, Now);
                var payment = LedgerEntry.PaymentFor(LedgerEntryId.New(Now), account.Id, 2, new Money(paymentMinor, account.Currency), Day(10), Now, null, "hand-built");
                var toInvoice = Math.Min(invoiceMinor, paymentMinor);
                Allocation[] rows(long skewed) =>
                [
                    new(charge.Id, 1, account.Id, invoice.Id, Day(0), invoiceMinor),
                    new(payment.Id, 1, account.Id, invoice.Id, Day(10), -toInvoice + skewed),
                    new(payment.Id, 2, account.Id, null, Day(10), -(paymentMinor - toInvoice)),
                ];

                // The same rows, correct, pass: the checker does not simply complain about everything.
                Assert.Empty(LedgerInvariants.Check(account, [invoice], [charge, payment], rows(0)));

                var violations = LedgerInvariants.Check(account, [invoice], [charge, payment], rows(skew));
                Assert.Contains(violations, v => v.Rule == "allocations_sum");
                Assert.All(violations, v => Assert.Equal(account.Id, v.AccountId));
            }, iter: Iterations);

    [Fact]
    public void Invariants_DetectACorruptedLedger() =>
        Gen.Select(Scripts, Gen.Enum<Corruption>(), Gen.Int[0, 10_000]).Sample((script, corruption, pick) =>
        {
            var ledger = ALedger().WithInvoice("SEED", 100, issuedOn: 0, dueOn: 10).WithPayment(30, on: 5).Build();
            var runner = new Runner(ledger);
            foreach (var op in script)
            {
                runner.Apply(op);
            }

            Assert.Empty(ledger.Violations());
            var (invoices, entries, allocations, rule) = Corrupt(ledger, corruption, pick);

            var violations = LedgerInvariants.Check(ledger.Account, invoices, entries, allocations);

            Assert.Contains(violations, v => v.Rule == rule);
        }, iter: Iterations);

    [Fact]
    public void Invariants_DetectAnEntryReversedTwice()
    {
        var ledger = ALedger().WithInvoice("A", 100).WithPayment(10, on: 5).Build();
        ledger.Reverse(ledger.LastEntry().Id, Day(6), Now, "bounced").Ok();
        var reversal = ledger.LastEntry();

        var violations = LedgerInvariants.Check(ledger.Account, ledger.Invoices, [.. ledger.Entries, reversal], ledger.Allocations);

        Assert.Contains(violations, v => v.Rule == "reversal_twice");
        Assert.Contains(violations, v => v.Rule == "entry_sequence");
    }

    private static void AssertConsistent(AccountLedger ledger, int[] probeDays)
    {
        var violations = ledger.Violations();
        Assert.True(violations.Count == 0, string.Join("; ", violations.Select(v => $"{v.Rule}: {v.Detail}")));

        Assert.Equal(ledger.Balance, ledger.OpenTotal - ledger.UnappliedCredit);
        Assert.False(ledger.UnappliedCredit.IsNegative);
        Assert.False(ledger.WrittenOffOutstanding.IsNegative);
        Assert.All(ledger.Invoices, i => Assert.False(ledger.OpenOn(i.Id).IsNegative));
        foreach (var invoice in ledger.Invoices)
        {
            var components = Enum.GetValues<BalanceComponent>().Select(c => ledger.OpenOn(invoice.Id, c)).ToList();
            Assert.All(components, c => Assert.False(c.IsNegative, $"A component of {invoice.Number} is {c}"));
            Assert.Equal(ledger.OpenOn(invoice.Id).Minor, components.Sum(c => c.Minor));
        }

        var days = ledger.Entries.SelectMany(e => new[] { e.EffectiveDate.AddDays(-1), e.EffectiveDate })
            .Concat(probeDays.Select(Day))
            .Distinct();
        foreach (var day in days)
        {
            var open = ledger.Invoices.Sum(i => ledger.OpenOnAsOf(i.Id, day).Minor);
            var unapplied = -ledger.Allocations.Where(a => a.InvoiceId is null && a.EffectiveDate <= day).Sum(a => a.AmountMinor);
            Assert.Equal(ledger.BalanceAsOf(day).Minor, open - unapplied);
            Assert.True(unapplied >= 0, $"Unapplied credit is {unapplied} on {day:O}");
            Assert.True(DelinquencyPolicy.FactsOf(ledger, day).WrittenOffMinor >= 0, $"Written-off debt is negative on {day:O}");
        }
    }

    private static (List<Invoice>, List<LedgerEntry>, List<Allocation>, string Rule) Corrupt(AccountLedger ledger, Corruption corruption, int pick)
    {
        var account = ledger.Account;
        var invoices = ledger.Invoices.ToList();
        var entries = ledger.Entries.ToList();
        var allocations = ledger.Allocations.ToList();
        var nextSequence = entries.Max(e => e.Sequence) + 1;
        var lastDay = entries.Max(e => e.EffectiveDate).AddDays(1);
        T Pick<T>(List<T> rows) => rows[pick % rows.Count];

        switch (corruption)
        {
            case Corruption.DropAllocation:
                allocations.Remove(Pick(allocations));
                return (invoices, entries, allocations, "allocations_sum");

            case Corruption.SkewAllocation:
                {
                    var row = Pick(allocations);
                    var skew = pick % 2 == 0 ? 1 : -1;
                    allocations[allocations.IndexOf(row)] = new Allocation(row.EntryId, row.Line, row.AccountId, row.InvoiceId, row.EffectiveDate, row.AmountMinor + skew);
                    return (invoices, entries, allocations, "allocations_sum");
                }

            case Corruption.DuplicateSequence:
                {
                    var payment = LedgerEntry.PaymentFor(LedgerEntryId.New(Now), account.Id, Pick(entries).Sequence, Usd(1), lastDay, Now, null, "dup");
                    entries.Add(payment);
                    allocations.Add(new Allocation(payment.Id, 1, account.Id, null, lastDay, payment.AmountMinor));
                    return (invoices, entries, allocations, "entry_sequence");
                }

            case Corruption.InvoiceWithoutCharge:
                invoices.Add(Invoice.Create(InvoiceId.New(Now), account.Id, "NO-CHARGE", Day(0), Day(30), Usd(10)));
                return (invoices, entries, allocations, "invoice_charge");

            case Corruption.DropCharge:
                {
                    var charge = Pick(entries.Where(e => e.Kind == EntryKind.Charge).ToList());
                    entries.Remove(charge);
                    allocations.RemoveAll(a => a.EntryId == charge.Id);
                    return (invoices, entries, allocations, "invoice_charge");
                }

            case Corruption.ForeignEntry:
                {
                    var stranger = AccountId.New(Now);
                    var payment = LedgerEntry.PaymentFor(LedgerEntryId.New(Now), stranger, nextSequence, Usd(1), lastDay, Now, null, "foreign");
                    entries.Add(payment);
                    allocations.Add(new Allocation(payment.Id, 1, account.Id, null, lastDay, payment.AmountMinor));
                    return (invoices, entries, allocations, "entry_account");
                }

            case Corruption.OverpaidInvoice:
                {
                    var invoice = Pick(invoices);
                    var taken = ledger.OpenOn(invoice.Id) + Usd(0.01m);
                    var payment = LedgerEntry.PaymentFor(LedgerEntryId.New(Now), account.Id, nextSequence, taken, lastDay, Now, invoice.Id, "too much");
                    entries.Add(payment);
                    allocations.Add(new Allocation(payment.Id, 1, account.Id, invoice.Id, lastDay, payment.AmountMinor));
                    return (invoices, entries, allocations, "invoice_negative");
                }

            case Corruption.OrphanAllocation:
                allocations.Add(new Allocation(LedgerEntryId.New(Now), 1, account.Id, null, lastDay, -1));
                return (invoices, entries, allocations, "allocation_entry");

            case Corruption.ForeignInvoice:
                invoices.Add(Invoice.Create(InvoiceId.New(Now), AccountId.New(Now), "FOREIGN", Day(0), Day(30), Usd(10)));
                return (invoices, entries, allocations, "invoice_account");

            case Corruption.MisdirectedAllocation:
                {
                    var row = Pick(allocations);
                    allocations[allocations.IndexOf(row)] = new Allocation(row.EntryId, row.Line, row.AccountId, InvoiceId.New(Now), row.EffectiveDate, row.AmountMinor);
                    return (invoices, entries, allocations, "allocation_invoice");
                }

            case Corruption.UnappliedBelowZero:
                {
                    // A payment of 0.01 that takes more off a fresh invoice than it brought in, and
                    // "pays" the difference out of unapplied credit the account does not have.
                    var unapplied = ledger.UnappliedCredit.Minor;
                    var invoice = Invoice.Create(InvoiceId.New(Now), account.Id, "FRESH", lastDay, lastDay, new Money(unapplied + 2, account.Currency));
                    var charge = LedgerEntry.ChargeFor(LedgerEntryId.New(Now), invoice, nextSequence, Now);
                    var payment = LedgerEntry.PaymentFor(LedgerEntryId.New(Now), account.Id, nextSequence + 1, Usd(0.01m), lastDay, Now, null, "odd");
                    invoices.Add(invoice);
                    entries.AddRange([charge, payment]);
                    allocations.AddRange(
                    [
                        new Allocation(charge.Id, 1, account.Id, invoice.Id, lastDay, invoice.AmountMinor),
                        new Allocation(payment.Id, 1, account.Id, invoice.Id, lastDay, -(unapplied + 2)),
                        new Allocation(payment.Id, 2, account.Id, null, lastDay, unapplied + 1),
                    ]);
                    return (invoices, entries, allocations, "unapplied_negative");
                }

            case Corruption.OverpaidComponent:
                {
                    // Takes a cent off the fees of an invoice that has none open, and gives it back to its principal:
                    // the invoice's total is right, its fees are below zero.
                    var invoice = Pick(invoices);
                    var fees = ledger.OpenOn(invoice.Id, BalanceComponent.Fee).Minor;
                    var payment = LedgerEntry.PaymentFor(LedgerEntryId.New(Now), account.Id, nextSequence, Usd(0.01m), lastDay, Now, invoice.Id, "odd split");
                    entries.Add(payment);
                    allocations.AddRange(
                    [
                        new Allocation(payment.Id, 1, account.Id, invoice.Id, lastDay, -(fees + 1), BalanceComponent.Fee),
                        new Allocation(payment.Id, 2, account.Id, invoice.Id, lastDay, fees, BalanceComponent.Principal),
                    ]);
                    return (invoices, entries, allocations, "component_negative");
                }

            case Corruption.WrongComponent:
                {
                    var row = Pick(allocations.Where(a => entries.Single(e => e.Id == a.EntryId).Kind == EntryKind.Charge).ToList());
                    allocations[allocations.IndexOf(row)] = new Allocation(row.EntryId, row.Line, row.AccountId, row.InvoiceId, row.EffectiveDate, row.AmountMinor, BalanceComponent.Interest);
                    return (invoices, entries, allocations, "allocation_component");
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(corruption), corruption, null);
        }
    }

    /// <summary>Turns abstract steps into calls on the ledger; returns whether the ledger accepted each.</summary>
    private sealed class Runner(AccountLedger ledger)
    {
        private int _day;
        private int _invoiceCount;

        public bool Apply(Op op)
        {
            _day += Math.Max(0, op.Shift);
            var date = Day(_day + Math.Min(0, op.Shift));
            var amount = Amount(op);
            return op.Kind switch
            {
                OpKind.Invoice => AddInvoice(op, date, amount),
                OpKind.Payment => ledger.PostPayment(amount, date, Now, "pay").IsSuccess,
                OpKind.NamedPayment => ledger.PostPayment(amount, date, Now, "pay", InvoiceOrStranger(op)).IsSuccess,
                OpKind.Overpayment => ledger.PostPayment(Positive(ledger.OpenTotal) + new Money(op.Minor, Currency.USD), date, Now, "over").IsSuccess,
                OpKind.CreditMemo => ledger.PostCreditMemo(amount, date, Now, "memo", MaybeInvoice(op)).IsSuccess,
                OpKind.Adjustment => ledger.PostAdjustment(op.Pick % 2 == 0 ? amount : -amount, date, Now, "adjust", MaybeInvoice(op)).IsSuccess,
                OpKind.Fee => ledger.PostFee(amount, InvoiceOrStranger(op) ?? InvoiceId.New(Now), date, Now, "fee").IsSuccess,
                OpKind.Interest => ledger.PostInterest(amount, InvoiceOrStranger(op) ?? InvoiceId.New(Now), date, Now, "interest").IsSuccess,
                OpKind.Refund => ledger.PostRefund(op.Pick % 2 == 0 && ledger.UnappliedCredit.IsPositive ? ledger.UnappliedCredit : amount, date, Now, "refund").IsSuccess,
                OpKind.WriteOff => ledger.WriteOff(op.Pick % 3 == 0 && ledger.OpenTotal.IsPositive ? ledger.OpenTotal : amount, date, Now, "write-off", MaybeInvoice(op)).IsSuccess,
                OpKind.Recovery => ledger.RecordRecovery(amount, date, Now, "recovered").IsSuccess,
                OpKind.Reversal => Reverse(op, date),
                OpKind.SplitPayment => SplitPayment(op, date, amount),
                OpKind.OrderedPayment => ledger.PostPayment(amount, date, Now, "ordered", [], Orders[op.Pick % Orders.Length]).IsSuccess,
                OpKind.PaymentRefund => RefundPayment(op, date, amount),
                _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
            };
        }

        /// <summary>Mostly the generated amount; now and then zero or the wrong currency, which must be refused.</summary>
        private static Money Amount(Op op) => (op.Pick % 40) switch
        {
            0 => Usd(0),
            1 => new Money(op.Minor, Currency.EUR),
            _ => new Money(op.Minor, Currency.USD),
        };

        private static Money Positive(Money money) => money.IsPositive ? money : Usd(0);

        private bool AddInvoice(Op op, DateOnly date, Money amount)
        {
            // Now and then a duplicate number or a due date before the issue date, which must be refused.
            var number = op.Pick % 17 == 0 && _invoiceCount > 0 ? "INV-1" : $"INV-{++_invoiceCount}";
            var due = op.Pick % 23 == 0 ? date.AddDays(-1) : date.AddDays(op.Pick % 60);
            return ledger.AddInvoice(number, date, due, amount, Now).IsSuccess;
        }

        private InvoiceId? MaybeInvoice(Op op) => op.Pick % 2 == 0 ? null : InvoiceOrStranger(op);

        private InvoiceId? InvoiceOrStranger(Op op) =>
            ledger.Invoices.Count == 0 || op.Pick % 31 == 0
                ? InvoiceId.New(Now)
                : ledger.Invoices[op.Pick % ledger.Invoices.Count].Id;

        private bool Reverse(Op op, DateOnly date)
        {
            if (ledger.Entries.Count == 0 || op.Pick % 29 == 0)
            {
                return ledger.Reverse(LedgerEntryId.New(Now), date, Now, "unknown").IsSuccess;
            }

            // Reverse an entry chosen at random; mostly on or after its date, sometimes before it (refused).
            var entry = ledger.Entries[op.Pick % ledger.Entries.Count];
            var on = op.Pick % 7 == 0 ? entry.EffectiveDate.AddDays(-1) : Max(date, entry.EffectiveDate);
            return ledger.Reverse(entry.Id, on, Now, "reversed").IsSuccess;
        }

        private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

        /// <summary>A payment directed to up to three invoices, some with amounts (mostly within what is open, sometimes not).</summary>
        private bool SplitPayment(Op op, DateOnly date, Money amount)
        {
            if (ledger.Invoices.Count == 0)
            {
                return ledger.PostPayment(amount, date, Now, "split", [new PaymentDirection(InvoiceId.New(Now))], ComponentOrder.Default).IsSuccess;
            }

            var directions = new List<PaymentDirection>();
            for (var i = 0; i < 1 + (op.Pick % 3); i++)
            {
                var invoice = ledger.Invoices[(op.Pick + (i * 7)) % ledger.Invoices.Count];
                Money? part = (op.Pick + i) % 3 == 0 ? null : new Money(1 + ((op.Minor * (i + 1)) % Math.Max(1, ledger.OpenOn(invoice.Id).Minor + (op.Pick % 5 == 0 ? 50 : 0))), Currency.USD);
                directions.Add(new PaymentDirection(invoice.Id, part));
            }

            return ledger.PostPayment(amount, date, Now, "split", directions, Orders[op.Pick % Orders.Length]).IsSuccess;
        }

        /// <summary>Refunds (part of) a payment chosen at random, sometimes an entry that is no payment (refused).</summary>
        private bool RefundPayment(Op op, DateOnly date, Money amount)
        {
            var payments = ledger.Entries.Where(e => op.Pick % 13 == 0 || e.Kind == EntryKind.Payment).ToList();
            if (payments.Count == 0)
            {
                return ledger.PostRefund(amount, date, Now, "refund", LedgerEntryId.New(Now), null).IsSuccess;
            }

            var payment = payments[op.Pick % payments.Count];
            var refund = op.Pick % 2 == 0 && payment.AmountMinor < 0 ? -payment.Amount : amount;
            return ledger.PostRefund(refund, Max(date, payment.EffectiveDate), Now, "refund", payment.Id, null).IsSuccess;
        }
    }
}
