using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Recoup.Domain;
using Recoup.Services.Storage;

namespace Recoup.Services.Risk;

/// <summary>An account's stored risk score with its reasons, largest first, and the business date it has held since.</summary>
public sealed record StoredRiskScore(int Score, DateOnly ScoredOn, IReadOnlyList<StoredRiskReason> Reasons);

/// <summary>The risk score the daily run last stored for an account (the account page).</summary>
public sealed class AccountRiskScores(RecoupDatabase database)
{
    /// <summary>The account's score, or null when no daily run has scored it yet.</summary>
    public async Task<StoredRiskScore?> GetAsync(AccountId accountId, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        return await ReadAsync(db, accountId, ct);
    }

    /// <summary>For the API: whether the account exists, and its score (null when no daily run has scored it yet).</summary>
    public async Task<(bool AccountExists, StoredRiskScore? Score)> FindAsync(AccountId accountId, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        return await db.Accounts.AnyAsync(a => a.Id == accountId, ct) ? (true, await ReadAsync(db, accountId, ct)) : (false, null);
    }

    private static async Task<StoredRiskScore?> ReadAsync(Data.RecoupDbContext db, AccountId accountId, CancellationToken ct)
    {
        var row = await db.AccountRiskScores.AsNoTracking().Where(r => r.AccountId == accountId.Value).SingleOrDefaultAsync(ct);
        return row is null
            ? null
            : new StoredRiskScore(row.Score, row.ScoredOn, JsonSerializer.Deserialize<List<StoredRiskReason>>(row.Reasons, RiskAssessments.Json) ?? []);
    }
}
