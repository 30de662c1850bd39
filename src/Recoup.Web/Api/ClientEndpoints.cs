using Microsoft.Extensions.Options;
using Recoup.Services.Clients;

namespace Recoup.Web.Api;

/// <summary>A creditor client; <c>debtors</c> is how many debtors it placed.</summary>
public sealed record ClientJson(string Code, string Name, bool Active, DateTimeOffset CreatedAt, int Debtors)
{
    public static ClientJson From(ClientView c) => new(c.Code, c.Name, c.Active, c.CreatedAt, c.Debtors);
}

/// <summary>A new client: both fields required; the code is upper-cased.</summary>
public sealed record NewClientBody(string? Code, string? Name);

/// <summary>A change to a client: a new name, and/or whether it is active; an absent field is left as it is.</summary>
public sealed record ClientChangeBody(string? Name, bool? Active);

/// <summary><c>/api/clients</c>: the creditor clients (docs/clients.md). Everyone signed in reads them; managers and admins add and change them.</summary>
public static class ClientEndpoints
{
    public static void MapClients(this IEndpointRouteBuilder api)
    {
        var clients = api.MapGroup("/clients").WithTags("Clients");

        clients.MapGet("", ListAsync)
            .WithName("ListClients")
            .WithSummary("The creditor clients, by code, with how many debtors each placed")
            .Produces<PageJson<ClientJson>>();

        clients.MapGet("/{code}", GetAsync)
            .WithName("GetClient")
            .WithSummary("One client")
            .Produces<ClientJson>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        clients.MapPost("", AddAsync)
            .RequireAuthorization(Policies.ManageClients)
            .WithName("AddClient")
            .WithSummary("Add a client")
            .WithDescription("The code (2 to 16 letters, digits, '-' or '_') is unique and never changes; imports, report filters and strategies name the client by it. Manager or admin.")
            .Accepts<NewClientBody>("application/json")
            .Produces<ClientJson>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        clients.MapPut("/{code}", UpdateAsync)
            .RequireAuthorization(Policies.ManageClients)
            .WithName("ChangeClient")
            .WithSummary("Rename a client, or make it active or inactive")
            .WithDescription("An inactive client keeps its debtors; the import refuses new debtors for it. Manager or admin.")
            .Accepts<ClientChangeBody>("application/json")
            .Produces<ClientJson>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
    }

    private static async Task<IResult> ListAsync(ClientBook book, CancellationToken ct) =>
        TypedResults.Ok(new PageJson<ClientJson>((await book.ListAsync(ct)).Select(ClientJson.From).ToList(), null));

    private static async Task<IResult> GetAsync(string code, ClientBook book, CancellationToken ct) =>
        await book.FindAsync(code, ct) is { } client ? TypedResults.Ok(ClientJson.From(client)) : NotFound(code);

    private static async Task<IResult> AddAsync(HttpContext http, ClientBook book, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<NewClientBody>(http, json.Value.SerializerOptions, "{\"code\":\"ACME\",\"name\":\"Acme Health Partners\"}", ct);
        if (problem is not null)
        {
            return problem;
        }

        var (client, errors) = await book.AddAsync(body!.Code, body.Name, ApiCaller.Actor(http.User), ct);
        if (errors is [{ Code: ClientBook.CodeTaken } taken])
        {
            return ApiProblems.Problem(StatusCodes.Status409Conflict, "Client code taken", taken.Message, taken.Code);
        }

        return client is null ? BodyFields.Problems(errors) : TypedResults.Created($"/api/clients/{client.Code}", ClientJson.From(client));
    }

    private static async Task<IResult> UpdateAsync(string code, HttpContext http, ClientBook book, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<ClientChangeBody>(http, json.Value.SerializerOptions, "{\"name\":\"Acme Health Partners LLC\",\"active\":true}", ct);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.Name is null && body.Active is null)
        {
            return ApiProblems.Invalid("name", "Give a new name, or active true or false");
        }

        var (client, errors) = await book.UpdateAsync(code, body.Name, body.Active, ApiCaller.Actor(http.User), ct);
        if (errors is [{ Code: ClientBook.NotFound }])
        {
            return NotFound(code);
        }

        return client is null ? BodyFields.Problems(errors) : TypedResults.Ok(ClientJson.From(client));
    }

    private static IResult NotFound(string code) =>
        ApiProblems.Problem(StatusCodes.Status404NotFound, "Client not found", $"There is no client '{code}'", ClientBook.NotFound);
}
