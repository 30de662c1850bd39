using CsCheck;
using Recoup.Domain.Compliance;
using static Recoup.Domain.Tests.Compliance.Gate;

namespace Recoup.Domain.Tests.Compliance;

/// <summary>
/// Random call campaigns driven only by the gate: every allowed call is made (with a random outcome) and appended to
/// the history; a blocked call is retried at its <see cref="GateDecision.NextAllowedAt"/>, which must be allowed.
/// A simple independent counter then checks the whole campaign against 12 CFR 1006.14(b)(2) and the calling hours.
/// </summary>
public class CallFrequencyPropertyTests
{
    private static readonly string[] AllZones = [Eastern, Central, Pacific, "America/Anchorage", "Pacific/Honolulu"];
    private static readonly string[] AllDebts = ["A", "B", "C"];

    private static readonly ContactOutcome[] Outcomes =
        [ContactOutcome.NotConnected, ContactOutcome.Unanswered, ContactOutcome.Voicemail, ContactOutcome.Conversation];

    /// <summary>One proposed call: minutes after the previous one, which debts (bit mask), outcome if made.</summary>
    public readonly record struct Step(int GapMinutes, int DebtMask, ContactOutcome Outcome, bool Inbound);

    private static readonly Gen<Step> Steps = Gen.Select(
        Gen.Frequency((6, Gen.Int[0, 240]), (3, Gen.Int[0, 1440]), (1, Gen.Int[0, 6000])),
        Gen.Int[1, 7],
        Gen.Frequency((2, Gen.Const(ContactOutcome.NotConnected)), (5, Gen.Const(ContactOutcome.Unanswered)), (3, Gen.Const(ContactOutcome.Voicemail)), (1, Gen.Const(ContactOutcome.Conversation))),
        Gen.Frequency((12, Gen.Const(false)), (1, Gen.Const(true))),
        (gap, mask, outcome, inbound) => new Step(gap, mask, outcome, inbound));

    // Start anywhere in 2026, so that daylight-saving transitions fall inside some campaigns.
    private static readonly Gen<(int ZoneMask, int StartMinute, Step[] Steps)> Campaigns =
        Gen.Select(Gen.Int[1, 31], Gen.Int[0, 365 * 1440], Steps.Array[1, 80]);

    [Fact]
    public void AllowedCalls_NeverExceedTheFrequencies_AndNextAllowedAtIsAllowed() =>
        Campaigns.Sample((zoneMask, startMinute, steps) =>
        {
            var zones = AllZones.Where((_, i) => (zoneMask & (1 << i)) != 0).ToArray();
            var facts = ACase(zones) with { Debts = [.. AllDebts.Select(d => new DebtFacts(d, Debtors.DebtType.Consumer))] };
            var t = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(startMinute);
            foreach (var step in steps)
            {
                t = t.AddMinutes(step.GapMinutes);
                var debts = AllDebts.Where((_, i) => (step.DebtMask & (1 << i)) != 0).ToArray();
                if (step.Inbound)
                {
                    // The debtor calls us: not gated, but a conversation on it starts the quiet period.
                    facts = facts with { History = facts.History.Append(new ContactHistoryEntry(t, ContactChannel.Call, ContactDirection.Inbound, "P1", debts, step.Outcome)) };
                    continue;
                }

                var attempt = new ContactAttempt(ContactChannel.Call, Phone(), t, debts);
                var decision = ComplianceGate.Check(facts, attempt, RuleSet.Default);
                if (!decision.Allowed)
                {
                    Assert.NotNull(decision.NextAllowedAt);
                    Assert.True(decision.NextAllowedAt > t);
                    var retry = ComplianceGate.Check(facts, attempt with { At = decision.NextAllowedAt.Value }, RuleSet.Default);
                    Assert.True(retry.Allowed, $"NextAllowedAt {decision.NextAllowedAt:O} is blocked: {string.Join(" | ", retry.Reasons.Select(r => r.Message))}");
                    t = decision.NextAllowedAt.Value;
                }

                facts = facts with { History = facts.History.Append(new ContactHistoryEntry(t, ContactChannel.Call, ContactDirection.Outbound, "P1", debts, step.Outcome)) };
            }

            AssertWithinLimits(facts.History, zones);
        }, iter: 300);

    [Fact]
    public void TheChecker_CatchesAnEighthCall()
    {
        var history = new ContactHistory(Enumerable.Range(0, 8).Select(i => Called(Et(2026, 11, 17, 9 + i), ContactOutcome.Unanswered, "P1", "A")));

        Assert.ThrowsAny<Exception>(() => AssertWithinLimits(history, [Eastern]));
    }

    [Fact]
    public void TheChecker_CatchesACallOnDaySevenAfterAConversation()
    {
        var history = new ContactHistory([Called(Et(2026, 11, 17, 9), ContactOutcome.Conversation, "P1", "A"), Called(Et(2026, 11, 23, 20), ContactOutcome.NotConnected, "P1", "A")]);

        Assert.ThrowsAny<Exception>(() => AssertWithinLimits(history, [Eastern]));
    }

    /// <summary>
    /// The independent counter: in every zone, for every debt, no seven consecutive local days hold more than seven
    /// counted outbound calls; no outbound call follows a conversation on the same or the next six local days; every
    /// outbound call is placed between 08:00 and 21:00 local.
    /// </summary>
    private static void AssertWithinLimits(ContactHistory history, string[] zones)
    {
        foreach (var zone in zones.Select(TimeZoneInfo.FindSystemTimeZoneById))
        {
            DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);
            var placed = history.Where(e => e.Direction == ContactDirection.Outbound).ToList();
            foreach (var call in placed)
            {
                var local = TimeZoneInfo.ConvertTime(call.At, zone).TimeOfDay;
                Assert.True(local >= TimeSpan.FromHours(8) && local <= TimeSpan.FromHours(21), $"Call at {local} in {zone.Id}");
            }

            foreach (var debt in AllDebts)
            {
                var about = placed.Where(e => e.DebtIds.Contains(debt)).ToList();
                var counted = about.Where(e => e.Outcome != ContactOutcome.NotConnected).Select(e => Day(e.At)).ToList();
                foreach (var day in counted.Distinct())
                {
                    var inWindow = counted.Count(d => d >= day.AddDays(-6) && d <= day);
                    Assert.True(inWindow <= 7, $"{inWindow} calls about {debt} in the 7 days ending {day} ({zone.Id})");
                }

                foreach (var conversation in history.Where(e => e.Outcome == ContactOutcome.Conversation && e.DebtIds.Contains(debt)))
                {
                    var first = Day(conversation.At);
                    Assert.DoesNotContain(about, e => e.At > conversation.At && Day(e.At) <= first.AddDays(6));
                }
            }
        }
    }
}
