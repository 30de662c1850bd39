using Recoup.Domain.Compliance;
using Recoup.Domain.Debtors;
using static Recoup.Domain.Tests.Compliance.Gate;

namespace Recoup.Domain.Tests.Compliance;

/// <summary>12 CFR 1006.34 (validation period) and 1006.30(a) (passive collection).</summary>
public class ValidationPeriodTests
{
    [Fact]
    public void FederalHolidays2026_ByRule_WithObservedDays() =>
        Assert.Equal(
            new[] { "2026-01-01", "2026-01-19", "2026-02-16", "2026-05-25", "2026-06-19", "2026-07-03", "2026-09-07", "2026-10-12", "2026-11-11", "2026-11-26", "2026-12-25" },
            UsFederalHolidays.In(2026).Select(h => h.Observed.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void IsHoliday_AgreesWithTheYearsList_1950To2150()
    {
        for (var date = new DateOnly(1950, 1, 1); date < new DateOnly(2151, 1, 1); date = date.AddDays(1))
        {
            var listed = UsFederalHolidays.In(date.Year).Any(h => h.Observed == date);
            Assert.True(listed == UsFederalHolidays.IsHoliday(date), $"{date:yyyy-MM-dd}: listed {listed}");
        }
    }

    [Theory]
    [InlineData("2027-06-18", true)] // Juneteenth on a Saturday, observed Friday
    [InlineData("2027-06-19", false)] // the Saturday itself is a weekend day, not a second holiday
    [InlineData("2027-12-31", true)] // New Year's Day 2028 is a Saturday, observed Friday 31 December 2027
    [InlineData("2028-01-01", false)]
    [InlineData("2023-01-02", true)] // New Year's Day 2023 was a Sunday, observed Monday
    [InlineData("2020-06-19", false)] // before Juneteenth became a federal holiday
    [InlineData("2026-11-26", true)] // Thanksgiving: fourth Thursday
    [InlineData("2026-05-25", true)] // Memorial Day: last Monday of May
    public void IsHoliday(string date, bool holiday) =>
        Assert.Equal(holiday, UsFederalHolidays.IsHoliday(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    // Sent Monday 23 November 2026: Tue 24, Wed 25, (Thanksgiving), Fri 27, (weekend), Mon 30, Tue 1 December.
    [InlineData("2026-11-23", "2026-12-01", "2026-12-31")]
    // Sent Wednesday 18 November: Thu 19, Fri 20, Mon 23, Tue 24, Wed 25.
    [InlineData("2026-11-18", "2026-11-25", "2026-12-25")]
    // Sent Friday 18 June 2027 (Juneteenth observed): Mon 21 ... Fri 25.
    [InlineData("2027-06-17", "2027-06-25", "2027-07-25")]
    // Sent Wednesday 23 December 2026: Thu 24, (Christmas), Mon 28, Tue 29, Wed 30, Thu 31.
    [InlineData("2026-12-23", "2026-12-31", "2027-01-30")]
    public void ValidationPeriod_SkipsWeekendsAndFederalHolidays(string sent, string receipt, string ends)
    {
        var sentOn = DateOnly.Parse(sent, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(DateOnly.Parse(receipt, System.Globalization.CultureInfo.InvariantCulture), ValidationPeriod.AssumedReceiptOn(sentOn));
        Assert.Equal(DateOnly.Parse(ends, System.Globalization.CultureInfo.InvariantCulture), ValidationPeriod.EndsOn(sentOn));
    }

    [Fact]
    public void ValidationNotice_IsDueWithinFiveDaysOfTheInitialCommunication() =>
        Assert.Equal(new DateOnly(2026, 11, 28), ValidationPeriod.NoticeDueBy(new DateOnly(2026, 11, 23)));

    [Fact]
    public void Furnishing_BeforeAnyContact_IsBlocked()
    {
        var decision = ComplianceGate.CheckFurnishing(ACase(), "D1", Et(2026, 11, 23, 10), RuleSet.Default);

        AssertBlocked(decision, null, "passive-collection");
    }

    [Fact]
    public void Furnishing_AfterAConversation_IsAllowed() =>
        AssertAllowed(ComplianceGate.CheckFurnishing(ACase().With(Called(Et(2026, 11, 20, 10), ContactOutcome.Conversation)), "D1", Et(2026, 11, 23, 10), RuleSet.Default));

    [Fact]
    public void Furnishing_FourteenDaysAfterALetter_IsAllowed_NotBefore()
    {
        var facts = ACase().With(Sent(ContactChannel.Letter, Et(2026, 11, 2, 12)));

        AssertBlocked(ComplianceGate.CheckFurnishing(facts, "D1", Et(2026, 11, 10, 10), RuleSet.Default), Et(2026, 11, 16, 12), "passive-collection");
        AssertAllowed(ComplianceGate.CheckFurnishing(facts, "D1", Et(2026, 11, 16, 12), RuleSet.Default));
        AssertBlocked(ComplianceGate.CheckFurnishing(facts, "D2", Et(2026, 11, 16, 12), RuleSet.Default), null, "passive-collection");
    }

    [Fact]
    public void Furnishing_AfterAnUndeliverableMessage_IsBlocked() =>
        AssertBlocked(ComplianceGate.CheckFurnishing(ACase().With(Sent(ContactChannel.Email, Et(2026, 10, 1, 12), ContactOutcome.Undeliverable)), "D1", Et(2026, 11, 23, 10), RuleSet.Default), null, "passive-collection");

    [Fact]
    public void Furnishing_ACommercialDebt_IsNotRestricted() =>
        AssertAllowed(ComplianceGate.CheckFurnishing(ACase() with { Debts = [new DebtFacts("D1", DebtType.Commercial)] }, "D1", Et(2026, 11, 23, 10), RuleSet.Default));
}
