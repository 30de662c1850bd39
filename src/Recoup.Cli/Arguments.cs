using System.CommandLine;
using System.Globalization;

namespace Recoup.Cli;

/// <summary>Options shared by several commands, and parsing with messages that say what was expected.</summary>
public static class Arguments
{
    public static Option<string?> AsOf(string description = "The business date to report as of, YYYY-MM-DD. Default: today.") =>
        new("--as-of") { Description = description };

    /// <summary>Parses <c>--as-of</c>; today when absent.</summary>
    public static bool TryDate(string? text, DateOnly today, out DateOnly date, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            date = today;
            return true;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            return true;
        }

        error = $"--as-of '{text}' is not a date in the form YYYY-MM-DD, e.g. 2026-10-31";
        return false;
    }
}
