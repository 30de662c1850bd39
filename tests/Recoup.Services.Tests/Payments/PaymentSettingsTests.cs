using Microsoft.Extensions.Configuration;
using Recoup.Domain;
using Recoup.Domain.Debtors;
using Recoup.Domain.Ledger;
using Recoup.Services.Payments;

namespace Recoup.Services.Tests.Payments;

public sealed class PaymentSettingsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(v => "Recoup:Payments:" + v.Key, v => (string?)v.Value)).Build();

    [Fact]
    public void Defaults_FeesInterestPrincipal_Threshold100_SevenDays_TestGateway()
    {
        var settings = PaymentSettings.Load(Config());
        Assert.Equal(ComponentOrder.Default, settings.ComponentOrder);
        Assert.Equal((100m, 7, "test"), (settings.RefundApprovalThreshold, settings.DuplicateWindowDays, settings.Gateway));
    }

    [Fact]
    public void TheOrder_CanBeSetForAllAndForOneDebtType()
    {
        var settings = PaymentSettings.Load(Config(("ComponentOrder", "principal,interest,fees"), ("ComponentOrderByDebtType:medical", "interest,fees,principal")));
        Assert.Equal(ComponentOrder.PrincipalFirst, settings.OrderFor(DebtType.Consumer));
        Assert.Equal([BalanceComponent.Interest, BalanceComponent.Fee, BalanceComponent.Principal], settings.OrderFor(DebtType.Medical).Order);
    }

    [Theory]
    [InlineData(100.00, false)]
    [InlineData(99.99, false)]
    [InlineData(100.01, true)]
    [InlineData(5000, true)]
    public void ARefund_NeedsApproval_OnlyAboveTheThreshold(decimal amount, bool needed) =>
        Assert.Equal(needed, PaymentSettings.Load(Config(("RefundApprovalThreshold", "100.00"))).NeedsApproval(Money.FromMajor(amount, Currency.USD, MidpointRounding.ToEven)));

    [Fact]
    public void WrongValues_StopTheStart_NamingEveryKey()
    {
        var error = Assert.Throws<InvalidOperationException>(() => PaymentSettings.Load(Config(
            ("ComponentOrder", "fees,tips"), ("RefundApprovalThreshold", "lots"), ("DuplicateWindowDays", "-1"), ("Gateway", "paypal"), ("ComponentOrderByDebtType:retail", "fees"))));
        foreach (var key in new[] { "ComponentOrder", "RefundApprovalThreshold", "DuplicateWindowDays", "Gateway", "ComponentOrderByDebtType:retail" })
        {
            Assert.Contains("Recoup:Payments:" + key, error.Message, StringComparison.Ordinal);
        }
    }
}
