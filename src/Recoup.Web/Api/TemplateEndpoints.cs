using Microsoft.Extensions.Options;
using Recoup.Data.Identity;
using Recoup.Data.Messaging.Templates;
using Recoup.Services.Messaging.Templates;

namespace Recoup.Web.Api;

/// <summary>A template's live version in the list.</summary>
public sealed record TemplateSummaryJson(string Key, string Channel, string Language, int Version, string? Subject, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>One version of a template.</summary>
public sealed record TemplateJson(string Key, string Channel, string Language, int Version, string? Subject, string Body, string? Html, string CreatedBy, DateTimeOffset CreatedAt, string? Note)
{
    public static TemplateJson From(MessageTemplateVersion t) =>
        new(t.Key, MessageTemplates.ChannelName(t.Channel), t.Language, t.Version, t.Subject, t.Body, t.Html, t.CreatedBy, t.CreatedAt, t.Note);
}

/// <summary>A new version as sent: <c>body</c> required; <c>subject</c> required for e-mails; <c>html</c> optional.</summary>
public sealed record TemplateBody(string? Subject, string? Body, string? Html, string? Note);

/// <summary>A problem with a template at a line of one of its parts.</summary>
public sealed record TemplateProblemJson(string Part, int Line, string Message, string? Variable);

/// <summary>A rendered preview against the sample account.</summary>
public sealed record PreviewJson(string? Subject, string Text, string? Html);

/// <summary>
/// <c>/api/templates</c>: list the live templates, read one and its history, save a new version (refused with every
/// problem and its line), preview a draft against the sample account. Managers and admins.
/// </summary>
public static class TemplateEndpoints
{
    public static IServiceCollection AddRecoupTemplates(this IServiceCollection services)
    {
        services.AddSingleton(provider => MessagingSettings.Load(provider.GetService<IConfiguration>()));
        services.AddScoped<MessageTemplates>();
        services.AddScoped<ComposeMessage>();
        return services;
    }

    public static void MapTemplates(this IEndpointRouteBuilder api)
    {
        var templates = api.MapGroup("/templates").WithTags("Templates").RequireAuthorization(p => p.RequireRole(Roles.Manager, Roles.Admin));
        templates.MapGet("", ListAsync).WithSummary("The live version of every template (key, channel, language).");
        templates.MapGet("/{key}/{channel}/{language}", GetAsync).WithSummary("One template: the live version, or ?version=N; ?history=true lists every version.");
        templates.MapPost("/{key}/{channel}/{language}", SaveAsync).WithSummary("Saves a new version, which becomes live; 400 with problems[] (part, line, message, variable) when it is wrong.");
        templates.MapPost("/{key}/{channel}/{language}/preview", PreviewAsync).WithSummary("Renders a draft against the sample account without saving it.");
    }

    private static async Task<IResult> ListAsync(MessageTemplates templates, CancellationToken ct) =>
        TypedResults.Ok((await templates.ListAsync(ct)).Select(t =>
            new TemplateSummaryJson(t.Key, MessageTemplates.ChannelName(t.Channel), t.Language, t.Version, t.Subject, t.CreatedBy, t.CreatedAt)));

    private static async Task<IResult> GetAsync(string key, string channel, string language, int? version, bool? history, MessageTemplates templates, CancellationToken ct)
    {
        if (MessageTemplates.ParseChannel(channel) is not { } medium)
        {
            return ApiProblems.Invalid("channel", $"'{channel}' is not a channel; use email, sms or letter");
        }

        if (history == true)
        {
            var all = await templates.HistoryAsync(key, medium, language, ct);
            return all.IsSuccess ? TypedResults.Ok(all.Value.Select(TemplateJson.From)) : NotFound(all.Error!);
        }

        var found = await templates.GetAsync(key, medium, language, version, ct);
        return found.IsSuccess ? TypedResults.Ok(TemplateJson.From(found.Value)) : NotFound(found.Error!);
    }

    private static async Task<IResult> SaveAsync(
        string key, string channel, string language, HttpContext http, MessageTemplates templates, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        if (MessageTemplates.ParseChannel(channel) is not { } medium)
        {
            return ApiProblems.Invalid("channel", $"'{channel}' is not a channel; use email, sms or letter");
        }

        var (body, problem) = await JsonBody.ReadAsync<TemplateBody>(http, json.Value.SerializerOptions, "{\"subject\":\"…\",\"body\":\"Dear {{ debtor.name }}, …\"}", ct, "template");
        if (problem is not null)
        {
            return problem;
        }

        var request = new SaveTemplate(key, medium, language, body!.Subject, body.Body ?? "", body.Html, body.Note);
        var problems = MessageTemplates.Validate(request);
        if (problems.Count > 0)
        {
            return Problems(problems);
        }

        var saved = await templates.SaveAsync(request, ApiCaller.Actor(http.User), ct);
        return saved.IsSuccess
            ? TypedResults.Created($"/api/templates/{key}/{channel}/{language}?version={saved.Value.Version}", TemplateJson.From(saved.Value))
            : ApiProblems.From(saved.Error!);
    }

    private static async Task<IResult> PreviewAsync(
        string key, string channel, string language, HttpContext http, MessageTemplates templates, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        if (MessageTemplates.ParseChannel(channel) is not { } medium)
        {
            return ApiProblems.Invalid("channel", $"'{channel}' is not a channel; use email, sms or letter");
        }

        var (body, problem) = await JsonBody.ReadAsync<TemplateBody>(http, json.Value.SerializerOptions, "{\"body\":\"Dear {{ debtor.name }}, …\"}", ct, "template");
        if (problem is not null)
        {
            return problem;
        }

        var request = new SaveTemplate(key, medium, language, body!.Subject, body.Body ?? "", body.Html);
        var problems = TemplateCheck.Check("subject", request.Subject).Concat(TemplateCheck.Check("body", request.Body)).Concat(TemplateCheck.Check("html", request.Html)).ToList();
        if (problems.Count > 0)
        {
            return Problems(problems);
        }

        var rendered = templates.Preview(request);
        return rendered.IsSuccess ? TypedResults.Ok(new PreviewJson(rendered.Value.Subject, rendered.Value.Text, rendered.Value.Html)) : ApiProblems.From(rendered.Error!);
    }

    private static IResult NotFound(Domain.Error error) => ApiProblems.Problem(StatusCodes.Status404NotFound, "Template not found", error.Message, error.Code);

    private static IResult Problems(IReadOnlyList<TemplateProblem> problems)
    {
        var result = ApiProblems.Invalid(problems.GroupBy(p => p.Part).ToDictionary(g => g.Key, g => g.Select(p => $"line {p.Line}: {p.Message}").ToArray()));
        result.ProblemDetails.Extensions["code"] = "template_invalid";
        result.ProblemDetails.Extensions["problems"] = problems.Select(p => new TemplateProblemJson(p.Part, p.Line, p.Message, p.Variable)).ToList();
        return result;
    }
}
