namespace Recoup.Formats.Bai2;

/// <summary>One logical BAI2 record (with its <c>88</c> continuations joined), as <see cref="Bai2Reader"/> yields them in file order.</summary>
/// <param name="Line">The physical line where the record starts (1-based).</param>
public abstract record Bai2Record(int Line);

/// <summary>The <c>01</c> file header.</summary>
public sealed record Bai2FileHeader(
    int Line,
    string Sender,
    string Receiver,
    DateOnly CreationDate,
    string CreationTime,
    string FileId,
    string Version) : Bai2Record(Line);

/// <summary>The <c>02</c> group header: one originating bank's report as of one date.</summary>
/// <param name="Currency">The group's default currency, when given (accounts may override it).</param>
/// <param name="AsOfTime">HHMM as written (<c>2400</c> and <c>9999</c> occur); null when absent.</param>
public sealed record Bai2GroupHeader(
    int Line,
    string UltimateReceiver,
    string Originator,
    string Status,
    DateOnly AsOfDate,
    string? AsOfTime,
    string? Currency,
    string? AsOfDateModifier) : Bai2Record(Line);

/// <summary>When the funds of an amount are available (the BAI2 funds type and what follows it).</summary>
public enum Bai2FundsType
{
    /// <summary><c>Z</c> or empty: availability unknown.</summary>
    Unknown,

    /// <summary><c>0</c>: immediate.</summary>
    Immediate,

    /// <summary><c>1</c>: one-day.</summary>
    OneDay,

    /// <summary><c>2</c>: two or more days.</summary>
    TwoOrMoreDays,

    /// <summary><c>V</c>: value-dated (a value date and optional time follow).</summary>
    ValueDated,

    /// <summary><c>S</c>: distributed over immediate, one-day and two-or-more-day amounts.</summary>
    Distributed,

    /// <summary><c>D</c>: distributed by number of days (a count and that many day/amount pairs follow).</summary>
    DistributedByDays,
}

/// <summary>Part of an amount available after a number of days.</summary>
public readonly record struct Bai2Distribution(int Days, long AmountMinor);

/// <summary>The availability of an amount.</summary>
/// <param name="Distribution">For <see cref="Bai2FundsType.Distributed"/> (days 0, 1, 2) and <see cref="Bai2FundsType.DistributedByDays"/>; empty otherwise.</param>
public sealed record Bai2Availability(
    Bai2FundsType Type,
    DateOnly? ValueDate,
    string? ValueTime,
    IReadOnlyList<Bai2Distribution> Distribution)
{
    /// <summary>Availability unknown (<c>Z</c> or empty).</summary>
    public static readonly Bai2Availability Unknown = new(Bai2FundsType.Unknown, null, null, []);
}

/// <summary>A status or summary amount of an <c>03</c> record (opening ledger 010, total credits 100 …).</summary>
/// <param name="AmountMinor">Signed, in minor units; null when the field is empty.</param>
public sealed record Bai2Summary(string TypeCode, long? AmountMinor, int? ItemCount, Bai2Availability Availability);

/// <summary>The <c>03</c> account identifier with its status and summary amounts.</summary>
/// <param name="Currency">The account's currency, else the group's, else the reader's default.</param>
public sealed record Bai2Account(
    int Line,
    Bai2GroupHeader Group,
    string AccountNumber,
    string Currency,
    IReadOnlyList<Bai2Summary> Summaries) : Bai2Record(Line);

/// <summary>A <c>16</c> transaction detail.</summary>
/// <param name="AmountMinor">Unsigned in the file: the type code says whether it is a credit or a debit.</param>
/// <param name="Text">The free text, continuations joined by a space; empty when absent.</param>
public sealed record Bai2Detail(
    int Line,
    Bai2Account Account,
    string TypeCode,
    long AmountMinor,
    Bai2Availability Availability,
    string? BankReference,
    string? CustomerReference,
    string Text) : Bai2Record(Line)
{
    /// <summary>Type codes 100–399 are credits (money in); 400–699 debits.</summary>
    public bool IsCredit => string.CompareOrdinal(TypeCode, "100") >= 0 && string.CompareOrdinal(TypeCode, "399") <= 0;
}

/// <summary>The <c>49</c> account trailer, as the file states it.</summary>
public sealed record Bai2AccountTrailer(int Line, Bai2Account Account, long ControlTotal, int RecordCount) : Bai2Record(Line);

/// <summary>The <c>98</c> group trailer, as the file states it.</summary>
public sealed record Bai2GroupTrailer(int Line, Bai2GroupHeader Group, long ControlTotal, int AccountCount, int RecordCount) : Bai2Record(Line);

/// <summary>The <c>99</c> file trailer, as the file states it.</summary>
public sealed record Bai2FileTrailer(int Line, long ControlTotal, int GroupCount, int RecordCount) : Bai2Record(Line);

/// <summary>How strictly <see cref="Bai2Reader"/> reads.</summary>
/// <param name="Strict">
/// True (the default): a control total or count at <c>49</c>, <c>98</c> or <c>99</c> that disagrees with the
/// records throws. False: the disagreement is added to <see cref="Bai2Reader.Warnings"/> and reading goes on.
/// Structural errors (unknown record type, bad amount, records out of order) always throw.
/// </param>
/// <param name="DefaultCurrency">The currency of accounts for which neither the <c>03</c> nor the <c>02</c> record names one.</param>
public sealed record Bai2ReadOptions(bool Strict = true, string DefaultCurrency = "USD")
{
    public static readonly Bai2ReadOptions Default = new();

    public static readonly Bai2ReadOptions Lenient = new(Strict: false);
}
