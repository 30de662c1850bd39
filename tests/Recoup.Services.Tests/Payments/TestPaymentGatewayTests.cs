using Microsoft.Extensions.Time.Testing;
using Recoup.Domain;
using Recoup.Services.Payments;

namespace Recoup.Services.Tests.Payments;

/// <summary>The offline test gateway answers each published test card as a real gateway in test mode does.</summary>
public sealed class TestPaymentGatewayTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    private static CardDetails Card(string number, int month = 12, int year = 2030, string cvv = "123") => new(number, month, year, cvv, "Pat Doe");

    private static Money Usd(long minor) => new(minor, Currency.USD);

    [Theory]
    [InlineData(TestPaymentGateway.Approve, GatewayResultCode.Approved)]
    [InlineData("5555555555554444", GatewayResultCode.Approved)]
    [InlineData("378282246310005", GatewayResultCode.Approved)]
    [InlineData(TestPaymentGateway.Decline, GatewayResultCode.Declined)]
    [InlineData(TestPaymentGateway.InsufficientFunds, GatewayResultCode.InsufficientFunds)]
    [InlineData(TestPaymentGateway.Expired, GatewayResultCode.ExpiredCard)]
    [InlineData(TestPaymentGateway.ProcessingError, GatewayResultCode.ProcessingError)]
    [InlineData(TestPaymentGateway.IncorrectCvc, GatewayResultCode.IncorrectCvc)]
    [InlineData("4242424242424241", GatewayResultCode.InvalidNumber)]
    public async Task EachTestCard_GetsItsPublishedAnswer(string number, GatewayResultCode expected)
    {
        var gateway = new TestPaymentGateway(Clock);

        var answer = await gateway.AuthorizeAsync(Card(number), Usd(5_000), "k1");

        Assert.Equal(expected, answer.Code);
        Assert.Equal(expected == GatewayResultCode.Approved, answer.TransactionId is not null && answer.Token is not null);
        Assert.Equal(number[^4..], answer.Card?.Last4);
        Assert.DoesNotContain(number, answer.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10, 2026, GatewayResultCode.ExpiredCard)]
    [InlineData(11, 2026, GatewayResultCode.Approved)]
    [InlineData(13, 2030, GatewayResultCode.ExpiredCard)]
    public async Task TheExpiry_IsCheckedAgainstTheMonthWeAreIn(int month, int year, GatewayResultCode expected)
    {
        var answer = await new TestPaymentGateway(Clock).AuthorizeAsync(Card(TestPaymentGateway.Approve, month, year), Usd(100), "k");
        Assert.Equal(expected, answer.Code);
    }

    [Theory]
    [InlineData("12")]
    [InlineData("12a")]
    [InlineData("12345")]
    public async Task AMalformedSecurityCode_IsIncorrectCvc(string cvv) =>
        Assert.Equal(GatewayResultCode.IncorrectCvc, (await new TestPaymentGateway(Clock).AuthorizeAsync(Card(TestPaymentGateway.Approve, cvv: cvv), Usd(100), "k")).Code);

    [Fact]
    public async Task AuthorizeCaptureRefund_WithIdempotencyKeys_MovesMoneyOnce()
    {
        var gateway = new TestPaymentGateway(Clock);
        var auth = await gateway.AuthorizeAsync(Card(TestPaymentGateway.Approve), Usd(10_000), "pay-1");
        Assert.Equal(auth, await gateway.AuthorizeAsync(Card(TestPaymentGateway.Approve), Usd(10_000), "pay-1"));

        var charge = await gateway.CaptureAsync(auth.TransactionId!, Usd(10_000), "pay-1");
        Assert.True(charge.Approved);
        Assert.Equal(charge, await gateway.CaptureAsync(auth.TransactionId!, Usd(10_000), "pay-1"));
        Assert.Equal(GatewayResultCode.InvalidState, (await gateway.CaptureAsync(auth.TransactionId!, Usd(10_000), "pay-2")).Code);
        Assert.Equal(GatewayResultCode.InvalidState, (await gateway.VoidAsync(auth.TransactionId!, "void-1")).Code);

        var first = await gateway.RefundAsync(charge.TransactionId!, Usd(6_000), "refund-1");
        Assert.True(first.Approved);
        Assert.Equal(first, await gateway.RefundAsync(charge.TransactionId!, Usd(6_000), "refund-1"));
        Assert.Equal(GatewayResultCode.InvalidState, (await gateway.RefundAsync(charge.TransactionId!, Usd(4_001), "refund-2")).Code);
        Assert.True((await gateway.RefundAsync(charge.TransactionId!, Usd(4_000), "refund-3")).Approved);
        Assert.Equal(GatewayResultCode.NotFound, (await gateway.RefundAsync("ch_test_unknown", Usd(1), "refund-4")).Code);
    }

    [Fact]
    public async Task AVoidedAuthorization_CannotBeCaptured()
    {
        var gateway = new TestPaymentGateway(Clock);
        var auth = await gateway.AuthorizeAsync(Card(TestPaymentGateway.Approve), Usd(500), "a");

        Assert.True((await gateway.VoidAsync(auth.TransactionId!, "v")).Approved);
        Assert.Equal(GatewayResultCode.InvalidState, (await gateway.CaptureAsync(auth.TransactionId!, Usd(500), "c")).Code);
        Assert.Equal(GatewayResultCode.NotFound, (await gateway.CaptureAsync("nope", Usd(500), "c2")).Code);
    }

    [Fact]
    public void ACard_ShowsOnlyBrandAndLastFour()
    {
        var card = Card("4242 4242 4242 4242");
        Assert.Equal("visa ****4242", card.ToString());
        Assert.Equal("visa ****4242", $"{card}");
        Assert.Equal("4242424242424242", card.Number);
    }

    [Theory]
    [InlineData("4242424242424242", true, "visa")]
    [InlineData("5555555555554444", true, "mastercard")]
    [InlineData("2223003122003222", true, "mastercard")]
    [InlineData("378282246310005", true, "amex")]
    [InlineData("6011111111111117", true, "discover")]
    [InlineData("4242424242424243", false, "visa")]
    [InlineData("42424242", false, "visa")]
    public void CardNumbers_CheckTheLuhnDigit_AndNameTheBrand(string number, bool valid, string brand)
    {
        Assert.Equal(valid, CardNumbers.IsValid(number));
        Assert.Equal(brand, CardNumbers.Brand(number));
    }

    [Theory]
    [InlineData("card 4242424242424242", true)]
    [InlineData("paid with 4242 4242 4242 4242 yesterday", true)]
    [InlineData("ref 123 4242-4242-4242-4242", true)]
    [InlineData("3782 822463 10005", true)]
    [InlineData("4242424242424241", false)]
    [InlineData("ACH trace 091000019876543", false)]
    [InlineData("CHK 1042", false)]
    [InlineData("wire 2026-11-23 IMAD 20261123B1Q8151C000123", false)]
    [InlineData("refund 24584970-4779-4434-9a1b-0c2d3e4f5a6b", false)]
    [InlineData(null, false)]
    public void CardNumbersInFreeText_AreFound(string? text, bool found) =>
        Assert.Equal(found, CardNumbers.ContainsCardNumber(text));
}
