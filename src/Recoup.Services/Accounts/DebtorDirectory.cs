using Microsoft.EntityFrameworkCore;
using Recoup.Domain;
using Recoup.Domain.Debtors;
using Recoup.Services.Storage;

namespace Recoup.Services.Accounts;

/// <summary>A debtor in the debtors list.</summary>
public sealed record DebtorListItem(string DebtorId, string Name, DebtorKind Kind, DebtType DebtType, string? TimeZone, DateTimeOffset CreatedAt);

/// <summary>A page of debtors in debtor-id order; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record DebtorPage(IReadOnlyList<DebtorListItem> Items, string? NextCursor);

/// <summary>A debtor with their accounts (one per currency).</summary>
public sealed record DebtorDetail(DebtorListItem Debtor, IReadOnlyList<AccountRow> Accounts);

/// <summary>Debtors and their contact points, by the creditor's debtor id.</summary>
public sealed class DebtorDirectory(RecoupDatabase database, TimeProvider clock)
{
    public const int MaxLimit = 200;
    private const string Sort = "debtor_id";

    public static bool IsValidCursor(string? cursor) => cursor is null || PageCursor.TryDecode(cursor, Sort) is not null;

    public async Task<DebtorPage> ListAsync(string? cursor, int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);
        var after = cursor is null ? null : PageCursor.TryDecode(cursor, Sort) ?? throw new ArgumentException("The cursor is not one the debtors list returned", nameof(cursor));

        await using var db = database.CreateContext();
        var query = db.Debtors.AsNoTracking();
        if (after is not null)
        {
            var last = after.Key;
            query = query.Where(d => string.Compare(d.ExternalId, last) > 0);
        }

        var rows = await query.OrderBy(d => d.ExternalId).Take(limit + 1).ToListAsync(ct);
        var page = rows.Take(limit).Select(ToItem).ToList();
        var next = rows.Count > limit ? new PageCursor(Sort, page[^1].DebtorId, Guid.Empty).Encode() : null;
        return new DebtorPage(page, next);
    }

    public async Task<Result<DebtorDetail>> GetAsync(string debtorId, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var debtor = await db.Debtors.AsNoTracking().FirstOrDefaultAsync(d => d.ExternalId == debtorId, ct);
        if (debtor is null)
        {
            return NotFound<DebtorDetail>(debtorId);
        }

        var today = clock.Today();
        var summaries = await db.AccountSummaries.AsNoTracking().Where(s => s.DebtorId == debtor.Id).ToListAsync(ct);
        var ids = summaries.Select(s => s.AccountId).ToList();
        var collectors = await db.AccountAssignments.AsNoTracking().Where(a => ids.Contains(a.AccountId)).ToDictionaryAsync(a => a.AccountId, a => a.Collector, ct);
        var accounts = summaries
            .OrderBy(s => s.Currency.Code, StringComparer.Ordinal)
            .Select(s => AccountSearch.ToRow(s, today, collectors.GetValueOrDefault(s.AccountId)))
            .ToList();
        return Result<DebtorDetail>.Ok(new DebtorDetail(ToItem(debtor), accounts));
    }

    public async Task<Result<IReadOnlyList<ContactView>>> ContactsAsync(string debtorId, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var debtor = await db.Debtors.AsNoTracking().Include(d => d.ContactPoints).FirstOrDefaultAsync(d => d.ExternalId == debtorId, ct);
        if (debtor is null)
        {
            return NotFound<IReadOnlyList<ContactView>>(debtorId);
        }

        IReadOnlyList<ContactView> contacts = debtor.ContactPoints
            .OrderBy(c => c.Kind).ThenByDescending(c => c.IsPrimary).ThenBy(c => c.Value, StringComparer.Ordinal)
            .Select(c => new ContactView(c.Kind, c.Value, c.Status, c.Source, c.IsPrimary))
            .ToList();
        return Result<IReadOnlyList<ContactView>>.Ok(contacts);
    }

    private static DebtorListItem ToItem(Debtor d) => new(d.ExternalId, d.Name, d.Kind, d.DebtType, d.TimeZone, d.CreatedAt);

    private static Result<T> NotFound<T>(string debtorId) => Result<T>.Fail("debtor_not_found", $"There is no debtor '{debtorId}'");
}
