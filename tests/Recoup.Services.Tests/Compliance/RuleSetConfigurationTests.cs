using Microsoft.Extensions.Configuration;
using Recoup.Domain.Compliance;
using Recoup.Services.Compliance;

namespace Recoup.Services.Tests.Compliance;

/// <summary>The gate's rule set from <c>Recoup:Compliance</c>: every key read, every wrong value named with its key.</summary>
public sealed class RuleSetConfigurationTests
{
    private static IConfiguration Configuration(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create("Recoup:Compliance:" + s.Key, s.Value))).Build();

    [Fact]
    public void NothingConfigured_IsTheShippedRuleSet()
    {
        var rules = RuleSetConfiguration.Load(Configuration());

        Assert.Equal(
            (true, false, new TimeOnly(8, 0), new TimeOnly(21, 0), 7, true, 14, true),
            (rules.ApplyConsumerRulesToFirstPartyCreditors, rules.ApplyConsumerRulesToCommercialDebts, rules.CallsFrom, rules.CallsUntil,
                rules.MaxCallsPerSevenDays, rules.TreatUnknownLinesAsMobile, rules.PassiveCollectionWaitDays, rules.RequireTimeBarredDisclosure));
        Assert.Equal(RuleSet.Default.FallbackTimeZones, rules.FallbackTimeZones);
        Assert.Empty(rules.DisabledRules);
        Assert.Equal([StateRule.Massachusetts], rules.StateRules);
        Assert.Same(RuleSet.Default, RuleSetConfiguration.Load(null));
    }

    [Fact]
    public void EveryKey_IsRead()
    {
        var rules = RuleSetConfiguration.Load(Configuration(
            ("ApplyConsumerRulesToFirstPartyCreditors", "false"),
            ("ApplyConsumerRulesToCommercialDebts", "True"),
            ("CallsFrom", "9:00"),
            ("CallsUntil", "20:30"),
            ("MaxCallsPerSevenDays", "5"),
            ("TreatUnknownLinesAsMobile", "false"),
            ("PassiveCollectionWaitDays", "21"),
            ("RequireTimeBarredDisclosure", "false"),
            ("FallbackTimeZones:0", "America/Chicago"),
            ("FallbackTimeZones:1", "America/Denver"),
            ("DisabledRules:0", "state-call-limit"),
            ("StateRules:0:State", "ny"),
            ("StateRules:0:Citation", "23 NYCRR 1.6"),
            ("StateRules:0:CallsFrom", "09:00"),
            ("StateRules:0:MaxContactsPerSevenDays", "3"),
            ("StateRules:0:Channels:0", "call"),
            ("StateRules:0:Channels:1", "sms"),
            ("StateRules:1:State", "MA"),
            ("StateRules:1:Citation", "940 CMR 7.04(1)(f), as counsel reads it"),
            ("StateRules:1:MaxContactsPerSevenDays", "1"),
            ("StateRules:1:CountsUnansweredCalls", "false")));

        Assert.Equal(
            (false, true, new TimeOnly(9, 0), new TimeOnly(20, 30), 5, false, 21, false),
            (rules.ApplyConsumerRulesToFirstPartyCreditors, rules.ApplyConsumerRulesToCommercialDebts, rules.CallsFrom, rules.CallsUntil,
                rules.MaxCallsPerSevenDays, rules.TreatUnknownLinesAsMobile, rules.PassiveCollectionWaitDays, rules.RequireTimeBarredDisclosure));
        Assert.Equal(["America/Chicago", "America/Denver"], rules.FallbackTimeZones);
        Assert.Equal(["state-call-limit"], rules.DisabledRules);
        Assert.False(rules.IsEnabled(ComplianceRules.StateCallLimit));

        // A configured state replaces the shipped rule for that state.
        Assert.Collection(rules.StateRules,
            ny =>
            {
                Assert.Equal(("NY", "23 NYCRR 1.6", new TimeOnly(9, 0), (TimeOnly?)null, 3, true), (ny.State, ny.Citation, ny.CallsFrom, ny.CallsUntil, ny.MaxContactsPerSevenDays, ny.CountsUnansweredCalls));
                Assert.Equal([ContactChannel.Call, ContactChannel.Sms], ny.LimitedChannels!);
            },
            ma => Assert.Equal(("MA", 1, false, (IReadOnlyList<ContactChannel>?)null), (ma.State, ma.MaxContactsPerSevenDays, ma.CountsUnansweredCalls, ma.LimitedChannels)));
    }

    [Fact]
    public void ListsMayBeOneCommaSeparatedValue_AsAnEnvironmentVariableGivesThem()
    {
        // Recoup__Compliance__DisabledRules="call-frequency, call-after-conversation"
        var rules = RuleSetConfiguration.Load(Configuration(("DisabledRules", "call-frequency, call-after-conversation"), ("StateRules:0:State", "CT"),
            ("StateRules:0:Citation", "Conn. Agencies Regs. § 36a-809-3"), ("StateRules:0:CallsUntil", "20:00"), ("CallsFrom", " ")));

        Assert.Equal(["call-frequency", "call-after-conversation"], rules.DisabledRules);
        Assert.Equal(new TimeOnly(8, 0), rules.CallsFrom);
        Assert.Equal(new TimeOnly(20, 0), rules.StateRules.Single(s => s.State == "CT").CallsUntil);
    }

    [Fact]
    public void TheConfiguredRules_AreTheOnesTheGateApplies()
    {
        var rules = RuleSetConfiguration.Load(Configuration(("CallsFrom", "09:00")));
        var facts = new ContactCase { TimeZones = ["America/Chicago"], Debts = [new DebtFacts("D1", Domain.Debtors.DebtType.Consumer)] };
        var attempt = new ContactAttempt(ContactChannel.Call, new ContactPointFacts("P1", Domain.Debtors.ContactKind.Phone),
            new DateTimeOffset(2026, 11, 23, 14, 30, 0, TimeSpan.Zero), ["D1"]);

        var decision = ComplianceGate.Check(facts, attempt, rules);

        Assert.Equal("It is 08:30 in America/Chicago; calls are allowed from 09:00 to 21:00 there.", Assert.Single(decision.Reasons).Message);
        Assert.True(ComplianceGate.Check(facts, attempt, RuleSet.Default).Allowed);
    }

    public static TheoryData<string, string, string> Problems => new()
    {
        { "ApplyConsumerRulesToCommercialDebts", "yes", "Recoup:Compliance:ApplyConsumerRulesToCommercialDebts: 'yes' is not true or false" },
        { "CallsFrom", "25:00", "Recoup:Compliance:CallsFrom: '25:00' is not a time of day like 08:00" },
        { "CallsFrom", "07:30",
            "Recoup:Compliance:CallsFrom: 07:30 is earlier than 08:00, the earliest convenient time under 12 CFR 1006.6(b)(1)(i); the calling hours may only be narrowed (a debtor's consent to an earlier call is a manager's exception)" },
        { "CallsUntil", "21:30",
            "Recoup:Compliance:CallsUntil: 21:30 is later than 21:00, the latest convenient time under 12 CFR 1006.6(b)(1)(i); the calling hours may only be narrowed (a debtor's consent to a later call is a manager's exception)" },
        { "CallsUntil", "08:00", "Recoup:Compliance:CallsUntil: 08:00 is not after CallsFrom (08:00): no time would be convenient" },
        { "MaxCallsPerSevenDays", "seven", "Recoup:Compliance:MaxCallsPerSevenDays: 'seven' is not a whole number" },
        { "MaxCallsPerSevenDays", "8",
            "Recoup:Compliance:MaxCallsPerSevenDays: 8 is more than 7, the most calls in 7 days that 12 CFR 1006.14(b)(2)(i)(A) allows; the limit may only be lowered (1 to 7)" },
        { "MaxCallsPerSevenDays", "0", "Recoup:Compliance:MaxCallsPerSevenDays: 0 is less than 1; to stop checking call frequency, add call-frequency to DisabledRules" },
        { "PassiveCollectionWaitDays", "7", "Recoup:Compliance:PassiveCollectionWaitDays: 7 days is shorter than the 14 consecutive days of 12 CFR 1006.30(a)(1)(ii); use 14 to 365" },
        { "FallbackTimeZones", "Central", "Recoup:Compliance:FallbackTimeZones: 'Central' is not an IANA time zone such as America/Chicago" },
        { "DisabledRules:0", "calls-at-night",
            "Recoup:Compliance:DisabledRules: 'calls-at-night' is not a rule id; the rule ids are cease-communication, attorney-represented, opted-out, disputed-debt, original-creditor-request, dispute-hold, time-barred, tcpa-consent, workplace-contact, inconvenient-time, call-frequency, call-after-conversation, state-call-limit, passive-collection, collection-hold, placed-with-agency" },
        { "CallsForm", "09:00",
            "Recoup:Compliance:CallsForm is not a setting; the settings are ApplyConsumerRulesToFirstPartyCreditors, ApplyConsumerRulesToCommercialDebts, CallsFrom, CallsUntil, MaxCallsPerSevenDays, TreatUnknownLinesAsMobile, PassiveCollectionWaitDays, RequireTimeBarredDisclosure, FallbackTimeZones, DisabledRules, StateRules" },
    };

    [Theory, MemberData(nameof(Problems))]
    public void AWrongValue_IsAProblemNamingItsKey(string key, string value, string problem)
    {
        var (_, problems) = RuleSetConfiguration.Read(Configuration((key, value)));

        Assert.Equal([problem], problems);
    }

    public static TheoryData<(string, string)[], string> StateProblems => new()
    {
        { [("Citation", "Code § 1"), ("MaxContactsPerSevenDays", "2")], "Recoup:Compliance:StateRules:0:State: Give the state's two-letter code, e.g. NY" },
        { [("State", "New York"), ("Citation", "Code § 1"), ("MaxContactsPerSevenDays", "2")], "Recoup:Compliance:StateRules:0:State: 'New York' is not a two-letter state code such as NY" },
        { [("State", "NY"), ("MaxContactsPerSevenDays", "2")], "Recoup:Compliance:StateRules:0:Citation: Give the state law the rule comes from, e.g. 940 CMR 7.04(1)(f)" },
        { [("State", "NY"), ("Citation", "Code § 1")],
            "Recoup:Compliance:StateRules:0: The rule sets neither calling hours (CallsFrom, CallsUntil) nor a limit (MaxContactsPerSevenDays), so it does nothing" },
        { [("State", "NY"), ("Citation", "Code § 1"), ("CallsFrom", "18:00"), ("CallsUntil", "10:00")],
            "Recoup:Compliance:StateRules:0:CallsUntil: 10:00 is not after CallsFrom (18:00): no time would be convenient" },
        { [("State", "NY"), ("Citation", "Code § 1"), ("MaxContactsPerSevenDays", "0")], "Recoup:Compliance:StateRules:0:MaxContactsPerSevenDays: 0 is less than 1" },
        { [("State", "NY"), ("Citation", "Code § 1"), ("MaxContactsPerSevenDays", "2"), ("Channels", "call, fax")],
            "Recoup:Compliance:StateRules:0:Channels: 'fax' is not a channel; use call, sms, email or letter" },
        { [("State", "NY"), ("Citation", "Code § 1"), ("MaxContactsPerSevenDays", "2"), ("Hours", "9-5")],
            "Recoup:Compliance:StateRules:0:Hours is not a setting; the settings are State, Citation, CallsFrom, CallsUntil, MaxContactsPerSevenDays, Channels, CountsUnansweredCalls" },
    };

    [Theory, MemberData(nameof(StateProblems))]
    public void AWrongStateRule_IsAProblemNamingItsKey((string, string)[] rule, string problem)
    {
        var (_, problems) = RuleSetConfiguration.Read(Configuration([.. rule.Select(r => ("StateRules:0:" + r.Item1, (string?)r.Item2))]));

        Assert.Equal([problem], problems);
    }

    [Fact]
    public void EveryProblem_IsReportedAtOnce_AndStopsTheLoad()
    {
        var configuration = Configuration(("CallsFrom", "7"), ("MaxCallsPerSevenDays", "9"), ("StateRules:0:State", "NY"), ("StateRules:0:Citation", "a"),
            ("StateRules:0:MaxContactsPerSevenDays", "2"), ("StateRules:1:State", "ny"), ("StateRules:1:Citation", "b"), ("StateRules:1:MaxContactsPerSevenDays", "3"));

        var error = Assert.Throws<RuleSetConfigurationException>(() => RuleSetConfiguration.Load(configuration));

        Assert.Equal(
        [
            "Recoup:Compliance:CallsFrom: '7' is not a time of day like 08:00",
            "Recoup:Compliance:MaxCallsPerSevenDays: 9 is more than 7, the most calls in 7 days that 12 CFR 1006.14(b)(2)(i)(A) allows; the limit may only be lowered (1 to 7)",
            "Recoup:Compliance:StateRules:1:State: NY is already configured in Recoup:Compliance:StateRules:0; give one rule per state",
        ], error.Problems);
        Assert.StartsWith("The compliance rules in the configuration (Recoup:Compliance) are invalid:", error.Message, StringComparison.Ordinal);
        Assert.Contains("  - Recoup:Compliance:CallsFrom: '7' is not a time of day like 08:00", error.Message, StringComparison.Ordinal);
    }
}
