using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Domain.Compliance;
using Recoup.Domain.Debtors;
using Recoup.Domain.Disputes;
using Recoup.Services.Compliance;
using Recoup.Services.Disputes;
using Recoup.Services.Imports;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Services.Tests.Disputes;

/// <summary>Disputes imported from a CSV file: opened with their channel, all or nothing with line-numbered errors, once per content — on both providers.</summary>
public sealed class DisputeImportTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 15, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Now);

    private const string Header = "account_number,invoice_number,amount,currency,reason,opened_on,channel,note";

    private async Task<RecoupDatabase> SeedAsync(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var portfolio = new TestPortfolio()
            .Debtors(
                "D1,Lee Okafor,person,consumer,lee@example.com,+1 212 555 0147,12 Main St,New York,NY,10001,US,America/New_York",
                "D2,Acme Supplies,business,commercial,ap@acme.example,,1 Dock Rd,Newark,NJ,07102,US,America/New_York")
            .Invoices("INV-1,D1,2026-08-01,2026-08-31,700.00,USD", "INV-2,D1,2026-09-01,2026-09-30,300.00,USD", "INV-3,D2,2026-09-01,2026-09-30,1200.00,USD");
        Assert.True((await new ImportPortfolio(database, _clock).RunAsync(portfolio.Folder)).Succeeded);
        return database;
    }

    private DisputeImport Import(RecoupDatabase database) => new(database, _clock, new DisputeSettings());

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_file_opens_each_dispute_with_its_channel_and_the_same_file_again_opens_nothing(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);
        var csv = $"""
            {Header}
            D1-USD,INV-2,100.00,,wrong_amount,2026-11-20,letter,"Billed 300 for 200 units, see letter of Nov 18"
            D2,,,USD,goods_not_received,,email,Pallets never arrived
            """;

        var result = await Import(database).RunAsync(csv, "mailroom.csv", dryRun: false, "sam");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.False(result.AlreadyImported);
        Assert.Equal(2, result.Disputes.Count);
        var letter = result.Disputes[0];
        Assert.Equal((DisputeSource.Letter, true, new DateOnly(2026, 11, 20), 10000L, "INV-2"),
            (letter.Source, letter.InWriting, letter.OpenedOn, letter.Amount.Minor, Assert.Single(letter.Items).InvoiceNumber));
        Assert.Equal(new DateOnly(2026, 11, 30), letter.DueOn); // billing's SLA of 10 days from the day the letter came in
        var email = result.Disputes[1];
        Assert.Equal((DisputeSource.Email, 120000L, "D2"), (email.Source, email.Amount.Minor, email.DebtorId));

        // The disputed amount is held: D2's whole balance, so the gate refuses an e-mail about it.
        await using (var db = database.CreateContext())
        {
            var d2 = await db.Debtors.Include(d => d.ContactPoints).SingleAsync(d => d.ExternalId == "D2");
            var account = await db.Accounts.SingleAsync(a => a.DebtorId == d2.Id);
            var point = d2.ContactPoints.Single(c => c.Kind == ContactKind.Email);
            var decision = (await new ComplianceCheck(database, _clock, RuleSet.Default)
                .RunAsync(new ComplianceQuestion("D2", account.Id, ContactChannel.Email, point.Id, Now), "sam")).Value;
            Assert.Contains(decision.Reasons, r => r.Rule == "dispute-hold");
            Assert.Equal(1, await db.AuditLog.CountAsync(a => a.Action == "disputes.imported"));
        }

        // The same content again (under another name) opens nothing.
        var again = await Import(database).RunAsync(csv, "mailroom-copy.csv", dryRun: false, "sam");
        Assert.True(again.Succeeded);
        Assert.True(again.AlreadyImported);
        Assert.Empty(again.Disputes);
        await using var check = database.CreateContext();
        Assert.Equal(2, await check.Disputes.CountAsync());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_file_with_any_error_opens_nothing_and_names_each_line_and_column(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);
        var csv = $"""
            {Header}
            D1-USD,INV-1,50.00,,wrong_amount,,collector,Fine line
            D1-USD,INV-2,400.00,,pricing,,letter,More than is open on INV-2
            D9-USD,,,,other,,,No such debtor
            D1-USD,,12.345,,already_paid,2026-13-01,fax,
            """;

        var result = await Import(database).RunAsync(csv, "disputes.csv", dryRun: false, "sam");

        Assert.False(result.Succeeded);
        var errors = result.Errors.Select(e => e.ToString()).ToList();
        Assert.Contains(errors, e => e.StartsWith("disputes.csv line 5, column opened_on: '2026-13-01' is not a date", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("disputes.csv line 5, column channel: 'fax' is not one of collector, portal, email, letter, import", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("disputes.csv line 5, column note: is required", StringComparison.Ordinal));

        // Once every line reads, the lines are checked against the accounts: still nothing is opened.
        var second = $"""
            {Header}
            D1-USD,INV-1,50.00,,wrong_amount,,collector,Fine line
            D1-USD,INV-2,400.00,,pricing,,letter,More than is open on INV-2
            D9-USD,,,,other,,,No such debtor
            """;
        var checkedAgainstAccounts = await Import(database).RunAsync(second, "disputes.csv", dryRun: false, "sam");
        Assert.Equal(
            ["disputes.csv line 3, column amount: On invoice INV-2 up to 300.00 USD can be disputed (what is open and not already disputed)",
             "disputes.csv line 4, column account_number: there is no account 'D9-USD' (no debtor 'D9')"],
            checkedAgainstAccounts.Errors.Select(e => e.ToString()).ToList());
        await using var db = database.CreateContext();
        Assert.Equal(0, await db.Disputes.CountAsync());
        Assert.Equal(0, await db.Outbox.CountAsync());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_dry_run_shows_what_would_open_and_keeps_nothing(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);
        var csv = $"{Header}\nD1-USD,,,,not_mine,,portal,I never had this account\n";

        var dry = await Import(database).RunAsync(csv, "disputes.csv", dryRun: true, "sam");

        Assert.True(dry.Succeeded, string.Join("\n", dry.Errors));
        Assert.Equal(100000L, Assert.Single(dry.Disputes).Amount.Minor);
        await using (var db = database.CreateContext())
        {
            Assert.Equal(0, await db.Disputes.CountAsync());
            Assert.Equal(0, await db.ImportBatches.CountAsync(b => b.Source == DisputeImport.BatchSource));
        }

        var real = await Import(database).RunAsync(csv, "disputes.csv", dryRun: false, "sam");
        Assert.False(real.AlreadyImported);
        Assert.Single(real.Disputes);
    }
}
