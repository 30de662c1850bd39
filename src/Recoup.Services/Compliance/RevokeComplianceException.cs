using Microsoft.EntityFrameworkCore;
using Recoup.Domain;
using Recoup.Services.Audit;
using Recoup.Services.Storage;

namespace Recoup.Services.Compliance;

/// <summary>
/// Revokes a manager's exception, which ends it at once; the grant stays on record with who revoked it and when, and
/// the audit record is written in the same transaction (on the account's timeline, or the debtor's).
/// </summary>
public sealed class RevokeComplianceException(RecoupDatabase database, TimeProvider clock)
{
    public const string Action = "compliance.exception_revoked";

    public async Task<Result<ExceptionGrantView>> RunAsync(ExceptionGrantId id, string actor, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var grant = await db.ComplianceExceptionGrants.SingleOrDefaultAsync(g => g.Id == id, ct);
        if (grant is null)
        {
            return new Error("exception_not_found", $"There is no compliance exception {id}");
        }

        var debtorId = await db.Debtors.AsNoTracking().Where(d => d.Id == grant.DebtorId).Select(d => d.ExternalId).SingleAsync(ct);
        var now = clock.GetUtcNow();
        var revoked = grant.Revoke(actor, now);
        if (!revoked.IsSuccess)
        {
            return revoked.Error!;
        }

        db.AuditLog.Add(AuditLog.Record(now, actor, Action,
            grant.AccountId is not null ? AuditEntities.Account : AuditEntities.Debtor,
            grant.AccountId?.ToString() ?? debtorId,
            new { revoked_at = (DateTimeOffset?)null },
            new
            {
                exception_id = grant.Id.ToString(),
                debtor_id = debtorId,
                grant.Rule,
                grant.ValidUntil,
                grant.RevokedAt,
            }));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new Error("exception_revoked", "This exception was revoked by someone else at the same moment");
        }

        return new ExceptionGrantView(debtorId, grant);
    }
}
