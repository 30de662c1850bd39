using System.Globalization;
using System.Text;

namespace Recoup.Testing;

/// <summary>
/// Writes an ACH return file as a receiving bank sends one back: each returned debit as a code 26
/// entry with its 99 addenda (reason code, original trace), and the batch and file controls computed
/// from the entries (NACHA record layout, 94 characters, blocked by ten).
/// </summary>
public static class AchReturnFile
{
    public static byte[] Write(params (string OriginalTrace, long AmountMinor, string Code)[] returns)
    {
        const string Rdfi = "01100001";
        var lines = new List<string>
        {
            "101 011000015 123456789" + "2612021200A094101" + "RECOUP COLLECTIONS".PadRight(23) + "FEDERAL RESERVE BANK".PadRight(23) + new string(' ', 8),
            "5200RECOUP" + new string(' ', 10) + new string(' ', 20) + "1234567890PPDRETURN    " + "      261202" + "   1" + Rdfi + "0000001",
        };
        long hash = 0, debit = 0;
        var sequence = 0;
        foreach (var (trace, amount, code) in returns)
        {
            sequence++;
            var entryTrace = Rdfi + sequence.ToString("D7", CultureInfo.InvariantCulture);
            lines.Add("626" + Rdfi + "5" + "123456789".PadRight(17) + amount.ToString("D10", CultureInfo.InvariantCulture)
                + "RETURNED".PadRight(15) + "DEBTOR".PadRight(22) + "  1" + entryTrace);
            lines.Add("799" + code + trace + "      " + Rdfi + new string(' ', 44) + entryTrace);
            hash += long.Parse(Rdfi, CultureInfo.InvariantCulture);
            debit += amount;
        }

        var count = returns.Length * 2;
        lines.Add("8200" + count.ToString("D6", CultureInfo.InvariantCulture) + (hash % 10_000_000_000).ToString("D10", CultureInfo.InvariantCulture)
            + debit.ToString("D12", CultureInfo.InvariantCulture) + new string('0', 12) + "1234567890" + new string(' ', 25) + Rdfi + "0000001");
        var blocks = (lines.Count + 1 + 9) / 10;
        lines.Add("9000001" + blocks.ToString("D6", CultureInfo.InvariantCulture) + count.ToString("D8", CultureInfo.InvariantCulture)
            + (hash % 10_000_000_000).ToString("D10", CultureInfo.InvariantCulture) + debit.ToString("D12", CultureInfo.InvariantCulture) + new string('0', 12) + new string(' ', 39));
        while (lines.Count % 10 != 0)
        {
            lines.Add(new string('9', 94));
        }

        foreach (var line in lines)
        {
            if (line.Length != 94)
            {
                throw new InvalidOperationException($"A return record of {line.Length} characters: {line}");
            }
        }

        return Encoding.ASCII.GetBytes(string.Join("\r\n", lines) + "\r\n");
    }
}
