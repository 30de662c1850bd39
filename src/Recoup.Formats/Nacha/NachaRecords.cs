namespace Recoup.Formats.Nacha;

/// <summary>The file header (record type <c>1</c>).</summary>
/// <param name="ImmediateDestination">The routing number of the receiving point, without the leading blank.</param>
/// <param name="ImmediateOrigin">The origin as written, without the leading blank (a routing number or a 10-digit identifier).</param>
public sealed record NachaFileHeader(
    int Line,
    string ImmediateDestination,
    string ImmediateOrigin,
    DateOnly CreationDate,
    string CreationTime,
    char FileIdModifier,
    string DestinationName,
    string OriginName,
    string ReferenceCode);

/// <summary>A batch header (record type <c>5</c>).</summary>
/// <param name="ServiceClass">200 mixed, 220 credits only, 225 debits only, 280 automated accounting advices.</param>
/// <param name="SecCode">Standard entry class: PPD, WEB, CCD, COR, IAT …</param>
/// <param name="EffectiveDate">Null when the field is blank or not a date (return and NOC batches often leave it so).</param>
public sealed record NachaBatchHeader(
    int Line,
    int ServiceClass,
    string CompanyName,
    string CompanyDiscretionaryData,
    string CompanyId,
    string SecCode,
    string EntryDescription,
    string DescriptiveDate,
    DateOnly? EffectiveDate,
    char OriginatorStatus,
    string Odfi,
    int BatchNumber);

/// <summary>An addenda record (type <c>7</c>); see the derived records for the kinds read in detail.</summary>
/// <param name="TypeCode"><c>05</c> payment information, <c>98</c> notification of change, <c>99</c> return, <c>10</c>–<c>18</c> IAT.</param>
/// <param name="Text">Positions 4–94 as written.</param>
public record NachaAddenda(int Line, string TypeCode, string Text);

/// <summary>A return addenda (<c>99</c>).</summary>
/// <param name="ReturnCode">R01 … R85 (or a custom code when allowed).</param>
public sealed record NachaReturnAddenda(
    int Line,
    string Text,
    string ReturnCode,
    string OriginalTrace,
    DateOnly? DateOfDeath,
    string OriginalRdfi,
    string Information,
    string Trace) : NachaAddenda(Line, "99", Text);

/// <summary>A notification of change (<c>98</c>).</summary>
/// <param name="ChangeCode">C01 … C14 (C01: incorrect account number, C02: routing number …).</param>
public sealed record NachaChangeAddenda(
    int Line,
    string Text,
    string ChangeCode,
    string OriginalTrace,
    string OriginalRdfi,
    string CorrectedData,
    string Trace) : NachaAddenda(Line, "98", Text);

/// <summary>An entry detail (record type <c>6</c>) with its addenda.</summary>
/// <param name="Rdfi">The receiving bank's 8-digit routing identification; with <paramref name="CheckDigit"/> the routing number.</param>
/// <param name="AmountMinor">In cents.</param>
public sealed record NachaEntry(
    int Line,
    int TransactionCode,
    string Rdfi,
    char CheckDigit,
    string Account,
    long AmountMinor,
    string IndividualId,
    string IndividualName,
    string DiscretionaryData,
    bool HasAddenda,
    string Trace,
    IReadOnlyList<NachaAddenda> Addenda)
{
    /// <summary>The 9-digit routing number.</summary>
    public string RoutingNumber => Rdfi + CheckDigit;

    /// <summary>Debits take money from the receiver (transaction codes 26–29, 36–39, 46–49, 55, 56).</summary>
    public bool IsDebit => NachaCodes.IsDebit(TransactionCode);

    /// <summary>The return addenda, when the entry is a return.</summary>
    public NachaReturnAddenda? Return => Addenda.OfType<NachaReturnAddenda>().FirstOrDefault();

    /// <summary>The notification of change, when the entry is one.</summary>
    public NachaChangeAddenda? Change => Addenda.OfType<NachaChangeAddenda>().FirstOrDefault();
}

/// <summary>A batch control (record type <c>8</c>), as the file states it.</summary>
public sealed record NachaBatchControl(
    int Line,
    int ServiceClass,
    int EntryAddendaCount,
    long EntryHash,
    long TotalDebitMinor,
    long TotalCreditMinor,
    string CompanyId,
    string Odfi,
    int BatchNumber);

/// <summary>The file control (record type <c>9</c>), as the file states it.</summary>
public sealed record NachaFileControl(
    int Line,
    int BatchCount,
    int BlockCount,
    int EntryAddendaCount,
    long EntryHash,
    long TotalDebitMinor,
    long TotalCreditMinor);

/// <summary>A batch: header, entries (each with its addenda) and control.</summary>
public sealed record NachaBatch(NachaBatchHeader Header, IReadOnlyList<NachaEntry> Entries, NachaBatchControl Control);

/// <summary>A return entry reduced to what reversing the original payment needs.</summary>
/// <param name="Line">The line of the return's entry detail.</param>
/// <param name="OriginalTrace">The trace number of the entry being returned: finds the original debit.</param>
/// <param name="StopFurtherDebits">Whether the code means the account must not be debited again without a new authorization or corrected data.</param>
public sealed record AchReturn(
    int Line,
    string OriginalTrace,
    string ReturnCode,
    string Description,
    bool StopFurtherDebits,
    long AmountMinor,
    string IndividualId,
    string IndividualName,
    DateOnly? DateOfDeath);

/// <summary>How strictly <see cref="NachaFile.Read(TextReader, string, NachaReadOptions?)"/> reads.</summary>
/// <param name="Strict">True: batch and file controls that disagree throw. False: they go to <see cref="NachaFile.Warnings"/>.</param>
/// <param name="AllowInvalidCheckDigit">Accept routing numbers whose check digit is wrong.</param>
/// <param name="AllowCustomReturnCodes">Accept return reason codes outside R01–R85 (some banks use R96–R99 privately).</param>
public sealed record NachaReadOptions(bool Strict = true, bool AllowInvalidCheckDigit = false, bool AllowCustomReturnCodes = false)
{
    public static readonly NachaReadOptions Default = new();
}
