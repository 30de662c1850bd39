using Microsoft.EntityFrameworkCore;
using Recoup.Data.Accounts;
using Recoup.Data.Plans;
using Recoup.Domain;
using Recoup.Domain.Plans;
using Recoup.Services.Audit;
using Recoup.Services.Storage;

namespace Recoup.Services.Plans;

/// <summary>A promise to take: how much, by when, and how the debtor gave it.</summary>
public sealed record TakePromise(AccountId AccountId, Money Amount, DateOnly PromisedFor, string Channel, string? Note = null);

/// <summary>A promise as the screens and the API show it.</summary>
public sealed record PromiseView(
    Guid Id, AccountId AccountId, Money Amount, DateOnly PromisedFor, DateOnly TakenOn, string Channel, string TakenBy, DateTimeOffset TakenAt,
    PromiseStatus Status, Money Paid, DateOnly? ResolvedOn, string? Note, string? CancelledBy, string? CancelReason)
{
    public static PromiseView Of(PromiseRecord p) => new(
        p.Id, p.AccountId, new Money(p.AmountMinor, p.Currency), p.PromisedFor, p.TakenOn, p.Channel, p.TakenBy, p.TakenAt,
        p.Status, new Money(p.PaidMinor, p.Currency), p.ResolvedOn, p.Note, p.CancelledBy, p.CancelReason);
}

/// <summary>
/// Promises to pay: takes them (several may be open on one account), cancels them, lists them. The
/// daily monitoring (<see cref="PlanMonitoring"/>) decides whether each was kept.
/// </summary>
public sealed class Promises(RecoupDatabase database, TimeProvider clock)
{
    public static IReadOnlyList<string> Channels { get; } = ["call", "email", "sms", "letter", "portal", "in_person"];

    /// <summary>How far ahead a promise may be dated; further out it is a plan, not a promise.</summary>
    public const int MaxDaysAhead = 90;

    public const string NotFound = "promise_not_found";

    public async Task<Result<PromiseView>> TakeAsync(TakePromise request, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var today = clock.Today();
        var now = clock.GetUtcNow();
        await using var db = database.CreateContext();
        var accountId = request.AccountId;
        var summary = await db.AccountSummaries.AsNoTracking().SingleOrDefaultAsync(s => s.AccountId == accountId.Value, ct);
        if (summary is null)
        {
            return new Error("account_not_found", $"There is no account {request.AccountId}");
        }

        if (Refusal(request, summary, today) is { } refused)
        {
            return refused;
        }

        var promise = new PromiseRecord
        {
            Id = SequentialGuid.Create(now),
            AccountId = accountId,
            DebtorId = summary.DebtorId,
            Currency = summary.Currency,
            AmountMinor = request.Amount.Minor,
            PromisedFor = request.PromisedFor,
            TakenOn = today,
            Channel = request.Channel,
            TakenBy = actor,
            TakenAt = now,
            Status = PromiseStatus.Pending,
            Note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim(),
        };
        db.Promises.Add(promise);
        db.AuditLog.Add(AuditLog.Record(now, actor, "promise.taken", AuditEntities.Account, accountId.ToString(), null, new
        {
            promise_id = promise.Id,
            amount = request.Amount.ToDecimalString(),
            currency = request.Amount.Currency.Code,
            promised_for = request.PromisedFor,
            channel = request.Channel,
        }));
        await db.SaveChangesAsync(ct);
        return PromiseView.Of(promise);
    }

    public async Task<Result<PromiseView>> CancelAsync(Guid promiseId, string reason, string actor, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return new Error("reason_missing", "Say why the promise is cancelled", "reason");
        }

        var now = clock.GetUtcNow();
        await using var db = database.CreateContext();
        var promise = await db.Promises.SingleOrDefaultAsync(p => p.Id == promiseId, ct);
        if (promise is null)
        {
            return new Error(NotFound, $"There is no promise {promiseId}");
        }

        if (promise.Status != PromiseStatus.Pending)
        {
            return new Error("promise_not_pending", $"The promise is already {Describe(promise.Status)}; only a pending promise can be cancelled");
        }

        promise.Status = PromiseStatus.Cancelled;
        promise.ResolvedOn = clock.Today();
        promise.CancelledBy = actor;
        promise.CancelReason = reason.Trim();
        db.AuditLog.Add(AuditLog.Record(now, actor, "promise.cancelled", AuditEntities.Account, promise.AccountId.ToString(),
            new { promise_id = promise.Id, status = "pending" }, new { promise_id = promise.Id, status = "cancelled", reason = promise.CancelReason }));
        await db.SaveChangesAsync(ct);
        return PromiseView.Of(promise);
    }

    public async Task<IReadOnlyList<PromiseView>> ListAsync(AccountId accountId, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var rows = await db.Promises.AsNoTracking().Where(p => p.AccountId == accountId).ToListAsync(ct);
        return rows.OrderByDescending(p => p.TakenAt).Select(PromiseView.Of).ToList();
    }

    public static string Describe(PromiseStatus status) => status switch
    {
        PromiseStatus.Pending => "pending",
        PromiseStatus.Kept => "kept",
        PromiseStatus.PartiallyKept => "partially kept",
        PromiseStatus.Broken => "broken",
        PromiseStatus.Cancelled => "cancelled",
    };

    private static Error? Refusal(TakePromise request, AccountSummary summary, DateOnly today)
    {
        if (request.Amount.Currency != summary.Currency)
        {
            return new Error("currency_mismatch", $"The account is in {summary.Currency.Code}, not {request.Amount.Currency.Code}", "currency");
        }

        if (!request.Amount.IsPositive)
        {
            return new Error("amount_not_positive", "The amount must be more than zero", "amount");
        }

        if (request.Amount.Minor > summary.BalanceMinor)
        {
            return new Error("amount_above_balance",
                $"The promise ({request.Amount.ToDecimalString()}) is more than the balance ({new Money(summary.BalanceMinor, summary.Currency).ToDecimalString()})", "amount");
        }

        if (request.PromisedFor < today)
        {
            return new Error("promised_for_in_past", $"The promised date {request.PromisedFor:yyyy-MM-dd} has passed", "promised_for");
        }

        if (request.PromisedFor > today.AddDays(MaxDaysAhead))
        {
            return new Error("promised_for_too_far", $"A promise is at most {MaxDaysAhead} days ahead; for longer, set up a payment plan", "promised_for");
        }

        return Channels.Contains(request.Channel)
            ? null
            : new Error("channel_unknown", $"'{request.Channel}' is not a channel; use one of {string.Join(", ", Channels)}", "channel");
    }
}
