using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Recoup.Domain;
using Recoup.Formats.Payments;

namespace Recoup.Formats.Camt;

/// <summary>
/// Reads an ISO 20022 camt.053 statement, camt.054 notification or camt.052 report (schema versions
/// 001.02 to 001.08) with an <see cref="XmlReader"/>, one entry at a time, and checks each statement's
/// balances and transaction summary against its entries.
/// </summary>
/// <remarks>
/// <para>Only the group header, one statement's header and one <c>Ntry</c> are held in memory at a time.</para>
/// <para>
/// Amounts are decoded with the exponent of their currency (<see cref="Currency"/>): <c>18.150</c> EUR is 1815,
/// <c>2700</c> JPY is 2700; more significant decimals than the currency has is an error.
/// </para>
/// <para>
/// Checks: the opening booked balance (<c>OPBD</c>, else <c>PRCD</c>) plus the booked entries equals the closing
/// booked balance (<c>CLBD</c>) when both are present and everything is in one currency; the counts and sums of
/// <c>TxsSummry</c> when given (gross sum of entry amounts, net sum with a reversal counted against its
/// indicator, credit and debit counts and sums).
/// </para>
/// </remarks>
public sealed partial class CamtReader
{
    private readonly TextReader text;
    private readonly string file;
    private readonly CamtReadOptions options;
    private readonly List<PaymentFileException> warnings = [];
    private XNamespace ns = XNamespace.None;
    private bool started;

    /// <param name="text">The document; the caller disposes it.</param>
    /// <param name="fileName">The name errors give for the file.</param>
    public CamtReader(TextReader text, string fileName, CamtReadOptions? options = null)
    {
        this.text = text;
        file = fileName;
        this.options = options ?? CamtReadOptions.Default;
    }

    /// <summary>Balances and summaries that disagree with the entries, when reading leniently; empty in strict mode, which throws.</summary>
    public IReadOnlyList<PaymentFileException> Warnings => warnings;

    /// <summary>The message, then per statement its header, its entries and its end; may be enumerated once.</summary>
    /// <exception cref="PaymentFileException">Not a supported camt document, malformed, or (strict) a check fails.</exception>
    public IEnumerable<CamtRecord> Records()
    {
        if (started)
        {
            throw new InvalidOperationException("A CamtReader reads its document once.");
        }

        started = true;
        return Iterate();
    }

    [GeneratedRegex(@"^urn:iso:std:iso:20022:tech:xsd:(camt\.05[234])\.001\.(0[2-8])$")]
    private static partial Regex NamespacePattern();

    private IEnumerable<CamtRecord> Iterate()
    {
        var settings = new XmlReaderSettings
        {
            IgnoreComments = true,
            IgnoreWhitespace = true,
            IgnoreProcessingInstructions = true,
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
        };
        using var xml = XmlReader.Create(text, settings);
        var info = (IXmlLineInfo)xml;

        Guard(() => xml.MoveToContent());
        var match = NamespacePattern().Match(xml.NamespaceURI);
        if (xml.LocalName != "Document" || !match.Success)
        {
            throw Error(info.LineNumber, "Document", $"the namespace '{xml.NamespaceURI}' of <{xml.LocalName}> is not a supported camt.052/053/054 schema (versions 001.02 to 001.08)");
        }

        ns = xml.NamespaceURI;
        var version = $"{match.Groups[1].Value}.001.{match.Groups[2].Value}";
        var (kind, messageName, reportName) = match.Groups[1].Value switch
        {
            "camt.052" => (CamtMessageKind.AccountReport, "BkToCstmrAcctRpt", "Rpt"),
            "camt.053" => (CamtMessageKind.Statement, "BkToCstmrStmt", "Stmt"),
            _ => (CamtMessageKind.Notification, "BkToCstmrDbtCdtNtfctn", "Ntfctn"),
        };

        NextElement(xml);
        if (xml.NodeType != XmlNodeType.Element || xml.LocalName != messageName)
        {
            throw Error(info.LineNumber, messageName, $"a {version} document must contain <{messageName}>");
        }

        var messageLine = info.LineNumber;
        var messageDepth = xml.Depth;
        CamtMessage? message = null;
        var reports = 0;
        Guard(() => xml.Read());
        while (xml.Depth > messageDepth)
        {
            if (xml.NodeType != XmlNodeType.Element)
            {
                Guard(() => xml.Read());
                continue;
            }

            if (xml.LocalName == "GrpHdr")
            {
                var header = Load(xml);
                message = new CamtMessage(
                    Line(header),
                    kind,
                    version,
                    Value(header, "MsgId") ?? throw Error(Line(header), "GrpHdr/MsgId", "missing"),
                    Value(header, "CreDtTm") is { } created ? Instant(created, Line(header), "GrpHdr/CreDtTm") : null);
                yield return message;
            }
            else if (xml.LocalName == reportName)
            {
                if (message is null)
                {
                    throw Error(info.LineNumber, "GrpHdr", "the group header (GrpHdr) must come first");
                }

                reports++;
                foreach (var record in ReadReport(xml, info, message, reportName))
                {
                    yield return record;
                }
            }
            else
            {
                Load(xml); // a supplementary element: skipped
            }
        }

        if (reports == 0)
        {
            throw Error(messageLine, reportName, $"the {version} message has no <{reportName}>: there is nothing to read");
        }
    }

    private IEnumerable<CamtRecord> ReadReport(XmlReader xml, IXmlLineInfo info, CamtMessage message, string reportName)
    {
        var line = info.LineNumber;
        var depth = xml.Depth;
        var parts = new List<XElement>();
        CamtAccountReport? report = null;
        var entries = 0;
        var totals = new Totals();
        Guard(() => xml.Read());
        while (xml.Depth > depth)
        {
            if (xml.NodeType != XmlNodeType.Element)
            {
                Guard(() => xml.Read());
                continue;
            }

            if (xml.LocalName == "Ntry")
            {
                if (report is null)
                {
                    report = Header(line, message, parts, reportName);
                    yield return report;
                }

                var entry = Entry(Load(xml), report);
                entries++;
                totals.Add(entry);
                yield return entry;
            }
            else
            {
                parts.Add(Load(xml));
            }
        }

        if (report is null)
        {
            report = Header(line, message, parts, reportName);
            yield return report;
        }

        var balanceChecked = Check(report, totals);
        yield return new CamtAccountReportEnd(line, report, entries, balanceChecked);
    }

    private CamtAccountReport Header(int line, CamtMessage message, List<XElement> parts, string reportName)
    {
        XElement? Part(string name) => parts.Find(p => p.Name.LocalName == name);
        var account = Part("Acct");
        var balances = parts
            .Where(p => p.Name.LocalName == "Bal")
            .Select(Balance)
            .ToList();
        return new CamtAccountReport(
            line,
            message,
            Part("Id")?.Value.Trim() ?? throw Error(line, $"{reportName}/Id", "missing"),
            Part("ElctrncSeqNb")?.Value.Trim(),
            Part("LglSeqNb")?.Value.Trim(),
            account is null ? null : Value(account, "Id", "IBAN"),
            account is null ? null : Value(account, "Id", "Othr", "Id"),
            account is null ? null : Value(account, "Ccy"),
            balances,
            Part("TxsSummry") is { } summary ? Summary(summary, SummaryCurrency(account, balances)) : null);
    }

    private Currency? SummaryCurrency(XElement? account, List<CamtBalance> balances) =>
        Domain.Currency.TryFromCode((account is null ? null : Value(account, "Ccy")) ?? balances.FirstOrDefault()?.Currency, out var currency)
            ? currency
            : null;

    private CamtBalance Balance(XElement balance)
    {
        var line = Line(balance);
        var type = Value(balance, "Tp", "CdOrPrtry", "Cd") ?? Value(balance, "Tp", "CdOrPrtry", "Prtry") ?? throw Error(line, "Bal/Tp", "missing");
        var amount = Child(balance, "Amt") ?? throw Error(line, "Bal/Amt", "missing");
        var (minor, currency) = Money(amount);
        var date = Child(balance, "Dt") is { } dt ? DateOf(dt, "Bal/Dt") : null;
        return new CamtBalance(line, type, Debit(balance, "Bal/CdtDbtInd") ? -minor : minor, currency, date);
    }

    /// <summary>The summary; its sums carry no currency, so they are read in the account's.</summary>
    private CamtTransactionsSummary Summary(XElement summary, Currency? currency)
    {
        var line = Line(summary);
        var all = Child(summary, "TtlNtries");
        var credits = Child(summary, "TtlCdtNtries");
        var debits = Child(summary, "TtlDbtNtries");
        long? net = null;
        if (all is not null && Value(all, "TtlNetNtryAmt") is { } netText)
        {
            var magnitude = Minor(netText, currency, Line(all), "TxsSummry/TtlNtries/TtlNetNtryAmt");
            net = Value(all, "CdtDbtInd") == "DBIT" ? -magnitude : magnitude;
        }

        return new CamtTransactionsSummary(
            line,
            Count(all, "TxsSummry/TtlNtries/NbOfNtries"),
            Sum(all, "TxsSummry/TtlNtries/Sum"),
            net,
            Count(credits, "TxsSummry/TtlCdtNtries/NbOfNtries"),
            Sum(credits, "TxsSummry/TtlCdtNtries/Sum"),
            Count(debits, "TxsSummry/TtlDbtNtries/NbOfNtries"),
            Sum(debits, "TxsSummry/TtlDbtNtries/Sum"));

        int? Count(XElement? parent, string field) =>
            parent is not null && Value(parent, "NbOfNtries") is { } n
                ? int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : throw Error(Line(parent), field, $"'{n}' is not a count")
                : null;

        long? Sum(XElement? parent, string field) =>
            parent is not null && Value(parent, "Sum") is { } s ? Minor(s, currency, Line(parent), field) : null;
    }

    private CamtEntry Entry(XElement entry, CamtAccountReport report)
    {
        var line = Line(entry);
        var (minor, currency) = Money(Child(entry, "Amt") ?? throw Error(line, "Ntry/Amt", "missing"));
        var reversal = Value(entry, "RvslInd") is "true" or "1";
        var status = Value(entry, "Sts", "Cd") ?? Value(entry, "Sts");
        var code = Child(entry, "BkTxCd") is { } btc
            ? new CamtBankTransactionCode(
                Value(btc, "Domn", "Cd"),
                Value(btc, "Domn", "Fmly", "Cd"),
                Value(btc, "Domn", "Fmly", "SubFmlyCd"),
                Value(btc, "Prtry", "Cd"))
            : null;
        var transactions = entry.Elements(ns + "NtryDtls")
            .SelectMany(d => d.Elements(ns + "TxDtls"))
            .Select(t => Transaction(t, currency))
            .ToList();
        return new CamtEntry(
            line,
            report,
            minor,
            currency,
            !Debit(entry, "Ntry/CdtDbtInd"),
            reversal,
            status,
            Child(entry, "BookgDt") is { } booked ? DateOf(booked, "Ntry/BookgDt") : null,
            Child(entry, "ValDt") is { } value ? DateOf(value, "Ntry/ValDt") : null,
            Value(entry, "AcctSvcrRef"),
            code,
            transactions,
            Value(entry, "AddtlNtryInf"));
    }

    private CamtTransaction Transaction(XElement tx, string entryCurrency)
    {
        long? amount = null;
        foreach (var candidate in new[] { Child(tx, "Amt"), Child(tx, "AmtDtls", "TxAmt", "Amt"), Child(tx, "AmtDtls", "InstdAmt", "Amt") })
        {
            if (candidate is not null && (string?)candidate.Attribute("Ccy") == entryCurrency)
            {
                amount = Money(candidate).Minor;
                break;
            }
        }

        var remittance = Child(tx, "RmtInf");
        var structured = remittance?.Elements(ns + "Strd").ToList() ?? [];
        return new CamtTransaction(
            Line(tx),
            amount,
            Value(tx, "Refs", "EndToEndId"),
            Value(tx, "Refs", "AcctSvcrRef"),
            Value(tx, "Refs", "InstrId"),
            Value(tx, "Refs", "UETR"),
            Value(tx, "RltdPties", "Dbtr", "Nm") ?? Value(tx, "RltdPties", "Dbtr", "Pty", "Nm"),
            Value(tx, "RltdPties", "DbtrAcct", "Id", "IBAN") ?? Value(tx, "RltdPties", "DbtrAcct", "Id", "Othr", "Id"),
            Value(tx, "RltdPties", "Cdtr", "Nm") ?? Value(tx, "RltdPties", "Cdtr", "Pty", "Nm"),
            structured.Select(s => Value(s, "CdtrRefInf", "Ref")).OfType<string>().ToList(),
            [
                .. remittance?.Elements(ns + "Ustrd").Select(u => u.Value.Trim()) ?? [],
                .. structured.SelectMany(s => s.Elements(ns + "AddtlRmtInf")).Select(a => a.Value.Trim()),
            ],
            Value(tx, "RtrInf", "Rsn", "Cd"));
    }

    /// <summary>Checks the finished statement; true when its balances were compared.</summary>
    private bool Check(CamtAccountReport report, Totals totals)
    {
        if (report.Summary is { } s)
        {
            var field = "TxsSummry";
            Verify(s.EntryCount is not { } n || n == totals.Count, s.Line, $"{field}/TtlNtries/NbOfNtries", $"the summary counts {s.EntryCount} entries but statement {report.Id} has {totals.Count}");
            Verify(s.CreditCount is not { } c || c == totals.Credits, s.Line, $"{field}/TtlCdtNtries/NbOfNtries", $"the summary counts {s.CreditCount} credit entries but statement {report.Id} has {totals.Credits}");
            Verify(s.DebitCount is not { } d || d == totals.Debits, s.Line, $"{field}/TtlDbtNtries/NbOfNtries", $"the summary counts {s.DebitCount} debit entries but statement {report.Id} has {totals.Debits}");
            if (totals.Currency is { } currency)
            {
                Verify(s.EntrySumMinor is not { } sum || sum == totals.Gross, s.Line, $"{field}/TtlNtries/Sum", $"the summary's sum of entries is {Format(s.EntrySumMinor ?? 0, currency)} but the entries add up to {Format(totals.Gross, currency)}");
                Verify(s.NetAmountMinor is not { } net || net == totals.Net, s.Line, $"{field}/TtlNtries/TtlNetNtryAmt", $"the summary's net amount is {Format(s.NetAmountMinor ?? 0, currency)} but the entries net {Format(totals.Net, currency)}");
                Verify(s.CreditSumMinor is not { } cs || cs == totals.CreditSum, s.Line, $"{field}/TtlCdtNtries/Sum", $"the summary's credits sum to {Format(s.CreditSumMinor ?? 0, currency)} but the credit entries add up to {Format(totals.CreditSum, currency)}");
                Verify(s.DebitSumMinor is not { } ds || ds == totals.DebitSum, s.Line, $"{field}/TtlDbtNtries/Sum", $"the summary's debits sum to {Format(s.DebitSumMinor ?? 0, currency)} but the debit entries add up to {Format(totals.DebitSum, currency)}");
            }
        }

        var opening = report.Balances.FirstOrDefault(b => b.Type == "OPBD") ?? report.Balances.FirstOrDefault(b => b.Type == "PRCD");
        var closing = report.Balances.FirstOrDefault(b => b.Type == "CLBD");
        if (opening is null || closing is null || opening.Currency != closing.Currency || !totals.BookedIn(opening.Currency))
        {
            return false;
        }

        var expected = checked(opening.AmountMinor + totals.BookedNet);
        Verify(
            expected == closing.AmountMinor,
            closing.Line,
            "Bal CLBD",
            $"the closing booked balance of statement {report.Id} is {Format(closing.AmountMinor, closing.Currency)} but the opening balance {Format(opening.AmountMinor, opening.Currency)} and the booked entries ({Format(totals.BookedNet, opening.Currency)}) make {Format(expected, opening.Currency)}");
        return true;
    }

    /// <summary>Sums of a statement's entries, as the checks need them.</summary>
    private sealed class Totals
    {
        private bool mixed;

        public int Count { get; private set; }

        public int Credits { get; private set; }

        public int Debits { get; private set; }

        public long Gross { get; private set; }

        public long Net { get; private set; }

        public long CreditSum { get; private set; }

        public long DebitSum { get; private set; }

        public long BookedNet { get; private set; }

        /// <summary>The one currency of every entry; null when they differ (sums are then not compared).</summary>
        public string? Currency => mixed ? null : currency;

        private string? currency;

        public void Add(CamtEntry entry)
        {
            mixed |= currency is not null && currency != entry.Currency;
            currency ??= entry.Currency;
            Count++;
            Gross = checked(Gross + entry.AmountMinor);
            Net = checked(Net + entry.SignedAmountMinor);
            if (entry.IsCredit)
            {
                Credits++;
                CreditSum = checked(CreditSum + entry.AmountMinor);
            }
            else
            {
                Debits++;
                DebitSum = checked(DebitSum + entry.AmountMinor);
            }

            if (entry.IsBooked)
            {
                BookedNet = checked(BookedNet + entry.SignedAmountMinor);
            }
        }

        public bool BookedIn(string balanceCurrency) => !mixed && (currency is null || currency == balanceCurrency);
    }

    private void Verify(bool holds, int line, string field, string message)
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

    private static string Format(long minor, string currency)
    {
        var exponent = Domain.Currency.TryFromCode(currency, out var c) ? c.Exponent : 2;
        var major = minor / (decimal)Math.Pow(10, exponent);
        return major.ToString("F" + exponent.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + " " + currency;
    }

    private (long Minor, string Currency) Money(XElement amount)
    {
        var line = Line(amount);
        var field = $"{amount.Parent?.Name.LocalName}/Amt";
        var code = (string?)amount.Attribute("Ccy") ?? throw Error(line, field, "the amount has no currency (Ccy)");
        if (!Domain.Currency.TryFromCode(code, out var currency))
        {
            throw Error(line, field, $"'{code}' is not an ISO 4217 currency");
        }

        return (Minor(amount.Value.Trim(), currency, line, field), code);
    }

    /// <summary>A decimal amount as minor units of <paramref name="currency"/> (two decimals when it is not known, as in summaries).</summary>
    private long Minor(string value, Currency? currency, int line, string field)
    {
        if (!decimal.TryParse(value, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var major))
        {
            throw Error(line, field, $"'{value}' is not an amount");
        }

        var factor = currency?.MinorPerMajor ?? 100;
        var minor = major * factor;
        if (minor != decimal.Truncate(minor))
        {
            throw Error(line, field, $"'{value}' has more decimals than {currency?.Code ?? "the account currency"} allows");
        }

        return (long)minor;
    }

    private bool Debit(XElement parent, string field) =>
        Value(parent, "CdtDbtInd") switch
        {
            "CRDT" => false,
            "DBIT" => true,
            var other => throw Error(Line(parent), field, other is null ? "missing" : $"'{other}' is neither CRDT nor DBIT"),
        };

    private DateOnly? DateOf(XElement holder, string field)
    {
        var line = Line(holder);
        if (Value(holder, "Dt") is { } date)
        {
            return DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                ? d
                : throw Error(line, field, $"'{date}' is not a date (YYYY-MM-DD)");
        }

        return Value(holder, "DtTm") is { } instant ? DateOnly.FromDateTime(Instant(instant, line, field).DateTime) : null;
    }

    private DateTimeOffset Instant(string value, int line, string field) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            ? instant
            : throw Error(line, field, $"'{value}' is not a date and time");

    private XElement? Child(XElement parent, params string[] path)
    {
        var current = parent;
        foreach (var name in path)
        {
            current = current.Element(ns + name);
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    private string? Value(XElement parent, params string[] path) =>
        Child(parent, path)?.Value.Trim() is { Length: > 0 } value ? value : null;

    private static int Line(XElement element) => ((IXmlLineInfo)element).LineNumber;

    private XElement Load(XmlReader xml)
    {
        try
        {
            XElement element;
            using (var subtree = xml.ReadSubtree())
            {
                element = XElement.Load(subtree, LoadOptions.SetLineInfo);
            }

            xml.Read();
            return element;
        }
        catch (XmlException e)
        {
            throw Error(e.LineNumber, null, $"not well-formed XML: {e.Message}");
        }
    }

    private void NextElement(XmlReader xml) => Guard(() =>
    {
        while (xml.Read() && xml.NodeType != XmlNodeType.Element)
        {
        }

        return true;
    });

    private void Guard(Func<object> read)
    {
        try
        {
            read();
        }
        catch (XmlException e)
        {
            throw Error(e.LineNumber, null, $"not well-formed XML: {e.Message}");
        }
    }

    private PaymentFileException Error(int line, string? field, string message) => new(file, line, field, message);
}
