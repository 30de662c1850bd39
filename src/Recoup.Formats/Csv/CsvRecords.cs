using Recoup.Domain;
using Recoup.Domain.Debtors;

namespace Recoup.Formats.Csv;

/// <summary>What is wrong with an input file, and exactly where: file, line (1 is the header), column.</summary>
public sealed record CsvError(string File, int Line, string? Column, string Message)
{
    public override string ToString() =>
        Line <= 0 ? $"{File}: {Message}"
        : Column is null ? $"{File} line {Line}: {Message}"
        : $"{File} line {Line}, column {Column}: {Message}";
}

/// <summary>The records of one file that passed the checks a file can make on its own, and the errors of the rest.</summary>
public sealed record CsvFile<T>(string Name, IReadOnlyList<T> Records, IReadOnlyList<CsvError> Errors);

/// <summary>A row of debtors.csv; <see cref="Client"/> is the code of the creditor client that placed the debtor (upper case), when the file has one.</summary>
public sealed record DebtorRecord(
    int Line,
    string DebtorId,
    string Name,
    DebtorKind Kind,
    DebtType DebtType,
    string? Email,
    string? Phone,
    PostalAddress? Address,
    string? TimeZone,
    string? Language = null,
    string? Client = null);

/// <summary>A row of invoices.csv.</summary>
public sealed record InvoiceRecord(int Line, string InvoiceId, string DebtorId, DateOnly IssueDate, DateOnly DueDate, Money Amount);

/// <summary>A row of payments.csv; <see cref="InvoiceId"/> names the invoice it pays, when the payer said.</summary>
public sealed record PaymentRecord(int Line, string PaymentId, string DebtorId, DateOnly ReceivedOn, Money Amount, string? InvoiceId);
