using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Recoup.Data.Identity;
using Recoup.Domain.Ledger;

namespace Recoup.Web.Tests;

/// <summary>Payment file imports and the unmatched-payments queue through the API.</summary>
public abstract class PaymentImportTests(ApiFixture fixture)
{
    private const string Header = "payment_id,debtor_id,received_on,amount,currency,invoice_id\n";

    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, string content, string query = "?file_name=lockbox.csv") =>
        client.PostAsync("/api/payments/imports" + query, new ByteArrayContent(Encoding.UTF8.GetBytes(content)) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } });

    private async Task<long> PaidAsync(string accountId)
    {
        await using var db = fixture.Database.CreateContext();
        var id = new Domain.AccountId(Guid.Parse(accountId));
        return (await db.LedgerEntries.Where(e => e.AccountId == id && e.Kind == EntryKind.Payment).Select(e => e.AmountMinor).ToListAsync()).Sum();
    }

    [Fact]
    public async Task AnImport_PostsTheConfidentMatch_QueuesTheOther_AndAPersonMatchesItOnce()
    {
        var (paying, payingAccount) = await TestDebtors.AddAsync(fixture, "Ines Calloway");
        var (_, otherAccount) = await TestDebtors.AddAsync(fixture, "Ruben Ostrander");
        var unknown = $"X{Guid.NewGuid():N}"[..12];
        var csv = Header + $"{paying}-P,{paying},2026-11-20,500.00,USD,{paying}-INV\n{unknown}-P,{unknown},2026-11-21,123.45,USD,\n";

        var imported = await Json.ReadAsync(await UploadAsync(fixture.As(Roles.Supervisor), csv), HttpStatusCode.Created);

        Assert.Equal(("csv", "lockbox.csv", 2, 1, 1, 1, "50.0"), (imported.Str("format"), imported.Str("file_name"), imported.GetProperty("records").GetInt32(),
            imported.GetProperty("matched").GetInt32(), imported.GetProperty("unmatched").GetInt32(), imported.GetProperty("posted").GetInt32(), imported.Str("auto_match_rate")));
        Assert.Equal("623.45", imported.GetProperty("total").GetProperty("USD").GetString());
        Assert.Equal(-50_000, await PaidAsync(payingAccount));
        var stored = await Json.GetAsync(fixture.As(Roles.Auditor), $"/api/payments/imports/{imported.Str("import_id")}");
        Assert.Equal((2, 1, "50.0", imported.Str("sha256")), (stored.GetProperty("records").GetInt32(), stored.GetProperty("unmatched").GetInt32(), stored.Str("auto_match_rate"), stored.Str("sha256")));

        var collector = fixture.As(Roles.Collector);
        var queued = (await Json.GetAsync(collector, "/api/payments/unmatched?limit=200")).Items().Single(p => p.Str("bank_reference") == $"{unknown}-P");
        Assert.Equal(("123.45", "open", 3), (queued.GetProperty("amount").Str("amount"), queued.Str("status"), queued.GetProperty("line").GetInt32()));
        Assert.Equal([unknown], queued.GetProperty("references").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("no reference, amount or payer name matched an account", queued.Str("reason"));

        var url = $"/api/payments/unmatched/{queued.Str("unmatched_payment_id")}/match";
        var first = await Json.ReadAsync(await collector.PostAsJsonAsync(url, new { account_id = otherAccount }), HttpStatusCode.Created);
        var again = await Json.ReadAsync(await collector.PostAsJsonAsync(url, new { account_id = otherAccount }));
        var elsewhere = await Json.ProblemAsync(await collector.PostAsJsonAsync(url, new { account_id = payingAccount }), HttpStatusCode.Conflict);

        Assert.Equal((false, true), (first.GetProperty("already_matched").GetBoolean(), again.GetProperty("already_matched").GetBoolean()));
        Assert.Equal(first.Str("entry_id"), again.Str("entry_id"));
        Assert.Equal("already_matched", elsewhere.Str("code"));
        Assert.Equal(-12_345, await PaidAsync(otherAccount));
        Assert.Contains("payment.matched", await TestDebtors.AuditActionsAsync(fixture, otherAccount));
        var matched = (await Json.GetAsync(collector, "/api/payments/unmatched?status=matched&limit=200")).Items().Single(p => p.Str("unmatched_payment_id") == queued.Str("unmatched_payment_id"));
        Assert.Equal((otherAccount, "collector (api key: collector tests)"), (matched.Str("matched_account_id"), matched.Str("matched_by")));
    }

    [Fact]
    public async Task AQueuedPaymentThatIsNotOurs_IsReturnedToThePayerOnce_AndCannotBeMatchedAfterwards()
    {
        var (_, someAccount) = await TestDebtors.AddAsync(fixture, "Petra Lindqvist");
        var stranger = $"Z{Guid.NewGuid():N}"[..12];
        await Json.ReadAsync(await UploadAsync(fixture.As(Roles.Supervisor), Header + $"{stranger}-P,{stranger},2026-11-21,77.70,USD,\n", "?file_name=return.csv"), HttpStatusCode.Created);
        var collector = fixture.As(Roles.Collector);
        var queued = (await Json.GetAsync(collector, "/api/payments/unmatched?limit=200")).Items().Single(p => p.Str("bank_reference") == $"{stranger}-P");
        var url = $"/api/payments/unmatched/{queued.Str("unmatched_payment_id")}/return";

        var noReason = await Json.ProblemAsync(await collector.PostAsJsonAsync(url, new { reason = "" }), HttpStatusCode.BadRequest);
        var first = await Json.ReadAsync(await collector.PostAsJsonAsync(url, new { reason = "No account for this payer" }), HttpStatusCode.Created);
        var again = await Json.ReadAsync(await collector.PostAsJsonAsync(url, new { reason = "No account for this payer" }));
        var match = await Json.ProblemAsync(await collector.PostAsJsonAsync($"/api/payments/unmatched/{queued.Str("unmatched_payment_id")}/match", new { account_id = someAccount }), HttpStatusCode.Conflict);

        Assert.Contains("reason", noReason.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(("77.70", false, true), (first.GetProperty("amount").Str("amount"), first.GetProperty("already_returned").GetBoolean(), again.GetProperty("already_returned").GetBoolean()));
        Assert.Equal(first.Str("instruction_id"), again.Str("instruction_id"));
        Assert.Equal("returned_to_bank", match.Str("code"));
        Assert.Equal(0, await PaidAsync(someAccount));
        var returned = (await Json.GetAsync(collector, "/api/payments/unmatched?status=returned_to_bank&limit=200")).Items().Single(p => p.Str("unmatched_payment_id") == queued.Str("unmatched_payment_id"));
        Assert.Equal("No account for this payer", returned.Str("return_reason"));
    }

    [Fact]
    public async Task TheSameFileAgain_Is409NamingTheImport_AndABadFile_Is400NamingTheLine()
    {
        var (debtor, account) = await TestDebtors.AddAsync(fixture, "Tomasz Wielgus");
        var csv = Header + $"{debtor}-P,{debtor},2026-11-20,100.00,USD,\n";
        var supervisor = fixture.As(Roles.Supervisor);
        var first = await Json.ReadAsync(await UploadAsync(supervisor, csv), HttpStatusCode.Created);

        var again = await Json.ProblemAsync(await UploadAsync(supervisor, csv, "?file_name=copy.csv"), HttpStatusCode.Conflict);
        var bad = await Json.ProblemAsync(await UploadAsync(supervisor, csv + $"{debtor}-Q,{debtor},2026-11-20,abc,USD,\n"), HttpStatusCode.BadRequest);

        Assert.Equal(("already_imported", first.Str("import_id")), (again.Str("code"), again.Str("import_id")));
        Assert.StartsWith("copy.csv was already imported on 2026-11-23 09:00 UTC as import ", again.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(("invalid_file", 3, "amount"), (bad.Str("code"), bad.GetProperty("line").GetInt32(), bad.Str("field")));
        Assert.StartsWith("lockbox.csv line 3, amount: ", bad.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(-10_000, await PaidAsync(account));
    }

    [Fact]
    public async Task AnApiKeyMaySendAForm_ACollectorMayNotImport_AndADryRunWritesNothing()
    {
        var (debtor, account) = await TestDebtors.AddAsync(fixture, "Priya Raman");
        var csv = Header + $"{debtor}-P,{debtor},2026-11-20,40.00,USD,\n";
        var forbidden = await UploadAsync(fixture.As(Roles.Collector), csv);
        var dry = await Json.ReadAsync(await UploadAsync(fixture.As(Roles.Manager), csv, "?dry_run=true&format=csv"));
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "lockbox-form.csv" } };
        var posted = await Json.ReadAsync(await fixture.As(Roles.Admin).PostAsync("/api/payments/imports", form), HttpStatusCode.Created);

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal((true, 1, 0), (dry.GetProperty("dry_run").GetBoolean(), dry.GetProperty("matched").GetInt32(), dry.GetProperty("posted").GetInt32()));
        Assert.Equal(("lockbox-form.csv", 1), (posted.Str("file_name"), posted.GetProperty("posted").GetInt32()));
        Assert.Equal(-4_000, await PaidAsync(account));
    }
}

[Collection("sqlite")]
public sealed class SqlitePaymentImportTests(SqliteApi fixture) : PaymentImportTests(fixture);

[Collection("postgres")]
public sealed class PostgresPaymentImportTests(PostgresApi fixture) : PaymentImportTests(fixture);
