using Microsoft.EntityFrameworkCore;
using Recoup.Data.Accounts;
using Recoup.Services.Accounts;
using Recoup.Services.Storage;

namespace Recoup.Browser.Tests;

/// <summary>Picks the accounts a test works on from the generated portfolio, so each test states what matters to it.</summary>
public static class Portfolio
{
    /// <summary>
    /// An account with something open whose debtor's full name finds it and nothing else (the
    /// generator reuses first and last names), skipping the first <paramref name="skip"/> such accounts
    /// so that tests do not share one.
    /// </summary>
    public static async Task<AccountSummary> UniquelyNamedAsync(RecoupDatabase database, int skip = 0)
    {
        await using var db = database.CreateContext();
        var candidates = await db.AccountSummaries.AsNoTracking()
            .Where(s => s.OpenMinor > 0)
            .OrderBy(s => s.DebtorExternalId)
            .Take(200)
            .ToListAsync();
        var search = new AccountSearch(database);
        foreach (var candidate in candidates)
        {
            var found = await search.SearchAsync(new AccountFilter(Search: candidate.Name));
            if (found.Rows is [var only] && only.AccountId.Value == candidate.AccountId && skip-- == 0)
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("The generated portfolio has no uniquely named account with something open.");
    }

    /// <summary>An invoice with something open on it, and the summary of its account.</summary>
    public static async Task<(string Number, AccountSummary Account)> OpenInvoiceAsync(RecoupDatabase database)
    {
        await using var db = database.CreateContext();
        var account = await db.AccountSummaries.AsNoTracking()
            .Where(s => s.OpenMinor > 0)
            .OrderByDescending(s => s.DebtorExternalId)
            .FirstAsync();
        var number = await db.Invoices.AsNoTracking()
            .Where(i => i.AccountId == new Domain.AccountId(account.AccountId))
            .OrderByDescending(i => i.DueDate)
            .Select(i => i.Number)
            .FirstAsync();
        return (number, account);
    }
}
