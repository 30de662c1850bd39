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

    /// <summary>The distinct debt ids of the history, in order of appearance; the first 64 have a bit in <see cref="Slot.Mask"/>.</summary>
    private readonly string[] _debtIds;

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

        var ids = new List<string>();
        _slots = new Slot[_entries.Length];
        for (var i = 0; i < _entries.Length; i++)
        {
            _slots[i] = Slot.Of(_entries[i], ids);
        }

        _debtIds = [.. ids];
    }

    private ContactHistory(ContactHistoryEntry[] sorted, Slot[] slots, string[] debtIds)
    {
        _entries = sorted;
        _slots = slots;
        _debtIds = debtIds;
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
        var ids = new List<string>(_debtIds);
        var slots = new Slot[_slots.Length + 1];
        Array.Copy(_slots, 0, slots, 0, position);
        slots[position] = Slot.Of(entry, ids);
        Array.Copy(_slots, position, slots, position + 1, _slots.Length - position);
        return new ContactHistory(entries, slots, ids.Count == _debtIds.Length ? _debtIds : [.. ids]);
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

    /// <summary>The bit of a debt id in <see cref="Slot.Mask"/>; 0 when no entry names it, or it is past the 64th id.</summary>
    internal ulong BitOf(string debtId)
    {
        var ids = _debtIds;
        for (var i = 0; i < ids.Length && i < 64; i++)
        {
            if (ReferenceEquals(ids[i], debtId) || string.Equals(ids[i], debtId, StringComparison.Ordinal))
            {
                return 1UL << i;
            }
        }

        return 0;
    }

    /// <inheritdoc/>
    public IEnumerator<ContactHistoryEntry> GetEnumerator() => ((IEnumerable<ContactHistoryEntry>)_entries).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>An entry as the gate scans it: 40 bytes inline, its debts as a bit mask (no pointer to follow).</summary>
    internal readonly struct Slot
    {
        private readonly byte _channel;
        private readonly byte _direction;
        private readonly byte _outcome;
        private readonly byte _flags;

        private Slot(ContactHistoryEntry entry, ulong mask, bool allDebts, bool overflow)
        {
            Ticks = entry.At.UtcTicks;
            ConsentTicks = entry.DirectConsentAt?.UtcTicks ?? long.MinValue;
            Mask = mask;
            DebtIds = overflow ? [.. entry.DebtIds] : null;
            _channel = (byte)entry.Channel;
            _direction = (byte)entry.Direction;
            _outcome = (byte)entry.Outcome;
            _flags = (byte)((allDebts ? 1 : 0) | (overflow ? 2 : 0));
        }

        public long Ticks { get; }

        /// <summary>UTC ticks of the debtor's direct consent; <see cref="long.MinValue"/> when none.</summary>
        public long ConsentTicks { get; }

        /// <summary>The entry's debts, one bit per id of the history.</summary>
        public ulong Mask { get; }

        /// <summary>The entry's debt ids, kept only when some of them are past the 64th distinct id of the history.</summary>
        public string[]? DebtIds { get; }

        public ContactChannel Channel => (ContactChannel)_channel;

        public ContactDirection Direction => (ContactDirection)_direction;

        public ContactOutcome Outcome => (ContactOutcome)_outcome;

        /// <summary>The entry names no debt, so it concerns every debt.</summary>
        public bool AllDebts => (_flags & 1) != 0;

        public static Slot Of(ContactHistoryEntry entry, List<string> ids)
        {
            ulong mask = 0;
            var overflow = false;
            foreach (var id in entry.DebtIds)
            {
                var index = ids.FindIndex(known => string.Equals(known, id, StringComparison.Ordinal));
                if (index < 0)
                {
                    index = ids.Count;
                    ids.Add(id);
                }

                if (index < 64)
                {
                    mask |= 1UL << index;
                }
                else
                {
                    overflow = true;
                }
            }

            return new Slot(entry, mask, entry.DebtIds.Count == 0, overflow);
        }

        /// <summary>The entry concerned <paramref name="debtId"/>, whose bit (<see cref="BitOf"/>) is <paramref name="bit"/> (an entry naming no debt concerns them all).</summary>
        public bool Covers(string debtId, ulong bit)
        {
            if ((Mask & bit) != 0 || AllDebts)
            {
                return true;
            }

            if (DebtIds is not { } ids)
            {
                return false;
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
