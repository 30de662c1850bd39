using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Recoup.Domain;
using Recoup.Domain.Aging;
using Recoup.Domain.Debtors;
using Recoup.Domain.Ledger;
using Recoup.Services.Audit;
using Recoup.Services.Ledger;
using Recoup.Services.Storage;

namespace Recoup.Services.Accounts;

/// <summary>The debtor an account belongs to.</summary>
/// <param name="DebtorId">The creditor's debtor id (<c>D-0000001</c>).</param>
public sealed record DebtorView(string DebtorId, string Name, DebtorKind Kind, DebtType DebtType, string? TimeZone, ClientRef? Client = null);

/// <summary>The creditor client that placed a debtor: its code and name.</summary>
public sealed record ClientRef(string Code, string Name);

/// <summary>One way to reach the debtor.</summary>
public sealed record ContactView(ContactKind Kind, string Value, ContactStatus Status, ContactSource Source, bool IsPrimary);

/// <summary>One thing that happened on the account: a ledger entry posted, or a change in the audit log.</summary>
/// <param name="Kind">What happened: <c>charge</c>, <c>payment</c>, … for ledger entries; the audit action (<c>payment.posted</c>) otherwise.</param>
/// <param name="Actor">Who did it, when known (imports are the system's).</param>
public sealed record TimelineEvent(DateTimeOffset At, string Kind, string Text, string? Actor);

/// <summary>
/// Everything the account page shows: the debtor and their contacts, the account, its invoices and
/// full ledger with the running balance, the balance and status as of a date, and the timeline.
/// </summary>
/// <param name="Version">The account's version: the API's ETag, and what a change must name to be accepted.</param>
/// <param name="Invoices">Every invoice issued by the as-of date, oldest due first, with what is open on it.</param>
/// <param name="Ledger">Every entry effective by the as-of date, in date order, with the balance after it.</param>
/// <param name="Timeline">Ledger entries and audit records, newest first.</param>
public sealed record AccountView(
    DebtorView Debtor,
    IReadOnlyList<ContactView> Contacts,
    AccountId AccountId,
    Currency Currency,
    long Version,
    DateOnly AsOf,
    IReadOnlyList<StatementInvoice> Invoices,
    IReadOnlyList<StatementLine> Ledger,
    Money Balance,
    Money OpenInvoices,
    Money UnappliedCredit,
    DelinquencyStatus Status,
    int DaysPastDue,
    IReadOnlyList<TimelineEvent> Timeline)
{
    /// <summary>The invoices with something open on them.</summary>
    public IReadOnlyList<StatementInvoice> OpenInvoiceList => Invoices.Where(i => i.Open.IsPositive).ToList();
}

/// <summary>One account, explained (the account page and <c>GET /api/accounts/{id}</c>).</summary>
public sealed class AccountDetails(RecoupDatabase database)
{
    public async Task<Result<AccountView>> GetAsync(AccountId id, DateOnly asOf, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var ledgers = await LedgerLoader.LoadAsync(db, a => a.Id == id, tracked: false, ct);
        if (ledgers is not [var ledger])
        {
            return Result<AccountView>.Fail("account_not_found", $"There is no account {id}");
        }

        var debtor = ledger.Account.Debtor!;
        var contacts = await db.ContactPoints.AsNoTracking()
            .Where(c => c.DebtorId == debtor.Id)
            .ToListAsync(ct);
        var entityId = id.ToString();
        var audit = await db.AuditLog.AsNoTracking()
            .Where(a => a.Entity == AuditEntities.Account && a.EntityId == entityId)
            .ToListAsync(ct);

        var client = debtor.ClientId is { } clientId
            ? await db.Clients.AsNoTracking().Where(c => c.Id == clientId).Select(c => new ClientRef(c.Code, c.Name)).SingleOrDefaultAsync(ct)
            : null;
        var statement = AccountStatement.Explain(ledger, asOf);
        return Result<AccountView>.Ok(new AccountView(
            new DebtorView(debtor.ExternalId, debtor.Name, debtor.Kind, debtor.DebtType, debtor.TimeZone, client),
            contacts
                .OrderBy(c => c.Kind).ThenByDescending(c => c.IsPrimary).ThenBy(c => c.Value, StringComparer.Ordinal)
                .Select(c => new ContactView(c.Kind, c.Value, c.Status, c.Source, c.IsPrimary))
                .ToList(),
            ledger.Account.Id,
            ledger.Currency,
            ledger.Account.Version,
            asOf,
            statement.Invoices,
            statement.Lines,
            statement.Balance,
            statement.OpenInvoices,
            statement.UnappliedCredit,
            statement.Status,
            statement.DaysPastDue,
            Timeline(ledger, audit)));
    }

    private static List<TimelineEvent> Timeline(AccountLedger ledger, IReadOnlyList<Data.Audit.AuditRecord> audit)
    {
        // A payment posted by a person is both a ledger entry and an audit record: show it once, with its actor.
        var actorByEntry = new Dictionary<string, string>(StringComparer.Ordinal);
        var events = new List<(TimelineEvent Event, long Order)>();
        foreach (var record in audit)
        {
            if (EntryIdOf(record.After) is { } entryId)
            {
                actorByEntry[entryId] = record.Actor;
                continue;
            }

            events.Add((new TimelineEvent(record.At, record.Action, Describe(record), record.Actor), long.MaxValue));
        }

        var numbers = ledger.Invoices.ToDictionary(i => i.Id, i => i);
        foreach (var entry in ledger.Entries)
        {
            var text = DescribeEntry(entry, numbers, ledger.IsReversed(entry.Id));
            events.Add((new TimelineEvent(entry.PostedAt, Kind(entry.Kind), text, actorByEntry.GetValueOrDefault(entry.Id.ToString())), entry.Sequence));
        }

        return events
            .OrderByDescending(e => e.Event.At)
            .ThenByDescending(e => e.Order)
            .Select(e => e.Event)
            .ToList();
    }

    private static string? EntryIdOf(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("entry_id", out var id)
                ? id.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Describe(Data.Audit.AuditRecord record) =>
        SummaryOf(record.After) is { } summary ? summary : $"{record.Action} by {record.Actor}";

    /// <summary>The sentence a record carries for the timeline (its <c>summary</c>), when it has one.</summary>
    private static string? SummaryOf(string? json)
    {
        if (json is null || !json.Contains("\"summary\"", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("summary", out var summary) && summary.ValueKind == JsonValueKind.String
                ? summary.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary><c>CreditMemo</c> → <c>credit_memo</c>, the name the API uses for entry kinds.</summary>
    public static string Kind(EntryKind kind) => Data.RecoupDbContext.SnakeCase(kind.ToString());

    private static string DescribeEntry(LedgerEntry entry, Dictionary<InvoiceId, Invoice> invoices, bool reversed)
    {
        var invoice = entry.InvoiceId is { } id && invoices.TryGetValue(id, out var found) ? found : null;
        var date = entry.EffectiveDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var text = entry.Kind switch
        {
            EntryKind.Charge when invoice is not null =>
                $"Invoice {invoice.Number} of {entry.Amount} issued {date}, due {invoice.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}",
            EntryKind.Payment => $"Payment of {entry.Amount.Abs()} received on {date}" + (entry.Reference is { } reference ? $" ({reference})" : ""),
            _ => $"{Kind(entry.Kind).Replace('_', ' ')} of {entry.Amount} effective {date}" + (entry.Memo is { } memo ? $": {memo}" : ""),
        };
        return reversed ? text + " — reversed" : text;
    }
}
