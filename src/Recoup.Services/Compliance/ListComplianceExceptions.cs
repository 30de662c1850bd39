using Microsoft.EntityFrameworkCore;
using Recoup.Domain;
using Recoup.Services.Storage;

namespace Recoup.Services.Compliance;

/// <summary>A debtor's compliance exceptions, newest first: in force, to come, ended and revoked alike (none is ever deleted).</summary>
public sealed class ListComplianceExceptions(RecoupDatabase database)
{
    public async Task<Result<IReadOnlyList<ExceptionGrantView>>> RunAsync(string debtorId, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var debtor = await db.Debtors.AsNoTracking().Where(d => d.ExternalId == debtorId).Select(d => d.Id).ToListAsync(ct);
        if (debtor is not [var id])
        {
            return new Error("debtor_not_found", $"There is no debtor '{debtorId}'", "debtor_id");
        }

        var grants = await db.ComplianceExceptionGrants.AsNoTracking().Where(g => g.DebtorId == id).ToListAsync(ct);
        return Result<IReadOnlyList<ExceptionGrantView>>.Ok([.. grants.OrderByDescending(g => g.GrantedAt).Select(g => new ExceptionGrantView(debtorId, g))]);
    }
}
