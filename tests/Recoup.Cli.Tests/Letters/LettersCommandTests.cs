using Microsoft.Extensions.Time.Testing;
using Recoup.Services.Imports;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Cli.Tests.Letters;

/// <summary><c>recoup letters run</c>: the PDFs and the manifest in the folder, and what was skipped.</summary>
public sealed class LettersCommandTests
{
    [Fact]
    public async Task A_delinquency_run_writes_a_PDF_and_the_manifest_and_lists_the_debtor_without_an_address()
    {
        var database = await TestDatabases.CreateAsync(DatabaseProvider.Sqlite);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        var portfolio = new TestPortfolio()
            .Debtors("C1,Ada Brook,person,consumer,,,5 Lake Rd,Madison,WI,53703,US,America/Chicago", "C2,Bo Quill,person,consumer,bo@example.com,,,,,,,America/Chicago")
            .Invoices("C-INV-1,C1,2026-09-01,2026-10-01,300.00,USD", "C-INV-2,C2,2026-09-01,2026-10-01,120.00,USD");
        Assert.True((await new ImportPortfolio(database, clock).RunAsync(portfolio.Folder)).Succeeded);

        var folder = TempFolder.Create("letters");
        var output = new StringWriter();
        var error = new StringWriter();
        var host = new CliHost(output, error, clock, environmentDatabase: null, interactive: false);
        var dbPath = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
        var exit = await RecoupCli.RunAsync(["letters", "run", "--as-of", "2026-11-30", "--kind", "delinquency", "--out", folder, "--db", dbPath], host);

        Assert.True(exit == 0, error.ToString());
        Assert.Contains("skipped C2 C2-USD: no postal address", output.ToString(), StringComparison.Ordinal);
        var manifest = await File.ReadAllLinesAsync(Path.Combine(folder, "manifest.csv"));
        Assert.Equal(2, manifest.Length);
        Assert.Contains(",C1,C1-USD,second_reminder,en,Ada Brook,5 Lake Rd,,Madison,WI,53703,US,1,", manifest[1], StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(folder, "*.pdf"));
    }
}
