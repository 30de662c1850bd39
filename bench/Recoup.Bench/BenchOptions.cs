using System.Globalization;

namespace Recoup.Bench;

/// <summary>The command line of <c>import-aging</c>.</summary>
public sealed record BenchOptions(
    int Debtors,
    string Provider,
    int Seed,
    DateOnly AsOf,
    string? Portfolio,
    bool Keep,
    bool Sql,
    bool Child)
{
    public const string Usage = """
        Usage: Recoup.Bench import-aging [options]

          --debtors N        debtors to generate (default 100000; ~5 invoices each)
          --provider P       sqlite | postgres | both (default both; both runs each provider in its own process)
          --seed N           generator seed (default 42)
          --as-of DATE       as-of date of the portfolio and of the aging (default 2026-10-31)
          --portfolio DIR    use the CSV files already in DIR instead of generating them
          --keep             keep the generated files and the SQLite database
          --sql              also time the SQL that EF Core sends, per stage and statement (diagnosis)
        """;

    public static BenchOptions? Parse(ReadOnlySpan<string> args)
    {
        var options = new BenchOptions(100_000, "both", 42, new DateOnly(2026, 10, 31), null, false, false, false);
        for (var i = 0; i < args.Length; i++)
        {
            string Value(ReadOnlySpan<string> all) =>
                i + 1 < all.Length ? all[++i] : throw new FormatException($"{all[i]} needs a value");

            try
            {
                options = args[i] switch
                {
                    "--debtors" => options with { Debtors = int.Parse(Value(args), NumberStyles.None, CultureInfo.InvariantCulture) },
                    "--provider" => options with { Provider = Value(args).ToLowerInvariant() },
                    "--seed" => options with { Seed = int.Parse(Value(args), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) },
                    "--as-of" => options with { AsOf = DateOnly.ParseExact(Value(args), "yyyy-MM-dd", CultureInfo.InvariantCulture) },
                    "--portfolio" => options with { Portfolio = Value(args) },
                    "--keep" => options with { Keep = true },
                    "--sql" => options with { Sql = true },
                    "--child" => options with { Child = true },
                    _ => throw new FormatException($"unknown option {args[i]}"),
                };
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine($"{e.Message}\n\n{Usage}");
                return null;
            }
        }

        if (options.Provider is not ("sqlite" or "postgres" or "both") || options.Debtors < 1)
        {
            Console.Error.WriteLine($"--provider must be sqlite, postgres or both, and --debtors at least 1.\n\n{Usage}");
            return null;
        }

        return options;
    }
}
