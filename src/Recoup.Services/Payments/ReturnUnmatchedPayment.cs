using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Recoup.Data.Outbox;
using Recoup.Data.Payments;
using Recoup.Domain;
using Recoup.Services.Audit;
using Recoup.Services.Storage;

namespace Recoup.Services.Payments;

/// <summary>A queued payment sent back to the payer, with the payment instruction that does it.</summary>
/// <param name="AlreadyReturned">It had been returned before (a retry): nothing new was written.</param>
public sealed record ReturnedPayment(Guid UnmatchedId, Money Amount, string Reason, string ReturnedBy, DateTimeOffset ReturnedAt, Guid InstructionId, bool AlreadyReturned);

/// <summary>
/// Sends a payment of the unmatched queue back to the bank: money that belongs to nobody Recoup
/// collects from (a payer with no account here, a payment meant for another company). The payment
/// leaves the queue as <see cref="UnmatchedStatus.ReturnedToBank"/>, a payment instruction to return
/// it to the payer goes into the outbox, and the decision is audited — in one transaction. Nothing
/// is posted to any ledger: the money never became anyone's payment.
/// </summary>
/// <remarks>
/// Idempotent: returning a payment again answers the first return (<see cref="ReturnedPayment.AlreadyReturned"/>).
/// Errors: <c>unmatched_not_found</c>; <c>already_matched</c> (it was posted to an account — reverse
/// and refund it there instead); <c>reason_missing</c>, <c>reason_too_long</c>, <c>card_number_in_text</c> (field <c>reason</c>).
/// </remarks>
public sealed class ReturnUnmatchedPayment(RecoupDatabase database, TimeProvider clock)
{
    public const string Purpose = "return_to_payer";

    public async Task<Result<ReturnedPayment>> RunAsync(Guid unmatchedId, string reason, string actor, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        if (MoneyReasons.Check(reason, "Say why the money goes back to the payer") is { } reasonError)
        {
            return reasonError;
        }

        reason = reason.Trim();

        var now = clock.GetUtcNow();
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The row lock first, as matching takes it: a match and a return of one payment never both win.
        var payment = await MatchUnmatchedPayment.LockAsync(db, unmatchedId, ct);
        if (payment is null)
        {
            return Result<ReturnedPayment>.Fail(MatchUnmatchedPayment.NotFound, $"There is no unmatched payment {unmatchedId}");
        }

        switch (payment.Status)
        {
            case UnmatchedStatus.ReturnedToBank:
                return new ReturnedPayment(payment.Id, payment.Amount, payment.ReturnReason ?? "", payment.ReturnedBy ?? "", payment.ReturnedAt ?? now, payment.ReturnInstructionId ?? Guid.Empty, AlreadyReturned: true);
            case UnmatchedStatus.Matched:
                return Result<ReturnedPayment>.Fail(MatchUnmatchedPayment.AlreadyMatched,
                    $"This payment was already posted to account {payment.MatchedAccountId} by {payment.MatchedBy}; reverse it there and refund it instead");
            case UnmatchedStatus.Open:
                break;
        }

        var fileName = await db.PaymentImports.Where(i => i.Id == payment.ImportId).Select(i => i.FileName).SingleAsync(ct);
        var instruction = new OutboxMessage
        {
            Id = Guid.CreateVersion7(now),
            Channel = OutboxChannel.PaymentInstruction,
            Purpose = Purpose,
            Recipient = payment.PayerName ?? "the payer",
            Subject = $"Return {payment.Amount} to {payment.PayerName ?? "the payer"} (bank reference {payment.BankReference ?? "none"})",
            Body = JsonSerializer.Serialize(new
            {
                unmatched_payment_id = payment.Id,
                payee = payment.PayerName,
                amount = payment.Amount.ToDecimalString(),
                currency = payment.Amount.Currency.Code,
                value_date = payment.ValueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                bank_reference = payment.BankReference,
                references = payment.ReferenceList,
                file = fileName,
                line = payment.Line,
                reason,
                returned_by = actor,
            }),
            DedupKey = $"return:{payment.Id}",
            CreatedAt = now,
            NotBefore = now,
            Status = OutboxStatus.Pending,
            CreatedBy = actor,
        };
        db.Outbox.Add(instruction);
        payment.Status = UnmatchedStatus.ReturnedToBank;
        payment.ReturnReason = reason;
        payment.ReturnedBy = actor;
        payment.ReturnedAt = now;
        payment.ReturnInstructionId = instruction.Id;
        db.AuditLog.Add(AuditLog.Record(now, actor, "payment.returned_to_bank", "unmatched_payment", payment.Id.ToString(),
            new { status = "open" },
            new
            {
                status = "returned_to_bank",
                amount = payment.Amount.ToDecimalString(),
                currency = payment.Amount.Currency.Code,
                payer = payment.PayerName,
                bank_reference = payment.BankReference,
                file = fileName,
                line = payment.Line,
                reason,
                instruction_id = instruction.Id.ToString(),
            }));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new ReturnedPayment(payment.Id, payment.Amount, reason, actor, now, instruction.Id, AlreadyReturned: false);
    }
}
