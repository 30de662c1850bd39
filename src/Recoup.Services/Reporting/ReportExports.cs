using System.Globalization;
using System.Text;
using MiniExcelLibs;
using Recoup.Services.Reporting.Charts;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Recoup.Services.Reporting;

/// <summary>
/// Writes reports as CSV (one table), XLSX (a sheet per table, numbers as numbers) and PDF (every table,
/// text that can be read back), from the same <see cref="ReportTable"/>s the screen shows.
/// </summary>
public static class ReportExports
{
    /// <summary>
    /// Rows of one table the PDF prints; a longer table (the shutdown report of a large portfolio lists every
    /// customer on hold) prints its first rows and says how many more the XLSX and CSV carry. A 40,000-row
    /// table took a monthly pack's PDF to a thousand pages and 50 s.
    /// </summary>
    public const int PdfRowsPerTable = 1_000;

    /// <summary>RFC 4180 CSV with a header row, UTF-8, <c>\n</c> line ends.</summary>
    public static string Csv(ReportTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var text = new StringBuilder();
        text.Append(string.Join(',', table.Columns.Select(Quote))).Append('\n');
        foreach (var row in table.Rows)
        {
            text.Append(string.Join(',', row.Select(c => Quote(ReportTable.Text(c))))).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>One sheet per table, named after it; amounts and KPIs are numeric cells.</summary>
    public static void Xlsx(IReadOnlyList<ReportTable> tables, Stream output)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var sheets = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            var rows = table.Rows.Select(row => (IDictionary<string, object?>)table.Columns.Select((column, i) => (column, cell: Cell(row[i])))
                .ToDictionary(x => x.column, x => x.cell, StringComparer.Ordinal)).ToList();
            sheets[SheetName(table.Title, sheets.Keys)] = rows;
        }

        output.SaveAs(sheets, excelType: ExcelType.XLSX);
    }

    /// <summary>The sheet a table goes to in <see cref="Xlsx"/>: its title cut to Excel's 31 characters, without the characters Excel forbids.</summary>
    public static string SheetName(string title, IEnumerable<string> taken)
    {
        ArgumentNullException.ThrowIfNull(title);
        var name = new string(title.Select(c => "[]:*?/\\".Contains(c, StringComparison.Ordinal) ? '-' : c).ToArray());
        name = name.Length > 31 ? name[..31] : name;
        var existing = taken.ToHashSet(StringComparer.OrdinalIgnoreCase);
        for (var n = 2; existing.Contains(name); n++)
        {
            var suffix = $" ({n})";
            name = (name.Length + suffix.Length > 31 ? name[..(31 - suffix.Length)] : name) + suffix;
        }

        return name;
    }

    /// <summary>The pack as PDF: its title, its charts (<see cref="ReportCharts.ForPack"/>), then its tables.</summary>
    public static byte[] Pdf(ReportPack pack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        return Pdf(pack.Title, pack.Tables, ReportCharts.ForPack(pack));
    }

    /// <summary>
    /// An A4 landscape document: the title, then the charts two by two (PNG images, each with its title as text
    /// below so the PDF's text names it), then each table with its header, new pages as needed.
    /// </summary>
    public static byte[] Pdf(string title, IReadOnlyList<ReportTable> tables, IReadOnlyList<ReportChart>? charts = null)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var builder = new PdfDocumentBuilder();
        var regular = builder.AddStandard14Font(Standard14Font.Helvetica);
        var bold = builder.AddStandard14Font(Standard14Font.HelveticaBold);
        const double Margin = 40;
        const double Line = 14;
        const double Size = 9;
        var size = PageSize.A4;
        PdfPageBuilder page = builder.AddPage(size, isPortrait: false);
        var width = page.PageSize.Width;
        var top = page.PageSize.Height - Margin;
        var y = top;

        void NewPageIfFull(double needed)
        {
            if (y - needed < Margin)
            {
                page = builder.AddPage(size, isPortrait: false);
                y = top;
            }
        }

        page.AddText(Ascii(title), 14, new PdfPoint(Margin, y), bold);
        y -= Line * 2;
        if (charts is { Count: > 0 })
        {
            const double Gap = 16;
            var chartWidth = (width - 2 * Margin - Gap) / 2;
            var chartHeight = chartWidth * ReportChart.Height / ReportChart.Width;
            for (var i = 0; i < charts.Count; i++)
            {
                var column = i % 2;
                if (column == 0)
                {
                    NewPageIfFull(chartHeight + Line * 2);
                }

                var x = Margin + column * (chartWidth + Gap);
                page.AddPng(charts[i].Png(), new PdfRectangle(x, y - chartHeight, x + chartWidth, y));
                page.AddText(Ascii(charts[i].Title), 7, new PdfPoint(x, y - chartHeight - Line * 0.8), regular);
                if (column == 1 || i == charts.Count - 1)
                {
                    y -= chartHeight + Line * 2;
                }
            }

            page = builder.AddPage(size, isPortrait: false);
            y = top;
        }

        foreach (var table in tables)
        {
            NewPageIfFull(Line * 4);
            page.AddText(Ascii(table.Title), 11, new PdfPoint(Margin, y), bold);
            y -= Line * 1.5;
            var (columnWidths, fontSize) = Layout(table, width - 2 * Margin, Size);
            void Row(IEnumerable<string> cells, PdfDocumentBuilder.AddedFont font)
            {
                NewPageIfFull(Line);
                var x = Margin;
                foreach (var (cell, i) in cells.Select((c, i) => (c, i)))
                {
                    page.AddText(Ascii(cell), fontSize, new PdfPoint(x, y), font);
                    x += columnWidths[i];
                }

                y -= Line;
            }

            Row(table.Columns, bold);
            foreach (var row in table.Rows.Take(PdfRowsPerTable))
            {
                Row(row.Select(c => c is null ? "n/a" : ReportTable.Text(c)), regular);
            }

            if (table.Rows.Count > PdfRowsPerTable)
            {
                Row([string.Create(CultureInfo.InvariantCulture, $"... and {table.Rows.Count - PdfRowsPerTable:N0} more rows: the XLSX and CSV exports list them all")], bold);
            }

            y -= Line;
        }

        return builder.Build();
    }

    /// <summary>
    /// Each column as wide as its longest text (header or cell) in proportion to the others, so a wide table's
    /// columns do not run into one another; when the texts do not fit at <paramref name="size"/> points the font
    /// shrinks (to 6 points at least). Helvetica's characters average well under 0.6 of the font size.
    /// </summary>
    private static (double[] Widths, double Size) Layout(ReportTable table, double available, double size)
    {
        const double CharWidth = 0.6;
        var chars = table.Columns.Select((column, i) => 2 + Math.Max(column.Length, table.Rows.Select(r => (r[i] is null ? "n/a" : ReportTable.Text(r[i])).Length).DefaultIfEmpty(0).Max())).ToArray();
        var total = (double)Math.Max(1, chars.Sum());
        var fontSize = Math.Max(6, Math.Min(size, available / (total * CharWidth)));
        return (chars.Select(c => available * c / total).ToArray(), fontSize);
    }

    private static object? Cell(object? cell) => cell switch
    {
        DateOnly date => ReportTable.Text(date),
        _ => cell,
    };

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;

    /// <summary>The standard PDF fonts cover Latin-1 only; anything else becomes '?'.</summary>
    private static string Ascii(string text) => new(text.Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());
}
