namespace Recoup.Domain.Compliance;

/// <summary>
/// A state's rules on top of the federal ones, as data; the strictest applies. A state's calling hours narrow the
/// federal ones; its call limit is checked in addition to the federal frequencies.
/// </summary>
/// <param name="State">Two-letter state code.</param>
/// <param name="Citation">The state law.</param>
/// <param name="CallsFrom">Earliest local time for calls, texts and e-mails, when stricter than the federal 08:00.</param>
/// <param name="CallsUntil">Latest local time, when stricter than the federal 21:00.</param>
/// <param name="MaxContactsPerSevenDays">At most this many creditor-initiated contacts on <paramref name="LimitedChannels"/> per debt in any 7 consecutive days.</param>
/// <param name="LimitedChannels">The channels the limit counts and applies to.</param>
/// <param name="CountsUnansweredCalls">Whether a call nobody answered, with no message left, counts toward the limit.</param>
public sealed record StateRule(
    string State,
    string Citation,
    TimeOnly? CallsFrom = null,
    TimeOnly? CallsUntil = null,
    int? MaxContactsPerSevenDays = null,
    IReadOnlyList<ContactChannel>? LimitedChannels = null,
    bool CountsUnansweredCalls = true)
{
    /// <summary>
    /// Massachusetts: no more than two communications initiated by telephone (calls, texts, recorded messages) in each
    /// seven-day period (940 CMR 7.04(1)(f)). Following <i>Armata v. Target Corp.</i>, 480 Mass. 14 (2018), a call
    /// that nobody answers and that leaves no message is not a communication, so it does not count.
    /// </summary>
    public static StateRule Massachusetts { get; } = new(
        "MA",
        "940 CMR 7.04(1)(f)",
        MaxContactsPerSevenDays: 2,
        LimitedChannels: [ContactChannel.Call, ContactChannel.Sms],
        CountsUnansweredCalls: false);
}

/// <summary>
/// The configuration of the gate. <see cref="Default"/> is Regulation F, the TCPA, the shipped state overlays and the
/// starter statute-of-limitations table; change any part with <c>with</c>.
/// </summary>
public sealed record RuleSet
{
    /// <summary>The rules as shipped.</summary>
    public static RuleSet Default { get; } = new();

    /// <summary>Apply the consumer rules when we collect our own debts (not required by Regulation F; default true, as best practice).</summary>
    public bool ApplyConsumerRulesToFirstPartyCreditors { get; init; } = true;

    /// <summary>Apply the consumer rules to commercial debts too (default false: commercial debts are exempt from consumer-only rules).</summary>
    public bool ApplyConsumerRulesToCommercialDebts { get; init; }

    /// <summary>Earliest convenient local time (12 CFR 1006.6(b)(1)(i): 8:00 a.m.).</summary>
    public TimeOnly CallsFrom { get; init; } = new(8, 0);

    /// <summary>Latest convenient local time, inclusive (12 CFR 1006.6(b)(1)(i): 9:00 p.m.).</summary>
    public TimeOnly CallsUntil { get; init; } = new(21, 0);

    /// <summary>The call limit in any 7 consecutive days, per person per debt (12 CFR 1006.14(b)(2)(i)(A): 7).</summary>
    public int MaxCallsPerSevenDays { get; init; } = 7;

    /// <summary>The zones assumed when nothing tells where the debtor is: all four of the contiguous United States, so a contact must suit all of them.</summary>
    public IReadOnlyList<string> FallbackTimeZones { get; init; } = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"];

    /// <summary>Treat a phone of unknown line type as mobile for the TCPA (default true: the safe side).</summary>
    public bool TreatUnknownLinesAsMobile { get; init; } = true;

    /// <summary>Days to wait after a letter or electronic message before furnishing to a credit bureau (12 CFR 1006.30(a)(1)(ii): 14).</summary>
    public int PassiveCollectionWaitDays { get; init; } = 14;

    /// <summary>Require the time-barred disclosure on letters and e-mails about a time-barred debt.</summary>
    public bool RequireTimeBarredDisclosure { get; init; } = true;

    /// <summary>State overlays; the debtor's states come from <see cref="ContactCase.States"/>.</summary>
    public IReadOnlyList<StateRule> StateRules { get; init; } = [StateRule.Massachusetts];

    /// <summary>Statutes of limitations by state and debt type.</summary>
    public StatuteOfLimitations Limitations { get; init; } = StatuteOfLimitations.Starter;

    /// <summary>Ids of rules switched off (e.g. by a client's counsel); empty by default.</summary>
    public IReadOnlyCollection<string> DisabledRules
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            field = value;
            _anyDisabled = value.Count > 0;
        }
    } = [];

    // Set with DisabledRules (a `with` copies both), so that the gate's common case, nothing disabled, is one test.
    private readonly bool _anyDisabled;

    /// <summary>Some rule is switched off (the gate's fast path when none is).</summary>
    internal bool AnyDisabled => _anyDisabled;

    /// <summary>The rule is switched on.</summary>
    public bool IsEnabled(ComplianceRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (!_anyDisabled)
        {
            return true;
        }

        foreach (var id in DisabledRules)
        {
            if (string.Equals(id, rule.Id, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
