using Recoup.Domain;
using Recoup.Domain.Debtors;
using Recoup.Formats.Csv;

namespace Recoup.Formats.Tests.Csv;

public sealed class PortfolioCsvTests
{
    private const string DebtorsHeader = "debtor_id,name,kind,debt_type,email,phone,address_line1,city,region,postal_code,country,time_zone";

    private static CsvFile<DebtorRecord> Debtors(params string[] lines) => PortfolioCsv.ReadDebtors(new StringReader(string.Join('\n', [DebtorsHeader, .. lines])));

    private static CsvFile<InvoiceRecord> Invoices(string text) => PortfolioCsv.ReadInvoices(new StringReader(text));

    private static IEnumerable<string> Messages<T>(CsvFile<T> file) => file.Errors.Select(e => e.ToString());

    [Fact]
    public void Debtors_WithEveryField_ReadIntoARecord()
    {
        var file = Debtors("D1,\"Gonzalez, Maria\",Person,CONSUMER,maria@example.com,+1 (312) 555-0147,1418 W Belmont Ave,Chicago,IL,60657,us,America/Chicago");

        Assert.Empty(file.Errors);
        var debtor = Assert.Single(file.Records);
        Assert.Equal(("Gonzalez, Maria", DebtorKind.Person, DebtType.Consumer), (debtor.Name, debtor.Kind, debtor.DebtType));
        Assert.Equal(new PostalAddress("1418 W Belmont Ave", "Chicago", "IL", "60657", "US"), debtor.Address);
        Assert.Equal(2, debtor.Line);
    }

    [Fact]
    public void Debtors_WithOnlyTheRequiredFields_HaveNoContactDetails()
    {
        var debtor = Assert.Single(Debtors("D1,Acme Ltd,business,commercial,,,,,,,,").Records);
        Assert.Equal((null, null, null, null), (debtor.Email, debtor.Phone, debtor.Address, debtor.TimeZone));
    }

    [Fact]
    public void Debtors_WithBadContactDetails_AreReportedPerField()
    {
        var file = Debtors("D1,Pat,person,consumer,not-an-email,12,,Chicago,IL,60657,USA,");

        Assert.Equal(
        [
            "debtors.csv line 2, column email: 'not-an-email' is not an e-mail address",
            "debtors.csv line 2, column phone: '12' is not a phone number (7 to 15 digits, optionally starting with +)",
            "debtors.csv line 2, column country: is 3 characters long; at most 2 are allowed",
            "debtors.csv line 2, column address_line1: is required when an address is given",
        ], Messages(file));
        Assert.Empty(file.Records);
    }

    [Fact]
    public void Invoices_ReportEveryProblemOnEveryLine_InOnePass()
    {
        var file = Invoices("""
            invoice_id,debtor_id,issue_date,due_date,amount,currency
            I1,D1,2026-05-01,2026-05-31,100.00,USD

            I2,,05/01/2026,2026-05-31,1e3,USD
            I3,D1,2026-05-01,2026-05-31,1000,JPY
            I4,D1,2026-05-01,2026-05-31,1.250,BHD
            """);

        Assert.Equal(
        [
            "invoices.csv line 4, column debtor_id: is required but empty",
            "invoices.csv line 4, column issue_date: '05/01/2026' is not a date in the form YYYY-MM-DD",
            "invoices.csv line 4, column amount: '1e3' is not a decimal amount like 1234.56",
        ], Messages(file));
        Assert.Equal(["I1", "I3", "I4"], file.Records.Select(r => r.InvoiceId));
        Assert.Equal(new Money(1000, Currency.JPY), file.Records[1].Amount);
        Assert.Equal(new Money(1250, Currency.BHD), file.Records[2].Amount);
    }

    [Fact]
    public void Invoices_WithExtraColumnsAndOddHeaderCase_AreRead()
    {
        var file = Invoices("Invoice_ID, debtor_id ,issue_date,due_date,amount,currency,po_number\nI1,D1,2026-05-01,2026-05-31,100.00,usd,PO-7\n");

        Assert.Empty(file.Errors);
        Assert.Equal(Currency.USD, Assert.Single(file.Records).Amount.Currency);
    }

    [Fact]
    public void AnEmptyFile_SaysTheHeaderIsMissing()
    {
        Assert.Equal(["invoices.csv line 1: the file is empty; the first line must name the columns"], Messages(Invoices("")));
    }

    [Fact]
    public void AnUnterminatedQuote_IsReportedWithItsLine()
    {
        var file = Invoices("invoice_id,debtor_id,issue_date,due_date,amount,currency\nI1,D1,2026-05-01,2026-05-31,100.00,USD\nI2,\"D1,2026-05-01,2026-05-31,100.00,USD\n");

        Assert.Equal(["invoices.csv line 3: the line is not valid CSV (a quote that is never closed)"], Messages(file));
    }

    [Fact]
    public void Payments_WithoutAnInvoiceColumn_AreAllocatedLater()
    {
        var file = PortfolioCsv.ReadPayments(new StringReader("payment_id,debtor_id,received_on,amount,currency\nP1,D1,2026-06-01,10.50,EUR\n"));

        var payment = Assert.Single(file.Records);
        Assert.Null(payment.InvoiceId);
        Assert.Equal(new Money(1050, Currency.EUR), payment.Amount);
    }
}
