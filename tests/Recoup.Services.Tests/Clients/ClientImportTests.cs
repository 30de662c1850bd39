using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Recoup.Services.Accounts;
using Recoup.Services.Clients;
using Recoup.Services.Imports;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Services.Tests.Clients;

/// <summary>
/// Creditor clients on both providers: the optional <c>client</c> column of debtors.csv, its errors
/// (the import stays all or nothing), the summaries that carry the code, and the client book's rules.
/// </summary>
public sealed class ClientImportTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_WithAClientColumn_PlacesEachDebtorWithItsClient_AndTheSummariesCarryTheCode(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        await TestClients.AddAsync(database, "ACME", "GLOBEX");
        var portfolio = new TestPortfolio()
            .DebtorsWithClient(TestPortfolio.Person("D1") + ",acme", TestPortfolio.Person("D2") + ",GLOBEX", TestPortfolio.Person("D3") + ",")
            .Invoices("I1,D1,2026-05-01,2026-05-31,100.00,USD", "I2,D2,2026-05-01,2026-05-31,200.00,USD", "I3,D3,2026-05-01,2026-05-31,300.00,USD");

        var outcome = await new ImportPortfolio(database, Clock).RunAsync(portfolio.Folder);

        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Errors));
        await using var db = database.CreateContext();
        var codes = await db.AccountSummaries.AsNoTracking().ToDictionaryAsync(s => s.DebtorExternalId, s => s.ClientCode);
        Assert.Equal("ACME", codes["D1"]);
        Assert.Equal("GLOBEX", codes["D2"]);
        Assert.Null(codes["D3"]);

        var search = new AccountSearch(database, Clock);
        Assert.Equal(["D1"], (await search.SearchAsync(new AccountFilter(Client: "acme"))).Rows.Select(r => r.DebtorId));
        Assert.Equal(["D3"], (await search.SearchAsync(new AccountFilter(Client: AccountFilter.NoClient))).Rows.Select(r => r.DebtorId));
        Assert.Equal("GLOBEX", (await search.SearchAsync(new AccountFilter(Search: "D2"))).Rows.Single().Client);

        var clients = await new ClientBook(database, Clock).ListAsync();
        Assert.Equal([("ACME", 1), ("GLOBEX", 1)], clients.Select(c => (c.Code, c.Debtors)));
        Assert.True((await new RebuildAccountSummaries(database).RunAsync(repair: false)).Passed);
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Import_WithAnUnknownOrInactiveClient_IsRejectedWithFileLineAndColumn_AndWritesNothing(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        await TestClients.AddAsync(database, "ACME", "OLD");
        await new ClientBook(database, Clock).UpdateAsync("OLD", null, false, "test");
        var portfolio = new TestPortfolio()
            .DebtorsWithClient(TestPortfolio.Person("D1") + ",ACME", TestPortfolio.Person("D2") + ",INITECH", TestPortfolio.Person("D3") + ",OLD", TestPortfolio.Person("D4") + ",a b")
            .Invoices("I1,D1,2026-05-01,2026-05-31,100.00,USD");
        var before = await DatabaseSnapshot.TakeAsync(database);

        var outcome = await new ImportPortfolio(database, Clock).RunAsync(portfolio.Folder);

        Assert.False(outcome.Succeeded);
        Assert.Equal(
            [
                "debtors.csv line 3, column client: unknown client 'INITECH': add it first on the Clients screen or with POST /api/clients",
                "debtors.csv line 4, column client: client 'OLD' (OLD Holdings) is inactive and takes no new debtors",
                "debtors.csv line 5, column client: 'A B' is not a client code: 2 to 16 letters, digits, '-' or '_', starting with a letter or digit, e.g. ACME",
            ],
            outcome.Errors.Select(e => e.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(before, await DatabaseSnapshot.TakeAsync(database));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ClientBook_RefusesABadOrTakenCode_AndRenamesWithoutChangingTheCode(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var book = new ClientBook(database, Clock);

        var (added, _) = await book.AddAsync(" acme ", "Acme Health", "dana");
        Assert.Equal(("ACME", "Acme Health", true), (added!.Code, added.Name, added.Active));
        Assert.Equal(ClientBook.CodeTaken, Assert.Single((await book.AddAsync("Acme", "Another", "dana")).Errors).Code);
        Assert.Equal(["code", "name"], (await book.AddAsync("!", " ", "dana")).Errors.Select(e => e.Field));

        var (renamed, _) = await book.UpdateAsync("acme", "Acme Health Partners", null, "dana");
        Assert.Equal(("ACME", "Acme Health Partners", true), (renamed!.Code, renamed.Name, renamed.Active));
        Assert.Equal(ClientBook.NotFound, Assert.Single((await book.UpdateAsync("NOPE", "x", null, "dana")).Errors).Code);
    }
}
