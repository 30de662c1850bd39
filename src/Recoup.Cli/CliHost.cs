using Microsoft.Extensions.Configuration;
using Recoup.Services;
using Recoup.Services.Storage;
using Spectre.Console;

namespace Recoup.Cli;

/// <summary>Exit codes that scripts can trust.</summary>
public static class ExitCodes
{
    /// <summary>Done as asked.</summary>
    public const int Ok = 0;

    /// <summary>The input or the request was wrong (bad file, unknown id, bad option), or <c>verify</c> found a breach; the message says what.</summary>
    public const int UserError = 1;

    /// <summary>Recoup itself failed; please report it.</summary>
    public const int InternalError = 2;
}

/// <summary>
/// What a command runs against: its output and error streams, the clock, and the environment's
/// database setting. Tests give it string writers and a fake clock.
/// </summary>
public sealed class CliHost(TextWriter output, TextWriter error, TimeProvider clock, string? environmentDatabase, bool interactive, TextReader? input = null)
{
    public static CliHost FromConsole() => new(
        System.Console.Out,
        System.Console.Error,
        TimeProvider.System,
        Environment.GetEnvironmentVariable(RecoupDatabase.EnvironmentVariable),
        !System.Console.IsErrorRedirected,
        System.Console.In);

    public TextWriter Output { get; } = output;
    public TextReader Input { get; } = input ?? TextReader.Null;
    public TextWriter Error { get; } = error;
    public TimeProvider Clock { get; } = clock;
    public string? EnvironmentDatabase { get; } = environmentDatabase;

    /// <summary>Whether a person is watching standard error, so progress bars make sense.</summary>
    public bool Interactive { get; } = interactive;

    /// <summary>Tables and messages for people, on standard output.</summary>
    public IAnsiConsole Console { get; } = Create(output, interactive && !System.Console.IsOutputRedirected);

    /// <summary>Errors and progress, on standard error.</summary>
    public IAnsiConsole ErrorConsole { get; } = Create(error, interactive);

    /// <summary>Who the audit log names for changes made from the command line.</summary>
    public static string Actor => $"cli:{Environment.UserName}";

    public DateOnly Today => Clock.Today();

    /// <summary>The settings the commands that run server work read: appsettings.json beside the program, then environment variables.</summary>
    public static IConfiguration Configuration() => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddEnvironmentVariables()
        .Build();

    public RecoupDatabase Database(string? option) => RecoupDatabase.Resolve(option, EnvironmentDatabase);

    /// <summary>
    /// The database named by <c>--db</c> (or <c>RECOUP_DB</c>) when it exists with an up-to-date schema;
    /// otherwise says so on standard error and returns null (the command then exits with 1).
    /// </summary>
    public async Task<RecoupDatabase?> ExistingDatabaseAsync(string? option, CancellationToken cancellationToken)
    {
        var database = Database(option);
        if (await database.NeedsMigrationAsync(cancellationToken))
        {
            Fail($"There is no Recoup database at {database.Description}, or its schema is out of date. Create or update it with `recoup init` (or `recoup import DIR`).");
            return null;
        }

        return database;
    }

    /// <summary>Reports a user error on standard error and returns <see cref="ExitCodes.UserError"/>.</summary>
    public int Fail(string message)
    {
        ErrorConsole.MarkupLineInterpolated($"[red]error:[/] {message}");
        return ExitCodes.UserError;
    }

    private static IAnsiConsole Create(TextWriter writer, bool interactive) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(writer),
        Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
    });
}
