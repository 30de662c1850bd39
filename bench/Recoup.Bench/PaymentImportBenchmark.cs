using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Recoup.Formats.Bai2;
using Recoup.Services.Payments;
using Recoup.Services.Storage;
using Spectre.Console;

namespace Recoup.Bench;

/// <summary>
/// A lockbox BAI2 file of N credits, each paying an open invoice of the large PostgreSQL database
/// built by <c>account-search --keep-db</c> (the invoice number as the customer reference, the open
/// amount as the amount), read, matched and posted by the payment import; and the same file read
/// alone, for the parse rate.
/// </summary>
public static class PaymentImportBenchmark
{
    public const string Usage = """
        Usage: Recoup.Bench payment-import --reuse-db NAME [options]
          --reuse-db NAME    a database built by account-search --keep-db NAME on the RECOUP_TEST_PG server
          --payments N       credits in the file (default 100000)
        """;

    public static async Task<int> RunAsync(ReadOnlyMemory<string> arguments)
    {
        string? name = null;
        var count = 100_000;
        var args = arguments.Span;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--reuse-db": name = args[i + 1]; break;
                case "--payments": count = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine(Usage); return 2;
            }
        }

        if (await KeptDatabase.OpenAsync(name) is not { } database)
        {
            return 2;
        }

        var measurements = new Measurements("postgres");
        var open = await OpenInvoicesAsync(database, count);
        var bytes = Write(open);
        measurements.Count("payments", "credits in the file", open.Count, "payments");
        measurements.Megabytes("file", "file size", bytes.Length);

        // One round first, untimed, so that the timed rounds measure the parser and not the JIT compiling it.
        var parsed = Parse(bytes);
        var rounds = new List<TimeSpan>();
        for (var round = 0; round < 5; round++)
        {
            var parse = Stopwatch.StartNew();
            parsed = Parse(bytes);
            rounds.Add(parse.Elapsed);
        }

        var best = rounds.Min();
        var mean = TimeSpan.FromTicks((long)rounds.Average(r => r.Ticks));
        measurements.Seconds("parse", $"parse only (best of 5 rounds after one untimed), {parsed:N0} credits", best);
        measurements.Count("parse.rate", "parse rate (best round)", (long)(bytes.Length / 1024.0 / 1024.0 / best.TotalSeconds), "MB/s");
        measurements.Count("parse.rate.mean", "parse rate (mean of the 5 rounds)", (long)(bytes.Length / 1024.0 / 1024.0 / mean.TotalSeconds), "MB/s");

        var clock = TimeProvider.System;
        var import = new ImportPaymentFile(database, clock, PaymentReaders.Default);
        var watch = Stopwatch.StartNew();
        var outcome = await import.RunAsync(new MemoryStream(bytes), $"lockbox-{DateTime.UtcNow:yyyyMMddHHmmss}.bai", "bai2", false, "bench");
        measurements.Seconds("import", "parse, match and post the whole file", watch.Elapsed);
        if (outcome.Error is { } error)
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]{error.Message}[/]");
            return 1;
        }

        foreach (var (stage, elapsed) in import.LastStages)
        {
            measurements.Seconds("import.stage." + stage, stage, elapsed);
        }

        var report = outcome.Report!;
        measurements.Count("import.matched", "matched", report.Matched, "payments");
        measurements.Count("import.posted", "posted", report.Posted, "payments");
        measurements.Count("import.unmatched", "to the unmatched queue", report.Unmatched, "payments");

        measurements.Print();

        return 0;
    }

    private static int Parse(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.ASCII);
        return Bai2File.Payments(reader, "lockbox.bai").Count();
    }

    private static async Task<List<(string Number, long OpenMinor)>> OpenInvoicesAsync(RecoupDatabase database, int count)
    {
        await using var db = database.CreateContext();
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT i.number, SUM(a.amount_minor) FROM invoices i JOIN allocations a ON a.invoice_id = i.id JOIN accounts c ON c.id = i.account_id
            WHERE c.currency = 'USD' GROUP BY i.id, i.number HAVING SUM(a.amount_minor) > 0 ORDER BY i.id LIMIT {count}
            """;
        var rows = new List<(string, long)>(count);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return rows;
    }

    /// <summary>A lockbox report: 1,000 credits per 03 account, each quoting its invoice number, every control total right.</summary>
    private static byte[] Write(List<(string Number, long OpenMinor)> invoices)
    {
        var text = new StringBuilder();
        text.Append("01,RECOUPBANK,RECOUP,261130,0600,1,,,2/\n02,RECOUP,121140399,1,261129,2400,USD,2/\n");
        long groupTotal = 0;
        int groupRecords = 2, accounts = 0;
        foreach (var chunk in invoices.Chunk(1000))
        {
            accounts++;
            text.Append(CultureInfo.InvariantCulture, $"03,{1_000_000 + accounts},USD,010,0,,/\n");
            long total = 0;
            var records = 1;
            foreach (var (number, open) in chunk)
            {
                text.Append(CultureInfo.InvariantCulture, $"16,115,{open},Z,BR{groupRecords + records:D9},{number},LOCKBOX PAYMENT/\n");
                total += open;
                records++;
            }

            records++;
            text.Append(CultureInfo.InvariantCulture, $"49,{total},{records}/\n");
            groupTotal += total;
            groupRecords += records;
        }

        text.Append(CultureInfo.InvariantCulture, $"98,{groupTotal},{accounts},{groupRecords}/\n");
        text.Append(CultureInfo.InvariantCulture, $"99,{groupTotal},1,{groupRecords + 2}/\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }
}
