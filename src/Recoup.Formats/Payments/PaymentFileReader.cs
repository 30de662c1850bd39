namespace Recoup.Formats.Payments;

/// <summary>
/// A reader of one kind of bank or lockbox file (BAI2, camt.053, camt.054, NACHA returns, the R1
/// payments CSV): it recognises its files from their first bytes and projects the money they report
/// to <see cref="IncomingPayment"/>.
/// </summary>
/// <remarks>
/// <see cref="Read"/> may stream, but it must check the file's own control totals before the last
/// payment is returned, and throw <see cref="PaymentFileException"/> (naming file, line and field) for
/// anything malformed: the import reads every payment before it posts any, so a bad file posts nothing.
/// </remarks>
public interface IPaymentFileReader
{
    /// <summary>The format's name as the CLI and API take it: one of <see cref="PaymentFormats.All"/>.</summary>
    string Format { get; }

    /// <summary>Whether a file starting with these bytes (up to <see cref="PaymentFormats.SniffLength"/>) looks like this format.</summary>
    bool Sniff(ReadOnlySpan<byte> head);

    /// <summary>The payments in the file, in file order.</summary>
    /// <exception cref="PaymentFileException">The file is malformed or its control totals do not agree.</exception>
    IEnumerable<IncomingPayment> Read(Stream content, string fileName);
}

/// <summary>The names of the payment file formats, as <c>--format</c> and <c>?format=</c> take them.</summary>
public static class PaymentFormats
{
    /// <summary>Recognise the format from the file's first bytes.</summary>
    public const string Auto = "auto";

    public const string Bai2 = "bai2";
    public const string Camt053 = "camt053";
    public const string Camt054 = "camt054";
    public const string NachaReturns = "nacha-returns";
    public const string Csv = "csv";

    /// <summary>How many bytes of a file <see cref="IPaymentFileReader.Sniff"/> sees.</summary>
    public const int SniffLength = 1024;

    /// <summary>Every format a file can be given as, <see cref="Auto"/> first.</summary>
    public static IReadOnlyList<string> All { get; } = [Auto, Bai2, Camt053, Camt054, NachaReturns, Csv];
}
