using System.Globalization;
using Recoup.Formats.Payments;

namespace Recoup.Formats.Nacha;

/// <summary>
/// A NACHA ACH file: header, batches of entries with their addenda, control; read with every control
/// record checked.
/// </summary>
/// <remarks>
/// Records are 94 characters. Tolerated: CRLF, lines right-trimmed (padded back with blanks), blank lines,
/// a file written without line breaks (split every 94 characters), and any number of <c>9…9</c> padding lines.
/// Checked: record order; transaction codes; every routing number's ABA check digit (the immediate destination's
/// and each RDFI's); the immediate origin is numeric; return reason and change codes against the standard
/// tables; each batch's entry and addenda count, entry hash (sum of the 8-digit RDFI ids modulo 10^10) and debit
/// and credit totals; the file's batch count, block count, entry and addenda count, hash and totals.
/// </remarks>
/// <param name="Warnings">Controls that disagree, when read leniently.</param>
public sealed record NachaFile(
    NachaFileHeader Header,
    IReadOnlyList<NachaBatch> Batches,
    NachaFileControl Control,
    IReadOnlyList<PaymentFileException> Warnings)
{
    /// <summary>The characters in every record.</summary>
    public const int RecordLength = 94;

    /// <summary>Records per block.</summary>
    public const int BlockingFactor = 10;

    /// <summary>Every entry of every batch.</summary>
    public IEnumerable<NachaEntry> Entries => Batches.SelectMany(b => b.Entries);

    /// <summary>The returned entries, as what reversing the original payments needs.</summary>
    public IEnumerable<AchReturn> Returns => Entries.Select(ReturnOf).OfType<AchReturn>();

    /// <summary>
    /// The returned entries of a file, read as a stream: each is yielded when its record is complete, and
    /// only the running control totals are kept, so a file of any size needs little memory. Every
    /// check of <see cref="Read(TextReader, string, NachaReadOptions?)"/> is made; a batch or file control
    /// that disagrees throws when it is reached, so a caller must not act on what it got before the end
    /// of the enumeration (collect, then apply).
    /// </summary>
    /// <exception cref="PaymentFileException">The file is malformed or a control record disagrees.</exception>
    public static IEnumerable<AchReturn> ReadReturns(TextReader text, string fileName, NachaReadOptions? options = null) =>
        ReadEntries(text, fileName, options).Select(ReturnOf).OfType<AchReturn>();

    /// <summary>Every entry of a file, read as a stream (see <see cref="ReadReturns"/>).</summary>
    /// <exception cref="PaymentFileException">The file is malformed or a control record disagrees.</exception>
    public static IEnumerable<NachaEntry> ReadEntries(TextReader text, string fileName, NachaReadOptions? options = null) =>
        new NachaParser(text, fileName, options ?? NachaReadOptions.Default).Parts().OfType<EntryPart>().Select(p => p.Entry);

    private static AchReturn? ReturnOf(NachaEntry entry)
    {
        if (entry.Return is not { } r)
        {
            return null;
        }

        var reason = NachaCodes.ReturnReasons.GetValueOrDefault(r.ReturnCode);
        return new AchReturn(
            entry.Line,
            r.OriginalTrace,
            r.ReturnCode,
            reason?.Description ?? "Custom return reason",
            reason?.StopFurtherDebits ?? false,
            entry.AmountMinor,
            entry.IndividualId,
            entry.IndividualName,
            r.DateOfDeath);
    }

    /// <summary>Reads and checks the file at <paramref name="path"/> (a <c>.gz</c> file is decompressed), named in errors by its file name.</summary>
    public static NachaFile Read(string path, NachaReadOptions? options = null)
    {
        using var stream = File.OpenRead(path);
        using var decompressed = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Decompress)
            : (Stream)stream;
        using var text = new StreamReader(decompressed);
        return Read(text, Path.GetFileName(path), options);
    }

    /// <summary>Reads and checks a whole file.</summary>
    /// <exception cref="PaymentFileException">The file is malformed or (strict) a control record disagrees; the message names the line and field.</exception>
    public static NachaFile Read(TextReader text, string fileName, NachaReadOptions? options = null) =>
        new NachaParser(text, fileName, options ?? NachaReadOptions.Default).Parse();

    private sealed class NachaParser(TextReader text, string file, NachaReadOptions options)
    {
        private readonly List<PaymentFileException> warnings = [];
        private int line;

        /// <summary>The whole file, built from its parts.</summary>
        public NachaFile Parse()
        {
            NachaFileHeader? header = null;
            NachaFileControl? control = null;
            var batches = new List<NachaBatch>();
            var entries = new List<NachaEntry>();
            foreach (var part in Parts())
            {
                switch (part)
                {
                    case HeaderPart h:
                        header = h.Header;
                        break;
                    case BatchStartPart:
                        entries = [];
                        break;
                    case EntryPart e:
                        entries.Add(e.Entry);
                        break;
                    case BatchEndPart b:
                        batches.Add(new NachaBatch(b.Header, entries, b.Control));
                        break;
                    case FileEndPart f:
                        control = f.Control;
                        break;
                }
            }

            return new NachaFile(header!, batches, control!, warnings);
        }

        /// <summary>
        /// The file's parts in order, each checked as it is read; of the entries only the running
        /// totals are kept, so the file is never held whole.
        /// </summary>
        public IEnumerable<Part> Parts()
        {
            NachaFileHeader? header = null;
            var ended = false;
            NachaBatchHeader? batch = null;
            NachaEntry? entry = null;
            var addenda = new List<NachaAddenda>();
            var records = 0;
            var batchCount = 0;
            var batchTotals = default(Totals);
            var fileTotals = default(Totals);

            foreach (var (number, record) in Records())
            {
                line = number;
                var type = record[0];
                if (ended)
                {
                    if (record.AsSpan().ContainsAnyExcept('9'))
                    {
                        throw Error(null, $"a record of type '{type}' after the file control (9)");
                    }

                    continue;
                }

                if (type == '9' && !record.AsSpan().ContainsAnyExcept('9'))
                {
                    throw Error(null, "a padding record (all 9s) before the file control");
                }

                records++;
                if (header is null && type != '1')
                {
                    throw Error("record type", $"the file must begin with a file header (1), not a record of type '{type}'");
                }

                if (type != '7' && entry is not null)
                {
                    var closed = Close(entry, addenda);
                    batchTotals = batchTotals.Add(closed);
                    fileTotals = fileTotals.Add(closed);
                    entry = null;
                    yield return new EntryPart(closed);
                    line = number;
                }

                switch (type)
                {
                    case '1':
                        if (header is not null)
                        {
                            throw Error("record type", "a second file header (1)");
                        }

                        header = FileHeader(record);
                        yield return new HeaderPart(header);
                        break;
                    case '5':
                        if (batch is not null)
                        {
                            throw Error("record type", $"a batch header (5) before the batch control (8) of batch {batch.BatchNumber}");
                        }

                        batch = BatchHeader(record);
                        batchTotals = default;
                        yield return new BatchStartPart(batch);
                        break;
                    case '6':
                        if (batch is null)
                        {
                            throw Error("record type", "an entry detail (6) outside a batch");
                        }

                        entry = Entry(record);
                        addenda = [];
                        break;
                    case '7':
                        if (entry is null)
                        {
                            throw Error("record type", "an addenda (7) without an entry detail (6) before it");
                        }

                        if (!entry.HasAddenda)
                        {
                            throw Error("addenda record indicator", $"an addenda follows entry {entry.Trace} whose addenda record indicator is 0");
                        }

                        addenda.Add(Addenda(record));
                        break;
                    case '8':
                        if (batch is null)
                        {
                            throw Error("record type", "a batch control (8) without a batch header (5)");
                        }

                        var batchControl = BatchControl(record, batch, batchTotals);
                        batchCount++;
                        yield return new BatchEndPart(batch, batchControl);
                        batch = null;
                        break;
                    case '9':
                        if (batch is not null)
                        {
                            throw Error("record type", $"the file control (9) before the batch control (8) of batch {batch.BatchNumber}");
                        }

                        var fileControl = FileControl(record, batchCount, fileTotals, records);
                        ended = true;
                        yield return new FileEndPart(fileControl);
                        break;
                    default:
                        throw Error("record type", $"unknown record type '{type}'");
                }
            }

            if (header is null)
            {
                throw new PaymentFileException(file, 0, null, "the file is empty");
            }

            if (!ended)
            {
                throw Error(null, "the file ends without a file control (9)");
            }
        }

        private IEnumerable<(int Line, string Record)> Records()
        {
            var number = 0;
            while (text.ReadLine() is { } raw)
            {
                number++;
                line = number;
                var record = raw.TrimEnd('\r', '\n');
                if (record.Trim().Length == 0)
                {
                    continue;
                }

                if (record.Length > RecordLength)
                {
                    if (record.Length % RecordLength != 0)
                    {
                        throw Error("record length", $"the line is {record.Length} characters; NACHA records are {RecordLength}");
                    }

                    for (var i = 0; i < record.Length; i += RecordLength)
                    {
                        yield return (number, record.Substring(i, RecordLength));
                    }

                    continue;
                }

                yield return (number, record.PadRight(RecordLength));
            }
        }

        private NachaFileHeader FileHeader(string r)
        {
            var destination = r[3..13].Trim();
            if (destination.Length != 9 || destination.AsSpan().ContainsAnyExceptInRange('0', '9'))
            {
                throw Error("immediate destination", $"'{destination}' is not a 9-digit routing number");
            }

            if (!options.AllowInvalidCheckDigit && !NachaCodes.IsValidRoutingNumber(destination))
            {
                throw Error("immediate destination", $"routing number {destination} has check digit {destination[8]}; the ABA check digit is {NachaCodes.CheckDigit(destination)}");
            }

            var origin = r[13..23].Trim();
            if (origin.Length is < 9 or > 10 || origin.AsSpan().ContainsAnyExceptInRange('0', '9'))
            {
                throw Error("immediate origin", $"'{r[13..23]}' is not a routing number or a 10-digit identifier");
            }

            return new NachaFileHeader(
                line,
                destination,
                origin,
                Date(r[23..29], "file creation date") ?? throw Error("file creation date", $"'{r[23..29]}' is not a date (YYMMDD)"),
                r[29..33].Trim(),
                r[33],
                r[40..63].Trim(),
                r[63..86].Trim(),
                r[86..94].Trim());
        }

        private NachaBatchHeader BatchHeader(string r)
        {
            var serviceClass = Number(r[1..4], "service class code");
            if (serviceClass is not (200 or 220 or 225 or 280))
            {
                throw Error("service class code", $"{serviceClass} is not a service class (200, 220, 225 or 280)");
            }

            return new NachaBatchHeader(
                line,
                serviceClass,
                r[4..20].Trim(),
                r[20..40].Trim(),
                r[40..50].Trim(),
                r[50..53],
                r[53..63].Trim(),
                r[63..69].Trim(),
                Date(r[69..75], null),
                r[78],
                r[79..87],
                Number(r[87..94], "batch number"));
        }

        private NachaEntry Entry(string r)
        {
            var code = Number(r[1..3], "transaction code");
            if (!NachaCodes.IsKnownTransactionCode(code))
            {
                throw Error("transaction code", $"{code} is not an ACH transaction code");
            }

            var rdfi = r[3..11];
            if (rdfi.AsSpan().ContainsAnyExceptInRange('0', '9'))
            {
                throw Error("receiving DFI identification", $"'{rdfi}' is not an 8-digit routing identification");
            }

            var checkDigit = r[11];
            if (!options.AllowInvalidCheckDigit && NachaCodes.CheckDigit(rdfi) != checkDigit - '0')
            {
                throw Error("check digit", $"routing number {rdfi}{checkDigit} has check digit {checkDigit}; the ABA check digit is {NachaCodes.CheckDigit(rdfi)}");
            }

            var indicator = r[78];
            if (indicator is not ('0' or '1'))
            {
                throw Error("addenda record indicator", $"'{indicator}' is neither 0 nor 1");
            }

            return new NachaEntry(
                line,
                code,
                rdfi,
                checkDigit,
                r[12..29].Trim(),
                Amount(r[29..39], "amount"),
                r[39..54].Trim(),
                r[54..76].Trim(),
                r[76..78].Trim(),
                indicator == '1',
                r[79..94],
                []);
        }

        private NachaEntry Close(NachaEntry entry, List<NachaAddenda> addenda)
        {
            if (entry.HasAddenda && addenda.Count == 0)
            {
                throw new PaymentFileException(file, entry.Line, "addenda record indicator", $"entry {entry.Trace} says an addenda follows, but none does");
            }

            return addenda.Count == 0 ? entry : entry with { Addenda = addenda };
        }

        private NachaAddenda Addenda(string r)
        {
            var type = r[1..3];
            switch (type)
            {
                case "99":
                    {
                        var code = r[3..6];
                        if (!NachaCodes.ReturnReasons.ContainsKey(code) && !(options.AllowCustomReturnCodes && code[0] == 'R'))
                        {
                            throw Error("return reason code", $"{code} is not a standard return reason code (R01–R85)");
                        }

                        return new NachaReturnAddenda(line, r[3..], code, r[6..21], Date(r[21..27], null), r[27..35], r[35..79].Trim(), r[79..94]);
                    }

                case "98":
                    {
                        var code = r[3..6];
                        if (!NachaCodes.ChangeCodes.ContainsKey(code))
                        {
                            throw Error("change code", $"{code} is not a notification-of-change code (C01–C14)");
                        }

                        return new NachaChangeAddenda(line, r[3..], code, r[6..21], r[27..35], r[35..64].Trim(), r[79..94]);
                    }

                case "02" or "05" or "10" or "11" or "12" or "13" or "14" or "15" or "16" or "17" or "18":
                    return new NachaAddenda(line, type, r[3..]);
                default:
                    throw Error("addenda type code", $"'{type}' is not an addenda type");
            }
        }

        private NachaBatchControl BatchControl(string r, NachaBatchHeader header, Totals totals)
        {
            var control = new NachaBatchControl(
                line,
                Number(r[1..4], "service class code"),
                Number(r[4..10], "entry/addenda count"),
                Amount(r[10..20], "entry hash"),
                Amount(r[20..32], "total debit entry dollar amount"),
                Amount(r[32..44], "total credit entry dollar amount"),
                r[44..54].Trim(),
                r[79..87],
                Number(r[87..94], "batch number"));
            var batch = $"batch {header.BatchNumber}";
            Check(control.ServiceClass == header.ServiceClass, "service class code", $"the batch control says service class {control.ServiceClass} but the header of {batch} says {header.ServiceClass}");
            Check(control.BatchNumber == header.BatchNumber, "batch number", $"the batch control is numbered {control.BatchNumber} but its header {header.BatchNumber}");
            Check(control.EntryAddendaCount == totals.Records, "entry/addenda count", $"the batch control counts {control.EntryAddendaCount} entries and addenda but {batch} has {totals.Records}");
            Check(control.EntryHash == totals.Hash, "entry hash", $"the batch control's entry hash is {control.EntryHash} but the RDFI identifications of {batch} add up to {totals.Hash}");
            Check(control.TotalDebitMinor == totals.Debit, "total debit entry dollar amount", $"the batch control's debits total {control.TotalDebitMinor} but the debit entries of {batch} add up to {totals.Debit}");
            Check(control.TotalCreditMinor == totals.Credit, "total credit entry dollar amount", $"the batch control's credits total {control.TotalCreditMinor} but the credit entries of {batch} add up to {totals.Credit}");
            Check(header.ServiceClass != 220 || totals.Debit == 0, "service class code", $"{batch} is credits only (220) but has debits");
            Check(header.ServiceClass != 225 || totals.Credit == 0, "service class code", $"{batch} is debits only (225) but has credits");
            return control;
        }

        private NachaFileControl FileControl(string r, int batchCount, Totals totals, int records)
        {
            var control = new NachaFileControl(
                line,
                Number(r[1..7], "batch count"),
                Number(r[7..13], "block count"),
                Number(r[13..21], "entry/addenda count"),
                Amount(r[21..31], "entry hash"),
                Amount(r[31..43], "total debit entry dollar amount"),
                Amount(r[43..55], "total credit entry dollar amount"));
            var blocks = (records + BlockingFactor - 1) / BlockingFactor;
            Check(control.BatchCount == batchCount, "batch count", $"the file control counts {control.BatchCount} batches but the file has {batchCount}");
            Check(control.BlockCount == blocks, "block count", $"the file control counts {control.BlockCount} blocks but the file's {records} records make {blocks}");
            Check(control.EntryAddendaCount == totals.Records, "entry/addenda count", $"the file control counts {control.EntryAddendaCount} entries and addenda but the file has {totals.Records}");
            Check(control.EntryHash == totals.Hash, "entry hash", $"the file control's entry hash is {control.EntryHash} but the RDFI identifications add up to {totals.Hash}");
            Check(control.TotalDebitMinor == totals.Debit, "total debit entry dollar amount", $"the file control's debits total {control.TotalDebitMinor} but the debit entries add up to {totals.Debit}");
            Check(control.TotalCreditMinor == totals.Credit, "total credit entry dollar amount", $"the file control's credits total {control.TotalCreditMinor} but the credit entries add up to {totals.Credit}");
            return control;
        }

        private void Check(bool holds, string field, string message)
        {
            if (holds)
            {
                return;
            }

            if (options.Strict)
            {
                throw Error(field, message);
            }

            warnings.Add(Error(field, message));
        }

        private int Number(string value, string field) =>
            int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw Error(field, $"'{value}' is not a number");

        private long Amount(string value, string field) =>
            long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
                ? amount
                : throw Error(field, $"'{value}' is not a number");

        private static DateOnly? Date(string value, string? field) =>
            DateOnly.TryParseExact(value, "yyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

        private PaymentFileException Error(string? field, string message) => new(file, line, field, message);
    }

    /// <summary>A piece of the file as the parser reads it.</summary>
    private abstract record Part;

    private sealed record HeaderPart(NachaFileHeader Header) : Part;

    private sealed record BatchStartPart(NachaBatchHeader Header) : Part;

    private sealed record EntryPart(NachaEntry Entry) : Part;

    private sealed record BatchEndPart(NachaBatchHeader Header, NachaBatchControl Control) : Part;

    private sealed record FileEndPart(NachaFileControl Control) : Part;

    /// <summary>Counts and sums of entries as the control records state them.</summary>
    internal readonly record struct Totals(int Records, long Hash, long Debit, long Credit)
    {
        private const long HashModulus = 10_000_000_000;

        /// <summary>These totals with one more entry (and its addenda) counted.</summary>
        public Totals Add(NachaEntry e) => new(
            Records + 1 + e.Addenda.Count,
            (Hash + long.Parse(e.Rdfi, NumberStyles.None, CultureInfo.InvariantCulture)) % HashModulus,
            e.IsDebit ? checked(Debit + e.AmountMinor) : Debit,
            e.IsDebit ? Credit : checked(Credit + e.AmountMinor));
    }
}
