using Microsoft.EntityFrameworkCore;
using Recoup.Data.Messaging;
using Recoup.Data.Outbox;
using Recoup.Domain;
using Recoup.Services.Storage;

namespace Recoup.Services.Messaging.Dispatch;

/// <summary>One outbox message as supervisors see it (the text itself is on the message's page).</summary>
public sealed record OutboxItem(
    Guid Id, OutboxChannel Channel, string Purpose, string Recipient, string? Subject, OutboxStatus Status, int Attempts, DateTimeOffset CreatedAt,
    DateTimeOffset NotBefore, DateTimeOffset? SentAt, string? LastError, Guid? AccountId, string? TemplateKey, int? TemplateVersion, string? Language);

/// <summary>A page of the outbox, newest first; <see cref="NextBefore"/> continues it, null on the last page.</summary>
public sealed record OutboxListPage(IReadOnlyList<OutboxItem> Items, Guid? NextBefore, IReadOnlyDictionary<OutboxStatus, int> Counts);

/// <summary>One message with its text and its tries.</summary>
public sealed record OutboxDetail(OutboxItem Item, string Body, string? HtmlBody, IReadOnlyList<DeliveryAttempt> Tries);

/// <summary>The outbox for supervisors: what is waiting, what went, what was blocked or failed, and why.</summary>
public sealed class OutboxListing(RecoupDatabase database)
{
    public const int MaxLimit = 200;

    public async Task<OutboxListPage> ListAsync(OutboxStatus? status, OutboxChannel? channel, Guid? before, int limit, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var query = db.Outbox.AsNoTracking();
        if (status is { } s)
        {
            query = query.Where(m => m.Status == s);
        }

        if (channel is { } c)
        {
            query = query.Where(m => m.Channel == c);
        }

        if (before is { } b)
        {
            query = query.Where(m => m.Id.CompareTo(b) < 0);
        }

        var take = Math.Clamp(limit, 1, MaxLimit);
        var rows = await query.OrderByDescending(m => m.Id).Take(take + 1).ToListAsync(ct);
        var counts = await db.Outbox.AsNoTracking().GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var items = rows.Take(take).Select(Item).ToList();
        return new OutboxListPage(items, rows.Count > take ? items[^1].Id : null, counts);
    }

    public async Task<Result<OutboxDetail>> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var message = await db.Outbox.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, ct);
        if (message is null)
        {
            return new Error("outbox_message_not_found", $"There is no outbox message {id}");
        }

        var tries = await db.DeliveryAttempts.AsNoTracking().Where(a => a.MessageId == id).ToListAsync(ct);
        return new OutboxDetail(Item(message), message.Body, HtmlOf(message), [.. tries.OrderBy(t => t.Id)]);
    }

    /// <summary>
    /// The message's HTML: as stored, or for a letter stored without it (a letter's HTML is its text's markup in the
    /// standard page, so composing does not store it twice) made again from the text, subject and language.
    /// </summary>
    public static string? HtmlOf(OutboxMessage message) =>
        message.HtmlBody is null && message.Channel == OutboxChannel.Letter
            ? Letters.LetterMarkup.Document(message.Subject ?? "", Letters.LetterMarkup.ToHtml(message.Body), Templates.TemplateFormat.Normalize(message.Language ?? ""))
            : message.HtmlBody;

    private static OutboxItem Item(OutboxMessage m) => new(
        m.Id, m.Channel, m.Purpose, m.Recipient, m.Subject, m.Status, m.Attempts, m.CreatedAt, m.NotBefore, m.SentAt, m.LastError, m.AccountId, m.TemplateKey, m.TemplateVersion, m.Language);
}
