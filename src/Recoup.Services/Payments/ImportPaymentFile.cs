using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Recoup.Data.Payments;
using Recoup.Domain;
using Recoup.Domain.Ledger;
using Recoup.Domain.Payments;
using Recoup.Formats.Payments;
using Recoup.Services.Accounts;
using Recoup.Services.Audit;
using Recoup.Services.Ledger;
using Recoup.Services.Storage;

namespace Recoup.Services.Payments;

/// <summary>A payment the import refused outright (it is neither posted nor queued), with its line and why.</summary>
public sealed record RejectedPayment(int Line, string Reason);

/// <summary>What the import decided for one payment of the file.</summary>
/// <param name="Posted">Posted to <see cref="MatchResult.Best"/> (or, on a dry run, would be).</param>
public sealed record PaymentDecision(IncomingPayment Payment, Money Amount, MatchResult Match, bool Posted, string? Reason);

/// <summary>What an import of one payment file did, or (on a dry run) would do.</summary>
/// <param name="ImportId">The recorded import; null on a dry run.</param>
/// <param name="Totals">The sum of the file's payments per currency (records with an unknown currency are left out).</param>
/// <param name="Matched">Payments matched confidently: posted, or on a dry run to be posted.</param>
/// <param name="Posted">Ledger entries written (0 on a dry run).</param>
/// <param name="AutoMatchRate">Matched ÷ records, in percent with one decimal.</param>
public sealed record PaymentImportReport(
    Guid? ImportId,
    string Format,
    string FileName,
    string ContentHash,
    int Records,
    IReadOnlyList<Money> Totals,
    int Matched,
    int Unmatched,
    int Posted,
    IReadOnlyList<RejectedPayment> Rejected,
    decimal AutoMatchRate,
    bool DryRun,
    DateTimeOffset ImportedAt,
    string ImportedBy,
    IReadOnlyList<PaymentDecision> Decisions);

/// <summary>A malformed file: which, where, and what is wrong.</summary>
public sealed record FileProblem(string File, int Line, string? Field, string Reason)
{
    public override string ToString() => new PaymentFileException(File, Line, Field, Reason).Message;
}

/// <summary>The outcome of an import: the report, or why nothing was imported.</summary>
/// <param name="Problem">For <c>invalid_file</c>: the line and field at fault.</param>
/// <param name="AlreadyImportedAs">For <c>already_imported</c>: the earlier import of the same file.</param>
public sealed record PaymentImportOutcome(PaymentImportReport? Report, Error? Error, FileProblem? Problem = null, Guid? AlreadyImportedAs = null)
{
    public bool Succeeded => Error is null;
}

/// <summary>Where an import is, for a progress bar.</summary>
public sealed record PaymentImportProgress(string Stage, int Done, int Total);

/// <summary>
/// Imports a bank or lockbox file: reads it whole through its reader (a malformed file or a control
/// total that does not agree posts nothing), refuses a file already imported (by the SHA-256 of its
/// bytes), matches every payment (<see cref="CashApplication"/>), and in one transaction records the
/// import, posts the confident matches to the ledger and puts the rest in the unmatched queue.
/// </summary>
/// <remarks>
/// <para>Errors: <c>format_unknown</c>, <c>format_not_recognised</c>, <c>format_not_available</c>
/// (field <c>format</c>); <c>invalid_file</c> with <see cref="PaymentImportOutcome.Problem"/>;
/// <c>already_imported</c> with <see cref="PaymentImportOutcome.AlreadyImportedAs"/>.</para>
/// <para>Exactly once: the import's row is inserted first in the transaction, and its content hash
/// is unique, so a second import of the same file — even at the same moment, on another node —
/// waits for the first and then finds it, and posts nothing. Each payment posts under a source id
/// made of the file's hash and its line, unique in the ledger, so a queued payment matched later by
/// a person can never be posted twice either.</para>
/// </remarks>
public sealed class ImportPaymentFile(RecoupDatabase database, TimeProvider clock, PaymentReaders readers, PaymentSettings? settings = null)
{
    public const string AlreadyImported = "already_imported";
    public const string InvalidFile = "invalid_file";
    public const string AuditEntity = "payment_import";

    private const int Attempts = 5;
    private const int ReferenceLength = 128;

    /// <summary>The confidence at or above which a match posts without a person (<c>Recoup:CashApplication:AutoPostThreshold</c>).</summary>
    public int AutoPostThreshold { get; init; } = CashApplication.DefaultAutoPostThreshold;

    /// <summary>How long each stage of the last run took (for benchmarks and diagnosis).</summary>
    public IReadOnlyList<(string Stage, TimeSpan Elapsed)> LastStages => _stages;

    private readonly List<(string, TimeSpan)> _stages = [];
    private readonly PaymentSettings _settings = settings ?? PaymentSettings.Default;
    private readonly System.Diagnostics.Stopwatch _watch = new();

    private void Stage(string name)
    {
        _stages.Add((name, _watch.Elapsed));
        _watch.Restart();
    }

    /// <summary>The source id a payment of a file posts under: the file's hash and the payment's line (and its position on that line, from the second).</summary>
    public static string SourceId(string contentHash, int line, int occurrence) =>
        string.Create(CultureInfo.InvariantCulture, $"pf:{contentHash[..40]}:{line}{(occurrence > 1 ? $".{occurrence}" : "")}");

    /// <param name="content">The file; it must be seekable (it is hashed, then read).</param>
    /// <param name="format">One of <see cref="PaymentFormats.All"/>.</param>
    /// <param name="dryRun">Read, check and match, but write nothing.</param>
    public async Task<PaymentImportOutcome> RunAsync(
        Stream content, string fileName, string format, bool dryRun, string actor, IProgress<PaymentImportProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        _stages.Clear();
        _watch.Restart();
        if (!content.CanSeek)
        {
            throw new ArgumentException("The file must be seekable: it is hashed before it is read", nameof(content));
        }

        progress?.Report(new PaymentImportProgress("Checking the file", 0, 1));
        var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(content, ct));
        content.Position = 0;
        var head = new byte[PaymentFormats.SniffLength];
        var headLength = await content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        content.Position = 0;
        var chosen = readers.Choose(format, head.AsSpan(0, headLength), fileName);
        if (chosen.Error is { } formatError)
        {
            return new PaymentImportOutcome(null, formatError);
        }

        var reader = chosen.Value;
        await using (var db = database.CreateContext())
        {
            if (await db.PaymentImports.AsNoTracking().FirstOrDefaultAsync(i => i.ContentHash == hash, ct) is { } earlier)
            {
                return Already(earlier, fileName);
            }
        }

        var payments = new List<IncomingPayment>();
        try
        {
            foreach (var payment in reader.Read(content, fileName))
            {
                payments.Add(payment);
                if (payments.Count % 1_000 == 0)
                {
                    progress?.Report(new PaymentImportProgress("Reading", payments.Count, payments.Count + 1));
                }
            }
        }
        catch (PaymentFileException e)
        {
            var problem = new FileProblem(e.File, e.FileLine, e.Field, e.Reason);
            return new PaymentImportOutcome(null, new Error(InvalidFile, e.Message, e.Field), problem);
        }

        Stage("read the file");
        var (accepted, rejected) = Screen(payments);
        progress?.Report(new PaymentImportProgress("Matching", 0, accepted.Count));
        var readForMatching = new Dictionary<AccountId, AccountLedger>();
        var loaded = await MatchCandidates.LoadAsync(database, accepted.Select(a => a.ToMatch).ToList(), readForMatching, ct, Stage);
        var matches = accepted.Select((a, n) => (a.Payment, a.ToMatch, Match: loaded.Matches[n])).ToList();
        var now = clock.GetUtcNow();
        if (dryRun)
        {
            var decisions = matches.Select(m => new PaymentDecision(m.Payment, m.ToMatch.Amount, m.Match, m.Match.IsConfident(AutoPostThreshold), Why(m.Match))).ToList();
            return new PaymentImportOutcome(Report(null, reader.Format, fileName, hash, payments, accepted.Select(a => a.ToMatch.Amount), decisions, rejected, 0, true, now, actor), null);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await PostAsync(reader.Format, fileName, hash, payments, accepted.Select(a => a.ToMatch.Amount).ToList(), matches, rejected, actor, readForMatching, progress, ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < Attempts)
            {
                // Someone posted to one of the accounts meanwhile: read the ledgers again and post on top.
            }
        }
    }

    private async Task<PaymentImportOutcome> PostAsync(
        string format,
        string fileName,
        string hash,
        List<IncomingPayment> payments,
        List<Money> amounts,
        List<(IncomingPayment Payment, PaymentToMatch ToMatch, MatchResult Match)> matches,
        List<RejectedPayment> rejected,
        string actor,
        Dictionary<AccountId, AccountLedger> readForMatching,
        IProgress<PaymentImportProgress>? progress,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = clock.Today();
        await using var db = database.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.WithoutJitAsync(ct);

        var record = new PaymentImport
        {
            Id = SequentialGuid.Create(now),
            Format = format,
            FileName = fileName.Length > 256 ? fileName[..256] : fileName,
            ContentHash = hash,
            ImportedBy = actor,
            ImportedAt = now,
        };
        db.PaymentImports.Add(record);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (IdempotencyErrors.IsUniqueViolation(e))
        {
            await transaction.RollbackAsync(ct);
            await using var read = database.CreateContext();
            return Already(await read.PaymentImports.AsNoTracking().SingleAsync(i => i.ContentHash == hash, ct), fileName);
        }

        Stage("record the import");
        var confident = matches.Where(m => m.Match.IsConfident(AutoPostThreshold)).ToList();
        // In one order, so that two imports touching the same accounts never lock them crosswise.
        var accountIds = confident.Select(m => m.Match.Best!.AccountId).Distinct().OrderBy(a => a.Value.ToString(), StringComparer.Ordinal).ToList();

        // The ledgers were read untracked for matching, before the locks: an account another writer
        // changed meanwhile (its version moved) is read again now that it is locked. What the file adds
        // is written in bulk below; the row locks keep every other writer out until the commit.
        var ledgers = new Dictionary<AccountId, AccountLedger>();
        var stale = new List<AccountId>();
        foreach (var (id, version) in await AccountLocks.LockAsync(db, accountIds, ct))
        {
            if (readForMatching.TryGetValue(id, out var known) && known.Account.Version == version && !known.NewEntries.Any())
            {
                ledgers.Add(id, known);
            }
            else
            {
                stale.Add(id);
            }
        }

        foreach (var chunk in stale.Chunk(Chunks.Size))
        {
            foreach (var ledger in await LedgerLoader.LoadAsync(db, a => chunk.Contains(a.Id), tracked: false, ct))
            {
                ledgers.Add(ledger.Account.Id, ledger);
            }
        }

        Stage("load ledgers");
        var sourceIds = new string[matches.Count];
        var occurrences = new Dictionary<int, int>();
        for (var n = 0; n < matches.Count; n++)
        {
            var line = matches[n].Payment.Line;
            sourceIds[n] = SourceId(hash, line, occurrences[line] = occurrences.GetValueOrDefault(line) + 1);
        }

        // Each account's payments post in file order; accounts are independent of one another, so they post in parallel.
        var refusals = new string?[matches.Count];
        var postedAt = new bool[matches.Count];
        var byAccount = Enumerable.Range(0, matches.Count)
            .Where(n => matches[n].Match.IsConfident(AutoPostThreshold) && ledgers.ContainsKey(matches[n].Match.Best!.AccountId))
            .GroupBy(n => matches[n].Match.Best!.AccountId)
            .ToList();
        Parallel.ForEach(byAccount, new ParallelOptions { CancellationToken = ct }, group =>
        {
            var ledger = ledgers[group.Key];
            foreach (var n in group)
            {
                var (payment, toMatch, match) = matches[n];
                refusals[n] = Post(ledger, toMatch.Amount, payment, match.Best!.InvoiceNumber, sourceIds[n], now, today, _settings);
                postedAt[n] = refusals[n] is null;
            }
        });

        var decisions = new List<PaymentDecision>(matches.Count);
        for (var n = 0; n < matches.Count; n++)
        {
            var (payment, toMatch, match) = matches[n];
            if ((n + 1) % 1_000 == 0)
            {
                progress?.Report(new PaymentImportProgress("Posting", n + 1, matches.Count));
            }

            if (postedAt[n])
            {
                decisions.Add(new PaymentDecision(payment, toMatch.Amount, match, true, null));
                continue;
            }

            var sourceId = sourceIds[n];
            var refused = refusals[n];
            var reason = refused ?? Why(match) ?? "not confident enough to post by itself";
            decisions.Add(new PaymentDecision(payment, toMatch.Amount, match, false, reason));
            db.UnmatchedPayments.Add(new UnmatchedPayment
            {
                Id = SequentialGuid.Create(now),
                ImportId = record.Id,
                Line = payment.Line,
                SourceId = sourceId,
                AmountMinor = toMatch.Amount.Minor,
                Currency = toMatch.Amount.Currency,
                ValueDate = payment.ValueDate,
                PayerName = Cut(payment.PayerName, 200),
                BankReference = Cut(payment.BankReference, 128),
                References = Cut(string.Join('\n', payment.References.Select(r => r.Trim()).Where(r => r.Length > 0)), 4000)!,
                RemittanceText = Cut(payment.RemittanceText, 4000),
                TypeCode = Cut(payment.TypeCode, 64)!,
                Reason = Cut(reason, 1000)!,
                Suggestions = SuggestionJson.Write(match.Suggestions),
                Status = UnmatchedStatus.Open,
                CreatedAt = now,
            });
        }

        Stage("post in memory");
        progress?.Report(new PaymentImportProgress("Saving", matches.Count, matches.Count));
        var changed = ledgers.Values.Where(l => l.NewEntries.Any()).ToList();
        var bulk = database.BulkInserter;
        await bulk.InsertAsync(db, changed.SelectMany(l => l.NewEntries).ToList(), ct);
        Stage("write entries");
        await bulk.InsertAsync(db, changed.SelectMany(l => l.NewAllocations).ToList(), ct);
        Stage("write allocations");
        await AccountVersions.SetAsync(db, changed.Select(l => (l.Account.Id, l.Account.Version)).ToList(), ct);

        // Summaries are derived from the ledger: the posted accounts' money columns are written back in bulk.
        Stage("write versions");
        foreach (var ledger in await AccountSummaries.WriteMoneyAsync(db, bulk, changed, ct))
        {
            await PostPayment.RefreshSummaryAsync(db, ledger, ct);
        }

        Stage("summaries");

        var report = Report(record.Id, format, fileName, hash, payments, amounts, decisions, rejected, decisions.Count(d => d.Posted), false, now, actor);
        record.Records = report.Records;
        record.Matched = report.Matched;
        record.Unmatched = report.Unmatched;
        record.Rejected = rejected.Count;
        record.Totals = string.Join("; ", report.Totals.Select(t => $"{t.Currency.Code} {t.ToDecimalString()}"));
        record.RejectedLines = Cut(string.Join('\n', rejected.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Line}: {r.Reason}"))), 100_000)!;
        record.AutoMatchRate = report.AutoMatchRate;
        db.AuditLog.Add(AuditLog.Record(now, actor, "payment_import.completed", AuditEntity, record.Id.ToString(), null, new
        {
            file = record.FileName,
            format,
            sha256 = hash,
            records = report.Records,
            matched = report.Matched,
            unmatched = report.Unmatched,
            rejected = rejected.Count,
            totals = record.Totals,
            auto_match_rate = report.AutoMatchRate,
        }));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        Stage("save and commit");
        return new PaymentImportOutcome(report, null);
    }

    /// <summary>Posts one payment, paying each invoice's components in the order for the account's kind of debt; null when posted, else why the ledger refused it.</summary>
    private static string? Post(AccountLedger ledger, Money amount, IncomingPayment payment, string? invoiceNumber, string sourceId, DateTimeOffset now, DateOnly today, PaymentSettings settings)
    {
        // A value date in the future (a forward-valued camt entry) takes effect today.
        var date = payment.ValueDate is { } value && value < today ? value : today;
        var reference = Cut(payment.BankReference ?? payment.References.FirstOrDefault(), ReferenceLength);
        var target = invoiceNumber is null ? null : ledger.Invoices.FirstOrDefault(i => i.Number == invoiceNumber)?.Id;
        var order = settings.OrderFor(ledger.Account.Debtor?.DebtType ?? Domain.Debtors.DebtType.Consumer);
        var posted = ledger.PostPayment(amount, date, now, reference, target is { } invoice ? [new PaymentDirection(invoice)] : [], order, sourceId);
        if (posted.Error is not null && target is not null)
        {
            // e.g. the invoice is issued after the value date: oldest due first instead.
            posted = ledger.PostPayment(amount, date, now, reference, [], order, sourceId);
        }

        return posted.Error?.Message;
    }

    /// <summary>Payments that cannot be posted anywhere (an unknown currency, no money in) are rejected, with their lines.</summary>
    private static (List<(IncomingPayment Payment, PaymentToMatch ToMatch)> Accepted, List<RejectedPayment> Rejected) Screen(List<IncomingPayment> payments)
    {
        var accepted = new List<(IncomingPayment, PaymentToMatch)>();
        var rejected = new List<RejectedPayment>();
        foreach (var payment in payments)
        {
            if (!Currency.TryFromCode(payment.Currency, out var currency))
            {
                rejected.Add(new RejectedPayment(payment.Line, $"'{payment.Currency}' is not an ISO 4217 currency code"));
            }
            else if (payment.AmountMinor <= 0)
            {
                rejected.Add(new RejectedPayment(payment.Line, "the amount is not money received (zero or less)"));
            }
            else
            {
                accepted.Add((payment, new PaymentToMatch(new Money(payment.AmountMinor, currency), payment.PayerName, payment.References, payment.RemittanceText)));
            }
        }

        return (accepted, rejected);
    }

    private static PaymentImportReport Report(
        Guid? id, string format, string fileName, string hash, List<IncomingPayment> payments, IEnumerable<Money> amounts,
        List<PaymentDecision> decisions, List<RejectedPayment> rejected, int posted, bool dryRun, DateTimeOffset now, string actor)
    {
        var totals = amounts.GroupBy(a => a.Currency.Code, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Aggregate((a, b) => a + b))
            .ToList();
        var matched = decisions.Count(d => d.Posted);
        var rate = payments.Count == 0 ? 0m : decimal.Round(100m * matched / payments.Count, 1, MidpointRounding.AwayFromZero);
        return new PaymentImportReport(id, format, fileName, hash, payments.Count, totals, matched, decisions.Count - matched, posted, rejected, rate, dryRun, now, actor, decisions);
    }

    private static string? Why(MatchResult match) => match.Problem ?? (match.Best is { } best ? $"best match {best.DebtorExternalId} at {best.Confidence}%: {best.Reason}" : null);

    private static PaymentImportOutcome Already(PaymentImport earlier, string fileName) => new(
        null,
        new Error(AlreadyImported, string.Create(CultureInfo.InvariantCulture,
            $"{fileName} was already imported on {earlier.ImportedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC as import {earlier.Id} ({earlier.FileName}, the same content); nothing was posted")),
        AlreadyImportedAs: earlier.Id);

    private static string? Cut(string? text, int length) => text is null ? null : text.Length <= length ? text : text[..length];
}

/// <summary>The suggestions kept with an unmatched payment, as JSON.</summary>
public static class SuggestionJson
{
    private sealed record Stored(string AccountId, string DebtorId, string Name, string? InvoiceNumber, int Confidence, string Reason);

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static string Write(IEnumerable<MatchSuggestion> suggestions) =>
        JsonSerializer.Serialize(suggestions.Select(s => new Stored(s.AccountId.ToString(), s.DebtorExternalId, s.DebtorName, s.InvoiceNumber, s.Confidence, s.Reason)), Options);

    public static IReadOnlyList<MatchSuggestion> Read(string json) =>
        (JsonSerializer.Deserialize<List<Stored>>(json, Options) ?? [])
            .Select(s => new MatchSuggestion(new AccountId(Guid.Parse(s.AccountId)), s.DebtorId, s.Name, s.InvoiceNumber, s.Confidence, s.Reason))
            .ToList();
}
