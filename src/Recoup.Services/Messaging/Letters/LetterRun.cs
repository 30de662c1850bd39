using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Recoup.Data.Audit;
using Recoup.Data.Messaging.Templates;
using Recoup.Data.Outbox;
using Recoup.Domain;
using Recoup.Domain.Compliance;
using Recoup.Domain.Debtors;
using Recoup.Services.Audit;
using Recoup.Services.Compliance;
using Recoup.Services.Messaging.Templates;
using Recoup.Services.Storage;

namespace Recoup.Services.Messaging.Letters;

/// <summary>Which letters a run prints.</summary>
public enum LetterKind
{
    /// <summary>A monthly statement (<c>monthly_statement</c>) for every account with a balance.</summary>
    Statements,

    /// <summary>
    /// A monthly delinquency notice for every past-due account: <c>first_reminder</c> up to 30 days past due,
    /// <c>second_reminder</c> up to 60, <c>final_demand</c> beyond.
    /// </summary>
    Delinquency,
}

public sealed record LetterRunProgress(string Stage, int Done, int Total);

/// <summary>A letter not printed, and why (returned mail, no address, refused by the gate).</summary>
/// <param name="NextAllowedAt">When the gate refused the letter only until later: the earliest time it would allow it.</param>
public sealed record SkippedLetter(string DebtorId, string AccountNumber, string Reason, DateTimeOffset? NextAllowedAt = null);

/// <param name="Stages">Time spent reading accounts, rendering and printing (on every core), and writing the outbox and timeline.</param>
public sealed record LetterRunResult(
    DateOnly AsOf, LetterKind Kind, int Printed, int OutboxLetters, IReadOnlyList<SkippedLetter> Skipped, string Manifest, TimeSpan Elapsed, IReadOnlyDictionary<string, TimeSpan> Stages);

/// <summary>
/// The monthly letter run: renders a letter for every account of the kind asked for, and every pending letter in the
/// outbox, writes one PDF per letter into a folder with the print vendor's CSV manifest (docs/letters.md), marks each
/// letter Sent in the outbox and records it on the account's timeline (audit <c>letter.sent</c>). Addresses with
/// returned mail, debtors with no address and letters the compliance gate refuses are skipped and listed (with the
/// rules' reasons and, for a refusal until later, the time the gate would allow it) in <c>skipped.csv</c>. Every letter
/// is put to the full gate (<see cref="GateFacts"/>: cease communication, opt-outs, dispute and collection holds,
/// placements, bankruptcy, deceased, validation period, frequency limits…) at printing, which is its moment of sending.
/// Accounts are read and written a chunk at a time, the gate's facts a chunk at a time too; letters are rendered on every core.
/// </summary>
public sealed class LetterRun(RecoupDatabase database, TimeProvider clock, MessagingSettings settings, RuleSet rules)
{
    public const string ManifestName = "manifest.csv";

    /// <summary>The letters not printed, next to the manifest.</summary>
    public const string SkippedName = "skipped.csv";

    public const string SkippedHeader = "debtor_id,account_number,reason,next_allowed_at";

    public const string ManifestHeader = "letter_id,debtor_id,account_number,template,language,name,address_line1,address_line2,city,region,postal_code,country,pages,file";

    private const int Chunk = 500;

    public async Task<LetterRunResult> RunAsync(DateOnly asOf, LetterKind kind, string folder, string actor, IProgress<LetterRunProgress>? progress = null, CancellationToken ct = default)
    {
        var started = clock.GetTimestamp();
        Directory.CreateDirectory(folder);
        var now = clock.GetUtcNow();
        await using (var seed = database.CreateContext())
        {
            await MessageTemplates.EnsureStandardAsync(seed, now, ct);
        }

        List<Guid> accountIds;
        await using (var db = database.CreateContext())
        {
            var summaries = db.AccountSummaries.AsNoTracking().Where(s => s.BalanceMinor > 0);
            if (kind == LetterKind.Delinquency)
            {
                summaries = summaries.Where(s => s.OldestDueDate < asOf);
            }

            accountIds = await summaries.OrderBy(s => s.AccountId).Select(s => s.AccountId).ToListAsync(ct);
        }

        var stages = new Dictionary<string, TimeSpan> { ["read"] = TimeSpan.Zero, ["render_and_print"] = TimeSpan.Zero, ["write"] = TimeSpan.Zero };
        var skipped = new List<SkippedLetter>();
        var manifest = new StringBuilder(ManifestHeader.Length * (accountIds.Count + 2)).Append(ManifestHeader).Append('\n');
        int printed = 0, fromOutbox = 0;
        var total = accountIds.Count;
        progress?.Report(new LetterRunProgress("Printing letters", 0, total));
        foreach (var chunk in accountIds.Chunk(Chunk))
        {
            var stage = clock.GetTimestamp();
            await using var db = database.CreateContext();
            var loaded = await TemplateFactsLoader.LoadAsync(db, [.. chunk.Select(g => new AccountId(g))], asOf, ct);
            var gate = await GateFacts.LoadAsync(db, [.. loaded.Values.Select(a => a.Debtor.Id)], now, ct);
            var templates = new Dictionary<(string, string), MessageTemplateVersion?>();
            var pending = new List<(AccountForMessage Account, ComposeRequest Request, MessageTemplateVersion Template, ContactPoint Point)>();
            foreach (var id in chunk)
            {
                if (!loaded.TryGetValue(new AccountId(id), out var account))
                {
                    continue;
                }

                var key = kind == LetterKind.Statements ? "monthly_statement" : account.Facts.DaysPastDue switch
                {
                    <= 30 => "first_reminder",
                    <= 60 => "second_reminder",
                    _ => "final_demand",
                };
                if (Skip(account, now) is { } reason)
                {
                    skipped.Add(new SkippedLetter(account.Debtor.ExternalId, account.Facts.AccountNumber, reason));
                    continue;
                }

                var point = ComposeMessage.PickContactPoint(account.Debtor, TemplateChannel.Letter, null, now)!;
                var decision = gate.Check(account.Debtor, point, ContactChannel.Letter, account.AccountId, now, rules);
                if (!decision.Allowed)
                {
                    skipped.Add(new SkippedLetter(account.Debtor.ExternalId, account.Facts.AccountNumber, GateFacts.Describe(decision), decision.NextAllowedAt));
                    continue;
                }

                var language = TemplateFormat.Normalize(account.Debtor.Language);
                if (!templates.TryGetValue((key, language), out var template))
                {
                    template = templates[(key, language)] = await MessageTemplates.LiveAsync(db, key, TemplateChannel.Letter, language, ct);
                }

                if (template is null)
                {
                    skipped.Add(new SkippedLetter(account.Debtor.ExternalId, account.Facts.AccountNumber, $"no letter template '{key}'"));
                    continue;
                }

                pending.Add((account, new ComposeRequest(account.AccountId, key, TemplateChannel.Letter)
                {
                    AsOf = asOf,
                    Purpose = kind == LetterKind.Statements ? "monthly_statement" : "delinquency_notice",
                    DedupKey = $"letters:{(kind == LetterKind.Statements ? "statement" : "delinquency")}:{asOf:yyyy-MM}:{id:N}",
                }, template, point));
            }

            // Letters already printed this month for the same account (a run repeated) are not printed again.
            var keys = pending.Select(j => j.Request.DedupKey!).ToList();
            var done = (await db.Outbox.AsNoTracking().Where(m => m.DedupKey != null && keys.Contains(m.DedupKey)).Select(m => m.DedupKey!).ToListAsync(ct)).ToHashSet();
            pending = [.. pending.Where(j => !done.Contains(j.Request.DedupKey!))];
            stages["read"] += clock.GetElapsedTime(stage);

            // Rendering and printing are independent per letter: both run on every core.
            stage = clock.GetTimestamp();
            var messages = new OutboxMessage[pending.Count];
            Parallel.For(0, pending.Count, new ParallelOptions { CancellationToken = ct }, i =>
                messages[i] = ComposeMessage.Render(pending[i].Account, pending[i].Request, pending[i].Template, pending[i].Point, settings, now, actor));
            var jobs = pending.Select((j, i) => (j.Account, Message: messages[i], j.Point)).ToList();
            var rows = Print(jobs.Select(j => (j.Message, j.Account.Debtor, j.Point, j.Account.Facts.AccountNumber)).ToList(), folder, ct);
            stages["render_and_print"] += clock.GetElapsedTime(stage);
            stage = clock.GetTimestamp();
            foreach (var ((_, message, _), row) in jobs.Zip(rows))
            {
                message.Status = OutboxStatus.Sent;
                message.SentAt = now;
                message.Attempts = 1;
                db.Outbox.Add(message);
                db.AuditLog.Add(SentRecord(now, actor, message));
                manifest.Append(row).Append('\n');
            }

            printed += jobs.Count;
            await db.SaveChangesAsync(ct);
            stages["write"] += clock.GetElapsedTime(stage);
            progress?.Report(new LetterRunProgress("Printing letters", Math.Min(total, printed + skipped.Count), total));
        }

        fromOutbox = await PrintOutboxAsync(folder, manifest, skipped, actor, now, ct);
        var manifestPath = Path.Combine(folder, ManifestName);
        await File.WriteAllTextAsync(manifestPath, manifest.ToString(), new UTF8Encoding(false), ct);
        var report = new StringBuilder(SkippedHeader).Append('\n');
        foreach (var skip in skipped)
        {
            report.Append(string.Join(',', new[]
            {
                skip.DebtorId, skip.AccountNumber, skip.Reason, skip.NextAllowedAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "",
            }.Select(Csv))).Append('\n');
        }

        await File.WriteAllTextAsync(Path.Combine(folder, SkippedName), report.ToString(), new UTF8Encoding(false), ct);
        return new LetterRunResult(asOf, kind, printed + fromOutbox, fromOutbox, skipped, manifestPath, clock.GetElapsedTime(started), stages);
    }

    /// <summary>Pending Letter-channel messages in the outbox (composed by collectors or the daily run): printed and marked Sent.</summary>
    private async Task<int> PrintOutboxAsync(string folder, StringBuilder manifest, List<SkippedLetter> skipped, string actor, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var pending = await db.Outbox.Where(m => m.Channel == OutboxChannel.Letter && m.Status == OutboxStatus.Pending && m.NotBefore <= now).ToListAsync(ct);
        if (pending.Count == 0)
        {
            return 0;
        }

        var pointIds = pending.Where(m => m.ContactPointId != null).Select(m => new ContactPointId(m.ContactPointId!.Value)).ToList();
        var points = await db.ContactPoints.AsNoTracking().Where(c => pointIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id.Value, ct);
        var debtorIds = points.Values.Select(p => p.DebtorId).Distinct().ToList();
        var debtors = await DebtorContacts.LoadAsync(db, debtorIds, ct);
        var accounts = await db.Accounts.AsNoTracking().Where(a => debtorIds.Contains(a.DebtorId)).Select(a => new { a.Id, a.DebtorId }).ToListAsync(ct);
        var gate = await GateFacts.LoadAsync(db, debtorIds, now, ct);
        var jobs = new List<(OutboxMessage, DebtorContacts, ContactPoint, string)>();
        foreach (var message in pending)
        {
            if (message.ContactPointId is not { } pointId || !points.TryGetValue(pointId, out var point) || !debtors.TryGetValue(point.DebtorId, out var debtor))
            {
                continue;
            }

            if (point.Status == ContactStatus.ReturnedMail || !point.IsUsable)
            {
                message.Status = OutboxStatus.Blocked;
                message.LastError = "the address has returned mail";
                skipped.Add(new SkippedLetter(debtor.ExternalId, "", "returned mail"));
                continue;
            }

            // The letter is sent now, when printed: the gate is asked again, as the dispatcher does for e-mail and texts.
            var own = accounts.Where(a => a.DebtorId == debtor.Id).Select(a => a.Id).ToList();
            var about = message.AccountId is { } accountGuid && own.Contains(new AccountId(accountGuid)) ? new AccountId(accountGuid) : own.FirstOrDefault();
            var decision = gate.Check(debtor, point, ContactChannel.Letter, about, now, rules, GateFacts.PurposeOf(message.Purpose));
            if (!decision.Allowed)
            {
                var reasons = GateFacts.Describe(decision);
                if (decision.NextAllowedAt is { } later && later > now)
                {
                    message.NotBefore = later;
                    message.LastError = reasons;
                }
                else
                {
                    message.Status = OutboxStatus.Blocked;
                    message.LastError = reasons;
                    db.AuditLog.Add(AuditLog.Record(now, actor, "message.blocked", AuditEntities.Account, about.ToString(), null, new
                    {
                        outbox_id = message.Id, channel = "letter", purpose = message.Purpose, template = message.TemplateKey, error = reasons,
                    }));
                }

                skipped.Add(new SkippedLetter(debtor.ExternalId, "", reasons, decision.NextAllowedAt));
                continue;
            }

            jobs.Add((message, debtor, point, ""));
        }

        foreach (var ((message, _, _, _), row) in jobs.Zip(Print(jobs, folder, ct)))
        {
            message.Status = OutboxStatus.Sent;
            message.SentAt = now;
            message.Attempts++;
            db.AuditLog.Add(SentRecord(now, actor, message));
            manifest.Append(row).Append('\n');
        }

        await db.SaveChangesAsync(ct);
        return jobs.Count;
    }

    private string? Skip(AccountForMessage account, DateTimeOffset now)
    {
        var postal = account.Debtor.ContactPoints.Where(c => c.Kind == ContactKind.Postal).ToList();
        if (postal.Count == 0)
        {
            return "no postal address";
        }

        if (ComposeMessage.PickContactPoint(account.Debtor, TemplateChannel.Letter, null, now) is null)
        {
            return postal.Any(c => c.Status == ContactStatus.ReturnedMail) ? "returned mail" : "no usable postal address";
        }

        if (account.Debtor.CeaseCommunicationAt is not null)
        {
            return "the debtor asked that communication cease";
        }

        return account.Debtor.OptedOutChannels.Contains("letter", StringComparison.Ordinal) ? "opted out of letters" : null;
    }

    /// <summary>Writes the PDFs (in parallel) and returns their manifest rows in order.</summary>
    private string[] Print(IReadOnlyList<(OutboxMessage Message, DebtorContacts Debtor, ContactPoint Point, string AccountNumber)> jobs, string folder, CancellationToken ct)
    {
        var rows = new string[jobs.Count];
        Parallel.For(0, jobs.Count, new ParallelOptions { CancellationToken = ct }, i =>
        {
            var (message, debtor, point, accountNumber) = jobs[i];
            var language = TemplateFormat.Normalize(message.Language);
            var address = point.Address!;
            var (pdf, pages) = LetterPdf.Render(Document(message, debtor.Name, address, language, settings, DateOnly.FromDateTime(message.CreatedAt.UtcDateTime)));
            var file = $"{message.Id:N}.pdf";
            File.WriteAllBytes(Path.Combine(folder, file), pdf);
            rows[i] = string.Join(',', new[]
            {
                message.Id.ToString("D"), debtor.ExternalId, accountNumber, message.TemplateKey ?? "", language, debtor.Name, address.Line1, "",
                address.City ?? "", address.Region ?? "", address.PostalCode ?? "", address.Country ?? "", pages.ToString(CultureInfo.InvariantCulture), file,
            }.Select(Csv));
        });
        return rows;
    }

    /// <summary>The printable letter of an outbox message.</summary>
    public static LetterDocument Document(OutboxMessage message, string name, PostalAddress address, string language, MessagingSettings settings, DateOnly date) => new(
        settings.CompanyName,
        settings.CompanyAddress,
        settings.CompanyPhone,
        TemplateFormat.Date(date, language),
        name,
        AddressLines(address),
        message.Subject,
        message.Body,
        language == TemplateFormat.Spanish ? "Página" : "Page");

    public static IReadOnlyList<string> AddressLines(PostalAddress address)
    {
        var lines = new List<string> { address.Line1 };
        var city = string.Join(' ', new[] { address.City is { } c ? c + (address.Region is null ? "" : ",") : null, address.Region, address.PostalCode }.Where(p => !string.IsNullOrWhiteSpace(p)));
        if (city.Length > 0)
        {
            lines.Add(city);
        }

        if (address.Country is { } country && country != "US")
        {
            lines.Add(country);
        }

        return lines;
    }

    private static AuditRecord SentRecord(DateTimeOffset now, string actor, OutboxMessage message) =>
        AuditLog.Record(now, actor, "letter.sent", AuditEntities.Account, message.AccountId is { } a ? new AccountId(a).ToString() : "", null, new
        {
            message_id = message.Id,
            template = message.TemplateKey,
            template_version = message.TemplateVersion,
            language = message.Language,
            recipient = message.Recipient,
        });

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
