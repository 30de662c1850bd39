using System.Globalization;
using System.Text;

namespace Recoup.Formats.Nacha;

/// <summary>Who sends an ACH file: the bank it goes to and the company whose debits it carries.</summary>
/// <param name="ImmediateDestination">The 9-digit routing number of the bank or operator receiving the file.</param>
/// <param name="ImmediateOrigin">The 9-digit routing number or 10-digit identifier of the sender, as the bank assigned it.</param>
/// <param name="CompanyId">The 10-character company identification (often 1 + the EIN).</param>
/// <param name="Odfi">The 8-digit routing identification of the originating bank; starts every trace number.</param>
public sealed record NachaOriginator(
    string ImmediateDestination,
    string ImmediateOrigin,
    string DestinationName,
    string OriginName,
    string CompanyName,
    string CompanyId,
    string Odfi);

/// <summary>One debit to collect.</summary>
/// <param name="RoutingNumber">The receiver's bank, 9 digits with a correct check digit.</param>
/// <param name="TransactionCode">27 checking debit (the default), 37 savings debit, 28/38 prenotes.</param>
/// <param name="IndividualId">Our reference for the receiver (the account number in Recoup); returns quote it back.</param>
/// <param name="PaymentInformation">Text for a <c>05</c> addenda; null for none.</param>
public sealed record NachaDebit(
    string RoutingNumber,
    string Account,
    long AmountMinor,
    string IndividualId,
    string IndividualName,
    int TransactionCode = 27,
    string? PaymentInformation = null);

/// <summary>A batch of debits of one standard entry class.</summary>
/// <param name="SecCode"><c>PPD</c> (written authorization) or <c>WEB</c> (authorized on-line).</param>
/// <param name="EntryDescription">Up to 10 characters the receiver sees on the statement, e.g. <c>PAYMENT</c>.</param>
/// <param name="WebPaymentType">For WEB: <c>S</c> single or <c>R</c> recurring, written in each entry's discretionary data.</param>
public sealed record NachaDebitBatch(
    string SecCode,
    string EntryDescription,
    DateOnly EffectiveDate,
    IReadOnlyList<NachaDebit> Debits,
    char WebPaymentType = 'S');

/// <summary>
/// Writes PPD and WEB debit batches (service class 225) as a NACHA file: 94-character records, each
/// batch control and the file control computed (counts, entry hash, totals, block count), padded with
/// <c>9</c> records to a multiple of ten lines. What it writes, <see cref="NachaFile"/> reads back unchanged.
/// </summary>
public static class NachaWriter
{
    /// <summary>Writes the file; lines end with CRLF as most banks expect.</summary>
    /// <param name="created">The creation date and time written in the header.</param>
    /// <param name="fileIdModifier">A–Z or 0–9, distinguishing files sent the same day.</param>
    /// <param name="firstTraceSequence">The sequence part (7 digits) of the first entry's trace number; the entries
    /// after count up from it. A sender keeps it running across files so that no two debits of a day share a trace.</param>
    /// <exception cref="ArgumentException">A routing number, SEC code, amount or field does not fit the format.</exception>
    public static void Write(TextWriter writer, NachaOriginator originator, DateTime created, char fileIdModifier, IReadOnlyList<NachaDebitBatch> batches, int firstTraceSequence = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(firstTraceSequence, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(firstTraceSequence, 9_999_999);
        ArgumentNullException.ThrowIfNull(writer);
        RequireRouting(originator.ImmediateDestination, nameof(originator.ImmediateDestination));
        RequireDigits(originator.Odfi, 8, nameof(originator.Odfi));
        if (!char.IsAsciiLetterUpper(fileIdModifier) && !char.IsAsciiDigit(fileIdModifier))
        {
            throw new ArgumentException("The file id modifier is A–Z or 0–9.", nameof(fileIdModifier));
        }

        var records = 0;
        void Line(StringBuilder record)
        {
            if (record.Length != NachaFile.RecordLength)
            {
                throw new InvalidOperationException($"A record of {record.Length} characters: {record}");
            }

            writer.Write(record);
            writer.Write("\r\n");
            records++;
        }

        var line = new StringBuilder(NachaFile.RecordLength);
        Line(line.Clear()
            .Append("101")
            .Append(Right(originator.ImmediateDestination, 10))
            .Append(Right(originator.ImmediateOrigin, 10))
            .Append(created.ToString("yyMMddHHmm", CultureInfo.InvariantCulture))
            .Append(fileIdModifier)
            .Append("094101")
            .Append(Left(originator.DestinationName, 23))
            .Append(Left(originator.OriginName, 23))
            .Append(Left("", 8)));

        long fileHash = 0, fileDebit = 0;
        var fileEntries = 0;
        var trace = firstTraceSequence - 1;
        for (var b = 0; b < batches.Count; b++)
        {
            var batch = batches[b];
            if (batch.SecCode is not ("PPD" or "WEB"))
            {
                throw new ArgumentException($"Only PPD and WEB debit batches are written, not {batch.SecCode}.", nameof(batches));
            }

            var number = b + 1;
            Line(line.Clear()
                .Append("5225")
                .Append(Left(originator.CompanyName, 16))
                .Append(Left("", 20))
                .Append(Left(originator.CompanyId, 10))
                .Append(batch.SecCode)
                .Append(Left(batch.EntryDescription, 10))
                .Append(Left("", 6))
                .Append(batch.EffectiveDate.ToString("yyMMdd", CultureInfo.InvariantCulture))
                .Append("   1")
                .Append(originator.Odfi)
                .Append(Zero(number, 7)));

            long hash = 0, debit = 0;
            var count = 0;
            foreach (var d in batch.Debits)
            {
                RequireRouting(d.RoutingNumber, nameof(d.RoutingNumber));
                if (!NachaCodes.IsDebit(d.TransactionCode))
                {
                    throw new ArgumentException($"{d.TransactionCode} is not a debit transaction code.", nameof(batches));
                }

                if (d.AmountMinor is < 0 or > 99_999_999_99)
                {
                    throw new ArgumentException($"The amount {d.AmountMinor} does not fit the 10-digit amount field.", nameof(batches));
                }

                trace = trace == 9_999_999 ? 1 : trace + 1;
                var traceNumber = originator.Odfi + Zero(trace, 7);
                Line(line.Clear()
                    .Append('6')
                    .Append(Zero(d.TransactionCode, 2))
                    .Append(d.RoutingNumber)
                    .Append(Left(Fit(d.Account, 17, nameof(d.Account)), 17))
                    .Append(Zero(d.AmountMinor, 10))
                    .Append(Left(Fit(d.IndividualId, 15, nameof(d.IndividualId)), 15))
                    .Append(Left(d.IndividualName, 22))
                    .Append(batch.SecCode == "WEB" ? batch.WebPaymentType + " " : "  ")
                    .Append(d.PaymentInformation is null ? '0' : '1')
                    .Append(traceNumber));
                count++;
                hash += long.Parse(d.RoutingNumber.AsSpan(0, 8), NumberStyles.None, CultureInfo.InvariantCulture);
                debit = checked(debit + d.AmountMinor);
                if (d.PaymentInformation is { } info)
                {
                    Line(line.Clear()
                        .Append("705")
                        .Append(Left(info, 80))
                        .Append("0001")
                        .Append(Zero(trace, 7)));
                    count++;
                }
            }

            hash %= 10_000_000_000;
            Line(line.Clear()
                .Append("8225")
                .Append(Zero(count, 6))
                .Append(Zero(hash, 10))
                .Append(Zero(debit, 12))
                .Append(Zero(0, 12))
                .Append(Left(originator.CompanyId, 10))
                .Append(Left("", 25))
                .Append(originator.Odfi)
                .Append(Zero(number, 7)));
            fileHash = (fileHash + hash) % 10_000_000_000;
            fileDebit = checked(fileDebit + debit);
            fileEntries += count;
        }

        var blocks = (records + 1 + NachaFile.BlockingFactor - 1) / NachaFile.BlockingFactor;
        Line(line.Clear()
            .Append('9')
            .Append(Zero(batches.Count, 6))
            .Append(Zero(blocks, 6))
            .Append(Zero(fileEntries, 8))
            .Append(Zero(fileHash, 10))
            .Append(Zero(fileDebit, 12))
            .Append(Zero(0, 12))
            .Append(Left("", 39)));
        while (records % NachaFile.BlockingFactor != 0)
        {
            Line(line.Clear().Append('9', NachaFile.RecordLength));
        }
    }

    private static void RequireRouting(string routing, string name)
    {
        if (!NachaCodes.IsValidRoutingNumber(routing))
        {
            throw new ArgumentException($"'{routing}' is not a 9-digit routing number with a correct check digit.", name);
        }
    }

    private static void RequireDigits(string value, int length, string name)
    {
        if (value.Length != length || value.AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            throw new ArgumentException($"'{value}' is not {length} digits.", name);
        }
    }

    private static string Fit(string value, int length, string name) =>
        value.Length <= length ? value : throw new ArgumentException($"'{value}' is longer than {length} characters.", name);

    /// <summary>Left-justified, blank-filled, cut to the field (names and descriptions may be shortened).</summary>
    private static string Left(string value, int length)
    {
        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                throw new ArgumentException($"'{value}' has a character outside printable ASCII.", nameof(value));
            }
        }

        return value.Length >= length ? value[..length] : value.PadRight(length);
    }

    private static string Right(string value, int length) => value.PadLeft(length);

    private static string Zero(long value, int length) => value.ToString(CultureInfo.InvariantCulture).PadLeft(length, '0');
}
