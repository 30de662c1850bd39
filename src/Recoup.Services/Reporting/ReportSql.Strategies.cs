using Recoup.Domain;
using Recoup.Domain.Debtors;
using Recoup.Domain.Ledger;

namespace Recoup.Services.Reporting;

/// <summary>
/// The queries of the strategy performance section: the champion/challenger figures
/// (<see cref="Strategies.ChampionChallengerReport"/>) for every segment and arm at once, grouped in the
/// database and narrowed by the report filter, so they run on a million accounts.
/// </summary>
internal sealed partial class ReportSql
{
    /// <summary>
    /// The arms' accounts as of @d: each account of a strategy state (its debt type, segment and arm) the filter
    /// selects, with its assignment — its first step in that segment and arm, or the last run that saw it when it
    /// has taken none — on or before @d. An account assigned after @d was not in the arm yet.
    /// </summary>
    private string ArmPopulation() =>
        "WITH pop AS (SELECT s.account_id, s.debt_type, s.segment, s.arm, a.currency, COALESCE(f.first_on, s.last_run_on) AS since "
        + "FROM account_strategy_states s JOIN accounts a ON a.id = s.account_id "
        + "LEFT JOIN (SELECT t.account_id, t.segment, t.arm, MIN(t.as_of) AS first_on FROM strategy_steps_taken t GROUP BY t.account_id, t.segment, t.arm) f "
        + "ON f.account_id = s.account_id AND f.segment = s.segment AND f.arm = s.arm "
        + "WHERE COALESCE(f.first_on, s.last_run_on) <= @d" + Where("s.account_id", "a.currency") + ") ";

    /// <summary>
    /// One arm's accounts in one currency as of a date: how many; recovered (payments net of reversed payments effective
    /// from each account's assignment to the date) and the sum of each account's recovered amount squared (for the
    /// variance of the t-test); accounts with nothing past due on the date; accounts with a promise taken from their
    /// assignment to the date, and those promises.
    /// </summary>
    public sealed record ArmGroup(DebtType DebtType, string Segment, string Arm, Currency Currency, int Accounts, long RecoveredMinor, double RecoveredSquares, int Cured, int AccountsWithPromise, int Promises);

    public async Task<List<ArmGroup>> ArmGroupsAsync(DateOnly asOf, CancellationToken ct)
    {
        // One row per account of the population at most in each derived table, so the sums are per account before they are per arm.
        var sql = ArmPopulation()
            + "SELECT p.debt_type, p.segment, p.arm, p.currency, COUNT(*), SUM(COALESCE(r.minor, 0)), "
            + "SUM(CAST(COALESCE(r.minor, 0) AS DOUBLE PRECISION) * COALESCE(r.minor, 0)), "
            + "SUM(CASE WHEN pd.account_id IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN pr.n > 0 THEN 1 ELSE 0 END), SUM(COALESCE(pr.n, 0)) "
            + "FROM pop p "
            + "LEFT JOIN (SELECT q.account_id, -SUM(e.amount_minor) AS minor FROM pop q JOIN ledger_entries e ON e.account_id = q.account_id "
            + "LEFT JOIN ledger_entries o ON o.id = e.reverses_entry_id "
            + "WHERE e.effective_date >= q.since AND e.effective_date <= @d AND e.kind IN (@payment, @reversal) AND (e.kind = @payment OR o.kind = @payment) "
            + "GROUP BY q.account_id) r ON r.account_id = p.account_id "
            + "LEFT JOIN (SELECT DISTINCT o.account_id FROM (SELECT i.account_id FROM allocations al JOIN invoices i ON i.id = al.invoice_id "
            + "JOIN pop q ON q.account_id = i.account_id "
            + "WHERE al.invoice_id IS NOT NULL AND al.effective_date <= @d AND i.due_date < @d "
            + "GROUP BY i.id, i.account_id HAVING SUM(al.amount_minor) > 0) o) pd ON pd.account_id = p.account_id "
            + "LEFT JOIN (SELECT q.account_id, COUNT(*) AS n FROM pop q JOIN promises pm ON pm.account_id = q.account_id "
            + "WHERE pm.taken_on >= q.since AND pm.taken_on <= @d GROUP BY q.account_id) pr ON pr.account_id = p.account_id "
            + "GROUP BY p.debt_type, p.segment, p.arm, p.currency";
        await using var db = database.CreateContext();
        await using var command = await CommandAsync(db, sql, ct);
        Add(command, "d", asOf);
        Add(command, "payment", nameof(EntryKind.Payment));
        Add(command, "reversal", nameof(EntryKind.Reversal));
        var rows = new List<ArmGroup>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var squares = await reader.IsDBNullAsync(6, ct) ? 0 : Convert.ToDouble(reader.GetValue(6), System.Globalization.CultureInfo.InvariantCulture);
            rows.Add(new ArmGroup(Enum.Parse<DebtType>(reader.GetString(0)), reader.GetString(1), reader.GetString(2), Currency.FromCode(reader.GetString(3).Trim()),
                (int)Long(reader, 4), Long(reader, 5), squares, (int)Long(reader, 7), (int)Long(reader, 8), (int)Long(reader, 9)));
        }

        return rows;
    }

    /// <summary>Steps carried out (outcome done) by the date on the arms' accounts, in their segment and arm, per arm, currency and action.</summary>
    public async Task<List<(DebtType DebtType, string Segment, string Arm, Currency Currency, string Action, int Steps)>> ArmContactsAsync(DateOnly asOf, CancellationToken ct)
    {
        var sql = ArmPopulation()
            + "SELECT p.debt_type, p.segment, p.arm, p.currency, t.action, COUNT(*) FROM pop p "
            + "JOIN strategy_steps_taken t ON t.account_id = p.account_id AND t.segment = p.segment AND t.arm = p.arm "
            + "WHERE t.outcome = @done AND t.as_of <= @d GROUP BY p.debt_type, p.segment, p.arm, p.currency, t.action";
        await using var db = database.CreateContext();
        await using var command = await CommandAsync(db, sql, ct);
        Add(command, "d", asOf);
        Add(command, "done", "done");
        var rows = new List<(DebtType, string, string, Currency, string, int)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add((Enum.Parse<DebtType>(reader.GetString(0)), reader.GetString(1), reader.GetString(2), Currency.FromCode(reader.GetString(3).Trim()), reader.GetString(4), (int)Long(reader, 5)));
        }

        return rows;
    }
}
