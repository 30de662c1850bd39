using System.Text;
using Recoup.Domain.Contacts;
using Recoup.Domain.Debtors;
using Recoup.Formats.Csv;

namespace Recoup.Formats.Tests.Csv;

public sealed class SkipTraceCsvTests
{
    private const string Header = "debtor_id,kind,value,source,confidence";

    private static CsvFile<SkipTraceRecord> Read(params string[] lines) => SkipTraceCsv.Read(new StringReader(string.Join('\n', [Header, .. lines])));

    private static CsvFile<SkipTraceRecord> ReadText(string text) => SkipTraceCsv.Read(new StringReader(text));

    private static IEnumerable<string> Messages(CsvFile<SkipTraceRecord> file) => file.Errors.Select(e => e.ToString());

    private static string OnlyError(params string[] lines)
    {
        var file = Read(lines);
        Assert.Empty(file.Records);
        return Assert.Single(Messages(file));
    }

    [Fact]
    public void AGoodFile_ReadsEveryKind()
    {
        var file = Read(
            "D-1001,mobile,(312) 555-0147,Acme Skip,90",
            "D-1001,home,+1 212 555 0134,Acme Skip,40",
            "D-1001,work,312.555.0100 ext 12,Acme Skip,35",
            "D-1002,phone,+44 20 7946 0018,TraceCo,0",
            "D-1002,email,Maria.Gonzalez@Example.com,TraceCo,100",
            "D-1003,postal,\"1418 W Belmont Ave, Apt 2, Chicago, IL 60657\",TraceCo,75",
            "D-1004,Postal,\"55 King St W, Toronto, ON M5K 1A2, Canada\",TraceCo,60");

        Assert.Empty(file.Errors);
        Assert.Equal(
            [SkipTraceKind.Mobile, SkipTraceKind.Home, SkipTraceKind.Work, SkipTraceKind.Phone, SkipTraceKind.Email, SkipTraceKind.Postal, SkipTraceKind.Postal],
            file.Records.Select(r => r.Kind));
        Assert.Equal([2, 3, 4, 5, 6, 7, 8], file.Records.Select(r => r.Line));

        var mobile = file.Records[0];
        Assert.Equal(("D-1001", "(312) 555-0147", "+13125550147", "Acme Skip", 90), (mobile.DebtorId, mobile.Value, mobile.Normalized, mobile.Source, mobile.Confidence));
        Assert.Equal(["America/Chicago"], mobile.Phone!.TimeZones);
        Assert.Equal("12", file.Records[2].Phone!.Extension);
        Assert.Equal(("GB", "+442079460018"), (file.Records[3].Phone!.Region, file.Records[3].Normalized));
        Assert.Equal("maria.gonzalez@example.com", file.Records[4].Normalized);
        Assert.Null(file.Records[4].Phone);
        Assert.Equal(new PostalAddress("1418 W Belmont Ave, Apt 2", "Chicago", "IL", "60657", null), file.Records[5].Address);
        Assert.Equal(new PostalAddress("55 King St W", "Toronto", "ON", "M5K 1A2", "CA"), file.Records[6].Address);
        Assert.Equal("55 king st w, toronto, on, m5k 1a2, ca", file.Records[6].Normalized);
    }

    [Theory]
    [InlineData("\"9 Elm St, Austin, Texas 78701, USA\"", "9 Elm St", "Austin", "Texas", "78701", "US")]
    [InlineData("\"PO Box 12, Boise, id 83701-0012\"", "PO Box 12", "Boise", "ID", "83701-0012", null)]
    [InlineData("\"10 Downing St, London, SW1A 2AA, UK\"", "10 Downing St", "London", null, "SW1A 2AA", "GB")]
    public void PostalAddresses_AreSplitIntoTheirParts(string value, string line1, string city, string? region, string postalCode, string? country) =>
        Assert.Equal(new PostalAddress(line1, city, region, postalCode, country), Assert.Single(Read($"D1,postal,{value},V,50").Records).Address);

    [Fact]
    public void AParsedPostalAddress_HasItsTimeZones() =>
        Assert.Equal(["America/Chicago", "America/Denver"], AddressTimeZones.For(Assert.Single(Read("D1,postal,\"9 Elm St, Austin, TX 78701\",V,50").Records).Address!));

    [Fact]
    public void AByteOrderMark_IsIgnored()
    {
        var file = ReadText("\uFEFF" + Header + "\nD1,email,a@example.com,V,50\n");

        Assert.Empty(file.Errors);
        Assert.Single(file.Records);
    }

    [Fact]
    public void AByteOrderMark_FromAUtf8Stream_IsIgnored()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Header + "\r\nD1,email,a@example.com,V,50\r\n")).ToArray();
        using var reader = new StreamReader(new MemoryStream(bytes), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), detectEncodingFromByteOrderMarks: false);

        var file = SkipTraceCsv.Read(reader);

        Assert.Empty(file.Errors);
        Assert.Single(file.Records);
    }

    [Fact]
    public void TrailingBlankLines_AreIgnored()
    {
        var file = ReadText(Header + "\nD1,email,a@example.com,V,50\n\n\n  \n");

        Assert.Empty(file.Errors);
        Assert.Single(file.Records);
    }

    [Fact]
    public void AnInvalidEmail_IsReportedWithLineAndColumn() =>
        Assert.Equal("skip-trace.csv line 2, column value: 'maria@example' is not an e-mail address", OnlyError("D1,email,maria@example,V,50"));

    [Theory]
    [InlineData("555-01", "'555-01' is not a phone number: it has too few digits")]
    [InlineData("call me", "'call me' is not a phone number")]
    [InlineData("(555) 555-0134", "'(555) 555-0134' is not a phone number: no such number can exist in +1")]
    public void APhoneThatDoesNotParse_IsReported(string value, string message) =>
        Assert.Equal($"skip-trace.csv line 2, column value: {message}", OnlyError($"D1,mobile,{value},V,50"));

    [Fact]
    public void AnUnknownKind_IsReported() =>
        Assert.Equal("skip-trace.csv line 2, column kind: 'fax' is not one of mobile, home, work, phone, email, postal", OnlyError("D1,fax,312 555 0147,V,50"));

    [Theory]
    [InlineData("101", "101 is out of range; confidence is a whole number from 0 to 100")]
    [InlineData("-1", "-1 is out of range; confidence is a whole number from 0 to 100")]
    [InlineData("high", "'high' is not a whole number from 0 to 100")]
    [InlineData("50.5", "'50.5' is not a whole number from 0 to 100")]
    public void AConfidenceOutOfRange_IsReported(string confidence, string message) =>
        Assert.Equal($"skip-trace.csv line 2, column confidence: {message}", OnlyError($"D1,email,a@example.com,V,{confidence}"));

    [Fact]
    public void AMissingColumn_IsReported() =>
        Assert.Equal("skip-trace.csv line 2, column confidence: the line ends after 4 fields; confidence is missing", OnlyError("D1,email,a@example.com,V"));

    [Fact]
    public void SeveralMissingColumns_AreNamedInOneError() =>
        Assert.Equal("skip-trace.csv line 2, column source: the line ends after 3 fields; source and confidence are missing", OnlyError("D1,email,a@example.com"));

    [Fact]
    public void AnUnquotedAddress_GivesTooManyFields_AndSaysToQuoteIt() =>
        Assert.Equal(
            "skip-trace.csv line 2: the line has 7 fields, not 5; a value with a comma in it (an address) must be in double quotes",
            OnlyError("D1,postal,1418 W Belmont Ave,Chicago,IL 60657,V,50"));

    [Theory]
    [InlineData("1418 W Belmont Ave Chicago IL 60657", "'1418 W Belmont Ave Chicago IL 60657' is not a postal address in the form Line1, City, ST 12345[, Country]")]
    [InlineData("1418 W Belmont Ave, Chicago, Illinois", "'Illinois' is not a state and ZIP code such as IL 62701 (the form is Line1, City, ST 12345[, Country])")]
    [InlineData("1418 W Belmont Ave, Chicago, ZZ 60657", "'ZZ' is not a US state or territory or a Canadian province")]
    [InlineData("1418 W Belmont Ave, Chicago, IL 60657, Narnia", "'Narnia' is not a two-letter ISO 3166 country code such as US")]
    public void ABadPostalAddress_IsReported(string value, string message) =>
        Assert.Equal($"skip-trace.csv line 2, column value: {message}", OnlyError($"D1,postal,\"{value}\",V,50"));

    [Fact]
    public void RequiredFields_AndLengths_AreChecked()
    {
        var file = Read($",email,a@example.com,,50", $"D2,email,a@example.com,{new string('v', 101)},50");

        Assert.Equal(
        [
            "skip-trace.csv line 2, column debtor_id: is required but empty",
            "skip-trace.csv line 2, column source: is required but empty",
            "skip-trace.csv line 3, column source: is 101 characters long; at most 100 are allowed",
        ], Messages(file));
    }

    [Fact]
    public void EveryErrorOnEveryLine_IsCollected_AndGoodLinesStillRead()
    {
        var file = Read(
            "D1,mobile,555-01,V,50",
            "D2,email,b@example.com,V,50",
            "D3,fax,x,V,500",
            "D4,email,not-an-email,,50");

        Assert.Equal(
        [
            "skip-trace.csv line 2, column value: '555-01' is not a phone number: it has too few digits",
            "skip-trace.csv line 4, column kind: 'fax' is not one of mobile, home, work, phone, email, postal",
            "skip-trace.csv line 4, column confidence: 500 is out of range; confidence is a whole number from 0 to 100",
            "skip-trace.csv line 5, column source: is required but empty",
            "skip-trace.csv line 5, column value: 'not-an-email' is not an e-mail address",
        ], Messages(file));
        Assert.Equal("D2", Assert.Single(file.Records).DebtorId);
    }

    [Fact]
    public void ManyErrors_AreCappedWithACountOfTheRest()
    {
        var file = Read([.. Enumerable.Range(1, 130).Select(i => $"D{i},email,nope,V,50")]);

        Assert.Equal(SkipTraceCsv.MaxErrors + 1, file.Errors.Count);
        Assert.Equal("skip-trace.csv line 101, column value: 'nope' is not an e-mail address", file.Errors[99].ToString());
        Assert.Equal("skip-trace.csv: 30 more errors not listed (the first 100 are above)", file.Errors[^1].ToString());
    }

    [Fact]
    public void AHeaderInAnotherCase_IsRefused_WithAHint()
    {
        var file = ReadText("Debtor_ID,kind,value,source,confidence\nD1,email,a@example.com,V,50\n");

        Assert.Equal(["skip-trace.csv line 1, column debtor_id: this column is missing from the header ('Debtor_ID' is there, but column names are lower case)"], Messages(file));
        Assert.Empty(file.Records);
    }

    [Fact]
    public void AHeaderMissingAColumn_NamesIt() =>
        Assert.Equal(
            ["skip-trace.csv line 1, column confidence: this column is missing from the header"],
            Messages(ReadText("debtor_id,kind,value,source\nD1,email,a@example.com,V\n")));

    [Theory]
    [InlineData("kind,debtor_id,value,source,confidence")]
    [InlineData("debtor_id,kind,value,source,confidence,notes")]
    public void AHeaderInAnotherOrderOrWithMoreColumns_IsRefused(string header) =>
        Assert.Equal(
            [$"skip-trace.csv line 1: the header must be exactly debtor_id,kind,value,source,confidence (in this order, no other columns), not {header}"],
            Messages(ReadText(header + "\n")));

    [Fact]
    public void AnEmptyFile_SaysWhatTheHeaderMustBe() =>
        Assert.Equal(["skip-trace.csv line 1: the file is empty; the first line must be debtor_id,kind,value,source,confidence"], Messages(ReadText("")));

    [Fact]
    public void TheFileName_IsTheOneGiven() =>
        Assert.Equal("acme-2026-06.csv line 2, column kind: 'fax' is not one of mobile, home, work, phone, email, postal",
            SkipTraceCsv.Read(new StringReader(Header + "\nD1,fax,x,V,1\n"), "acme-2026-06.csv").Errors.Single().ToString());

    [Fact]
    public void AnUnterminatedQuote_IsReportedWithItsLine() =>
        Assert.Equal(
            ["skip-trace.csv line 3: the line is not valid CSV (a quote that is never closed)"],
            Messages(ReadText(Header + "\nD1,email,a@example.com,V,50\nD2,postal,\"1 Main St, Chicago, IL 60601,V,50\n")));
}
