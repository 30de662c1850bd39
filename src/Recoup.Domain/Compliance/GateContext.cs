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

    /// <summary>The case has exception grants; without any, a block is a block and <see cref="ExceptionFor"/> answers at once.</summary>
    public readonly bool HasGrants;

    public ZoneSet Zones;

    /// <summary>The calling hours (local time-of-day ticks), narrowed by the debtor's states, resolved once; set only for a person in scope and a channel that is not a letter.</summary>
    public readonly long CallsFromTicks;

    /// <summary>See <see cref="CallsFromTicks"/>.</summary>
    public readonly long CallsUntilTicks;

    /// <summary>The debts the attempt concerns, resolved once: its own list, or every debt of the case when it names none.</summary>
    public DebtSet Debts;

    public GateContext(ContactCase facts, ContactAttempt attempt, RuleSet rules)
    {
        Case = facts;
        Attempt = attempt;
        Rules = rules;
        HistoryEnd = facts.History.CountAtOrBefore(attempt.At.UtcTicks);
        AttemptConsentTicks = attempt.DirectConsentAt?.UtcTicks ?? long.MinValue;
        HasGrants = facts.ExceptionGrants.Count > 0;
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
        Debts = default;
        var named = attempt.DebtIds;
        var count = named.Count > 0 ? named.Count : facts.Debts.Count;
        for (var i = 0; i < count; i++)
        {
            var debt = named.Count > 0 ? facts.Debt(named[i]) : facts.Debts[i];
            var inScope = InConsumerScope(debt?.Type ?? facts.DebtType);
            var id = named.Count > 0 ? named[i] : debt!.DebtId;
            Debts.Add(new ResolvedDebt(id, debt, inScope, facts.History.BitOf(id)));
            PersonInScope |= inScope;
        }

        // A contact about no debt in particular (and a case that lists none) follows the debtor's debt type.
        if (count == 0)
        {
            PersonInScope = InConsumerScope(facts.DebtType);
        }

        CallsFromTicks = 0;
        CallsUntilTicks = 0;
        if (PersonInScope && attempt.Channel != ContactChannel.Letter)
        {
            (CallsFromTicks, CallsUntilTicks) = InconvenientTimeRule.CallingHours(facts, rules, cite: false, out _);
        }
    }

    public readonly int DebtCount => Debts.Count;

    public readonly string DebtIdAt(int index) => Debts[index].Id;

    public readonly DebtFacts? DebtAt(int index) => Debts[index].Facts;

    /// <summary>The bit of the debt in the history's masks (<see cref="ContactHistory.BitOf"/>), resolved once.</summary>
    public readonly ulong DebtBitAt(int index) => Debts[index].Bit;

    /// <summary>The consumer rules apply to this debt of the attempt.</summary>
    public readonly bool DebtInScope(int index) => Debts[index].InScope;

    /// <summary>The consumer rules apply to a debt of this type, for this debtor and this company.</summary>
    public readonly bool InConsumerScope(DebtType type) =>
        Case.DebtorKind == DebtorKind.Person
        && (type != DebtType.Commercial || Rules.ApplyConsumerRulesToCommercialDebts)
        && (Case.Role == CompanyRole.DebtCollector || Rules.ApplyConsumerRulesToFirstPartyCreditors);

    /// <summary>
    /// The documented exception that lifts a block by <paramref name="rule"/> at <paramref name="t"/>, or null. A block
    /// about one debt passes <paramref name="debtId"/>; a block about the person passes null. When no grant is in force
    /// at <paramref name="t"/> but a matching one starts later, <paramref name="next"/> (when the block alone lifts) is
    /// brought forward to that start.
    /// </summary>
    public readonly ExceptionGrantFacts? ExceptionFor(ComplianceRule rule, string? debtId, long t, ref long next)
    {
        if (!HasGrants || !rule.ExceptionAllowed)
        {
            return null;
        }

        var grants = Case.ExceptionGrants;
        for (var i = 0; i < grants.Count; i++)
        {
            var grant = grants[i];
            if (!string.Equals(grant.Rule, rule.Id, StringComparison.Ordinal) || !Covers(grant, debtId))
            {
                continue;
            }

            var from = grant.ValidFrom.UtcTicks;
            var until = Math.Min(grant.ValidUntil.UtcTicks, grant.RevokedAt?.UtcTicks ?? long.MaxValue);
            if (from <= t && t < until)
            {
                return grant;
            }

            if (from > t && from < until)
            {
                next = Math.Min(next, from);
            }
        }

        return null;
    }

    /// <summary>The grant names nothing the attempt contradicts: its channel, its contact point, and its debt (the block's, or every debt of the attempt).</summary>
    private readonly bool Covers(ExceptionGrantFacts grant, string? debtId)
    {
        if ((grant.Channel is { } channel && channel != Attempt.Channel)
            || (grant.ContactPointId is { } point && !string.Equals(point, Attempt.Point.Id, StringComparison.Ordinal)))
        {
            return false;
        }

        if (grant.DebtId is not { } debt)
        {
            return true;
        }

        if (debtId is not null)
        {
            return string.Equals(debt, debtId, StringComparison.Ordinal);
        }

        if (DebtCount == 0)
        {
            return false;
        }

        for (var i = 0; i < DebtCount; i++)
        {
            if (!string.Equals(debt, DebtIdAt(i), StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

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
            var day = LocalTime.DayOf(zone.ToLocal(utcTicks));
            start = Math.Min(start, zone.FirstInstantAtOrAfter(day - (6 * LocalTime.TicksPerDay)));
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
            var day = LocalTime.DayOf(zone.ToLocal(utcTicks));
            result = Math.Max(result, zone.FirstInstantAtOrAfter(day + (days * LocalTime.TicksPerDay)));
        }

        return result;
    }

    /// <summary>The local date of an instant in the first of the debtor's zones (used for date rules such as the statute of limitations).</summary>
    public readonly DateOnly LocalDate(long utcTicks) =>
        DateOnly.FromDateTime(new DateTime(Zones[0].ToLocal(utcTicks), DateTimeKind.Unspecified));

    /// <summary>An instant written for a person: local time in the first zone, with the zone.</summary>
    public readonly LocalStamp Describe(long utcTicks) => new(Zones[0].ToLocal(utcTicks), Zones[0].Id);

    public readonly string ChannelNoun => Attempt.Channel switch
    {
        ContactChannel.Call => "calls",
        ContactChannel.Sms => "text messages",
        ContactChannel.Email => "e-mails",
        ContactChannel.Letter => "letters",
    };
}

/// <summary>One debt of an attempt: its id, its facts when the case lists it, and whether the consumer rules apply to it.</summary>
internal readonly record struct ResolvedDebt(string Id, DebtFacts? Facts, bool InScope, ulong Bit);

/// <summary>The debts of an attempt, without allocating for up to four of them.</summary>
internal struct DebtSet
{
    private DebtBuffer _buffer;
    private List<ResolvedDebt>? _overflow;

    public int Count { get; private set; }

    public readonly ResolvedDebt this[int index] => index < DebtBuffer.Length ? _buffer[index] : _overflow![index - DebtBuffer.Length];

    public void Add(ResolvedDebt debt)
    {
        if (Count < DebtBuffer.Length)
        {
            _buffer[Count] = debt;
        }
        else
        {
            (_overflow ??= []).Add(debt);
        }

        Count++;
    }

    [System.Runtime.CompilerServices.InlineArray(Length)]
    private struct DebtBuffer
    {
        public const int Length = 4;
        private ResolvedDebt _element;
    }
}

/// <summary>A local time and its zone, written as <c>Monday 2026-11-23 10:00 America/New_York</c> straight into the message being built.</summary>
internal readonly record struct LocalStamp(long LocalTicks, string ZoneId) : ISpanFormattable
{
    private const string Format = "dddd yyyy-MM-dd HH:mm";

    private static readonly string[] DayNames = CultureInfo.InvariantCulture.DateTimeFormat.DayNames;

    /// <summary>Writes <c>dddd yyyy-MM-dd HH:mm zone</c> by hand (invariant day names), as <see cref="ToString()"/> does through the format string.</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        charsWritten = 0;
        var time = new DateTime(LocalTicks, DateTimeKind.Unspecified);
        var dayName = DayNames[(int)time.DayOfWeek];
        var length = dayName.Length + 17 + 1 + ZoneId.Length;
        if (destination.Length < length)
        {
            return false;
        }

        time.Deconstruct(out var date, out _);
        var (year, month, day) = date;
        var ticksOfDay = LocalTicks % TimeSpan.TicksPerDay;
        var hour = (int)(ticksOfDay / TimeSpan.TicksPerHour);
        var minute = (int)(ticksOfDay / TimeSpan.TicksPerMinute % 60);
        dayName.AsSpan().CopyTo(destination);
        var d = destination[dayName.Length..];
        d[0] = ' ';
        d[1] = (char)('0' + (year / 1000));
        d[2] = (char)('0' + (year / 100 % 10));
        d[3] = (char)('0' + (year / 10 % 10));
        d[4] = (char)('0' + (year % 10));
        d[5] = '-';
        d[6] = (char)('0' + (month / 10));
        d[7] = (char)('0' + (month % 10));
        d[8] = '-';
        d[9] = (char)('0' + (day / 10));
        d[10] = (char)('0' + (day % 10));
        d[11] = ' ';
        d[12] = (char)('0' + (hour / 10));
        d[13] = (char)('0' + (hour % 10));
        d[14] = ':';
        d[15] = (char)('0' + (minute / 10));
        d[16] = (char)('0' + (minute % 10));
        d[17] = ' ';
        ZoneId.AsSpan().CopyTo(d[18..]);
        charsWritten = length;
        return true;
    }

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public override string ToString() =>
        new DateTime(LocalTicks, DateTimeKind.Unspecified).ToString(Format, CultureInfo.InvariantCulture) + " " + ZoneId;
}

/// <summary>A local time of day written as <c>HH:mm</c> straight into the message being built (as <c>TimeOnly</c>'s <c>HH\:mm</c> format writes it).</summary>
internal readonly struct HourMinute(long timeOfDayTicks) : ISpanFormattable
{
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        if (destination.Length < 5)
        {
            charsWritten = 0;
            return false;
        }

        var hour = (int)(timeOfDayTicks / TimeSpan.TicksPerHour);
        var minute = (int)(timeOfDayTicks / TimeSpan.TicksPerMinute % 60);
        destination[0] = (char)('0' + (hour / 10));
        destination[1] = (char)('0' + (hour % 10));
        destination[2] = ':';
        destination[3] = (char)('0' + (minute / 10));
        destination[4] = (char)('0' + (minute % 10));
        charsWritten = 5;
        return true;
    }

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public override string ToString() => new TimeOnly(timeOfDayTicks).ToString("HH\\:mm", CultureInfo.InvariantCulture);
}
