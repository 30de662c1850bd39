using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Recoup.Domain.Compliance;

/// <summary>
/// One IANA time zone's UTC offsets as a sorted table of transitions (1970-2100), built once from
/// <see cref="TimeZoneInfo"/> and cached, so that converting an instant to local time is a binary search instead of
/// a walk through adjustment rules. Outside the table's years it defers to <see cref="TimeZoneInfo"/>.
/// </summary>
internal sealed class ZoneRules
{
    private static readonly ConcurrentDictionary<string, ZoneRules> Cache = new(StringComparer.Ordinal);
    private static readonly long TableStart = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
    private static readonly long TableEnd = new DateTime(2100, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    /// <summary>UTC ticks at which the offset changes, ascending.</summary>
    private readonly long[] _transitions;

    /// <summary>The offset (ticks) from each transition on; <see cref="_initialOffset"/> before the first.</summary>
    private readonly long[] _offsets;

    private readonly long _initialOffset;

    /// <summary>
    /// For each 32-day bucket of the table's years, the number of transitions before the bucket starts: a look-up
    /// lands at most a step or two from the answer, instead of a binary search over every transition.
    /// </summary>
    private readonly ushort[] _bucketStart;

    private const long BucketTicks = 32 * TimeSpan.TicksPerDay;

    private ZoneRules(TimeZoneInfo zone)
    {
        Zone = zone;
        var transitions = new List<long>();
        var offsets = new List<long>();
        _initialOffset = OffsetFromTimeZoneInfo(TableStart);
        var previous = _initialOffset;

        // Probe every 12 hours (no two transitions of any zone since 1970 are closer), then bisect to the tick.
        const long step = 12 * TimeSpan.TicksPerHour;
        for (var t = TableStart + step; t < TableEnd; t += step)
        {
            var offset = OffsetFromTimeZoneInfo(t);
            if (offset == previous)
            {
                continue;
            }

            long low = t - step + 1, high = t;
            while (low < high)
            {
                var middle = low + ((high - low) / 2);
                if (OffsetFromTimeZoneInfo(middle) == previous)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            transitions.Add(low);
            offsets.Add(offset);
            previous = offset;
        }

        _transitions = [.. transitions];
        _offsets = [.. offsets];
        _bucketStart = new ushort[((TableEnd - TableStart) / BucketTicks) + 1];
        var index = 0;
        for (var b = 0; b < _bucketStart.Length; b++)
        {
            var bucketStart = TableStart + (b * BucketTicks);
            while (index < _transitions.Length && _transitions[index] < bucketStart)
            {
                index++;
            }

            _bucketStart[b] = checked((ushort)index);
        }
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>The IANA id.</summary>
    public string Id => Zone.Id;

    /// <summary>The rules of an IANA zone (cached). Throws <see cref="TimeZoneNotFoundException"/> for an unknown id: bad data is a bug.</summary>
    public static ZoneRules For(string ianaId) => Cache.GetOrAdd(ianaId, static id => new ZoneRules(TimeZoneInfo.FindSystemTimeZoneById(id)));

    /// <summary>The UTC offset (ticks) in force at a UTC instant.</summary>
    public long OffsetAt(long utcTicks)
    {
        if (utcTicks < TableStart || utcTicks >= TableEnd)
        {
            return OffsetFromTimeZoneInfo(utcTicks);
        }

        var index = LastTransitionAtOrBefore(utcTicks);
        return index < 0 ? _initialOffset : _offsets[index];
    }

    /// <summary>Local (wall-clock) ticks of a UTC instant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long ToLocal(long utcTicks) => utcTicks + OffsetAt(utcTicks);

    /// <summary>
    /// The earliest UTC instant, not before <paramref name="notBeforeUtc"/>, at which the wall clock shows
    /// <paramref name="localTicks"/> or later. In a spring-forward gap that is the moment of the transition (the clock
    /// jumps past the time); in an autumn overlap it is the first occurrence, or the second when the first is before
    /// <paramref name="notBeforeUtc"/>.
    /// </summary>
    public long FirstInstantAtOrAfter(long localTicks, long notBeforeUtc = long.MinValue)
    {
        if (_transitions.Length == 0)
        {
            return localTicks - _initialOffset;
        }

        var approximate = localTicks - _initialOffset;
        if (approximate < TableStart + (2 * TimeSpan.TicksPerDay) || approximate >= TableEnd - (2 * TimeSpan.TicksPerDay))
        {
            return LocalTime.FirstInstantAtOrAfter(localTicks, Zone, notBeforeUtc);
        }

        approximate = localTicks - OffsetAt(approximate);

        // The transition nearest the approximate instant is the only one that can matter: transitions are months
        // apart and the approximation is within a day of the truth.
        var index = LastTransitionAtOrBefore(approximate);
        if (index + 1 < _transitions.Length && (index < 0 || _transitions[index + 1] - approximate < approximate - _transitions[index]))
        {
            index++;
        }

        if (index < 0)
        {
            return localTicks - _initialOffset;
        }

        var transition = _transitions[index];
        var before = index == 0 ? _initialOffset : _offsets[index - 1];
        var after = _offsets[index];
        var early = localTicks - before;
        var late = localTicks - after;
        var earlyValid = early < transition;
        var lateValid = late >= transition;
        if (earlyValid && lateValid)
        {
            // The wall-clock time occurs twice (autumn): the first occurrence unless it is already past.
            return early >= notBeforeUtc ? early : late;
        }

        if (earlyValid)
        {
            return early;
        }

        // Neither: the time falls in the gap (spring), and the clock reaches it at the transition.
        return lateValid ? late : transition;
    }

    /// <summary>The index of the last transition at or before <paramref name="utcTicks"/> (within the table's years), or -1.</summary>
    private int LastTransitionAtOrBefore(long utcTicks)
    {
        var transitions = _transitions;
        int next = _bucketStart[(utcTicks - TableStart) / BucketTicks];
        while (next < transitions.Length && transitions[next] <= utcTicks)
        {
            next++;
        }

        return next - 1;
    }

    private long OffsetFromTimeZoneInfo(long utcTicks) => Zone.GetUtcOffset(new DateTime(utcTicks, DateTimeKind.Utc)).Ticks;
}
