using System.Data.Common;
using Recoup.Domain;
using Recoup.Domain.Conversations;
using Recoup.Domain.Ledger;
using Recoup.Domain.Plans;

namespace Recoup.Services.Reporting;

/// <summary>
/// The queries of the sections added to the packs: collector performance against targets, promises and
/// plans, credit holds, and the cash-flow forecast. Each is grouped in the database (a few thousand rows
/// at most) and narrowed by the report filter through <see cref="Where"/>.
/// </summary>
internal sealed partial class ReportSql
{
    /// <summary>Payments net of reversed payments effective between the two dates on the accounts assigned to each collector, per collector and currency (positive: collected).</summary>
    public async Task<List<(string Collector, Currency Currency, long Minor)>> CollectedByCollectorAsync(DateOnly first, DateOnly last, CancellationToken ct)
    {
        var sql = "SELECT aa.collector, e.currency, SUM(e.amount_minor) FROM ledger_entries e "
            + "LEFT JOIN ledger_entries r ON r.id = e.reverses_entry_id JOIN account_assignments aa ON aa.account_id = e.account_id "
            + "WHERE e.effective_date >= @first AND e.effective_date <= @last AND (e.kind = @payment OR (e.kind = @reversal AND r.kind = @payment))"
            + Where("e.account_id", "e.currency") + " GROUP BY aa.collector, e.currency";
        await using var db = database.CreateContext();
        await using var command = await CommandAsync(db, sql, ct);
        Add(command, "first", first);
        Add(command, "last", last);
        Add(command, "payment", nameof(EntryKind.Payment));
        Add(command, "reversal", nameof(EntryKind.Reversal));
        var rows = new List<(string, Currency, long)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add((reader.GetString(0), Currency.FromCode(reader.GetString(1).Trim()), -Long(reader, 2)));
        }

        return rows;
    }

    /// <summary>
    /// Right-party contacts each user recorded between the two dates (UTC days): entries of the conversation
    /// log not corrected by a later entry, with the debtor reached and a real conversation (<see cref="Interaction.IsRightPartyContactFor"/>).
    /// With a filter, only contacts with debtors who have an account the filter selects.
    /// </summary>
    public async Task<Dictionary<string, int>> ContactsByCollectorAsync(DateOnly first, DateOnly last, CancellationToken ct)
    {
        await using var db = database.CreateContext();
        var filtered = Where("xa.id", "xa.currency");
        var sql = "SELECT i.recorded_by, i.party, i.outcome, COUNT(*) FROM interactions i "
            + "WHERE i.occurred_at >= @start AND i.occurred_at < @end AND NOT EXISTS (SELECT 1 FROM interactions c WHERE c.corrects = i.id)"
            + (filtered.Length == 0 ? "" : " AND EXISTS (SELECT 1 FROM accounts xa WHERE xa.debtor_id = i.debtor_id" + filtered + ")")
            + " GROUP BY i.recorded_by, i.party, i.outcome";
        await using var command = await CommandAsync(db, sql, ct);

        // occurred_at is stored as the model converts it (binary ticks on SQLite): convert the bounds the same way.
        var occurredAt = db.Model.FindEntityType(typeof(Interaction))!.FindProperty(nameof(Interaction.OccurredAt))!;
        object Instant(DateOnly day)
        {
            var value = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return occurredAt.GetTypeMapping().Converter?.ConvertToProvider(value) ?? value;
        }

        Add(command, "start", Instant(first));
        Add(command, "end", Instant(last.AddDays(1)));
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (Enum.TryParse<PartyReached>(reader.GetString(1), out var party) && Enum.TryParse<InteractionOutcome>(reader.GetString(2), out var outcome)
                && Interaction.IsRightPartyContactFor(party, outcome))
            {
                var user = reader.GetString(0);
                result[user] = result.GetValueOrDefault(user) + (int)Long(reader, 3);
            }
        }

        return result;
    }

    /// <summary>Per user who took them: promises taken between the two dates, and promises resolved between them (kept, and kept, partly kept or broken).</summary>
    public async Task<Dictionary<string, (int Made, int Kept, int Resolved)>> PromisesByCollectorAsync(DateOnly first, DateOnly last, CancellationToken ct)
    {
        var sql = "SELECT p.taken_by, "
            + "COUNT(CASE WHEN p.taken_on >= @first AND p.taken_on <= @last THEN 1 END), "
            + "COUNT(CASE WHEN p.resolved_on >= @first AND p.resolved_on <= @last AND p.status = @kept THEN 1 END), "
            + "COUNT(CASE WHEN p.resolved_on >= @first AND p.resolved_on <= @last AND p.status IN (@kept, @partly, @broken) THEN 1 END) "
            + "FROM promises p WHERE ((p.taken_on >= @first AND p.taken_on <= @last) OR (p.resolved_on >= @first AND p.resolved_on <= @last))"
            + Where("p.account_id", "p.currency") + " GROUP BY p.taken_by";
        await using var db = database.CreateContext();
        await using var command = await CommandAsync(db, sql, ct);
        Add(command, "first", first);
        Add(command, "last", last);
        AddResolvedStatuses(command);
        var result = new Dictionary<string, (int, int, int)>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result[reader.GetString(0)] = ((int)Long(reader, 1), (int)Long(reader, 2), (int)Long(reader, 3));
        }

        return result;
    }

    /// <summary>One currency's promises of one status: taken in the period (count, amount), resolved in it (count, amount promised, amount paid), open at its end (count, amount promised less paid).</summary>
    public sealed record PromiseGroup(Currency Currency, PromiseStatus Status, int Made, long MadeMinor, int Resolved, long ResolvedMinor, long PaidMinor, int Open, long OpenMinor);

    public async Task<List<PromiseGroup>> PromiseGroupsAsync(DateOnly first, DateOnly last, CancellationToken ct)
    {
        const string Made = "p.taken_on >= @first AND p.taken_on <= @last";
        const string Resolved = "p.resolved_on >= @first AND p.resolved_on <= @last";
        const string Open = "p.taken_on <= @last AND (p.resolved_on IS NULL OR p.resolved_on > @last)";
        var sql = $"SELECT p.currency, p.status, COUNT(CASE WHEN {Made} THEN 1 END), SUM(CASE WHEN {Made} THEN p.amount_minor ELSE 0 END), "
            + $"COUNT(CASE WHEN {Resolved} THEN 1 END), SUM(CASE WHEN {Resolved} THEN p.amount_minor ELSE 0 END), SUM(CASE WHEN {Resolved} THEN p.paid_minor ELSE 0 END), "
            + $"COUNT(CASE WHEN {Open} THEN 1 END), SUM(CASE WHEN {Open} THEN p.amount_minor ELSE 0 END) "
            + $"FROM promises p WHERE (({Made}) OR ({Resolved}) OR ({Open}))" + Where("p.account_id", "p.currency") + " GROUP BY p.currency, p.status";
        await using var db = database.CreateContext();
        await using var command = await CommandAsync(db, sql, ct);
        Add(command, "first", first);
        Add(command, "last", last);
        var rows = new List<PromiseGroup>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new PromiseGroup(Currency.FromCode(reader.GetString(0).Trim()), Enum.Parse<PromiseStatus>(reader.GetString(1)),
                (int)Long(reader, 2), Long(reader, 3), (int)Long(reader, 4), Long(reader, 5), Long(reader, 6), (int)Long(reader, 7), Long(reader, 8)));
        }

        return rows;
    }

    /// <summary>A plan that had started and was not yet over at the end of @d (its status then was active).</summary>
    private const string PlanActiveAt = "pl.start_on <= @d AND pl.status IN (@active, @completed, @defaulted, @cancelled) AND (pl.status = @active OR pl.status_since > @d)";

    private static void AddPlanStatuses(DbCommand command)
    {
        Add(command, "active", nameof(PlanStatus.Active));
        Add(command, "completed", nameof(PlanStatus.Completed));
        Add(command, "defaulted", nameof(PlanStatus.Defaulted));
        Add(command, "cancelled", nameof(PlanStatus.Cancelled));
    }

    /// <summary>Per currency: plans active at the period's end (count, total), completed in the period, defaulted in the period.</summary>
    public async Task<Dictionary<Currency, (int Active, long ActiveMinor, int Completed, int Defaulted)>> PlansAsync(DateOnly first, DateOnly last, CancellationToken ct)
    {
        var sql = $"SELECT pl.currency, COUNT(CASE WHEN {PlanActiveAt} THEN 1 END), SUM(CASE WHEN {PlanActiveAt} THEN pl.total_minor ELSE 0 END), "
            + "COUNT(CASE WHEN pl.status = @completed AND pl.status_since >= @first AND pl.status_since <= @d THEN 1 END), "
            + "COUNT(CASE WHEN pl.status = @defaulted AND pl.status_since >= @first AND pl.status_since <= @d THEN 1 END) "
            + "FROM payment_plans pl WHERE pl.start_on <= @d" + Where("pl.account_id", "pl.currency") + " GROUP BY pl.currency";
        await using var db = database.CreateContext();
        await using var command = await CommandAsync(db, sql, ct);
        Add(command, "first", first);
        Add(command, "d", last);
        AddPlanStatuses(command);
        var result = new Dictionary<Currency, (int, long, int, int)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result[Currency.FromCode(reader.GetString(0).Trim())] = ((int)Long(reader, 1), Long(reader, 2), (int)Long(reader, 3), (int)Long(reader, 4));
        }

        return result;
    }

    /// <summary>Per currency: installments of the plans' schedules in force due in the period (count, amount), and those of them fully paid by its end.</summary>
    public async Task<Dictionary<Currency, (int Due, long DueMinor, int Paid, long PaidMinor)>> InstallmentsAsync(DateOnly first, DateOnly last, CancellationToken ct)
    {
        var sql = "SELECT pl.currency, COUNT(*), SUM(i.amount_minor), COUNT(CASE WHEN i.covered_on <= @last THEN 1 END), SUM(CASE WHEN i.covered_on <= @last THEN i.amount_minor ELSE 0 END) "
            + "FROM plan_installments i JOIN payment_plans pl ON pl.id = i.plan_id AND pl.schedule_version = i.version "
            + "WHERE i.due >= @first AND i.due <= @last" + Where("pl.account_id", "pl.currency") + " GROUP BY pl.currency";
        await using var db = database.CreateContext();
        await using var command = await CommandAsync(db, sql, ct);
        Add(command, "first", first);
        Add(command, "last", last);
        var result = new Dictionary<Currency, (int, long, int, long)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result[Currency.FromCode(reader.GetString(0).Trim())] = ((int)Long(reader, 1), Long(reader, 2), (int)Long(reader, 3), Long(reader, 4));
        }

        return result;
    }

    /// <summary>A customer on credit hold at the end of the date, with what its accounts (those the filter selects) owed then in one currency.</summary>
    public sealed record CreditHoldRow(string DebtorId, string Name, string Reason, DateOnly PlacedOn, string PlacedBy, Currency Currency, long ExposureMinor);

    public async Task<List<CreditHoldRow>> CreditHoldsAsync(DateOnly asOf, CancellationToken ct)
    {
        var sql = "SELECT d.external_id, d.name, h.reason, h.placed_on, h.placed_by, a.currency, SUM(COALESCE(e.amount_minor, 0)) "
            + "FROM credit_holds h JOIN debtors d ON d.id = h.debtor_id JOIN accounts a ON a.debtor_id = h.debtor_id "
            + "LEFT JOIN ledger_entries e ON e.account_id = a.id AND e.effective_date <= @d "
            + "WHERE h.placed_on <= @d AND (h.released_on IS NULL OR h.released_on > @d)" + Where("a.id", "a.currency")
            + " GROUP BY d.external_id, d.name, h.reason, h.placed_on, h.placed_by, a.currency";
        await using var db = database.CreateContext();
        await using var command = await CommandAsync(db, sql, ct);
        Add(command, "d", asOf);
        var rows = new List<CreditHoldRow>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new CreditHoldRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateOnly>(3), reader.GetString(4),
                Currency.FromCode(reader.GetString(5).Trim()), Long(reader, 6)));
        }

        return rows;
    }

    /// <summary>Promises open at the end of the date and due by the horizon, per currency and promised date: what is still to come (promised less paid while pending).</summary>
    public async Task<List<(Currency Currency, DateOnly Due, long Minor, int Count)>> OpenPromisesAsync(DateOnly asOf, DateOnly horizon, CancellationToken ct)
    {
        var sql = "SELECT p.currency, p.promised_for, SUM(CASE WHEN p.status = @pending THEN p.amount_minor - p.paid_minor ELSE p.amount_minor END), COUNT(*) FROM promises p "
            + "WHERE p.taken_on <= @d AND (p.resolved_on IS NULL OR p.resolved_on > @d) AND p.promised_for <= @horizon"
            + Where("p.account_id", "p.currency") + " GROUP BY p.currency, p.promised_for";
        await using var db = database.CreateContext();
        await using var command = await CommandAsync(db, sql, ct);
        Add(command, "d", asOf);
        Add(command, "horizon", horizon);
        Add(command, "pending", nameof(PromiseStatus.Pending));
        var rows = new List<(Currency, DateOnly, long, int)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add((Currency.FromCode(reader.GetString(0).Trim()), reader.GetFieldValue<DateOnly>(1), Long(reader, 2), (int)Long(reader, 3)));
        }

        return rows;
    }

    /// <summary>Installments of the plans active at the end of the date, grouped by their plan's record before the date (kept and judged installments) and due date.</summary>
    public sealed record InstallmentGroup(Currency Currency, int PlanKept, int PlanJudged, DateOnly Due, long Minor, int Count);

    /// <summary>
    /// Installments still to come at the end of <paramref name="asOf"/> (due from then to the horizon, not fully paid by then) of the
    /// plans active then, with their plan's record: installments due before the date that are judged, and of them those paid (kept or late).
    /// </summary>
    public async Task<List<InstallmentGroup>> InstallmentsToComeAsync(DateOnly asOf, DateOnly horizon, CancellationToken ct)
    {
        var sql = "SELECT q.currency, q.kept, q.judged, i.due, SUM(CASE WHEN i.covered_on IS NULL THEN i.amount_minor - i.paid_minor ELSE i.amount_minor END), COUNT(*) "
            + "FROM plan_installments i JOIN (" + PlanRecords() + ") q ON q.id = i.plan_id AND q.schedule_version = i.version "
            + "WHERE i.due >= @d AND i.due <= @horizon AND (i.covered_on IS NULL OR i.covered_on > @d) "
            + "GROUP BY q.currency, q.kept, q.judged, i.due";
        await using var db = database.CreateContext();
        await using var command = await CommandAsync(db, sql, ct);
        Add(command, "d", asOf);
        Add(command, "horizon", horizon);
        AddPlanStatuses(command);
        Add(command, "pending", nameof(InstallmentStatus.Pending));
        Add(command, "kept", nameof(InstallmentStatus.Kept));
        Add(command, "late", nameof(InstallmentStatus.Late));
        var rows = new List<InstallmentGroup>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new InstallmentGroup(Currency.FromCode(reader.GetString(0).Trim()), (int)Long(reader, 1), (int)Long(reader, 2), reader.GetFieldValue<DateOnly>(3), Long(reader, 4), (int)Long(reader, 5)));
        }

        return rows;
    }

    /// <summary>Per currency, over the plans active at the end of the date: installments due before it that are judged, and those of them paid.</summary>
    public async Task<Dictionary<Currency, (int Kept, int Judged)>> InstallmentRecordAsync(DateOnly asOf, CancellationToken ct)
    {
        var sql = "SELECT q.currency, SUM(q.kept), SUM(q.judged) FROM (" + PlanRecords() + ") q GROUP BY q.currency";
        await using var db = database.CreateContext();
        await using var command = await CommandAsync(db, sql, ct);
        Add(command, "d", asOf);
        AddPlanStatuses(command);
        Add(command, "pending", nameof(InstallmentStatus.Pending));
        Add(command, "kept", nameof(InstallmentStatus.Kept));
        Add(command, "late", nameof(InstallmentStatus.Late));
        var result = new Dictionary<Currency, (int, int)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result[Currency.FromCode(reader.GetString(0).Trim())] = ((int)Long(reader, 1), (int)Long(reader, 2));
        }

        return result;
    }

    /// <summary>Each plan active at the end of @d with its record before @d: judged installments (no longer pending) and kept ones (kept or late).</summary>
    private string PlanRecords() =>
        "SELECT pl.id, pl.currency, pl.schedule_version, "
        + "SUM(CASE WHEN j.due < @d AND j.status <> @pending THEN 1 ELSE 0 END) AS judged, "
        + "SUM(CASE WHEN j.due < @d AND j.status IN (@kept, @late) THEN 1 ELSE 0 END) AS kept "
        + "FROM payment_plans pl JOIN plan_installments j ON j.plan_id = pl.id AND j.version = pl.schedule_version "
        + "WHERE " + PlanActiveAt + Where("pl.account_id", "pl.currency") + " GROUP BY pl.id, pl.currency, pl.schedule_version";
}
