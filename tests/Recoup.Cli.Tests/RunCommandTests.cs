using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Recoup.Services.Imports;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Cli.Tests;

/// <summary><c>recoup run</c>: the daily collections run from the command line.</summary>
public sealed class RunCommandTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 5, 0, 0, TimeSpan.Zero));

    private async Task<string> SeedAsync()
    {
        var database = await TestDatabases.CreateAsync(DatabaseProvider.Sqlite);
        var portfolio = new TestPortfolio()
            .Debtors(
                "C1,Pat Doe,person,consumer,pat@example.com,,1 Main St,Springfield,IL,62701,US,America/Chicago",
                "C2,Sam Roe,person,consumer,sam@example.com,,2 Main St,Springfield,IL,62701,US,America/Chicago")
            .Invoices(
                "C1-A,C1,2026-09-20,2026-10-20,100.00,USD",
                "C1-B,C1,2026-09-25,2026-10-25,50.00,USD",
                "C2-A,C2,2026-10-25,2026-11-25,80.00,USD");
        Assert.True((await new ImportPortfolio(database, _clock).RunAsync(portfolio.Folder)).Succeeded);
        return new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
    }

    private async Task<(int Exit, string Output, string Error)> RecoupAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await RecoupCli.RunAsync(args, new CliHost(output, error, _clock, environmentDatabase: null, interactive: false));
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Run_as_json_prints_every_step_count_and_a_second_run_for_the_date_takes_none()
    {
        var db = await SeedAsync();

        var first = await RecoupAsync("run", "--as-of", "2026-11-30", "--output", "json", "--db", db);
        var second = await RecoupAsync("run", "--as-of", "2026-11-30", "--output", "json", "--db", db);

        Assert.True(first.Exit == 0, first.Error);
        var json = JsonDocument.Parse(first.Output).RootElement;
        Assert.Equal(
            ["as_of", "accounts", "steps", "broken_promises", "missed_installments", "blocked_by_compliance", "duration_ms"],
            json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["letter", "email", "sms", "call_task", "credit_hold", "write_off", "escalation"], json.GetProperty("steps").EnumerateObject().Select(p => p.Name));
        Assert.Equal(("2026-11-30", 2), (json.GetProperty("as_of").GetString(), json.GetProperty("accounts").GetInt32()));
        Assert.Equal((1, 2), (json.GetProperty("steps").GetProperty("letter").GetInt32(), json.GetProperty("steps").GetProperty("email").GetInt32()));
        Assert.True(second.Exit == 0, second.Error);
        Assert.All(JsonDocument.Parse(second.Output).RootElement.GetProperty("steps").EnumerateObject(), p => Assert.Equal(0, p.Value.GetInt32()));
    }

    [Fact]
    public async Task A_dry_run_shows_the_steps_per_segment_and_sample_accounts_and_writes_nothing()
    {
        var db = await SeedAsync();

        var (exit, output, error) = await RecoupAsync("run", "--as-of", "2026-11-30", "--dry-run", "--db", db);

        Assert.True(exit == 0, error);
        Assert.Contains("Dry run (nothing written)", output, StringComparison.Ordinal);
        Assert.Contains("Consumer standard / Standard / champion", output, StringComparison.Ordinal);
        Assert.Contains("second-reminder-letter", output, StringComparison.Ordinal);
        await using var context = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db}");
        await context.OpenAsync();
        await using var command = context.CreateCommand();
        command.CommandText = "SELECT (SELECT count(*) FROM outbox) + (SELECT count(*) FROM collection_runs)";
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }

    [Theory]
    [InlineData("2026-13-01")]
    [InlineData("yesterday")]
    public async Task A_bad_date_is_a_clear_error(string date)
    {
        var db = await SeedAsync();

        var (exit, _, error) = await RecoupAsync("run", "--as-of", date, "--db", db);

        Assert.Equal(1, exit);
        Assert.Contains($"--as-of '{date}' is not a date in the form YYYY-MM-DD", error, StringComparison.Ordinal);
    }
}
