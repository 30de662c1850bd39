using System.Globalization;
using System.Text.RegularExpressions;
using CsvHelper;
using Recoup.Domain.Contacts;
using Recoup.Domain.Debtors;

namespace Recoup.Formats.Csv;

/// <summary>What a skip-trace result is: a kind of phone, an e-mail address or a postal address.</summary>
public enum SkipTraceKind
{
    Mobile,
    Home,
    Work,

    /// <summary>A phone number of unknown type.</summary>
    Phone,
    Email,
    Postal,
}

/// <summary>A row of a skip-trace results file: a way the vendor believes reaches the debtor.</summary>
/// <param name="Value">The value as the vendor wrote it.</param>
/// <param name="Normalized">E.164 for phones, lower case for e-mail addresses and postal addresses: for finding duplicates.</param>
/// <param name="Source">The vendor's name.</param>
/// <param name="Confidence">The vendor's confidence that the value reaches the debtor, 0–100.</param>
/// <param name="Phone">The parsed number (with its time zones) for the phone kinds; null otherwise.</param>
/// <param name="Address">The parsed address for <see cref="SkipTraceKind.Postal"/>; null otherwise.</param>
public sealed record SkipTraceRecord(
    int Line,
    string DebtorId,
    SkipTraceKind Kind,
    string Value,
    string Normalized,
    string Source,
    int Confidence,
    ParsedPhone? Phone = null,
    PostalAddress? Address = null)
{
    /// <summary>Whether the record is a phone number of any kind.</summary>
    public bool IsPhone => Kind is SkipTraceKind.Mobile or SkipTraceKind.Home or SkipTraceKind.Work or SkipTraceKind.Phone;
}

/// <summary>
/// Reads a skip-trace results file (docs/contacts.md): the header exactly <c>debtor_id,kind,value,source,confidence</c>,
/// then one contact point per line. Every line is checked and every problem reported with its line and column,
/// up to <see cref="MaxErrors"/>; whether the debtor exists is for the import to check.
/// </summary>
public static class SkipTraceCsv
{
    public const string DefaultFileName = "skip-trace.csv";

    /// <summary>How many errors are listed; the rest are counted in one last error.</summary>
    public const int MaxErrors = 100;

    /// <summary>The columns, in the order the header must name them.</summary>
    public static readonly IReadOnlyList<string> Columns = ["debtor_id", "kind", "value", "source", "confidence"];

    private const int DebtorIdColumn = 0;
    private const int KindColumn = 1;
    private const int ValueColumn = 2;
    private const int SourceColumn = 3;
    private const int ConfidenceColumn = 4;
    private const string AddressForm = "Line1, City, ST 12345[, Country]";

    private static readonly string Header = string.Join(',', Columns);
    private static readonly string KindNames = string.Join(", ", Enum.GetNames<SkipTraceKind>().Select(n => n.ToLowerInvariant()));

    /// <summary>Reads the file; records come only from lines without errors.</summary>
    public static CsvFile<SkipTraceRecord> Read(TextReader text, string fileName = DefaultFileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var records = new List<SkipTraceRecord>();
        var errors = new Errors(fileName);
        var options = CsvReaderOptions.Default with
        {
            Separator = ',',
            HasHeader = true,
            TrimWhitespace = true,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Skip,
            OnMalformedRecord = bad => errors.Add((int)bad.LineNumber, null, $"the line is not valid CSV ({PortfolioCsv.Describe(bad.Reason)})"),
        };

        using var csv = CsvReader.Create(text, options, leaveOpen: true);
        try
        {
            if (CheckHeader(csv.Headers, errors))
            {
                while (csv.Read())
                {
                    if (ReadRow(csv, errors) is { } record)
                    {
                        records.Add(record);
                    }
                }
            }
        }
        catch (CsvFormatException e)
        {
            errors.Add((int)csv.LineNumber, null, $"the file is not valid CSV here: {e.Message}");
        }

        return new CsvFile<SkipTraceRecord>(fileName, records, errors.ToList());
    }

    private static bool CheckHeader(IReadOnlyList<string> headers, Errors errors)
    {
        // A byte order mark is dropped by the reader when it decodes a stream, but not always from a string.
        var names = headers.Select((h, i) => i == 0 ? h.TrimStart('\uFEFF').Trim() : h.Trim()).ToList();
        if (names.All(string.IsNullOrEmpty))
        {
            errors.Add(1, null, $"the file is empty; the first line must be {Header}");
            return false;
        }

        if (names.SequenceEqual(Columns, StringComparer.Ordinal))
        {
            return true;
        }

        var missing = Columns.Where(c => !names.Contains(c, StringComparer.Ordinal)).ToList();
        foreach (var column in missing)
        {
            var nearly = names.FirstOrDefault(n => string.Equals(n, column, StringComparison.OrdinalIgnoreCase));
            errors.Add(1, column, nearly is null
                ? "this column is missing from the header"
                : $"this column is missing from the header ('{nearly}' is there, but column names are lower case)");
        }

        if (missing.Count == 0)
        {
            errors.Add(1, null, $"the header must be exactly {Header} (in this order, no other columns), not {string.Join(',', names)}");
        }

        return false;
    }

    private static SkipTraceRecord? ReadRow(CsvReader csv, Errors errors)
    {
        var line = (int)csv.LineNumber;
        var errorsBefore = errors.Count;
        void Fail(int column, string message) => errors.Add(line, Columns[column], message);

        if (csv.FieldCount > Columns.Count)
        {
            errors.Add(line, null, $"the line has {csv.FieldCount} fields, not {Columns.Count}; a value with a comma in it (an address) must be in double quotes");
            return null;
        }

        if (csv.FieldCount < Columns.Count)
        {
            var absent = Columns.Skip(csv.FieldCount).ToList();
            errors.Add(line, absent[0], $"the line ends after {csv.FieldCount} {(csv.FieldCount == 1 ? "field" : "fields")}; {Join(absent)} {(absent.Count == 1 ? "is" : "are")} missing");
        }

        string? Field(int column, int maxLength)
        {
            if (column >= csv.FieldCount)
            {
                return null;
            }

            var value = csv.GetString(column);
            if (string.IsNullOrWhiteSpace(value))
            {
                Fail(column, "is required but empty");
                return null;
            }

            if (value.Length > maxLength)
            {
                Fail(column, $"is {value.Length} characters long; at most {maxLength} are allowed");
                return null;
            }

            return value;
        }

        var debtorId = Field(DebtorIdColumn, 64);
        var kindText = Field(KindColumn, 32);
        var value = Field(ValueColumn, 320);
        var source = Field(SourceColumn, 100);
        var confidenceText = Field(ConfidenceColumn, 16);

        SkipTraceKind? kind = null;
        if (kindText is not null)
        {
            if (kindText.All(char.IsAsciiLetter) && Enum.TryParse<SkipTraceKind>(kindText, ignoreCase: true, out var parsed))
            {
                kind = parsed;
            }
            else
            {
                Fail(KindColumn, $"'{kindText}' is not one of {KindNames}");
            }
        }

        int? confidence = null;
        if (confidenceText is not null)
        {
            if (!int.TryParse(confidenceText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                Fail(ConfidenceColumn, $"'{confidenceText}' is not a whole number from 0 to 100");
            }
            else if (number is < 0 or > 100)
            {
                Fail(ConfidenceColumn, $"{number.ToString(CultureInfo.InvariantCulture)} is out of range; confidence is a whole number from 0 to 100");
            }
            else
            {
                confidence = number;
            }
        }

        ParsedPhone? phone = null;
        PostalAddress? address = null;
        var normalized = value?.ToLowerInvariant();
        switch (kind, value)
        {
            case (SkipTraceKind.Mobile or SkipTraceKind.Home or SkipTraceKind.Work or SkipTraceKind.Phone, { } number):
                var parsedPhone = Phone.Parse(number, "US");
                if (parsedPhone.Error is { } error)
                {
                    Fail(ValueColumn, error.Message);
                }
                else
                {
                    phone = parsedPhone.Value;
                    normalized = phone.E164;
                }

                break;
            case (SkipTraceKind.Email, { } email) when !PortfolioCsv.LooksLikeEmail(email):
                Fail(ValueColumn, $"'{email}' is not an e-mail address");
                break;
            case (SkipTraceKind.Postal, { } oneLine):
                if (ParseAddress(oneLine, out var problem) is { } parsedAddress)
                {
                    address = parsedAddress;
                    normalized = parsedAddress.ToString().ToLowerInvariant();
                }
                else
                {
                    Fail(ValueColumn, problem!);
                }

                break;
        }

        return errors.Count == errorsBefore
            ? new SkipTraceRecord(line, debtorId!, kind!.Value, value!, normalized!, source!, confidence!.Value, phone, address)
            : null;
    }

    // "IL 62701", "IL 62701-1234", "New York 10001", "ON M5V 2T6".
    private static readonly Regex RegionAndPostalCode = new(
        @"^(?<region>\p{L}[\p{L} .]*?)\s+(?<postal>\d{5}(?:-\d{4})?|[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d)$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture,
        TimeSpan.FromSeconds(1));

    /// <summary>
    /// Parses "Line1, City, ST 12345[, Country]"; the first line may itself hold commas ("12 Main St, Apt 4").
    /// For a country other than the US and Canada, the part before the country is taken as the postal code.
    /// </summary>
    internal static PostalAddress? ParseAddress(string oneLine, out string? problem)
    {
        var parts = oneLine.Split(',', StringSplitOptions.TrimEntries).ToList();
        if (parts.Count < 3 || parts.Any(p => p.Length == 0))
        {
            problem = $"'{oneLine}' is not a postal address in the form {AddressForm}";
            return null;
        }

        string? country = null;
        if (parts.Count >= 4 && !parts[^1].Any(char.IsAsciiDigit))
        {
            country = CountryCode(parts[^1]);
            if (country is null)
            {
                problem = $"'{parts[^1]}' is not a two-letter ISO 3166 country code such as US";
                return null;
            }

            parts.RemoveAt(parts.Count - 1);
        }

        var city = parts[^2];
        var line1 = string.Join(", ", parts.Take(parts.Count - 2));
        if (country is not (null or "US" or "CA"))
        {
            problem = null;
            return new PostalAddress(line1, city, null, parts[^1].ToUpperInvariant(), country);
        }

        var match = RegionAndPostalCode.Match(parts[^1]);
        if (!match.Success)
        {
            problem = $"'{parts[^1]}' is not a state and ZIP code such as IL 62701 (the form is {AddressForm})";
            return null;
        }

        var region = match.Groups["region"].Value;
        if (!AddressTimeZones.IsKnownRegion(region))
        {
            problem = $"'{region}' is not a US state or territory or a Canadian province";
            return null;
        }

        problem = null;
        return new PostalAddress(line1, city, region.Length == 2 ? region.ToUpperInvariant() : region, match.Groups["postal"].Value.ToUpperInvariant(), country);
    }

    private static string? CountryCode(string country) => country.ToUpperInvariant() switch
    {
        "USA" or "UNITED STATES" or "UNITED STATES OF AMERICA" => "US",
        "CANADA" => "CA",
        "UK" or "UNITED KINGDOM" => "GB",
        var code when code.Length == 2 && code.All(char.IsAsciiLetterUpper) => code,
        _ => null,
    };

    private static string Join(IReadOnlyList<string> names) =>
        names.Count == 1 ? names[0] : $"{string.Join(", ", names.Take(names.Count - 1))} and {names[^1]}";

    /// <summary>The errors of one file: the first <see cref="MaxErrors"/> kept, the rest only counted.</summary>
    private sealed class Errors(string fileName)
    {
        private readonly List<CsvError> _kept = [];

        public int Count { get; private set; }

        public void Add(int line, string? column, string message)
        {
            Count++;
            if (_kept.Count < MaxErrors)
            {
                _kept.Add(new CsvError(fileName, line, column, message));
            }
        }

        public List<CsvError> ToList() =>
            Count <= MaxErrors
                ? _kept
                : [.. _kept, new CsvError(fileName, 0, null, $"{Count - MaxErrors} more errors not listed (the first {MaxErrors} are above)")];
    }
}
