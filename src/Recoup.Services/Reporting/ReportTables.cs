using System.Globalization;
using Recoup.Domain;

namespace Recoup.Services.Reporting;

/// <summary>
/// One report as rows and columns: what the screen shows and what CSV, XLSX and PDF export, so all four
/// carry the same numbers. A cell is a <see cref="string"/>, a <see cref="decimal"/> (amounts in major
/// units with the currency's decimals, KPIs rounded to two places), an <see cref="int"/>, or null (n/a).
/// </summary>
public sealed record ReportTable(string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<object?>> Rows)
{
    /// <summary>A cell as every export writes it: invariant culture, amounts with their decimals, empty for n/a.</summary>
    public static string Text(object? cell) => cell switch
    {
        null => "",
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        string s => s,
        _ => Convert.ToString(cell, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>An amount as a decimal with exactly its currency's decimals (12.50, not 12.5).</summary>
    public static decimal Amount(Money money) => decimal.Parse(money.ToDecimalString(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
}

/// <summary>A set of reports delivered together: the weekly or the monthly pack.</summary>
public sealed record ReportPack(string Kind, string Title, DateOnly From, DateOnly To, IReadOnlyList<ReportTable> Tables)
{
    /// <summary>The files' name without extension: <c>recoup-monthly-2026-10-31</c>.</summary>
    public string FileName => $"recoup-{Kind}-{To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
}
