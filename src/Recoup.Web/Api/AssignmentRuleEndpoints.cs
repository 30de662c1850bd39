using System.Globalization;
using Microsoft.Extensions.Options;
using Recoup.Domain.Debtors;
using Recoup.Domain.WorkQueues;
using Recoup.Services.WorkQueues;

namespace Recoup.Web.Api;

/// <summary>
/// An assignment rule. Balances are decimal strings in major units (<c>"1000.00"</c>); the band is
/// <c>min_balance</c> inclusive to <c>max_balance</c> exclusive, null for no bound.
/// </summary>
public sealed record AssignmentRuleJson(
    string RuleId, int Order, string Name, DebtType? DebtType, string? MinBalance, string? MaxBalance, IReadOnlyList<string> Regions, string? Language,
    IReadOnlyList<string> Collectors)
{
    public static AssignmentRuleJson From(AssignmentRule rule) => new(
        rule.Id.ToString(), rule.Order, rule.Name, rule.DebtType, BalanceBand.Format(rule.MinBalanceSortKey), BalanceBand.Format(rule.MaxBalanceSortKey),
        rule.Regions.Order(StringComparer.Ordinal).ToList(), rule.Language, rule.Collectors);
}

/// <summary>A rule as sent: every field (a PUT replaces the whole rule).</summary>
/// <param name="Order">Rules are tried from the lowest order; required.</param>
/// <param name="DebtType"><c>consumer</c>, <c>commercial</c>, <c>medical</c>, or null for any.</param>
/// <param name="Regions">State or province codes; empty or absent for any region.</param>
/// <param name="Language">ISO 639-1 code (<c>en</c>, <c>es</c>), or null for any.</param>
/// <param name="Collectors">User names with the collector role, served round-robin in this order.</param>
public sealed record AssignmentRuleBody(
    int? Order, string? Name, string? DebtType, string? MinBalance, string? MaxBalance, IReadOnlyList<string>? Regions, string? Language, IReadOnlyList<string>? Collectors);

/// <summary>A collector's capacity (null until set) and whether they take accounts; <c>is_collector</c> false for a profile whose user lost the role.</summary>
public sealed record CollectorJson(string UserName, string DisplayName, int? Capacity, bool Active, bool IsCollector)
{
    public static CollectorJson From(CollectorView c) => new(c.UserName, c.DisplayName, c.Capacity, c.Active, c.IsCollector);
}

/// <summary>Both fields are required.</summary>
public sealed record CollectorBody(int? Capacity, bool? Active);

/// <summary>Balance bands: decimal strings in major units in the API, ten-thousandths of the major unit (the summaries' sort key) in storage.</summary>
internal static class BalanceBand
{
    private const decimal PerMajor = 10_000m;

    public static string? Format(long? sortKey) =>
        sortKey is { } key ? (key / PerMajor).ToString("0.00##", CultureInfo.InvariantCulture) : null;

    public static long? Parse(QueryReader query, string field, string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || amount >= 100_000_000_000_000m)
        {
            query.Add(field, $"'{text}' is not a balance like \"1000.00\" (a decimal string, zero or more)");
            return null;
        }

        var key = amount * PerMajor;
        if (key != decimal.Truncate(key))
        {
            query.Add(field, $"'{text}' has more than 4 decimals");
            return null;
        }

        return (long)key;
    }
}

/// <summary>
/// <c>/api/work-queues/rules</c> and <c>/api/work-queues/collectors</c>: the assignment rules and the
/// collectors' capacity, for supervisors, managers and admins.
/// </summary>
public static class AssignmentRuleEndpoints
{
    private const string Example = "{\"order\":1,\"name\":\"Texas, large balances\",\"min_balance\":\"1000.00\",\"regions\":[\"TX\"],\"collectors\":[\"ana\",\"ben\"]}";

    private static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal)
    {
        [nameof(AssignmentRuleDraft.Order)] = "order",
        [nameof(AssignmentRuleDraft.Name)] = "name",
        [nameof(AssignmentRuleDraft.DebtType)] = "debt_type",
        [nameof(AssignmentRuleDraft.MinBalanceSortKey)] = "min_balance",
        [nameof(AssignmentRuleDraft.MaxBalanceSortKey)] = "max_balance",
        [nameof(AssignmentRuleDraft.Regions)] = "regions",
        [nameof(AssignmentRuleDraft.Language)] = "language",
        [nameof(AssignmentRuleDraft.Collectors)] = "collectors",
    };

    public static void MapAssignmentRules(this IEndpointRouteBuilder api)
    {
        var queues = api.MapGroup("/work-queues").WithTags("Assignment rules").RequireAuthorization(Policies.ManageWorkQueues);

        queues.MapGet("/rules", ListAsync)
            .WithName("ListAssignmentRules")
            .WithSummary("The assignment rules, in the order they are tried")
            .Produces<PageJson<AssignmentRuleJson>>();

        queues.MapPost("/rules", CreateAsync)
            .WithName("CreateAssignmentRule")
            .WithSummary("Add an assignment rule")
            .WithDescription("Every problem is listed by field. The next queue build uses it. Supervisor, manager or admin.")
            .Accepts<AssignmentRuleBody>("application/json")
            .Produces<AssignmentRuleJson>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        queues.MapPut("/rules/{ruleId}", UpdateAsync)
            .WithName("ReplaceAssignmentRule")
            .WithSummary("Replace an assignment rule's order, conditions and collectors")
            .Accepts<AssignmentRuleBody>("application/json")
            .Produces<AssignmentRuleJson>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        queues.MapDelete("/rules/{ruleId}", DeleteAsync)
            .WithName("DeleteAssignmentRule")
            .WithSummary("Delete an assignment rule; accounts it assigned keep their collector")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);

        queues.MapGet("/collectors", CollectorsAsync)
            .WithName("ListCollectors")
            .WithSummary("Every user with the collector role, with capacity and whether they take accounts")
            .Produces<PageJson<CollectorJson>>();

        queues.MapPut("/collectors/{userName}", SetCollectorAsync)
            .WithName("SetCollector")
            .WithSummary("Set a collector's capacity and whether they take accounts")
            .Accepts<CollectorBody>("application/json")
            .Produces<CollectorJson>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<IResult> ListAsync(AssignmentRules rules, CancellationToken ct) =>
        TypedResults.Ok(new PageJson<AssignmentRuleJson>((await rules.ListAsync(ct)).Select(AssignmentRuleJson.From).ToList(), null));

    private static async Task<IResult> CreateAsync(HttpContext http, AssignmentRules rules, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        var (draft, problem) = await ReadAsync(http, json.Value.SerializerOptions, ct);
        if (problem is not null)
        {
            return problem;
        }

        var created = await rules.CreateAsync(draft!, ApiCaller.Actor(http.User), ct);
        return created.Succeeded
            ? TypedResults.Created($"/api/work-queues/rules/{created.Rule!.Id}", AssignmentRuleJson.From(created.Rule))
            : BodyFields.Problems(created.Errors, Field);
    }

    private static async Task<IResult> UpdateAsync(string ruleId, HttpContext http, AssignmentRules rules, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        if (!Guid.TryParse(ruleId, out var id))
        {
            return NotFound(ruleId);
        }

        var (draft, problem) = await ReadAsync(http, json.Value.SerializerOptions, ct);
        if (problem is not null)
        {
            return problem;
        }

        var updated = await rules.UpdateAsync(id, draft!, ApiCaller.Actor(http.User), ct);
        if (updated.Errors is [{ Code: AssignmentRules.RuleNotFound }])
        {
            return NotFound(ruleId);
        }

        return updated.Succeeded ? TypedResults.Ok(AssignmentRuleJson.From(updated.Rule!)) : BodyFields.Problems(updated.Errors, Field);
    }

    private static async Task<IResult> DeleteAsync(string ruleId, HttpContext http, AssignmentRules rules, CancellationToken ct)
    {
        if (!Guid.TryParse(ruleId, out var id))
        {
            return NotFound(ruleId);
        }

        var deleted = await rules.DeleteAsync(id, ApiCaller.Actor(http.User), ct);
        return deleted.IsSuccess ? TypedResults.NoContent() : NotFound(ruleId);
    }

    private static async Task<IResult> CollectorsAsync(AssignmentRules rules, CancellationToken ct) =>
        TypedResults.Ok(new PageJson<CollectorJson>((await rules.ListCollectorsAsync(ct)).Select(CollectorJson.From).ToList(), null));

    private static async Task<IResult> SetCollectorAsync(
        string userName, HttpContext http, AssignmentRules rules, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<CollectorBody>(http, json.Value.SerializerOptions, "{\"capacity\":250,\"active\":true}", ct);
        if (problem is not null)
        {
            return problem;
        }

        var query = new QueryReader();
        if (body!.Capacity is null)
        {
            query.Add("capacity", "The capacity is required: the most accounts the collector may hold");
        }

        if (body.Active is null)
        {
            query.Add("active", "Say whether the collector takes accounts (true) or not (false)");
        }

        if (!query.IsValid)
        {
            return query.Problem();
        }

        var set = await rules.SetCollectorAsync(userName, body.Capacity!.Value, body.Active!.Value, ApiCaller.Actor(http.User), ct);
        return set.Error switch
        {
            null => TypedResults.Ok(CollectorJson.From(set.Value)),
            { Code: AssignmentRules.CollectorNotFound } error => ApiProblems.Problem(StatusCodes.Status404NotFound, "User not found", error.Message, error.Code),
            { Code: AssignmentRules.NotACollector } error => ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity, "Not a collector", error.Message, error.Code),
            var error => BodyFields.Problems([error]),
        };
    }

    private static async Task<(AssignmentRuleDraft? Draft, IResult? Problem)> ReadAsync(HttpContext http, System.Text.Json.JsonSerializerOptions options, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<AssignmentRuleBody>(http, options, Example, ct);
        if (problem is not null)
        {
            return (null, problem);
        }

        var query = new QueryReader();
        if (body!.Order is null)
        {
            query.Add("order", "The order is required: rules are tried from the lowest order");
        }

        var debtType = query.Enum<DebtType>("debt_type", body.DebtType);
        var min = BalanceBand.Parse(query, "min_balance", body.MinBalance);
        var max = BalanceBand.Parse(query, "max_balance", body.MaxBalance);
        if (!query.IsValid)
        {
            return (null, query.Problem());
        }

        return (new AssignmentRuleDraft(body.Order!.Value, body.Name, debtType, min, max, body.Regions, body.Language, body.Collectors), null);
    }

    private static string Field(string name) => Fields.GetValueOrDefault(name, name);

    private static IResult NotFound(string ruleId) =>
        ApiProblems.Problem(StatusCodes.Status404NotFound, "Assignment rule not found", $"There is no assignment rule '{ruleId}'", AssignmentRules.RuleNotFound);
}
