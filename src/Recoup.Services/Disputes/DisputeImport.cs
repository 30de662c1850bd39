using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Recoup.Data.Imports;
using Recoup.Domain;
using Recoup.Domain.Disputes;
using Recoup.Formats.Csv;
using Recoup.Services.Audit;
using Recoup.Services.Storage;

namespace Recoup.Services.Disputes;

/// <summary>What a dispute import did, or would do (<see cref="DryRun"/>): the disputes opened, or every problem of the file.</summary>
/// <param name="AlreadyImported">The same content (by SHA-256) was imported before: nothing was opened again.</param>
public sealed record DisputeImportResult(
    string File, string Sha256, bool DryRun, bool AlreadyImported, IReadOnlyList<DisputeView> Disputes, IReadOnlyList<CsvError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// Imports disputes received elsewhere (a billing system, a mailroom, the debtor's e-mails) from a CSV file with the
/// header <c>account_number,invoice_number,amount,currency,reason,opened_on,channel,note</c> (docs/disputes.md), one
/// dispute a line. All or nothing: the whole file is read and every line opened inside one transaction through the same
/// use case as a collector's dispute (<see cref="Disputes"/>); any problem — a bad value, an unknown account or invoice,
/// more than is open — is listed with its line and column and nothing is kept. Idempotent by content: a file whose
/// SHA-256 was imported before opens nothing again. A dry run checks everything the same way and keeps nothing.
/// </summary>
public sealed class DisputeImport(RecoupDatabase database, TimeProvider clock, DisputeSettings settings)
{
    public const string DefaultFileName = "disputes.csv";

    /// <summary>The import batches of dispute files are recorded with this source.</summary>
    public const string BatchSource = "disputes";

    public static readonly IReadOnlyList<string> Columns = ["account_number", "invoice_number", "amount", "currency", "reason", "opened_on", "channel", "note"];

    private const int MaxErrors = 200;
    private static readonly string Header = string.Join(',', Columns);

    private sealed record Row(int Line, string AccountNumber, string DebtorId, Currency Currency, string? InvoiceNumber, string? Amount, DisputeReason Reason, DateOnly? OpenedOn, DisputeSource Channel, string Note);

    public async Task<DisputeImportResult> RunAsync(string text, string fileName, bool dryRun, string actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        var errors = new List<CsvError>();
        var rows = Read(text, fileName, errors);
        DisputeImportResult Result(bool already, IReadOnlyList<DisputeView> disputes) => new(fileName, hash, dryRun, already, disputes, errors.Count <= MaxErrors
            ? errors
            : [.. errors.Take(MaxErrors), new CsvError(fileName, 0, null, $"{errors.Count - MaxErrors} more errors not listed (the first {MaxErrors} are above)")]);
        if (errors.Count > 0)
        {
            return Result(false, []);
        }

        await using var db = database.CreateContext();
        var fingerprint = $"sha256:{hash}";
        if (await db.ImportBatches.AsNoTracking().AnyAsync(b => b.Source == BatchSource && b.Files.EndsWith(fingerprint), ct))
        {
            return Result(true, []);
        }

        // The accounts named: debtor id and currency → account, a few queries for the whole file.
        var debtorIds = rows.Select(r => r.DebtorId).Distinct(StringComparer.Ordinal).ToList();
        var debtors = await Chunks.QueryAsync(debtorIds, chunk => db.Debtors.AsNoTracking().Where(d => chunk.Contains(d.ExternalId)).Select(d => new { d.Id, d.ExternalId }), ct);
        var byId = debtors.ToDictionary(d => d.Id, d => d.ExternalId);
        var ids = debtors.Select(d => d.Id).ToList();
        var accounts = (await Chunks.QueryAsync(ids, chunk => db.Accounts.AsNoTracking().Where(a => chunk.Contains(a.DebtorId)).Select(a => new { a.Id, a.DebtorId, a.Currency }), ct))
            .ToDictionary(a => (byId[a.DebtorId], a.Currency.Code), a => a.Id);

        var now = clock.GetUtcNow();
        var opened = new List<DisputeView>();
        var disputes = new Disputes(database, clock, settings);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var row in rows)
        {
            if (!accounts.TryGetValue((row.DebtorId, row.Currency.Code), out var accountId))
            {
                errors.Add(new CsvError(fileName, row.Line, "account_number", byId.ContainsValue(row.DebtorId)
                    ? $"debtor '{row.DebtorId}' has no account in {row.Currency.Code}"
                    : $"there is no account '{row.AccountNumber}' (no debtor '{row.DebtorId}')"));
                continue;
            }

            Money? amount = null;
            if (row.Amount is { } amountText)
            {
                if (Money.TryParse(amountText, row.Currency, out var money) is { } wrong)
                {
                    errors.Add(new CsvError(fileName, row.Line, "amount", $"'{amountText}': {wrong}"));
                    continue;
                }

                if (!money.IsPositive)
                {
                    errors.Add(new CsvError(fileName, row.Line, "amount", $"'{amountText}' is not more than zero"));
                    continue;
                }

                amount = money;
            }

            var request = row.InvoiceNumber is { } invoice
                ? new OpenDispute(accountId, row.Reason, row.Channel, row.Note, Invoices: [new DisputedInvoice(invoice, amount)], OpenedOn: row.OpenedOn)
                : new OpenDispute(accountId, row.Reason, row.Channel, row.Note, Amount: amount, OpenedOn: row.OpenedOn);
            var result = await disputes.OpenInAsync(db, request, actor, now, ct);
            if (result.Error is { } error)
            {
                errors.Add(new CsvError(fileName, row.Line, Column(error.Field, row), error.Message));
                continue;
            }

            opened.Add(result.Value);
        }

        if (errors.Count > 0 || dryRun)
        {
            await transaction.RollbackAsync(ct);
            return Result(false, errors.Count > 0 ? [] : opened);
        }

        var batch = new ImportBatch
        {
            Id = SequentialGuid.Create(now),
            Source = BatchSource,
            Files = $"{Path.GetFileName(fileName)} {fingerprint}",
            StartedAt = now,
            FinishedAt = clock.GetUtcNow(),
        };
        db.ImportBatches.Add(batch);
        db.AuditLog.Add(AuditLog.Record(batch.FinishedAt, actor, "disputes.imported", "import", batch.Id.ToString(), null,
            new { file = batch.Files, disputes = opened.Count, dispute_ids = opened.Select(d => d.Id) }));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return Result(false, opened);
    }

    private static string? Column(string? field, Row row) => field switch
    {
        "amount" => "amount",
        "invoices" => row.Amount is null ? "invoice_number" : "amount",
        "description" => "note",
        "opened_on" => "opened_on",
        _ => null,
    };

    /// <summary>The rows of the file that could be read; every other problem is in <paramref name="errors"/>.</summary>
    private static List<Row> Read(string text, string fileName, List<CsvError> errors)
    {
        var rows = new List<Row>();
        var options = CsvReaderOptions.Default with
        {
            Separator = ',',
            HasHeader = true,
            TrimWhitespace = true,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Skip,
            OnMalformedRecord = bad => errors.Add(new CsvError(fileName, (int)bad.LineNumber, null, "the line is not valid CSV (a value with a comma or a quote in it must be in double quotes)")),
        };

        using var reader = new StringReader(text);
        using var csv = CsvReader.Create(reader, options, leaveOpen: true);
        try
        {
            var names = csv.Headers.Select((h, i) => i == 0 ? h.TrimStart('\uFEFF').Trim() : h.Trim()).ToList();
            if (names.All(string.IsNullOrEmpty))
            {
                errors.Add(new CsvError(fileName, 1, null, $"the file is empty; the first line must be {Header}"));
                return rows;
            }

            if (!names.SequenceEqual(Columns, StringComparer.Ordinal))
            {
                var missing = Columns.Where(c => !names.Contains(c, StringComparer.Ordinal)).ToList();
                errors.Add(new CsvError(fileName, 1, missing.FirstOrDefault(), missing.Count > 0
                    ? $"the header must be {Header}; {string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} missing"
                    : $"the header must be exactly {Header} (in this order, no other columns), not {string.Join(',', names)}"));
                return rows;
            }

            while (csv.Read())
            {
                if (ReadRow(csv, fileName, errors) is { } row)
                {
                    rows.Add(row);
                }
            }
        }
        catch (CsvFormatException e)
        {
            errors.Add(new CsvError(fileName, (int)csv.LineNumber, null, $"the file is not valid CSV here: {e.Message}"));
        }

        if (rows.Count == 0 && errors.Count == 0)
        {
            errors.Add(new CsvError(fileName, 0, null, "the file has a header but no disputes"));
        }

        return rows;
    }

    private static Row? ReadRow(CsvReader csv, string fileName, List<CsvError> errors)
    {
        var line = (int)csv.LineNumber;
        var before = errors.Count;
        void Fail(string column, string message) => errors.Add(new CsvError(fileName, line, column, message));
        if (csv.FieldCount != Columns.Count)
        {
            errors.Add(new CsvError(fileName, line, null, $"the line has {csv.FieldCount} fields, not {Columns.Count}; a value with a comma in it must be in double quotes"));
            return null;
        }

        string? Field(int column, int maxLength)
        {
            var value = csv.GetString(column);
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            if (value.Length > maxLength)
            {
                Fail(Columns[column], $"is {value.Length} characters long; at most {maxLength} are allowed");
                return null;
            }

            return value.Trim();
        }

        var number = Field(0, 100);
        var invoice = Field(1, 100);
        var amount = Field(2, 32);
        var currencyText = Field(3, 3);
        var reasonText = Field(4, 40);
        var openedText = Field(5, 10);
        var channelText = Field(6, 20);
        var note = Field(7, 4000);

        // The account: the debtor id and the currency, written D-0000001-USD, or the debtor id with the currency column.
        string? debtorId = null;
        Currency? currency = null;
        if (number is null)
        {
            Fail("account_number", "is required but empty");
        }
        else if (currencyText is not null)
        {
            if (!Currency.TryFromCode(currencyText.ToUpperInvariant(), out var code))
            {
                Fail("currency", $"'{currencyText}' is not an ISO 4217 currency code");
            }
            else
            {
                currency = code;
                var suffix = "-" + code.Code;
                debtorId = number.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && number.Length > suffix.Length ? number[..^suffix.Length] : number;
            }
        }
        else if (number.Length > 4 && number[^4] == '-' && Currency.TryFromCode(number[^3..].ToUpperInvariant(), out var code))
        {
            currency = code;
            debtorId = number[..^4];
        }
        else
        {
            Fail("currency", $"is required when the account number does not end with the currency (like {number}-USD)");
        }

        var reason = DisputeNames.Parse<DisputeReason>(reasonText, DisputeNames.Name);
        if (reasonText is null)
        {
            Fail("reason", $"is required: one of {string.Join(", ", Enum.GetValues<DisputeReason>().Select(DisputeNames.Name))}");
        }
        else if (reason is null)
        {
            Fail("reason", $"'{reasonText}' is not one of {string.Join(", ", Enum.GetValues<DisputeReason>().Select(DisputeNames.Name))}");
        }

        DateOnly? openedOn = null;
        if (openedText is not null)
        {
            if (DateOnly.TryParseExact(openedText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                openedOn = date;
            }
            else
            {
                Fail("opened_on", $"'{openedText}' is not a date like 2026-11-30");
            }
        }

        var channel = DisputeSource.Import;
        if (channelText is not null)
        {
            if (DisputeNames.Parse<DisputeSource>(channelText, DisputeNames.Name) is { } parsed)
            {
                channel = parsed;
            }
            else
            {
                Fail("channel", $"'{channelText}' is not one of {string.Join(", ", Enum.GetValues<DisputeSource>().Select(DisputeNames.Name))}");
            }
        }

        if (note is null)
        {
            Fail("note", "is required: what the debtor disputes and why");
        }

        return errors.Count > before ? null : new Row(line, number!, debtorId!, currency!.Value, invoice, amount, reason!.Value, openedOn, channel, note!);
    }
}
