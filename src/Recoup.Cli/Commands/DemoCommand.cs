using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Recoup.Data.Identity;
using Recoup.Data.WorkQueues;
using Recoup.Domain.Aging;
using Recoup.Services.Aging;
using Recoup.Services.Demo;
using Recoup.Services.Imports;
using Recoup.Services.Storage;
using Recoup.Services.WorkQueues;
using Recoup.Web;
using Recoup.Web.Identity;
using Spectre.Console;

namespace Recoup.Cli.Commands;

/// <summary>
/// <c>recoup demo</c>: a fresh demo database filled by the portfolio generator, a demo user for each
/// role, and the web application serving it.
/// </summary>
public static class DemoCommand
{
    public const string DemoFile = "recoup-demo.db";
    public const string DemoPassword = "Recoup-demo-2026";

    public static Command Create(CliHost host)
    {
        var urls = ServeCommand.UrlsOption();
        var debtors = new Option<int>("--debtors") { Description = "How many debtors to generate.", DefaultValueFactory = _ => 2_000 };
        var noServe = new Option<bool>("--no-serve") { Description = "Build the demo database, print its aging and stop, without serving." };
        var command = new Command("demo", $"Create a fresh demo database ({DemoFile}) with a generated portfolio and demo users, and serve it.") { urls, debtors, noServe };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var option = parse.GetValue(RecoupCli.DatabaseOption);
            if (option is null && File.Exists(DemoFile))
            {
                File.Delete(DemoFile);
                File.Delete(DemoFile + "-wal");
                File.Delete(DemoFile + "-shm");
            }

            var database = option is null ? RecoupDatabase.Sqlite(DemoFile) : host.Database(option);
            var count = parse.GetValue(debtors);
            if (count < 1)
            {
                return host.Fail("--debtors must be at least 1.");
            }

            var folder = Path.Combine(Path.GetTempPath(), $"recoup-demo-{Guid.NewGuid():N}");
            try
            {
                Directory.CreateDirectory(folder);
                await AddDemoClientsAsync(database, host.Clock, cancellationToken);
                PortfolioGenerator.Write(folder, new PortfolioSpec(count, host.Today, Clients: DemoClients.Select(c => c.Code).ToList()));
                var outcome = await ProgressDisplay.RunAsync<ImportOutcome, ImportProgress>(
                    host, "Building the demo portfolio", p => new ImportPortfolio(database, host.Clock).RunAsync(folder, p, cancellationToken), p => (p.Stage, p.Done, p.Total));
                if (!outcome.Succeeded)
                {
                    foreach (var error in outcome.Errors.Take(20))
                    {
                        host.Error.WriteLine($"error: {error}");
                    }

                    return host.Fail("the generated demo portfolio could not be imported (a bug: please report it).");
                }

                host.Console.MarkupLineInterpolated($"Demo portfolio: {outcome.Summary!.Debtors:N0} debtors, {outcome.Summary.Invoices:N0} invoices, {outcome.Summary.Payments:N0} payments in {database.Description}.");
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }

            await AddDemoUsersAsync(database);
            var queues = await AddDemoQueueAsync(database, host.Clock, cancellationToken);
            host.Console.MarkupLineInterpolated($"Work queue: {queues.Queued:N0} accounts in the queue of 'collector' (press w in the web app).");
            var report = await new AgingQuery(database).ByBucketAsync(host.Today, AgingBuckets.Default, cancellationToken);
            ShowAging(host, report);
            if (parse.GetValue(noServe))
            {
                return ExitCodes.Ok;
            }

            var url = parse.GetValue(urls)!;
            var logins = new Table().Title("Demo sign-ins").AddColumns("User", "Role", "Password");
            foreach (var role in Roles.All)
            {
                logins.AddRow(role, role, DemoPassword);
            }

            host.Console.Write(logins);
            await ServeCommand.RunAsync(host, database, url, cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The demo is an agency's: three creditor clients, each with a third of the debtors.</summary>
    private static readonly (string Code, string Name)[] DemoClients =
        [("ACME", "Acme Health Partners"), ("GLOBEX", "Globex Utilities"), ("INITECH", "Initech Software")];

    private static async Task AddDemoClientsAsync(RecoupDatabase database, TimeProvider clock, CancellationToken ct)
    {
        await database.MigrateAsync(ct);
        var book = new Recoup.Services.Clients.ClientBook(database, clock);
        foreach (var (code, name) in DemoClients)
        {
            var (_, errors) = await book.AddAsync(code, name, "demo", ct);
            if (errors.Count > 0 && errors[0].Code != Recoup.Services.Clients.ClientBook.CodeTaken)
            {
                throw new InvalidOperationException(errors[0].Message);
            }
        }
    }

    private static async Task AddDemoUsersAsync(RecoupDatabase database)
    {
        await using var services = AdminServices.Create(database);
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Users>();
        string[] names = ["Dana Reyes", "Sam Okafor", "Priya Nair", "Alex Kim", "Jordan Blake"];
        for (var i = 0; i < Roles.All.Count; i++)
        {
            var created = await users.AddAsync(Roles.All[i], Roles.All[i], DemoPassword, names[i]);
            if (created.Error is { } error && error.Code != "user_exists")
            {
                throw new InvalidOperationException(error.Message);
            }
        }
    }

    /// <summary>The demo collector works every account: one rule, room for all, and the queue built.</summary>
    private static async Task<WorkQueueBuild> AddDemoQueueAsync(RecoupDatabase database, TimeProvider clock, CancellationToken ct)
    {
        await using (var db = database.CreateContext())
        {
            db.CollectorProfiles.Add(new CollectorProfile { UserName = Roles.Collector, Capacity = 100_000 });
            db.AssignmentRules.Add(new AssignmentRuleRecord { Id = Guid.CreateVersion7(), Order = 1, Name = "Everyone to the demo collector", Collectors = [Roles.Collector] });
            await db.SaveChangesAsync(ct);
        }

        return await new BuildWorkQueues(database, clock).RunAsync("demo", ct: ct);
    }

    private static void ShowAging(CliHost host, AgingReport report)
    {
        var table = new Table().Title($"Aging as of {Formatting.Iso(report.AsOf)}").AddColumn("Currency");
        foreach (var bucket in AgingBuckets.Default.Buckets)
        {
            table.AddColumn(new TableColumn(bucket.Name).RightAligned());
        }

        table.AddColumn(new TableColumn("Total").RightAligned());
        foreach (var currency in report.Currencies)
        {
            table.AddRow([currency.Currency.Code, .. currency.Buckets.Select(b => Formatting.Grouped(b.Amount)), Formatting.Grouped(currency.Total)]);
        }

        host.Console.Write(table);
    }
}
