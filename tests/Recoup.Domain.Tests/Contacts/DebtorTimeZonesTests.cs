using Recoup.Domain.Contacts;
using Recoup.Domain.Debtors;

namespace Recoup.Domain.Tests.Contacts;

public class DebtorTimeZonesTests
{
    private static readonly PostalAddress LosAngeles = new("1200 Sunset Blvd", "Los Angeles", "California", "90026", "US");
    private static readonly PostalAddress Houston = new("900 Main St", "Houston", "TX", "77002", null);

    private static ParsedPhone PhoneOf(string raw) => Phone.Parse(raw).Value;

    [Fact]
    public void APhoneInTheEastAndAnAddressInCalifornia_KeepBothZones() =>
        Assert.Equal(["America/Los_Angeles", "America/New_York"], DebtorTimeZones.Derive([PhoneOf("(212) 555-0134")], [LosAngeles]));

    [Fact]
    public void PhonesAndAddressesThatAgree_GiveTheZoneOnce() =>
        Assert.Equal(["America/Los_Angeles"], DebtorTimeZones.Derive([PhoneOf("(213) 555-0134"), PhoneOf("(310) 555-0134")], [LosAngeles]));

    [Fact]
    public void AnAddressInASplitState_AddsAllItsZones() =>
        Assert.Equal(["America/Chicago", "America/Denver", "America/New_York"], DebtorTimeZones.Derive([PhoneOf("(212) 555-0134")], [Houston]));

    [Fact]
    public void StoredZoneLists_GiveTheSameAsParsedPhones() =>
        Assert.Equal(
            DebtorTimeZones.Derive([PhoneOf("(212) 555-0134"), PhoneOf("+44 20 7946 0018")], [LosAngeles]),
            DebtorTimeZones.DeriveFromZones([["America/New_York"], ["Europe/London"]], [LosAngeles]));

    [Fact]
    public void NothingKnown_GivesNoZones()
    {
        Assert.Empty(DebtorTimeZones.Derive([PhoneOf("(800) 555-0134")], [new PostalAddress("Postfach 12", "Berlin", null, null, "MX")]));
        Assert.Empty(DebtorTimeZones.DeriveFromZones([], []));
    }

    [Fact]
    public void TheUnion_IsSortedOrdinally_WhateverTheInputOrder()
    {
        var zones = DebtorTimeZones.DeriveFromZones([["Pacific/Honolulu"], ["America/New_York", "Europe/London"]], [Houston]);

        Assert.Equal(["America/Chicago", "America/Denver", "America/New_York", "Europe/London", "Pacific/Honolulu"], zones);
    }
}
