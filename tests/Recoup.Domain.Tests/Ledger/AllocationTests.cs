using Recoup.Domain.Ledger;
using static Recoup.Domain.Tests.Builders;

namespace Recoup.Domain.Tests.Ledger;

public class AllocationTests
{
    private static OpenItem Item(string number, long open, int issuedOn, int dueOn) =>
        new(InvoiceId.New(Now), number, Day(issuedOn), Day(dueOn), open);

    private static long PaidOn(CreditSplit split, OpenItem item) =>
        split.ToInvoices.Where(s => s.InvoiceId == item.InvoiceId).Sum(s => s.Minor);

    [Fact]
    public void Allocate_PaysTheEarliestDueDateFirst()
    {
        var later = Item("A", 100, issuedOn: 0, dueOn: 60);
        var earlier = Item("B", 100, issuedOn: 5, dueOn: 20);

        var split = CreditAllocator.Allocate(150, [later, earlier], null, Day(30));

        Assert.Equal([(earlier.InvoiceId, 100L), (later.InvoiceId, 50L)], split.ToInvoices);
        Assert.Equal(0, split.UnappliedMinor);
    }

    [Fact]
    public void Allocate_WhenDueDatesEqual_PaysTheEarlierIssuedFirst()
    {
        var issuedLater = Item("A", 100, issuedOn: 10, dueOn: 30);
        var issuedEarlier = Item("B", 100, issuedOn: 2, dueOn: 30);

        var split = CreditAllocator.Allocate(100, [issuedLater, issuedEarlier], null, Day(30));

        Assert.Equal([(issuedEarlier.InvoiceId, 100L)], split.ToInvoices);
    }

    [Fact]
    public void Allocate_WhenDueAndIssueDatesEqual_PaysInInvoiceNumberOrder()
    {
        var second = Item("INV-2", 100, issuedOn: 0, dueOn: 30);
        var first = Item("INV-1", 100, issuedOn: 0, dueOn: 30);
        var third = Item("INV-3", 100, issuedOn: 0, dueOn: 30);

        var split = CreditAllocator.Allocate(250, [second, third, first], null, Day(30));

        Assert.Equal([(first.InvoiceId, 100L), (second.InvoiceId, 100L), (third.InvoiceId, 50L)], split.ToInvoices);
    }

    [Fact]
    public void Allocate_WhenInvoiceNamed_PaysOnlyThatInvoice()
    {
        var older = Item("A", 100, issuedOn: 0, dueOn: 10);
        var named = Item("B", 100, issuedOn: 0, dueOn: 40);

        var split = CreditAllocator.Allocate(60, [older, named], named.InvoiceId, Day(30));

        Assert.Equal([(named.InvoiceId, 60L)], split.ToInvoices);
        Assert.Equal(0, PaidOn(split, older));
    }

    [Fact]
    public void Allocate_WhenNamedInvoiceOwesLess_LeavesTheRestUnappliedRatherThanSpreadingIt()
    {
        var older = Item("A", 100, issuedOn: 0, dueOn: 10);
        var named = Item("B", 40, issuedOn: 0, dueOn: 40);

        var split = CreditAllocator.Allocate(100, [older, named], named.InvoiceId, Day(30));

        Assert.Equal([(named.InvoiceId, 40L)], split.ToInvoices);
        Assert.Equal(60, split.UnappliedMinor);
    }

    [Fact]
    public void Allocate_WhenCreditExceedsWhatIsOpen_KeepsTheRestUnapplied()
    {
        var a = Item("A", 100, issuedOn: 0, dueOn: 10);
        var b = Item("B", 50, issuedOn: 0, dueOn: 20);

        var split = CreditAllocator.Allocate(200, [a, b], null, Day(30));

        Assert.Equal(150, split.ToInvoices.Sum(s => s.Minor));
        Assert.Equal(50, split.UnappliedMinor);
    }

    [Fact]
    public void Allocate_NeverPaysAnInvoiceIssuedAfterTheCreditsDate()
    {
        var issued = Item("A", 100, issuedOn: 0, dueOn: 30);
        var notYetIssued = Item("B", 100, issuedOn: 20, dueOn: 21);

        var split = CreditAllocator.Allocate(150, [issued, notYetIssued], null, Day(19));

        Assert.Equal([(issued.InvoiceId, 100L)], split.ToInvoices);
        Assert.Equal(50, split.UnappliedMinor);
    }

    [Fact]
    public void Allocate_WhenNamedInvoiceNotYetIssued_LeavesEverythingUnapplied()
    {
        var notYetIssued = Item("B", 100, issuedOn: 20, dueOn: 21);

        var split = CreditAllocator.Allocate(100, [notYetIssued], notYetIssued.InvoiceId, Day(19));

        Assert.Empty(split.ToInvoices);
        Assert.Equal(100, split.UnappliedMinor);
    }

    [Fact]
    public void Allocate_SkipsInvoicesWithNothingOpen()
    {
        var paid = Item("A", 0, issuedOn: 0, dueOn: 5);
        var open = Item("B", 100, issuedOn: 0, dueOn: 30);

        var split = CreditAllocator.Allocate(100, [paid, open], null, Day(30));

        Assert.Equal([(open.InvoiceId, 100L)], split.ToInvoices);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Allocate_WhenCreditNotPositive_Throws(long credit) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CreditAllocator.Allocate(credit, [], null, Day(0)));

    [Fact]
    public void Payment_PaysTheOldestDueInvoiceFirst()
    {
        var ledger = ALedger()
            .WithInvoice("A", 100, issuedOn: 10, dueOn: 40)
            .WithInvoice("B", 100, issuedOn: 0, dueOn: 30)
            .Build();

        ledger.PostPayment(Usd(120), Day(35), Now).Ok();

        Assert.Equal(Usd(0), ledger.OpenOn("B"));
        Assert.Equal(Usd(80), ledger.OpenOn("A"));
    }

    [Fact]
    public void Payment_WhenDueDatesEqual_PaysByIssueDateThenNumber()
    {
        var ledger = ALedger()
            .WithInvoice("C", 100, issuedOn: 0, dueOn: 30)
            .WithInvoice("B", 100, issuedOn: 5, dueOn: 30)
            .WithInvoice("A", 100, issuedOn: 5, dueOn: 30)
            .Build();

        ledger.PostPayment(Usd(150), Day(30), Now).Ok();

        Assert.Equal(Usd(0), ledger.OpenOn("C"));
        Assert.Equal(Usd(50), ledger.OpenOn("A"));
        Assert.Equal(Usd(100), ledger.OpenOn("B"));
    }

    [Fact]
    public void Payment_WhenInvoiceNamed_PaysOnlyThatInvoice()
    {
        var ledger = ALedger()
            .WithInvoice("A", 100, issuedOn: 0, dueOn: 10)
            .WithInvoice("B", 100, issuedOn: 0, dueOn: 40)
            .Build();

        var payment = ledger.PostPayment(Usd(150), Day(20), Now, "chk 1", ledger.Id("B")).Ok();

        Assert.Equal(Usd(100), ledger.OpenOn("A"));
        Assert.Equal(Usd(0), ledger.OpenOn("B"));
        Assert.Equal(Usd(50), ledger.UnappliedCredit);
        Assert.Equal(ledger.Id("B"), payment.InvoiceId);
    }

    [Fact]
    public void Payment_WhenMoreThanIsOwed_KeepsTheRestAsUnappliedCredit()
    {
        var ledger = ALedger().WithInvoice("A", 100).Build();

        ledger.PostPayment(Usd(130), Day(5), Now).Ok();

        Assert.Equal(Usd(0), ledger.OpenOn("A"));
        Assert.Equal(Usd(30), ledger.UnappliedCredit);
        Assert.Equal(Usd(-30), ledger.Balance);
    }

    [Fact]
    public void Payment_NeverLandsOnAnInvoiceIssuedAfterThePaymentDate()
    {
        var ledger = ALedger()
            .WithInvoice("A", 100, issuedOn: 0)
            .WithInvoice("B", 100, issuedOn: 20)
            .Build();

        ledger.PostPayment(Usd(150), Day(10), Now).Ok();

        Assert.Equal(Usd(0), ledger.OpenOn("A"));
        Assert.Equal(Usd(100), ledger.OpenOn("B"));
        Assert.Equal(Usd(50), ledger.UnappliedCredit);
        Assert.Empty(ledger.Violations());
    }

    [Fact]
    public void Payment_WhenBackdated_PaysOnlyWhatWasOpenThenAndStillIs()
    {
        // A credit memo on day 20 cleared A; a payment backdated to day 10 must not pay A again.
        var ledger = ALedger()
            .WithInvoice("A", 100, issuedOn: 0, dueOn: 5)
            .WithInvoice("B", 100, issuedOn: 0, dueOn: 30)
            .WithCreditMemo(100, on: 20, toInvoice: "A")
            .Build();

        ledger.PostPayment(Usd(100), Day(10), Now).Ok();

        Assert.Equal(Usd(0), ledger.OpenOn("A"));
        Assert.Equal(Usd(0), ledger.OpenOn("B"));
        Assert.Empty(ledger.Violations());
    }

    [Fact]
    public void Payment_AllocationsAddUpToThePayment()
    {
        var ledger = ALedger()
            .WithInvoice("A", 100, dueOn: 10)
            .WithInvoice("B", 100, dueOn: 20)
            .Build();

        var payment = ledger.PostPayment(Usd(250), Day(30), Now).Ok();

        var lines = ledger.Allocations.Where(a => a.EntryId == payment.Id).ToList();
        Assert.Equal(-25000, lines.Sum(a => a.AmountMinor));
        Assert.Equal([1, 2, 3], lines.Select(a => a.Line));
        Assert.Equal(-5000, lines.Single(a => a.InvoiceId is null).AmountMinor);
    }
}
