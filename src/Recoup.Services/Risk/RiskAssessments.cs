using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Data.Risk;
using Recoup.Domain;
using Recoup.Domain.Ledger;
using Recoup.Domain.Plans;
using Recoup.Domain.Risk;
using Recoup.Services.Ledger;
using Recoup.Services.Storage;

namespace Recoup.Services.Risk;

/// <summary>One reason of a stored score, as the account page and the API show it.</summary>
/// <param name="Code">The factor: <c>past_due</c>, <c>broken_promises</c>, <c>returned_payments</c>, <c>late_payments</c>, <c>open_disputes</c>.</param>
public sealed record StoredRiskReason(string Code, int Points, string Text);

/// <summary>
/// The risk scores of a batch of accounts as of a business date (docs/risk.md), for the daily run: the scorecard's
/// inputs read set-based (four grouped queries per 2,000 accounts, and the open invoices the run read already),
/// scored in memory, and the stored scores brought up to date.
/// </summary>
/// <remarks>
/// Point in time: every input is taken up to the date and no further (promises broken, payments reversed and
/// invoices falling due on or before it; disputes opened by it and not resolved by it), so a run for an earlier
/// date scores the account as it stood then.
/// </remarks>
public static class RiskAssessments
{
    internal static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Every account of <paramref name="batch"/> scored as of <paramref name="asOf"/>; an account with nothing against it scores 0.</summary>
    /// <param name="open">The batch's invoices open on the date (<see cref="OpenInvoices.LoadAsync"/>).</param>
    public static async Task<Dictionary<AccountId, RiskAssessment>> AssessAsync(
        RecoupDbContext db, IReadOnlyList<AccountId> batch, DateOnly asOf, IReadOnlyList<OpenInvoiceRow> open, CancellationToken ct)
    {
        var inputs = await LoadInputsAsync(db, batch, asOf, open, ct);
        var clean = RiskScorecard.Assess(RiskInputs.Clean); // most accounts: scored once, shared
        return batch.Distinct().ToDictionary(a => a, a => inputs.TryGetValue(a, out var input) ? RiskScorecard.Assess(input) : clean);
    }

    /// <summary>The scorecard's inputs of the accounts that have any; an account missing from the answer is clean.</summary>
    public static async Task<Dictionary<AccountId, RiskInputs>> LoadInputsAsync(
        RecoupDbContext db, IReadOnlyList<AccountId> batch, DateOnly asOf, IReadOnlyList<OpenInvoiceRow> open, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(open);
        var lookbackFrom = asOf.AddDays(-RiskScorecard.LookbackDays); // exclusive: the last 180 days end on the date
        var historyFrom = asOf.AddDays(-RiskScorecard.HistoryDays);

        var oldestDue = open.GroupBy(o => o.AccountId).ToDictionary(g => g.Key, g => g.Min(o => o.DueDate));

        var broken = (await Chunks.QueryAsync(batch, chunk => db.Promises.AsNoTracking()
                .Where(p => chunk.Contains(p.AccountId) && p.Status == PromiseStatus.Broken && p.ResolvedOn > lookbackFrom && p.ResolvedOn <= asOf)
                .GroupBy(p => p.AccountId).Select(g => new { AccountId = g.Key, Count = g.Count() }), ct))
            .ToDictionary(p => p.AccountId, p => p.Count);

        // A payment reversed: an ACH debit returned (the return reverses its payment), a check bounced, a charge-back.
        // The reversals are read through their own small index (ix_ledger_entries_reversals), not among every entry of the batch.
        var returned = (await Chunks.QueryAsync(batch, chunk =>
                from reversal in db.LedgerEntries.AsNoTracking()
                join payment in db.LedgerEntries.AsNoTracking() on reversal.ReversesEntryId equals payment.Id
                where chunk.Contains(reversal.AccountId) && reversal.Kind == EntryKind.Reversal && payment.Kind == EntryKind.Payment
                    && reversal.EffectiveDate > lookbackFrom && reversal.EffectiveDate <= asOf
                group reversal by reversal.AccountId into g
                select new { AccountId = g.Key, Count = g.Count() }, ct))
            .ToDictionary(r => r.AccountId, r => r.Count);

        // Each invoice that fell due in the last year before the date, with what was still open on it at the end of
        // its due date (its allocations up to then): anything left means it was not paid in full on time. Counted per
        // account in the database. Both sides of the join are narrowed by the accounts, so it joins the accounts'
        // invoices to their allocations; narrowing only the allocations let the planner scan every invoice due in the
        // year for each chunk (0.65 s per 2,000 accounts at 1M).
        var history = (await Chunks.QueryAsync(batch, chunk =>
                from invoice in (from invoice in db.Invoices.AsNoTracking()
                                 join allocation in db.Allocations.AsNoTracking() on invoice.Id equals allocation.InvoiceId
                                 where chunk.Contains(invoice.AccountId) && chunk.Contains(allocation.AccountId)
                                     && invoice.DueDate >= historyFrom && invoice.DueDate < asOf && allocation.EffectiveDate <= invoice.DueDate
                                 group allocation.AmountMinor by new { invoice.AccountId, invoice.Id } into g
                                 select new { g.Key.AccountId, OpenAtDue = g.Sum() })
                group invoice by invoice.AccountId into g
                select new { AccountId = g.Key, Due = g.Count(), Late = g.Count(i => i.OpenAtDue > 0) }, ct))
            .ToDictionary(h => h.AccountId, h => (h.Due, h.Late));

        var disputes = (await Chunks.QueryAsync(batch, chunk => db.Disputes.AsNoTracking()
                .Where(d => chunk.Contains(d.AccountId) && d.OpenedOn <= asOf && (d.ResolvedOn == null || d.ResolvedOn > asOf))
                .GroupBy(d => d.AccountId).Select(g => new { AccountId = g.Key, Count = g.Count() }), ct))
            .ToDictionary(d => d.AccountId, d => d.Count);

        var inputs = new Dictionary<AccountId, RiskInputs>();
        foreach (var account in oldestDue.Keys.Concat(broken.Keys).Concat(returned.Keys).Concat(history.Keys).Concat(disputes.Keys).Distinct())
        {
            var (due, late) = history.GetValueOrDefault(account);
            inputs[account] = new RiskInputs(
                DaysPastDue: oldestDue.TryGetValue(account, out var oldest) ? asOf.DayNumber - oldest.DayNumber : 0,
                BrokenPromises: broken.GetValueOrDefault(account),
                ReturnedPayments: returned.GetValueOrDefault(account),
                InvoicesDue: due,
                InvoicesPaidLate: late,
                OpenDisputes: disputes.GetValueOrDefault(account));
        }

        return inputs;
    }

    /// <summary>
    /// What bringing the stored scores of the assessed accounts up to date takes: <c>Fresh</c>, a new row for each
    /// account never scored, for the caller's bulk insert; <c>Changed</c>, the stored rows (read untracked) whose score
    /// or reasons differ, with the new ones, for the caller to update (<c>UpdateRange</c>) in its transaction. A row
    /// that says the same is left alone, so a second run for the same date writes nothing; a run for a date before the
    /// stored score's leaves that score alone. The stored rows are the accounts' own, so the daily run reads them ahead
    /// of its batch.
    /// </summary>
    public static async Task<(List<AccountRiskScoreRecord> Fresh, List<AccountRiskScoreRecord> Changed)> ReconcileAsync(
        RecoupDbContext db, IReadOnlyDictionary<AccountId, RiskAssessment> assessed, DateOnly asOf, CancellationToken ct)
    {
        var ids = assessed.Keys.Select(a => a.Value).ToList();
        var stored = (await Chunks.QueryAsync(ids, chunk => db.AccountRiskScores.AsNoTracking().Where(r => chunk.Contains(r.AccountId)), ct))
            .ToDictionary(r => r.AccountId);
        var fresh = new List<AccountRiskScoreRecord>();
        var changed = new List<AccountRiskScoreRecord>();
        foreach (var (account, assessment) in assessed)
        {
            var score = checked((short)assessment.Score);
            var reasons = ReasonsJson(assessment);
            if (!stored.TryGetValue(account.Value, out var row))
            {
                fresh.Add(new AccountRiskScoreRecord { AccountId = account.Value, Score = score, Reasons = reasons, ScoredOn = asOf });
            }
            else if (row.ScoredOn <= asOf && (row.Score != score || !string.Equals(row.Reasons, reasons, StringComparison.Ordinal)))
            {
                (row.Score, row.Reasons, row.ScoredOn) = (score, reasons, asOf);
                changed.Add(row);
            }
        }

        return (fresh, changed);
    }

    private const string NoReasons = "[]";

    /// <summary>The reasons as stored: <c>[{"code":"past_due","points":28,"text":"…"}]</c>.</summary>
    public static string ReasonsJson(RiskAssessment assessment)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        return assessment.Reasons.Count == 0 ? NoReasons : JsonSerializer.Serialize(assessment.Reasons.Select(r => new StoredRiskReason(r.Code, r.Points, r.Text)).ToList(), Json);
    }
}
