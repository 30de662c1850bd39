using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Recoup.Bench;

/// <summary>A statement EF Core sent, with copies of its parameters, so that it can be explained afterwards.</summary>
public sealed record CapturedCommand(string Kind, string Text, IReadOnlyList<NpgsqlParameter> Parameters, TimeSpan Duration);

/// <summary>
/// Listens to EF Core's diagnostic events (no change to the code under test) and keeps, per kind and
/// per statement, the slowest execution with a copy of its parameters — for EXPLAIN ANALYZE. The time
/// is EF Core's <c>CommandExecuted</c> duration: until the first row is ready, not the whole read.
/// </summary>
public sealed partial class QueryCapture : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly Func<string?> _kind;
    private readonly Dictionary<(string Kind, string Shape), CapturedCommand> _slowest = [];
    private readonly Lock _lock = new();
    private readonly List<IDisposable> _subscriptions = [];

    public QueryCapture(Func<string?> kind)
    {
        _kind = kind;
        _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
    }

    public void Dispose()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }
    }

    /// <summary>The slowest execution of each statement of <paramref name="kind"/>, slowest first.</summary>
    public IReadOnlyList<CapturedCommand> SlowestOf(string kind)
    {
        lock (_lock)
        {
            return _slowest.Where(s => s.Key.Kind == kind).Select(s => s.Value).OrderByDescending(c => c.Duration).ToList();
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
        if (value.Value is not CommandExecutedEventData executed || _kind() is not { } kind)
        {
            return;
        }

        var key = (kind, Whitespace().Replace(executed.Command.CommandText, " "));
        lock (_lock)
        {
            if (_slowest.TryGetValue(key, out var known) && known.Duration >= executed.Duration)
            {
                return;
            }

            var parameters = executed.Command.Parameters.OfType<NpgsqlParameter>().Select(p => p.Clone()).ToList();
            _slowest[key] = new CapturedCommand(kind, executed.Command.CommandText, parameters, executed.Duration);
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    /// <summary>Runs <c>EXPLAIN (ANALYZE, BUFFERS)</c> of <paramref name="command"/> with its parameters and returns the plan.</summary>
    public static async Task<string> ExplainAsync(string connectionString, CapturedCommand command)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var explain = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS) " + command.Text, connection);
        foreach (var parameter in command.Parameters)
        {
            explain.Parameters.Add(parameter.Clone());
        }

        var lines = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }

    /// <summary>The parameters as <c>@name = value</c>, for the report.</summary>
    public static string Describe(CapturedCommand command) =>
        string.Join(", ", command.Parameters.Select(p => $"{p.ParameterName} = {Format(p.Value)}"));

    private static string Format(object? value) => value switch
    {
        null or DBNull => "NULL",
        string s => $"'{s}'",
        System.Collections.IEnumerable list => "{" + string.Join(", ", list.Cast<object?>().Select(Format)) + "}",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
