using Recoup.Bench;
using Spectre.Console;

// dotnet run -c Release --project bench/Recoup.Bench -- import-aging --debtors 100000 --provider sqlite|postgres|both
// See docs/benchmarks.md.
if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

if (args[0] != "import-aging")
{
    await Console.Error.WriteLineAsync($"Unknown benchmark '{args[0]}'.\n\n{BenchOptions.Usage}");
    return 2;
}

if (BenchOptions.Parse(args.AsSpan(1)) is not { } options)
{
    return 2;
}

try
{
    return await ImportAgingBenchmark.RunAsync(options);
}
catch (Exception e) when (e is not OutOfMemoryException)
{
    AnsiConsole.WriteException(e);
    return 1;
}
