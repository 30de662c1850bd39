using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Recoup.Domain;
using Recoup.Domain.Aging;
using Recoup.Domain.Ledger;
using Recoup.Domain.Plans;
using Recoup.Services.Storage;

namespace Recoup.Services.Reporting;

/// <summary>
/// The set-based queries behind the KPIs and the packs, written in SQL that SQLite and PostgreSQL both
/// run. Each answers every currency at once and returns a few thousand rows at most, however large the
/// portfolio: the database sums, the report only puts the sums together.
/// </summary>
/// <remarks>
/// The expensive ones read the allocations of every invoice once for several dates at a time
/// (<see cref="OpenByDueDateAsync"/>: each date is a conditional sum in the same pass) instead of once
/// per date. Every query opens its own connection, so a caller may run several at once (on PostgreSQL
/// the packs do).
/// </remarks>
internal sealed partial class ReportSql(RecoupDatabase database, ReportFilter filter)
{
    /// <summary>What is open per currency and due date at the end of each date (invoices with more than zero open).</summary>
    public async Task<Dictionary<DateOnly, List<OpenByDueDate>>> OpenByDueDateAsync(IReadOnlyList<DateOnly> dates, CancellationToken ct)
    {
        var distinct = dates.Distinct().Order().ToList();
        var result = distinct.ToDictionary(d => d, _ => new List<OpenByDueDate>());
        if (distinct.Count == 0)
        {
            return result;
        }

        var sql = new StringBuilder("SELECT p.currency, p.due_date");
        for (var k = 0; k < distinct.Count; k++)
        {
            sql.Append(CultureInfo.InvariantCulture, $", SUM(CASE WHEN p.s{k} > 0 THEN p.s{k} ELSE 0 END), COUNT(CASE WHEN p.s{k} > 0 THEN 1 END)");
        }

        sql.Append(" FROM (SELECT i.currency, i.due_date");
        for (var k = 0; k < distinct.Count; k++)
        {
            sql.Append(CultureInfo.InvariantCulture, $", SUM(CASE WHEN a.effective_date <= @d{k} THEN a.amount_minor ELSE 0 END) AS s{k}");
        }

        sql.Append(" FROM allocations a JOIN invoices i ON i.id = a.invoice_id WHERE a.invoice_id IS NOT NULL AND a.effective_date <= @last")
            .Append(Where("i.account_id", "i.currency"))
            .Append(" GROUP BY i.id, i.currency, i.due_date) p GROUP BY p.currency, p.due_date");

        await using var db = database.CreateContext();
        await using var command = await CommandAsync(db, sql.ToString(), ct);
        for (var k = 0; k < distinct.Count; k++)
        {
            Add(command, $"d{k}", distinct[k]);
        }

        Add(command, "last", distinct[^1]);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var currency = Currency.FromCode(reader.GetString(0).Trim());
            var due = reader.GetFieldValue<DateOnly>(1);
            for (var k = 0; k < distinct.Count; k++)
            {
                var count = (int)Long(reader, 3 + 2 * k);
                if (count > 0)
                {
                    result[distinct[k]].Add(new OpenByDueDate(currency, due, Long(reader, 2 + 2 * k), count));
                }
            }
        }

        return result;
    }

    /// <summary>Per currency, the accounts with something past due at the end of <paramref name="start"/>, and how many of them have nothing past due at the end of <paramref name="end"/>.</summary>
    public async Task<Dictionary<Currency, (int PastDue, int Cured)>> CuresAsync(DateOnly start, DateOnly end, CancellationToken ct)
    {
        // One pass: per invoice its open amount at both dates, per account whether anything was past due.
        var sql = "SELECT q.currency, SUM(q.ps), SUM(CASE WHEN q.ps = 1 AND q.pe = 0 THEN 1 ELSE 0 END) FROM ("
            + "SELECT p.account_id, p.currency, MAX(CASE WHEN p.due_date < @start AND p.s0 > 0 THEN 1 ELSE 0 END) AS ps, "
            + "MAX(CASE WHEN p.due_date < @end AND p.s1 > 0 THEN 1 ELSE 0 END) AS pe FROM ("
            + "SELECT i.id, i.account_id, i.currency, i.due_date, "
            + "SUM(CASE WHEN a.effective_date <= @start THEN a.amount_minor ELSE 0 END) AS s0, SUM(a.amount_minor) AS s1 "
            + "FROM allocations a JOIN invoices i ON i.id = a.invoice_id "
            + "WHERE a.invoice_id IS NOT NULL AND a.effective_date <= @end AND i.due_date < @end" + Where("i.account_id", "i.currency")
            + " GROUP BY i.id, i.account_id, i.currency, i.due_date) p GROUP BY p.account_id, p.currency) q GROUP BY q.currency";
        await using var db = database.CreateContext();
        await using var command = await CommandAsync(db, sql, ct);
        Add(command, "start", start);
        Add(command, "end", end);
        var result = new Dictionary<Currency, (int, int)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result[Currency.FromCode(reader.GetString(0).Trim())] = ((int)Long(reader, 1), (int)Long(reader, 2));
        }

        return result;
    }

    /// <summary>One day's entries of one kind in one currency; a reversal counts as the kind it reverses, with its (opposite) sign.</summary>
    public sealed record Flow(Currency Currency, DateOnly Date, EntryKind Kind, long Minor);

    /// <summary>The ledger's entries effective between the two dates, summed per currency, day and kind.</summary>
    public async Task<List<Flow>> FlowsAsync(DateOnly first, DateOnly last, CancellationToken ct)
    {
        var sql = "SELECT e.currency, e.effective_date, e.kind, r.kind, SUM(e.amount_minor) FROM ledger_entries e "
            + "LEFT JOIN ledger_entries r ON r.id = e.reverses_entry_id "
            + "WHERE e.effective_date >= @first AND e.effective_date <= @last" + Where("e.account_id", "e.currency")
            + " GROUP BY e.currency, e.effective_date, e.kind, r.kind";
        await using var db = database.CreateContext();
        await using var command = await CommandAsync(db, sql, ct);
        Add(command, "first", first);
        Add(command, "last", last);
        var flows = new List<Flow>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var kind = Enum.Parse<EntryKind>(reader.GetString(2));
            if (kind == EntryKind.Reversal && !await reader.IsDBNullAsync(3, ct))
            {
                kind = Enum.Parse<EntryKind>(reader.GetString(3));
            }

            flows.Add(new Flow(Currency.FromCode(reader.GetString(0).Trim()), reader.GetFieldValue<DateOnly>(1), kind, Long(reader, 4)));
        }

        return flows;
    }

    /// <summary>Payments applied to invoices between the two dates (reversed payments with their sign), per currency, payment day and invoice issue day.</summary>
    public async Task<List<(Currency Currency, DateOnly PaidOn, DateOnly IssuedOn, long Minor)>> PaidToInvoicesAsync(DateOnly first, DateOnly last, CancellationToken ct)
    {
        var sql = "SELECT e.currency, a.effective_date, i.issue_date, SUM(a.amount_minor) FROM allocations a "
            + "JOIN ledger_entries e ON e.id = a.entry_id LEFT JOIN ledger_entries r ON r.id = e.reverses_entry_id "
            + "JOIN invoices i ON i.id = a.invoice_id "
            + "WHERE a.invoice_id IS NOT NULL AND a.effective_date >= @first AND a.effective_date <= @last "
            + "AND (e.kind = @payment OR (e.kind = @reversal AND r.kind = @payment))" + Where("a.account_id", "e.currency")
            + " GROUP BY e.currency, a.effective_date, i.issue_date";
        await using var db = database.CreateContext();
        await using var command = await CommandAsync(db, sql, ct);
        Add(command, "first", first);
        Add(command, "last", last);
        Add(command, "payment", nameof(EntryKind.Payment));
        Add(command, "reversal", nameof(EntryKind.Reversal));
        var rows = new List<(Currency, DateOnly, DateOnly, long)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add((Currency.FromCode(reader.GetString(0).Trim()), reader.GetFieldValue<DateOnly>(1), reader.GetFieldValue<DateOnly>(2), Long(reader, 3)));
        }

        return rows;
    }

    /// <summary>Promises resolved between the two dates, per currency: kept, and kept, partly kept or broken.</summary>
    public async Task<Dictionary<Currency, (int Kept, int Resolved)>> PromisesAsync(DateOnly first, DateOnly last, CancellationToken ct)
    {
        var sql = "SELECT p.currency, p.status, COUNT(*) FROM promises p WHERE p.resolved_on >= @first AND p.resolved_on <= @last "
            + "AND p.status IN (@kept, @partly, @broken)" + Where("p.account_id", "p.currency") + " GROUP BY p.currency, p.status";
        await using var db = database.CreateContext();
        await using var command = await CommandAsync(db, sql, ct);
        Add(command, "first", first);
        Add(command, "last", last);
        AddResolvedStatuses(command);
        var result = new Dictionary<Currency, (int Kept, int Resolved)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var currency = Currency.FromCode(reader.GetString(0).Trim());
            var count = (int)Long(reader, 2);
            var (kept, resolved) = result.GetValueOrDefault(currency);
            result[currency] = (kept + (reader.GetString(1) == nameof(PromiseStatus.Kept) ? count : 0), resolved + count);
        }

        return result;
    }

    /// <summary>One group of disputes alike in currency and dates: how many and the amount disputed.</summary>
    public sealed record DisputeGroup(Currency Currency, DateOnly OpenedOn, DateOnly DueOn, DateOnly? ResolvedOn, int Count, long AmountMinor);

    /// <summary>Disputes opened by <paramref name="last"/> and not resolved before <paramref name="first"/>, grouped by currency and dates.</summary>
    public async Task<List<DisputeGroup>> DisputesAsync(DateOnly first, DateOnly last, CancellationToken ct)
    {
        var sql = "SELECT d.currency, d.opened_on, d.due_on, d.resolved_on, COUNT(*), SUM(d.amount_minor) FROM disputes d "
            + "WHERE d.opened_on <= @last AND (d.resolved_on IS NULL OR d.resolved_on >= @first)" + Where("d.account_id", "d.currency")
            + " GROUP BY d.currency, d.opened_on, d.due_on, d.resolved_on";
        await using var db = database.CreateContext();
        await using var command = await CommandAsync(db, sql, ct);
        Add(command, "first", first);
        Add(command, "last", last);
        var rows = new List<DisputeGroup>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            DateOnly? resolved = await reader.IsDBNullAsync(3, ct) ? null : reader.GetFieldValue<DateOnly>(3);
            rows.Add(new DisputeGroup(Currency.FromCode(reader.GetString(0).Trim()), reader.GetFieldValue<DateOnly>(1), reader.GetFieldValue<DateOnly>(2), resolved, (int)Long(reader, 4), Long(reader, 5)));
        }

        return rows;
    }

    /// <summary>The filter as SQL conditions on an account id and a currency column, with its parameters added by <see cref="CommandAsync"/>.</summary>
    private string Where(string accountColumn, string currencyColumn)
    {
        var sql = new StringBuilder();
        if (filter.Currency is not null)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND {currencyColumn} = @f_currency");
        }

        if (filter.DebtType is not null)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND {accountColumn} IN (SELECT fa.id FROM accounts fa JOIN debtors fd ON fd.id = fa.debtor_id WHERE fd.debt_type = @f_debt_type)");
        }

        if (filter.Collector is not null)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND {accountColumn} IN (SELECT fc.account_id FROM account_assignments fc WHERE fc.collector = @f_collector)");
        }

        if (filter.Client is not null)
        {
            sql.Append(CultureInfo.InvariantCulture, $" AND {accountColumn} IN (SELECT fca.id FROM accounts fca JOIN debtors fcd ON fcd.id = fca.debtor_id JOIN clients fcl ON fcl.id = fcd.client_id WHERE fcl.code = @f_client)");
        }

        return sql.ToString();
    }

    private async Task<DbCommand> CommandAsync(Data.RecoupDbContext db, string sql, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        await db.WithReportMemoryAsync(ct);
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = Math.Max(command.CommandTimeout, 600);
        if (filter.Currency is { } currency)
        {
            Add(command, "f_currency", currency.Code);
        }

        if (filter.DebtType is { } type)
        {
            Add(command, "f_debt_type", type.ToString());
        }

        if (filter.Collector is { } collector)
        {
            Add(command, "f_collector", collector);
        }

        if (filter.Client is { } client)
        {
            Add(command, "f_client", client);
        }

        return command;
    }

    /// <summary>Binds <c>@kept</c>, <c>@partly</c> and <c>@broken</c>: the statuses of a resolved promise.</summary>
    private static void AddResolvedStatuses(DbCommand command)
    {
        Add(command, "kept", nameof(PromiseStatus.Kept));
        Add(command, "partly", nameof(PromiseStatus.PartiallyKept));
        Add(command, "broken", nameof(PromiseStatus.Broken));
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static long Long(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? 0 : Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);
}
