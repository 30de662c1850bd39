using CsCheck;
using Recoup.Domain.Ledger;
using static Recoup.Domain.Tests.Builders;

namespace Recoup.Domain.Tests.Ledger;

/// <summary>
/// Within an invoice a payment pays its components (fees and costs, interest, principal) in a
/// configured order; a payment may name several invoices with an amount for each.
/// </summary>
public class ComponentOrderTests
{
    /// <summary>Invoice A: 100.00 principal, a 10.00 fee and 5.00 interest, all open.</summary>
    private static AccountLedger LedgerWithCharges() =>
        ALedger().WithInvoice("A", 100, issuedOn: 0, dueOn: 10).WithFee(10, "A", on: 5)
            .Then(l => l.PostInterest(Usd(5), l.Id("A"), Day(6), Now, "interest").Ok())
            .Build();

    private static (long Fees, long Interest, long Principal) Paid(AccountLedger ledger, LedgerEntry payment) =>
        (-ledger.Allocations.Where(a => a.EntryId == payment.Id && a.Component == BalanceComponent.Fee && a.InvoiceId is not null).Sum(a => a.AmountMinor),
         -ledger.Allocations.Where(a => a.EntryId == payment.Id && a.Component == BalanceComponent.Interest && a.InvoiceId is not null).Sum(a => a.AmountMinor),
         -ledger.Allocations.Where(a => a.EntryId == payment.Id && a.Component == BalanceComponent.Principal && a.InvoiceId is not null).Sum(a => a.AmountMinor));

    [Fact]
    public void CostsThenInterestThenPrincipal_PaysTheFeeFirst_ThenInterest_ThenPrincipal()
    {
        var ledger = LedgerWithCharges();

        var payment = ledger.PostPayment(Usd(12), Day(7), Now, "pay", [], ComponentOrder.Default).Ok();

        Assert.Equal((1000L, 200L, 0L), Paid(ledger, payment));
        Assert.Equal((Usd(0), Usd(3), Usd(100)), (ledger.OpenOn(ledger.Id("A"), BalanceComponent.Fee), ledger.OpenOn(ledger.Id("A"), BalanceComponent.Interest), ledger.OpenOn(ledger.Id("A"), BalanceComponent.Principal)));

        var rest = ledger.PostPayment(Usd(50), Day(8), Now, "pay", [], ComponentOrder.Default).Ok();
        Assert.Equal((0L, 300L, 4700L), Paid(ledger, rest));
        Assert.Empty(ledger.Violations());
    }

    [Fact]
    public void PrincipalFirst_PaysPrincipal_ThenInterest_ThenFees()
    {
        var ledger = LedgerWithCharges();

        var payment = ledger.PostPayment(Usd(103), Day(7), Now, "pay", [], ComponentOrder.PrincipalFirst).Ok();

        Assert.Equal((0L, 300L, 10_000L), Paid(ledger, payment));
        Assert.Equal(Usd(10), ledger.OpenOn(ledger.Id("A"), BalanceComponent.Fee));
        Assert.Equal(Usd(2), ledger.OpenOn(ledger.Id("A"), BalanceComponent.Interest));
        Assert.Empty(ledger.Violations());
    }

    [Fact]
    public void TheOrder_AppliesWithinEachInvoice_InvoicesStillOldestDueFirst()
    {
        var ledger = ALedger().WithInvoice("OLD", 50, issuedOn: 0, dueOn: 10).WithInvoice("NEW", 50, issuedOn: 1, dueOn: 20)
            .WithFee(5, "OLD", on: 2).WithFee(5, "NEW", on: 2).Build();

        var payment = ledger.PostPayment(Usd(60), Day(3), Now, "pay", [], ComponentOrder.Default).Ok();

        var rows = ledger.Allocations.Where(a => a.EntryId == payment.Id && a.InvoiceId is not null)
            .Select(a => (ledger.Invoices.Single(i => i.Id == a.InvoiceId).Number, a.Component, -a.AmountMinor)).ToList();
        Assert.Equal([("OLD", BalanceComponent.Fee, 500L), ("OLD", BalanceComponent.Principal, 5000L), ("NEW", BalanceComponent.Fee, 500L)], rows);
    }

    [Fact]
    public void SeveralNamedInvoices_WithAmounts_EachGetsItsAmount_TheRestIsUnapplied()
    {
        var ledger = ALedger().WithInvoice("A", 100, issuedOn: 0).WithInvoice("B", 100, issuedOn: 1).WithInvoice("C", 100, issuedOn: 2).Build();

        ledger.PostPayment(Usd(100), Day(5), Now, "pay", [new PaymentDirection(ledger.Id("C"), Usd(30)), new PaymentDirection(ledger.Id("B"), Usd(50))], ComponentOrder.Default).Ok();

        Assert.Equal((Usd(100), Usd(50), Usd(70)), (ledger.OpenOn("A"), ledger.OpenOn("B"), ledger.OpenOn("C")));
        Assert.Equal(Usd(20), ledger.UnappliedCredit);
        Assert.Empty(ledger.Violations());
    }

    [Fact]
    public void NamedInvoicesWithoutAmounts_ShareTheRest_OldestDueFirst()
    {
        var ledger = ALedger().WithInvoice("A", 100, issuedOn: 0).WithInvoice("B", 100, issuedOn: 1).WithInvoice("C", 100, issuedOn: 2).Build();

        ledger.PostPayment(Usd(150), Day(5), Now, "pay", [new PaymentDirection(ledger.Id("C"), Usd(10)), new PaymentDirection(ledger.Id("B")), new PaymentDirection(ledger.Id("A"))], ComponentOrder.Default).Ok();

        Assert.Equal((Usd(0), Usd(60), Usd(90)), (ledger.OpenOn("A"), ledger.OpenOn("B"), ledger.OpenOn("C")));
        Assert.Equal(Usd(0), ledger.UnappliedCredit);
    }

    [Fact]
    public void NamedAmounts_AreRefused_WhenMoreThanOpen_MoreThanThePayment_OrAnInvoiceTwice()
    {
        var ledger = ALedger().WithInvoice("A", 100).WithInvoice("B", 100).Build();
        var order = ComponentOrder.Default;

        ledger.AssertRefused(l => l.PostPayment(Usd(200), Day(5), Now, "pay", [new PaymentDirection(l.Id("A"), Usd(100.01m))], order), "allocation_exceeds_open");
        ledger.AssertRefused(l => l.PostPayment(Usd(50), Day(5), Now, "pay", [new PaymentDirection(l.Id("A"), Usd(30)), new PaymentDirection(l.Id("B"), Usd(30))], order), "allocations_exceed_payment");
        ledger.AssertRefused(l => l.PostPayment(Usd(50), Day(5), Now, "pay", [new PaymentDirection(l.Id("A")), new PaymentDirection(l.Id("A"))], order), "invoice_named_twice");
        ledger.AssertRefused(l => l.PostPayment(Usd(50), Day(5), Now, "pay", [new PaymentDirection(InvoiceId.New(Now))], order), "invoice_not_found");
        ledger.AssertRefused(l => l.PostPayment(Usd(50), Day(5), Now, "pay", [new PaymentDirection(l.Id("A"), Usd(0))], order), "amount_not_positive");
    }

    [Fact]
    public void Reversal_RestoresEachComponent()
    {
        var ledger = LedgerWithCharges();
        var payment = ledger.PostPayment(Usd(12), Day(7), Now, "pay", [], ComponentOrder.Default).Ok();

        ledger.Reverse(payment.Id, Day(8), Now, "bounced").Ok();

        Assert.Equal((Usd(10), Usd(5), Usd(100)), (ledger.OpenOn(ledger.Id("A"), BalanceComponent.Fee), ledger.OpenOn(ledger.Id("A"), BalanceComponent.Interest), ledger.OpenOn(ledger.Id("A"), BalanceComponent.Principal)));
        Assert.Empty(ledger.Violations());
    }

    [Fact]
    public void RefundOfAPayment_TakesUnappliedCreditFirst_ThenReopensWhatThePaymentPaid()
    {
        var ledger = ALedger().WithInvoice("A", 100).Build();
        var duplicate = ledger.PostPayment(Usd(60), Day(5), Now, "chk 1", [], ComponentOrder.Default).Ok();
        ledger.PostPayment(Usd(60), Day(6), Now, "chk 1", [], ComponentOrder.Default).Ok();
        Assert.Equal((Usd(0), Usd(20)), (ledger.OpenOn("A"), ledger.UnappliedCredit));

        var refund = ledger.PostRefund(Usd(60), Day(7), Now, "duplicate payment", duplicate.Id, null).Ok();

        Assert.Equal(EntryKind.Refund, refund.Kind);
        Assert.Equal((Usd(40), Usd(0)), (ledger.OpenOn("A"), ledger.UnappliedCredit));
        Assert.Equal(Usd(40), ledger.Balance);
        Assert.Empty(ledger.Violations());
        ledger.AssertRefused(l => l.PostRefund(Usd(60.01m), Day(7), Now, "too much", duplicate.Id, null), "refund_exceeds_payment");
    }

    [Theory]
    [InlineData("fees,interest,principal", new[] { BalanceComponent.Fee, BalanceComponent.Interest, BalanceComponent.Principal })]
    [InlineData("costs, interest, principal", new[] { BalanceComponent.Fee, BalanceComponent.Interest, BalanceComponent.Principal })]
    [InlineData("Principal,Interest,Fees", new[] { BalanceComponent.Principal, BalanceComponent.Interest, BalanceComponent.Fee })]
    [InlineData("interest", new[] { BalanceComponent.Interest, BalanceComponent.Fee, BalanceComponent.Principal })]
    [InlineData("", new[] { BalanceComponent.Fee, BalanceComponent.Interest, BalanceComponent.Principal })]
    public void Parse_ReadsTheOrder_LeftOutComponentsLast(string text, BalanceComponent[] expected) =>
        Assert.Equal(expected, ComponentOrder.Parse(text).Ok().Order);

    [Theory]
    [InlineData("fees,tips")]
    [InlineData("fees,fees")]
    public void Parse_RefusesUnknownOrRepeatedComponents(string text) =>
        Assert.Equal("component_order_invalid", ComponentOrder.Parse(text).Error?.Code);

    [Fact]
    public void AnyOrder_PaysEachComponentInFull_BeforeTheNext() =>
        Gen.Select(Gen.Long[1, 50_000], Gen.Long[0, 5_000], Gen.Long[0, 5_000], Gen.Long[1, 70_000], Gen.Int[0, 5])
            .Sample((principal, fee, interest, pay, which) =>
            {
                var orders = new[] { "fees,interest,principal", "fees,principal,interest", "interest,fees,principal", "interest,principal,fees", "principal,fees,interest", "principal,interest,fees" };
                var order = ComponentOrder.Parse(orders[which]).Ok();
                var ledger = AccountLedger.Open(AnAccount());
                var invoice = ledger.AddInvoice("A", Day(0), Day(10), new Money(principal, Currency.USD), Now).Ok();
                if (fee > 0)
                {
                    ledger.PostFee(new Money(fee, Currency.USD), invoice.Id, Day(1), Now, "fee").Ok();
                }

                if (interest > 0)
                {
                    ledger.PostInterest(new Money(interest, Currency.USD), invoice.Id, Day(1), Now, "interest").Ok();
                }

                var open = new Dictionary<BalanceComponent, long> { [BalanceComponent.Principal] = principal, [BalanceComponent.Fee] = fee, [BalanceComponent.Interest] = interest };
                ledger.PostPayment(new Money(pay, Currency.USD), Day(2), Now, "pay", [], order).Ok();

                var left = pay;
                foreach (var component in order.Order)
                {
                    var expected = open[component] - Math.Min(left, open[component]);
                    left -= Math.Min(left, open[component]);
                    Assert.Equal(expected, ledger.OpenOn(invoice.Id, component).Minor);
                }

                Assert.Equal(left, ledger.UnappliedCredit.Minor);
                Assert.Empty(ledger.Violations());
            }, iter: 500);
}
