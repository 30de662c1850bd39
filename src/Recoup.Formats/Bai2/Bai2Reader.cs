using System.Globalization;
using Recoup.Formats.Payments;

namespace Recoup.Formats.Bai2;

/// <summary>
/// Reads a BAI2 balance and transaction report record by record, checking the control totals and
/// record counts of every account (<c>49</c>), group (<c>98</c>) and the file (<c>99</c>) as it goes.
/// </summary>
/// <remarks>
/// <para>
/// Only the record being read is held in memory, so a file of any size streams. Physical layout
/// tolerated: <c>88</c> continuations joined to the record before them (their fields continue its fields;
/// for a <c>16</c> they continue its text); the <c>/</c> terminator optional at the end of a continued
/// <c>16</c> and allowed inside its text; several records on one physical line when a <c>/</c>, white space
/// and a known record code separate them; a line that does not begin with a record code (text wrapped onto
/// a new line) joined to the text of the <c>16</c> before it. Such wrapped lines are not counted as records.
/// </para>
/// <para>
/// Control rules: an account's control total is the algebraic sum of the amounts of its <c>03</c> and
/// <c>16</c> records, and its record count runs from the <c>03</c> to the <c>49</c> inclusive (each
/// <c>88</c> counted); a group's totals sum its accounts and its count runs from <c>02</c> to <c>98</c>; the
/// file's from <c>01</c> to <c>99</c>.
/// </para>
/// </remarks>
public sealed class Bai2Reader
{
    private static readonly string[] KnownCodes = ["01", "02", "03", "16", "49", "88", "98", "99"];

    private readonly TextReader reader;
    private readonly string file;
    private readonly Bai2ReadOptions options;
    private readonly List<PaymentFileException> warnings = [];
    private bool started;

    /// <param name="reader">The file's text; the caller disposes it.</param>
    /// <param name="fileName">The name errors give for the file.</param>
    public Bai2Reader(TextReader reader, string fileName, Bai2ReadOptions? options = null)
    {
        this.reader = reader;
        file = fileName;
        this.options = options ?? Bai2ReadOptions.Default;
    }

    /// <summary>
    /// Control totals and counts that disagree with the records, when reading leniently
    /// (<see cref="Bai2ReadOptions.Strict"/> false); empty in strict mode, which throws instead.
    /// </summary>
    public IReadOnlyList<PaymentFileException> Warnings => warnings;

    /// <summary>The records in file order; may be enumerated once.</summary>
    /// <exception cref="PaymentFileException">The file is malformed, or (strict) a control record disagrees.</exception>
    public IEnumerable<Bai2Record> Records()
    {
        if (started)
        {
            throw new InvalidOperationException("A Bai2Reader reads its file once.");
        }

        started = true;
        return Iterate();
    }

    private IEnumerable<Bai2Record> Iterate()
    {
        var state = new ControlState();
        var segments = new List<string>(8);
        string? pendingCode = null;
        var pendingLine = 0;
        var pendingRecords = 0;
        var lastLine = 0;
        var physical = new List<(string? Code, string Body)>(4);
        var line = 0;

        while (reader.ReadLine() is { } text)
        {
            line++;
            Split(text, line, physical);
            foreach (var (code, body) in physical)
            {
                lastLine = line;
                if (code is "88" || code is null)
                {
                    if (pendingCode is null || (code is null && pendingCode != "16"))
                    {
                        throw Error(line, null, code is null
                            ? "not a BAI2 record (a line must begin with a record code such as 16,)"
                            : "continuation record (88) with no record before it to continue");
                    }

                    segments.Add(body);
                    if (code is not null)
                    {
                        pendingRecords++;
                    }

                    continue;
                }

                if (pendingCode is not null)
                {
                    yield return Complete(state, pendingCode, pendingLine, segments, pendingRecords);
                }

                pendingCode = code;
                pendingLine = line;
                pendingRecords = 1;
                segments.Clear();
                segments.Add(body);
            }
        }

        if (pendingCode is null)
        {
            throw Error(0, null, "the file is empty");
        }

        yield return Complete(state, pendingCode, pendingLine, segments, pendingRecords);
        if (state.Stage != Stage.Done)
        {
            throw Error(lastLine, null, "the file ends without a file trailer (99)");
        }
    }

    /// <summary>Splits one physical line into its records: (record code or null for a wrapped line, the text after "NN,").</summary>
    private void Split(string text, int lineNumber, List<(string? Code, string Body)> records)
    {
        records.Clear();
        var trimmed = text.AsSpan().TrimEnd();
        if (trimmed.IsEmpty)
        {
            return;
        }

        if (!StartsRecord(trimmed, 0, out var known))
        {
            if (known is not null)
            {
                throw Error(lineNumber, "record type", $"unsupported record type {known}");
            }

            records.Add((null, (trimmed.EndsWith('/') ? trimmed[..^1] : trimmed).ToString()));
            return;
        }

        var start = 0;
        while (true)
        {
            var next = NextRecordOnLine(trimmed, start + 3);
            var code = Intern(trimmed.Slice(start, 2));
            var end = next < 0 ? trimmed.Length : trimmed[..next].TrimEnd().Length;
            var body = trimmed[(start + 3)..end];
            records.Add((code, (body.EndsWith('/') ? body[..^1] : body).ToString())); // a final '/' always ends the record
            if (next < 0)
            {
                return;
            }

            start = next;
        }
    }

    private static string Intern(ReadOnlySpan<char> code)
    {
        foreach (var known in KnownCodes)
        {
            if (code.SequenceEqual(known))
            {
                return known;
            }
        }

        return code.ToString();
    }

    /// <summary>Whether <paramref name="text"/> has a record code and comma at <paramref name="at"/>; <paramref name="unknownCode"/> names a two-digit code we do not know.</summary>
    private static bool StartsRecord(ReadOnlySpan<char> text, int at, out string? unknownCode)
    {
        unknownCode = null;
        if (text.Length < at + 3 || !char.IsAsciiDigit(text[at]) || !char.IsAsciiDigit(text[at + 1]) || text[at + 2] != ',')
        {
            return false;
        }

        var code = text.Slice(at, 2);
        foreach (var known in KnownCodes)
        {
            if (code.SequenceEqual(known))
            {
                return true;
            }
        }

        unknownCode = code.ToString();
        return false;
    }

    /// <summary>Where a further record begins on the line: after a <c>/</c>, white space and a known code with its comma; -1 when none does.</summary>
    private static int NextRecordOnLine(ReadOnlySpan<char> line, int from)
    {
        while (from < line.Length)
        {
            var slash = line[from..].IndexOf('/');
            if (slash < 0)
            {
                return -1;
            }

            var i = from + slash + 1;
            var spaces = i;
            while (i < line.Length && char.IsWhiteSpace(line[i]))
            {
                i++;
            }

            if (i > spaces && StartsRecord(line, i, out _))
            {
                return i;
            }

            from = from + slash + 1;
        }

        return -1;
    }

    private Bai2Record Complete(ControlState s, string code, int line, List<string> segments, int records)
    {
        if (s.Stage == Stage.Done)
        {
            throw Error(line, null, $"record {code} after the file trailer (99)");
        }

        if (s.Stage == Stage.Start && code != "01")
        {
            throw Error(line, "record type", $"the file must begin with a file header (01), not {code}");
        }

        switch (code)
        {
            case "01":
                {
                    if (s.Stage != Stage.Start)
                    {
                        throw Error(line, null, "a second file header (01)");
                    }

                    var c = FieldCursor.ForFields(segments);
                    var header = new Bai2FileHeader(
                        line,
                        Required(ref c, line, "01 sender"),
                        Required(ref c, line, "01 receiver"),
                        Date(c.Next(), line, "01 creation date") ?? throw Error(line, "01 creation date", "missing"),
                        c.Next().ToString(),
                        c.Next().ToString(),
                        Version(ref c));
                    s.Stage = Stage.InFile;
                    s.FileRecords = records;
                    return header;
                }

            case "02":
                {
                    if (s.Stage != Stage.InFile)
                    {
                        throw Error(line, null, s.Stage == Stage.InGroup ? "group header (02) before the group trailer (98) of the group before" : "group header (02) inside an account");
                    }

                    var c = FieldCursor.ForFields(segments);
                    var receiver = c.Next().ToString();
                    var originator = c.Next().ToString();
                    var status = c.Next().ToString();
                    var asOf = Date(c.Next(), line, "02 as-of date") ?? throw Error(line, "02 as-of date", "missing");
                    var time = Optional(c.Next());
                    var currency = Optional(c.Next());
                    var modifier = Optional(c.Next());
                    s.Group = new Bai2GroupHeader(line, receiver, originator, status, asOf, time, currency, modifier);
                    s.Stage = Stage.InGroup;
                    s.GroupRecords = records;
                    s.GroupTotal = 0;
                    s.GroupAccounts = 0;
                    return s.Group;
                }

            case "03":
                {
                    if (s.Stage != Stage.InGroup)
                    {
                        throw Error(line, null, s.Stage == Stage.InAccount ? "account (03) before the account trailer (49) of the account before" : "account (03) outside a group (02)");
                    }

                    var c = FieldCursor.ForFields(segments);
                    var number = Required(ref c, line, "03 account number");
                    var currency = Optional(c.Next()) ?? s.Group!.Currency ?? options.DefaultCurrency;
                    var summaries = new List<Bai2Summary>();
                    long total = 0;
                    while (c.HasMore)
                    {
                        var type = c.Next();
                        var amount = OptionalAmount(c.Next(), line, "03 amount");
                        var count = OptionalInt(c.Next(), line, "03 item count");
                        var availability = Availability(ref c, line, "03");
                        if (type.IsEmpty)
                        {
                            if (amount is not null)
                            {
                                throw Error(line, "03 type code", "an amount without a type code");
                            }

                            continue;
                        }

                        summaries.Add(new Bai2Summary(TypeCode(type, line, "03 type code"), amount, count, availability));
                        total = checked(total + (amount ?? 0));
                    }

                    s.Account = new Bai2Account(line, s.Group!, number, currency, summaries);
                    s.Stage = Stage.InAccount;
                    s.AccountTotal = total;
                    s.AccountRecords = records;
                    return s.Account;
                }

            case "16":
                {
                    if (s.Stage != Stage.InAccount)
                    {
                        throw Error(line, null, "transaction detail (16) outside an account (03)");
                    }

                    var c = FieldCursor.ForText(segments);
                    var type = TypeCode(c.Next(), line, "16 type code");
                    var amount = OptionalAmount(c.Next(), line, "16 amount") ?? 0;
                    var availability = Availability(ref c, line, "16");
                    var bankReference = Optional(c.Next());
                    var customerReference = Optional(c.Next());
                    var text = c.Rest();
                    s.AccountTotal = checked(s.AccountTotal + amount);
                    s.AccountRecords += records;
                    return new Bai2Detail(line, s.Account!, type, amount, availability, bankReference, customerReference, text);
                }

            case "49":
                {
                    if (s.Stage != Stage.InAccount)
                    {
                        throw Error(line, null, "account trailer (49) without an account (03)");
                    }

                    var c = FieldCursor.ForFields(segments);
                    var total = OptionalAmount(c.Next(), line, "49 account control total") ?? 0;
                    var count = OptionalInt(c.Next(), line, "49 number of records") ?? throw Error(line, "49 number of records", "missing");
                    s.AccountRecords += records;
                    Check(total == s.AccountTotal, line, "49 account control total", $"the account control total is {total} but the amounts of account {s.Account!.AccountNumber} add up to {s.AccountTotal}");
                    Check(count == s.AccountRecords, line, "49 number of records", $"the account trailer counts {count} records but account {s.Account!.AccountNumber} has {s.AccountRecords}");
                    var trailer = new Bai2AccountTrailer(line, s.Account!, total, count);
                    s.GroupTotal = checked(s.GroupTotal + s.AccountTotal);
                    s.GroupRecords += s.AccountRecords;
                    s.GroupAccounts++;
                    s.Account = null;
                    s.Stage = Stage.InGroup;
                    return trailer;
                }

            case "98":
                {
                    if (s.Stage != Stage.InGroup)
                    {
                        throw Error(line, null, s.Stage == Stage.InAccount ? "group trailer (98) before the account trailer (49)" : "group trailer (98) without a group (02)");
                    }

                    var c = FieldCursor.ForFields(segments);
                    var total = OptionalAmount(c.Next(), line, "98 group control total") ?? 0;
                    var accounts = OptionalInt(c.Next(), line, "98 number of accounts") ?? throw Error(line, "98 number of accounts", "missing");
                    var count = OptionalInt(c.Next(), line, "98 number of records") ?? throw Error(line, "98 number of records", "missing");
                    s.GroupRecords += records;
                    Check(total == s.GroupTotal, line, "98 group control total", $"the group control total is {total} but the group's accounts add up to {s.GroupTotal}");
                    Check(accounts == s.GroupAccounts, line, "98 number of accounts", $"the group trailer counts {accounts} accounts but the group has {s.GroupAccounts}");
                    Check(count == s.GroupRecords, line, "98 number of records", $"the group trailer counts {count} records but the group has {s.GroupRecords}");
                    var trailer = new Bai2GroupTrailer(line, s.Group!, total, accounts, count);
                    s.FileTotal = checked(s.FileTotal + s.GroupTotal);
                    s.FileRecords += s.GroupRecords;
                    s.FileGroups++;
                    s.Group = null;
                    s.Stage = Stage.InFile;
                    return trailer;
                }

            case "99":
                {
                    if (s.Stage != Stage.InFile)
                    {
                        throw Error(line, null, "file trailer (99) before the trailer of the open group or account");
                    }

                    var c = FieldCursor.ForFields(segments);
                    var total = OptionalAmount(c.Next(), line, "99 file control total") ?? 0;
                    var groups = OptionalInt(c.Next(), line, "99 number of groups") ?? throw Error(line, "99 number of groups", "missing");
                    var count = OptionalInt(c.Next(), line, "99 number of records") ?? throw Error(line, "99 number of records", "missing");
                    s.FileRecords += records;
                    Check(total == s.FileTotal, line, "99 file control total", $"the file control total is {total} but the groups add up to {s.FileTotal}");
                    Check(groups == s.FileGroups, line, "99 number of groups", $"the file trailer counts {groups} groups but the file has {s.FileGroups}");
                    Check(count == s.FileRecords, line, "99 number of records", $"the file trailer counts {count} records but the file has {s.FileRecords}");
                    s.Stage = Stage.Done;
                    return new Bai2FileTrailer(line, total, groups, count);
                }

            default:
                throw Error(line, "record type", $"unsupported record type {code}");
        }
    }

    private void Check(bool holds, int line, string field, string message)
    {
        if (holds)
        {
            return;
        }

        var error = Error(line, field, message);
        if (options.Strict)
        {
            throw error;
        }

        warnings.Add(error);
    }

    private Bai2Availability Availability(ref FieldCursor c, int line, string record)
    {
        var type = c.Next();
        if (type.IsEmpty || type is "Z")
        {
            return Bai2Availability.Unknown;
        }

        switch (type[0])
        {
            case '0' when type.Length == 1:
                return new Bai2Availability(Bai2FundsType.Immediate, null, null, []);
            case '1' when type.Length == 1:
                return new Bai2Availability(Bai2FundsType.OneDay, null, null, []);
            case '2' when type.Length == 1:
                return new Bai2Availability(Bai2FundsType.TwoOrMoreDays, null, null, []);
            case 'V' when type.Length == 1:
                {
                    var date = Date(c.Next(), line, $"{record} value date");
                    var time = Optional(c.Next());
                    return new Bai2Availability(Bai2FundsType.ValueDated, date, time, []);
                }

            case 'S' when type.Length == 1:
                {
                    var immediate = OptionalAmount(c.Next(), line, $"{record} immediate availability") ?? 0;
                    var oneDay = OptionalAmount(c.Next(), line, $"{record} one-day availability") ?? 0;
                    var more = OptionalAmount(c.Next(), line, $"{record} two-or-more-day availability") ?? 0;
                    return new Bai2Availability(Bai2FundsType.Distributed, null, null, [new(0, immediate), new(1, oneDay), new(2, more)]);
                }

            case 'D' when type.Length == 1:
                {
                    var n = OptionalInt(c.Next(), line, $"{record} number of distributions") ?? 0;
                    var parts = new List<Bai2Distribution>(n);
                    for (var i = 0; i < n; i++)
                    {
                        var days = OptionalInt(c.Next(), line, $"{record} availability days") ?? 0;
                        parts.Add(new Bai2Distribution(days, OptionalAmount(c.Next(), line, $"{record} availability amount") ?? 0));
                    }

                    return new Bai2Availability(Bai2FundsType.DistributedByDays, null, null, parts);
                }

            default:
                throw Error(line, $"{record} funds type", $"unknown funds type '{type}' (expected Z, 0, 1, 2, V, S or D)");
        }
    }

    private string Required(ref FieldCursor c, int line, string field)
    {
        var value = c.Next();
        return value.IsEmpty ? throw Error(line, field, "missing") : value.ToString();
    }

    private static string Version(ref FieldCursor c)
    {
        c.Next(); // physical record length
        c.Next(); // block size
        return c.Next().ToString();
    }

    private static string? Optional(ReadOnlySpan<char> value)
    {
        var trimmed = value.Trim();
        return trimmed.IsEmpty ? null : trimmed.ToString();
    }

    private string TypeCode(ReadOnlySpan<char> value, int line, string field)
    {
        if (value.Length != 3 || !char.IsAsciiDigit(value[0]) || !char.IsAsciiDigit(value[1]) || !char.IsAsciiDigit(value[2]))
        {
            throw Error(line, field, $"'{value}' is not a three-digit type code");
        }

        return string.Intern(value.ToString());
    }

    private long? OptionalAmount(ReadOnlySpan<char> value, int line, string field)
    {
        if (value.IsEmpty)
        {
            return null;
        }

        return long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var amount)
            ? amount
            : throw Error(line, field, $"'{value}' is not an amount in minor units");
    }

    private int? OptionalInt(ReadOnlySpan<char> value, int line, string field)
    {
        if (value.IsEmpty)
        {
            return null;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw Error(line, field, $"'{value}' is not a number");
    }

    private DateOnly? Date(ReadOnlySpan<char> value, int line, string field)
    {
        if (value.IsEmpty)
        {
            return null;
        }

        if (value.Length == 6
            && int.TryParse(value[..2], NumberStyles.None, CultureInfo.InvariantCulture, out var yy)
            && int.TryParse(value[2..4], NumberStyles.None, CultureInfo.InvariantCulture, out var mm)
            && int.TryParse(value[4..], NumberStyles.None, CultureInfo.InvariantCulture, out var dd)
            && mm is >= 1 and <= 12 && dd >= 1 && dd <= DateTime.DaysInMonth(2000 + yy, mm))
        {
            return new DateOnly((yy < 70 ? 2000 : 1900) + yy, mm, dd);
        }

        throw Error(line, field, $"'{value}' is not a date (YYMMDD)");
    }

    private PaymentFileException Error(int line, string? field, string message) => new(file, line, field, message);

    private enum Stage
    {
        Start,
        InFile,
        InGroup,
        InAccount,
        Done,
    }

    private sealed class ControlState
    {
        public Stage Stage;
        public Bai2GroupHeader? Group;
        public Bai2Account? Account;
        public long AccountTotal;
        public int AccountRecords;
        public long GroupTotal;
        public int GroupRecords;
        public int GroupAccounts;
        public long FileTotal;
        public int FileRecords;
        public int FileGroups;
    }

    /// <summary>Walks the comma-separated fields of a record and its continuations as one sequence.</summary>
    private struct FieldCursor
    {
        private readonly List<string> segments;
        private int segment;
        private int position;

        private FieldCursor(List<string> segments)
        {
            this.segments = segments;
        }

        /// <summary>A record without free text: each physical record's fields end at its first <c>/</c>.</summary>
        public static FieldCursor ForFields(List<string> segments)
        {
            for (var i = 0; i < segments.Count; i++)
            {
                var slash = segments[i].IndexOf('/', StringComparison.Ordinal);
                if (slash >= 0)
                {
                    segments[i] = segments[i][..slash];
                }
            }

            return new FieldCursor(segments);
        }

        /// <summary>A <c>16</c>: a <c>/</c> ends a physical record only at its very end (already removed); elsewhere it is text.</summary>
        public static FieldCursor ForText(List<string> segments) => new(segments);

        public readonly bool HasMore =>
            segment < segments.Count - 1 || (segment < segments.Count && position <= segments[segment].Length);

        /// <summary>The next field; empty when there is none.</summary>
        public ReadOnlySpan<char> Next()
        {
            while (segment < segments.Count && position > segments[segment].Length)
            {
                segment++;
                position = 0;
            }

            if (segment >= segments.Count)
            {
                return default;
            }

            var text = segments[segment].AsSpan(position);
            var comma = text.IndexOf(',');
            if (comma < 0)
            {
                position = segments[segment].Length + 1;
                return text;
            }

            position += comma + 1;
            return text[..comma];
        }

        /// <summary>Everything left, continuations joined by a space, without a final comma.</summary>
        public string Rest()
        {
            while (segment < segments.Count && position > segments[segment].Length)
            {
                segment++;
                position = 0;
            }

            if (segment >= segments.Count)
            {
                return "";
            }

            var first = segments[segment].AsSpan(position).Trim();
            if (segment == segments.Count - 1)
            {
                return TrimComma(first).ToString();
            }

            var builder = new System.Text.StringBuilder();
            builder.Append(first);
            for (var i = segment + 1; i < segments.Count; i++)
            {
                var part = segments[i].AsSpan().Trim();
                if (part.IsEmpty)
                {
                    continue;
                }

                if (builder.Length > 0)
                {
                    builder.Append(' ');
                }

                builder.Append(part);
            }

            return TrimComma(builder.ToString().AsSpan()).ToString();
        }

        private static ReadOnlySpan<char> TrimComma(ReadOnlySpan<char> text) =>
            text.EndsWith(',') ? text[..^1].TrimEnd() : text;
    }
}
