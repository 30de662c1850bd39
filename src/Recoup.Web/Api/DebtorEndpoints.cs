using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using Recoup.Domain.Debtors;
using Recoup.Services.Accounts;

namespace Recoup.Web.Api;

/// <summary>A debtor, known by the creditor's debtor id.</summary>
public sealed record DebtorJson(string DebtorId, string Name, DebtorKind Kind, DebtType DebtType, string? TimeZone, DateTimeOffset CreatedAt)
{
    public static DebtorJson From(DebtorListItem d) => new(d.DebtorId, d.Name, d.Kind, d.DebtType, d.TimeZone, d.CreatedAt);
}

/// <summary>A debtor with their accounts, one per currency.</summary>
public sealed record DebtorDetailJson(string DebtorId, string Name, DebtorKind Kind, DebtType DebtType, string? TimeZone, DateTimeOffset CreatedAt, IReadOnlyList<AccountRowJson> Accounts);

/// <summary><c>/api/debtors</c>: debtors in debtor-id order, one debtor with their accounts, and their contact points.</summary>
public static class DebtorEndpoints
{
    public static void MapDebtors(this IEndpointRouteBuilder api)
    {
        var debtors = api.MapGroup("/debtors").WithTags("Debtors");

        debtors.MapGet("/", ListAsync)
            .WithName("ListDebtors")
            .WithSummary("List debtors in debtor-id order, a page at a time")
            .ProducesValidationProblem();

        debtors.MapGet("/{debtorId}", GetAsync)
            .WithName("GetDebtor")
            .WithSummary("One debtor with their accounts (one per currency)")
            .ProducesProblem(StatusCodes.Status404NotFound);

        debtors.MapGet("/{debtorId}/contacts", ContactsAsync)
            .WithName("ListDebtorContacts")
            .WithSummary("The debtor's phone numbers, e-mail and postal addresses, primary first")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Ok<PageJson<DebtorJson>>, ProblemHttpResult>> ListAsync(
        DebtorDirectory directory,
        [Description("The next_cursor of the previous page.")] string? cursor,
        [Description("Debtors per page, 1 to 200; default 50.")] string? limit,
        CancellationToken ct)
    {
        var query = new QueryReader();
        var size = query.Limit(limit, 50, DebtorDirectory.MaxLimit);
        if (!DebtorDirectory.IsValidCursor(cursor))
        {
            query.Add("cursor", "The cursor is not one this list returned; start again without a cursor");
        }

        if (!query.IsValid)
        {
            return query.Problem();
        }

        var page = await directory.ListAsync(cursor, size, ct);
        return TypedResults.Ok(new PageJson<DebtorJson>(page.Items.Select(DebtorJson.From).ToList(), page.NextCursor));
    }

    private static async Task<Results<Ok<DebtorDetailJson>, ProblemHttpResult>> GetAsync(string debtorId, DebtorDirectory directory, CancellationToken ct)
    {
        var found = await directory.GetAsync(debtorId, ct);
        if (found.Error is { } error)
        {
            return ApiProblems.From(error);
        }

        var d = found.Value.Debtor;
        return TypedResults.Ok(new DebtorDetailJson(
            d.DebtorId, d.Name, d.Kind, d.DebtType, d.TimeZone, d.CreatedAt, found.Value.Accounts.Select(AccountRowJson.From).ToList()));
    }

    private static async Task<Results<Ok<PageJson<ContactJson>>, ProblemHttpResult>> ContactsAsync(string debtorId, DebtorDirectory directory, CancellationToken ct)
    {
        var found = await directory.ContactsAsync(debtorId, ct);
        return found.Error is { } error
            ? ApiProblems.From(error)
            : TypedResults.Ok(new PageJson<ContactJson>(found.Value.Select(ContactJson.From).ToList(), null));
    }
}
