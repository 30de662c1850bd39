using System.Globalization;
using CsvHelper;
using Recoup.Domain;
using Recoup.Domain.Debtors;

namespace Recoup.Formats.Csv;

/// <summary>
/// Reads the three portfolio files of an import: debtors.csv, invoices.csv and payments.csv
/// (docs/import.md). Each reader checks what one file can show on its own — required columns and
/// fields, dates, amounts and currencies, ids repeated within the file — and reports every problem
/// with its line and column. Whether a debtor or invoice exists elsewhere is for the import to check.
/// </summary>
public static class PortfolioCsv
{
    public const string DebtorsFile = "debtors.csv";
    public const string InvoicesFile = "invoices.csv";
    public const string PaymentsFile = "payments.csv";

    public static readonly string[] DebtorColumns =
        ["debtor_id", "name", "kind", "debt_type", "email", "phone", "address_line1", "city", "region", "postal_code", "country"];

    public static readonly string[] InvoiceColumns = ["invoice_id", "debtor_id", "issue_date", "due_date", "amount", "currency"];

    public static readonly string[] PaymentColumns = ["payment_id", "debtor_id", "received_on", "amount", "currency"];

    public static CsvFile<DebtorRecord> ReadDebtors(TextReader text, string fileName = DebtorsFile) =>
        Read(text, fileName, DebtorColumns, row =>
        {
            var id = row.Required("debtor_id", 64);
            var name = row.Required("name", 200);
            var kind = row.Choice<DebtorKind>("kind");
            var debtType = row.Choice<DebtType>("debt_type");
            var email = row.Optional("email", 320);
            if (email is not null && !LooksLikeEmail(email))
            {
                row.Fail("email", $"'{email}' is not an e-mail address");
            }

            var phone = row.Optional("phone", 32);
            if (phone is not null && !LooksLikePhone(phone))
            {
                row.Fail("phone", $"'{phone}' is not a phone number (7 to 15 digits, optionally starting with +)");
            }

            var line1 = row.Optional("address_line1", 200);
            var city = row.Optional("city", 100);
            var region = row.Optional("region", 100);
            var postalCode = row.Optional("postal_code", 20);
            var country = row.Optional("country", 2)?.ToUpperInvariant();
            if (country is not null && (country.Length != 2 || !country.All(char.IsAsciiLetterUpper)))
            {
                row.Fail("country", $"'{country}' is not a two-letter ISO 3166 country code such as US");
            }

            if (line1 is null && (city ?? region ?? postalCode) is not null)
            {
                row.Fail("address_line1", "is required when an address is given");
            }

            var address = line1 is null ? null : new PostalAddress(line1, city, region, postalCode, country);
            var timeZone = row.Optional("time_zone", 64);
            var language = row.Optional("language", 2)?.ToLowerInvariant();
            if (language is not null && (language.Length != 2 || !language.All(char.IsAsciiLetterLower)))
            {
                row.Fail("language", $"'{language}' is not a two-letter language code such as en or es");
            }

            // The client column may be left out (an in-house team has no clients); whether the code exists is for the import to check.
            var client = Domain.Clients.ClientCode.Normalize(row.Optional("client", 64));
            if (client is not null && Domain.Clients.ClientCode.Problem(client) is { } clientProblem)
            {
                row.Fail("client", clientProblem);
            }

            return row.Ok
                ? new DebtorRecord(row.Line, id!, name!, kind, debtType, email, phone, address, timeZone, language, client)
                : null;
        }, r => r.DebtorId, "debtor_id");

    public static CsvFile<InvoiceRecord> ReadInvoices(TextReader text, string fileName = InvoicesFile) =>
        Read(text, fileName, InvoiceColumns, row =>
        {
            var id = row.Required("invoice_id", 64);
            var debtorId = row.Required("debtor_id", 64);
            var issued = row.Date("issue_date");
            var due = row.Date("due_date");
            if (issued is { } i && due is { } d && d < i)
            {
                row.Fail("due_date", $"{d:yyyy-MM-dd} is before the issue date {i:yyyy-MM-dd}");
            }

            var amount = row.Amount("amount", "currency");
            return row.Ok ? new InvoiceRecord(row.Line, id!, debtorId!, issued!.Value, due!.Value, amount!.Value) : null;
        }, r => r.InvoiceId, "invoice_id");

    public static CsvFile<PaymentRecord> ReadPayments(TextReader text, string fileName = PaymentsFile) =>
        Read(text, fileName, PaymentColumns, row =>
        {
            var id = row.Required("payment_id", 128);
            var debtorId = row.Required("debtor_id", 64);
            var received = row.Date("received_on");
            var amount = row.Amount("amount", "currency");
            var invoiceId = row.Optional("invoice_id", 64);
            return row.Ok ? new PaymentRecord(row.Line, id!, debtorId!, received!.Value, amount!.Value, invoiceId) : null;
        }, r => r.PaymentId, "payment_id");

    private static CsvFile<T> Read<T>(TextReader text, string fileName, string[] requiredColumns, Func<Row, T?> parse, Func<T, string> idOf, string idColumn)
        where T : class
    {
        var records = new List<T>();
        var errors = new List<CsvError>();
        var options = CsvReaderOptions.Default with
        {
            Separator = ',',
            HasHeader = true,
            TrimWhitespace = true,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Skip,
            OnMalformedRecord = bad => errors.Add(new CsvError(fileName, (int)bad.LineNumber, null, $"the line is not valid CSV ({Describe(bad.Reason)})")),
        };

        using var csv = CsvReader.Create(text, options, leaveOpen: true);
        try
        {
            if (csv.Headers.Count == 0 || csv.Headers.All(string.IsNullOrWhiteSpace))
            {
                errors.Add(new CsvError(fileName, 1, null, "the file is empty; the first line must name the columns"));
                return new CsvFile<T>(fileName, records, errors);
            }

            var headers = csv.Headers.Select(h => h.Trim().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
            var missing = requiredColumns.Where(c => !headers.Contains(c)).ToList();
            foreach (var column in missing)
            {
                errors.Add(new CsvError(fileName, 1, column, "this column is missing from the header"));
            }

            if (missing.Count > 0)
            {
                return new CsvFile<T>(fileName, records, errors);
            }

            var firstLineOf = new Dictionary<string, int>(StringComparer.Ordinal);
            while (csv.Read())
            {
                var row = new Row(csv, fileName, headers, errors);
                if (parse(row) is not { } record)
                {
                    continue;
                }

                if (firstLineOf.TryGetValue(idOf(record), out var first))
                {
                    errors.Add(new CsvError(fileName, row.Line, idColumn, $"'{idOf(record)}' appears twice in this file (first on line {first})"));
                    continue;
                }

                firstLineOf.Add(idOf(record), row.Line);
                records.Add(record);
            }
        }
        catch (CsvFormatException e)
        {
            errors.Add(new CsvError(fileName, (int)csv.LineNumber, null, $"the file is not valid CSV here: {e.Message}"));
        }

        return new CsvFile<T>(fileName, records, errors);
    }

    internal static string Describe(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.StrayQuote => "a quote inside an unquoted field",
        CsvMalformedReason.TextAfterClosingQuote => "text after a closing quote",
        CsvMalformedReason.UnterminatedQuote => "a quote that is never closed",
        CsvMalformedReason.LineBreakInQuotes => "a line break inside quotes",
        CsvMalformedReason.FieldCountMismatch => "the wrong number of fields",
        CsvMalformedReason.TrailingEscape => "an escape character at the end",
        _ => reason.ToString(),
    };

    /// <summary>Whether the text has the shape of an e-mail address: one @, a dot after it, no spaces. Every reader of addresses uses this one check.</summary>
    public static bool LooksLikeEmail(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == value.LastIndexOf('@') && value.IndexOf('.', at) > at + 1 && !value.EndsWith('.') && !value.Any(char.IsWhiteSpace);
    }

    private static bool LooksLikePhone(string value)
    {
        var digits = value.Count(char.IsAsciiDigit);
        var allowed = value.Select((c, i) => char.IsAsciiDigit(c) || c is ' ' or '-' or '(' or ')' or '.' || (c == '+' && i == 0)).All(ok => ok);
        return allowed && digits is >= 7 and <= 15;
    }

    /// <summary>One data row being read: typed field access that records an error per bad field.</summary>
    private sealed class Row(CsvReader csv, string fileName, HashSet<string> headers, List<CsvError> errors)
    {
        private readonly int _errorsBefore = errors.Count;

        public int Line { get; } = (int)csv.LineNumber;

        public bool Ok => errors.Count == _errorsBefore;

        public void Fail(string column, string message) => errors.Add(new CsvError(fileName, Line, column, message));

        public string? Optional(string column, int maxLength)
        {
            if (!headers.Contains(column))
            {
                return null;
            }

            var value = csv.GetString(column);
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            if (value.Length > maxLength)
            {
                Fail(column, $"is {value.Length} characters long; at most {maxLength} are allowed");
                return null;
            }

            return value;
        }

        public string? Required(string column, int maxLength)
        {
            if (!headers.Contains(column) || string.IsNullOrWhiteSpace(csv.GetString(column)))
            {
                Fail(column, "is required but empty");
                return null;
            }

            return Optional(column, maxLength);
        }

        public TEnum Choice<TEnum>(string column)
            where TEnum : struct, Enum
        {
            var value = Required(column, 32);
            if (value is null)
            {
                return default;
            }

            var names = Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()).ToList();
            if (!names.Contains(value.ToLowerInvariant()) || !Enum.TryParse<TEnum>(value, ignoreCase: true, out var parsed))
            {
                Fail(column, $"'{value}' is not one of {string.Join(", ", names)}");
                return default;
            }

            return parsed;
        }

        public DateOnly? Date(string column)
        {
            var value = Required(column, 10);
            if (value is null)
            {
                return null;
            }

            if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                Fail(column, $"'{value}' is not a date in the form YYYY-MM-DD");
                return null;
            }

            return date;
        }

        public Money? Amount(string amountColumn, string currencyColumn)
        {
            var code = Required(currencyColumn, 3);
            var text = Required(amountColumn, 32);
            if (code is null)
            {
                return null;
            }

            if (!Currency.TryFromCode(code.ToUpperInvariant(), out var currency))
            {
                Fail(currencyColumn, $"'{code}' is not an ISO 4217 currency code such as USD");
                return null;
            }

            if (text is null)
            {
                return null;
            }

            if (Money.TryParse(text, currency, out var amount) is { } problem)
            {
                Fail(amountColumn, problem);
                return null;
            }

            if (!amount.IsPositive)
            {
                Fail(amountColumn, $"must be greater than zero, not {text}");
                return null;
            }

            return amount;
        }
    }
}
