using Recoup.Domain.Compliance;
using Recoup.Domain.Contacts;
using Recoup.Domain.Debtors;

namespace Recoup.Domain.Tests.ContactPoints;

public sealed class ContactPointTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 15, 0, 0, TimeSpan.Zero);

    private static Debtor NewDebtor() => new(DebtorId.New(Now), "D-1", "Pat Doe", DebtorKind.Person, DebtType.Consumer, null, Now);

    private static ContactPoint Add(Debtor debtor, ContactKind kind, string value, PostalAddress? address = null, PhoneType type = PhoneType.Unknown) =>
        debtor.AddContactPoint(ContactPointId.New(Now), kind, value, ContactSource.OriginalCreditor, address,
            NewContactPoints.Describe(kind, value, address, Now, type));

    [Fact]
    public void APhoneInTheEastAndAnAddressInCalifornia_KeepBothZones()
    {
        var debtor = NewDebtor();
        var phone = Add(debtor, ContactKind.Phone, "(212) 555-0134");
        Add(debtor, ContactKind.Postal, "1 Main St", new PostalAddress("1 Main St", "Fresno", "CA", "93701", "US"));

        Assert.Equal("+12125550134", phone.Normalized);
        Assert.Equal(["America/Los_Angeles", "America/New_York"], debtor.PossibleTimeZones());
    }

    [Fact]
    public void ADisconnectedNumber_NoLongerPlacesTheDebtor()
    {
        var debtor = NewDebtor();
        var phone = Add(debtor, ContactKind.Phone, "+1 312 555 0147");
        Add(debtor, ContactKind.Phone, "+1 808 555 0100");

        phone.ChangeStatus(ContactStatus.Disconnected);

        Assert.Equal(["Pacific/Honolulu"], debtor.PossibleTimeZones());
        Assert.False(phone.IsUsable);
    }

    [Fact]
    public void TheFirstOfAKind_IsPrimary_UntilAnotherIsMadePrimary()
    {
        var debtor = NewDebtor();
        var first = Add(debtor, ContactKind.Phone, "+1 312 555 0147");
        var second = Add(debtor, ContactKind.Phone, "+1 312 555 0148", type: PhoneType.Work);

        Assert.True(first.IsPrimary);
        debtor.MakePrimary(second.Id);

        Assert.False(first.IsPrimary);
        Assert.True(second.IsPrimary);
        Assert.True(second.IsWorkplace);
    }

    [Fact]
    public void Consent_IsActiveFromWhenGivenUntilRevoked()
    {
        var debtor = NewDebtor();
        var phone = Add(debtor, ContactKind.Phone, "+1 312 555 0147", type: PhoneType.Mobile);

        phone.GiveConsent(ConsentKind.Text, Now, "signed application");
        var revoked = phone.RevokeConsent(ConsentKind.Text, Now.AddDays(3)).Value;

        Assert.True(revoked.IsActiveAt(Now.AddDays(1)));
        Assert.False(revoked.IsActiveAt(Now.AddDays(3)));
        Assert.Equal("There is no autodialer consent to revoke on +1 312 555 0147", phone.RevokeConsent(ConsentKind.Autodialer, Now).Error!.Message);
    }

    [Fact]
    public void ReturnedMail_IsForAddressesOnly()
    {
        var debtor = NewDebtor();
        var phone = Add(debtor, ContactKind.Phone, "+1 312 555 0147");

        Assert.Equal("Only a postal address can have mail returned", phone.ChangeStatus(ContactStatus.ReturnedMail).Error!.Message);
    }

    [Theory]
    [InlineData("mon-fri 09:00-17:00", "mon,tue,wed,thu,fri 09:00-17:00")]
    [InlineData("sat,sun 00:00-00:00; daily 21:00-08:00", "sun,sat 00:00-00:00; daily 21:00-08:00")]
    [InlineData("fri-mon 12:00-13:00", "sun,mon,fri,sat 12:00-13:00")]
    public void InconvenientTimes_ReadAndWriteBack(string text, string canonical)
    {
        var debtor = NewDebtor();

        Assert.Equal(canonical, debtor.ChangeInconvenientTimes(text).Value);
        Assert.Equal(canonical, InconvenientTimes.Format(InconvenientTimes.Parse(canonical).Value));
    }

    [Fact]
    public void InconvenientTimes_NameTheBadRange()
    {
        var result = NewDebtor().ChangeInconvenientTimes("mon-fri 9-5");

        Assert.Equal("'mon-fri 9-5' is not a time range like 'mon-fri 09:00-17:00' (days: mon…sun, a run mon-fri, a list sat,sun, or daily)", result.Error!.Message);
    }
}
