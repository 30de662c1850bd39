using Microsoft.EntityFrameworkCore;
using Recoup.Domain;
using Recoup.Domain.Debtors;
using Recoup.Domain.Ledger;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Data.Tests;

/// <summary>The schema on both providers: every migration applies to an empty database, the model matches them, and rows round-trip.</summary>
public sealed class StorageTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 30, 15, TimeSpan.Zero);

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Migrations_ApplyToAnEmptyDatabase_AndMatchTheModel(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider, migrate: false);
        Assert.True(await database.NeedsMigrationAsync());

        await database.MigrateAsync();

        await using var db = database.CreateContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges(), "The model has changed since the last migration: run dotnet ef migrations add for both providers.");
        Assert.False(await database.NeedsMigrationAsync());
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task BulkInsert_WritesRowsThatReadBackExactly(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var debtor = new Debtor(DebtorId.New(Now), "D-1", "Lena Hoffmann", DebtorKind.Person, DebtType.Medical, "Europe/Berlin", Now);
        debtor.AddContactPoint(ContactPointId.New(Now), ContactKind.Postal, "Kastanienallee 12, Berlin", ContactSource.OriginalCreditor,
            new PostalAddress("Kastanienallee 12", "Berlin", "BE", "10435", "DE"));
        debtor.AddContactPoint(ContactPointId.New(Now), ContactKind.Email, "lena@example.de", ContactSource.Debtor);
        var ledger = AccountLedger.Open(new Account(AccountId.New(Now), debtor.Id, Currency.EUR, Now));
        var invoice = ledger.AddInvoice("INV-1", new DateOnly(2026, 8, 1), new DateOnly(2026, 8, 31), new Money(8990, Currency.EUR), Now).Value;
        ledger.PostPayment(new Money(10000, Currency.EUR), new DateOnly(2026, 9, 2), Now, "bank ref 77", invoice.Id, "PAY-1");

        await using (var db = database.CreateContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var bulk = database.BulkInserter;
            await bulk.InsertAsync(db, [debtor], default);
            await bulk.InsertAsync(db, debtor.ContactPoints.ToList(), default);
            await bulk.InsertAsync(db, [ledger.Account], default);
            await bulk.InsertAsync(db, ledger.NewInvoices.ToList(), default);
            await bulk.InsertAsync(db, ledger.NewEntries.ToList(), default);
            await bulk.InsertAsync(db, ledger.NewAllocations.ToList(), default);
            await transaction.CommitAsync();
        }

        await using var read = database.CreateContext();
        var stored = await read.Debtors.Include(d => d.ContactPoints).SingleAsync();
        Assert.Equal((debtor.Id, "Lena Hoffmann", DebtType.Medical, "Europe/Berlin", Now), (stored.Id, stored.Name, stored.DebtType, stored.TimeZone, stored.CreatedAt));
        var postal = stored.ContactPoints.Single(c => c.Kind == ContactKind.Postal);
        Assert.Equal(new PostalAddress("Kastanienallee 12", "Berlin", "BE", "10435", "DE"), postal.Address);
        Assert.True(postal.IsPrimary);
        Assert.Null(stored.ContactPoints.Single(c => c.Kind == ContactKind.Email).Address);

        var payment = await read.LedgerEntries.SingleAsync(e => e.Kind == EntryKind.Payment);
        Assert.Equal((new Money(-10000, Currency.EUR), new DateOnly(2026, 9, 2), invoice.Id, "PAY-1", Now), (payment.Amount, payment.EffectiveDate, payment.InvoiceId, payment.SourceId, payment.PostedAt));
        var allocations = await read.Allocations.Where(a => a.EntryId == payment.Id).OrderBy(a => a.Line).ToListAsync();
        Assert.Equal([(invoice.Id, -8990L), ((InvoiceId?)null, -1010L)], allocations.Select(a => (a.InvoiceId, a.AmountMinor)).Select(x => ((InvoiceId?)x.InvoiceId, x.AmountMinor)));
    }

    [Theory, MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task SourceId_IsUnique_SoAPaymentCanNeverBePostedTwice(DatabaseProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var debtor = new Debtor(DebtorId.New(Now), "D-1", "Pat Doe", DebtorKind.Person, DebtType.Consumer, null, Now);
        var ledger = AccountLedger.Open(new Account(AccountId.New(Now), debtor.Id, Currency.USD, Now));
        ledger.AddInvoice("INV-1", new DateOnly(2026, 8, 1), new DateOnly(2026, 8, 31), new Money(5000, Currency.USD), Now);
        ledger.PostPayment(new Money(1000, Currency.USD), new DateOnly(2026, 9, 2), Now, sourceId: "PAY-1");
        ledger.PostPayment(new Money(1000, Currency.USD), new DateOnly(2026, 9, 3), Now, sourceId: "PAY-1");

        await using var db = database.CreateContext();
        db.Debtors.Add(debtor);
        db.Accounts.Add(ledger.Account);
        db.Invoices.AddRange(ledger.NewInvoices);
        db.LedgerEntries.AddRange(ledger.NewEntries);
        db.Allocations.AddRange(ledger.NewAllocations);

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public void Resolve_ChoosesPostgresForConnectionStringsAndSqliteForPaths()
    {
        Assert.Equal(DatabaseProvider.Postgres, RecoupDatabase.Resolve("Host=db.internal;Database=recoup;Username=app").Provider);
        Assert.Equal(DatabaseProvider.Postgres, RecoupDatabase.Resolve(null, "postgres://app:secret@db.internal:5433/recoup").Provider);
        Assert.DoesNotContain("secret", RecoupDatabase.Resolve("postgres://app:secret@db.internal:5433/recoup").Description, StringComparison.Ordinal);
        Assert.Equal(DatabaseProvider.Sqlite, RecoupDatabase.Resolve("data/my.db").Provider);
        Assert.EndsWith("recoup.db", RecoupDatabase.Resolve(null, null).Description, StringComparison.Ordinal);
        Assert.EndsWith("env.db", RecoupDatabase.Resolve(" ", "env.db").Description, StringComparison.Ordinal);
    }
}
