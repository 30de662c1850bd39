using System.Globalization;

namespace Recoup.Bench;

/// <summary>The command line of <c>account-search</c>.</summary>
public sealed record AccountSearchOptions(
    int Debtors,
    int Chunk,
    int Seed,
    DateOnly AsOf,
    int Samples,
    int Warmup,
    double BudgetMs,
    string? KeepDb,
    string? ReuseDb,
    bool Sql,
    bool Explain,
    string? Only)
{
    public const string Usage = """
        Usage: Recoup.Bench account-search [options]

          --debtors N        debtors in the database (default 1000000; ~5 invoices each)
          --chunk N          debtors generated and imported per import (default 100000), so memory stays bounded
          --seed N           generator seed of the first chunk; chunk k uses seed + k (default 42)
          --as-of DATE       as-of date of the portfolio, of the account page and of "today" for the list (default 2026-10-31)
          --samples N        timed calls per kind, after the warm-up (default 200)
          --warmup N         untimed calls per kind before the timed ones (default 20)
          --budget MS        the p95 each kind must stay under (default 150)
          --keep-db NAME     build the database under this name and keep it (use it with RECOUP_TEST_PG:
                             a throwaway test server dies with this process)
          --reuse-db NAME    measure an existing database built by --keep-db (skips the build)
          --sql              also sum the time of every statement EF Core sends, per kind (diagnosis)
          --explain          EXPLAIN (ANALYZE, BUFFERS) the slowest statement of every kind (by default only of
                             the kinds whose p95 is over the budget)
          --only PREFIX      measure only the kinds whose metric name starts with PREFIX (e.g. search.name)
        """;

    public static AccountSearchOptions? Parse(ReadOnlySpan<string> args)
    {
        var options = new AccountSearchOptions(1_000_000, 100_000, 42, new DateOnly(2026, 10, 31), 200, 20, 150, null, null, false, false, null);
        for (var i = 0; i < args.Length; i++)
        {
            string Value(ReadOnlySpan<string> all) =>
                i + 1 < all.Length ? all[++i] : throw new FormatException($"{all[i]} needs a value");

            static int Count(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

            try
            {
                options = args[i] switch
                {
                    "--debtors" => options with { Debtors = Count(Value(args)) },
                    "--chunk" => options with { Chunk = Count(Value(args)) },
                    "--seed" => options with { Seed = int.Parse(Value(args), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) },
                    "--as-of" => options with { AsOf = DateOnly.ParseExact(Value(args), "yyyy-MM-dd", CultureInfo.InvariantCulture) },
                    "--samples" => options with { Samples = Count(Value(args)) },
                    "--warmup" => options with { Warmup = Count(Value(args)) },
                    "--budget" => options with { BudgetMs = double.Parse(Value(args), NumberStyles.Float, CultureInfo.InvariantCulture) },
                    "--keep-db" => options with { KeepDb = Value(args) },
                    "--reuse-db" => options with { ReuseDb = Value(args) },
                    "--sql" => options with { Sql = true },
                    "--explain" => options with { Explain = true },
                    "--only" => options with { Only = Value(args) },
                    _ => throw new FormatException($"unknown option {args[i]}"),
                };
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine($"{e.Message}\n\n{Usage}");
                return null;
            }
        }

        string? problem = null;
        if (options.Debtors < 1 || options.Chunk < 1 || options.Samples < 1)
        {
            problem = "--debtors, --chunk and --samples must be at least 1.";
        }
        else if (options.Debtors > 9_999_999)
        {
            problem = "--debtors must stay under 10,000,000 (debtor ids have seven digits).";
        }
        else if (options.KeepDb is not null && options.ReuseDb is not null)
        {
            problem = "--keep-db builds a database and --reuse-db reuses one: give one of them.";
        }
        else if (new[] { options.KeepDb, options.ReuseDb }.Any(name => name is not null && !IsDatabaseName(name)))
        {
            problem = "A database name must be lower-case letters, digits and underscores, starting with a letter.";
        }

        if (problem is not null)
        {
            Console.Error.WriteLine($"{problem}\n\n{Usage}");
            return null;
        }

        return options;
    }

    private static bool IsDatabaseName(string name) =>
        name.Length is > 0 and <= 63 && char.IsAsciiLetterLower(name[0]) && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');
}
