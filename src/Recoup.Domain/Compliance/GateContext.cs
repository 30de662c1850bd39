using System.Globalization;
using Recoup.Domain.Debtors;

namespace Recoup.Domain.Compliance;

/// <summary>What every rule reads for one decision: the facts, the attempt, the rule set and the zones, resolved once.</summary>
internal struct GateContext
{
    /// <summary>A rule's verdict meaning "not blocked".</summary>
    public const long Passes = 0;

    /// <summary>A rule's verdict meaning "blocked, and time alone never lifts it".</summary>
    public const long Never = long.MaxValue;

    public const long SevenDays = 7 * LocalTime.TicksPerDay;

    public readonly ContactCase Case;
    public readonly ContactAttempt Attempt;
    public readonly RuleSet Rules;

    /// <summary>Entries of the history at or before the attempt; later ones are not looked at.</summary>
    public readonly int HistoryEnd;

    /// <summary>UTC ticks of the debtor's direct consent to this call; <see cref="long.MinValue"/> when none.</summary>
    public readonly long AttemptConsentTicks;

    /// <summary>Some debt of the attempt is under the consumer rules.</summary>
    public readonly bool PersonInScope;

    /// <summary>No zone was known: <see cref="RuleSet.FallbackTimeZones"/> are used.</summary>
    public readonly bool FallbackZones;

    public ZoneSet Zones;

    public GateContext(ContactCase facts, ContactAttempt attempt, RuleSet rules)
    {
        Case = facts;
        Attempt = attempt;
        Rules = rules;
        HistoryEnd = facts.History.CountAtOrBefore(attempt.At.UtcTicks);
        AttemptConsentTicks = attempt.DirectConsentAt?.UtcTicks ?? long.MinValue;
        Zones = default;
        var zones = facts.TimeZones;
        for (var i = 0; i < zones.Count; i++)
        {
            Zones.Add(zones[i]);
        }

        if (attempt.Channel is ContactChannel.Call or ContactChannel.Sms && attempt.Point.TimeZones is { } pointZones)
        {
            for (var i = 0; i < pointZones.Count; i++)
            {
                Zones.Add(pointZones[i]);
            }
        }

        FallbackZones = Zones.Count == 0;
        if (FallbackZones)
        {
            foreach (var id in rules.FallbackTimeZones)
            {
                Zones.Add(id);
            }
        }

        PersonInScope = false;
        var count = DebtCount;
        for (var i = 0; i < count; i++)
        {
            if (InConsumerScope(TypeOf(i)))
            {
                PersonInScope = true;
                break;
            }
        }
    }

    /// <summary>The debts the attempt concerns: its own list, or every debt of the case when it names none.</summary>
    public readonly int DebtCount => Attempt.DebtIds.Count > 0 ? Attempt.DebtIds.Count : Case.Debts.Count;

    public readonly string DebtIdAt(int index) => Attempt.DebtIds.Count > 0 ? Attempt.DebtIds[index] : Case.Debts[index].DebtId;

    public readonly DebtFacts? DebtAt(int index) => Attempt.DebtIds.Count > 0 ? Case.Debt(Attempt.DebtIds[index]) : Case.Debts[index];

    public readonly DebtType TypeOf(int index) => DebtAt(index)?.Type ?? Case.DebtType;

    /// <summary>The consumer rules apply to a debt of this type, for this debtor and this company.</summary>
    public readonly bool InConsumerScope(DebtType type) =>
        Case.DebtorKind == DebtorKind.Person
        && (type != DebtType.Commercial || Rules.ApplyConsumerRulesToCommercialDebts)
        && (Case.Role == CompanyRole.DebtCollector || Rules.ApplyConsumerRulesToFirstPartyCreditors);

    /// <summary>
    /// The start of a seven-consecutive-day window that ends with the local day of <paramref name="utcTicks"/>: the
    /// earliest, across the debtor's zones, of midnight six local days before.
    /// </summary>
    public readonly long WindowStart(long utcTicks)
    {
        var start = long.MaxValue;
        for (var i = 0; i < Zones.Count; i++)
        {
            var zone = Zones[i];
            var day = LocalTime.DayOf(LocalTime.ToLocal(utcTicks, zone));
            start = Math.Min(start, LocalTime.FirstInstantAtOrAfter(day - (6 * LocalTime.TicksPerDay), zone));
        }

        return start;
    }

    /// <summary>The latest, across the debtor's zones, of local midnight <paramref name="days"/> days after the local day of <paramref name="utcTicks"/>.</summary>
    public readonly long StartOfDayAfter(long utcTicks, int days)
    {
        var result = long.MinValue;
        for (var i = 0; i < Zones.Count; i++)
        {
            var zone = Zones[i];
            var day = LocalTime.DayOf(LocalTime.ToLocal(utcTicks, zone));
            result = Math.Max(result, LocalTime.FirstInstantAtOrAfter(day + (days * LocalTime.TicksPerDay), zone));
        }

        return result;
    }

    /// <summary>The local date of an instant in the first of the debtor's zones (used for date rules such as the statute of limitations).</summary>
    public readonly DateOnly LocalDate(long utcTicks) =>
        DateOnly.FromDateTime(new DateTime(LocalTime.ToLocal(utcTicks, Zones[0]), DateTimeKind.Unspecified));

    /// <summary>An instant written for a person: local time in the first zone, with the zone.</summary>
    public readonly string Describe(long utcTicks) => Describe(utcTicks, Zones[0]);

    public static string Describe(long utcTicks, TimeZoneInfo zone) =>
        new DateTime(LocalTime.ToLocal(utcTicks, zone), DateTimeKind.Unspecified).ToString("dddd yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " " + zone.Id;

    public static string DescribeDay(long utcTicks, TimeZoneInfo zone) =>
        new DateTime(LocalTime.ToLocal(utcTicks, zone), DateTimeKind.Unspecified).ToString("dddd yyyy-MM-dd", CultureInfo.InvariantCulture);

    public readonly string ChannelNoun => Attempt.Channel switch
    {
        ContactChannel.Call => "calls",
        ContactChannel.Sms => "text messages",
        ContactChannel.Email => "e-mails",
        ContactChannel.Letter => "letters",
    };
}
