using System.ComponentModel;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Recoup.Services.Contacts;

namespace Recoup.Web.Api;

/// <summary>What a skip-trace import added: new contact points, and rows whose value the debtor already had (left exactly as they were).</summary>
public sealed record SkipTraceResultJson(string File, int Rows, int Added, int AlreadyKnown);

/// <summary>One problem in an uploaded file: the line (0 for the file as a whole), the column when one is at fault, and what is wrong.</summary>
public sealed record FileErrorJson(int Line, string? Column, string Message);

/// <summary><c>POST /api/imports/skip-trace</c>: skip-trace results as CSV, all or nothing.</summary>
public static class SkipTraceEndpoints
{
    public static void MapSkipTrace(this IEndpointRouteBuilder api)
    {
        api.MapPost("/imports/skip-trace", ImportAsync)
            .WithTags("Imports")
            .WithName("ImportSkipTrace")
            .WithSummary("Import skip-trace results (CSV: debtor_id,kind,value,source,confidence)")
            .WithDescription("The body is the CSV file itself, `Content-Type: text/csv`. The whole file is checked first: any error (a bad value, an unknown debtor) " +
                "is a 400 listing every problem with its line and column, and nothing is added. Values a debtor already has are left exactly as they were " +
                "(a verified number keeps its status). Supervisor, manager or admin. See docs/contacts.md.")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Supervisors))
            .Accepts<string>("text/csv")
            .Produces<SkipTraceResultJson>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
    }

    private static async Task<IResult> ImportAsync(
        HttpContext http,
        ImportSkipTrace import,
        [FromQuery(Name = "file_name"), Description("The file's name, for the errors and the audit log; default skip-trace.csv.")] string? fileName,
        CancellationToken ct)
    {
        if (!string.Equals(http.Request.ContentType?.Split(';')[0].Trim(), "text/csv", StringComparison.OrdinalIgnoreCase))
        {
            return ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, "Send CSV",
                "Send the file as the body with 'Content-Type: text/csv' (curl --data-binary @results.csv -H 'Content-Type: text/csv').", "unsupported_media_type");
        }

        var name = string.IsNullOrWhiteSpace(fileName) ? Recoup.Formats.Csv.SkipTraceCsv.DefaultFileName : fileName.Trim();
        if (name.Length > 64)
        {
            return ApiProblems.Invalid("file_name", "The file name is at most 64 characters");
        }

        // Read whole first: the CSV reader reads synchronously, which the server does not allow on a request body.
        using var body = new StreamReader(http.Request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var text = await body.ReadToEndAsync(ct);
        var outcome = await import.RunAsync(new StringReader(text), name, ApiCaller.Actor(http.User), ct);
        if (!outcome.Succeeded)
        {
            var problem = ApiProblems.Problem(StatusCodes.Status400BadRequest, "The file has errors; nothing was imported",
                $"{outcome.Errors.Count} problem{(outcome.Errors.Count == 1 ? "" : "s")} in {name}, listed in errors with their line and column. Fix the file and send it again.",
                "invalid_file");
            problem.ProblemDetails.Extensions["errors"] = outcome.Errors.Select(e => new FileErrorJson(e.Line, e.Column, e.Message)).ToList();
            return problem;
        }

        return TypedResults.Ok(new SkipTraceResultJson(name, outcome.Added + outcome.AlreadyKnown, outcome.Added, outcome.AlreadyKnown));
    }
}
