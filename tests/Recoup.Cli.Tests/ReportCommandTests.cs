using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using MiniExcelLibs;
using Recoup.Domain;
using Recoup.Services.Imports;
using Recoup.Services.Reporting;
using Recoup.Services.Storage;
using Recoup.Testing;
using Recoup.Web.Api;
using UglyToad.PdfPig;

namespace Recoup.Cli.Tests;

/// <summary><c>recoup report kpis</c> prints the API's JSON; <c>recoup report monthly</c> writes the pack's PDF and XLSX.</summary>
public sealed class ReportCommandTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));

    private static async Task<RecoupDatabase> SeedAsync()
    {
        var database = await TestDatabases.CreateAsync(DatabaseProvider.Sqlite);
        var portfolio = new TestPortfolio()
            .Debtors(TestPortfolio.Person("K1", "Kim One"), TestPortfolio.Person("K2", "Kai Two"))
            .Invoices("K-1,K1,2026-08-02,2026-09-01,1000.00,USD", "K-2,K1,2026-10-05,2026-11-04,500.00,USD", "K-3,K2,2026-08-15,2026-09-14,200.00,USD")
            .Payments("KP-1,K1,2026-10-10,400.00,USD,K-1", "KP-2,K2,2026-10-20,200.00,USD,K-3");
        Assert.True((await new ImportPortfolio(database, Clock).RunAsync(portfolio.Folder)).Succeeded);
        return database;
    }

    [Fact]
    public async Task Kpis_as_json_are_exactly_the_API_s_answer()
    {
        var database = await SeedAsync();

        var (exit, output, error) = await CliRun.RecoupAsync("report", "kpis", "--from", "2026-10-01", "--to", "2026-10-31", "--output", "json", "--db", CliRun.DbArgument(database, DatabaseProvider.Sqlite));

        Assert.True(exit == 0, error);
        var report = await new KpiQuery(database).RunAsync(new KpiRequest(new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 31), Currency.USD));
        Assert.Equal(JsonSerializer.Serialize(KpisJson.Of(report), KpisJson.SerializerOptions), output.TrimEnd('\n', '\r'));
        using var json = JsonDocument.Parse(output);
        Assert.Equal(68.2m, json.RootElement.GetProperty("dso").GetDecimal());
        Assert.Equal(50m, json.RootElement.GetProperty("cei").GetDecimal());
    }

    [Fact]
    public async Task Kpis_as_a_table_name_each_KPI_and_what_it_came_from()
    {
        var database = await SeedAsync();

        var (exit, output, error) = await CliRun.RecoupAsync("report", "kpis", "--from", "2026-10-01", "--to", "2026-10-31", "--db", CliRun.DbArgument(database, DatabaseProvider.Sqlite));

        Assert.True(exit == 0, error);
        Assert.Contains("68.20 days", output, StringComparison.Ordinal);
        Assert.Contains("1100.00 receivables", output, StringComparison.Ordinal);
        Assert.Contains("50.00 %", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_queues_the_monthly_pack_on_the_1st_once_and_a_dry_run_only_lists()
    {
        var database = await SeedAsync();
        await new ReportSubscriptions(database, Clock).CreateAsync(new NewReportSubscription("finance@example.com", "monthly"), "mia");
        var db = CliRun.DbArgument(database, DatabaseProvider.Sqlite);

        var (dryExit, dry, dryError) = await CliRun.RecoupAsync("report", "deliver", "--as-of", "2026-11-01", "--dry-run", "--db", db);
        Assert.True(dryExit == 0, dryError);
        Assert.Contains("Dry run: monthly pack 2026-10-01 to 2026-10-31: 1 subscriber(s)", dry, StringComparison.Ordinal);
        Assert.Contains("finance@example.com  would_queue", dry, StringComparison.Ordinal);

        var (exit, output, error) = await CliRun.RecoupAsync("report", "deliver", "--as-of", "2026-11-01", "--db", db);
        Assert.True(exit == 0, error);
        Assert.Contains("finance@example.com  queued", output, StringComparison.Ordinal);
        var (_, again, _) = await CliRun.RecoupAsync("report", "deliver", "--as-of", "2026-11-01", "--db", db);
        Assert.Contains("finance@example.com  already_queued", again, StringComparison.Ordinal);
        await using (var context = database.CreateContext())
        {
            Assert.Equal(1, context.Outbox.Count(m => m.Purpose == ReportDelivery.Purpose));
            Assert.Equal(2, context.OutboxAttachments.Count());
        }

        var (_, none, _) = await CliRun.RecoupAsync("report", "deliver", "--as-of", "2026-11-03", "--db", db);
        Assert.Contains("No pack is due on 2026-11-03", none, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reversed_period_is_refused_with_exit_code_1()
    {
        var database = await SeedAsync();

        var (exit, _, error) = await CliRun.RecoupAsync("report", "kpis", "--from", "2026-10-31", "--to", "2026-10-01", "--db", CliRun.DbArgument(database, DatabaseProvider.Sqlite));

        Assert.Equal(1, exit);
        Assert.Contains("ends (2026-10-01) before it starts", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_client_is_refused_with_exit_code_1_and_a_known_one_filters()
    {
        var database = await SeedAsync();
        await TestClients.AddAsync(database, "ACME");
        var db = CliRun.DbArgument(database, DatabaseProvider.Sqlite);

        var (exit, _, error) = await CliRun.RecoupAsync("report", "kpis", "--client", "INITECH", "--db", db);
        var (packExit, _, packError) = await CliRun.RecoupAsync("report", "monthly", "--as-of", "2026-10-31", "--client", "INITECH", "--out", TempFolder.Create("pack"), "--db", db);
        var (okExit, output, okError) = await CliRun.RecoupAsync("report", "kpis", "--from", "2026-10-01", "--to", "2026-10-31", "--client", "acme", "--output", "json", "--db", db);

        Assert.Equal((1, 1), (exit, packExit));
        Assert.Contains("--client: Unknown client 'INITECH': the clients are ACME", error, StringComparison.Ordinal);
        Assert.Contains("--client: Unknown client 'INITECH'", packError, StringComparison.Ordinal);
        Assert.True(okExit == 0, okError);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("0.00", json.RootElement.GetProperty("collected").GetProperty("amount").GetString());
    }

    [Fact]
    public async Task The_monthly_pack_is_written_as_a_pdf_and_an_xlsx_that_read_back_with_the_KPIs()
    {
        var database = await SeedAsync();
        var folder = Path.Combine(TempFolder.Create("packs"), "out");

        var (exit, output, error) = await CliRun.RecoupAsync("report", "monthly", "--as-of", "2026-10-31", "--out", folder, "--db", CliRun.DbArgument(database, DatabaseProvider.Sqlite));

        Assert.True(exit == 0, error);
        var pdf = Path.Combine(folder, "recoup-monthly-2026-10-31.pdf");
        var xlsx = Path.Combine(folder, "recoup-monthly-2026-10-31.xlsx");
        Assert.Equal([pdf, xlsx], output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var dso = MiniExcel.Query(xlsx, useHeaderRow: true, sheetName: "KPIs").Cast<IDictionary<string, object?>>()
            .Single(r => (string?)r["Currency"] == "USD" && (string?)r["KPI"] == "DSO");
        Assert.Equal(68.2m, Convert.ToDecimal(dso["Value"], System.Globalization.CultureInfo.InvariantCulture));
        using var document = PdfDocument.Open(pdf);
        Assert.Contains("68.20", document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
    }
}
