using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Recoup.Formats.Bai2;
using Recoup.Formats.Camt;
using Recoup.Formats.Nacha;
using Recoup.Testing;
using Spectre.Console;

namespace Recoup.Bench;

/// <summary>
/// Times the bank-file readers: a generated BAI2 file and a generated camt.053 statement (written to a temporary
/// folder first, not timed), read to the end with every control checked and every credit projected to a payment;
/// and the shared real NACHA file of 100,199 entries. Reports MB/s, allocated bytes and the best of several runs.
/// </summary>
public static class BankFileBenchmark
{
    public const string Usage = """
        Usage: Recoup.Bench bank-files [options]

          --details N        BAI2 transaction details (default 100000)
          --entries N        camt.053 entries (default 100000)
          --runs N           timed runs per file (default 5); the best is reported
          --keep             keep the generated files (their folder is printed)
        """;

    public static int Run(ReadOnlySpan<string> args)
    {
        int details = 100_000, entries = 100_000, runs = 5;
        var keep = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Value(ReadOnlySpan<string> all) => i + 1 < all.Length ? all[++i] : throw new FormatException($"{all[i]} needs a value");
            try
            {
                switch (args[i])
                {
                    case "--details": details = int.Parse(Value(args), NumberStyles.None, CultureInfo.InvariantCulture); break;
                    case "--entries": entries = int.Parse(Value(args), NumberStyles.None, CultureInfo.InvariantCulture); break;
                    case "--runs": runs = int.Parse(Value(args), NumberStyles.None, CultureInfo.InvariantCulture); break;
                    case "--keep": keep = true; break;
                    default: throw new FormatException($"unknown option {args[i]}");
                }
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine($"{e.Message}\n\n{Usage}");
                return 2;
            }
        }

        if (details < 1 || entries < 1 || runs < 1)
        {
            Console.Error.WriteLine($"--details, --entries and --runs must be at least 1.\n\n{Usage}");
            return 2;
        }

        AnsiConsole.MarkupLineInterpolated(
            CultureInfo.InvariantCulture,
            $"[bold]bank-files[/] {details:#,0} BAI2 details, {entries:#,0} camt entries, best of {runs}; {Environment.ProcessorCount} CPUs, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");
        var folder = Directory.CreateTempSubdirectory("recoup-bank-files-").FullName;
        try
        {
            var bai2 = Path.Combine(folder, "synthetic.bai2");
            using (var w = new StreamWriter(bai2))
            {
                Bai2Synthetic.Write(w, details);
            }

            var camt = Path.Combine(folder, "synthetic.camt053.xml");
            using (var w = new StreamWriter(camt))
            {
                CamtSynthetic.Write(w, entries);
            }

            var table = new Table().AddColumns("File", "Size (MB)", "Items", "Best (ms)", "MB/s", "Allocated (MB)");
            Measure(table, "BAI2 (generated)", bai2, runs, () =>
            {
                using var text = new StreamReader(bai2);
                return Bai2File.Payments(text, "synthetic.bai2").Count();
            });
            Measure(table, "camt.053 (generated)", camt, runs, () =>
            {
                using var text = new StreamReader(camt);
                return CamtFile.Payments(text, "synthetic.camt053.xml").Count();
            });
            if (RepositoryRoot.SharedRealData is { } realData)
            {
                var ach = Path.Combine(realData, "nacha", "PPD-200-batches-100000-entries.ach.gz");
                var plain = Path.Combine(folder, "PPD-200-batches-100000-entries.ach");
                using (var gzip = new System.IO.Compression.GZipStream(File.OpenRead(ach), System.IO.Compression.CompressionMode.Decompress))
                using (var target = File.Create(plain))
                {
                    gzip.CopyTo(target);
                }

                Measure(table, "NACHA PPD-200-batches (real)", plain, runs, () => NachaFile.Read(plain).Entries.Count());
            }
            else
            {
                AnsiConsole.MarkupLine("[yellow]../shared/realdata is absent: the NACHA file is not timed.[/]");
            }

            AnsiConsole.Write(table);
            if (keep)
            {
                Console.WriteLine($"Files kept in {folder}");
            }

            return 0;
        }
        finally
        {
            if (!keep)
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static void Measure(Table table, string label, string path, int runs, Func<int> read)
    {
        var megabytes = new FileInfo(path).Length / 1024.0 / 1024.0;
        var items = read(); // warm-up
        var best = TimeSpan.MaxValue;
        long allocated = 0;
        for (var run = 0; run < runs; run++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            items = read();
            clock.Stop();
            if (clock.Elapsed < best)
            {
                best = clock.Elapsed;
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            }
        }

        var rate = megabytes / best.TotalSeconds;
        table.AddRow(
            label,
            megabytes.ToString("F1", CultureInfo.InvariantCulture),
            items.ToString("#,0", CultureInfo.InvariantCulture),
            best.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture),
            rate.ToString("F0", CultureInfo.InvariantCulture),
            (allocated / 1024.0 / 1024.0).ToString("F0", CultureInfo.InvariantCulture));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BENCH file=\"{label}\" metric=parse value={rate:F1} unit=MB/s ms={best.TotalMilliseconds:F0} allocatedMB={allocated / 1024.0 / 1024.0:F0} items={items}"));
    }
}
