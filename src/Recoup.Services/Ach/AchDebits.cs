using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Recoup.Data.Ach;
using Recoup.Data.Outbox;
using Recoup.Domain;
using Recoup.Domain.Plans;
using Recoup.Formats.Nacha;
using Recoup.Services.Audit;
using Recoup.Services.Ledger;
using Recoup.Services.Payments;
using Recoup.Services.Storage;

namespace Recoup.Services.Ach;

/// <summary>A generated debit file: its record, and its text for the bank (null when nothing was due).</summary>
public sealed record AchDebitFile(Guid? FileId, int Entries, long TotalMinor, DateOnly EffectiveDate, string? Content);

/// <summary>
/// Generates the day's NACHA debit file: every installment due by the date on a plan with an active
/// recurring authorization (what is still unpaid of it), and every one-time authorization dated by
/// then. In one transaction it posts a payment per debit (method ACH, reference = trace number), records
/// the debits and the file, and puts the file in the outbox for the bank. An installment or authorization
/// already debited is never debited again, so a second run for the same date writes nothing.
/// </summary>
public sealed class AchDebits(RecoupDatabase database, TimeProvider clock, AchSettings settings, PaymentSettings? payments = null)
{
    public async Task<AchDebitFile> GenerateAsync(DateOnly effectiveDate, string actor, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        var authorizations = await db.AchAuthorizations.Where(a => a.Status == AchAuthorizationStatus.Active).ToListAsync(ct);
        var planIds = authorizations.Where(a => a.Recurring && a.PlanId != null).Select(a => a.PlanId!.Value).ToList();
        var due = await (
            from i in db.PlanInstallments
            join p in db.PaymentPlans on new { i.PlanId, i.Version } equals new { PlanId = p.Id, Version = p.ScheduleVersion }
            where planIds.Contains(p.Id) && p.Status == PlanStatus.Active && i.Due <= effectiveDate && i.CoveredOn == null && i.Status != InstallmentStatus.Missed
                && !db.AchDebits.Any(d => d.PlanId == i.PlanId && d.PlanVersion == i.Version && d.InstallmentNumber == i.Number)
            select new { i.PlanId, i.Version, i.Number, Left = i.AmountMinor - i.PaidMinor }).ToListAsync(ct);

        var wanted = new List<(AchAuthorizationRecord Authorization, long Minor, Guid? PlanId, int? Version, int? Number)>();
        var byPlan = authorizations.Where(a => a.Recurring && a.PlanId != null).GroupBy(a => a.PlanId!.Value).ToDictionary(g => g.Key, g => g.First());
        foreach (var installment in due.Where(d => d.Left > 0))
        {
            wanted.Add((byPlan[installment.PlanId], installment.Left, installment.PlanId, installment.Version, installment.Number));
        }

        foreach (var once in authorizations.Where(a => !a.Recurring && a.DebitOn <= effectiveDate))
        {
            wanted.Add((once, once.AmountMinor!.Value, null, null, null));
            once.Status = AchAuthorizationStatus.Used;
            once.StatusChangedAt = now;
        }

        if (wanted.Count == 0)
        {
            return new AchDebitFile(null, 0, 0, effectiveDate, null);
        }

        // Trace numbers run on across files (7 digits, wrapping), so returns find their debit.
        var last = await db.AchDebits.OrderByDescending(d => d.EffectiveDate).ThenByDescending(d => d.TraceSequence).Select(d => (int?)d.TraceSequence).FirstOrDefaultAsync(ct) ?? 0;
        var accountIds = wanted.Select(w => w.Authorization.AccountId).Distinct().ToList();
        var ledgers = (await LedgerLoader.LoadAsync(db, a => accountIds.Contains(a.Id), tracked: true, ct)).ToDictionary(l => l.Account.Id);
        var fileId = SequentialGuid.Create(now);
        var debits = new List<AchDebitRecord>();
        var batches = new List<NachaDebitBatch>();
        var sequence = last;
        foreach (var group in wanted.GroupBy(w => w.Authorization.SecCode).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var entries = new List<NachaDebit>();
            foreach (var (authorization, minor, planId, version, number) in group)
            {
                sequence = sequence == 9_999_999 ? 1 : sequence + 1;
                var trace = settings.Originator.Odfi + sequence.ToString("D7", CultureInfo.InvariantCulture);
                var ledger = ledgers[authorization.AccountId];
                var amount = new Money(minor, ledger.Currency);
                var order = (payments ?? PaymentSettings.Default).OrderFor(ledger.Account.Debtor?.DebtType ?? Domain.Debtors.DebtType.Consumer);
                var payment = ledger.PostPayment(amount, effectiveDate, now, $"ach {trace}", [], order, $"ach:{effectiveDate:yyyyMMdd}:{trace}");
                if (payment.Error is { } refused)
                {
                    throw new InvalidOperationException($"The ACH payment for account {authorization.AccountId} could not be posted: {refused.Message}");
                }

                debits.Add(new AchDebitRecord
                {
                    Id = SequentialGuid.Create(now),
                    FileId = fileId,
                    AuthorizationId = authorization.Id,
                    AccountId = authorization.AccountId,
                    PlanId = planId,
                    PlanVersion = version,
                    InstallmentNumber = number,
                    AmountMinor = minor,
                    EffectiveDate = effectiveDate,
                    TraceNumber = trace,
                    TraceSequence = sequence,
                    PaymentEntryId = payment.Value.Id,
                });
                var individual = ledger.Account.Debtor?.ExternalId is { Length: <= 15 } external ? external : authorization.AccountId.Value.ToString("N")[..15];
                entries.Add(new NachaDebit(authorization.RoutingNumber, authorization.BankAccount, minor, individual,
                    authorization.HolderName, authorization.BankAccountType == "savings" ? 37 : 27));
            }

            batches.Add(new NachaDebitBatch(group.Key, "PAYMENT", effectiveDate, entries, group.All(w => w.Authorization.Recurring) ? 'R' : 'S'));
        }

        var text = new StringWriter(CultureInfo.InvariantCulture);
        NachaWriter.Write(text, settings.Originator, now.UtcDateTime, 'A', batches, last == 9_999_999 ? 1 : last + 1);
        var content = text.ToString();
        var total = debits.Sum(d => d.AmountMinor);
        var name = $"recoup-ach-{effectiveDate:yyyyMMdd}-{fileId.ToString("N")[..8]}.ach";
        db.AchFiles.Add(new AchFileRecord
        {
            Id = fileId,
            Kind = "debits",
            FileName = name,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(content))),
            CreatedAt = now,
            CreatedBy = actor,
            Entries = debits.Count,
            TotalMinor = total,
            Content = content,
        });
        db.AchDebits.AddRange(debits);
        db.Outbox.Add(new OutboxMessage
        {
            Id = SequentialGuid.Create(now),
            Channel = OutboxChannel.AchFile,
            Purpose = "ach_debits",
            Recipient = settings.Originator.DestinationName,
            Subject = name,
            Body = content,
            DedupKey = $"ach-file:{fileId:N}",
            CreatedAt = now,
            NotBefore = now,
            Status = OutboxStatus.Pending,
            CreatedBy = actor,
        });
        await LedgerWrites.StageAsync(db, ledgers.Values, ct);
        foreach (var debit in debits)
        {
            var currency = ledgers[debit.AccountId].Currency;
            db.AuditLog.Add(AuditLog.Record(now, actor, "ach.debited", AuditEntities.Account, debit.AccountId.ToString(), null, new
            {
                trace = debit.TraceNumber,
                amount = new Money(debit.AmountMinor, currency).ToDecimalString(),
                effective_date = effectiveDate,
                plan_id = debit.PlanId,
                installment = debit.InstallmentNumber,
                file = name,
            }));
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new AchDebitFile(fileId, debits.Count, total, effectiveDate, content);
    }
}
