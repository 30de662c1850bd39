using System.Globalization;
using System.Text;
using Recoup.Formats.Csv;
using Recoup.Services.Demo;

namespace Recoup.Bench;

/// <summary>Where a chunk's ids start: the number of debtors, invoices and payments of the chunks before it.</summary>
public sealed record ChunkOffsets(int Debtors, int Invoices, int Payments);

/// <summary>
/// One slice of a large portfolio, written in the import format with ids that continue those of the
/// slices before it. <see cref="PortfolioGenerator"/> numbers every portfolio from 1 (<c>D-0000001</c>,
/// <c>INV-00000001</c>, <c>PAY-00000001</c>), so a chunk is generated into a folder of its own with
/// seed + chunk number, and its three files are copied line by line into the import folder with every
/// id shifted by the offsets — streamed, so a chunk never needs more memory than one line.
/// </summary>
public static class PortfolioChunks
{
    /// <summary>Writes chunk <paramref name="chunk"/> into <paramref name="folder"/> and returns its counts.</summary>
    public static PortfolioCounts Write(string folder, int debtors, int chunk, ChunkOffsets offsets, DateOnly asOf, int seed)
    {
        var raw = Path.Combine(folder, "generated");
        try
        {
            var counts = PortfolioGenerator.Write(raw, new PortfolioSpec(debtors, asOf, seed + chunk));
            Rewrite(raw, folder, PortfolioCsv.DebtorsFile, offsets, DebtorLine);
            Rewrite(raw, folder, PortfolioCsv.InvoicesFile, offsets, InvoiceLine);
            Rewrite(raw, folder, PortfolioCsv.PaymentsFile, offsets, PaymentLine);
            return counts;
        }
        finally
        {
            if (Directory.Exists(raw))
            {
                Directory.Delete(raw, recursive: true);
            }
        }
    }

    private static void Rewrite(string from, string to, string file, ChunkOffsets offsets, Func<string, ChunkOffsets, string> line)
    {
        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        using var reader = new StreamReader(Path.Combine(from, file), encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
        using var writer = new StreamWriter(Path.Combine(to, file), append: false, encoding, bufferSize: 1 << 16) { NewLine = "\n" };
        writer.WriteLine(reader.ReadLine()); // the header
        while (reader.ReadLine() is { } text)
        {
            writer.WriteLine(text.Length == 0 ? text : line(text, offsets));
        }
    }

    /// <summary>debtor_id is the first field; the fields after it (a quoted name with commas) are left as they are.</summary>
    private static string DebtorLine(string line, ChunkOffsets offsets)
    {
        var comma = line.IndexOf(',', StringComparison.Ordinal);
        return Debtor(line[..comma], offsets) + line[comma..];
    }

    /// <summary>invoice_id,debtor_id,issue_date,due_date,amount,currency — nothing quoted.</summary>
    private static string InvoiceLine(string line, ChunkOffsets offsets)
    {
        var fields = line.Split(',');
        fields[0] = Shift(fields[0], "INV-", 8, offsets.Invoices);
        fields[1] = Debtor(fields[1], offsets);
        return string.Join(',', fields);
    }

    /// <summary>payment_id,debtor_id,received_on,amount,currency,invoice_id (invoice_id may be empty) — nothing quoted.</summary>
    private static string PaymentLine(string line, ChunkOffsets offsets)
    {
        var fields = line.Split(',');
        fields[0] = Shift(fields[0], "PAY-", 8, offsets.Payments);
        fields[1] = Debtor(fields[1], offsets);
        if (fields[^1].Length > 0)
        {
            fields[^1] = Shift(fields[^1], "INV-", 8, offsets.Invoices);
        }

        return string.Join(',', fields);
    }

    private static string Debtor(string id, ChunkOffsets offsets) => Shift(id, "D-", 7, offsets.Debtors);

    private static string Shift(string id, string prefix, int digits, int offset)
    {
        if (!id.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new FormatException($"'{id}' is not an id of the form {prefix}{new string('0', digits)}");
        }

        var number = int.Parse(id.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture) + offset;
        return prefix + number.ToString(new string('0', digits), CultureInfo.InvariantCulture);
    }
}
