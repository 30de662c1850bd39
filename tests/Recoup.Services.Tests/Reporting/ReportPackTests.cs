using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using MiniExcelLibs;
using Recoup.Services.Imports;
using Recoup.Services.Reporting;
using Recoup.Services.Storage;
using Recoup.Testing;
using UglyToad.PdfPig;

namespace Recoup.Services.Tests.Reporting;

/// <summary>The monthly pack and its exports: the XLSX read back with MiniExcel and the PDF's text read back with PdfPig carry the screen's numbers.</summary>
public sealed class ReportPackTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));

    private async Task<RecoupDatabase> SeedAsync(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var portfolio = new TestPortfolio()
            .Debtors(TestPortfolio.Person("K1", "Kim One"), TestPortfolio.Person("K2", "Kai Two"), TestPortfolio.Person("E1", "Eva Euro"))
            .Invoices(
                "K-1,K1,2026-08-02,2026-09-01,1000.00,USD",
                "K-2,K1,2026-10-05,2026-11-04,500.00,USD",
                "K-3,K2,2026-08-15,2026-09-14,200.00,USD",
                "K-4,K2,2026-11-02,2026-12-02,900.00,USD",
                "E-1,E1,2026-09-10,2026-10-10,750.50,EUR")
            .Payments(
                "KP-1,K1,2026-10-10,400.00,USD,K-1",
                "KP-2,K2,2026-10-20,200.00,USD,K-3",
                "KP-3,K1,2026-11-05,100.00,USD,K-1",
                "EP-1,E1,2026-10-15,250.50,EUR,E-1");
        Assert.True((await new ImportPortfolio(database, _clock).RunAsync(portfolio.Folder)).Succeeded);
        return database;
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_monthly_pack_holds_October_s_KPIs_aging_trend_and_payments_per_currency(DatabaseProvider provider)
    {
        var pack = await new ReportPacks(await SeedAsync(provider)).BuildAsync(PackKind.Monthly, new DateOnly(2026, 10, 31));

        Assert.Equal((new DateOnly(2026, 10, 1), "recoup-monthly-2026-10-31"), (pack.From, pack.FileName));
        Assert.Equal(["KPIs", "Aging summary 2026-10-31", "Aging trend", "Payments and write-offs", "Disputes", "Collector targets 2026-10", "Promises and plans", "Credit holds 2026-10-31", "Cash-flow forecast", "Strategy performance 2026-10-31"], pack.Tables.Select(t => t.Title));
        var kpis = pack.Tables[0];
        Assert.Equal(68.2m, Value(kpis, "USD", "DSO"));
        Assert.Equal(50m, Value(kpis, "USD", "CEI"));
        Assert.Equal(76.5m, Value(kpis, "USD", "DSO (countback)"));
        Assert.Equal(["EUR", "USD"], kpis.Rows.Select(r => (string)r[0]!).Distinct());

        var usdTotal = pack.Tables[1].Rows.Single(r => (string)r[0]! == "USD" && (string)r[1]! == "total");
        Assert.Equal((1100.00m, 2), ((decimal)usdTotal[2]!, (int)usdTotal[3]!));
        Assert.Equal("1100.00", ReportTable.Text(usdTotal[2]));

        var trend = pack.Tables[2];
        Assert.Equal(["2026-05-31", "2026-06-30", "2026-07-31", "2026-08-31", "2026-09-30", "2026-10-31"],
            trend.Rows.Where(r => (string)r[0]! == "USD").Select(r => ReportTable.Text(r[1])));
        Assert.Equal([0m, 0m, 0m, 1200.00m, 1200.00m, 1100.00m], trend.Rows.Where(r => (string)r[0]! == "USD").Select(r => (decimal)r[^1]!));

        var eur = pack.Tables[3].Rows.Single(r => (string)r[0]! == "EUR");
        Assert.Equal([0m, 250.50m, 0m, 0m], eur.Skip(1).Cast<decimal>());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_xlsx_read_back_with_MiniExcel_and_the_pdf_text_read_back_with_PdfPig_carry_every_number_of_the_pack(DatabaseProvider provider)
    {
        var pack = await new ReportPacks(await SeedAsync(provider)).BuildAsync(PackKind.Monthly, new DateOnly(2026, 10, 31));
        AssertExportsCarry(pack);
        using var pdf = PdfDocument.Open(ReportExports.Pdf(pack.Title, pack.Tables));
        Assert.Contains("Recoup monthly report, 2026-10-01 to 2026-10-31", string.Join(' ', pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_table_longer_than_the_pdf_prints_shows_its_first_rows_and_says_how_many_more_the_xlsx_carries()
    {
        var rows = Enumerable.Range(1, ReportExports.PdfRowsPerTable + 7)
            .Select(n => (IReadOnlyList<object?>)[string.Create(CultureInfo.InvariantCulture, $"D{n:D5}"), n])
            .ToList();
        var table = new ReportTable("Credit holds 2026-10-31", ["Debtor", "Days on hold"], rows);

        using var pdf = PdfDocument.Open(ReportExports.Pdf("Long table", [table]));
        var words = pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("D00001", words);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"D{ReportExports.PdfRowsPerTable:D5}"), words);
        Assert.DoesNotContain(string.Create(CultureInfo.InvariantCulture, $"D{ReportExports.PdfRowsPerTable + 1:D5}"), words);
        var text = string.Join(' ', pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
        Assert.Contains("and 7 more rows: the XLSX and CSV exports list them all", text, StringComparison.Ordinal);

        var folder = TempFolder.Create("long");
        var xlsx = Path.Combine(folder, "long.xlsx");
        using (var stream = File.Create(xlsx))
        {
            ReportExports.Xlsx([table], stream);
        }

        Assert.Equal(ReportExports.PdfRowsPerTable + 7, MiniExcel.Query(xlsx, useHeaderRow: true).Count());
    }

    /// <summary>The pack's XLSX read back with MiniExcel has every cell of every table; the PDF's words read back with PdfPig have every amount and count.</summary>
    internal static void AssertExportsCarry(ReportPack pack)
    {
        var folder = TempFolder.Create("pack");
        var xlsx = Path.Combine(folder, pack.FileName + ".xlsx");
        using (var stream = File.Create(xlsx))
        {
            ReportExports.Xlsx(pack.Tables, stream);
        }

        Assert.Equal(pack.Tables.Select(t => t.Title), MiniExcel.GetSheetNames(xlsx));
        foreach (var table in pack.Tables)
        {
            var rows = MiniExcel.Query(xlsx, useHeaderRow: true, sheetName: table.Title).Cast<IDictionary<string, object?>>().ToList();
            Assert.Equal(table.Rows.Count, rows.Count);
            for (var r = 0; r < rows.Count; r++)
            {
                for (var c = 0; c < table.Columns.Count; c++)
                {
                    var expected = table.Rows[r][c];
                    var actual = rows[r][table.Columns[c]];
                    switch (expected)
                    {
                        case decimal d:
                            Assert.Equal(d, Convert.ToDecimal(actual, CultureInfo.InvariantCulture));
                            break;
                        case int i:
                            Assert.Equal(i, Convert.ToInt32(actual, CultureInfo.InvariantCulture));
                            break;
                        case null:
                            Assert.True(actual is null || actual is "", $"{table.Title} row {r} column {table.Columns[c]}: {actual}");
                            break;
                        default:
                            Assert.Equal(ReportTable.Text(expected), Convert.ToString(actual, CultureInfo.InvariantCulture));
                            break;
                    }
                }
            }
        }

        using var pdf = PdfDocument.Open(ReportExports.Pdf(pack));
        var words = pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text).ToList();
        foreach (var cell in pack.Tables.SelectMany(t => t.Rows).SelectMany(r => r).Where(c => c is decimal or int))
        {
            Assert.Contains(ReportTable.Text(cell), words);
        }
    }

    [Fact]
    public void Csv_quotes_fields_with_commas_and_writes_amounts_with_their_decimals()
    {
        var table = new ReportTable("t", ["Name", "Amount", "Rate"], [["Smith, Jo", 12.50m, null]]);

        Assert.Equal("Name,Amount,Rate\n\"Smith, Jo\",12.50,\n", ReportExports.Csv(table));
    }

    private static decimal? Value(ReportTable kpis, string currency, string kpi) =>
        (decimal?)kpis.Rows.Single(r => (string)r[0]! == currency && (string)r[1]! == kpi)[2];
}
