using Recoup.Domain.Contacts;
using Recoup.Domain.Debtors;

namespace Recoup.Domain.Tests.Contacts;

public class AddressTimeZonesTests
{
    private static IReadOnlyList<string> ZonesOf(string? region, string? country = null) =>
        AddressTimeZones.For(new PostalAddress("1 Main St", "Somewhere", region, null, country));

    [Theory]
    [InlineData("NY", "America/New_York")]
    [InlineData("CA", "America/Los_Angeles")]
    [InlineData("IL", "America/Chicago")]
    [InlineData("CO", "America/Denver")]
    [InlineData("HI", "Pacific/Honolulu")]
    [InlineData("DC", "America/New_York")]
    [InlineData("PR", "America/Puerto_Rico")]
    [InlineData("GU", "Pacific/Guam")]
    public void AStateInOneZone_HasThatZone(string state, string zone) => Assert.Equal([zone], ZonesOf(state, "US"));

    [Theory]
    [InlineData("TX", "America/Chicago", "America/Denver")]
    [InlineData("FL", "America/Chicago", "America/New_York")]
    [InlineData("IN", "America/Chicago", "America/Indiana/Indianapolis")]
    [InlineData("KY", "America/Chicago", "America/New_York")]
    [InlineData("TN", "America/Chicago", "America/New_York")]
    [InlineData("MI", "America/Chicago", "America/New_York")]
    [InlineData("ND", "America/Chicago", "America/Denver")]
    [InlineData("SD", "America/Chicago", "America/Denver")]
    [InlineData("NE", "America/Chicago", "America/Denver")]
    [InlineData("KS", "America/Chicago", "America/Denver")]
    [InlineData("ID", "America/Boise", "America/Los_Angeles")]
    [InlineData("OR", "America/Boise", "America/Los_Angeles")]
    [InlineData("AZ", "America/Denver", "America/Phoenix")]
    [InlineData("AK", "America/Adak", "America/Anchorage")]
    public void AStateSplitBetweenZones_HasAllOfThem(string state, string first, string second) => Assert.Equal([first, second], ZonesOf(state, "US"));

    [Theory]
    [InlineData("ON", "America/Atikokan", "America/Toronto", "America/Winnipeg")]
    [InlineData("QC", "America/Blanc-Sablon", "America/Halifax", "America/Toronto")]
    [InlineData("NL", "America/Goose_Bay", "America/St_Johns")]
    [InlineData("SK", "America/Edmonton", "America/Regina", "America/Swift_Current")]
    [InlineData("BC", "America/Creston", "America/Dawson_Creek", "America/Edmonton", "America/Fort_Nelson", "America/Vancouver")]
    [InlineData("NU", "America/Atikokan", "America/Cambridge_Bay", "America/Iqaluit", "America/Rankin_Inlet", "America/Resolute")]
    [InlineData("AB", "America/Edmonton")]
    [InlineData("MB", "America/Winnipeg")]
    [InlineData("NS", "America/Glace_Bay", "America/Halifax")]
    public void ACanadianProvince_HasEveryZoneInIt(string province, params string[] zones) => Assert.Equal(zones, ZonesOf(province, "CA"));

    [Theory]
    [InlineData("California", "US")]
    [InlineData("california", "us")]
    [InlineData("ca", "USA")]
    [InlineData(" CA ", "United States")]
    [InlineData("CALIFORNIA", null)]
    [InlineData("ca", null)]
    public void TheRegion_MayBeCodeOrName_InAnyCase(string region, string? country) => Assert.Equal(["America/Los_Angeles"], ZonesOf(region, country));

    [Theory]
    [InlineData("Ontario")]
    [InlineData("on")]
    [InlineData("ON")]
    public void AProvince_WithoutACountry_IsInCanada(string region) => Assert.Contains("America/Toronto", ZonesOf(region));

    [Theory]
    [InlineData("Québec")]
    [InlineData("quebec")]
    [InlineData("PQ")]
    public void Quebec_IsFoundWithOrWithoutTheAccent(string region) => Assert.Contains("America/Toronto", ZonesOf(region, "Canada"));

    [Theory]
    [InlineData("District of Columbia")]
    [InlineData("D.C.")]
    [InlineData("Washington  DC")]
    [InlineData("New   York")]
    public void PunctuationAndSpacing_DoNotMatter(string region) => Assert.Equal(["America/New_York"], ZonesOf(region, "US"));

    [Theory]
    [InlineData("GB")]
    [InlineData("UK")]
    [InlineData("uk")]
    [InlineData("United Kingdom")]
    public void TheUnitedKingdom_IsEuropeLondon_WhateverTheRegion(string country)
    {
        Assert.Equal(["Europe/London"], ZonesOf("Greater London", country));
        Assert.Equal(["Europe/London"], ZonesOf(null, country));
    }

    [Theory]
    [InlineData("DE", "Europe/Berlin")]
    [InlineData("IE", "Europe/Dublin")]
    [InlineData("JP", "Asia/Tokyo")]
    [InlineData("France", "Europe/Paris")]
    public void ASingleZoneCountry_NeedsNoRegion(string country, string zone) => Assert.Equal([zone], ZonesOf(null, country));

    [Theory]
    [InlineData("ZZ", "US")]
    [InlineData("ON", "US")]
    [InlineData("TX", "CA")]
    [InlineData(null, "US")]
    [InlineData("", null)]
    [InlineData("Bavaria", null)]
    [InlineData("Jalisco", "MX")]
    [InlineData("NSW", "AU")]
    public void AnUnknownOrAmbiguousPlace_HasNoZones(string? region, string? country) => Assert.Empty(ZonesOf(region, country));

    [Fact]
    public void EveryZoneInTheTables_ExistsOnThisMachine()
    {
        var zones = AddressTimeZones.AllZones.ToList();

        Assert.True(zones.Count > 80, $"only {zones.Count} zones");
        Assert.All(zones, zone => Assert.True(TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var info) && info.HasIanaId, $"{zone} is not an IANA zone here"));
    }

    [Fact]
    public void EveryStateAndProvince_HasAtLeastOneZone()
    {
        string[] codes =
        [
            "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD",
            "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD",
            "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "PR", "VI", "GU", "MP", "AS",
            "AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT",
        ];

        Assert.All(codes, code => Assert.NotEmpty(ZonesOf(code)));
        Assert.All(codes, code => Assert.True(AddressTimeZones.IsKnownRegion(code)));
    }

    [Fact]
    public void TheZones_AreSortedOrdinally() =>
        Assert.All(["TX", "BC", "NU", "FL", "AK"], code => Assert.Equal(ZonesOf(code).Order(StringComparer.Ordinal), ZonesOf(code)));
}
