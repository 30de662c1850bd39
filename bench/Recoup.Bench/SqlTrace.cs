using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Recoup.Bench;

/// <summary>
/// With <c>--sql</c>: listens to EF Core's diagnostic events (no change to the code under test) and
/// sums, per stage and per statement shape, how many commands ran and how long the database took —
/// from the command being sent to the last row read. Bulk inserts go around EF Core and are not seen.
/// </summary>
public sealed partial class SqlTrace : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly Func<string> _stage;
    private readonly Dictionary<(string Stage, string Shape), (int Count, TimeSpan Total, TimeSpan Max)> _totals = [];
    private readonly Dictionary<Guid, (long Started, string Stage, string Shape)> _open = [];
    private readonly Lock _lock = new();
    private readonly List<IDisposable> _subscriptions = [];

    public SqlTrace(Func<string> stage)
    {
        _stage = stage;
        _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
    }

    public void Dispose()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }
    }

    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == DbLoggerCategory.Name)
        {
            lock (_lock)
            {
                _subscriptions.Add(value.Subscribe(this));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        switch (value.Value)
        {
            // CommandExecuted fires when the reader is returned; the rows are read until DataReaderDisposing.
            case CommandExecutedEventData executed:
                lock (_lock)
                {
                    _open[executed.CommandId] = (Stopwatch.GetTimestamp() - executed.Duration.Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond, _stage(), Shape(executed.Command.CommandText));
                }

                if (executed.Result is not System.Data.Common.DbDataReader)
                {
                    Close(executed.CommandId);
                }

                break;
            case DataReaderDisposingEventData disposing:
                Close(disposing.CommandId);
                break;
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    /// <summary>Plain lines (a table would wrap the statements): count, total and slowest time, stage, statement.</summary>
    public void Print(string provider, int top = 25)
    {
        List<KeyValuePair<(string Stage, string Shape), (int Count, TimeSpan Total, TimeSpan Max)>> rows;
        lock (_lock)
        {
            rows = _totals.OrderByDescending(t => t.Value.Total).Take(top).ToList();
        }

        Console.WriteLine();
        Console.WriteLine($"{provider}: SQL sent through EF Core, by total time (count, total, slowest, stage, statement)");
        foreach (var (key, value) in rows)
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"SQL {provider,-8} {value.Count,5} {value.Total.TotalSeconds,8:0.000} s {value.Max.TotalSeconds,7:0.000} s  {key.Stage}  {key.Shape}"));
        }
    }

    private void Close(Guid commandId)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            if (!_open.Remove(commandId, out var open))
            {
                return;
            }

            var elapsed = Stopwatch.GetElapsedTime(open.Started, now);
            var key = (open.Stage, open.Shape);
            var total = _totals.GetValueOrDefault(key);
            _totals[key] = (total.Count + 1, total.Total + elapsed, elapsed > total.Max ? elapsed : total.Max);
        }
    }

    /// <summary>The statement with its parameter lists collapsed and its length capped, so that chunks of one query add up.</summary>
    private static string Shape(string sql)
    {
        var collapsed = Parameters().Replace(Whitespace().Replace(sql, " "), "@p…");
        return collapsed.Length <= 400 ? collapsed : collapsed[..400] + "…";
    }

    [GeneratedRegex(@"[@$:][A-Za-z_]+\d*(\s*,\s*[@$:][A-Za-z_]+\d*)+")]
    private static partial Regex Parameters();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
