using System.Runtime.CompilerServices;

namespace Recoup.Domain.Compliance;

/// <summary>
/// Time-zone arithmetic on UTC and local ticks through <see cref="TimeZoneInfo"/>, with daylight-saving gaps and
/// overlaps resolved explicitly: the reference that <see cref="ZoneRules"/> uses outside its table's years.
/// </summary>
internal static class LocalTime
{
    public const long TicksPerDay = TimeSpan.TicksPerDay;
    public const long TicksPerHour = TimeSpan.TicksPerHour;

    /// <summary>Local ticks (wall clock) of a UTC instant in a zone.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long ToLocal(long utcTicks, TimeZoneInfo zone) =>
        utcTicks + zone.GetUtcOffset(new DateTime(utcTicks, DateTimeKind.Utc)).Ticks;

    /// <summary>Midnight (local ticks) of the local day that holds <paramref name="localTicks"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long DayOf(long localTicks) => localTicks - (localTicks % TicksPerDay);

    /// <summary>The day of the week of local ticks (1 January 0001 was a Monday).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DayOfWeek DayOfWeekOf(long localTicks) => (DayOfWeek)(((localTicks / TicksPerDay) + 1) % 7);

    /// <summary>
    /// The earliest UTC instant, not before <paramref name="notBeforeUtc"/>, at which the zone's wall clock shows
    /// <paramref name="localTicks"/> or later. In a spring-forward gap that is the moment of the transition (the wall
    /// clock jumps past the time); in an autumn overlap it is the first occurrence, or the second when the first is
    /// before <paramref name="notBeforeUtc"/>.
    /// </summary>
    public static long FirstInstantAtOrAfter(long localTicks, TimeZoneInfo zone, long notBeforeUtc = long.MinValue)
    {
        var local = new DateTime(localTicks, DateTimeKind.Unspecified);
        var offset = zone.GetUtcOffset(local).Ticks;
        var candidate = localTicks - offset;
        if (ToLocal(candidate, zone) == localTicks && !zone.IsAmbiguousTime(local))
        {
            return candidate;
        }

        if (zone.IsAmbiguousTime(local))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(local);
            long first = long.MaxValue, second = long.MinValue;
            foreach (var o in offsets)
            {
                first = Math.Min(first, localTicks - o.Ticks);
                second = Math.Max(second, localTicks - o.Ticks);
            }

            return first >= notBeforeUtc ? first : second;
        }

        // In a gap: the first instant whose wall clock reaches the local time. Around a gap the wall clock only
        // moves forward, so a binary search over a day either side finds it.
        long low = localTicks - TicksPerDay, high = localTicks + TicksPerDay;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (ToLocal(middle, zone) >= localTicks)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }
}

/// <summary>The distinct time zones a decision must respect, without allocating for up to eight of them.</summary>
internal struct ZoneSet
{
    private ZoneBuffer _buffer;
    private List<ZoneRules>? _overflow;

    public int Count { get; private set; }

    public readonly ZoneRules this[int index] => index < ZoneBuffer.Length ? _buffer[index] : _overflow![index - ZoneBuffer.Length];

    public void Add(string ianaId)
    {
        var zone = ZoneRules.For(ianaId);
        for (var i = 0; i < Count; i++)
        {
            if (ReferenceEquals(this[i], zone))
            {
                return;
            }
        }

        if (Count < ZoneBuffer.Length)
        {
            _buffer[Count] = zone;
        }
        else
        {
            (_overflow ??= []).Add(zone);
        }

        Count++;
    }

    public readonly string Names()
    {
        var names = new string[Count];
        for (var i = 0; i < Count; i++)
        {
            names[i] = this[i].Id;
        }

        return string.Join(", ", names);
    }

    [InlineArray(Length)]
    private struct ZoneBuffer
    {
        public const int Length = 8;
        private ZoneRules _element;
    }
}
