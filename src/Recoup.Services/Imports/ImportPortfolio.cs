using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Recoup.Data;
using Recoup.Data.Imports;
using Recoup.Domain;
using Recoup.Domain.Contacts;
using Recoup.Domain.Debtors;
using Recoup.Domain.Ledger;
using Recoup.Formats.Csv;
using Recoup.Services.Accounts;
using Recoup.Services.Ledger;
using Recoup.Services.Storage;

namespace Recoup.Services.Imports;

/// <summary>Where an import is: a stage and how far through it.</summary>
public sealed record ImportProgress(string Stage, long Done, long Total);

/// <summary>What a successful import added.</summary>
public sealed record ImportSummary(int Debtors, int Invoices, int Payments, IReadOnlyList<string> Files, TimeSpan Elapsed);

/// <summary>Either the summary of what was imported, or every error found, in which case nothing was written.</summary>
public sealed record ImportOutcome(ImportSummary? Summary, IReadOnlyList<CsvError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// Imports a folder holding debtors.csv, invoices.csv and payments.csv (any of them; see
/// docs/import.md). All or nothing: every file is read and every row checked — against the other
/// files and against the database — before anything is written, and then everything is written in one
/// transaction. Any bad row rejects the whole import with an error naming file, line, column and
/// reason. Ids already in the database are rejected as duplicates, so the same rows can never be
/// posted twice.
/// </summary>
/// <param name="actor">Who runs the import, for the audit log (e.g. <c>cli:dana</c>).</param>
public sealed class ImportPortfolio(RecoupDatabase database, TimeProvider clock, string actor = "system")
{
    private const int QueryChunk = Chunks.Size;
    private const int WriteChunk = 20_000;
    private const long LargeImport = 10_000;

    public async Task<ImportOutcome> RunAsync(string directory, IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        if (!Directory.Exists(directory))
        {
            return Failed(new CsvError(directory, 0, null, "there is no such folder"));
        }

        var paths = new[] { PortfolioCsv.DebtorsFile, PortfolioCsv.InvoicesFile, PortfolioCsv.PaymentsFile }
            .Select(name => Path.Combine(directory, name))
            .Where(File.Exists)
            .ToList();
        if (paths.Count == 0)
        {
            return Failed(new CsvError(directory, 0, null, $"the folder holds none of {PortfolioCsv.DebtorsFile}, {PortfolioCsv.InvoicesFile}, {PortfolioCsv.PaymentsFile}"));
        }

        var files = new Files(
            Read(directory, PortfolioCsv.DebtorsFile, PortfolioCsv.ReadDebtors, progress),
            Read(directory, PortfolioCsv.InvoicesFile, PortfolioCsv.ReadInvoices, progress),
            Read(directory, PortfolioCsv.PaymentsFile, PortfolioCsv.ReadPayments, progress));
        var errors = new List<CsvError>();
        errors.AddRange(files.Debtors.Errors);
        errors.AddRange(files.Invoices.Errors);
        errors.AddRange(files.Payments.Errors);

        await database.MigrateAsync(cancellationToken);
        await using var db = database.CreateContext();
        var now = clock.GetUtcNow();

        progress?.Report(new ImportProgress("Checking against the database", 0, 1));
        var plan = new Plan(now);
        await CheckDebtorsAsync(db, files, plan, errors, cancellationToken);
        await CheckInvoiceAndPaymentIdsAsync(db, files, errors, cancellationToken);
        await LoadExistingAsync(db, plan, cancellationToken);

        progress?.Report(new ImportProgress("Posting to the ledger", 0, files.Invoices.Records.Count + files.Payments.Records.Count));
        PostInvoices(files.Invoices, plan, errors);
        PostPayments(files.Payments, plan, errors);
        if (errors.Count > 0)
        {
            return new ImportOutcome(null, Ordered(errors));
        }

        var batch = new ImportBatch
        {
            Id = Guid.CreateVersion7(now),
            Source = Path.GetFullPath(directory),
            Files = string.Join('\n', paths.Select(p => $"{Path.GetFileName(p)} sha256:{Sha256(p)}")),
            StartedAt = now,
            DebtorCount = plan.NewDebtors.Count,
            InvoiceCount = files.Invoices.Records.Count,
            PaymentCount = files.Payments.Records.Count,
        };

        if (await WriteAsync(db, plan, batch, progress, cancellationToken) is { } conflict)
        {
            return Failed(new CsvError(directory, 0, null, conflict));
        }

        return new ImportOutcome(
            new ImportSummary(batch.DebtorCount, batch.InvoiceCount, batch.PaymentCount, paths.Select(Path.GetFileName).ToList()!, stopwatch.Elapsed),
            []);
    }

    private static ImportOutcome Failed(CsvError error) => new(null, [error]);

    private static CsvFile<T> Read<T>(string directory, string name, Func<TextReader, string, CsvFile<T>> read, IProgress<ImportProgress>? progress)
    {
        var path = Path.Combine(directory, name);
        if (!File.Exists(path))
        {
            return new CsvFile<T>(name, [], []);
        }

        progress?.Report(new ImportProgress($"Reading {name}", 0, 1));
        using var text = new StreamReader(path);
        return read(text, name);
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static IReadOnlyList<CsvError> Ordered(List<CsvError> errors)
    {
        string[] fileOrder = [PortfolioCsv.DebtorsFile, PortfolioCsv.InvoicesFile, PortfolioCsv.PaymentsFile];
        return errors
            .OrderBy(e => Array.IndexOf(fileOrder, e.File))
            .ThenBy(e => e.Line)
            .ToList();
    }

    private static async Task CheckDebtorsAsync(RecoupDbContext db, Files files, Plan plan, List<CsvError> errors, CancellationToken cancellationToken)
    {
        var inFile = files.Debtors.Records.Select(d => d.DebtorId).ToList();
        var existing = await Chunks.QueryAsync(inFile, chunk => db.Debtors.Where(d => chunk.Contains(d.ExternalId)).Select(d => d.ExternalId), cancellationToken);
        var existingSet = existing.ToHashSet(StringComparer.Ordinal);
        var clientCodes = files.Debtors.Records.Where(d => d.Client is not null).Select(d => d.Client!).Distinct(StringComparer.Ordinal).ToList();
        var clients = clientCodes.Count == 0 ? [] : (await db.Clients.AsNoTracking().Where(c => clientCodes.Contains(c.Code)).ToListAsync(cancellationToken))
            .ToDictionary(c => c.Code, StringComparer.Ordinal);
        foreach (var record in files.Debtors.Records)
        {
            if (existingSet.Contains(record.DebtorId))
            {
                errors.Add(new CsvError(files.Debtors.Name, record.Line, "debtor_id", $"debtor '{record.DebtorId}' is already in the database (imported before)"));
                continue;
            }

            if (record.TimeZone is { } zone && !IsIanaTimeZone(zone))
            {
                errors.Add(new CsvError(files.Debtors.Name, record.Line, "time_zone", $"'{zone}' is not an IANA time zone such as America/New_York"));
                continue;
            }

            ClientId? clientId = null;
            if (record.Client is { } code)
            {
                if (!clients.TryGetValue(code, out var client))
                {
                    errors.Add(new CsvError(files.Debtors.Name, record.Line, "client", $"unknown client '{code}': add it first on the Clients screen or with POST /api/clients"));
                    continue;
                }

                if (!client.Active)
                {
                    errors.Add(new CsvError(files.Debtors.Name, record.Line, "client", $"client '{code}' ({client.Name}) is inactive and takes no new debtors"));
                    continue;
                }

                clientId = client.Id;
            }

            plan.AddDebtor(record, clientId);
        }

        // Debtors that invoices and payments name but debtors.csv does not must already exist.
        var referenced = files.Invoices.Records.Select(i => i.DebtorId)
            .Concat(files.Payments.Records.Select(p => p.DebtorId))
            .Where(id => !plan.DebtorsByExternalId.ContainsKey(id) && !existingSet.Contains(id))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var known = await Chunks.QueryAsync(referenced, chunk => db.Debtors.AsNoTracking().Where(d => chunk.Contains(d.ExternalId)), cancellationToken);
        foreach (var debtor in known)
        {
            plan.DebtorsByExternalId[debtor.ExternalId] = debtor;
            plan.ExistingDebtors.Add(debtor.ExternalId);
        }

        var unknownMessage = files.Debtors.Records.Count > 0 ? "neither in debtors.csv nor in the database" : "not in the database (and there is no debtors.csv)";
        foreach (var invoice in files.Invoices.Records.Where(i => !plan.DebtorsByExternalId.ContainsKey(i.DebtorId) && !existingSet.Contains(i.DebtorId)))
        {
            errors.Add(new CsvError(files.Invoices.Name, invoice.Line, "debtor_id", $"unknown debtor '{invoice.DebtorId}': {unknownMessage}"));
        }

        foreach (var payment in files.Payments.Records.Where(p => !plan.DebtorsByExternalId.ContainsKey(p.DebtorId) && !existingSet.Contains(p.DebtorId)))
        {
            errors.Add(new CsvError(files.Payments.Name, payment.Line, "debtor_id", $"unknown debtor '{payment.DebtorId}': {unknownMessage}"));
        }
    }

    private static bool IsIanaTimeZone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && zone.HasIanaId && id.Contains('/', StringComparison.Ordinal);

    private static async Task CheckInvoiceAndPaymentIdsAsync(RecoupDbContext db, Files files, List<CsvError> errors, CancellationToken cancellationToken)
    {
        var invoiceIds = files.Invoices.Records.Select(i => i.InvoiceId).ToList();
        var existingInvoices = (await Chunks.QueryAsync(invoiceIds, chunk => db.Invoices.Where(i => chunk.Contains(i.Number)).Select(i => i.Number), cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var invoice in files.Invoices.Records.Where(i => existingInvoices.Contains(i.InvoiceId)))
        {
            errors.Add(new CsvError(files.Invoices.Name, invoice.Line, "invoice_id", $"invoice '{invoice.InvoiceId}' is already in the database (imported before)"));
        }

        var paymentIds = files.Payments.Records.Select(p => p.PaymentId).ToList();
        var existingPayments = (await Chunks.QueryAsync(paymentIds, chunk => db.LedgerEntries.Where(e => e.SourceId != null && chunk.Contains(e.SourceId)).Select(e => e.SourceId!), cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var payment in files.Payments.Records.Where(p => existingPayments.Contains(p.PaymentId)))
        {
            errors.Add(new CsvError(files.Payments.Name, payment.Line, "payment_id", $"payment '{payment.PaymentId}' is already in the database (imported before)"));
        }
    }

    /// <summary>Loads the ledgers of the existing debtors that this import adds invoices or payments to.</summary>
    private static async Task LoadExistingAsync(RecoupDbContext db, Plan plan, CancellationToken cancellationToken)
    {
        var existingDebtors = plan.ExistingDebtors.ToList();
        if (existingDebtors.Count == 0)
        {
            return;
        }

        foreach (var chunk in existingDebtors.Chunk(QueryChunk))
        {
            foreach (var ledger in await LedgerLoader.LoadAsync(db, a => chunk.Contains(a.Debtor!.ExternalId), tracked: true, cancellationToken))
            {
                plan.AddExisting(ledger);
            }
        }
    }

    private static void PostInvoices(CsvFile<InvoiceRecord> file, Plan plan, List<CsvError> errors)
    {
        foreach (var record in file.Records)
        {
            if (!plan.DebtorsByExternalId.TryGetValue(record.DebtorId, out var debtor))
            {
                continue; // reported as an unknown debtor
            }

            var ledger = plan.LedgerFor(debtor, record.Amount.Currency);
            var added = ledger.AddInvoice(record.InvoiceId, record.IssueDate, record.DueDate, record.Amount, plan.Now);
            if (added.Error is { } error)
            {
                errors.Add(new CsvError(file.Name, record.Line, "invoice_id", error.Message));
                continue;
            }

            plan.InvoicesByNumber[record.InvoiceId] = (added.Value, debtor);
        }
    }

    private static void PostPayments(CsvFile<PaymentRecord> file, Plan plan, List<CsvError> errors)
    {
        foreach (var record in file.Records.OrderBy(p => p.ReceivedOn).ThenBy(p => p.Line))
        {
            if (!plan.DebtorsByExternalId.TryGetValue(record.DebtorId, out var debtor))
            {
                continue; // reported as an unknown debtor
            }

            InvoiceId? target = null;
            if (record.InvoiceId is { } number)
            {
                if (!plan.InvoicesByNumber.TryGetValue(number, out var named))
                {
                    errors.Add(new CsvError(file.Name, record.Line, "invoice_id", $"unknown invoice '{number}': neither in invoices.csv nor in the database for debtor '{record.DebtorId}'"));
                    continue;
                }

                if (named.Debtor.Id != debtor.Id)
                {
                    errors.Add(new CsvError(file.Name, record.Line, "invoice_id", $"invoice '{number}' belongs to debtor '{named.Debtor.ExternalId}', not '{record.DebtorId}'"));
                    continue;
                }

                if (named.Invoice.Currency != record.Amount.Currency)
                {
                    errors.Add(new CsvError(file.Name, record.Line, "currency", $"currency mismatch: invoice '{number}' is in {named.Invoice.Currency.Code}, the payment in {record.Amount.Currency.Code}"));
                    continue;
                }

                target = named.Invoice.Id;
            }

            if (!plan.HasLedger(debtor, record.Amount.Currency))
            {
                errors.Add(new CsvError(file.Name, record.Line, "currency", $"currency mismatch: debtor '{record.DebtorId}' has no invoices in {record.Amount.Currency.Code}"));
                continue;
            }

            var ledger = plan.LedgerFor(debtor, record.Amount.Currency);
            var posted = ledger.PostPayment(record.Amount, record.ReceivedOn, plan.Now, record.PaymentId, target, record.PaymentId);
            if (posted.Error is { } error)
            {
                errors.Add(new CsvError(file.Name, record.Line, error.Code == "invoice_not_yet_issued" ? "received_on" : "amount", error.Message));
            }
        }
    }

    /// <returns>null when written; else why the database refused, in words.</returns>
    private async Task<string?> WriteAsync(RecoupDbContext db, Plan plan, ImportBatch batch, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var debtors = plan.NewDebtors;
        var contacts = debtors.SelectMany(d => d.ContactPoints).ToList();
        var accounts = plan.Ledgers.Where(l => plan.IsNew(l)).Select(l => l.Account).ToList();
        var invoices = plan.Ledgers.SelectMany(l => l.NewInvoices).ToList();
        var entries = plan.Ledgers.SelectMany(l => l.NewEntries).ToList();
        var allocations = plan.Ledgers.SelectMany(l => l.NewAllocations).ToList();
        var debtorsById = plan.DebtorsByExternalId.Values.ToDictionary(d => d.Id);
        var summaries = await AccountSummaries.PrepareAsync(db, plan.Ledgers.ToList(), plan.IsNew, debtorsById, cancellationToken);
        long total = debtors.Count + contacts.Count + accounts.Count + invoices.Count + entries.Count + allocations.Count + summaries.Count;
        long done = 0;
        var bulk = database.BulkInserter;

        async Task Insert<T>(IReadOnlyList<T> rows, string what)
            where T : class
        {
            foreach (var chunk in rows.Chunk(WriteChunk))
            {
                await bulk.InsertAsync(db, chunk, cancellationToken);
                done += chunk.Length;
                progress?.Report(new ImportProgress($"Writing {what}", done, total));
            }
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await Insert(debtors, "debtors");
            await Insert(contacts, "contact points");
            await Insert(accounts, "accounts");
            await Insert(invoices, "invoices");
            await Insert(entries, "ledger entries");
            await Insert(allocations, "allocations");
            await Insert(summaries, "account summaries");

            // Existing accounts were loaded tracked; saving bumps their version, and fails if another
            // writer changed one of them since it was read. Their summaries were refreshed with them.
            batch.FinishedAt = clock.GetUtcNow();
            db.ImportBatches.Add(batch);
            db.AuditLog.Add(Audit.AuditLog.Record(
                batch.FinishedAt, actor, "import.completed", "import", batch.Id.ToString(), null,
                new { batch.Source, batch.Files, batch.DebtorCount, batch.InvoiceCount, batch.PaymentCount }));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception e) when (e is DbUpdateException || e.GetType().Name is "SqliteException" or "PostgresException")
        {
            await transaction.RollbackAsync(cancellationToken);
            return $"the database refused the import and nothing was written — most likely another import or user changed the same debtors at the same time; run the import again ({e.GetBaseException().Message})";
        }

        if (total >= LargeImport)
        {
            progress?.Report(new ImportProgress("Updating statistics", total, total));
            await database.UpdateStatisticsAsync(db, cancellationToken);
        }

        return null;
    }

    private sealed record Files(CsvFile<DebtorRecord> Debtors, CsvFile<InvoiceRecord> Invoices, CsvFile<PaymentRecord> Payments);

    /// <summary>Everything the import will write, built in memory first.</summary>
    private sealed class Plan(DateTimeOffset now)
    {
        private readonly Dictionary<(DebtorId, Currency), AccountLedger> _ledgers = [];
        private readonly HashSet<AccountId> _existingAccounts = [];

        public DateTimeOffset Now { get; } = now;
        public Dictionary<string, Debtor> DebtorsByExternalId { get; } = new(StringComparer.Ordinal);
        public List<Debtor> NewDebtors { get; } = [];
        public HashSet<string> ExistingDebtors { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, (Invoice Invoice, Debtor Debtor)> InvoicesByNumber { get; } = new(StringComparer.Ordinal);
        public IEnumerable<AccountLedger> Ledgers => _ledgers.Values;

        public void AddDebtor(DebtorRecord record, ClientId? client)
        {
            var debtor = new Debtor(DebtorId.New(Now), record.DebtorId, record.Name, record.Kind, record.DebtType, record.TimeZone, Now);
            debtor.PlacedBy(client);
            if (record.Language is { } language)
            {
                debtor.ChangeLanguage(language);
            }

            if (record.Email is { } email)
            {
                Add(debtor, ContactKind.Email, email, null);
            }

            if (record.Phone is { } phone)
            {
                Add(debtor, ContactKind.Phone, phone, null, record.Address?.Country);
            }

            if (record.Address is { } address)
            {
                Add(debtor, ContactKind.Postal, address.ToString(), address);
            }

            DebtorsByExternalId.Add(record.DebtorId, debtor);
            NewDebtors.Add(debtor);
        }

        private void Add(Debtor debtor, ContactKind kind, string value, PostalAddress? address, string? country = null) =>
            debtor.AddContactPoint(ContactPointId.New(Now), kind, value, ContactSource.OriginalCreditor, address,
                NewContactPoints.Describe(kind, value, address, Now, country: country));

        public void AddExisting(AccountLedger ledger)
        {
            var debtor = ledger.Account.Debtor!;
            DebtorsByExternalId[debtor.ExternalId] = debtor;
            _ledgers[(debtor.Id, ledger.Currency)] = ledger;
            _existingAccounts.Add(ledger.Account.Id);
            foreach (var invoice in ledger.Invoices)
            {
                InvoicesByNumber[invoice.Number] = (invoice, debtor);
            }
        }

        public bool IsNew(AccountLedger ledger) => !_existingAccounts.Contains(ledger.Account.Id);

        public bool HasLedger(Debtor debtor, Currency currency) => _ledgers.ContainsKey((debtor.Id, currency));

        public AccountLedger LedgerFor(Debtor debtor, Currency currency)
        {
            if (!_ledgers.TryGetValue((debtor.Id, currency), out var ledger))
            {
                ledger = AccountLedger.Open(new Account(AccountId.New(Now), debtor.Id, currency, Now));
                _ledgers.Add((debtor.Id, currency), ledger);
            }

            return ledger;
        }
    }
}
