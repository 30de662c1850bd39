using Recoup.Domain.Compliance;
using Recoup.Domain.Debtors;

namespace Recoup.Domain.Tests.Compliance;

/// <summary>
/// Test data for the compliance gate: a consumer debtor in one zone with debt D1, a mobile phone P1, calls by hand;
/// instants written as local wall-clock times (<c>Et(2026, 11, 23, 10)</c> is 10:00 in New York).
/// </summary>
internal static class Gate
{
    public const string Eastern = "America/New_York";
    public const string Central = "America/Chicago";
    public const string Pacific = "America/Los_Angeles";

    public static DateTimeOffset At(string zone, int year, int month, int day, int hour, int minute = 0)
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var local = new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, tz.GetUtcOffset(local)).ToUniversalTime();
    }

    public static DateTimeOffset Et(int year, int month, int day, int hour, int minute = 0) => At(Eastern, year, month, day, hour, minute);

    public static DateTimeOffset Pt(int year, int month, int day, int hour, int minute = 0) => At(Pacific, year, month, day, hour, minute);

    public static DateTimeOffset Utc(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    public static ContactCase ACase(params string[] zones) => new()
    {
        TimeZones = zones.Length == 0 ? [Eastern] : zones,
        Debts = [new DebtFacts("D1", DebtType.Consumer), new DebtFacts("D2", DebtType.Consumer), new DebtFacts("D3", DebtType.Consumer)],
    };

    public static ContactCase With(this ContactCase facts, params ContactHistoryEntry[] history) =>
        facts with { History = new ContactHistory(history) };

    public static ContactPointFacts Phone(string id = "P1", PhoneLineType line = PhoneLineType.Mobile, bool workplace = false, params string[] zones) =>
        new(id, ContactKind.Phone, line, workplace, zones);

    public static ContactPointFacts EmailAddress(string id = "E1") => new(id, ContactKind.Email);

    public static ContactPointFacts Address(string id = "A1") => new(id, ContactKind.Postal);

    public static ContactAttempt Call(DateTimeOffset at, params string[] debts) =>
        new(ContactChannel.Call, Phone(), at, debts.Length == 0 ? ["D1"] : debts);

    public static ContactAttempt Send(ContactChannel channel, DateTimeOffset at, params string[] debts) =>
        new(channel, channel switch
        {
            ContactChannel.Call or ContactChannel.Sms => Phone(),
            ContactChannel.Email => EmailAddress(),
            ContactChannel.Letter => Address(),
        }, at, debts.Length == 0 ? ["D1"] : debts);

    /// <summary>An outbound call in the history.</summary>
    public static ContactHistoryEntry Called(DateTimeOffset at, ContactOutcome outcome = ContactOutcome.Unanswered, string point = "P1", params string[] debts) =>
        new(at, ContactChannel.Call, ContactDirection.Outbound, point, debts.Length == 0 ? ["D1"] : debts, outcome);

    /// <summary>A call the debtor made to us.</summary>
    public static ContactHistoryEntry CalledUs(DateTimeOffset at, ContactOutcome outcome = ContactOutcome.Conversation, params string[] debts) =>
        new(at, ContactChannel.Call, ContactDirection.Inbound, "P1", debts.Length == 0 ? ["D1"] : debts, outcome);

    public static ContactHistoryEntry Sent(ContactChannel channel, DateTimeOffset at, ContactOutcome outcome = ContactOutcome.Sent, params string[] debts) =>
        new(at, channel, ContactDirection.Outbound, channel == ContactChannel.Letter ? "A1" : "E1", debts.Length == 0 ? ["D1"] : debts, outcome);

    public static GateDecision Check(this ContactCase facts, ContactAttempt attempt, RuleSet? rules = null) =>
        ComplianceGate.Check(facts, attempt, rules ?? RuleSet.Default);

    public static void AssertAllowed(GateDecision decision)
    {
        Assert.True(decision.Allowed, "Blocked: " + string.Join(" | ", decision.Reasons.Select(r => $"{r.Rule}: {r.Message}")));
        Assert.Empty(decision.Reasons);
        Assert.Null(decision.NextAllowedAt);
    }

    /// <summary>Blocked by exactly the rules named (each at least once), with the next allowed instant expected.</summary>
    public static void AssertBlocked(GateDecision decision, DateTimeOffset? nextAllowedAt, params string[] rules)
    {
        Assert.False(decision.Allowed);
        Assert.Equal(rules.Order(StringComparer.Ordinal), decision.Reasons.Select(r => r.Rule).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(nextAllowedAt, decision.NextAllowedAt);
        Assert.All(decision.Reasons, r => Assert.False(string.IsNullOrWhiteSpace(r.Message)));
        Assert.All(decision.Reasons, r => Assert.False(string.IsNullOrWhiteSpace(r.Citation)));
    }
}
