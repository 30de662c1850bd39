using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Recoup.Bench;

/// <summary>
/// Sums, per statement, how often EF Core ran it and how long it took including reading its rows (from EF Core's
/// diagnostic events: a reader's whole use, or a non-query's execution), for the daily-run benchmark's <c>--sql</c>.
/// </summary>
public sealed partial class SqlTotals : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly Dictionary<string, (int Count, TimeSpan Time, long Rows)> _totals = [];
    private readonly Lock _lock = new();
    private readonly List<IDisposable> _subscriptions = [];

    public SqlTotals() => _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));

    public void Dispose()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }
    }

    /// <summary>The statements that took longest in all, with their count, total time and rows read.</summary>
    public IReadOnlyList<(string Statement, int Count, TimeSpan Time, long Rows)> Top(int n)
    {
        lock (_lock)
        {
            return _totals.OrderByDescending(t => t.Value.Time).Take(n).Select(t => (t.Key, t.Value.Count, t.Value.Time, t.Value.Rows)).ToList();
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
            case DataReaderDisposingEventData reader:
                Add(reader.Command.CommandText, reader.Duration, reader.ReadCount);
                break;
            case CommandExecutedEventData executed when executed.Result is not System.Data.Common.DbDataReader:
                Add(executed.Command.CommandText, executed.Duration, 0);
                break;
        }
    }

    private void Add(string text, TimeSpan time, long rows)
    {
        var shape = Parameters().Replace(Whitespace().Replace(text, " "), "@p");
        shape = shape.Length > 220 ? shape[..220] : shape;
        lock (_lock)
        {
            var (count, total, read) = _totals.GetValueOrDefault(shape);
            _totals[shape] = (count + 1, total + time, read + rows);
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"@\w+(, @\w+)*")]
    private static partial Regex Parameters();
}
