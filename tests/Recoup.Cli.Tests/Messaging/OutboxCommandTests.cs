using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Data.Outbox;
using Recoup.Domain;
using Recoup.Services.Imports;
using Recoup.Services.Storage;
using Recoup.Testing;
using Recoup.Testing.Messaging;

namespace Recoup.Cli.Tests.Messaging;

/// <summary><c>recoup outbox dispatch --once</c>: one pass from cron, configured from the environment like the web application.</summary>
public sealed class OutboxCommandTests
{
    [Fact]
    public async Task Dispatch_once_delivers_the_due_email_through_the_configured_smtp_server_and_prints_the_counts()
    {
        await using var smtp = new SmtpSink();
        var database = await TestDatabases.CreateAsync(DatabaseProvider.Sqlite);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 15, 0, 0, TimeSpan.Zero));
        var portfolio = new TestPortfolio()
            .Debtors("E1,Edna Mailer,person,consumer,edna@example.com,,,,,,,America/Chicago")
            .Invoices("E-INV-1,E1,2026-08-01,2026-08-31,120.00,USD");
        Assert.True((await new ImportPortfolio(database, clock).RunAsync(portfolio.Folder)).Succeeded);
        Guid id;
        await using (var db = database.CreateContext())
        {
            var debtor = await db.Debtors.Include(d => d.ContactPoints).SingleAsync();
            var account = await db.Accounts.SingleAsync();
            var now = clock.GetUtcNow();
            id = SequentialGuid.Create(now);
            db.Outbox.Add(new OutboxMessage
            {
                Id = id, Channel = OutboxChannel.Email, Purpose = "first_reminder", AccountId = account.Id.Value, DebtorId = debtor.Id.Value,
                ContactPointId = debtor.ContactPoints.Single().Id.Value, Recipient = "edna@example.com", Subject = "Reminder", Body = "120.00 USD is past due.",
                CreatedAt = now, NotBefore = now, Status = OutboxStatus.Pending, CreatedBy = "test",
            });
            await db.SaveChangesAsync();
        }

        Environment.SetEnvironmentVariable("Recoup__Smtp__Host", "127.0.0.1");
        Environment.SetEnvironmentVariable("Recoup__Smtp__Port", smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Environment.SetEnvironmentVariable("Recoup__Smtp__Tls", "none");
        Environment.SetEnvironmentVariable("Recoup__Smtp__From", "collections@example.net");
        Environment.SetEnvironmentVariable("Recoup__Sms__Provider", "none");
        try
        {
            var output = new StringWriter();
            var error = new StringWriter();
            var host = new CliHost(output, error, clock, environmentDatabase: null, interactive: false);
            var exit = await RecoupCli.RunAsync(["outbox", "dispatch", "--once", "--db", CliRun.DbArgument(database, DatabaseProvider.Sqlite)], host);

            Assert.True(exit == 0, error.ToString());
            Assert.Contains("Channels: email, webhook.", output.ToString(), StringComparison.Ordinal);
            Assert.Contains("Claimed 1: sent 1,", output.ToString(), StringComparison.Ordinal);
            var mail = Assert.Single(smtp.Received);
            Assert.Contains($"Message-Id: <{id:N}@example.net>", mail, StringComparison.OrdinalIgnoreCase);
            await using var check = database.CreateContext();
            Assert.Equal(OutboxStatus.Sent, (await check.Outbox.SingleAsync()).Status);
        }
        finally
        {
            foreach (var key in new[] { "Recoup__Smtp__Host", "Recoup__Smtp__Port", "Recoup__Smtp__Tls", "Recoup__Smtp__From", "Recoup__Sms__Provider" })
            {
                Environment.SetEnvironmentVariable(key, null);
            }
        }
    }
}
