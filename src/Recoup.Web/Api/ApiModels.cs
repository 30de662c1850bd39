using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Recoup.Domain;
using Recoup.Domain.Debtors;
using Recoup.Services.Accounts;

namespace Recoup.Web.Api;

/// <summary>An amount of money as the API writes it: a decimal string with exactly the currency's decimals, and the ISO 4217 code.</summary>
public sealed record MoneyJson(string Amount, string Currency)
{
    public static MoneyJson From(Money money) => new(money.ToDecimalString(), money.Currency.Code);
}

/// <summary>A page of a list: <c>next_cursor</c> is passed back as <c>?cursor=</c> for the next page, and is null on the last.</summary>
public sealed record PageJson<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>One account in a list; <c>client</c> is the code of the debtor's creditor client, null when none.</summary>
public sealed record AccountRowJson(
    string AccountId, string DebtorId, string Name, DebtType DebtType, MoneyJson Balance, int DaysPastDue, Domain.Aging.DelinquencyStatus Status, string? Collector, string? Client = null)
{
    public static AccountRowJson From(AccountRow row) =>
        new(row.AccountId.ToString(), row.DebtorId, row.Name, row.DebtType, MoneyJson.From(row.Balance), row.DaysPastDue, row.Status, row.Collector, row.Client);
}

/// <summary>One way to reach a debtor.</summary>
public sealed record ContactJson(ContactKind Kind, string Value, ContactStatus Status, ContactSource Source, bool Primary)
{
    public static ContactJson From(ContactView contact) => new(contact.Kind, contact.Value, contact.Status, contact.Source, contact.IsPrimary);
}

/// <summary>The JSON conventions of the API: snake_case names, enums as snake_case strings, dates as <c>YYYY-MM-DD</c>.</summary>
public static class ApiJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
        options.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
    }

    /// <summary><c>PastDue</c> → <c>past_due</c>: an enum value as the API writes it.</summary>
    public static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>Who is calling: the user id scopes idempotency keys, the actor names them in the audit log.</summary>
public static class ApiCaller
{
    public static string Id(ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("An authenticated caller without a user id");

    /// <summary>The user name, followed by the API key's name when the request came with a key: <c>admin (api key: nightly)</c>.</summary>
    public static string Actor(ClaimsPrincipal user)
    {
        var name = user.Identity?.Name ?? Id(user);
        return user.FindFirstValue("api_key") is { } key ? $"{name} (api key: {key})" : name;
    }
}

/// <summary>
/// Reads query parameters and collects every problem with them, so one 400 response names all the
/// fields at fault.
/// </summary>
internal sealed class QueryReader
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public bool Has(string field) => _errors.ContainsKey(field);

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    public DateOnly Date(string field, string? text, DateOnly fallback)
    {
        if (text is null)
        {
            return fallback;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        Add(field, $"'{text}' is not a date in the form YYYY-MM-DD");
        return fallback;
    }

    /// <summary>An amount in <paramref name="currency"/>, as a decimal string; null (with the reason added when required or malformed) otherwise.</summary>
    public Money? Amount(string field, string? text, Currency currency, bool required = false)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                Add(field, $"The {field.Replace('_', ' ')} is required, as a decimal string like \"123.45\"");
            }

            return null;
        }

        if (Money.TryParse(text.Trim(), currency, out var money) is { } problem)
        {
            Add(field, problem);
            return null;
        }

        return money;
    }

    public decimal? Decimal(string field, string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Add(field, $"'{text}' is not a decimal amount like 1234.56");
        return null;
    }

    public int Limit(string? text, int fallback, int max)
    {
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit >= 1 && limit <= max)
        {
            return limit;
        }

        Add("limit", $"The limit must be a whole number from 1 to {max}");
        return fallback;
    }

    public TEnum? Enum<TEnum>(string field, string? text)
        where TEnum : struct, Enum
    {
        if (text is null)
        {
            return null;
        }

        foreach (var value in System.Enum.GetValues<TEnum>())
        {
            if (ApiJson.Name(value) == text)
            {
                return value;
            }
        }

        Add(field, $"'{text}' is not one of {string.Join(", ", System.Enum.GetValues<TEnum>().Select(ApiJson.Name))}");
        return null;
    }

    public ProblemHttpResult Problem() => ApiProblems.Invalid(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
}
