using System.Text;
using Recoup.Formats.Bai2;
using Recoup.Formats.Camt;

namespace Recoup.Formats.Payments;

/// <summary>BAI2 bank and lockbox reports as payments received: every credit detail (type codes 100–399), streamed and checked against the file's 49/98/99 controls.</summary>
public sealed class Bai2PaymentFileReader : IPaymentFileReader
{
    public string Format => PaymentFormats.Bai2;

    /// <summary>A BAI2 file starts with its <c>01,</c> file header.</summary>
    public bool Sniff(ReadOnlySpan<byte> head)
    {
        var text = Encoding.ASCII.GetString(head).TrimStart('\uFEFF', ' ', '\r', '\n');
        return text.StartsWith("01,", StringComparison.Ordinal);
    }

    public IEnumerable<IncomingPayment> Read(Stream content, string fileName)
    {
        using var text = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        foreach (var payment in Bai2File.Payments(text, fileName))
        {
            yield return payment;
        }
    }
}

/// <summary>ISO 20022 bank-to-customer statements (camt.053) or notifications (camt.054) as payments received: booked credit entries that are not reversals.</summary>
public sealed class CamtPaymentFileReader(string format) : IPaymentFileReader
{
    private readonly string _marker = format switch
    {
        PaymentFormats.Camt053 => "camt.053",
        PaymentFormats.Camt054 => "camt.054",
        _ => throw new ArgumentException($"'{format}' is not a camt format", nameof(format)),
    };

    public string Format => format;

    /// <summary>An XML document whose namespace names the message, e.g. <c>urn:iso:std:iso:20022:tech:xsd:camt.053.001.02</c>.</summary>
    public bool Sniff(ReadOnlySpan<byte> head)
    {
        var text = Encoding.UTF8.GetString(head);
        return text.Contains("<", StringComparison.Ordinal) && text.Contains(_marker, StringComparison.Ordinal);
    }

    public IEnumerable<IncomingPayment> Read(Stream content, string fileName)
    {
        using var text = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        foreach (var payment in CamtFile.Payments(text, fileName))
        {
            yield return payment;
        }
    }
}
