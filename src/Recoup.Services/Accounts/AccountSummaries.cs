using System.Text;
using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Data.Accounts;
using Recoup.Data.Bulk;
using Recoup.Domain;
using Recoup.Domain.Debtors;
using Recoup.Domain.Ledger;
using Recoup.Services.Storage;

namespace Recoup.Services.Accounts;

/// <summary>Derives an account's <see cref="AccountSummary"/> from its ledger: the one place that knows how.</summary>
public static class AccountSummaries
{
    /// <summary>A new summary for an account; <paramref name="contacts"/> feed the region, time zones and so on, <paramref name="clientCode"/> is the code of the debtor's client (null: none).</summary>
    public static AccountSummary Build(AccountLedger ledger, Debtor debtor, IEnumerable<ContactPoint> contacts, string? clientCode)
    {
        var summary = new AccountSummary
        {
            AccountId = ledger.Account.Id.Value,
            DebtorId = debtor.Id,
            DebtorExternalId = debtor.ExternalId,
            Name = debtor.Name,
            DebtType = debtor.DebtType,
            Currency = ledger.Currency,
            ClientCode = clientCode,
        };
        RefreshContacts(summary, debtor, contacts);
        Refresh(summary, ledger);
        return summary;
    }

    /// <summary>Adds an account's summary to <paramref name="db"/>, to be saved by the caller.</summary>
    public static void Add(RecoupDbContext db, AccountLedger ledger, Debtor debtor, IEnumerable<ContactPoint> contacts, string? clientCode) =>
        db.AccountSummaries.Add(Build(ledger, debtor, contacts, clientCode));

    /// <summary>Updates what the debtors' accounts' (tracked) summaries copy from the debtor and its contact points, to be saved by the caller.</summary>
    public static void RefreshContacts(IEnumerable<AccountSummary> summaries, Func<AccountSummary, Debtor> debtorOf)
    {
        foreach (var summary in summaries)
        {
            var debtor = debtorOf(summary);
            RefreshContacts(summary, debtor, debtor.ContactPoints);
        }
    }

    /// <summary>
    /// For a bulk change to many ledgers (an import): returns the summaries of the new
    /// accounts, to be inserted with them, and loads and refreshes those of the existing accounts in
    /// <paramref name="db"/>, to be saved with them.
    /// </summary>
    /// <param name="debtors">The debtors of the ledgers; contact points are read from the database for those that have none loaded.</param>
    public static async Task<List<AccountSummary>> PrepareAsync(
        RecoupDbContext db, IReadOnlyCollection<AccountLedger> ledgers, Func<AccountLedger, bool> isNew, IReadOnlyDictionary<DebtorId, Debtor> debtors, CancellationToken ct)
    {
        var created = new List<AccountSummary>();
        var existing = new List<AccountLedger>();
        var fresh = ledgers.Where(isNew).ToList();
        var needContacts = fresh.Select(l => l.Account.DebtorId).Where(id => debtors[id].ContactPoints.Count == 0).Distinct().ToList();
        var stored = new List<ContactPoint>();
        foreach (var chunk in needContacts.Chunk(2_000))
        {
            stored.AddRange(await db.ContactPoints.AsNoTracking().Where(c => chunk.Contains(c.DebtorId)).ToListAsync(ct));
        }

        var storedContacts = stored.ToLookup(c => c.DebtorId);
        var clientCodes = await ClientCodesAsync(db, debtors.Values, ct);
        foreach (var ledger in ledgers)
        {
            if (!isNew(ledger))
            {
                existing.Add(ledger);
                continue;
            }

            var debtor = debtors[ledger.Account.DebtorId];
            var points = debtor.ContactPoints.Count > 0 ? debtor.ContactPoints : storedContacts[debtor.Id].ToList();
            created.Add(Build(ledger, debtor, points, ClientCodeOf(debtor, clientCodes)));
        }

        foreach (var chunk in existing.Chunk(2_000))
        {
            var ids = chunk.Select(l => l.Account.Id.Value).ToList();
            var summaries = await db.AccountSummaries.Where(s => ids.Contains(s.AccountId)).ToDictionaryAsync(s => s.AccountId, ct);
            foreach (var ledger in chunk)
            {
                if (summaries.TryGetValue(ledger.Account.Id.Value, out var summary))
                {
                    Refresh(summary, ledger);
                }
                else
                {
                    var debtor = debtors[ledger.Account.DebtorId];
                    var contacts = await db.ContactPoints.AsNoTracking().Where(c => c.DebtorId == debtor.Id).ToListAsync(ct);
                    Add(db, ledger, debtor, contacts, ClientCodeOf(debtor, clientCodes));
                }
            }
        }

        return created;
    }

    /// <summary>The codes of the clients of these debtors, by client id: one small query, none when no debtor has a client.</summary>
    public static async Task<IReadOnlyDictionary<ClientId, string>> ClientCodesAsync(RecoupDbContext db, IEnumerable<Debtor> debtors, CancellationToken ct)
    {
        var ids = debtors.Where(d => d.ClientId is not null).Select(d => d.ClientId!.Value).Distinct().ToList();
        return ids.Count == 0
            ? new Dictionary<ClientId, string>()
            : await db.Clients.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Code, ct);
    }

    /// <summary>The code of the debtor's client among <paramref name="codes"/> (<see cref="ClientCodesAsync"/>), or null.</summary>
    public static string? ClientCodeOf(Debtor debtor, IReadOnlyDictionary<ClientId, string> codes) =>
        debtor.ClientId is { } id ? codes[id] : null;

    /// <summary>Updates what the summary copies from the debtor and the contact points (name, search text, region, language, zones).</summary>
    private static void RefreshContacts(AccountSummary summary, Debtor debtor, IEnumerable<ContactPoint> contacts)
    {
        var points = contacts as IReadOnlyCollection<ContactPoint> ?? contacts.ToList();
        summary.Name = debtor.Name;
        summary.SearchText = SearchTextFor(debtor, points);
        summary.Language = debtor.Language;
        summary.Region = RegionOf(points);
        summary.TimeZones = string.Join(' ', Debtor.PossibleTimeZones(debtor.TimeZone, points));
    }

    /// <summary>The region (state, province) of the primary usable postal address, upper case, or null.</summary>
    public static string? RegionOf(IEnumerable<ContactPoint> contacts)
    {
        var address = contacts.Where(c => c.Kind == ContactKind.Postal && c.IsUsable && c.Address?.Region is not null)
            .OrderByDescending(c => c.IsPrimary).Select(c => c.Address!).FirstOrDefault();
        var region = address?.Region?.Trim().ToUpperInvariant();
        return region is { Length: > 0 and <= 8 } ? region : null;
    }

    /// <summary>Updates the money and due-date columns after the ledger changed; the rest is kept.</summary>
    public static void Refresh(AccountSummary summary, AccountLedger ledger)
    {
        var open = ledger.OpenItems().Where(i => i.OpenMinor > 0).ToList();
        summary.BalanceMinor = ledger.Balance.Minor;
        summary.BalanceSortKey = AccountSummary.SortKeyFor(summary.BalanceMinor, ledger.Currency);
        summary.OpenMinor = open.Sum(i => i.OpenMinor);
        summary.WrittenOffMinor = ledger.WrittenOffOutstanding.Minor;
        summary.InvoiceCount = ledger.Invoices.Count;
        summary.OldestDueDate = open.Count == 0 ? AccountSummary.NothingOpen : open.Min(i => i.DueDate);
        summary.Version = ledger.Account.Version;
    }

    /// <summary>
    /// Writes the money and due-date columns (<see cref="Refresh"/>) of many accounts' summaries after a
    /// bulk posting, in the caller's transaction; returns the ledgers whose account has no summary yet.
    /// The summaries are read, refreshed, deleted and inserted again in bulk (<c>COPY</c> on PostgreSQL).
    /// </summary>
    /// <remarks>
    /// Updating them in place (<c>UPDATE … FROM unnest(…)</c>) was measured slower on PostgreSQL: the
    /// balance columns are indexed, so no update is heap-only and each still writes all nine indexes,
    /// and it leaves a dead row per account besides (docs/benchmarks.md, payment-import).
    /// </remarks>
    public static Task<List<AccountLedger>> WriteMoneyAsync(RecoupDbContext db, IBulkInserter bulk, IReadOnlyList<AccountLedger> ledgers, CancellationToken ct) =>
        RewriteAsync(db, bulk, ledgers, ct);

    /// <summary>The summaries read, refreshed, deleted and inserted again in bulk.</summary>
    private static async Task<List<AccountLedger>> RewriteAsync(RecoupDbContext db, IBulkInserter bulk, IReadOnlyList<AccountLedger> ledgers, CancellationToken ct)
    {
        var guids = ledgers.Select(l => l.Account.Id.Value).ToList();
        var summaries = (await Chunks.QueryAsync(guids, chunk => db.AccountSummaries.AsNoTracking().Where(s => chunk.Contains(s.AccountId)), ct)).ToDictionary(s => s.AccountId);
        var missing = new List<AccountLedger>();
        foreach (var ledger in ledgers)
        {
            if (summaries.TryGetValue(ledger.Account.Id.Value, out var summary))
            {
                Refresh(summary, ledger);
            }
            else
            {
                missing.Add(ledger);
            }
        }

        foreach (var chunk in summaries.Keys.Chunk(Chunks.Size))
        {
            await db.AccountSummaries.Where(s => chunk.Contains(s.AccountId)).ExecuteDeleteAsync(ct);
        }

        await bulk.InsertAsync(db, summaries.Values.ToList(), ct);
        return missing;
    }

    /// <summary>Whether a stored summary says what the ledger says (for <c>verify</c>-style checks).</summary>
    public static bool Matches(AccountSummary stored, AccountLedger ledger)
    {
        var fresh = new AccountSummary { Currency = ledger.Currency };
        Refresh(fresh, ledger);
        return stored.BalanceMinor == fresh.BalanceMinor
            && stored.BalanceSortKey == fresh.BalanceSortKey
            && stored.OpenMinor == fresh.OpenMinor
            && stored.WrittenOffMinor == fresh.WrittenOffMinor
            && stored.InvoiceCount == fresh.InvoiceCount
            && stored.OldestDueDate == fresh.OldestDueDate
            && stored.Currency == ledger.Currency;
    }

    /// <summary>
    /// Lower-case name, debtor id, e-mail addresses and phone digits, joined by <c>|</c>. The name
    /// comes first, so that a prefix match on the column is a prefix match on the name.
    /// </summary>
    /// <summary>
    /// A phone number's digits in one form whether or not it was written with the North American
    /// country code: <c>+1 404 555 0114</c> and <c>(404) 555-0114</c> both give <c>4045550114</c>.
    /// </summary>
    public static string PhoneDigits(string value)
    {
        var digits = Digits(value);
        return digits.Length == 11 && digits[0] == '1' ? digits[1..] : digits;
    }

    public static string SearchTextFor(Debtor debtor, IEnumerable<ContactPoint> contacts)
    {
        var parts = new List<string> { debtor.Name.ToLowerInvariant(), debtor.ExternalId.ToLowerInvariant() };
        foreach (var contact in contacts)
        {
            switch (contact.Kind)
            {
                case ContactKind.Email:
                    parts.Add(contact.Value.ToLowerInvariant());
                    break;
                case ContactKind.Phone when PhoneDigits(contact.Value) is { Length: > 0 } digits:
                    parts.Add(digits);
                    break;
            }
        }

        var text = string.Join('|', parts.Distinct(StringComparer.Ordinal));
        return text.Length <= 2000 ? text : text[..2000];
    }

    /// <summary>The digits of a phone number as typed (<c>+1 (312) 555-0147</c> → <c>13125550147</c>).</summary>
    public static string Digits(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
