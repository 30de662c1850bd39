using Recoup.Domain;
using Recoup.Services.Holds;
using Recoup.Services.Placements;

namespace Recoup.Web.Components.Holds;

/// <summary>
/// Which accounts of a list are held or placed, read once per list (two queries) however many rows ask: the first
/// <see cref="HeldTag"/> of a list loads the marks of all its rows.
/// </summary>
public sealed class HoldMarks(CollectionHolds holds, AccountPlacements placements)
{
    private readonly Dictionary<object, Task<(IReadOnlyDictionary<Guid, HeldMark> Held, IReadOnlyDictionary<Guid, string> Placed)>> _lists =
        new(ReferenceEqualityComparer.Instance);

    public Task<(IReadOnlyDictionary<Guid, HeldMark> Held, IReadOnlyDictionary<Guid, string> Placed)> ForAsync(object list, IEnumerable<AccountId> accounts)
    {
        if (!_lists.TryGetValue(list, out var marks))
        {
            _lists[list] = marks = LoadAsync(accounts.Select(a => a.Value).ToList());
        }

        return marks;
    }

    private async Task<(IReadOnlyDictionary<Guid, HeldMark>, IReadOnlyDictionary<Guid, string>)> LoadAsync(List<Guid> ids) =>
        (await holds.HeldAsync(ids), await placements.PlacedAsync(ids));
}
