using Microsoft.Extensions.Time.Testing;
using Recoup.Domain;
using Recoup.Domain.Debtors;
using Recoup.Formats.Csv;
using Recoup.Services.Demo;
using Recoup.Services.Imports;
using Recoup.Services.Storage;

namespace Recoup.Services.Tests.Demo;

public sealed class PortfolioGeneratorTests : IDisposable
{
    private static readonly DateOnly AsOf = new(2026, 10, 31);
    private static readonly string[] Files = [PortfolioCsv.DebtorsFile, PortfolioCsv.InvoicesFile, PortfolioCsv.PaymentsFile];

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("recoup-portfolio-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void Write_WithTheSameSeed_GivesByteIdenticalFiles()
    {
        var first = Generate("first", new PortfolioSpec(500, AsOf, Seed: 7));
        var second = Generate("second", new PortfolioSpec(500, AsOf, Seed: 7));

        foreach (var file in Files)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(first, file)), File.ReadAllBytes(Path.Combine(second, file)));
        }
    }

    [Fact]
    public void Write_WithDifferentSeeds_GivesDifferentFiles()
    {
        var first = Generate("first", new PortfolioSpec(200, AsOf, Seed: 1));
        var second = Generate("second", new PortfolioSpec(200, AsOf, Seed: 2));

        foreach (var file in Files)
        {
            Assert.NotEqual(File.ReadAllBytes(Path.Combine(first, file)), File.ReadAllBytes(Path.Combine(second, file)));
        }
    }

    [Fact]
    public void Write_FilesStartWithTheImportHeadersAndUseUtf8WithoutBomAndLf()
    {
        var folder = Generate("headers", new PortfolioSpec(20, AsOf));

        var debtors = File.ReadAllBytes(Path.Combine(folder, PortfolioCsv.DebtorsFile));
        Assert.NotEqual(0xEF, debtors[0]);
        Assert.DoesNotContain((byte)'\r', debtors);
        Assert.Equal(PortfolioGenerator.DebtorsHeader, File.ReadLines(Path.Combine(folder, PortfolioCsv.DebtorsFile)).First());
        Assert.Equal(PortfolioGenerator.InvoicesHeader, File.ReadLines(Path.Combine(folder, PortfolioCsv.InvoicesFile)).First());
        Assert.Equal(PortfolioGenerator.PaymentsHeader, File.ReadLines(Path.Combine(folder, PortfolioCsv.PaymentsFile)).First());
    }

    [Fact]
    public void Write_EveryRowPassesTheImportChecksOfItsFile()
    {
        var folder = Path.Combine(_root.FullName, "valid");
        var counts = PortfolioGenerator.Write(folder, new PortfolioSpec(2_000, AsOf));
        var portfolio = Read(folder);

        Assert.Empty(portfolio.Debtors.Errors);
        Assert.Empty(portfolio.Invoices.Errors);
        Assert.Empty(portfolio.Payments.Errors);
        Assert.Equal(new PortfolioCounts(portfolio.Debtors.Records.Count, portfolio.Invoices.Records.Count, portfolio.Payments.Records.Count), counts);
    }

    [Fact]
    public void Write_RowsAgreeAcrossFiles_AsTheImportRequires()
    {
        var portfolio = Read(Generate("consistent", new PortfolioSpec(2_000, AsOf)));
        var debtorIds = portfolio.Debtors.Records.Select(d => d.DebtorId).ToHashSet(StringComparer.Ordinal);
        var invoicesById = portfolio.Invoices.Records.ToDictionary(i => i.InvoiceId, StringComparer.Ordinal);
        var firstIssue = portfolio.Invoices.Records
            .GroupBy(i => (i.DebtorId, i.Amount.Currency))
            .ToDictionary(g => g.Key, g => g.Min(i => i.IssueDate));

        Assert.All(portfolio.Invoices.Records, invoice =>
        {
            Assert.Contains(invoice.DebtorId, debtorIds);
            Assert.InRange(invoice.IssueDate, AsOf.AddMonths(-18), AsOf);
            Assert.Contains(invoice.DueDate.DayNumber - invoice.IssueDate.DayNumber, new[] { 15, 30, 45, 60 });
        });

        Assert.All(portfolio.Payments.Records, payment =>
        {
            Assert.True(firstIssue.TryGetValue((payment.DebtorId, payment.Amount.Currency), out var earliest), $"{payment.PaymentId}: the debtor has no invoices in {payment.Amount.Currency}");
            Assert.InRange(payment.ReceivedOn, earliest, AsOf);
            if (payment.InvoiceId is { } named)
            {
                var invoice = invoicesById[named];
                Assert.Equal(payment.DebtorId, invoice.DebtorId);
                Assert.Equal(payment.Amount.Currency, invoice.Amount.Currency);
                Assert.True(invoice.IssueDate <= payment.ReceivedOn, $"{payment.PaymentId} is received before {named} is issued");
            }
        });
    }

    [Fact]
    public void Write_DebtorsLookLikeRealData()
    {
        var debtors = Read(Generate("debtors", new PortfolioSpec(2_000, AsOf))).Debtors.Records;

        Assert.All(debtors, d => Assert.Equal(d.Kind == DebtorKind.Business, d.DebtType == DebtType.Commercial));
        Assert.InRange(debtors.Count(d => d.Kind == DebtorKind.Business), 200, 700);
        Assert.InRange(debtors.Count(d => d.DebtType == DebtType.Medical), 200, 800);
        Assert.InRange(debtors.Count(d => d.Email is null), 200, 400);
        Assert.InRange(debtors.Count(d => d.Phone is null), 100, 300);
        Assert.Contains(debtors, d => d.Name.Contains(',', StringComparison.Ordinal));
        Assert.All(debtors.Where(d => d.TimeZone is not null), d =>
            Assert.True(TimeZoneInfo.TryFindSystemTimeZoneById(d.TimeZone!, out _), $"{d.TimeZone} is not a known time zone"));

        var zonesByState = debtors.Where(d => d.Address is not null).GroupBy(d => d.Address!.Region!).ToDictionary(g => g.Key, g => g.Select(d => d.TimeZone).Distinct().ToList());
        Assert.Equal("America/New_York", Assert.Single(zonesByState["NY"]));
        Assert.Equal("America/Chicago", Assert.Single(zonesByState["IL"]));
        Assert.Equal("America/Denver", Assert.Single(zonesByState["CO"]));
        Assert.Equal("America/Los_Angeles", Assert.Single(zonesByState["CA"]));
        Assert.Equal("America/Phoenix", Assert.Single(zonesByState["AZ"]));
    }

    [Fact]
    public void Write_GivesAboutFiveInvoicesPerDebtorAndPaymentsFromAboutHalfOfThem()
    {
        var portfolio = Read(Generate("counts", new PortfolioSpec(2_000, AsOf)));
        var invoices = portfolio.Invoices.Records;
        var payments = portfolio.Payments.Records;

        Assert.InRange(invoices.Count, 9_000, 11_000);
        var perDebtor = invoices.GroupBy(i => i.DebtorId).Select(g => g.Count()).ToList();
        Assert.Equal(2_000, perDebtor.Count);
        Assert.InRange(perDebtor.Min(), 1, 2);
        Assert.InRange(perDebtor.Max(), 8, 9);

        Assert.InRange(payments.Select(p => p.DebtorId).Distinct().Count(), 850, 1_150);
        Assert.Contains(payments, p => p.InvoiceId is null);
        Assert.Contains(payments, p => p.InvoiceId is not null);
        var amounts = invoices.ToDictionary(i => i.InvoiceId, i => i.Amount, StringComparer.Ordinal);
        Assert.Contains(payments, p => p.InvoiceId is { } id && p.Amount > amounts[id]);
    }

    [Fact]
    public void Write_IsMostlyUsdWithSomeEurAndJpyAndSomeDebtorsInTwoCurrencies()
    {
        var invoices = Read(Generate("currencies", new PortfolioSpec(2_000, AsOf))).Invoices.Records;
        var debtorsByCurrency = invoices.GroupBy(i => i.Amount.Currency.Code).ToDictionary(g => g.Key, g => g.Select(i => i.DebtorId).Distinct().Count());

        Assert.Equal(new[] { "EUR", "JPY", "USD" }, debtorsByCurrency.Keys.Order(StringComparer.Ordinal));
        Assert.InRange(debtorsByCurrency["USD"], 1_700, 1_950);
        Assert.InRange(debtorsByCurrency["EUR"], 80, 300);
        Assert.InRange(debtorsByCurrency["JPY"], 20, 150);
        Assert.InRange(invoices.GroupBy(i => i.DebtorId).Count(g => g.Select(i => i.Amount.Currency).Distinct().Count() == 2), 20, 150);
        Assert.All(invoices.Where(i => i.Amount.Currency == Currency.JPY), i => Assert.DoesNotContain('.', i.Amount.ToDecimalString()));
    }

    [Fact]
    public async Task Write_PortfolioImportsIntoSqliteWithoutErrors()
    {
        var folder = Path.Combine(_root.FullName, "import");
        var counts = PortfolioGenerator.Write(folder, new PortfolioSpec(300, AsOf));
        var database = RecoupDatabase.Sqlite(Path.Combine(_root.FullName, "import.db"));

        var outcome = await new ImportPortfolio(database, new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero))).RunAsync(folder);

        Assert.True(outcome.Succeeded, string.Join('\n', outcome.Errors.Take(20)));
        Assert.Equal(counts.Debtors, outcome.Summary!.Debtors);
        Assert.Equal(counts.Invoices, outcome.Summary.Invoices);
        Assert.Equal(counts.Payments, outcome.Summary.Payments);
    }

    private string Generate(string name, PortfolioSpec spec)
    {
        var folder = Path.Combine(_root.FullName, name);
        var counts = PortfolioGenerator.Write(folder, spec);
        Assert.Equal(spec.Debtors, counts.Debtors);
        return folder;
    }

    private static Portfolio Read(string folder)
    {
        using var debtors = new StreamReader(Path.Combine(folder, PortfolioCsv.DebtorsFile));
        using var invoices = new StreamReader(Path.Combine(folder, PortfolioCsv.InvoicesFile));
        using var payments = new StreamReader(Path.Combine(folder, PortfolioCsv.PaymentsFile));
        return new Portfolio(PortfolioCsv.ReadDebtors(debtors), PortfolioCsv.ReadInvoices(invoices), PortfolioCsv.ReadPayments(payments));
    }

    private sealed record Portfolio(CsvFile<DebtorRecord> Debtors, CsvFile<InvoiceRecord> Invoices, CsvFile<PaymentRecord> Payments);
}
