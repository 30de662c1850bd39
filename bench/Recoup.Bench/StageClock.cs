using System.Diagnostics;
using System.Globalization;
using Recoup.Services.Imports;
using Spectre.Console;

namespace Recoup.Bench;

/// <summary>
/// Times the stages of an import from its progress reports. Reports are handled synchronously on the
/// reporting thread (unlike <see cref="Progress{T}"/>, which posts them to the thread pool and would
/// blur the edges).
/// </summary>
/// <remarks>
/// The import reports two kinds of stage. Reading, checking and posting report once, as they begin
/// (<c>Done</c> = 0): such a stage ends when the next one is reported. Writing reports after each
/// chunk it has written (<c>Done</c> &gt; 0): such a stage ends with its last report, and the next
/// one starts there — so the first chunk of the first table written is counted in the stage before
/// it ("Posting to the ledger"), and every other table gets exactly its own time. What follows the
/// last report (saving the import batch, the commit) is reported as its own stage.
/// </remarks>
public sealed class StageClock(string provider) : IProgress<ImportProgress>
{
    public const string StartStage = "Start (before the first report)";
    public const string CommitStage = "Commit (after the last report)";

    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private readonly List<Stage> _stages = [new(StartStage) { First = TimeSpan.Zero, Last = TimeSpan.Zero }];
    private readonly Lock _lock = new();

    public TimeSpan Elapsed => _watch.Elapsed;

    /// <summary>The stage reported last.</summary>
    public string Current
    {
        get
        {
            lock (_lock)
            {
                return _stages[^1].Name;
            }
        }
    }

    public void Report(ImportProgress value)
    {
        lock (_lock)
        {
            var now = _watch.Elapsed;
            if (_stages[^1].Name != value.Stage)
            {
                _stages.Add(new Stage(value.Stage) { First = now });
                AnsiConsole.MarkupLineInterpolated(
                    CultureInfo.InvariantCulture,
                    $"[grey]{provider,-8} {now.TotalSeconds,7:0.00} s[/]  {value.Stage}");
            }

            _stages[^1].Last = now;
            _stages[^1].ReportsWhenDone |= value.Done > 0;
        }
    }

    /// <summary>Each stage with how long it lasted (see the remarks), then the commit up to <paramref name="end"/>.</summary>
    public IReadOnlyList<(string Stage, TimeSpan Duration)> Stages(TimeSpan end)
    {
        lock (_lock)
        {
            var result = new List<(string, TimeSpan)>();
            var start = TimeSpan.Zero;
            var firstWriting = _stages.FindIndex(s => s.ReportsWhenDone);
            for (var i = 0; i < _stages.Count; i++)
            {
                var stage = _stages[i];
                var until = stage.ReportsWhenDone || i + 1 == _stages.Count ? stage.Last : _stages[i + 1].First;
                var name = i + 1 == firstWriting ? $"{stage.Name} (+ the first chunk written)"
                    : i == firstWriting ? $"{stage.Name} (after its first chunk)"
                    : stage.Name;
                result.Add((name, until - start));
                start = until;
            }

            result.Add((CommitStage, end - start));
            return result;
        }
    }

    private sealed class Stage(string name)
    {
        public string Name { get; } = name;
        public TimeSpan First { get; init; }
        public TimeSpan Last { get; set; }
        public bool ReportsWhenDone { get; set; }
    }
}
