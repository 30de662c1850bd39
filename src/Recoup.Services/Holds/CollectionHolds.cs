using Microsoft.EntityFrameworkCore;
using Recoup.Data.Holds;
using Recoup.Domain;
using Recoup.Domain.Holds;
using Recoup.Domain.Ledger;
using Recoup.Services.Audit;
using Recoup.Services.Storage;

namespace Recoup.Services.Holds;

/// <summary>A collection hold to set: on the account, or on one invoice of it (by number).</summary>
public sealed record SetCollectionHold(AccountId AccountId, string? InvoiceNumber, string? Reason, DateOnly StartsOn, DateOnly EndsOn);

/// <summary>A collection hold as the screens and the API show it; <see cref="InForce"/> as of the day it was read.</summary>
public sealed record CollectionHoldView(
    Guid Id, AccountId AccountId, string? InvoiceNumber, string Reason, DateOnly StartsOn, DateOnly EndsOn, string SetBy, DateTimeOffset SetAt,
    DateOnly? ReleasedOn, string? ReleasedBy, string? ReleaseReason, bool InForce)
{
    public static CollectionHoldView Of(CollectionHoldRecord h, DateOnly today) => new(
        h.Id, h.AccountId, h.InvoiceNumber, h.Reason, h.StartsOn, h.EndsOn, h.SetBy, h.SetAt, h.ReleasedOn, h.ReleasedBy, h.ReleaseReason,
        CollectionHoldRules.InForce(h.StartsOn, h.EndsOn, h.ReleasedOn, today));
}

/// <summary>How an account shows as held in a list: the whole account, or some invoices, until when.</summary>
public sealed record HeldMark(bool WholeAccount, int Invoices, DateOnly Until, string Reason)
{
    public string Describe() => WholeAccount
        ? $"On hold until {Until:yyyy-MM-dd}: {Reason}"
        : $"{Invoices} invoice{(Invoices == 1 ? "" : "s")} on hold until {Until:yyyy-MM-dd}: {Reason}";
}

/// <summary>
/// Collection holds: set (possibly backdated), released, listed; and which accounts are held on a day. A hold in
/// force stops every contact through the compliance gate (rule <c>collection-hold</c>), and lifts by itself on its
/// end date: nothing needs to run for collection to resume.
/// </summary>
public sealed class CollectionHolds(RecoupDatabase database, TimeProvider clock)
{
    public const string NotFound = "hold_not_found";

    /// <summary>The holds in force on <paramref name="on"/>.</summary>
    public static IQueryable<CollectionHoldRecord> InForceOn(IQueryable<CollectionHoldRecord> holds, DateOnly on) =>
        holds.Where(h => h.StartsOn <= on && h.EndsOn > on && (h.ReleasedOn == null || h.ReleasedOn > on));

    public async Task<Result<CollectionHoldView>> SetAsync(SetCollectionHold request, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var today = clock.Today();
        var now = clock.GetUtcNow();
        await using var db = database.CreateContext();
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == request.AccountId, ct);
        if (account is null)
        {
            return new Error("account_not_found", $"There is no account {request.AccountId}");
        }

        if (CollectionHoldRules.Validate(request.Reason, request.StartsOn, request.EndsOn, today) is [var first, ..])
        {
            return first;
        }

        Invoice? invoice = null;
        if (!string.IsNullOrWhiteSpace(request.InvoiceNumber))
        {
            var number = request.InvoiceNumber.Trim();
            invoice = await db.Invoices.AsNoTracking().SingleOrDefaultAsync(i => i.AccountId == request.AccountId && i.Number == number, ct);
            if (invoice is null)
            {
                return new Error("invoice_not_on_account", $"Account {request.AccountId} has no invoice {number}", "invoice_number");
            }
        }

        var hold = new CollectionHoldRecord
        {
            Id = SequentialGuid.Create(now),
            AccountId = account.Id,
            DebtorId = account.DebtorId,
            InvoiceId = invoice?.Id,
            InvoiceNumber = invoice?.Number,
            Reason = request.Reason!.Trim(),
            StartsOn = request.StartsOn,
            EndsOn = request.EndsOn,
            SetBy = actor,
            SetAt = now,
        };
        db.CollectionHolds.Add(hold);
        db.AuditLog.Add(AuditLog.Record(now, actor, "collection_hold.set", AuditEntities.Account, account.Id.ToString(), null, new
        {
            hold_id = hold.Id,
            invoice = hold.InvoiceNumber,
            hold.Reason,
            starts_on = hold.StartsOn,
            ends_on = hold.EndsOn,
            backdated = hold.StartsOn < today,
        }));
        await db.SaveChangesAsync(ct);
        return CollectionHoldView.Of(hold, today);
    }

    public async Task<Result<CollectionHoldView>> ReleaseAsync(Guid holdId, string? reason, string actor, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return new Error("reason_missing", "Say why the hold is released early", "reason");
        }

        var today = clock.Today();
        var now = clock.GetUtcNow();
        await using var db = database.CreateContext();
        var hold = await db.CollectionHolds.SingleOrDefaultAsync(h => h.Id == holdId, ct);
        if (hold is null)
        {
            return new Error(NotFound, $"There is no collection hold {holdId}");
        }

        if (hold.ReleasedAt is not null || hold.EndsOn <= today)
        {
            return new Error("hold_not_in_force", hold.ReleasedAt is not null
                ? $"The hold was already released on {hold.ReleasedOn:yyyy-MM-dd} by {hold.ReleasedBy}"
                : $"The hold already ended on {hold.EndsOn:yyyy-MM-dd}");
        }

        hold.ReleasedAt = now;
        hold.ReleasedOn = today;
        hold.ReleasedBy = actor;
        hold.ReleaseReason = reason.Trim();
        db.AuditLog.Add(AuditLog.Record(now, actor, "collection_hold.released", AuditEntities.Account, hold.AccountId.ToString(),
            new { hold_id = hold.Id, ends_on = hold.EndsOn },
            new { hold_id = hold.Id, invoice = hold.InvoiceNumber, released_on = today, reason = hold.ReleaseReason }));
        await db.SaveChangesAsync(ct);
        return CollectionHoldView.Of(hold, today);
    }

    /// <summary>The account's holds, those in force first, then the newest.</summary>
    public async Task<Result<IReadOnlyList<CollectionHoldView>>> ListAsync(AccountId accountId, CancellationToken ct = default)
    {
        var today = clock.Today();
        await using var db = database.CreateContext();
        if (!await db.Accounts.AnyAsync(a => a.Id == accountId, ct))
        {
            return new Error("account_not_found", $"There is no account {accountId}");
        }

        var rows = await db.CollectionHolds.AsNoTracking().Where(h => h.AccountId == accountId).ToListAsync(ct);
        return rows.Select(h => CollectionHoldView.Of(h, today)).OrderByDescending(h => h.InForce).ThenByDescending(h => h.SetAt).ToList();
    }

    /// <summary>Which of <paramref name="accountIds"/> are held today, and how (for the accounts list and the work queue).</summary>
    public async Task<IReadOnlyDictionary<Guid, HeldMark>> HeldAsync(IReadOnlyCollection<Guid> accountIds, CancellationToken ct = default)
    {
        if (accountIds.Count == 0)
        {
            return new Dictionary<Guid, HeldMark>();
        }

        await using var db = database.CreateContext();
        return await HeldAsync(db, accountIds, clock.Today(), ct);
    }

    /// <summary>Which of <paramref name="accountIds"/> are held on <paramref name="on"/>.</summary>
    public static async Task<IReadOnlyDictionary<Guid, HeldMark>> HeldAsync(Data.RecoupDbContext db, IReadOnlyCollection<Guid> accountIds, DateOnly on, CancellationToken ct)
    {
        var holds = await Chunks.QueryAsync(accountIds.Distinct().Select(id => new AccountId(id)).ToList(),
            chunk => InForceOn(db.CollectionHolds.AsNoTracking(), on).Where(h => chunk.Contains(h.AccountId)), ct);
        return holds.GroupBy(h => h.AccountId.Value).ToDictionary(g => g.Key, g =>
        {
            var whole = g.Where(h => h.InvoiceId is null).OrderByDescending(h => h.EndsOn).FirstOrDefault();
            return whole is not null
                ? new HeldMark(true, 0, whole.EndsOn, whole.Reason)
                : new HeldMark(false, g.Select(h => h.InvoiceId).Distinct().Count(), g.Max(h => h.EndsOn), g.OrderByDescending(h => h.EndsOn).First().Reason);
        });
    }
}
