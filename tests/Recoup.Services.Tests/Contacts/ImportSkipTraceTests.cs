using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Domain.Debtors;
using Recoup.Services.Contacts;
using Recoup.Services.Imports;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Services.Tests.Contacts;

public sealed class ImportSkipTraceTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 23, 16, 0, 0, TimeSpan.Zero));

    private static async Task<RecoupDatabase> SeedAsync(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var portfolio = new TestPortfolio()
            .Debtors("K1,Maria Gonzalez,person,consumer,,+1 312 555 0147,,,,,,")
            .Invoices("K-INV-1,K1,2026-05-01,2026-05-31,100.00,USD");
        Assert.True((await new ImportPortfolio(database, Clock).RunAsync(portfolio.Folder)).Succeeded);
        await using var db = database.CreateContext();
        var phone = await db.ContactPoints.SingleAsync();
        phone.ChangeStatus(ContactStatus.Good);
        await db.SaveChangesAsync();
        return database;
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task NewPointsAreAdded_AndAVerifiedNumberIsLeftAsItWas(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);
        var csv = "debtor_id,kind,value,source,confidence\n" +
                  "K1,home,(312) 555-0147,TraceCo,40\n" +
                  "K1,mobile,+1 213 555 0101,TraceCo,85\n" +
                  "K1,email,MARIA.G@example.com,TraceCo,60\n";

        var outcome = await new ImportSkipTrace(database, Clock).RunAsync(new StringReader(csv), "trace.csv", "sam");

        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Errors));
        Assert.Equal((2, 1), (outcome.Added, outcome.AlreadyKnown));
        await using var db = database.CreateContext();
        var points = await db.ContactPoints.AsNoTracking().ToListAsync();
        var original = points.Single(p => p.Normalized == "+13125550147");
        Assert.Equal((ContactStatus.Good, ContactSource.OriginalCreditor, (int?)null), (original.Status, original.Source, original.Confidence));
        var mobile = points.Single(p => p.Normalized == "+12135550101");
        Assert.Equal((ContactSource.SkipTrace, "TraceCo", (int?)85, (PhoneType?)PhoneType.Mobile), (mobile.Source, mobile.SourceDetail, mobile.Confidence, mobile.PhoneType));
        var summary = await db.AccountSummaries.SingleAsync();
        Assert.Equal("America/Chicago America/Los_Angeles", summary.TimeZones);
        Assert.Contains("maria.g@example.com", summary.SearchText, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AnUnknownDebtor_NamesTheLine_AndNothingIsAdded(DatabaseProvider provider)
    {
        var database = await SeedAsync(provider);
        var csv = "debtor_id,kind,value,source,confidence\n" +
                  "K1,mobile,+1 213 555 0101,TraceCo,85\n" +
                  "K9,email,someone@example.com,TraceCo,60\n";

        var outcome = await new ImportSkipTrace(database, Clock).RunAsync(new StringReader(csv), "trace.csv", "sam");

        var error = Assert.Single(outcome.Errors);
        Assert.Equal(("trace.csv", 3, "debtor_id", "There is no debtor 'K9'"), (error.File, error.Line, error.Column, error.Message));
        await using var db = database.CreateContext();
        Assert.Equal(1, await db.ContactPoints.CountAsync());
    }
}
