using System.Globalization;
using static Recoup.Domain.Compliance.GateContext;

namespace Recoup.Domain.Compliance;

/// <summary>
/// Calls, texts and e-mails only between 08:00 and 21:00 local time (narrowed by the debtor's states), in every
/// zone the debtor may be in, and never in a time the debtor said is inconvenient (12 CFR 1006.6(b)(1)(i)).
/// Letters are not checked.
/// </summary>
internal sealed class InconvenientTimeRule : IContactRule
{
    public ComplianceRule Rule => ComplianceRules.InconvenientTime;

    public long Check(ref readonly GateContext c, long t, ref ReasonSink reasons)
    {
        if (!c.PersonInScope || c.Attempt.Channel == ContactChannel.Letter)
        {
            return Passes;
        }

        long from, until;
        string? stateCitations = null;
        if (reasons.Collect)
        {
            (from, until) = CallingHours(c.Case, c.Rules, cite: true, out stateCitations);
        }
        else
        {
            from = c.CallsFromTicks;
            until = c.CallsUntilTicks;
        }

        if (from > until)
        {
            if (reasons.Collect)
            {
                reasons.Add(Rule, "The configured calling hours are empty: no time is convenient.");
            }

            return Never;
        }

        var result = Passes;
        for (var z = 0; z < c.Zones.Count; z++)
        {
            var zone = c.Zones[z];
            var local = zone.ToLocal(t);
            var day = LocalTime.DayOf(local);
            var timeOfDay = local - day;
            long next = Passes;
            if (timeOfDay < from)
            {
                next = zone.FirstInstantAtOrAfter(day + from, t + 1);
            }
            else if (timeOfDay > until)
            {
                next = zone.FirstInstantAtOrAfter(day + LocalTime.TicksPerDay + from, t + 1);
            }

            if (next != Passes)
            {
                var grant = c.ExceptionFor(Rule, null, t, ref next);
                if (grant is null)
                {
                    result = Math.Max(result, next);
                }

                if (reasons.Collect)
                {
                    var fallback = c.FallbackZones ? $"No time zone is known for this debtor, so the default zones are checked ({c.Zones.Names()}). " : "";
                    reasons.Add(
                        Rule,
                        string.Create(CultureInfo.InvariantCulture, $"{fallback}It is {new HourMinute(timeOfDay)} in {zone.Id}; {c.ChannelNoun} are allowed from {new HourMinute(from)} to {new HourMinute(until)} there."),
                        stateCitations is null ? null : Rule.Citation + "; " + stateCitations,
                        grant);
                }
            }

            var inconvenient = c.Case.InconvenientTimes;
            for (var i = 0; i < inconvenient.Count; i++)
            {
                var stated = inconvenient[i];
                var blockedUntil = BlockedUntil(stated, day, timeOfDay);
                if (blockedUntil == Passes)
                {
                    continue;
                }

                next = zone.FirstInstantAtOrAfter(blockedUntil, t + 1);
                var grant = c.ExceptionFor(Rule, null, t, ref next);
                if (grant is null)
                {
                    result = Math.Max(result, next);
                }

                if (reasons.Collect)
                {
                    var days = stated.Days.Count == 0 ? "every day" : string.Join(", ", stated.Days);
                    reasons.Add(
                        Rule,
                        string.Create(CultureInfo.InvariantCulture, $"It is {LocalTime.DayOfWeekOf(local)} {new HourMinute(timeOfDay)} in {zone.Id}; the debtor said {days} {new HourMinute(stated.From.Ticks)}–{new HourMinute(stated.To.Ticks)} is inconvenient."),
                        exceptedBy: grant);
                }
            }
        }

        return result;
    }

    /// <summary>The calling hours (local time-of-day ticks): the rule set's, narrowed by the debtor's states; with the narrowing states' citations when <paramref name="cite"/>.</summary>
    internal static (long From, long Until) CallingHours(ContactCase facts, RuleSet rules, bool cite, out string? stateCitations)
    {
        var from = rules.CallsFrom.Ticks;
        var until = rules.CallsUntil.Ticks;
        stateCitations = null;
        var states = facts.States;
        if (states.Count > 0)
        {
            foreach (var rule in rules.StateRules)
            {
                if (!Contains(states, rule.State) || (rule.CallsFrom is null && rule.CallsUntil is null))
                {
                    continue;
                }

                var narrows = false;
                if (rule.CallsFrom is { } f && f.Ticks > from)
                {
                    from = f.Ticks;
                    narrows = true;
                }

                if (rule.CallsUntil is { } u && u.Ticks < until)
                {
                    until = u.Ticks;
                    narrows = true;
                }

                if (narrows && cite)
                {
                    stateCitations = stateCitations is null ? rule.Citation : stateCitations + "; " + rule.Citation;
                }
            }
        }

        return (from, until);
    }

    /// <summary>Local ticks at which a stated inconvenient time that holds now ends; <see cref="GateContext.Passes"/> when it does not hold.</summary>
    private static long BlockedUntil(InconvenientTime stated, long day, long timeOfDay)
    {
        var from = stated.From.Ticks;
        var to = stated.To.Ticks;
        var today = LocalTime.DayOfWeekOf(day);
        if (from < to)
        {
            return timeOfDay >= from && timeOfDay < to && Applies(stated.Days, today) ? day + to : Passes;
        }

        // The range runs past midnight: from `from` on a listed day until `to` on the next day.
        if (timeOfDay >= from && Applies(stated.Days, today))
        {
            return day + LocalTime.TicksPerDay + to;
        }

        var yesterday = (DayOfWeek)(((int)today + 6) % 7);
        return timeOfDay < to && Applies(stated.Days, yesterday) ? day + to : Passes;
    }

    private static bool Applies(IReadOnlyList<DayOfWeek> days, DayOfWeek day)
    {
        if (days.Count == 0)
        {
            return true;
        }

        for (var i = 0; i < days.Count; i++)
        {
            if (days[i] == day)
            {
                return true;
            }
        }

        return false;
    }

    internal static bool Contains(IReadOnlyList<string> states, string state)
    {
        for (var i = 0; i < states.Count; i++)
        {
            if (string.Equals(states[i], state, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>
/// The call frequencies of 12 CFR 1006.14(b)(2), per person and per debt across all the person's numbers: no call
/// when seven were placed in the seven consecutive days ending today, and none in the seven days (the conversation's
/// day being the first) after a telephone conversation about the debt. Days are local days in every zone the debtor
/// may be in. Calls not connected, calls within seven days of the debtor's direct consent, and inbound calls are not
/// counted; a conversation on any call, inbound or outbound, starts the quiet period for every debt it covered.
/// </summary>
internal sealed class CallFrequencyRule : IContactRule
{
    public ComplianceRule Rule => ComplianceRules.CallFrequency;

    public bool EnabledIn(RuleSet rules) => rules.IsEnabled(ComplianceRules.CallFrequency) || rules.IsEnabled(ComplianceRules.CallAfterConversation);

    public long Check(ref readonly GateContext c, long t, ref ReasonSink reasons)
    {
        if (c.Attempt.Channel != ContactChannel.Call || ExcludedByConsent(c.AttemptConsentTicks, t))
        {
            return Passes;
        }

        var frequencyOn = c.Rules.IsEnabled(ComplianceRules.CallFrequency);
        var conversationOn = c.Rules.IsEnabled(ComplianceRules.CallAfterConversation);
        var max = c.Rules.MaxCallsPerSevenDays;
        var windowStart = c.WindowStart(t);
        var slots = c.Case.History.Slots[..c.HistoryEnd];
        var result = Passes;
        var debts = c.DebtCount;
        for (var d = 0; d < debts; d++)
        {
            if (!c.DebtInScope(d))
            {
                continue;
            }

            var debtId = c.DebtIdAt(d);
            var bit = c.DebtBitAt(d);
            int counted = 0;
            long oldestCounted = 0, lastConversation = long.MinValue;
            for (var j = slots.Length - 1; j >= 0 && slots[j].Ticks >= windowStart; j--)
            {
                ref readonly var s = ref slots[j];
                if (s.Channel != ContactChannel.Call || !s.Covers(debtId, bit))
                {
                    continue;
                }

                if (s.Outcome == ContactOutcome.Conversation && lastConversation == long.MinValue)
                {
                    lastConversation = s.Ticks;
                }

                if (s.Direction == ContactDirection.Outbound
                    && s.Outcome is ContactOutcome.Unanswered or ContactOutcome.Voicemail or ContactOutcome.Conversation
                    && !ExcludedByConsent(s.ConsentTicks, s.Ticks)
                    && ++counted == max)
                {
                    oldestCounted = s.Ticks;
                }
            }

            if (frequencyOn && counted >= max)
            {
                var lifts = c.StartOfDayAfter(oldestCounted, 7);
                var next = lifts;
                var grant = c.ExceptionFor(ComplianceRules.CallFrequency, debtId, t, ref next);
                if (grant is null)
                {
                    result = Math.Max(result, next);
                }

                if (reasons.Collect)
                {
                    reasons.Add(ComplianceRules.CallFrequency, string.Create(
                        CultureInfo.InvariantCulture,
                        $"{counted} calls about debt {debtId} were placed in the 7 days ending today, the first of them on {c.Describe(oldestCounted)}; the limit is {max}. This limit lifts at {c.Describe(lifts)}."),
                        exceptedBy: grant);
                }
            }

            if (conversationOn && lastConversation != long.MinValue)
            {
                var lifts = c.StartOfDayAfter(lastConversation, 7);
                var next = lifts;
                var grant = c.ExceptionFor(ComplianceRules.CallAfterConversation, debtId, t, ref next);
                if (grant is null)
                {
                    result = Math.Max(result, next);
                }

                if (reasons.Collect)
                {
                    reasons.Add(ComplianceRules.CallAfterConversation, string.Create(
                        CultureInfo.InvariantCulture,
                        $"We spoke with the debtor about debt {debtId} on {c.Describe(lastConversation)}; that day is day 1 of 7 without calls about this debt. The quiet period ends at {c.Describe(lifts)}."),
                        exceptedBy: grant);
                }
            }
        }

        return result;
    }

    /// <summary>A call within seven days after the debtor's direct consent is outside the frequencies (12 CFR 1006.14(b)(3)(i)).</summary>
    internal static bool ExcludedByConsent(long consentTicks, long callTicks) =>
        consentTicks != long.MinValue && callTicks >= consentTicks && callTicks - consentTicks <= SevenDays;
}

/// <summary>State call limits (e.g. Massachusetts: two creditor-initiated telephone communications per seven days per debt, 940 CMR 7.04(1)(f)).</summary>
internal sealed class StateCallLimitRule : IContactRule
{
    public ComplianceRule Rule => ComplianceRules.StateCallLimit;

    public long Check(ref readonly GateContext c, long t, ref ReasonSink reasons)
    {
        var states = c.Case.States;
        // A call the debtor asked for (direct consent) is not initiated by the creditor.
        if (states.Count == 0 || !c.Attempt.CreditorInitiated || c.AttemptConsentTicks != long.MinValue)
        {
            return Passes;
        }

        var result = Passes;
        long windowStart = long.MinValue;
        foreach (var rule in c.Rules.StateRules)
        {
            if (rule.MaxContactsPerSevenDays is not { } max || !InconvenientTimeRule.Contains(states, rule.State) || !Limits(rule, c.Attempt.Channel))
            {
                continue;
            }

            if (windowStart == long.MinValue)
            {
                windowStart = c.WindowStart(t);
            }

            var slots = c.Case.History.Slots[..c.HistoryEnd];
            var debts = c.DebtCount;
            for (var d = 0; d < debts; d++)
            {
                if (!c.DebtInScope(d))
                {
                    continue;
                }

                var debtId = c.DebtIdAt(d);
                var bit = c.DebtBitAt(d);
                int counted = 0;
                long oldestCounted = 0;
                for (var j = slots.Length - 1; j >= 0 && slots[j].Ticks >= windowStart; j--)
                {
                    ref readonly var s = ref slots[j];
                    if (s.Direction == ContactDirection.Outbound
                        && s.ConsentTicks == long.MinValue
                        && Limits(rule, s.Channel)
                        && Counts(rule, s.Outcome)
                        && s.Covers(debtId, bit)
                        && ++counted == max)
                    {
                        oldestCounted = s.Ticks;
                    }
                }

                if (counted >= max)
                {
                    var next = c.StartOfDayAfter(oldestCounted, 7);
                    result = Math.Max(result, next);
                    if (reasons.Collect)
                    {
                        reasons.Add(
                            Rule,
                            string.Create(CultureInfo.InvariantCulture, $"{rule.State} allows at most {max} creditor-initiated telephone communications per debt in 7 days; {counted} about debt {debtId} were made since {c.Describe(oldestCounted)}. This limit lifts at {c.Describe(next)}."),
                            rule.Citation);
                    }
                }
            }
        }

        return result;
    }

    private static bool Limits(StateRule rule, ContactChannel channel)
    {
        var channels = rule.LimitedChannels;
        if (channels is null)
        {
            return channel == ContactChannel.Call;
        }

        for (var i = 0; i < channels.Count; i++)
        {
            if (channels[i] == channel)
            {
                return true;
            }
        }

        return false;
    }

    private static bool Counts(StateRule rule, ContactOutcome outcome) => outcome switch
    {
        ContactOutcome.Voicemail or ContactOutcome.Conversation or ContactOutcome.Sent => true,
        ContactOutcome.Unanswered => rule.CountsUnansweredCalls,
        ContactOutcome.NotConnected or ContactOutcome.Undeliverable => false,
    };
}
