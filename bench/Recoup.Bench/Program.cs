using Recoup.Bench;
using Spectre.Console;

// dotnet run -c Release --project bench/Recoup.Bench -- import-aging --debtors 100000 --provider sqlite|postgres|both
// dotnet run -c Release --project bench/Recoup.Bench -- account-search --debtors 1000000 [--keep-db NAME | --reuse-db NAME]
// dotnet run -c Release --project bench/Recoup.Bench -- compliance-gate [--decisions 1000000]
// dotnet run -c Release --project bench/Recoup.Bench -- work-queues --reuse-db NAME (a database kept by account-search)
// dotnet run -c Release --project bench/Recoup.Bench -- plan-monitoring --reuse-db NAME [--plans 200000]
// dotnet run -c Release --project bench/Recoup.Bench -- bank-files [--details 100000] [--entries 100000]
// dotnet run -c Release --project bench/Recoup.Bench -- payment-import --reuse-db NAME [--payments 100000]
// dotnet run -c Release --project bench/Recoup.Bench -- report-pack --reuse-db NAME [--pack monthly|weekly] [--as-of DATE]
// dotnet run -c Release --project bench/Recoup.Bench -- letter-run [--debtors 12000] [--kind statements|delinquency]
// dotnet run -c Release --project bench/Recoup.Bench -- daily-run (--reuse-db NAME | --sqlite-debtors N)
// See docs/benchmarks.md.
if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine(BenchOptions.Usage);
    Console.WriteLine();
    Console.WriteLine(AccountSearchOptions.Usage);
    Console.WriteLine();
    Console.WriteLine(ComplianceGateBenchmark.Usage);
    Console.WriteLine();
    Console.WriteLine(WorkQueueBenchmark.Usage);
    Console.WriteLine();
    Console.WriteLine(PlanMonitoringBenchmark.Usage);
    Console.WriteLine();
    Console.WriteLine(BankFileBenchmark.Usage);
    Console.WriteLine();
    Console.WriteLine(PaymentImportBenchmark.Usage);
    Console.WriteLine();
    Console.WriteLine(LetterRunBenchmark.Usage);
    Console.WriteLine();
    Console.WriteLine(ReportPackBenchmark.Usage);
    Console.WriteLine();
    Console.WriteLine(DailyRunBenchmark.Usage);
    return 0;
}

try
{
    switch (args[0])
    {
        case "import-aging":
            return BenchOptions.Parse(args.AsSpan(1)) is { } options ? await ImportAgingBenchmark.RunAsync(options) : 2;
        case "account-search":
            return AccountSearchOptions.Parse(args.AsSpan(1)) is { } search ? await AccountSearchBenchmark.RunAsync(search) : 2;
        case "compliance-gate":
            return ComplianceGateBenchmark.Run(args.AsSpan(1));
        case "work-queues":
            return await WorkQueueBenchmark.RunAsync(args.AsMemory(1));
        case "plan-monitoring":
            return await PlanMonitoringBenchmark.RunAsync(args.AsMemory(1));
        case "payment-import":
            return await PaymentImportBenchmark.RunAsync(args.AsMemory(1));
        case "report-pack":
            return await ReportPackBenchmark.RunAsync(args.AsMemory(1));
        case "letter-run":
            return await LetterRunBenchmark.RunAsync(args.AsMemory(1));
        case "daily-run":
            return await DailyRunBenchmark.RunAsync(args.AsMemory(1));
        case "bank-files":
            return BankFileBenchmark.Run(args.AsSpan(1));
        default:
            await Console.Error.WriteLineAsync($"Unknown benchmark '{args[0]}'.\n\n{BenchOptions.Usage}\n\n{AccountSearchOptions.Usage}");
            return 2;
    }
}
catch (Exception e) when (e is not OutOfMemoryException)
{
    AnsiConsole.WriteException(e);
    return 1;
}
