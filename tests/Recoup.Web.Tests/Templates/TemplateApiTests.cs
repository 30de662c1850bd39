using System.Net;
using Recoup.Data.Identity;

namespace Recoup.Web.Tests.Templates;

/// <summary>The templates API: list, save a version (a wrong one refused with its line), preview; managers and admins only.</summary>
public abstract class TemplateApiTests(ApiFixture fixture)
{
    [Fact]
    public async Task A_manager_saves_a_new_version_and_a_misspelt_name_is_refused_with_its_line()
    {
        var manager = fixture.As(Roles.Manager);
        var list = await Json.GetAsync(manager, "/api/templates");
        Assert.Contains(list.EnumerateArray(), t => t.Str("key") == "validation_notice" && t.Str("channel") == "letter" && t.Str("language") == "es");

        var wrong = await Json.ProblemAsync(
            await Json.PostAsync(manager, "/api/templates/paid_in_full/sms/en", new { body = "Thanks {{ debtor.name }}\nfor paying {{ balance.totl }}" }), HttpStatusCode.BadRequest);
        Assert.Equal("template_invalid", wrong.Str("code"));
        var problem = Assert.Single(wrong.GetProperty("problems").EnumerateArray());
        Assert.Equal(("body", 2, "balance.totl"), (problem.Str("part"), problem.GetProperty("line").GetInt32(), problem.Str("variable")));

        var saved = await Json.ReadAsync(
            await Json.PostAsync(manager, "/api/templates/paid_in_full/sms/en", new { body = "Thanks {{ debtor.name }}, account {{ account.number }} is paid.", note = "friendlier" }), HttpStatusCode.Created);
        var version = saved.GetProperty("version").GetInt32();
        Assert.True(version >= 2);
        var live = await Json.GetAsync(manager, "/api/templates/paid_in_full/sms/en");
        Assert.Equal(version, live.GetProperty("version").GetInt32());
        var history = await Json.GetAsync(manager, "/api/templates/paid_in_full/sms/en?history=true");
        Assert.Equal(1, history.EnumerateArray().Last().GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task A_preview_renders_the_sample_account_with_the_opt_out_link_and_a_collector_may_not_edit()
    {
        var preview = await Json.ReadAsync(await Json.PostAsync(fixture.As(Roles.Admin), "/api/templates/first_reminder/email/es/preview",
            new { subject = "Hola {{ debtor.name }}", body = "Debe {{ balance.current }}." }), HttpStatusCode.OK);
        Assert.Equal("Hola María Núñez", preview.Str("subject"));
        Assert.Contains("1.043,50 USD", preview.Str("text"), StringComparison.Ordinal);
        Assert.Contains("/opt-out/", preview.Str("html"), StringComparison.Ordinal);

        var refused = await fixture.As(Roles.Collector).GetAsync("/api/templates");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var missing = await Json.ProblemAsync(await fixture.As(Roles.Manager).GetAsync("/api/templates/no_such/email/en"), HttpStatusCode.NotFound);
        Assert.Equal("template_not_found", missing.Str("code"));
    }
}

[Collection("sqlite")]
public sealed class SqliteTemplateApiTests(SqliteApi fixture) : TemplateApiTests(fixture);

[Collection("postgres")]
public sealed class PostgresTemplateApiTests(PostgresApi fixture) : TemplateApiTests(fixture);
