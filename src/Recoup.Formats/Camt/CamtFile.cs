using Recoup.Formats.Payments;

namespace Recoup.Formats.Camt;

/// <summary>A statement, notification or report with its entries.</summary>
public sealed record CamtStatement(CamtAccountReport Report, IReadOnlyList<CamtEntry> Entries, CamtAccountReportEnd End);

/// <summary>
/// A whole camt document in memory: for small files, tests and display. Imports stream with
/// <see cref="CamtReader"/> or <see cref="Payments(TextReader, string, CamtReadOptions?)"/>.
/// </summary>
/// <param name="Warnings">Balances and summaries that disagree, when read leniently.</param>
public sealed record CamtFile(CamtMessage Message, IReadOnlyList<CamtStatement> Statements, IReadOnlyList<PaymentFileException> Warnings)
{
    /// <summary>Reads and checks a whole document.</summary>
    /// <exception cref="PaymentFileException">Not a supported camt document, malformed, or (strict) a check fails.</exception>
    public static CamtFile Read(TextReader text, string fileName, CamtReadOptions? options = null)
    {
        var reader = new CamtReader(text, fileName, options);
        CamtMessage? message = null;
        var statements = new List<CamtStatement>();
        var entries = new List<CamtEntry>();
        foreach (var record in reader.Records())
        {
            switch (record)
            {
                case CamtMessage m:
                    message = m;
                    break;
                case CamtAccountReport:
                    entries = [];
                    break;
                case CamtEntry e:
                    entries.Add(e);
                    break;
                case CamtAccountReportEnd end:
                    statements.Add(new CamtStatement(end.Report, entries, end));
                    break;
            }
        }

        return new CamtFile(message!, statements, reader.Warnings);
    }

    /// <summary>Reads and checks the document at <paramref name="path"/>, named in errors by its file name.</summary>
    public static CamtFile Read(string path, CamtReadOptions? options = null)
    {
        using var text = new StreamReader(path);
        return Read(text, Path.GetFileName(path), options);
    }

    /// <summary>The money received in a document, streamed: see <see cref="ToPayments"/>.</summary>
    public static IEnumerable<IncomingPayment> Payments(TextReader text, string fileName, CamtReadOptions? options = null)
    {
        foreach (var record in new CamtReader(text, fileName, options).Records())
        {
            if (record is CamtEntry entry)
            {
                foreach (var payment in ToPayments(entry))
                {
                    yield return payment;
                }
            }
        }
    }

    /// <summary>
    /// A booked credit entry that is not a reversal as payments received: one per transaction when the entry
    /// has several, each with its own amount in the entry's currency and together the entry's amount; otherwise
    /// one for the entry, quoting the references of all its transactions. Debits, reversals and entries not
    /// booked give none.
    /// </summary>
    public static IEnumerable<IncomingPayment> ToPayments(CamtEntry entry)
    {
        if (!entry.IsCredit || entry.IsReversal || !entry.IsBooked)
        {
            return [];
        }

        var transactions = entry.Transactions;
        if (transactions.Count > 1
            && transactions.All(t => t.AmountMinor is > 0)
            && transactions.Sum(t => t.AmountMinor!.Value) == entry.AmountMinor)
        {
            return transactions.Select(t => Payment(entry, t.Line, t.AmountMinor!.Value, [t])).ToList();
        }

        return [Payment(entry, entry.Line, entry.AmountMinor, transactions)];
    }

    private static IncomingPayment Payment(CamtEntry entry, int line, long amount, IReadOnlyList<CamtTransaction> transactions)
    {
        var references = new List<string>();
        foreach (var t in transactions)
        {
            references.AddRange(t.CreditorReferences.Where(r => !references.Contains(r)));
            if (t.EndToEndId is { } endToEnd && endToEnd != "NOTPROVIDED" && !references.Contains(endToEnd))
            {
                references.Add(endToEnd);
            }
        }

        var text = string.Join(' ', transactions.SelectMany(t => t.Unstructured).Where(u => u.Length > 0));
        var single = transactions.Count == 1 ? transactions[0] : null;
        return new IncomingPayment(
            line,
            amount,
            entry.Currency,
            entry.ValueDate ?? entry.BookingDate,
            transactions.Select(t => t.DebtorName).FirstOrDefault(n => n is not null),
            single?.AccountServicerReference ?? entry.AccountServicerReference ?? single?.EndToEndId,
            references,
            text.Length == 0 ? entry.AdditionalInfo : text,
            entry.BankTransactionCode is { } code && code.ToString().Length > 0 ? "camt " + code : "camt");
    }
}
