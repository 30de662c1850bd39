using Recoup.Services.Accounts;

namespace Recoup.Services.Tests.Accounts;

public sealed class PhoneSearchTextTests
{
    [Theory]
    [InlineData("+1 404 555 0114", "4045550114")]
    [InlineData("(404) 555-0114", "4045550114")]
    [InlineData("1-404-555-0114", "4045550114")]
    [InlineData("+49 30 5550 1234", "493055501234")]
    [InlineData("555-0114", "5550114")]
    public void PhoneNumbers_WithOrWithoutTheNorthAmericanCountryCode_SearchTheSame(string written, string expected) =>
        Assert.Equal(expected, AccountSummaries.PhoneDigits(written));
}
