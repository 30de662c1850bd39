using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Domain;
using Recoup.Services.Storage;

namespace Recoup.Services.WorkQueues;

/// <summary>The collector each account is assigned to, for work that gives tasks to collectors in bulk.</summary>
public static class AccountOwners
{
    /// <summary>Assigned accounts only: an account nobody is assigned is not in the answer.</summary>
    public static async Task<Dictionary<AccountId, string>> LoadAsync(RecoupDbContext db, IEnumerable<AccountId> accounts, CancellationToken ct)
    {
        var ids = accounts.Select(a => a.Value).Distinct().ToList();
        var assignments = await Chunks.QueryAsync(ids, chunk => db.AccountAssignments.AsNoTracking().Where(a => chunk.Contains(a.AccountId)), ct);
        return assignments.ToDictionary(a => new AccountId(a.AccountId), a => a.Collector);
    }
}
