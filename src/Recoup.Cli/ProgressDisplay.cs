using Spectre.Console;

namespace Recoup.Cli;

/// <summary>
/// Runs long work and, when a person is watching and the work takes longer than a second, shows a
/// progress bar on standard error. Short runs stay quiet.
/// </summary>
public static class ProgressDisplay
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(1);

    public static async Task<T> RunAsync<T, TProgress>(
        CliHost host,
        string title,
        Func<IProgress<TProgress>, Task<T>> work,
        Func<TProgress, (string Stage, double Done, double Total)> describe)
        where TProgress : class
    {
        var latest = new Latest<TProgress>();

        // On a thread of its own: SQLite's "async" calls complete synchronously, so the work would
        // otherwise run to the end before the first await here.
        var task = Task.Run(() => work(latest));
        if (!host.Interactive || await Task.WhenAny(task, Task.Delay(Patience)) == task)
        {
            return await task;
        }

        await host.ErrorConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var bar = context.AddTask(title);
                while (!task.IsCompleted)
                {
                    if (latest.Value is { } current)
                    {
                        var (stage, done, total) = describe(current);
                        bar.Description = Markup.Escape(stage);
                        bar.MaxValue = Math.Max(total, 1);
                        bar.Value = Math.Min(done, bar.MaxValue);
                    }

                    await Task.WhenAny(task, Task.Delay(100));
                }

                bar.Value = bar.MaxValue;
            });
        return await task;
    }

    private sealed class Latest<TProgress> : IProgress<TProgress>
        where TProgress : class
    {
        private TProgress? _value;

        public TProgress? Value => Volatile.Read(ref _value);

        public void Report(TProgress value) => Volatile.Write(ref _value, value);
    }
}
