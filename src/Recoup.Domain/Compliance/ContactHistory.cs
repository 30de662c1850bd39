using System.Collections;

namespace Recoup.Domain.Compliance;

/// <summary>One past contact with the debtor.</summary>
/// <param name="At">When the call was placed or received, or the message sent.</param>
/// <param name="Channel">Call, SMS, e-mail or letter.</param>
/// <param name="Direction">Placed by us (outbound) or by the debtor (inbound).</param>
/// <param name="ContactPointId">The number or address used, when known.</param>
/// <param name="DebtIds">The debts it concerned; empty means every debt of the case (a conversation whose subject was not recorded counts for all).</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="DirectConsentAt">When the debtor directly consented to this call, if it was made at their request.</param>
public sealed record ContactHistoryEntry(
    DateTimeOffset At,
    ContactChannel Channel,
    ContactDirection Direction,
    string? ContactPointId,
    IReadOnlyList<string> DebtIds,
    ContactOutcome Outcome,
    DateTimeOffset? DirectConsentAt = null);

/// <summary>
/// A debtor's contact history, sorted by time once when it is built, so that the gate can find a window of it by
/// binary search and scan it without sorting or allocating.
/// </summary>
public sealed class ContactHistory : IReadOnlyList<ContactHistoryEntry>
{
    private readonly ContactHistoryEntry[] _entries;
    private readonly Slot[] _slots;

    /// <summary>Sorts <paramref name="entries"/> by time (stable: entries at the same instant keep their order).</summary>
    public ContactHistory(IEnumerable<ContactHistoryEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var list = entries.ToArray();
        var keys = new long[list.Length];
        var order = new int[list.Length];
        for (var i = 0; i < list.Length; i++)
        {
            keys[i] = list[i].At.UtcTicks;
            order[i] = i;
        }

        // Array.Sort is not stable; sorting (ticks, original index) pairs is.
        Array.Sort(order, (a, b) => keys[a] != keys[b] ? keys[a].CompareTo(keys[b]) : a.CompareTo(b));
        _entries = new ContactHistoryEntry[list.Length];
        for (var i = 0; i < order.Length; i++)
        {
            _entries[i] = list[order[i]];
        }

        _slots = BuildSlots(_entries);
    }

    private ContactHistory(ContactHistoryEntry[] sorted, Slot[] slots)
    {
        _entries = sorted;
        _slots = slots;
    }

    /// <summary>No contact yet.</summary>
    public static ContactHistory Empty { get; } = new([]);

    /// <inheritdoc/>
    public int Count => _entries.Length;

    /// <inheritdoc/>
    public ContactHistoryEntry this[int index] => _entries[index];

    internal ReadOnlySpan<Slot> Slots => _slots;

    /// <summary>A new history with <paramref name="entry"/> added in its place (the usual case, a contact just made, goes at the end).</summary>
    public ContactHistory Append(ContactHistoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var position = _entries.Length;
        while (position > 0 && _entries[position - 1].At.UtcTicks > entry.At.UtcTicks)
        {
            position--;
        }

        var entries = new ContactHistoryEntry[_entries.Length + 1];
        Array.Copy(_entries, 0, entries, 0, position);
        entries[position] = entry;
        Array.Copy(_entries, position, entries, position + 1, _entries.Length - position);
        var slots = new Slot[_slots.Length + 1];
        Array.Copy(_slots, 0, slots, 0, position);
        slots[position] = Slot.Of(entry);
        Array.Copy(_slots, position, slots, position + 1, _slots.Length - position);
        return new ContactHistory(entries, slots);
    }

    /// <summary>The number of entries at or before <paramref name="utcTicks"/>.</summary>
    internal int CountAtOrBefore(long utcTicks)
    {
        int low = 0, high = _slots.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_slots[middle].Ticks <= utcTicks)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <inheritdoc/>
    public IEnumerator<ContactHistoryEntry> GetEnumerator() => ((IEnumerable<ContactHistoryEntry>)_entries).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static Slot[] BuildSlots(ContactHistoryEntry[] entries)
    {
        var slots = new Slot[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            slots[i] = Slot.Of(entries[i]);
        }

        return slots;
    }

    /// <summary>An entry as the gate scans it: fields inline, debt ids as an array.</summary>
    internal readonly struct Slot
    {
        public required long Ticks { get; init; }
        public required ContactChannel Channel { get; init; }
        public required ContactDirection Direction { get; init; }
        public required ContactOutcome Outcome { get; init; }

        /// <summary>UTC ticks of the debtor's direct consent; <see cref="long.MinValue"/> when none.</summary>
        public required long ConsentTicks { get; init; }

        public required string[] DebtIds { get; init; }

        public static Slot Of(ContactHistoryEntry entry) => new()
        {
            Ticks = entry.At.UtcTicks,
            Channel = entry.Channel,
            Direction = entry.Direction,
            Outcome = entry.Outcome,
            ConsentTicks = entry.DirectConsentAt?.UtcTicks ?? long.MinValue,
            DebtIds = [.. entry.DebtIds],
        };

        /// <summary>The entry concerned <paramref name="debtId"/> (an entry naming no debt concerns them all).</summary>
        public bool Covers(string debtId)
        {
            var ids = DebtIds;
            if (ids.Length == 0)
            {
                return true;
            }

            for (var i = 0; i < ids.Length; i++)
            {
                if (ReferenceEquals(ids[i], debtId) || string.Equals(ids[i], debtId, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
