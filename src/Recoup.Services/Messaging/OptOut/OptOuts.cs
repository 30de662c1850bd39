using Microsoft.EntityFrameworkCore;
using Recoup.Data.Outbox;
using Recoup.Domain;
using Recoup.Domain.Contacts;
using Recoup.Domain.Debtors;
using Recoup.Services.Contacts;
using Recoup.Services.Storage;

namespace Recoup.Services.Messaging.OptOut;

/// <summary>What the opt-out page shows about the message it was reached from.</summary>
/// <param name="Address">The e-mail address or number, partly hidden (the page is public).</param>
/// <param name="Language">The message's language, for the page's wording.</param>
public sealed record OptOutView(Guid MessageId, string Channel, string Address, bool AlreadyOptedOut, string Language);

/// <summary>What an inbound text did: whether it asked to stop, and how many of the debtors' numbers were opted out.</summary>
public sealed record InboundSmsOutcome(bool IsOptOut, string? Number, int OptedOut);

/// <summary>
/// Opt-outs as debtors make them (docs/messaging.md): by the link in every e-mail (<c>/opt-out/{message id}</c>),
/// or by replying STOP (or STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, PARAR, ALTO) to a text. Either is recorded
/// on the contact point through <see cref="ContactPoints.ChangeAsync"/> — the opt-out the compliance gate
/// honours, audited on each of the debtor's accounts — so nothing more goes to that address or number.
/// </summary>
public sealed class OptOuts(RecoupDatabase database, ContactPoints contactPoints)
{
    public const string NotFound = "opt_out_not_found";

    /// <summary>The message the link names, when it went to a debtor's contact point.</summary>
    public async Task<Result<OptOutView>> FindAsync(Guid messageId, CancellationToken ct = default)
    {
        var found = await LoadAsync(messageId, ct);
        return found is null
            ? new Error(NotFound, "This opt-out link is not one of ours, or its message was not sent to you")
            : View(found.Value.Message, found.Value.Point);
    }

    /// <summary>Records the opt-out of the message's contact point; recording it twice is harmless.</summary>
    public async Task<Result<OptOutView>> OptOutAsync(Guid messageId, string how, CancellationToken ct = default)
    {
        var found = await LoadAsync(messageId, ct);
        if (found is not { } f)
        {
            return new Error(NotFound, "This opt-out link is not one of ours, or its message was not sent to you");
        }

        if (f.Point.OptedOutAt is null)
        {
            var changed = await contactPoints.ChangeAsync(f.DebtorExternalId, f.Point.Id, new ContactPointChange(OptOut: true), how, ct);
            if (!changed.Succeeded)
            {
                return changed.Errors[0];
            }
        }

        return View(f.Message, f.Point) with { AlreadyOptedOut = true };
    }

    /// <summary>
    /// A text received from <paramref name="from"/>: when it asks to stop, every contact point with that
    /// number (in E.164) is opted out. Anything else is not an opt-out and changes nothing.
    /// </summary>
    public async Task<Result<InboundSmsOutcome>> ReceiveSmsAsync(string? from, string? text, CancellationToken ct = default)
    {
        var parsed = Phone.Parse(from);
        if (!parsed.IsSuccess)
        {
            return new Error("from_invalid", $"'{from}' is not a phone number", "from");
        }

        var number = parsed.Value.E164;
        if (!OptOutNotice.IsStop(text))
        {
            return new InboundSmsOutcome(false, number, 0);
        }

        await using var db = database.CreateContext();
        var points = await db.ContactPoints.AsNoTracking().Where(c => c.Kind == ContactKind.Phone && c.Normalized == number).ToListAsync(ct);
        var debtorIds = points.Select(p => p.DebtorId).Distinct().ToList();
        var owners = await db.Debtors.AsNoTracking().Where(d => debtorIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.ExternalId, ct);
        var optedOut = 0;
        foreach (var point in points.Where(p => p.OptedOutAt is null))
        {
            // A STOP is also the revocation of any consent to automated texts (47 CFR 64.1200(a)(10)).
            var revoke = point.TextConsent is { RevokedAt: null } ? new ConsentChange(Given: false) : null;
            var changed = await contactPoints.ChangeAsync(owners[point.DebtorId], point.Id, new ContactPointChange(Text: revoke, OptOut: true), $"sms:{number}", ct);
            optedOut += changed.Succeeded ? 1 : 0;
        }

        return new InboundSmsOutcome(true, number, optedOut);
    }

    private async Task<(OutboxMessage Message, ContactPoint Point, string DebtorExternalId)?> LoadAsync(Guid messageId, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var message = await db.Outbox.AsNoTracking()
            .SingleOrDefaultAsync(m => m.Id == messageId && (m.Channel == OutboxChannel.Email || m.Channel == OutboxChannel.Sms), ct);
        if (message is null)
        {
            return null;
        }

        ContactPoint? point = null;
        if (message.ContactPointId is { } pointGuid)
        {
            var pointId = new ContactPointId(pointGuid);
            point = await db.ContactPoints.AsNoTracking().SingleOrDefaultAsync(c => c.Id == pointId, ct);
        }
        else if (message.DebtorId is { } debtorGuid)
        {
            // Written without its contact point: the debtor's point with the address it went to.
            var debtorId = new DebtorId(debtorGuid);
            var candidates = await db.ContactPoints.AsNoTracking().Where(c => c.DebtorId == debtorId).ToListAsync(ct);
            point = candidates.FirstOrDefault(c => string.Equals(c.Value, message.Recipient.Trim(), StringComparison.OrdinalIgnoreCase)
                || string.Equals(c.Normalized, message.Recipient.Trim().ToLowerInvariant(), StringComparison.Ordinal));
        }

        if (point is null)
        {
            return null;
        }

        var owner = await db.Debtors.AsNoTracking().Where(d => d.Id == point.DebtorId).Select(d => d.ExternalId).SingleAsync(ct);
        return (message, point, owner);
    }

    private static OptOutView View(OutboxMessage message, ContactPoint point) => new(
        message.Id, message.Channel == OutboxChannel.Email ? "email" : "sms", Mask(point), point.OptedOutAt is not null, message.Language ?? "en");

    /// <summary><c>m•••@example.com</c>, <c>•••• 0147</c>: enough for the debtor to recognise, not enough to harvest.</summary>
    public static string Mask(ContactPoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        var value = point.Value.Trim();
        if (point.Kind == ContactKind.Email && value.IndexOf('@', StringComparison.Ordinal) is var at and > 0)
        {
            return $"{value[0]}•••{value[at..]}";
        }

        var digits = new string([.. value.Where(char.IsDigit)]);
        return digits.Length >= 4 ? $"•••• {digits[^4..]}" : "••••";
    }
}
