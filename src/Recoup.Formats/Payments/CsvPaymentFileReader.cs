using System.Text;
using Recoup.Formats.Csv;

namespace Recoup.Formats.Payments;

/// <summary>
/// The R1 payments file (payment_id,debtor_id,received_on,amount,currency[,invoice_id]; docs/import.md)
/// as incoming payments: the payment id is the bank reference, and the invoice id (when given) and
/// the debtor id are the references cash application matches on.
/// </summary>
public sealed class CsvPaymentFileReader : IPaymentFileReader
{
    public string Format => PaymentFormats.Csv;

    /// <summary>A header line naming the payments file's required columns.</summary>
    public bool Sniff(ReadOnlySpan<byte> head)
    {
        var text = Encoding.UTF8.GetString(head).TrimStart('\uFEFF');
        var end = text.IndexOfAny(['\r', '\n']);
        var header = (end < 0 ? text : text[..end]).Split(',').Select(c => c.Trim().Trim('"').ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        return PortfolioCsv.PaymentColumns.All(header.Contains);
    }

    /// <exception cref="PaymentFileException">The first problem in the file, with how many more there are.</exception>
    public IEnumerable<IncomingPayment> Read(Stream content, string fileName)
    {
        using var text = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var file = PortfolioCsv.ReadPayments(text, fileName);
        if (file.Errors is [var first, ..])
        {
            var more = file.Errors.Count - 1;
            throw new PaymentFileException(fileName, first.Line, first.Column,
                first.Message + (more == 0 ? "" : $" (and {more} more problem{(more == 1 ? "" : "s")})"));
        }

        return file.Records.Select(r => new IncomingPayment(
            r.Line,
            r.Amount.Minor,
            r.Amount.Currency.Code,
            r.ReceivedOn,
            PayerName: null,
            r.PaymentId,
            r.InvoiceId is null ? [r.DebtorId] : [r.InvoiceId, r.DebtorId],
            RemittanceText: null,
            "csv payment")).ToList();
    }
}
