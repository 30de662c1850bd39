using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Data.Messaging.Templates;
using Recoup.Domain;
using Recoup.Services.Audit;
using Recoup.Services.Storage;

namespace Recoup.Services.Messaging.Templates;

/// <summary>A new version of a template as an editor saves it.</summary>
public sealed record SaveTemplate(string Key, TemplateChannel Channel, string Language, string? Subject, string Body, string? Html, string? Note = null);

/// <summary>One (key, channel, language) with its live (newest) version.</summary>
public sealed record TemplateSummary(string Key, TemplateChannel Channel, string Language, int Version, string? Subject, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>
/// The message templates: the live version of each, their history, saving a new version (checked first: it must
/// parse and use only names of the template model), previews against the sample account, and the standard
/// templates, written into a new database on first use.
/// </summary>
public sealed class MessageTemplates(RecoupDatabase database, TimeProvider clock, MessagingSettings settings)
{
    public const string SystemActor = "system";

    private static readonly ConcurrentDictionary<string, bool> Seeded = new(StringComparer.Ordinal);

    public MessagingSettings Settings => settings;

    /// <summary>Adds version 1 of every standard template that has no version yet (idempotent); returns how many were added.</summary>
    public static async Task<int> EnsureStandardAsync(RecoupDbContext db, DateTimeOffset now, CancellationToken ct = default)
    {
        var existing = (await db.MessageTemplates.AsNoTracking().Select(t => new { t.Key, t.Channel, t.Language }).Distinct().ToListAsync(ct))
            .Select(t => (t.Key, t.Channel, t.Language)).ToHashSet();
        var added = 0;
        foreach (var template in StandardTemplates.All)
        {
            if (existing.Contains((template.Key, template.Channel, template.Language)))
            {
                continue;
            }

            db.MessageTemplates.Add(new MessageTemplateVersion
            {
                Id = Domain.SequentialGuid.Create(now),
                Key = template.Key,
                Channel = template.Channel,
                Language = template.Language,
                Version = 1,
                Subject = template.Subject,
                Body = template.Body,
                CreatedBy = SystemActor,
                CreatedAt = now,
                Note = "standard template",
            });
            added++;
        }

        if (added > 0)
        {
            await db.SaveChangesAsync(ct);
        }

        return added;
    }

    public async Task EnsureStandardAsync(CancellationToken ct = default)
    {
        if (Seeded.ContainsKey(database.ConnectionString))
        {
            return;
        }

        await using var db = database.CreateContext();
        await EnsureStandardAsync(db, clock.GetUtcNow(), ct);
        Seeded[database.ConnectionString] = true;
    }

    public async Task<IReadOnlyList<TemplateSummary>> ListAsync(CancellationToken ct = default)
    {
        await EnsureStandardAsync(ct);
        await using var db = database.CreateContext();
        var all = await db.MessageTemplates.AsNoTracking()
            .Select(t => new { t.Key, t.Channel, t.Language, t.Version, t.Subject, t.CreatedBy, t.CreatedAt })
            .ToListAsync(ct);
        var order = StandardTemplates.Keys.Select((k, i) => (k, i)).ToDictionary(x => x.k, x => x.i, StringComparer.Ordinal);
        return all.GroupBy(t => (t.Key, t.Channel, t.Language))
            .Select(g => g.MaxBy(t => t.Version)!)
            .Select(t => new TemplateSummary(t.Key, t.Channel, t.Language, t.Version, t.Subject, t.CreatedBy, t.CreatedAt))
            .OrderBy(t => order.GetValueOrDefault(t.Key, int.MaxValue)).ThenBy(t => t.Key, StringComparer.Ordinal)
            .ThenBy(t => t.Channel).ThenBy(t => t.Language, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Every version of one template, newest first.</summary>
    public async Task<Result<IReadOnlyList<MessageTemplateVersion>>> HistoryAsync(string key, TemplateChannel channel, string language, CancellationToken ct = default)
    {
        await EnsureStandardAsync(ct);
        await using var db = database.CreateContext();
        var versions = await db.MessageTemplates.AsNoTracking()
            .Where(t => t.Key == key && t.Channel == channel && t.Language == language)
            .OrderByDescending(t => t.Version).ToListAsync(ct);
        return versions.Count == 0
            ? new Error("template_not_found", $"There is no {ChannelName(channel)} template '{key}' in '{language}'", "key")
            : versions;
    }

    /// <summary>One version (the live one when <paramref name="version"/> is null).</summary>
    public async Task<Result<MessageTemplateVersion>> GetAsync(string key, TemplateChannel channel, string language, int? version = null, CancellationToken ct = default)
    {
        var history = await HistoryAsync(key, channel, language, ct);
        if (!history.IsSuccess)
        {
            return history.Error!;
        }

        var found = version is { } v ? history.Value.FirstOrDefault(t => t.Version == v) : history.Value[0];
        return found is null
            ? new Error("template_version_not_found", $"Template '{key}' ({ChannelName(channel)}, {language}) has no version {version}", "version")
            : found;
    }

    /// <summary>What is wrong with a template before it is saved: shape, then syntax and unknown names, each with its line.</summary>
    public static IReadOnlyList<TemplateProblem> Validate(SaveTemplate request)
    {
        var problems = new List<TemplateProblem>();
        if (!IsKey(request.Key))
        {
            problems.Add(new TemplateProblem("key", 1, $"'{request.Key}' is not a template key: use lower-case letters, digits and underscores, e.g. first_reminder"));
        }

        if (!TemplateFormat.Languages.Contains(request.Language))
        {
            problems.Add(new TemplateProblem("language", 1, $"'{request.Language}' is not a language templates are written in; use en or es"));
        }

        if (string.IsNullOrWhiteSpace(request.Body))
        {
            problems.Add(new TemplateProblem("body", 1, "The body is empty"));
        }

        if (request.Channel == TemplateChannel.Email && string.IsNullOrWhiteSpace(request.Subject))
        {
            problems.Add(new TemplateProblem("subject", 1, "An e-mail needs a subject"));
        }

        if (request.Channel == TemplateChannel.Sms && (request.Subject is { Length: > 0 } || request.Html is { Length: > 0 }))
        {
            problems.Add(new TemplateProblem("subject", 1, "A text message has neither subject nor HTML"));
        }

        problems.AddRange(TemplateCheck.Check("subject", request.Subject));
        problems.AddRange(TemplateCheck.Check("body", request.Body));
        problems.AddRange(TemplateCheck.Check("html", request.Html));
        return problems;
    }

    /// <summary>Saves a new version, which becomes the live one; refused (with every problem and its line) when the template is wrong.</summary>
    public async Task<Result<MessageTemplateVersion>> SaveAsync(SaveTemplate request, string actor, CancellationToken ct = default)
    {
        var problems = Validate(request);
        if (problems.Count > 0)
        {
            var first = problems[0];
            return new Error("template_invalid",
                string.Join("; ", problems.Select(p => $"{p.Part} line {p.Line}: {p.Message}")), first.Part);
        }

        await EnsureStandardAsync(ct);
        await using var db = database.CreateContext();
        var latest = await db.MessageTemplates.Where(t => t.Key == request.Key && t.Channel == request.Channel && t.Language == request.Language)
            .MaxAsync(t => (int?)t.Version, ct) ?? 0;
        var now = clock.GetUtcNow();
        var saved = new MessageTemplateVersion
        {
            Id = Domain.SequentialGuid.Create(now),
            Key = request.Key,
            Channel = request.Channel,
            Language = request.Language,
            Version = latest + 1,
            Subject = string.IsNullOrWhiteSpace(request.Subject) ? null : request.Subject,
            Body = request.Body,
            Html = string.IsNullOrWhiteSpace(request.Html) ? null : request.Html,
            CreatedBy = actor,
            CreatedAt = now,
            Note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim(),
        };
        db.MessageTemplates.Add(saved);
        db.AuditLog.Add(AuditLog.Record(now, actor, "template.saved", "template", $"{saved.Key}/{ChannelName(saved.Channel)}/{saved.Language}", null,
            new { key = saved.Key, channel = ChannelName(saved.Channel), language = saved.Language, version = saved.Version, note = saved.Note }));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return new Error("template_conflict", $"Someone saved version {saved.Version} of '{saved.Key}' at the same time; reload and save again", "version");
        }

        return saved;
    }

    /// <summary>Renders a template (saved or not) against the sample account, without checking it first beyond parsing.</summary>
    public Result<RenderedMessage> Preview(SaveTemplate request)
    {
        var problems = TemplateCheck.Check("subject", request.Subject).Concat(TemplateCheck.Check("body", request.Body)).Concat(TemplateCheck.Check("html", request.Html)).ToList();
        if (problems.Count > 0)
        {
            return new Error("template_invalid", string.Join("; ", problems.Select(p => $"{p.Part} line {p.Line}: {p.Message}")), problems[0].Part);
        }

        var language = TemplateFormat.Normalize(request.Language);
        var id = Guid.Empty;
        var model = TemplateModel.Build(TemplateModel.SampleFacts(clock.Today()), language, settings, settings.OptOutUrl(id));
        var version = new MessageTemplateVersion { Key = request.Key, Channel = request.Channel, Language = language, Subject = request.Subject, Body = request.Body, Html = request.Html };
        return TemplateRenderer.Render(version, model);
    }

    /// <summary>The live template for a message: in the language asked for, else in English; null when neither exists.</summary>
    public static async Task<MessageTemplateVersion?> LiveAsync(RecoupDbContext db, string key, TemplateChannel channel, string language, CancellationToken ct)
    {
        var candidates = await db.MessageTemplates.AsNoTracking()
            .Where(t => t.Key == key && t.Channel == channel && (t.Language == language || t.Language == TemplateFormat.English))
            .OrderByDescending(t => t.Version).ToListAsync(ct);
        return candidates.FirstOrDefault(t => t.Language == language) ?? candidates.FirstOrDefault();
    }

    /// <summary>
    /// In a database the standard templates were not yet written to: adds version 1 of the standard template (in the
    /// language, else English) to the caller's unit of work, so the message it renders records a version that exists.
    /// </summary>
    public static MessageTemplateVersion? AddStandard(RecoupDbContext db, string key, TemplateChannel channel, string language, DateTimeOffset now)
    {
        var standard = StandardTemplates.All.FirstOrDefault(t => t.Key == key && t.Channel == channel && t.Language == language)
            ?? StandardTemplates.All.FirstOrDefault(t => t.Key == key && t.Channel == channel && t.Language == TemplateFormat.English);
        if (standard is null)
        {
            return null;
        }

        if (db.MessageTemplates.Local.FirstOrDefault(t => t.Key == key && t.Channel == channel && t.Language == standard.Language) is { } added)
        {
            return added;
        }

        var version = new MessageTemplateVersion
        {
            Id = Domain.SequentialGuid.Create(now),
            Key = key,
            Channel = channel,
            Language = standard.Language,
            Version = 1,
            Subject = standard.Subject,
            Body = standard.Body,
            CreatedBy = SystemActor,
            CreatedAt = now,
            Note = "standard template",
        };
        db.MessageTemplates.Add(version);
        return version;
    }

    public static string ChannelName(TemplateChannel channel) => channel switch
    {
        TemplateChannel.Email => "email",
        TemplateChannel.Sms => "sms",
        TemplateChannel.Letter => "letter",
        _ => throw new ArgumentOutOfRangeException(nameof(channel)),
    };

    public static TemplateChannel? ParseChannel(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "email" or "e-mail" => TemplateChannel.Email,
        "sms" or "text" => TemplateChannel.Sms,
        "letter" => TemplateChannel.Letter,
        _ => null,
    };

    private static bool IsKey(string key) => key.Length is > 0 and <= 100 && key.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');
}
