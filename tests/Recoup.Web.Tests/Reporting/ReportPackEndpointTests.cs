using System.Net;
using MiniExcelLibs;
using Recoup.Data.Identity;
using UglyToad.PdfPig;

namespace Recoup.Web.Tests.Reporting;

/// <summary><c>GET /api/reports/packs/{kind}</c>: the pack as PDF, XLSX or a table as CSV.</summary>
public abstract class ReportPackEndpointTests(ApiFixture fixture)
{
    [Fact]
    public async Task The_monthly_pack_downloads_as_pdf_xlsx_and_csv_that_open()
    {
        var client = fixture.As(Roles.Manager);

        var pdf = await client.GetAsync("/api/reports/packs/monthly?as_of=2026-10-31");
        Assert.Equal(("application/pdf", "recoup-monthly-2026-10-31.pdf"), (pdf.Content.Headers.ContentType?.MediaType, pdf.Content.Headers.ContentDisposition?.FileName));
        using (var document = PdfDocument.Open(await pdf.Content.ReadAsByteArrayAsync()))
        {
            Assert.Contains("KPIs", document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
            Assert.NotEmpty(document.GetPage(1).GetImages()); // the charts come first
        }

        var xlsx = await client.GetAsync("/api/reports/packs/weekly?as_of=2026-10-31&format=xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        using var stream = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync());
        Assert.Equal(["KPIs", "Aging summary 2026-10-31", "Aging trend", "Payments and write-offs", "Disputes", "Collector targets 2026-10", "Promises and plans", "Credit holds 2026-10-31", "Cash-flow forecast", "Strategy performance 2026-10-31"], stream.GetSheetNames());

        var csv = await client.GetAsync("/api/reports/packs/monthly?as_of=2026-10-31&format=csv&table=aging");
        Assert.Equal("recoup-monthly-2026-10-31-aging.csv", csv.Content.Headers.ContentDisposition?.FileName);
        Assert.StartsWith("Currency,Bucket,Amount,Invoices,Share %\n", await csv.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_pack_format_or_table_is_refused_naming_each()
    {
        var problem = await Json.ProblemAsync(await fixture.As(Roles.Manager).GetAsync("/api/reports/packs/daily?format=doc"), HttpStatusCode.BadRequest);
        Assert.Equal(["format", "kind"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));

        var table = await Json.ProblemAsync(await fixture.As(Roles.Manager).GetAsync("/api/reports/packs/weekly?format=csv"), HttpStatusCode.BadRequest);
        Assert.Equal("Name the table to export as CSV: one of kpis, aging, trend, payments, disputes, targets, promises, credit-holds, cash-flow, strategies", table.GetProperty("errors").GetProperty("table")[0].GetString());
    }
}

[Collection("sqlite")]
public sealed class SqliteReportPackEndpointTests(SqliteApi fixture) : ReportPackEndpointTests(fixture);

[Collection("postgres")]
public sealed class PostgresReportPackEndpointTests(PostgresApi fixture) : ReportPackEndpointTests(fixture);
