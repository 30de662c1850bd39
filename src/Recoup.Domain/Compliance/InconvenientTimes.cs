using System.Globalization;

namespace Recoup.Domain.Compliance;

/// <summary>
/// The text form of the times a debtor said are inconvenient: ranges separated by <c>;</c>, each
/// <c>DAYS HH:MM-HH:MM</c> where DAYS is a day (<c>mon</c>), a run (<c>mon-fri</c>), a list
/// (<c>sat,sun</c>) or <c>daily</c>. <c>daily 00:00-00:00</c> is every hour of every day.
/// Example: <c>mon-fri 09:00-17:00; sun 00:00-00:00</c>.
/// </summary>
public static class InconvenientTimes
{
    private static readonly string[] Names = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    public static Result<IReadOnlyList<InconvenientTime>> Parse(string? text)
    {
        var ranges = new List<InconvenientTime>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return ranges;
        }

        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (pieces.Length != 2 || Days(pieces[0].ToLowerInvariant()) is not { } days || Hours(pieces[1]) is not var (from, to))
            {
                return new Error("inconvenient_times_invalid",
                    $"'{part}' is not a time range like 'mon-fri 09:00-17:00' (days: mon…sun, a run mon-fri, a list sat,sun, or daily)", "inconvenient_times");
            }

            ranges.Add(new InconvenientTime(days, from, to));
        }

        return ranges;
    }

    public static string Format(IEnumerable<InconvenientTime> ranges)
    {
        var parts = new List<string>();
        foreach (var range in ranges)
        {
            var days = range.Days.Count is 0 or 7 ? "daily" : string.Join(',', range.Days.Order().Select(d => Names[(int)d]));
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{days} {range.From:HH\\:mm}-{range.To:HH\\:mm}"));
        }

        return string.Join("; ", parts);
    }

    private static IReadOnlyList<DayOfWeek>? Days(string text)
    {
        if (text == "daily")
        {
            return [];
        }

        var days = new SortedSet<DayOfWeek>();
        foreach (var item in text.Split(','))
        {
            var run = item.Split('-');
            if (run.Length is < 1 or > 2 || run.Any(r => Array.IndexOf(Names, r) < 0))
            {
                return null;
            }

            var first = Array.IndexOf(Names, run[0]);
            var last = Array.IndexOf(Names, run[^1]);
            for (var day = first; ; day = (day + 1) % 7)
            {
                days.Add((DayOfWeek)day);
                if (day == last)
                {
                    break;
                }
            }
        }

        return [.. days];
    }

    private static (TimeOnly From, TimeOnly To)? Hours(string text)
    {
        var bounds = text.Split('-');
        return bounds.Length == 2
            && TimeOnly.TryParseExact(bounds[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
            && TimeOnly.TryParseExact(bounds[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to)
            ? (from, to)
            : null;
    }
}
