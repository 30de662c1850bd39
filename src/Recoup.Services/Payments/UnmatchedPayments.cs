using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Recoup.Data.Payments;
using Recoup.Domain;
using Recoup.Domain.Payments;
using Recoup.Services.Accounts;
using Recoup.Services.Storage;

namespace Recoup.Services.Payments;

/// <summary>A payment in the unmatched queue, as a person sees it: what the bank said, why it was not posted, and the best suggestions.</summary>
public sealed record UnmatchedView(
    Guid Id,
    Guid ImportId,
    string FileName,
    int Line,
    Money Amount,
    DateOnly? ValueDate,
    string? PayerName,
    string? BankReference,
    IReadOnlyList<string> References,
    string? RemittanceText,
    string TypeCode,
    string Reason,
    IReadOnlyList<MatchSuggestion> Suggestions,
    UnmatchedStatus Status,
    DateTimeOffset CreatedAt,
    Guid? MatchedAccountId,
    Guid? MatchedEntryId,
    string? MatchedBy,
    DateTimeOffset? MatchedAt)
{
    public string? ReturnReason { get; init; }
    public string? ReturnedBy { get; init; }
    public DateTimeOffset? ReturnedAt { get; init; }
}

/// <summary>A page of the queue, oldest first; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record UnmatchedPage(IReadOnlyList<UnmatchedView> Items, string? NextCursor);

/// <summary>An account found by a person's search on the unmatched-payments screen.</summary>
public sealed record AccountHit(AccountId AccountId, string DebtorId, string Name, Money Balance, IReadOnlyList<(string Number, Money Open)> OpenInvoices);

/// <summary>The unmatched-payments queue: listing it, one payment, and searching accounts to match one to.</summary>
public sealed class UnmatchedPayments(RecoupDatabase database, TimeProvider clock)
{
    public const int MaxLimit = 200;

    public async Task<Result<UnmatchedPage>> ListAsync(UnmatchedStatus? status = UnmatchedStatus.Open, string? cursor = null, int limit = 50, CancellationToken ct = default)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return Result<UnmatchedPage>.Fail("limit_out_of_range", $"The limit must be between 1 and {MaxLimit}", "limit");
        }

        Guid after = Guid.Empty;
        if (cursor is not null && !Guid.TryParse(cursor, out after))
        {
            return Result<UnmatchedPage>.Fail("cursor_invalid", "The cursor is not one this list returned; start again without a cursor", "cursor");
        }

        await using var db = database.CreateContext();
        var query = db.UnmatchedPayments.AsNoTracking().Where(p => p.Id > after);
        if (status is { } wanted)
        {
            query = query.Where(p => p.Status == wanted);
        }

        var rows = await query.OrderBy(p => p.Id).Take(limit + 1).ToListAsync(ct);
        var page = rows.Take(limit).ToList();
        var names = await FileNamesAsync(db, page, ct);
        return new UnmatchedPage(page.Select(p => View(p, names)).ToList(), rows.Count > limit ? page[^1].Id.ToString() : null);
    }

    public async Task<UnmatchedView?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var row = await db.UnmatchedPayments.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        return row is null ? null : View(row, await FileNamesAsync(db, [row], ct));
    }

    /// <summary>The record of one payment file import, or null.</summary>
    public async Task<PaymentImport?> GetImportAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        return await db.PaymentImports.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, ct);
    }

    /// <summary>
    /// Accounts in <paramref name="currency"/> for a person's search: an invoice number, a debtor id,
    /// an amount (the balance or what is open on an invoice, e.g. <c>1234.50</c>), or part of a name.
    /// </summary>
    public async Task<IReadOnlyList<AccountHit>> SearchAccountsAsync(string text, Currency currency, int limit = 10, CancellationToken ct = default)
    {
        var term = text.Trim();
        if (term.Length == 0)
        {
            return [];
        }

        await using var db = database.CreateContext();
        var ids = new List<Guid>();
        ids.AddRange((await db.Invoices.Where(i => i.Number == term || i.Number == term.ToUpperInvariant()).Select(i => i.AccountId).ToListAsync(ct)).Select(a => a.Value));
        ids.AddRange(await db.AccountSummaries.Where(s => s.DebtorExternalId == term || s.DebtorExternalId == term.ToUpperInvariant()).Select(s => s.AccountId).ToListAsync(ct));
        if (Guid.TryParse(term, out var accountId))
        {
            ids.Add(accountId);
        }

        if (decimal.TryParse(term.Replace(",", "", StringComparison.Ordinal), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var major)
            && decimal.Round(major, currency.Exponent) == major)
        {
            var minor = Money.FromMajor(major, currency, MidpointRounding.ToEven).Minor;
            ids.AddRange(await db.AccountSummaries.Where(s => s.BalanceMinor == minor && s.Currency == currency).OrderBy(s => s.AccountId).Select(s => s.AccountId).Take(limit).ToListAsync(ct));
            ids.AddRange((await db.Allocations.Where(a => a.InvoiceId != null).GroupBy(a => new { a.AccountId, a.InvoiceId })
                .Where(g => g.Sum(a => a.AmountMinor) == minor).Select(g => g.Key.AccountId).Take(limit).ToListAsync(ct)).Select(a => a.Value));
        }
        else if (ids.Count == 0)
        {
            var found = await new AccountSearch(database, clock).SearchAsync(new AccountFilter(Search: term, Limit: limit), ct);
            ids.AddRange(found.Rows.Select(r => r.AccountId.Value));
        }

        var wanted = ids.Distinct().ToList();
        var summaries = await db.AccountSummaries.AsNoTracking().Where(s => wanted.Contains(s.AccountId) && s.Currency == currency).ToListAsync(ct);
        var accountIds = summaries.Select(s => new AccountId(s.AccountId)).ToList();
        var open = await db.Invoices.AsNoTracking().Where(i => accountIds.Contains(i.AccountId))
            .Select(i => new { i.AccountId, i.Number, i.DueDate, Open = db.Allocations.Where(a => a.InvoiceId == i.Id).Sum(a => a.AmountMinor) })
            .Where(i => i.Open > 0)
            .ToListAsync(ct);
        var byAccount = open.ToLookup(i => i.AccountId.Value);
        return summaries
            .OrderBy(s => wanted.IndexOf(s.AccountId))
            .Take(limit)
            .Select(s => new AccountHit(new AccountId(s.AccountId), s.DebtorExternalId, s.Name, new Money(s.BalanceMinor, s.Currency),
                byAccount[s.AccountId].OrderBy(i => i.DueDate).Select(i => (i.Number, new Money(i.Open, s.Currency))).ToList()))
            .ToList();
    }

    private static async Task<Dictionary<Guid, string>> FileNamesAsync(Data.RecoupDbContext db, List<UnmatchedPayment> rows, CancellationToken ct)
    {
        var imports = rows.Select(r => r.ImportId).Distinct().ToList();
        return await db.PaymentImports.AsNoTracking().Where(i => imports.Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => i.FileName, ct);
    }

    private static UnmatchedView View(UnmatchedPayment p, Dictionary<Guid, string> files) => new(
        p.Id, p.ImportId, files.GetValueOrDefault(p.ImportId, ""), p.Line, p.Amount, p.ValueDate, p.PayerName, p.BankReference, p.ReferenceList, p.RemittanceText, p.TypeCode,
        p.Reason, SuggestionJson.Read(p.Suggestions), p.Status, p.CreatedAt, p.MatchedAccountId, p.MatchedEntryId, p.MatchedBy, p.MatchedAt)
        {
            ReturnReason = p.ReturnReason,
            ReturnedBy = p.ReturnedBy,
            ReturnedAt = p.ReturnedAt,
        };
}
