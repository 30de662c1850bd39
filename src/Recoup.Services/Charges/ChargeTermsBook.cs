using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Data.Charges;
using Recoup.Domain;
using Recoup.Domain.Charges;
using Recoup.Domain.Debtors;
using Recoup.Services.Audit;
using Recoup.Services.Storage;

namespace Recoup.Services.Charges;

/// <summary>Fee and interest terms as the API shows them: of a debt type (<see cref="DebtType"/>) or of one debtor's agreement (<see cref="DebtorId"/>).</summary>
public sealed record ChargeTermsView(Guid Id, DebtType? DebtType, string? DebtorId, ChargeTerms Terms, string UpdatedBy, DateTimeOffset UpdatedAt);

/// <summary>
/// The fee and interest terms: per debt type and currency, and per debtor (the agreement, which overrides the debt
/// type's). Terms for consumer and medical debts that charge anything must name what authorizes them.
/// </summary>
public sealed class ChargeTermsBook(RecoupDatabase database, TimeProvider clock)
{
    public async Task<Result<ChargeTermsView>> SetForDebtTypeAsync(DebtType type, ChargeTerms terms, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Validate(type) is [var first, ..])
        {
            return first;
        }

        await using var db = database.CreateContext();
        return await SaveAsync(db, ChargeTermsRecord.ScopeOf(type, terms.Currency), type, null, null, terms, actor, ct);
    }

    public async Task<Result<ChargeTermsView>> SetForDebtorAsync(string debtorId, ChargeTerms terms, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(terms);
        await using var db = database.CreateContext();
        var debtor = await db.Debtors.AsNoTracking().SingleOrDefaultAsync(d => d.ExternalId == debtorId, ct);
        if (debtor is null)
        {
            return new Error("debtor_not_found", $"There is no debtor '{debtorId}'");
        }

        var type = debtor.Kind == DebtorKind.Business ? DebtType.Commercial : debtor.DebtType;
        if (terms.Validate(type) is [var first, ..])
        {
            return first;
        }

        return await SaveAsync(db, ChargeTermsRecord.ScopeOf(debtor.Id, terms.Currency), null, debtor.Id, debtor.ExternalId, terms, actor, ct);
    }

    /// <summary>
    /// Every reason the terms cannot be saved for this debtor's agreement (its kind and debt type decide), empty when they
    /// can; null when there is no such debtor. The screen shows them all at once; saving reports the first.
    /// </summary>
    public async Task<IReadOnlyList<Error>?> ProblemsForDebtorAsync(string debtorId, ChargeTerms terms, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(terms);
        await using var db = database.CreateContext();
        var debtor = await db.Debtors.AsNoTracking().SingleOrDefaultAsync(d => d.ExternalId == debtorId, ct);
        return debtor is null ? null : terms.Validate(debtor.Kind == DebtorKind.Business ? DebtType.Commercial : debtor.DebtType);
    }

    public async Task<IReadOnlyList<ChargeTermsView>> ListAsync(CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var rows = await db.ChargeTerms.AsNoTracking().ToListAsync(ct);
        var debtorIds = rows.Where(r => r.DebtorId is not null).Select(r => r.DebtorId!.Value).Distinct().ToList();
        var names = (await Chunks.QueryAsync(debtorIds, chunk => db.Debtors.AsNoTracking().Where(d => chunk.Contains(d.Id)).Select(d => new { d.Id, d.ExternalId }), ct))
            .ToDictionary(d => d.Id, d => d.ExternalId);
        return rows.OrderBy(r => r.Scope, StringComparer.Ordinal)
            .Select(r => new ChargeTermsView(r.Id, r.DebtType, r.DebtorId is { } id ? names.GetValueOrDefault(id) : null, r.ToTerms(), r.UpdatedBy, r.UpdatedAt)).ToList();
    }

    /// <summary>The terms that apply to an account of <paramref name="debtor"/> in <paramref name="currency"/>: the debtor's, else its debt type's; null when none.</summary>
    public static ChargeTerms? For(IReadOnlyDictionary<string, ChargeTerms> all, Debtor debtor, Currency currency)
    {
        ArgumentNullException.ThrowIfNull(all);
        ArgumentNullException.ThrowIfNull(debtor);
        return all.GetValueOrDefault(ChargeTermsRecord.ScopeOf(debtor.Id, currency)) ?? all.GetValueOrDefault(ChargeTermsRecord.ScopeOf(debtor.DebtType, currency));
    }

    /// <summary>
    /// What the account's terms allow, in a sentence for the account page: the terms and their authority, or why
    /// nothing is charged; null when the account does not exist.
    /// </summary>
    public async Task<string?> DescribeForAccountAsync(AccountId accountId, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var account = await db.Accounts.AsNoTracking().Include(a => a.Debtor).SingleOrDefaultAsync(a => a.Id == accountId, ct);
        if (account?.Debtor is not { } debtor)
        {
            return null;
        }

        var terms = For(await LoadAsync(db, ct), debtor, account.Currency);
        return ChargePolicy.Refusal(terms, debtor.DebtType, debtor.Kind) is { } refusal ? refusal.Message : Describe(terms!);
    }

    /// <summary>Terms in words: <c>Late fee flat 25.00 after 10 days. Interest 12 % a year, simple, from the day after due. Authorized by agreement: § 12.</c></summary>
    public static string Describe(ChargeTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        static string Percent(decimal value) => value.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);
        var cap = terms.LateFeeCapMinor is { } c ? $", at most {new Money(c, terms.Currency).ToDecimalString()}" : "";
        var fee = terms.LateFee switch
        {
            LateFeeKind.None => "No late fee.",
            LateFeeKind.Flat => $"Late fee {new Money(terms.LateFeeFlatMinor, terms.Currency).ToDecimalString()} {terms.Currency.Code}{cap}, once an invoice is more than {terms.LateFeeGraceDays} days past due.",
            LateFeeKind.Percent => $"Late fee {Percent(terms.LateFeePercent)} % of the open principal{cap}, once an invoice is more than {terms.LateFeeGraceDays} days past due.",
        };
        var interest = terms.Interest switch
        {
            InterestKind.None => "No interest.",
            InterestKind.SimpleDaily => $"Interest {Percent(terms.InterestRatePercent)} % a year, simple, on the open principal.",
            InterestKind.ReferencePlusMargin => $"Interest {Percent(terms.AnnualRatePercent)} % a year ({terms.ReferenceRateName} {Percent(terms.ReferenceRatePercent)} % + {Percent(terms.MarginPercent)} points), simple, on the open principal.",
        };
        var authority = terms.Authority == ChargeAuthority.None ? "" : $" Authorized by {terms.Authority.ToString().ToLowerInvariant()}: {terms.AuthorityReference}.";
        return $"{fee} {interest}{authority}";
    }

    /// <summary>Every stored terms, by scope.</summary>
    public static async Task<IReadOnlyDictionary<string, ChargeTerms>> LoadAsync(RecoupDbContext db, CancellationToken ct) =>
        (await db.ChargeTerms.AsNoTracking().ToListAsync(ct)).ToDictionary(r => r.Scope, r => r.ToTerms(), StringComparer.Ordinal);

    private async Task<Result<ChargeTermsView>> SaveAsync(
        RecoupDbContext db, string scope, DebtType? type, DebtorId? debtorId, string? debtorExternalId, ChargeTerms terms, string actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var row = await db.ChargeTerms.SingleOrDefaultAsync(r => r.Scope == scope, ct);
        var before = row?.ToTerms();
        if (row is null)
        {
            row = new ChargeTermsRecord { Id = SequentialGuid.Create(now), Scope = scope, DebtType = type, DebtorId = debtorId };
            db.ChargeTerms.Add(row);
        }

        row.CopyFrom(terms);
        row.UpdatedBy = actor;
        row.UpdatedAt = now;
        db.AuditLog.Add(AuditLog.Record(now, actor, "charge_terms.set", debtorExternalId is null ? "charge_terms" : AuditEntities.Debtor, debtorExternalId ?? scope, before, terms));
        await db.SaveChangesAsync(ct);
        return new ChargeTermsView(row.Id, type, debtorExternalId, terms, actor, now);
    }
}
