using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Recoup.Data.Ach;
using Recoup.Domain;
using Recoup.Domain.Plans;
using Recoup.Formats.Nacha;
using Recoup.Formats.Payments;
using Recoup.Services.Audit;
using Recoup.Services.Ledger;
using Recoup.Services.Storage;

namespace Recoup.Services.Ach;

/// <summary>A return that could not be applied: its line in the file and why.</summary>
public sealed record AchReturnProblem(int Line, string Reason);

/// <summary>What a return file did.</summary>
public sealed record AchReturnsResult(
    Guid? FileId, int Returns, int Reversed, int FeesCharged, int AuthorizationsStopped, long ReversedMinor, IReadOnlyList<AchReturnProblem> Unmatched, bool AlreadyImported);

/// <summary>
/// Applies an ACH return file: every return that finds its debit (by trace number) reverses the
/// payment posted for it, charges the returned-payment fee where the debt's terms allow one, marks
/// the plan installment it paid as missed, and stops the authorization when the return code says the
/// account must not be debited again (R02 closed, R03 no account, R10 unauthorized…). The file is
/// checked whole first (a malformed file, or one whose controls disagree, changes nothing) and
/// remembered by its SHA-256, so the same file is never applied twice.
/// </summary>
public sealed class AchReturns(RecoupDatabase database, TimeProvider clock, AchSettings settings)
{
    public const string FeeReason = "returned payment fee";

    /// <exception cref="PaymentFileException">The file is malformed or its controls disagree: nothing was applied.</exception>
    public async Task<AchReturnsResult> ImportAsync(byte[] content, string fileName, string actor, bool dryRun = false, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        List<AchReturn> returns;
        try
        {
            // Read to the end (every control checked) before anything is applied.
            using var reader = new StreamReader(new MemoryStream(content), Encoding.ASCII);
            returns = NachaFile.ReadReturns(reader, fileName).ToList();
        }
        catch (FormatException e)
        {
            throw new PaymentFileException(fileName, 0, null, e.Message);
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        var now = clock.GetUtcNow();
        var today = clock.Today();
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await db.AchFiles.AsNoTracking().FirstOrDefaultAsync(f => f.Kind == "returns" && f.Sha256 == hash, ct) is { } earlier)
        {
            return new AchReturnsResult(earlier.Id, returns.Count, 0, 0, 0, 0, [], AlreadyImported: true);
        }

        var traces = returns.Select(r => r.OriginalTrace).Distinct().ToList();
        var debits = (await db.AchDebits.Where(d => traces.Contains(d.TraceNumber)).ToListAsync(ct)).ToLookup(d => (d.TraceNumber, d.AmountMinor));
        var problems = new List<AchReturnProblem>();
        var matched = new List<(AchReturn Return, AchDebitRecord Debit)>();
        foreach (var r in returns)
        {
            var debit = debits[(r.OriginalTrace, r.AmountMinor)].MaxBy(d => d.EffectiveDate);
            if (debit is null)
            {
                problems.Add(new AchReturnProblem(r.Line, $"No debit with trace {r.OriginalTrace} for {r.AmountMinor / 100m:0.00} was sent by Recoup"));
            }
            else if (debit.ReturnCode is not null)
            {
                problems.Add(new AchReturnProblem(r.Line, $"The debit with trace {r.OriginalTrace} was already returned ({debit.ReturnCode}) on {debit.ReturnedOn:yyyy-MM-dd}"));
            }
            else
            {
                matched.Add((r, debit));
            }
        }

        var fileId = SequentialGuid.Create(now);
        if (dryRun)
        {
            return new AchReturnsResult(null, returns.Count, matched.Count, 0, 0, matched.Sum(m => m.Debit.AmountMinor), problems, false);
        }

        var accountIds = matched.Select(m => m.Debit.AccountId).Distinct().ToList();
        var ledgers = (await LedgerLoader.LoadAsync(db, a => accountIds.Contains(a.Id), tracked: true, ct)).ToDictionary(l => l.Account.Id);
        var authorizationIds = matched.Select(m => m.Debit.AuthorizationId).Distinct().ToList();
        var authorizations = await db.AchAuthorizations.Where(a => authorizationIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);
        int fees = 0, stopped = 0;
        foreach (var (r, debit) in matched)
        {
            var ledger = ledgers[debit.AccountId];
            var reason = $"ACH return {r.ReturnCode}: {r.Description}";
            var reversal = ledger.Reverse(debit.PaymentEntryId, today, now, reason);
            if (reversal.Error is { } refused)
            {
                problems.Add(new AchReturnProblem(r.Line, $"The payment for trace {r.OriginalTrace} could not be reversed: {refused.Message}"));
                continue;
            }

            debit.ReturnCode = r.ReturnCode;
            debit.ReturnedOn = today;
            // The fee goes on the oldest invoice still open (or the last one), where the debt's terms allow a fee.
            var debtType = ledger.Account.Debtor?.DebtType;
            var invoice = ledger.Invoices.OrderBy(i => i.DueDate).FirstOrDefault(i => ledger.OpenOn(i.Id).IsPositive) ?? ledger.Invoices.OrderBy(i => i.DueDate).LastOrDefault();
            if (debtType is { } type && settings.ReturnFees.TryGetValue(type, out var fee) && fee > 0 && invoice is not null
                && ledger.PostFee(Money.FromMajor(fee, ledger.Currency, MidpointRounding.ToEven), invoice.Id, today, now, FeeReason).IsSuccess)
            {
                fees++;
            }

            if (debit.PlanId is { } planId)
            {
                await db.PlanInstallments.Where(i => i.PlanId == planId && i.Version == debit.PlanVersion && i.Number == debit.InstallmentNumber)
                    .ExecuteUpdateAsync(set => set.SetProperty(i => i.ReturnedOn, today).SetProperty(i => i.Status, InstallmentStatus.Missed).SetProperty(i => i.CoveredOn, (DateOnly?)null), ct);
            }

            var authorization = authorizations[debit.AuthorizationId];
            if (r.StopFurtherDebits && authorization.Status == AchAuthorizationStatus.Active)
            {
                authorization.Status = AchAuthorizationStatus.Stopped;
                authorization.StatusReason = reason;
                authorization.StatusChangedAt = now;
                stopped++;
            }

            db.AuditLog.Add(AuditLog.Record(now, actor, "ach.returned", AuditEntities.Account, debit.AccountId.ToString(), null, new
            {
                trace = debit.TraceNumber,
                return_code = r.ReturnCode,
                description = r.Description,
                amount = new Money(debit.AmountMinor, ledger.Currency).ToDecimalString(),
                authorization_stopped = r.StopFurtherDebits,
                file = fileName,
            }));
        }

        await LedgerWrites.StageAsync(db, ledgers.Values, ct);

        var reversed = matched.Where(m => m.Debit.ReturnCode is not null).ToList();
        db.AchFiles.Add(new AchFileRecord
        {
            Id = fileId,
            Kind = "returns",
            FileName = fileName,
            Sha256 = hash,
            CreatedAt = now,
            CreatedBy = actor,
            Entries = returns.Count,
            TotalMinor = reversed.Sum(m => m.Debit.AmountMinor),
        });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new AchReturnsResult(fileId, returns.Count, reversed.Count, fees, stopped, reversed.Sum(m => m.Debit.AmountMinor), problems, false);
    }
}
