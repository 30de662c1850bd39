using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Recoup.Data.Identity;
using Recoup.Domain.Debtors;

namespace Recoup.Web.Tests;

/// <summary><c>POST /api/imports/skip-trace</c>: a CSV body, all or nothing, never overwriting what the debtor has.</summary>
public abstract class SkipTraceTests(ApiFixture fixture)
{
    private const string Header = "debtor_id,kind,value,source,confidence\n";

    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, string csv, string? fileName = null) =>
        client.PostAsync("/api/imports/skip-trace" + (fileName is null ? "" : $"?file_name={fileName}"), new StringContent(csv, Encoding.UTF8, "text/csv"));

    private async Task<int> PointCountAsync()
    {
        await using var db = fixture.Database.CreateContext();
        return await db.ContactPoints.CountAsync();
    }

    [Fact]
    public async Task AGoodFile_AddsNewPoints_AndLeavesAVerifiedNumberExactlyAsItWas()
    {
        var (debtor, account) = await TestDebtors.AddAsync(fixture, "Dina Park", ",+1 720 555 0150,,,,,,");
        var phone = (await TestDebtors.PointsAsync(fixture, debtor, ContactKind.Phone)).Single();
        var collector = fixture.As(Roles.Collector);
        var verified = await collector.SendAsync(new HttpRequestMessage(HttpMethod.Patch, $"/api/debtors/{debtor}/contact-points/{phone}") { Content = JsonContent.Create(new { status = "good" }) });
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);

        var csv = Header +
                  $"{debtor},home,(720) 555-0150,TraceCo,30\n" +
                  $"{debtor},mobile,+1 213 555 0177,TraceCo,85\n" +
                  $"{debtor},postal,\"77 Pine St, Apt 2, Denver, CO 80202\",TraceCo,60\n";
        var result = await Json.ReadAsync(await UploadAsync(fixture.As(Roles.Supervisor), csv, "trace-0412.csv"), HttpStatusCode.OK);

        Assert.Equal(["file", "rows", "added", "already_known"], result.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("trace-0412.csv", 3, 2, 1), (result.Str("file"), result.GetProperty("rows").GetInt32(), result.GetProperty("added").GetInt32(), result.GetProperty("already_known").GetInt32()));
        var points = (await Json.GetAsync(collector, $"/api/debtors/{debtor}/contact-points")).Items().ToList();
        var original = points.Single(p => p.Str("contact_point_id") == phone);
        Assert.Equal(("good", "original_creditor", "+1 720 555 0150", true), (original.Str("status"), original.Str("source"), original.Str("value"), original.GetProperty("primary").GetBoolean()));
        var mobile = points.Single(p => p.Str("normalized") == "+12135550177");
        Assert.Equal(("skip_trace", "TraceCo", 85, "unverified", false), (mobile.Str("source"), mobile.Str("source_detail"), mobile.GetProperty("confidence").GetInt32(), mobile.Str("status"), mobile.GetProperty("primary").GetBoolean()));
        Assert.Equal(["America/Denver"], points.Single(p => p.Str("kind") == "postal").GetProperty("time_zones").EnumerateArray().Select(z => z.GetString()));
        var summary = (await Json.GetAsync(collector, "/api/accounts?search=2135550177")).Items().Single();
        Assert.Equal(account, summary.Str("account_id"));
    }

    [Fact]
    public async Task ABadFile_Is400_ListingEveryErrorWithLineAndColumn_AndNothingIsApplied()
    {
        var (debtor, _) = await TestDebtors.AddAsync(fixture, "Eli Frost");
        var before = await PointCountAsync();
        var csv = Header +
                  $"{debtor},mobile,+1 213 555 0178,TraceCo,85\n" +
                  $"{debtor},mobile,555-01,TraceCo,85\n" +
                  $"{debtor},fax,+1 213 555 0179,TraceCo,85\n" +
                  $"{debtor},email,eli@example.com,TraceCo,101\n";

        var problem = await Json.ProblemAsync(await UploadAsync(fixture.As(Roles.Admin), csv), HttpStatusCode.BadRequest);

        Assert.Equal(("invalid_file", "The file has errors; nothing was imported"), (problem.Str("code"), problem.Str("title")));
        Assert.Equal("3 problems in skip-trace.csv, listed in errors with their line and column. Fix the file and send it again.", problem.Str("detail"));
        Assert.Equal(
            [
                (3, "value", "'555-01' is not a phone number: it has too few digits"),
                (4, "kind", "'fax' is not one of mobile, home, work, phone, email, postal"),
                (5, "confidence", "101 is out of range; confidence is a whole number from 0 to 100"),
            ],
            problem.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("line").GetInt32(), e.Str("column"), e.Str("message"))));
        Assert.Equal(before, await PointCountAsync());

        var unknown = await Json.ProblemAsync(await UploadAsync(fixture.As(Roles.Admin), Header + $"{debtor},email,eli@example.com,TraceCo,90\nNO-SUCH-DEBTOR,email,x@example.com,TraceCo,90\n"),
            HttpStatusCode.BadRequest);
        var error = Assert.Single(unknown.GetProperty("errors").EnumerateArray());
        Assert.Equal((3, "debtor_id", "There is no debtor 'NO-SUCH-DEBTOR'"), (error.GetProperty("line").GetInt32(), error.Str("column"), error.Str("message")));
        Assert.Equal(before, await PointCountAsync());
    }

    [Fact]
    public async Task OnlyCsv_FromASupervisorManagerOrAdmin()
    {
        var csv = Header;
        Assert.Equal("forbidden", (await Json.ProblemAsync(await UploadAsync(fixture.As(Roles.Collector), csv), HttpStatusCode.Forbidden)).Str("code"));
        await Json.ProblemAsync(await UploadAsync(fixture.As(Roles.Auditor), csv), HttpStatusCode.Forbidden);
        var json = await Json.ProblemAsync(await Json.PostAsync(fixture.As(Roles.Manager), "/api/imports/skip-trace", new { csv }), HttpStatusCode.UnsupportedMediaType);
        Assert.Equal("unsupported_media_type", json.Str("code"));
        var empty = await Json.ReadAsync(await UploadAsync(fixture.As(Roles.Manager), csv), HttpStatusCode.OK);
        Assert.Equal(0, empty.GetProperty("rows").GetInt32());
    }
}

[Collection("sqlite")]
public sealed class SqliteSkipTraceTests(SqliteApi fixture) : SkipTraceTests(fixture);

[Collection("postgres")]
public sealed class PostgresSkipTraceTests(PostgresApi fixture) : SkipTraceTests(fixture);
