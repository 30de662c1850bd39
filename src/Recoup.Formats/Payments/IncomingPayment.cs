namespace Recoup.Formats.Payments;

/// <summary>
/// Money received, as one bank or lockbox file reports it, in the shape every reader projects to
/// (BAI2 credit details, camt.053/054 credit entries, the R1 payments CSV), so cash application
/// matches and posts them the same way whatever file they came in.
/// </summary>
/// <param name="Line">The line of the file where the record starts (1-based), for errors and the audit.</param>
/// <param name="AmountMinor">Positive: money in, in minor units of <paramref name="Currency"/>.</param>
/// <param name="Currency">The ISO 4217 code as the file gives it (checked when posting, not when reading).</param>
/// <param name="ValueDate">The date the money is available or was booked, when the file says.</param>
/// <param name="PayerName">Who paid, when the file says (camt Dbtr/Nm, BAI2 text, CSV debtor).</param>
/// <param name="BankReference">The bank's own reference for the item (BAI2 bank ref, camt AcctSvcrRef/EndToEndId, CSV payment id): with the file's hash it identifies the payment.</param>
/// <param name="References">
/// What the payer quoted: invoice or account numbers, creditor references (RF…), customer reference,
/// check number; each one a candidate for matching, in the order the file gives them.
/// </param>
/// <param name="RemittanceText">Free remittance text, searched for invoice and account numbers when no reference matches.</param>
/// <param name="TypeCode">Where it came from in the file's own terms, e.g. <c>BAI2 115</c> (lockbox deposit) or <c>camt PMNT/RCDT/ESCT</c>.</param>
public sealed record IncomingPayment(
    int Line,
    long AmountMinor,
    string Currency,
    DateOnly? ValueDate,
    string? PayerName,
    string? BankReference,
    IReadOnlyList<string> References,
    string? RemittanceText,
    string TypeCode);

/// <summary>A file that cannot be read, or whose own control totals do not agree: what and where.</summary>
public sealed class PaymentFileException(string file, int line, string? field, string message)
    : Exception(line > 0 ? $"{file} line {line}{(field is null ? "" : $", {field}")}: {message}" : $"{file}: {message}")
{
    public string File { get; } = file;

    /// <summary>1-based; 0 when the problem is the file as a whole (e.g. empty).</summary>
    public int FileLine { get; } = line;

    public string? Field { get; } = field;

    public string Reason { get; } = message;
}
