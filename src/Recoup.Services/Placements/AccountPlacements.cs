using Microsoft.EntityFrameworkCore;
using Recoup.Data.Holds;
using Recoup.Domain;
using Recoup.Domain.Compliance;
using Recoup.Domain.Holds;
using Recoup.Services.Audit;
using Recoup.Services.Holds;
using Recoup.Services.Storage;
using Recoup.Services.Webhooks;

namespace Recoup.Services.Placements;

/// <summary>An account to place with an attorney or agency.</summary>
/// <param name="PlacedOn">The placement date; default today.</param>
/// <param name="FeePercent">Their contingency fee on what they collect.</param>
/// <param name="AllowedChannels">What Recoup may still send while placed (e.g. statements by letter); empty: nothing.</param>
public sealed record PlaceAccount(
    AccountId AccountId, PlacementKind Kind, string? PlacedWith, DateOnly? PlacedOn, decimal FeePercent, string? FeeTerms,
    IReadOnlyList<ContactChannel> AllowedChannels, string? Note = null);

/// <summary>A placement as the screens and the API show it.</summary>
public sealed record PlacementView(
    Guid Id, AccountId AccountId, PlacementKind Kind, string PlacedWith, DateOnly PlacedOn, Money PlacedBalance, decimal FeePercent, string? FeeTerms,
    IReadOnlyList<ContactChannel> AllowedChannels, PlacementStatus Status, DateOnly StatusSince, string PlacedBy, DateTimeOffset PlacedAt,
    DateTimeOffset? EndedAt, string? EndedBy, string? Note)
{
    public bool Active => PlacementRules.IsActive(Status);

    public static PlacementView Of(PlacementRecord p) => new(
        p.Id, p.AccountId, p.Kind, p.PlacedWith, p.PlacedOn, new Money(p.PlacedBalanceMinor, p.Currency), p.FeePercent, p.FeeTerms,
        CollectionStops.Channels(p.AllowedChannels), p.Status, p.StatusSince, p.PlacedBy, p.PlacedAt, p.EndedAt, p.EndedBy, p.Note);
}

/// <summary>
/// Escalation: places an account with an attorney or an outside agency, follows it through suit and judgment, and
/// recalls it. While placed, the compliance gate (rule <c>placed-with-agency</c>) refuses every contact the placement
/// does not allow; payments are still posted. Placing raises <c>account.placed</c> for the webhook subscribers.
/// </summary>
public sealed class AccountPlacements(RecoupDatabase database, TimeProvider clock)
{
    public const string NotFound = "placement_not_found";

    public static string Name(PlacementStatus status) => status switch
    {
        PlacementStatus.Placed => "placed",
        PlacementStatus.InSuit => "in_suit",
        PlacementStatus.Judgment => "judgment",
        PlacementStatus.Recalled => "recalled",
        PlacementStatus.Returned => "returned",
    };

    public async Task<Result<PlacementView>> PlaceAsync(PlaceAccount request, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var today = clock.Today();
        var now = clock.GetUtcNow();
        if (string.IsNullOrWhiteSpace(request.PlacedWith))
        {
            return new Error("placed_with_missing", "Name the attorney or agency", "placed_with");
        }

        if (request.FeePercent is < 0 or > 100)
        {
            return new Error("fee_percent_invalid", "The fee must be from 0 to 100 %", "fee_percent");
        }

        var placedOn = request.PlacedOn ?? today;
        if (placedOn > today)
        {
            return new Error("placed_on_in_future", "The placement date cannot be in the future", "placed_on");
        }

        await using var db = database.CreateContext();
        var summary = await db.AccountSummaries.AsNoTracking().SingleOrDefaultAsync(s => s.AccountId == request.AccountId.Value, ct);
        if (summary is null)
        {
            return new Error("account_not_found", $"There is no account {request.AccountId}");
        }

        var active = await db.Placements.AsNoTracking().Where(p => p.AccountId == request.AccountId).ToListAsync(ct);
        if (active.FirstOrDefault(p => PlacementRules.IsActive(p.Status)) is { } current)
        {
            return new Error("already_placed", $"The account is already placed with {current.PlacedWith} since {current.PlacedOn:yyyy-MM-dd}; recall it first");
        }

        if (summary.BalanceMinor <= 0)
        {
            return new Error("nothing_to_place", "Nothing is owed on the account");
        }

        var placement = new PlacementRecord
        {
            Id = SequentialGuid.Create(now),
            AccountId = request.AccountId,
            DebtorId = summary.DebtorId,
            Kind = request.Kind,
            PlacedWith = request.PlacedWith.Trim(),
            PlacedOn = placedOn,
            PlacedBalanceMinor = summary.BalanceMinor,
            Currency = summary.Currency,
            FeePercent = request.FeePercent,
            FeeTerms = string.IsNullOrWhiteSpace(request.FeeTerms) ? null : request.FeeTerms.Trim(),
            AllowedChannels = string.Join(' ', request.AllowedChannels.Distinct().Select(ContactChannels.Name)),
            Status = PlacementStatus.Placed,
            StatusSince = placedOn,
            PlacedBy = actor,
            PlacedAt = now,
            Note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim(),
        };
        db.Placements.Add(placement);
        var view = PlacementView.Of(placement);
        db.AuditLog.Add(AuditLog.Record(now, actor, "placement.placed", AuditEntities.Account, request.AccountId.ToString(), null, new
        {
            placement_id = placement.Id,
            kind = placement.Kind.ToString().ToLowerInvariant(),
            placed_with = placement.PlacedWith,
            placed_on = placement.PlacedOn,
            placed_balance = view.PlacedBalance.ToDecimalString(),
            currency = summary.Currency.Code,
            fee_percent = placement.FeePercent,
            fee_terms = placement.FeeTerms,
            allowed_channels = placement.AllowedChannels,
        }));
        await WebhookEvents.RaiseAsync(db, new WebhookEvent(WebhookEvents.AccountPlaced, new
        {
            placement_id = placement.Id,
            account_id = request.AccountId.ToString(),
            debtor_id = summary.DebtorExternalId,
            kind = placement.Kind.ToString().ToLowerInvariant(),
            placed_with = placement.PlacedWith,
            placed_on = placement.PlacedOn,
            placed_balance = new { amount = view.PlacedBalance.ToDecimalString(), currency = summary.Currency.Code },
            fee_percent = placement.FeePercent,
        }, now, actor, request.AccountId.Value, summary.DebtorId.Value), ct);
        await db.SaveChangesAsync(ct);
        return view;
    }

    /// <summary>Moves a placement on (in suit, judgment) or ends it (recalled, returned).</summary>
    public async Task<Result<PlacementView>> ChangeStatusAsync(Guid placementId, PlacementStatus status, string? note, string actor, CancellationToken ct = default)
    {
        var today = clock.Today();
        var now = clock.GetUtcNow();
        await using var db = database.CreateContext();
        var placement = await db.Placements.SingleOrDefaultAsync(p => p.Id == placementId, ct);
        if (placement is null)
        {
            return new Error(NotFound, $"There is no placement {placementId}");
        }

        if (!PlacementRules.CanMove(placement.Status, status))
        {
            return new Error("placement_status_invalid", $"A placement that is {Name(placement.Status).Replace('_', ' ')} cannot become {Name(status).Replace('_', ' ')}", "status");
        }

        var before = placement.Status;
        placement.Status = status;
        placement.StatusSince = today;
        if (!PlacementRules.IsActive(status))
        {
            placement.EndedAt = now;
            placement.EndedBy = actor;
        }

        if (!string.IsNullOrWhiteSpace(note))
        {
            placement.Note = note.Trim();
        }

        db.AuditLog.Add(AuditLog.Record(now, actor, $"placement.{Name(status)}", AuditEntities.Account, placement.AccountId.ToString(),
            new { placement_id = placement.Id, status = Name(before) },
            new { placement_id = placement.Id, status = Name(status), placed_with = placement.PlacedWith, note = placement.Note }));
        await db.SaveChangesAsync(ct);
        return PlacementView.Of(placement);
    }

    public async Task<Result<IReadOnlyList<PlacementView>>> ListAsync(AccountId accountId, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        if (!await db.Accounts.AnyAsync(a => a.Id == accountId, ct))
        {
            return new Error("account_not_found", $"There is no account {accountId}");
        }

        var rows = await db.Placements.AsNoTracking().Where(p => p.AccountId == accountId).ToListAsync(ct);
        return rows.OrderByDescending(p => p.PlacedAt).Select(PlacementView.Of).ToList();
    }

    /// <summary>Which of <paramref name="accountIds"/> are placed now, with whom.</summary>
    public async Task<IReadOnlyDictionary<Guid, string>> PlacedAsync(IReadOnlyCollection<Guid> accountIds, CancellationToken ct = default)
    {
        if (accountIds.Count == 0)
        {
            return new Dictionary<Guid, string>();
        }

        await using var db = database.CreateContext();
        var active = new[] { PlacementStatus.Placed, PlacementStatus.InSuit, PlacementStatus.Judgment };
        var rows = await Chunks.QueryAsync(accountIds.Distinct().Select(id => new AccountId(id)).ToList(),
            chunk => db.Placements.AsNoTracking().Where(p => chunk.Contains(p.AccountId) && active.Contains(p.Status)), ct);
        return rows.GroupBy(p => p.AccountId.Value).ToDictionary(g => g.Key, g => g.First().PlacedWith);
    }
}
