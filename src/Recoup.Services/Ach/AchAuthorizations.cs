using Microsoft.EntityFrameworkCore;
using Recoup.Data.Ach;
using Recoup.Domain;
using Recoup.Domain.Plans;
using Recoup.Formats.Nacha;
using Recoup.Services.Audit;
using Recoup.Services.Storage;

namespace Recoup.Services.Ach;

/// <summary>An authorization to record: once (amount and date) or recurring for a plan.</summary>
public sealed record NewAchAuthorization(
    AccountId AccountId, bool Recurring, Guid? PlanId, Money? Amount, DateOnly? DebitOn, string RoutingNumber, string BankAccount,
    string BankAccountType, string HolderName, string SecCode, string Evidence);

/// <summary>An authorization as shown: the bank account masked to its last four digits.</summary>
public sealed record AchAuthorizationView(
    Guid Id, AccountId AccountId, bool Recurring, Guid? PlanId, long? AmountMinor, DateOnly? DebitOn, string RoutingNumber, string BankAccountLast4,
    string BankAccountType, string HolderName, string SecCode, string Evidence, string AuthorizedBy, DateTimeOffset AuthorizedAt, AchAuthorizationStatus Status, string? StatusReason)
{
    public static AchAuthorizationView Of(AchAuthorizationRecord a) => new(
        a.Id, a.AccountId, a.Recurring, a.PlanId, a.AmountMinor, a.DebitOn, a.RoutingNumber, a.BankAccount.Length <= 4 ? a.BankAccount : a.BankAccount[^4..],
        a.BankAccountType, a.HolderName, a.SecCode, a.Evidence, a.AuthorizedBy, a.AuthorizedAt, a.Status, a.StatusReason);
}

/// <summary>Records, lists and revokes ACH debit authorizations; each step is on the account's timeline.</summary>
public sealed class AchAuthorizations(RecoupDatabase database, TimeProvider clock)
{
    public const string NotFound = "ach_authorization_not_found";

    public async Task<Result<AchAuthorizationView>> CreateAsync(NewAchAuthorization request, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.GetUtcNow();
        await using var db = database.CreateContext();
        var accountId = request.AccountId;
        var summary = await db.AccountSummaries.AsNoTracking().SingleOrDefaultAsync(s => s.AccountId == accountId.Value, ct);
        if (summary is null)
        {
            return new Error("account_not_found", $"There is no account {request.AccountId}");
        }

        var routing = request.RoutingNumber.Trim();
        var bankAccount = request.BankAccount.Trim();
        if (!NachaCodes.IsValidRoutingNumber(routing))
        {
            return new Error("routing_number_invalid", $"'{routing}' is not a routing number: 9 digits whose last is the check digit", "routing_number");
        }

        if (bankAccount.Length is < 4 or > 17 || !bankAccount.All(char.IsAsciiDigit))
        {
            return new Error("bank_account_invalid", "The bank account number is 4 to 17 digits", "bank_account");
        }

        if (request.BankAccountType is not ("checking" or "savings"))
        {
            return new Error("bank_account_type_unknown", "The bank account is checking or savings", "bank_account_type");
        }

        if (request.SecCode is not ("PPD" or "WEB"))
        {
            return new Error("sec_code_unknown", "The authorization is PPD (written or recorded) or WEB (given on-line)", "sec_code");
        }

        if (string.IsNullOrWhiteSpace(request.HolderName) || string.IsNullOrWhiteSpace(request.Evidence))
        {
            return new Error("authorization_incomplete", "Give the account holder's name and the evidence of the authorization (recording, signed form, on-line consent)",
                string.IsNullOrWhiteSpace(request.HolderName) ? "holder_name" : "evidence");
        }

        if (request.Recurring)
        {
            var planId = request.PlanId;
            if (planId is null || !await db.PaymentPlans.AnyAsync(p => p.Id == planId && p.AccountId == accountId && p.Status == PlanStatus.Active, ct))
            {
                return new Error("plan_not_active", "A recurring authorization is for an active plan of this account", "plan_id");
            }
        }
        else if (request.Amount is not { IsPositive: true } amount || amount.Currency != summary.Currency || request.DebitOn is not { } on || on < clock.Today())
        {
            return new Error("one_time_terms", $"A one-time authorization needs a positive amount in {summary.Currency.Code} and a debit date from today", "amount");
        }

        var record = new AchAuthorizationRecord
        {
            Id = SequentialGuid.Create(now),
            AccountId = accountId,
            DebtorId = summary.DebtorId,
            Recurring = request.Recurring,
            PlanId = request.Recurring ? request.PlanId : null,
            AmountMinor = request.Recurring ? null : request.Amount!.Value.Minor,
            DebitOn = request.Recurring ? null : request.DebitOn,
            RoutingNumber = routing,
            BankAccount = bankAccount,
            BankAccountType = request.BankAccountType,
            HolderName = request.HolderName.Trim(),
            SecCode = request.SecCode,
            Evidence = request.Evidence.Trim(),
            AuthorizedBy = actor,
            AuthorizedAt = now,
            Status = AchAuthorizationStatus.Active,
        };
        db.AchAuthorizations.Add(record);
        db.AuditLog.Add(AuditLog.Record(now, actor, "ach.authorized", AuditEntities.Account, accountId.ToString(), null, new
        {
            authorization_id = record.Id,
            recurring = record.Recurring,
            plan_id = record.PlanId,
            routing_number = routing,
            bank_account = "****" + bankAccount[^4..],
            sec_code = record.SecCode,
            evidence = record.Evidence,
        }));
        await db.SaveChangesAsync(ct);
        return AchAuthorizationView.Of(record);
    }

    public async Task<Result<AchAuthorizationView>> RevokeAsync(Guid id, string reason, string actor, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var db = database.CreateContext();
        var record = await db.AchAuthorizations.SingleOrDefaultAsync(a => a.Id == id, ct);
        if (record is null)
        {
            return new Error(NotFound, $"There is no ACH authorization {id}");
        }

        if (record.Status != AchAuthorizationStatus.Active)
        {
            return new Error("ach_authorization_not_active", $"The authorization is already {record.Status.ToString().ToLowerInvariant()}");
        }

        record.Status = AchAuthorizationStatus.Revoked;
        record.StatusReason = string.IsNullOrWhiteSpace(reason) ? "revoked" : reason.Trim();
        record.StatusChangedAt = now;
        db.AuditLog.Add(AuditLog.Record(now, actor, "ach.revoked", AuditEntities.Account, record.AccountId.ToString(), null, new { authorization_id = id, reason = record.StatusReason }));
        await db.SaveChangesAsync(ct);
        return AchAuthorizationView.Of(record);
    }

    public async Task<IReadOnlyList<AchAuthorizationView>> ListAsync(AccountId accountId, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var rows = await db.AchAuthorizations.AsNoTracking().Where(a => a.AccountId == accountId).ToListAsync(ct);
        return rows.OrderByDescending(a => a.AuthorizedAt).Select(AchAuthorizationView.Of).ToList();
    }
}
