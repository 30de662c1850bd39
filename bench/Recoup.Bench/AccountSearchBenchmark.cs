using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Recoup.Domain;
using Recoup.Domain.Aging;
using Recoup.Domain.Debtors;
using Recoup.Services.Accounts;
using Recoup.Services.Imports;
using Recoup.Services.Storage;
using Recoup.Testing;
using Spectre.Console;

namespace Recoup.Bench;

/// <summary>
/// The accounts list and the account page on a large PostgreSQL database: builds the database with
/// the real import, chunk by chunk (or reuses one built before), then times
/// <see cref="AccountSearch.SearchAsync"/> and <see cref="AccountDetails.GetAsync"/> in-process —
/// the server time of a request without HTTP — for a mix of searches, filters, sorts and pages.
/// </summary>
public static class AccountSearchBenchmark
{
    private const string Provider = "postgres";

    /// <summary>The kind being timed, for <see cref="SqlTrace"/> and <see cref="QueryCapture"/>; null between samples.</summary>
    private static string? current;

    public static async Task<int> RunAsync(AccountSearchOptions options)
    {
        PrintMachine(options);
        var measurements = new Measurements(Provider);
        var watch = Stopwatch.StartNew();
        var server = await PostgresServer.SharedAsync();
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]{server} (ready in {watch.Elapsed.TotalSeconds:0.0} s)[/]");
        if (!server.IsExternal && options.KeepDb is not null)
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[yellow]--keep-db on the throwaway test server: the server and the database are deleted when this process exits. Set {PostgresServer.ExternalServerVariable} to a server of your own to keep it (docs/benchmarks.md).[/]");
        }

        string connectionString;
        Func<Task> cleanUp = () => Task.CompletedTask;
        if (options.ReuseDb is { } reuse)
        {
            connectionString = server.ConnectionStringFor(reuse);
            if (await ReusableProblemAsync(connectionString) is { } problem)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]Cannot reuse {reuse}: {problem}[/]");
                return 1;
            }
        }
        else if (options.KeepDb is { } keep)
        {
            connectionString = await CreateNamedDatabaseAsync(server, keep);
        }
        else
        {
            connectionString = await server.CreateDatabaseAsync("bench_accounts");
            var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
            cleanUp = () => server.DropDatabaseAsync(name);
        }

        var database = RecoupDatabase.Postgres(connectionString);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"Database: {database.Description}");
        try
        {
            if (options.ReuseDb is null && !await BuildAsync(database, options, measurements))
            {
                return 1;
            }

            await DescribeDatabaseAsync(database, measurements);
            using var capture = new QueryCapture(() => current);
            var results = await MeasureAsync(database, options, measurements);
            PrintTable(options, results);
            await ExplainAsync(database, options, results, capture);

            Console.WriteLine();
            foreach (var measurement in measurements.Items)
            {
                Console.WriteLine(measurement.ToLine());
            }

            var over = results.Where(r => r.P95 >= options.BudgetMs).Select(r => r.Kind.Metric).ToList();
            AnsiConsole.WriteLine();
            AnsiConsole.MarkupLine(over.Count == 0
                ? $"[green]Every kind has p95 under {options.BudgetMs.ToString(CultureInfo.InvariantCulture)} ms.[/]"
                : $"[red]p95 at or over {options.BudgetMs.ToString(CultureInfo.InvariantCulture)} ms: {Markup.Escape(string.Join(", ", over))}[/]");
            return 0;
        }
        finally
        {
            await cleanUp();
            if (options.KeepDb is not null && server.IsExternal)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"Kept the database {options.KeepDb}: measure it again with --reuse-db {options.KeepDb}");
            }
        }
    }

    // ---------------------------------------------------------------- the database

    private static async Task<string> CreateNamedDatabaseAsync(PostgresServer server, string name)
    {
        // Not through CreateDatabaseAsync: on a RECOUP_TEST_PG server that drops what it created when the process exits.
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return server.ConnectionStringFor(name);
    }

    private static async Task<string?> ReusableProblemAsync(string connectionString)
    {
        try
        {
            var database = RecoupDatabase.Postgres(connectionString);
            if (await database.NeedsMigrationAsync())
            {
                return "its schema is behind the code (a migration was added since it was built); build it again with --keep-db";
            }

            await using var db = database.CreateContext();
            return await db.AccountSummaries.AnyAsync() ? null : "it has no account summaries";
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            return "there is no such database on this server";
        }
    }

    /// <summary>Generates and imports the portfolio chunk by chunk, each chunk one ordinary import.</summary>
    private static async Task<bool> BuildAsync(RecoupDatabase database, AccountSearchOptions options, Measurements measurements)
    {
        var total = Stopwatch.StartNew();
        var watch = Stopwatch.StartNew();
        await database.MigrateAsync();
        measurements.Seconds("build.migrate", "Build: create the schema", watch.Elapsed);

        var chunks = (options.Debtors + options.Chunk - 1) / options.Chunk;
        var offsets = new ChunkOffsets(0, 0, 0);
        var generate = TimeSpan.Zero;
        var import = TimeSpan.Zero;
        var folder = Directory.CreateTempSubdirectory("recoup-bench-accounts-").FullName;
        try
        {
            for (var chunk = 0; chunk < chunks; chunk++)
            {
                var debtors = Math.Min(options.Chunk, options.Debtors - offsets.Debtors);
                watch.Restart();
                var counts = PortfolioChunks.Write(folder, debtors, chunk, offsets, options.AsOf, options.Seed);
                var generated = watch.Elapsed;
                generate += generated;

                watch.Restart();
                var outcome = await new ImportPortfolio(database, TimeProvider.System).RunAsync(folder);
                var imported = watch.Elapsed;
                import += imported;
                if (!outcome.Succeeded)
                {
                    AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]Chunk {chunk + 1} failed to import with {outcome.Errors.Count} errors; the first ones:[/]");
                    foreach (var error in outcome.Errors.Take(30))
                    {
                        Console.WriteLine(error.ToString());
                    }

                    return false;
                }

                measurements.Seconds($"build.chunk{chunk + 1:00}.import", $"Build: import of chunk {chunk + 1}", imported);
                AnsiConsole.MarkupLineInterpolated(
                    CultureInfo.InvariantCulture,
                    $"chunk {chunk + 1,2}/{chunks}: D-{offsets.Debtors + 1:D7}…D-{offsets.Debtors + debtors:D7}, {counts.Invoices:#,0} invoices, {counts.Payments:#,0} payments; generated in {generated.TotalSeconds:0.0} s, imported in {imported.TotalSeconds:0.0} s; {total.Elapsed.TotalMinutes:0.0} min so far{LoadAverage()}");
                offsets = new ChunkOffsets(offsets.Debtors + debtors, offsets.Invoices + counts.Invoices, offsets.Payments + counts.Payments);
                GC.Collect();
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        // The import refreshes the statistics of the ledger tables but not of account_summaries; a
        // server that has been up a minute has them from autovacuum, so give them to the planner here
        // rather than measure plans made for an empty table. (See docs/benchmarks.md, "to do".)
        watch.Restart();
        await using (var db = database.CreateContext())
        {
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
            await db.Database.ExecuteSqlRawAsync("VACUUM (ANALYZE) account_summaries");
        }

        measurements.Seconds("build.analyze", "Build: VACUUM (ANALYZE) account_summaries", watch.Elapsed);
        measurements.Seconds("build.generate", "Build: generate the CSV files (all chunks)", generate);
        measurements.Seconds("build.import", "Build: import (all chunks)", import);
        measurements.Seconds("build.total", "Build: total", total.Elapsed);
        measurements.Count("build.invoices", "Build: invoices generated", offsets.Invoices);
        measurements.Count("build.payments", "Build: payments generated", offsets.Payments);
        measurements.Megabytes("build.peak", "Build: peak working set of this process", PeakWorkingSet());
        return true;
    }

    private static async Task DescribeDatabaseAsync(RecoupDatabase database, Measurements measurements)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();

        async Task<T> Scalar<T>(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
            return (T)(await command.ExecuteScalarAsync())!;
        }

        var debtors = await Scalar<long>("SELECT count(*) FROM debtors");
        var accounts = await Scalar<long>("SELECT count(*) FROM accounts");
        var summaries = await Scalar<long>("SELECT count(*) FROM account_summaries");
        var invoices = await Scalar<long>("SELECT count(*) FROM invoices");
        var entries = await Scalar<long>("SELECT count(*) FROM ledger_entries");
        var size = await Scalar<long>("SELECT pg_database_size(current_database())");
        var summaryTable = await Scalar<long>("SELECT pg_table_size('account_summaries')");
        var summaryIndexes = await Scalar<long>("SELECT pg_indexes_size('account_summaries')");
        var analyzed = await Scalar<object>("SELECT coalesce(greatest(last_analyze, last_autoanalyze)::text, 'never') FROM pg_stat_user_tables WHERE relname = 'account_summaries'");
        var settings = await Scalar<string>("SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name) FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', 'jit', 'server_version')");

        measurements.Count("db.debtors", "Debtors", debtors);
        measurements.Count("db.accounts", "Accounts", accounts);
        measurements.Count("db.account_summaries", "Account summaries", summaries);
        measurements.Count("db.invoices", "Invoices", invoices);
        measurements.Count("db.entries", "Ledger entries", entries);
        measurements.Megabytes("db.size", "Database size (pg_database_size)", size);
        measurements.Megabytes("db.account_summaries.table", "account_summaries: table", summaryTable);
        measurements.Megabytes("db.account_summaries.indexes", "account_summaries: indexes", summaryIndexes);
        AnsiConsole.MarkupLineInterpolated(
            CultureInfo.InvariantCulture,
            $"{debtors:#,0} debtors, {accounts:#,0} accounts ({summaries:#,0} summaries), {invoices:#,0} invoices, {entries:#,0} ledger entries; {size / 1024.0 / 1024 / 1024:0.0} GB; account_summaries {summaryTable / 1024 / 1024:#,0} MB + {summaryIndexes / 1024 / 1024:#,0} MB of indexes, analyzed {analyzed}");
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]{settings}[/]");
        if (summaries != accounts)
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[yellow]{accounts - summaries:#,0} accounts have no summary.[/]");
        }
    }

    // ---------------------------------------------------------------- the mix

    /// <summary>One kind of request: <paramref name="Run"/> makes call number <c>i</c> and returns how many rows it got.</summary>
    private sealed record Kind(string Metric, string Label, Func<int, Task<int>> Run);

    private sealed record Result(Kind Kind, double[] Milliseconds, double MeanRows, int Empty)
    {
        public double P50 => Percentile(0.50);
        public double P95 => Percentile(0.95);
        public double P99 => Percentile(0.99);
        public double Max => Milliseconds[^1];

        /// <summary>Nearest rank on the sorted samples.</summary>
        private double Percentile(double q) => Milliseconds[Math.Clamp((int)Math.Ceiling(q * Milliseconds.Length) - 1, 0, Milliseconds.Length - 1)];
    }

    /// <summary>Search inputs taken from random debtors of the database (the same ones for the same seed).</summary>
    private sealed record Inputs(
        List<string> FirstNames, List<string> FullNames, List<string> Prefixes, List<string> Prefixes3, List<string> NoMatch, List<string> DebtorIds,
        List<string> Phones, List<string> Emails, List<string> InvoiceNumbers, List<AccountId> Accounts);

    private static async Task<IReadOnlyList<Result>> MeasureAsync(RecoupDatabase database, AccountSearchOptions options, Measurements measurements)
    {
        var clock = new FixedClock(new DateTimeOffset(options.AsOf.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero));
        var search = new AccountSearch(database, clock);
        var details = new AccountDetails(database);
        var inputs = await SampleInputsAsync(database, options);
        AnsiConsole.MarkupLineInterpolated(
            CultureInfo.InvariantCulture,
            $"Inputs from random debtors: {inputs.FirstNames.Count} first names, {inputs.FullNames.Count} full names, {inputs.Phones.Count} phones, {inputs.Emails.Count} e-mail addresses, {inputs.InvoiceNumbers.Count} invoice numbers, {inputs.Accounts.Count} accounts");

        async Task<int> Search(AccountFilter filter) => (await search.SearchAsync(filter)).Rows.Count;

        Func<int, Task<int>> Term(List<string> terms) => i => Search(new AccountFilter(Search: terms[i % terms.Count]));

        var ranges = new[] { (100m, 250m), (250m, 1_000m), (1_000m, 5_000m), (5_000m, 20_000m), (20_000m, 100_000m) };
        var kinds = new List<Kind>
        {
            new("search.name_common", "Search: a common first name (\"james\")", Term(inputs.FirstNames)),
            new("search.name_rare", "Search: a full name (\"james smith\")", Term(inputs.FullNames)),
            new("search.name_prefix2", "Search: the first two letters of a name", Term(inputs.Prefixes)),
            new("search.name_prefix3", "Search: the first three letters of a name (a substring)", Term(inputs.Prefixes3)),
            new("search.no_match", "Search: a name that matches nothing (reversed first name)", Term(inputs.NoMatch)),
            new("search.broad", "Search: a word in most rows (llc, inc, com, example, 555)", Term(["llc", "inc", "com", "example", "555"])),
            new("search.debtor_id", "Search: exact debtor id", Term(inputs.DebtorIds)),
            new("search.phone", "Search: phone number as typed", Term(inputs.Phones)),
            new("search.email", "Search: e-mail address", Term(inputs.Emails)),
            new("search.invoice", "Search: invoice number", Term(inputs.InvoiceNumbers)),
            new("list.delinquent", "List: status delinquent", _ => Search(new AccountFilter(Status: DelinquencyStatus.Delinquent))),
            new("list.bucket_91_120", "List: bucket 91-120", _ => Search(new AccountFilter(Bucket: "91-120"))),
            new("list.medical", "List: debt type medical", _ => Search(new AccountFilter(DebtType: DebtType.Medical))),
            new("list.balance_range", "List: balance range (5 ranges)", i => Search(new AccountFilter(MinBalance: ranges[i % ranges.Length].Item1, MaxBalance: ranges[i % ranges.Length].Item2))),
            new("list.delinquent_dpd", "List: delinquent, by days past due", _ => Search(new AccountFilter(Status: DelinquencyStatus.Delinquent, Sort: "dpd_desc"))),
            new("list.medical_name", "List: medical, by name", _ => Search(new AccountFilter(DebtType: DebtType.Medical, Sort: "name_asc"))),
            new("list.common_delinquent", "List: common first name, delinquent", i => Search(new AccountFilter(Search: inputs.FirstNames[i % inputs.FirstNames.Count], Status: DelinquencyStatus.Delinquent))),
        };
        foreach (var sort in AccountSearch.Sorts)
        {
            kinds.Add(new($"sort.{sort}", $"Sort {sort}, first page", _ => Search(new AccountFilter(Sort: sort))));
        }

        kinds = kinds.Where(k => Selected(options, k.Metric)).ToList();
        kinds.AddRange(await PageTwentyKindsAsync(search, inputs, options));
        if (Selected(options, "details.get"))
        {
            var asOf = options.AsOf;
            kinds.Add(new("details.get", "Account page (AccountDetails.GetAsync)", async i =>
            {
                var view = await details.GetAsync(inputs.Accounts[i % inputs.Accounts.Count], asOf);
                return view.IsSuccess ? view.Value.Ledger.Count : throw new InvalidOperationException(view.Error!.Message);
            }));
        }

        using var trace = options.Sql ? new SqlTrace(() => current ?? "(between samples)") : null;

        // Warm-up: different inputs from the timed ones (the timed calls use 0 … samples-1).
        var watch = Stopwatch.StartNew();
        foreach (var kind in kinds)
        {
            for (var w = 0; w < options.Warmup; w++)
            {
                await kind.Run(options.Samples + w);
            }
        }

        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]Warm-up: {options.Warmup} calls of each of {kinds.Count} kinds in {watch.Elapsed.TotalSeconds:0.0} s{LoadAverage()}[/]");

        // Timed: round by round, every kind once per round in a shuffled order, so that a slow moment
        // of the (shared) machine is spread over all kinds rather than falling on one.
        var times = kinds.ToDictionary(k => k.Metric, _ => new List<double>(options.Samples));
        var rows = kinds.ToDictionary(k => k.Metric, _ => new List<int>(options.Samples));
        var order = new Random(options.Seed);
        watch.Restart();
        for (var i = 0; i < options.Samples; i++)
        {
            foreach (var kind in kinds.OrderBy(_ => order.Next()))
            {
                current = kind.Metric;
                var start = Stopwatch.GetTimestamp();
                var count = await kind.Run(i);
                var elapsed = Stopwatch.GetElapsedTime(start);
                current = null;
                times[kind.Metric].Add(elapsed.TotalMilliseconds);
                rows[kind.Metric].Add(count);
            }

            if ((i + 1) % 50 == 0)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[grey]{i + 1}/{options.Samples} rounds in {watch.Elapsed.TotalSeconds:0.0} s{LoadAverage()}[/]");
            }
        }

        var results = kinds
            .Select(k => new Result(k, [.. times[k.Metric].Order()], rows[k.Metric].Average(), rows[k.Metric].Count(r => r == 0)))
            .ToList();
        foreach (var result in results)
        {
            var metric = result.Kind.Metric;
            measurements.Milliseconds($"{metric}.p50", $"{result.Kind.Label}, p50", result.P50);
            measurements.Milliseconds($"{metric}.p95", $"{result.Kind.Label}, p95", result.P95);
            measurements.Milliseconds($"{metric}.p99", $"{result.Kind.Label}, p99", result.P99);
            measurements.Milliseconds($"{metric}.max", $"{result.Kind.Label}, max", result.Max);
            measurements.Count($"{metric}.rows", $"{result.Kind.Label}, rows returned (mean)", (long)Math.Round(result.MeanRows));
            measurements.Count($"{metric}.empty", $"{result.Kind.Label}, calls that found nothing", result.Empty, "calls");
        }

        trace?.Print(Provider, top: 40);
        return results;
    }

    private static bool Selected(AccountSearchOptions options, string metric) =>
        options.Only is null || metric.StartsWith(options.Only, StringComparison.Ordinal);

    /// <summary>Page 20 of each sort, of a filter and of a search: the cursor is found by walking 19 pages first (untimed).</summary>
    private static async Task<List<Kind>> PageTwentyKindsAsync(AccountSearch search, Inputs inputs, AccountSearchOptions options)
    {
        const int Page = 20;
        var kinds = new List<Kind>();

        async Task<string?> CursorOfPage(AccountFilter filter)
        {
            string? cursor = null;
            for (var page = 1; page < Page; page++)
            {
                cursor = (await search.SearchAsync(filter with { Cursor = cursor })).NextCursor;
                if (cursor is null)
                {
                    return null;
                }
            }

            return cursor;
        }

        async Task Add(string metric, string label, IEnumerable<AccountFilter> filters)
        {
            if (!Selected(options, metric))
            {
                return;
            }

            var pages = new List<AccountFilter>();
            foreach (var filter in filters)
            {
                if (await CursorOfPage(filter) is { } cursor)
                {
                    pages.Add(filter with { Cursor = cursor });
                }
            }

            if (pages.Count == 0)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[yellow]{metric}: no filter has {Page} pages; left out.[/]");
                return;
            }

            kinds.Add(new(metric, label, async i => (await search.SearchAsync(pages[i % pages.Count])).Rows.Count));
        }

        foreach (var sort in AccountSearch.Sorts)
        {
            await Add($"page20.{sort}", $"Page 20 (cursor), sort {sort}", [new AccountFilter(Sort: sort)]);
        }

        await Add("page20.medical", "Page 20 (cursor), debt type medical", [new AccountFilter(DebtType: DebtType.Medical)]);
        await Add("page20.name_common", "Page 20 (cursor), search a common first name", inputs.FirstNames.Distinct(StringComparer.OrdinalIgnoreCase).Take(10).Select(n => new AccountFilter(Search: n)));
        return kinds;
    }

    private static async Task<Inputs> SampleInputsAsync(RecoupDatabase database, AccountSearchOptions options)
    {
        await using var db = database.CreateContext();
        var debtors = await db.Debtors.CountAsync();
        var random = new Random(options.Seed);
        var wanted = Enumerable.Range(0, 1_500).Select(_ => $"D-{random.Next(1, debtors + 1):D7}").Distinct().ToList();
        var summaries = (await db.AccountSummaries.AsNoTracking().Where(s => wanted.Contains(s.DebtorExternalId)).ToListAsync())
            .OrderBy(s => wanted.IndexOf(s.DebtorExternalId)).ThenBy(s => s.Currency.Code, StringComparer.Ordinal)
            .ToList();
        var debtorIds = summaries.Select(s => s.DebtorId).Distinct().ToList();
        var contacts = (await db.ContactPoints.AsNoTracking().Where(c => debtorIds.Contains(c.DebtorId)).ToListAsync())
            .OrderBy(c => debtorIds.IndexOf(c.DebtorId)).ThenBy(c => c.Value, StringComparer.Ordinal)
            .ToList();
        var accountIds = summaries.Select(s => new AccountId(s.AccountId)).ToList();
        var invoices = (await db.Invoices.AsNoTracking().Where(i => accountIds.Contains(i.AccountId)).Select(i => new { i.AccountId, i.Number }).ToListAsync())
            .GroupBy(i => i.AccountId)
            .OrderBy(g => accountIds.IndexOf(g.Key))
            .Select(g => g.OrderBy(i => i.Number, StringComparer.Ordinal).ElementAt(random.Next(g.Count())).Number)
            .ToList();

        var persons = summaries.Where(s => s.DebtType != DebtType.Commercial).Select(s => s.Name).Distinct().ToList();
        return new Inputs(
            FirstNames: persons.Select(n => n.Split(' ')[0]).ToList(),
            FullNames: persons,
            Prefixes: summaries.Select(s => s.Name[..Math.Min(2, s.Name.Length)]).ToList(),
            Prefixes3: summaries.Select(s => s.Name[..Math.Min(3, s.Name.Length)]).ToList(),
            NoMatch: persons.Select(n => "Zq" + new string([.. n.Split(' ')[0].Reverse()]).ToLowerInvariant()).ToList(),
            DebtorIds: summaries.Select(s => s.DebtorExternalId).Distinct().ToList(),
            Phones: contacts.Where(c => c.Kind == ContactKind.Phone).Select(c => c.Value).ToList(),
            Emails: contacts.Where(c => c.Kind == ContactKind.Email).Select(c => c.Value).ToList(),
            InvoiceNumbers: invoices,
            Accounts: accountIds);
    }

    // ---------------------------------------------------------------- the report

    private static void PrintTable(AccountSearchOptions options, IReadOnlyList<Result> results)
    {
        var table = new Table()
            .Title($"account-search: server time per call, ms ({options.Samples} samples each after {options.Warmup} warm-up calls)")
            .AddColumn("Kind")
            .AddColumn(new TableColumn("Rows (mean)").RightAligned())
            .AddColumn(new TableColumn("p50").RightAligned())
            .AddColumn(new TableColumn("p95").RightAligned())
            .AddColumn(new TableColumn("p99").RightAligned())
            .AddColumn(new TableColumn("max").RightAligned())
            .AddColumn(new TableColumn($"p95 < {options.BudgetMs.ToString(CultureInfo.InvariantCulture)}").Centered());
        foreach (var result in results)
        {
            table.AddRow(
                Markup.Escape($"{result.Kind.Label} [{result.Kind.Metric}]"),
                result.MeanRows.ToString("0.#", CultureInfo.InvariantCulture) + (result.Empty > 0 ? $" ({result.Empty} empty)" : ""),
                Ms(result.P50),
                Ms(result.P95),
                Ms(result.P99),
                Ms(result.Max),
                result.P95 < options.BudgetMs ? "[green]yes[/]" : "[red]NO[/]");
        }

        AnsiConsole.WriteLine();
        AnsiConsole.Write(table);

        static string Ms(double value) => value.ToString(value < 10 ? "0.0" : "#,0", CultureInfo.InvariantCulture);
    }

    /// <summary>The plan of the slowest execution of each statement of the kinds over the budget (or of every kind with --explain).</summary>
    private static async Task ExplainAsync(RecoupDatabase database, AccountSearchOptions options, IReadOnlyList<Result> results, QueryCapture captured)
    {
        foreach (var result in results.Where(r => options.Explain || r.P95 >= options.BudgetMs))
        {
            foreach (var command in captured.SlowestOf(result.Kind.Metric).Take(3))
            {
                Console.WriteLine();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"EXPLAIN {result.Kind.Metric}: slowest execution {command.Duration.TotalMilliseconds:0.0} ms (until the first row)"));
                Console.WriteLine(command.Text);
                Console.WriteLine("-- " + QueryCapture.Describe(command));
                try
                {
                    Console.WriteLine(await QueryCapture.ExplainAsync(database.ConnectionString, command));
                }
                catch (NpgsqlException e)
                {
                    Console.WriteLine($"(EXPLAIN failed: {e.Message})");
                }
            }
        }
    }

    private static void PrintMachine(AccountSearchOptions options)
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var what = options.ReuseDb is { } reuse ? $"reusing database {reuse}" : $"{options.Debtors:#,0} debtors in chunks of {options.Chunk:#,0}";
        AnsiConsole.MarkupLineInterpolated(
            CultureInfo.InvariantCulture,
            $"[bold]account-search[/] {what}, as of {options.AsOf:yyyy-MM-dd}; {Environment.ProcessorCount} CPUs ({cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}), {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024 / 1024:#,0} MB, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}{LoadAverage()}");
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? $"; load average {string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3))}" : "";

    private static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }

    /// <summary>"Today" for the accounts list: the as-of date of the portfolio, so that statuses and buckets are the same on any day.</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
