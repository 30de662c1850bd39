using System.Globalization;
using Microsoft.Extensions.Options;
using Recoup.Domain;
using Recoup.Domain.Debtors;
using Recoup.Services.Contacts;

namespace Recoup.Web.Api;

/// <summary>A postal address, as a contact point holds it; <c>country</c> is an ISO 3166 alpha-2 code.</summary>
public sealed record AddressJson(string? Line1, string? City, string? Region, string? PostalCode, string? Country);

/// <summary>A consent to autodialed calls or texts: when it was given, how it was obtained, and when it was revoked (null while it stands).</summary>
public sealed record ConsentJson(DateTimeOffset GivenAt, string HowObtained, DateTimeOffset? RevokedAt)
{
    public static ConsentJson? From(Consent? consent) => consent is null ? null : new(consent.GivenAt, consent.HowObtained, consent.RevokedAt);
}

/// <summary>
/// One way to reach a debtor, with everything Recoup keeps about it. The first five fields are those
/// of <c>GET /api/debtors/{debtor_id}/contacts</c>.
/// </summary>
public sealed record ContactPointJson(
    ContactKind Kind,
    string Value,
    ContactStatus Status,
    ContactSource Source,
    bool Primary,
    string ContactPointId,
    string Normalized,
    PhoneType? PhoneType,
    bool IsWorkplace,
    IReadOnlyList<string> TimeZones,
    AddressJson? Address,
    string? SourceDetail,
    int? Confidence,
    ConsentJson? AutodialerConsent,
    ConsentJson? TextConsent,
    DateTimeOffset? OptedOutAt,
    DateTimeOffset CreatedAt)
{
    public static ContactPointJson From(ContactPoint c) => new(
        c.Kind, c.Value, c.Status, c.Source, c.IsPrimary, c.Id.ToString(), c.Normalized, c.PhoneType, c.IsWorkplace, c.TimeZones,
        c.Address is { } a ? new AddressJson(a.Line1, a.City, a.Region, a.PostalCode, a.Country) : null,
        c.SourceDetail, c.Confidence, ConsentJson.From(c.AutodialerConsent), ConsentJson.From(c.TextConsent), c.OptedOutAt, c.CreatedAt);
}

/// <summary>A new contact point: a phone or e-mail as <c>value</c>, a postal address as <c>address</c>.</summary>
/// <param name="Kind"><c>phone</c>, <c>email</c> or <c>postal</c>.</param>
/// <param name="PhoneType"><c>mobile</c>, <c>home</c> or <c>work</c> (phones only); without it the number's line type decides between mobile and unknown.</param>
/// <param name="Source"><c>original_creditor</c>, <c>debtor</c> or <c>skip_trace</c>.</param>
/// <param name="Country">For a phone without a country code: the country to read it in (default the debtor's address's country, else US).</param>
public sealed record ContactPointBody(string? Kind, string? Value, string? PhoneType, string? Source, bool? IsWorkplace, bool? Primary, string? Country, AddressJson? Address);

/// <summary>A consent given (<c>given</c> true, with <c>how_obtained</c> and optionally <c>at</c>) or revoked (<c>given</c> false).</summary>
public sealed record ConsentBody(bool? Given, string? At, string? HowObtained);

/// <summary>What to change on a contact point; leave out what stays as it is.</summary>
/// <param name="Status"><c>unverified</c>, <c>good</c>, <c>bad</c>, <c>disconnected</c> (phones) or <c>returned_mail</c> (addresses).</param>
/// <param name="Primary"><c>true</c> makes it the primary of its kind.</param>
/// <param name="OptedOut"><c>true</c>: the debtor asked not to be contacted here (cannot be undone).</param>
public sealed record ContactPointPatch(string? Status, bool? Primary, ConsentBody? AutodialerConsent, ConsentBody? TextConsent, bool? OptedOut);

/// <summary>
/// <c>/api/debtors/{debtorId}/contact-points</c>: a debtor's phones, e-mails and addresses with status,
/// source, consents and time zones; adding one; recording what was learned about one.
/// </summary>
public static class ContactPointEndpoints
{
    private const string AddExample = "{\"kind\":\"phone\",\"value\":\"(312) 555-0147\",\"phone_type\":\"mobile\",\"source\":\"debtor\"}";
    private const string PatchExample = "{\"status\":\"good\"} or {\"autodialer_consent\":{\"given\":true,\"how_obtained\":\"recorded call\"}}";

    public static void MapContactPoints(this IEndpointRouteBuilder api)
    {
        var points = api.MapGroup("/debtors/{debtorId}/contact-points").WithTags("Contact points");

        points.MapGet("/", ListAsync)
            .WithName("ListContactPoints")
            .WithSummary("The debtor's phone numbers, e-mail and postal addresses, with status, source, consents and time zones")
            .Produces<PageJson<ContactPointJson>>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        points.MapPost("/", AddAsync)
            .WithName("AddContactPoint")
            .WithSummary("Add a phone number, e-mail address or postal address to the debtor")
            .WithDescription("Phones are parsed (E.164, line type, time zones). A value the debtor already has is 409 with the existing point's id. " +
                "The account summaries (search, region, time zones) and every account's timeline are updated in the same transaction. Collector, supervisor, manager or admin.")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Workers))
            .Accepts<ContactPointBody>("application/json")
            .Produces<ContactPointJson>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        points.MapPatch("/{contactPointId}", ChangeAsync)
            .WithName("ChangeContactPoint")
            .WithSummary("Change a contact point's status, make it primary, record a consent given or revoked, or an opt-out")
            .WithDescription("All or nothing: every problem is listed and nothing is changed. Collector, supervisor, manager or admin.")
            .RequireAuthorization(p => p.RequireRole(ApiRoles.Workers))
            .Accepts<ContactPointPatch>("application/json")
            .Produces<ContactPointJson>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
    }

    private static async Task<IResult> ListAsync(string debtorId, ContactPoints points, CancellationToken ct)
    {
        var listed = await points.ListAsync(debtorId, ct);
        return listed.Error is { } error
            ? ApiProblems.From(error)
            : TypedResults.Ok(new PageJson<ContactPointJson>(listed.Value.Select(ContactPointJson.From).ToList(), null));
    }

    private static async Task<IResult> AddAsync(
        string debtorId, HttpContext http, ContactPoints points, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<ContactPointBody>(http, json.Value.SerializerOptions, AddExample, ct);
        if (problem is not null)
        {
            return problem;
        }

        var query = new QueryReader();
        var kind = BodyFields.Required<ContactKind>(query, "kind", body!.Kind);
        var source = BodyFields.Required<ContactSource>(query, "source", body.Source);
        var phoneType = body.PhoneType == "unknown" ? null : query.Enum<PhoneType>("phone_type", body.PhoneType);
        if (!query.IsValid)
        {
            return query.Problem();
        }

        var address = body.Address is { } a
            ? new PostalAddress(a.Line1?.Trim() ?? "", Blank(a.City), Blank(a.Region), Blank(a.PostalCode), Blank(a.Country)?.ToUpperInvariant())
            : null;
        var request = new NewContactPoint(kind!.Value, body.Value, address, phoneType, source!.Value, body.IsWorkplace ?? false, body.Primary ?? false, Blank(body.Country));
        var added = await points.AddAsync(debtorId, request, ApiCaller.Actor(http.User), ct);
        if (!added.Succeeded)
        {
            return Problem(added.Errors);
        }

        return TypedResults.Created($"/api/debtors/{Uri.EscapeDataString(debtorId)}/contact-points", ContactPointJson.From(added.Point!));
    }

    private static async Task<IResult> ChangeAsync(
        string debtorId, string contactPointId, HttpContext http, ContactPoints points, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        if (!Guid.TryParse(contactPointId, out var id))
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "Contact point not found", $"There is no contact point '{contactPointId}'", ContactPoints.PointNotFound);
        }

        var (body, problem) = await JsonBody.ReadAsync<ContactPointPatch>(http, json.Value.SerializerOptions, PatchExample, ct);
        if (problem is not null)
        {
            return problem;
        }

        var query = new QueryReader();
        var status = query.Enum<ContactStatus>("status", body!.Status);
        if (body.Primary == false)
        {
            query.Add("primary", "A contact point stops being primary when another of its kind is made primary; send primary true on that one");
        }

        if (body.OptedOut == false)
        {
            query.Add("opted_out", "An opt-out cannot be withdrawn; record a new consent instead");
        }

        var autodialer = Consent(query, "autodialer_consent", body.AutodialerConsent);
        var text = Consent(query, "text_consent", body.TextConsent);
        if (!query.IsValid)
        {
            return query.Problem();
        }

        var change = new ContactPointChange(status, body.Primary == true, autodialer, text, body.OptedOut == true);
        var changed = await points.ChangeAsync(debtorId, new ContactPointId(id), change, ApiCaller.Actor(http.User), ct);
        return changed.Succeeded ? TypedResults.Ok(ContactPointJson.From(changed.Point!)) : Problem(changed.Errors);
    }

    private static ConsentChange? Consent(QueryReader query, string field, ConsentBody? body)
    {
        if (body is null)
        {
            return null;
        }

        if (body.Given is null)
        {
            query.Add($"{field}.given", "Say whether the consent was given (true) or revoked (false)");
            return null;
        }

        DateTimeOffset? at = null;
        if (body.At is not null)
        {
            if (DateTimeOffset.TryParse(body.At, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                at = parsed;
            }
            else
            {
                query.Add($"{field}.at", $"'{body.At}' is not a date and time like 2026-11-20T15:00:00Z");
            }
        }

        return new ConsentChange(body.Given.Value, at, body.HowObtained);
    }

    /// <summary>Not found when the debtor or the point is unknown, 409 for a value the debtor has, else 400 naming every field.</summary>
    private static IResult Problem(IReadOnlyList<Error> errors)
    {
        if (errors is [var only] && only.Code is ContactPoints.DebtorNotFound or ContactPoints.PointNotFound)
        {
            return only.Code == ContactPoints.DebtorNotFound
                ? ApiProblems.From(only)
                : ApiProblems.Problem(StatusCodes.Status404NotFound, "Contact point not found", only.Message, only.Code);
        }

        if (errors is [var exists] && exists.Code == ContactPoints.AlreadyThere)
        {
            return ApiProblems.Problem(StatusCodes.Status409Conflict, "The debtor already has this contact point", exists.Message, exists.Code);
        }

        return BodyFields.Problems(errors);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
