using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Data.Disputes;
using Recoup.Domain;
using Recoup.Domain.Compliance;
using Recoup.Domain.Debtors;
using Recoup.Domain.Disputes;

namespace Recoup.Services.Disputes;

/// <summary>
/// What the compliance gate needs to know about disputes, for a batch of debtors read in two queries: for each
/// debt, when a consumer disputed it in writing and when the verification went (<see cref="DebtFacts.DisputedOn"/>,
/// <see cref="DebtFacts.VerificationSentAt"/>, the disputed-debt rule), and since when open disputes cover its
/// whole balance (<see cref="DebtFacts.HeldInFullSince"/>, the dispute-hold rule).
/// </summary>
public sealed class DisputeFacts
{
    private readonly ILookup<AccountId, DisputeRecord> _byAccount;
    private readonly Dictionary<Guid, long> _balances;

    private DisputeFacts(IEnumerable<DisputeRecord> disputes, Dictionary<Guid, long> balances)
    {
        _byAccount = disputes.ToLookup(d => d.AccountId);
        _balances = balances;
    }

    public static async Task<DisputeFacts> LoadAsync(RecoupDbContext db, IReadOnlyCollection<DebtorId> debtorIds, CancellationToken ct)
    {
        var ids = debtorIds.Distinct().ToList();
        var disputes = await db.Disputes.AsNoTracking()
            .Where(d => ids.Contains(d.DebtorId) && (d.Status == DisputeStatus.Open || d.InWriting))
            .ToListAsync(ct);
        if (disputes.Count == 0)
        {
            return new DisputeFacts([], []);
        }

        var accounts = disputes.Select(d => d.AccountId.Value).Distinct().ToList();
        var balances = await db.AccountSummaries.AsNoTracking().Where(s => accounts.Contains(s.AccountId)).ToDictionaryAsync(s => s.AccountId, s => s.BalanceMinor, ct);
        return new DisputeFacts(disputes, balances);
    }

    /// <summary>One debtor's facts with their disputes added.</summary>
    public static async Task<ContactCase> ApplyAsync(RecoupDbContext db, DebtorId debtorId, ContactCase facts, CancellationToken ct) =>
        (await LoadAsync(db, [debtorId], ct)).Apply(facts);

    /// <summary>The facts with each listed debt's dispute facts filled in; the same facts when none of its debts is disputed.</summary>
    public ContactCase Apply(ContactCase facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (_balances.Count == 0 && _byAccount.Count == 0)
        {
            return facts;
        }

        var changed = false;
        var debts = new List<DebtFacts>(facts.Debts.Count);
        foreach (var debt in facts.Debts)
        {
            var updated = Guid.TryParse(debt.DebtId, out var guid) ? For(debt, new AccountId(guid)) : debt;
            changed |= !ReferenceEquals(updated, debt);
            debts.Add(updated);
        }

        return changed ? facts with { Debts = debts } : facts;
    }

    private DebtFacts For(DebtFacts debt, AccountId account)
    {
        var disputes = _byAccount[account].ToList();
        if (disputes.Count == 0)
        {
            return debt;
        }

        var result = debt;
        var open = disputes.Where(d => d.Status == DisputeStatus.Open).ToList();
        var balance = _balances.GetValueOrDefault(account.Value);
        var held = open.Sum(d => d.AmountMinor);
        if (open.Count > 0 && balance > 0 && held >= balance)
        {
            result = result with { HeldInFullSince = open.Min(d => d.OpenedAt) };
        }

        // A consumer's dispute in writing: the earliest still unanswered, else the latest answered.
        if (debt.Type != DebtType.Commercial)
        {
            var written = disputes.Where(d => d.InWriting).ToList();
            var unanswered = written.Where(d => d.VerificationSentAt is null && d.Status == DisputeStatus.Open).OrderBy(d => d.OpenedOn).FirstOrDefault();
            var answered = written.Where(d => d.VerificationSentAt is not null).OrderByDescending(d => d.VerificationSentAt).FirstOrDefault();
            if (unanswered is not null)
            {
                result = result with { DisputedOn = unanswered.OpenedOn, VerificationSentAt = null };
            }
            else if (answered is not null)
            {
                result = result with { DisputedOn = answered.OpenedOn, VerificationSentAt = answered.VerificationSentAt };
            }
        }

        return result;
    }
}
