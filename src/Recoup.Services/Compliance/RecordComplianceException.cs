using Microsoft.EntityFrameworkCore;
using Recoup.Domain;
using Recoup.Domain.Compliance;
using Recoup.Services.Audit;
using Recoup.Services.Storage;

namespace Recoup.Services.Compliance;

/// <summary>A manager's exception with the debtor it was granted for, as the API and the screens show it.</summary>
/// <param name="DebtorId">The creditor's debtor id (<c>D-0000001</c>).</param>
public sealed record ExceptionGrantView(string DebtorId, ComplianceExceptionGrant Grant);

/// <summary>
/// Records a manager's documented exception to a compliance rule (<see cref="ComplianceExceptionGrant.Grant"/> says
/// what is refused), and in the same transaction the audit record: on the account's timeline when the exception
/// names an account, else on the debtor's. Only managers and admins may call it (the endpoint's policy).
/// </summary>
public sealed class RecordComplianceException(RecoupDatabase database, TimeProvider clock)
{
    public const string Action = "compliance.exception_granted";

    public async Task<Result<ExceptionGrantView>> RunAsync(string debtorId, ExceptionGrantDraft draft, string actor, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var debtor = await db.Debtors.AsNoTracking().Include(d => d.ContactPoints).SingleOrDefaultAsync(d => d.ExternalId == debtorId, ct);
        if (debtor is null)
        {
            return new Error("debtor_not_found", $"There is no debtor '{debtorId}'", "debtor_id");
        }

        var accounts = await db.Accounts.AsNoTracking().Where(a => a.DebtorId == debtor.Id).Select(a => a.Id).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var granted = ComplianceExceptionGrant.Grant(ExceptionGrantId.New(now), debtor, accounts, draft, actor, now);
        if (!granted.IsSuccess)
        {
            return granted.Error!;
        }

        var grant = granted.Value;
        var rule = ComplianceRules.Find(grant.Rule)!;
        db.ComplianceExceptionGrants.Add(grant);
        db.AuditLog.Add(AuditLog.Record(now, actor, Action,
            grant.AccountId is not null ? AuditEntities.Account : AuditEntities.Debtor,
            grant.AccountId?.ToString() ?? debtor.ExternalId,
            null,
            new
            {
                exception_id = grant.Id.ToString(),
                debtor_id = debtor.ExternalId,
                account_id = grant.AccountId?.ToString(),
                grant.Rule,
                rule.Citation,
                channel = grant.Channel is { } channel ? ContactChannels.Name(channel) : null,
                contact_point = grant.ContactPointId is { } point ? debtor.ContactPoints.First(c => c.Id == point).Value : null,
                grant.ValidFrom,
                grant.ValidUntil,
                grant.Documentation,
            }));
        await db.SaveChangesAsync(ct);
        return new ExceptionGrantView(debtor.ExternalId, grant);
    }
}
