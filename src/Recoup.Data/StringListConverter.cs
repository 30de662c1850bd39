using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Recoup.Data;

/// <summary>A short list of codes (time zones, regions, user names) stored as one text column, separated by spaces.</summary>
internal sealed class StringListConverter() : ValueConverter<IReadOnlyList<string>, string>(
    items => string.Join(' ', items),
    text => text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
{
    public static readonly ValueComparer<IReadOnlyList<string>> Comparer = new(
        (a, b) => a!.SequenceEqual(b!), items => items.Aggregate(0, (h, i) => HashCode.Combine(h, i.GetHashCode(StringComparison.Ordinal))), items => items.ToArray());
}
