using Recoup.Domain;
using Recoup.Formats.Payments;

namespace Recoup.Services.Payments;

/// <summary>
/// The payment file readers this installation has, and the choice of one for a file: by the format
/// asked for, or (<c>auto</c>) by the file's first bytes.
/// </summary>
public sealed class PaymentReaders(IEnumerable<IPaymentFileReader> readers)
{
    private readonly List<IPaymentFileReader> _readers = readers.ToList();

    /// <summary>
    /// Every reader of money received: BAI2, camt.053, camt.054 and the R1 payments CSV. (NACHA return
    /// files do not bring money in; <c>nacha-returns</c> is applied by <see cref="Ach.AchReturns"/>.)
    /// </summary>
    public static PaymentReaders Default { get; } = new(
        [new Bai2PaymentFileReader(), new CamtPaymentFileReader(PaymentFormats.Camt053), new CamtPaymentFileReader(PaymentFormats.Camt054), new CsvPaymentFileReader()]);

    public IReadOnlyList<string> Available => _readers.Select(r => r.Format).ToList();

    /// <summary>The reader for <paramref name="format"/>, or the one that recognises <paramref name="head"/> when the format is <c>auto</c>.</summary>
    public Result<IPaymentFileReader> Choose(string format, ReadOnlySpan<byte> head, string fileName)
    {
        if (!PaymentFormats.All.Contains(format))
        {
            return Result<IPaymentFileReader>.Fail("format_unknown", $"'{format}' is not a payment file format; use one of {string.Join(", ", PaymentFormats.All)}", "format");
        }

        if (format == PaymentFormats.Auto)
        {
            foreach (var candidate in _readers)
            {
                if (candidate.Sniff(head))
                {
                    return Result<IPaymentFileReader>.Ok(candidate);
                }
            }

            return Result<IPaymentFileReader>.Fail("format_not_recognised",
                $"{fileName} is not a payment file Recoup recognises ({string.Join(", ", Available)}); name its format with --format", "format");
        }

        return _readers.FirstOrDefault(r => r.Format == format) is { } reader
            ? Result<IPaymentFileReader>.Ok(reader)
            : Result<IPaymentFileReader>.Fail("format_not_available", $"{format} reader not available (this version reads {string.Join(", ", Available)})", "format");
    }
}
