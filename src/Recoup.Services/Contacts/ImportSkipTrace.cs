using Microsoft.EntityFrameworkCore;
using Recoup.Domain;
using Recoup.Domain.Contacts;
using Recoup.Domain.Debtors;
using Recoup.Formats.Csv;
using Recoup.Services.Audit;
using Recoup.Services.Storage;

namespace Recoup.Services.Contacts;

/// <summary>What a skip-trace import did, or why it did nothing.</summary>
/// <param name="Added">New contact points.</param>
/// <param name="AlreadyKnown">Rows whose number or address the debtor already has: left exactly as they were (a verified point is never overwritten).</param>
public sealed record SkipTraceOutcome(int Added, int AlreadyKnown, IReadOnlyList<CsvError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// Imports skip-trace results: new phone numbers, e-mail and postal addresses for known debtors,
/// all or nothing. A row whose value the debtor already has (same canonical form) changes nothing.
/// </summary>
public sealed class ImportSkipTrace(RecoupDatabase database, TimeProvider clock)
{
    public async Task<SkipTraceOutcome> RunAsync(TextReader text, string fileName, string actor, CancellationToken ct = default)
    {
        var file = SkipTraceCsv.Read(text, fileName);
        if (file.Errors.Count > 0)
        {
            return new SkipTraceOutcome(0, 0, file.Errors);
        }

        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var ids = file.Records.Select(r => r.DebtorId).Distinct(StringComparer.Ordinal).ToList();
        var debtors = new Dictionary<string, Debtor>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(2_000))
        {
            foreach (var debtor in await db.Debtors.Include(d => d.ContactPoints).Where(d => chunk.Contains(d.ExternalId)).ToListAsync(ct))
            {
                debtors[debtor.ExternalId] = debtor;
            }
        }

        var errors = file.Records.Where(r => !debtors.ContainsKey(r.DebtorId))
            .Select(r => new CsvError(file.Name, r.Line, "debtor_id", $"There is no debtor '{r.DebtorId}'")).ToList();
        if (errors.Count > 0)
        {
            return new SkipTraceOutcome(0, 0, errors);
        }

        var now = clock.GetUtcNow();
        int added = 0, known = 0;
        var changed = new Dictionary<DebtorId, Debtor>();
        foreach (var record in file.Records)
        {
            var debtor = debtors[record.DebtorId];
            var kind = record.IsPhone ? ContactKind.Phone : record.Kind == SkipTraceKind.Email ? ContactKind.Email : ContactKind.Postal;
            if (debtor.ContactPoints.Any(c => c.Kind == kind && string.Equals(c.Normalized, record.Normalized, StringComparison.Ordinal)))
            {
                known++;
                continue;
            }

            var phoneType = record.Kind switch
            {
                SkipTraceKind.Mobile => PhoneType.Mobile,
                SkipTraceKind.Home => PhoneType.Home,
                SkipTraceKind.Work => PhoneType.Work,
                _ => PhoneType.Unknown,
            };
            var details = NewContactPoints.Describe(kind, record.Value, record.Address, now, phoneType, record.Address?.Country, record.Source, record.Confidence);
            var point = debtor.AddContactPoint(ContactPointId.New(now), kind, record.Value, ContactSource.SkipTrace, record.Address, details);
            db.ContactPoints.Add(point);
            changed[debtor.Id] = debtor;
            added++;
        }

        foreach (var chunk in changed.Keys.Chunk(2_000))
        {
            var summaries = await db.AccountSummaries.Where(s => chunk.Contains(s.DebtorId)).ToListAsync(ct);
            Accounts.AccountSummaries.RefreshContacts(summaries, s => changed[s.DebtorId]);
        }

        db.AuditLog.Add(AuditLog.Record(now, actor, "skip_trace.imported", "file", fileName, null, new { added, already_known = known, rows = file.Records.Count }));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new SkipTraceOutcome(added, known, []);
    }
}
