using Recoup.Domain.Contacts;

namespace Recoup.Domain.Tests.Contacts;

public class PhoneTests
{
    private static ParsedPhone Parsed(string raw, string region = "US")
    {
        var result = Phone.Parse(raw, region);
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value;
    }

    [Theory]
    [InlineData("(212) 555-0134", "US", "+12125550134", "US")]
    [InlineData("212.555.0134", "US", "+12125550134", "US")]
    [InlineData("1-212-555-0134", "US", "+12125550134", "US")]
    [InlineData("+1 416 555 0199", "US", "+14165550199", "CA")]
    [InlineData("020 7946 0018", "GB", "+442079460018", "GB")]
    [InlineData("+44 20 7946 0018", "US", "+442079460018", "GB")]
    [InlineData("00 44 20 7946 0018", "US", "+442079460018", "GB")]
    [InlineData("0044 20 7946 0018", "GB", "+442079460018", "GB")]
    [InlineData("  +49 30 123456  ", "US", "+4930123456", "DE")]
    public void Parse_TheUsualWaysOfWritingANumber_GiveE164AndTheRegion(string raw, string defaultRegion, string e164, string region)
    {
        var phone = Parsed(raw, defaultRegion);

        Assert.Equal((e164, region), (phone.E164, phone.Region));
    }

    [Fact]
    public void Parse_AnExtension_IsKeptApartFromTheNumber()
    {
        var phone = Parsed("(212) 555-0134 ext. 12");

        Assert.Equal(("+12125550134", "12"), (phone.E164, phone.Extension));
    }

    [Theory]
    [InlineData("+1 212 555 0134", "America/New_York")]
    [InlineData("+1 213 555 0134", "America/Los_Angeles")]
    [InlineData("+1 310 555 0134", "America/Los_Angeles")]
    [InlineData("+1 312 555 0134", "America/Chicago")]
    [InlineData("+1 808 555 0134", "Pacific/Honolulu")]
    [InlineData("+1 602 555 0134", "America/Phoenix")]
    public void TimeZones_OfUSNumbers_FollowTheAreaCode(string raw, string zone) => Assert.Equal([zone], Parsed(raw).TimeZones);

    [Theory]
    [InlineData("+1 416 555 0199", "America/Toronto")]
    [InlineData("+1 604 555 0199", "America/Vancouver")]
    [InlineData("+1 403 555 0199", "America/Edmonton")]
    public void TimeZones_OfCanadianNumbers_FollowTheAreaCode(string raw, string zone)
    {
        var phone = Parsed(raw);

        Assert.Equal("CA", phone.Region);
        Assert.Equal([zone], phone.TimeZones);
    }

    [Fact]
    public void TimeZones_OfANewfoundlandNumber_IncludeStJohns() =>
        Assert.Contains("America/St_Johns", Parsed("+1 709 555 0199").TimeZones);

    [Fact]
    public void TimeZones_OfAnAreaCodeSpanningZones_AreAllKept() =>
        Assert.Equal(["America/Adak", "America/Anchorage"], Parsed("(907) 555-0134").TimeZones);

    [Fact]
    public void TimeZones_OfALondonNumber_AreEuropeLondon() => Assert.Equal(["Europe/London"], Parsed("+44 20 7946 0018").TimeZones);

    [Fact]
    public void TimeZones_OfAUKMobile_IncludeEuropeLondon() => Assert.Contains("Europe/London", Parsed("07911 123456", "GB").TimeZones);

    [Fact]
    public void TimeZones_OfATollFreeNumber_AreUnknown_NotEveryZoneOfNorthAmerica()
    {
        var phone = Parsed("1-800-555-0134");

        Assert.Equal((PhoneLineType.TollFree, 0), (phone.LineType, phone.TimeZones.Count));
    }

    [Fact]
    public void TimeZones_NeverContainLibphonenumbersUnknownZone() =>
        Assert.DoesNotContain(
            ["+1 212 555 0134", "+44 20 7946 0018", "+61 2 9999 9999", "+1 800 555 0134", "+44 7911 123456", "+800 1234 5678"],
            raw => Phone.Parse(raw) is { IsSuccess: true } r && r.Value.TimeZones.Contains("Etc/Unknown"));

    [Theory]
    [InlineData("07911 123456", "GB", PhoneLineType.Mobile)]
    [InlineData("020 7946 0018", "GB", PhoneLineType.FixedLine)]
    [InlineData("(212) 555-0134", "US", PhoneLineType.FixedLineOrMobile)]
    [InlineData("(800) 555-0134", "US", PhoneLineType.TollFree)]
    [InlineData("0800 123 4567", "GB", PhoneLineType.TollFree)]
    [InlineData("056 1234 5678", "GB", PhoneLineType.Voip)]
    [InlineData("0900 123 4567", "GB", PhoneLineType.Other)]
    public void LineType_FollowsTheNumberingPlan(string raw, string region, PhoneLineType type) => Assert.Equal(type, Parsed(raw, region).LineType);

    [Theory]
    [InlineData("555-01", "'555-01' is not a phone number: it has too few digits")]
    [InlineData("abc", "'abc' is not a phone number")]
    [InlineData("+999 1234 5678", "'+999 1234 5678' is not a phone number: the country calling code after + is not one that exists")]
    [InlineData("(555) 555-0134", "'(555) 555-0134' is not a phone number: no such number can exist in +1")]
    [InlineData("212 555 0134 9999 1", "'212 555 0134 9999 1' is not a phone number: it has too many digits")]
    public void Parse_SomethingThatIsNotAPhoneNumber_SaysSo(string raw, string message)
    {
        var result = Phone.Parse(raw);

        Assert.Equal(new Error(Phone.InvalidCode, message, "phone"), result.Error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Parse_Nothing_IsRequired(string? raw) => Assert.Equal(Phone.RequiredCode, Phone.Parse(raw).Error?.Code);

    [Fact]
    public void Parse_ANationalNumberWithoutADefaultRegion_AsksForTheCountryCode() =>
        Assert.Equal("'212 555 0134' is not a phone number: it has no country code; write it with + and the country code", Phone.Parse("212 555 0134", "ZZ").Error?.Message);

    [Fact]
    public void Parse_WithARegionLibphonenumberDoesNotKnow_Throws() => Assert.Throws<ArgumentException>(() => Phone.Parse("212 555 0134", "XX"));

    [Fact]
    public void Parse_TheDefaultRegion_IsNotCaseSensitive() => Assert.Equal("+442079460018", Parsed("020 7946 0018", "gb").E164);

    [Fact]
    public void EveryZoneLibphonenumberGives_ExistsOnThisMachine()
    {
        // Every North American area code, and the example numbers of every country.
        var numbers = Enumerable.Range(200, 800).Select(areaCode => $"+1 {areaCode} 555 0100")
            .Concat(PhoneNumbers.PhoneNumberUtil.GetInstance().GetSupportedRegions()
                .SelectMany(r => new[] { PhoneNumbers.PhoneNumberType.FIXED_LINE, PhoneNumbers.PhoneNumberType.MOBILE }
                    .Select(t => PhoneNumbers.PhoneNumberUtil.GetInstance().GetExampleNumberForType(r, t)))
                .OfType<PhoneNumbers.PhoneNumber>()
                .Select(n => $"+{n.CountryCode}{n.NationalNumber}"));
        var zones = numbers.Select(n => Phone.Parse(n)).Where(r => r.IsSuccess).SelectMany(r => r.Value.TimeZones).Distinct().ToList();

        Assert.True(zones.Count > 200, $"only {zones.Count} zones");
        Assert.All(zones, zone => Assert.True(TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _), $"{zone} is not a time zone here"));
    }

    [Fact]
    public void Parse_FromManyThreadsAtOnce_GivesTheSameAnswers()
    {
        string[] raws = ["(212) 555-0134", "+44 20 7946 0018", "07911 123456", "+1 709 555 0199", "555-01"];
        var expected = raws.Select(r => Phone.Parse(r, "GB").IsSuccess ? Phone.Parse(r, "GB").Value.E164 : "error").ToArray();

        var results = new string[20_000];
        Parallel.For(0, results.Length, i => results[i] = Phone.Parse(raws[i % raws.Length], "GB") is { IsSuccess: true } r ? r.Value.E164 : "error");

        Assert.All(Enumerable.Range(0, results.Length), i => Assert.Equal(expected[i % raws.Length], results[i]));
    }
}
