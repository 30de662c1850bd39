using CsCheck;
using Recoup.Domain.Payments;

namespace Recoup.Domain.Tests.Payments;

public sealed class CashApplicationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static readonly AccountCandidate Acme = Account("D-100", "Acme Supplies LLC", Currency.USD, ("INV-1001", 125_000), ("INV-1002", 40_000));
    private static readonly AccountCandidate Maria = Account("D-200", "Maria Gonzalez", Currency.USD, ("INV-2001", 98_765));
    private static readonly AccountCandidate MariaEur = Account("D-300", "Maria Gonzalez", Currency.EUR, ("INV-3001", 5_000));
    private static readonly AccountCandidate JohnA = Account("D-401", "John Smith", Currency.USD, ("INV-4010", 20_000));
    private static readonly AccountCandidate JohnB = Account("D-402", "John Smith", Currency.USD, ("INV-4020", 20_000));

    private static readonly CashApplication Cash = new([Acme, Maria, MariaEur, JohnA, JohnB]);

    private static AccountCandidate Account(string debtorId, string name, Currency currency, params (string Number, long Open)[] invoices) =>
        new(AccountId.New(Now), debtorId, name, currency, invoices.Sum(i => i.Open), invoices.Select(i => new InvoiceCandidate(i.Number, i.Open)).ToList());

    private static PaymentToMatch Payment(long minor, string? payer = null, string? text = null, Currency? currency = null, params string[] references) =>
        new(new Money(minor, currency ?? Currency.USD), payer, references, text);

    [Fact]
    public void AnInvoiceNumberInTheReferences_WithItsOpenAmount_MatchesAt100_OnThatInvoice()
    {
        var result = Cash.Match(Payment(40_000, "ACME SUPPLIES", references: "INV-1002"));

        Assert.True(result.IsConfident(90));
        Assert.Equal((Acme.AccountId, "INV-1002", 100), (result.Best!.AccountId, result.Best.InvoiceNumber, result.Best.Confidence));
        Assert.Equal("invoice INV-1002 in the references; amount equals what is open on it", result.Best.Reason);
    }

    [Fact]
    public void AnInvoiceNumber_IsFoundWhateverItsCase_AndAPartPaymentStillPostsToIt()
    {
        var result = Cash.Match(Payment(10_000, references: "inv-1001"));

        Assert.Equal((Acme.AccountId, "INV-1001", 97), (result.Best!.AccountId, result.Best.InvoiceNumber, result.Best.Confidence));
        Assert.True(result.IsConfident(90));
    }

    [Fact]
    public void AnAccountNumberInTheReferences_MatchesTheDebtorsAccountInThePaymentsCurrency()
    {
        var result = Cash.Match(Payment(1_000, "Maria Gonzalez", references: "D-200"));

        Assert.Equal((Maria.AccountId, (string?)null, 95), (result.Best!.AccountId, result.Best.InvoiceNumber, result.Best.Confidence));
        Assert.True(result.IsConfident(90));
    }

    [Fact]
    public void AnAccountNumber_WithExactlyWhatOneInvoiceOwes_PaysThatInvoice()
    {
        var result = Cash.Match(Payment(40_000, references: "D-100"));

        Assert.Equal(("INV-1002", 99), (result.Best!.InvoiceNumber, result.Best.Confidence));
    }

    [Fact]
    public void AnInvoiceNumberInTheRemittanceText_Matches()
    {
        var result = Cash.Match(Payment(98_765, "M GONZALEZ", text: "Payment for invoice INV-2001, thank you."));

        Assert.Equal((Maria.AccountId, "INV-2001", 98), (result.Best!.AccountId, result.Best.InvoiceNumber, result.Best.Confidence));
        Assert.Equal("invoice INV-2001 in the remittance text; amount equals what is open on it", result.Best.Reason);
        Assert.True(result.IsConfident(90));
    }

    [Fact]
    public void AValidCreditorReference_IsReadForTheReferenceInside()
    {
        // RF + check digits computed by ISO 11649 for "D100" is "RF63D100"; an altered check digit is ignored.
        Assert.Equal("D100", CashApplication.CreditorReference("RF63D100"));
        Assert.Null(CashApplication.CreditorReference("RF64D100"));
        Assert.Equal("539007547034", CashApplication.CreditorReference("RF18 5390 0754 7034"));
    }

    [Fact]
    public void AmountAndTheSamePayerName_MatchAt90_AndASimilarNameLower()
    {
        var same = Cash.Match(Payment(98_765, "GONZALEZ, MARIA"));
        var similar = Cash.Match(Payment(98_765, "Maria Gonzales"));

        Assert.Equal((Maria.AccountId, "INV-2001", 90), (same.Best!.AccountId, same.Best.InvoiceNumber, same.Best.Confidence));
        Assert.True(same.IsConfident(90));
        Assert.InRange(similar.Best!.Confidence, 70, 89);
        Assert.False(similar.IsConfident(90));
        Assert.Contains("payer name", similar.Best.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoAccountsEquallyGood_AreAmbiguous_AndNeverPostByThemselves()
    {
        var result = Cash.Match(Payment(20_000, "John Smith"));

        Assert.True(result.Ambiguous);
        Assert.Equal([JohnA.AccountId, JohnB.AccountId], result.Suggestions.Select(s => s.AccountId));
        Assert.All(result.Suggestions, s => Assert.Equal(90, s.Confidence));
        Assert.False(result.IsConfident(0));
        Assert.Equal("two accounts match about equally well (D-401 and D-402)", result.Problem);
    }

    [Fact]
    public void AReferenceToAnInvoiceInAnotherCurrency_MatchesNothing_AndSaysWhy()
    {
        var result = Cash.Match(Payment(5_000, "Maria Gonzalez", references: "INV-3001"));

        Assert.Empty(result.Suggestions);
        Assert.Equal("invoice INV-3001 is on an account in EUR, but the payment is in USD", result.Problem);
    }

    [Fact]
    public void ADebtorNumber_PicksTheAccountInThePaymentsCurrency_AndNoneWhenThereIsNone()
    {
        var euro = Cash.Match(Payment(5_000, currency: Currency.EUR, references: "D-300"));
        var pounds = Cash.Match(Payment(5_000, currency: Currency.GBP, references: "D-300"));

        Assert.Equal(MariaEur.AccountId, euro.Best!.AccountId);
        Assert.Empty(pounds.Suggestions);
        Assert.Equal("account D-300 is in EUR, but the payment is in GBP", pounds.Problem);
    }

    [Fact]
    public void AReferenceMatch_WhosePayerIsSomeoneElseEntirely_IsNotConfident()
    {
        var result = Cash.Match(Payment(1_000, "Zyx Holdings", references: "D-200"));

        Assert.Equal(85, result.Best!.Confidence);
        Assert.False(result.IsConfident(90));
    }

    [Fact]
    public void NothingInCommon_MatchesNothing()
    {
        var result = Cash.Match(Payment(12_345, "Nobody Known", text: "thanks"));

        Assert.Empty(result.Suggestions);
        Assert.Equal("no reference, amount or payer name matched an account", result.Problem);
    }

    [Fact]
    public void NameSimilarity_IgnoresOrderCaseAndLegalSuffixes()
    {
        Assert.Equal(100, CashApplication.NameSimilarity("ACME SUPPLIES", "Acme Supplies LLC"));
        Assert.Equal(100, CashApplication.NameSimilarity("Doe, John", "John Doe"));
        Assert.Equal(0, CashApplication.NameSimilarity("", "John Doe"));
    }

    private static Gen<T> Pick<T>(params T[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    [Fact]
    public void Property_ConfidenceIsAlways0To100_AndAConfidentMatchIsNeverAmbiguousOrInAnotherCurrency()
    {
        var codes = new[] { "INV-1001", "INV-1002", "INV-2001", "INV-3001", "INV-4010", "D-100", "D-200", "D-300", "D-401", "NOPE-1" };
        var names = new[] { "Acme Supplies", "Maria Gonzalez", "John Smith", "Someone Else", "" };
        var gen = Gen.Select(
            Pick(20_000L, 40_000L, 98_765L, 5_000L, 1L, 125_000L),
            Pick(Currency.USD, Currency.EUR),
            Pick(names),
            Pick(codes).Array[0, 3]);
        gen.Sample((amount, currency, name, references) =>
        {
            var result = Cash.Match(new PaymentToMatch(new Money(amount, currency), name.Length == 0 ? null : name, references, null));
            var byId = new[] { Acme, Maria, MariaEur, JohnA, JohnB }.ToDictionary(a => a.AccountId);
            return result.Suggestions.All(s => s.Confidence is >= 0 and <= 100 && byId[s.AccountId].Currency == currency)
                && (!result.IsConfident(0) || !result.Ambiguous);
        });
    }
}
