using Recoup.Formats.Payments;

namespace Recoup.Formats.Bai2;

/// <summary>An account of a BAI2 group with its details and trailer.</summary>
public sealed record Bai2AccountReport(Bai2Account Account, IReadOnlyList<Bai2Detail> Details, Bai2AccountTrailer Trailer);

/// <summary>A BAI2 group with its accounts and trailer.</summary>
public sealed record Bai2Group(Bai2GroupHeader Header, IReadOnlyList<Bai2AccountReport> Accounts, Bai2GroupTrailer Trailer);

/// <summary>
/// A whole BAI2 file in memory: for small files, tests and display. Imports stream with
/// <see cref="Bai2Reader"/> or <see cref="Read(TextReader, string, Bai2ReadOptions?)"/>'s sibling
/// <see cref="Payments(TextReader, string, Bai2ReadOptions?)"/> instead.
/// </summary>
/// <param name="Warnings">Control records that disagree, when read leniently.</param>
public sealed record Bai2File(
    Bai2FileHeader Header,
    IReadOnlyList<Bai2Group> Groups,
    Bai2FileTrailer Trailer,
    IReadOnlyList<PaymentFileException> Warnings)
{
    /// <summary>Reads and checks a whole file.</summary>
    /// <exception cref="PaymentFileException">The file is malformed or (strict) its control records disagree.</exception>
    public static Bai2File Read(TextReader text, string fileName, Bai2ReadOptions? options = null)
    {
        var reader = new Bai2Reader(text, fileName, options);
        Bai2FileHeader? header = null;
        var groups = new List<Bai2Group>();
        var accounts = new List<Bai2AccountReport>();
        var details = new List<Bai2Detail>();
        foreach (var record in reader.Records())
        {
            switch (record)
            {
                case Bai2FileHeader h:
                    header = h;
                    break;
                case Bai2GroupHeader:
                    accounts = [];
                    break;
                case Bai2Account:
                    details = [];
                    break;
                case Bai2Detail d:
                    details.Add(d);
                    break;
                case Bai2AccountTrailer t:
                    accounts.Add(new Bai2AccountReport(t.Account, details, t));
                    break;
                case Bai2GroupTrailer t:
                    groups.Add(new Bai2Group(t.Group, accounts, t));
                    break;
                case Bai2FileTrailer t:
                    return new Bai2File(header!, groups, t, reader.Warnings);
            }
        }

        throw new InvalidOperationException("The reader ended without a file trailer and without an error.");
    }

    /// <summary>Reads and checks the file at <paramref name="path"/>, named in errors by its file name.</summary>
    public static Bai2File Read(string path, Bai2ReadOptions? options = null)
    {
        using var text = new StreamReader(path);
        return Read(text, Path.GetFileName(path), options);
    }

    /// <summary>
    /// The credits of a file (detail type codes 100–399), streamed, as payments received; the file is
    /// checked as it is read, so an error can come after some payments have been yielded.
    /// </summary>
    public static IEnumerable<IncomingPayment> Payments(TextReader text, string fileName, Bai2ReadOptions? options = null)
    {
        foreach (var record in new Bai2Reader(text, fileName, options).Records())
        {
            if (record is Bai2Detail { IsCredit: true } detail)
            {
                yield return ToPayment(detail);
            }
        }
    }

    /// <summary>
    /// A credit detail as a payment received: the account's currency, the value date (else the group's
    /// as-of date), the bank reference, the customer reference as the reference to match, the text as remittance.
    /// </summary>
    public static IncomingPayment ToPayment(Bai2Detail detail) => new(
        detail.Line,
        detail.AmountMinor,
        detail.Account.Currency,
        detail.Availability.ValueDate ?? detail.Account.Group.AsOfDate,
        null,
        detail.BankReference,
        detail.CustomerReference is { } reference ? [reference] : [],
        detail.Text.Length == 0 ? null : detail.Text,
        "BAI2 " + detail.TypeCode);
}
