using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Recoup.Data.Accounts;
using Recoup.Domain;
using Recoup.Domain.Aging;
using Recoup.Domain.Debtors;
using Recoup.Services.Storage;

namespace Recoup.Services.Accounts;

/// <summary>What the accounts list asks for: a search term, filters, a sort and a page.</summary>
/// <param name="Search">Part of the debtor's name (case-insensitive), the debtor id, a phone number, an e-mail address, or an invoice number.</param>
/// <param name="Bucket">An aging bucket name (<c>current</c>, <c>1-30</c>, … <c>121+</c>): the account's oldest open invoice is in it.</param>
/// <param name="MinBalance">Lowest balance, in major units of the account's currency.</param>
/// <param name="Sort"><c>balance_desc</c>, <c>balance_asc</c>, <c>dpd_desc</c> or <c>name_asc</c>.</param>
/// <param name="Cursor">The <see cref="AccountPage.NextCursor"/> of the previous page.</param>
/// <param name="Limit">Rows per page, 1 to 200.</param>
public sealed record AccountFilter(
    string? Search = null,
    DelinquencyStatus? Status = null,
    string? Bucket = null,
    DebtType? DebtType = null,
    string? Collector = null,
    decimal? MinBalance = null,
    decimal? MaxBalance = null,
    string Sort = "balance_desc",
    string? Cursor = null,
    int Limit = 50,
    string? Client = null)
{
    /// <summary>The <see cref="Client"/> value that asks for the accounts of debtors without a client.</summary>
    public const string NoClient = "none";
}

/// <summary>One account in the list, with its days past due and status as of today.</summary>
public sealed record AccountRow(
    AccountId AccountId, string DebtorId, string Name, DebtType DebtType, Money Balance, int DaysPastDue, DelinquencyStatus Status, string? Collector, string? Client = null);

/// <summary>A page of accounts; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record AccountPage(IReadOnlyList<AccountRow> Rows, string? NextCursor);

/// <summary>
/// The accounts list: search, filters, sorting and keyset pagination over <see cref="AccountSummary"/>,
/// one indexed query however large the portfolio.
/// </summary>
/// <remarks>
/// Days past due and the status are computed from the oldest open due date and today's date when the
/// list is read, so they are right on any day without a nightly update. Balances in different
/// currencies sort together by amount in major units (no exchange rates).
/// </remarks>
public sealed class AccountSearch(RecoupDatabase database, TimeProvider clock)
{
    public const int MaxLimit = 200;
    private const int ProbeSize = 1_000;

    public static IReadOnlyList<string> Sorts { get; } = ["balance_desc", "balance_asc", "dpd_desc", "name_asc"];

    public AccountSearch(RecoupDatabase database)
        : this(database, TimeProvider.System)
    {
    }

    /// <summary>Everything wrong with a filter, each with the field at fault; empty when it can be run.</summary>
    public static IReadOnlyList<Error> Validate(AccountFilter filter)
    {
        var errors = new List<Error>();
        if (!Sorts.Contains(filter.Sort))
        {
            errors.Add(new Error("sort_unknown", $"'{filter.Sort}' is not a sort; use one of {string.Join(", ", Sorts)}", "sort"));
        }
        else if (filter.Cursor is not null && PageCursor.TryDecode(filter.Cursor, filter.Sort) is null)
        {
            errors.Add(new Error("cursor_invalid", "The cursor is not one this list returned for this sort; start again without a cursor", "cursor"));
        }

        if (filter.Bucket is { } bucket && AgingBuckets.Default.Buckets.All(b => b.Name != bucket))
        {
            errors.Add(new Error("bucket_unknown", $"'{bucket}' is not an aging bucket; use one of {string.Join(", ", AgingBuckets.Default.Buckets.Select(b => b.Name))}", "bucket"));
        }

        if (filter.Limit is < 1 or > MaxLimit)
        {
            errors.Add(new Error("limit_out_of_range", $"The limit must be between 1 and {MaxLimit}", "limit"));
        }

        if (filter.MinBalance is { } min && filter.MaxBalance is { } max && min > max)
        {
            errors.Add(new Error("balance_range", "The minimum balance is above the maximum", "min_balance"));
        }

        if (filter.Search is { Length: > 200 })
        {
            errors.Add(new Error("search_too_long", "The search term is longer than 200 characters", "search"));
        }

        return errors;
    }

    public async Task<AccountPage> SearchAsync(AccountFilter filter, CancellationToken ct = default)
    {
        if (Validate(filter) is [var first, ..])
        {
            throw new ArgumentException(first.Message, nameof(filter));
        }

        var today = clock.Today();
        await using var db = database.CreateContext();
        var query = db.AccountSummaries.AsNoTracking();

        var searched = !string.IsNullOrWhiteSpace(filter.Search);
        if (searched)
        {
            query = await SearchAsync(db, query, filter.Search!.Trim(), ct);
        }

        query = ByStatus(query, filter.Status, today);
        query = ByBucket(query, filter.Bucket, today);
        if (filter.DebtType is { } debtType)
        {
            query = query.Where(s => s.DebtType == debtType);
        }

        if (!string.IsNullOrWhiteSpace(filter.Client))
        {
            var client = filter.Client.Trim();
            if (string.Equals(client, AccountFilter.NoClient, StringComparison.OrdinalIgnoreCase))
            {
                query = query.Where(s => s.ClientCode == null);
            }
            else
            {
                var code = Domain.Clients.ClientCode.Normalize(client);
                query = query.Where(s => s.ClientCode == code);
            }
        }

        if (!string.IsNullOrWhiteSpace(filter.Collector))
        {
            var collector = filter.Collector.Trim();
            query = query.Where(s => db.AccountAssignments.Any(a => a.AccountId == s.AccountId && a.Collector == collector));
        }

        if (filter.MinBalance is { } min)
        {
            var key = ToSortKey(min, MidpointRounding.ToPositiveInfinity);
            query = query.Where(s => s.BalanceSortKey >= key);
        }

        if (filter.MaxBalance is { } max)
        {
            var key = ToSortKey(max, MidpointRounding.ToNegativeInfinity);
            query = query.Where(s => s.BalanceSortKey <= key);
        }

        // PostgreSQL cannot know how many rows a search matches, and may walk the sort's index looking
        // for a rare name. So a search first fetches up to ProbeSize matching ids, unsorted (the
        // trigram index's strength); if that is all of them, the page is sorted from those ids alone.
        // A term that matches more is common enough for walking the sort's index to find a page soon.
        if (searched)
        {
            var ids = await query.Select(s => s.AccountId).Take(ProbeSize + 1).ToListAsync(ct);
            if (ids.Count <= ProbeSize)
            {
                query = db.AccountSummaries.AsNoTracking().Where(s => ids.Contains(s.AccountId));
            }
        }

        var cursor = PageCursor.TryDecode(filter.Cursor, filter.Sort);
        var rows = await Sorted(query, filter.Sort, cursor).Take(filter.Limit + 1).ToListAsync(ct);
        var page = rows.Take(filter.Limit).ToList();
        var next = rows.Count > filter.Limit ? CursorAfter(page[^1], filter.Sort).Encode() : null;
        var pageIds = page.Select(s => s.AccountId).ToList();
        var collectors = await db.AccountAssignments.AsNoTracking().Where(a => pageIds.Contains(a.AccountId))
            .ToDictionaryAsync(a => a.AccountId, a => a.Collector, ct);
        return new AccountPage(page.Select(s => ToRow(s, today, collectors.GetValueOrDefault(s.AccountId))).ToList(), next);
    }

    /// <summary>The row an account's summary shows as of <paramref name="asOf"/>, with the account's collector (from its assignment).</summary>
    public static AccountRow ToRow(AccountSummary summary, DateOnly asOf, string? collector)
    {
        var daysPastDue = DaysPastDue(summary, asOf);
        var status = DelinquencyPolicy.Default.StatusOf(new DelinquencyFacts(summary.OpenMinor, daysPastDue, summary.WrittenOffMinor, summary.InvoiceCount));
        return new AccountRow(
            new AccountId(summary.AccountId), summary.DebtorExternalId, summary.Name, summary.DebtType,
            new Money(summary.BalanceMinor, summary.Currency), daysPastDue, status, collector, summary.ClientCode);
    }

    public static int DaysPastDue(AccountSummary summary, DateOnly asOf) =>
        summary.OldestDueDate == AccountSummary.NothingOpen ? 0 : Math.Max(0, AgingBuckets.DaysPastDue(summary.OldestDueDate, asOf));

    private static async Task<IQueryable<AccountSummary>> SearchAsync(Data.RecoupDbContext db, IQueryable<AccountSummary> query, string term, CancellationToken ct)
    {
        // An invoice number is matched exactly, through the invoices' unique index.
        var upper = term.ToUpperInvariant();
        var byInvoice = await db.Invoices.AsNoTracking()
            .Where(i => i.Number == term || i.Number == upper)
            .Select(i => i.AccountId)
            .ToListAsync(ct);
        var invoiceAccounts = byInvoice.Select(a => a.Value).ToList();

        // Anything else is part of the search text: a phone number as its digits, the rest lower-case.
        var text = LooksLikePhone(term) ? AccountSummaries.PhoneDigits(term) : term.ToLowerInvariant();
        var escaped = text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

        // Trigrams need three characters; a shorter term matches the start of the name.
        var pattern = text.Length >= 3 ? $"%{escaped}%" : $"{escaped}%";
        // A debtor id is also matched exactly, however short.
        return invoiceAccounts.Count == 0
            ? query.Where(s => EF.Functions.Like(s.SearchText, pattern, "\\") || s.DebtorExternalId == term || s.DebtorExternalId == upper)
            : query.Where(s => EF.Functions.Like(s.SearchText, pattern, "\\") || s.DebtorExternalId == term || s.DebtorExternalId == upper || invoiceAccounts.Contains(s.AccountId));
    }

    private static bool LooksLikePhone(string term) =>
        term.All(c => char.IsAsciiDigit(c) || c is '+' or ' ' or '-' or '(' or ')' or '.') && term.Count(char.IsAsciiDigit) >= 4;

    private static IQueryable<AccountSummary> ByStatus(IQueryable<AccountSummary> query, DelinquencyStatus? status, DateOnly today)
    {
        if (status is not { } wanted)
        {
            return query;
        }

        var nothingOpen = AccountSummary.NothingOpen;
        var delinquentBefore = today.AddDays(-DelinquencyPolicy.Default.DelinquentAfterDays);
        return wanted switch
        {
            DelinquencyStatus.Delinquent => query.Where(s => s.OldestDueDate < delinquentBefore),
            DelinquencyStatus.PastDue => query.Where(s => s.OldestDueDate >= delinquentBefore && s.OldestDueDate < today),
            DelinquencyStatus.Current => query.Where(s =>
                (s.OldestDueDate >= today && s.OldestDueDate < nothingOpen) || (s.OldestDueDate == nothingOpen && s.WrittenOffMinor <= 0 && s.InvoiceCount == 0)),
            DelinquencyStatus.WrittenOff => query.Where(s => s.OldestDueDate == nothingOpen && s.WrittenOffMinor > 0),
            DelinquencyStatus.Paid => query.Where(s => s.OldestDueDate == nothingOpen && s.WrittenOffMinor <= 0 && s.InvoiceCount > 0),
        };
    }

    /// <summary>Accounts whose oldest open invoice is in the bucket: a range of due dates.</summary>
    private static IQueryable<AccountSummary> ByBucket(IQueryable<AccountSummary> query, string? name, DateOnly today)
    {
        if (name is null)
        {
            return query;
        }

        var bucket = AgingBuckets.Default.Buckets.Single(b => b.Name == name);
        var dueFrom = bucket.ToDays is { } to ? today.AddDays(-to) : DateOnly.MinValue;
        var dueTo = bucket.FromDays is { } from ? today.AddDays(-from) : AccountSummary.NothingOpen.AddDays(-1);
        return query.Where(s => s.OldestDueDate >= dueFrom && s.OldestDueDate <= dueTo);
    }

    private static long ToSortKey(decimal major, MidpointRounding rounding)
    {
        var scaled = decimal.Round(major * 10_000m, 0, rounding);
        return scaled >= long.MaxValue ? long.MaxValue : scaled <= long.MinValue ? long.MinValue : decimal.ToInt64(scaled);
    }

    private static IQueryable<AccountSummary> Sorted(IQueryable<AccountSummary> query, string sort, PageCursor? cursor)
    {
        // Keyset pagination: "key ≤ k and (key < k or id < last id)" keeps the first condition usable by the index.
        var id = cursor?.Id ?? Guid.Empty;
        switch (sort)
        {
            case "balance_desc":
                if (cursor is not null)
                {
                    var key = long.Parse(cursor.Key, CultureInfo.InvariantCulture);
                    query = query.Where(s => s.BalanceSortKey <= key && (s.BalanceSortKey < key || s.AccountId < id));
                }

                return query.OrderByDescending(s => s.BalanceSortKey).ThenByDescending(s => s.AccountId);
            case "balance_asc":
                if (cursor is not null)
                {
                    var key = long.Parse(cursor.Key, CultureInfo.InvariantCulture);
                    query = query.Where(s => s.BalanceSortKey >= key && (s.BalanceSortKey > key || s.AccountId > id));
                }

                return query.OrderBy(s => s.BalanceSortKey).ThenBy(s => s.AccountId);
            case "dpd_desc":
                if (cursor is not null)
                {
                    var parts = cursor.Key.Split('|');
                    var due = DateOnly.ParseExact(parts[0], "yyyy-MM-dd", CultureInfo.InvariantCulture);
                    var key = long.Parse(parts[1], CultureInfo.InvariantCulture);
                    query = query.Where(s => s.OldestDueDate >= due
                        && (s.OldestDueDate > due || (s.BalanceSortKey <= key && (s.BalanceSortKey < key || s.AccountId < id))));
                }

                return query.OrderBy(s => s.OldestDueDate).ThenByDescending(s => s.BalanceSortKey).ThenByDescending(s => s.AccountId);
            default:
                if (cursor is not null)
                {
                    var name = cursor.Key;
                    query = query.Where(s => string.Compare(s.Name, name) >= 0 && (string.Compare(s.Name, name) > 0 || s.AccountId > id));
                }

                return query.OrderBy(s => s.Name).ThenBy(s => s.AccountId);
        }
    }

    private static PageCursor CursorAfter(AccountSummary last, string sort) => sort switch
    {
        "balance_desc" or "balance_asc" => new PageCursor(sort, last.BalanceSortKey.ToString(CultureInfo.InvariantCulture), last.AccountId),
        "dpd_desc" => new PageCursor(sort, string.Create(CultureInfo.InvariantCulture, $"{last.OldestDueDate:yyyy-MM-dd}|{last.BalanceSortKey}"), last.AccountId),
        _ => new PageCursor(sort, last.Name, last.AccountId),
    };
}
