namespace Recoup.Domain.Clients;

/// <summary>
/// A creditor client: a business that placed accounts with the agency (PRODUCT.md, "serve many
/// creditor clients"). An agency's debtor belongs to the client that placed it; an in-house team has no
/// clients, and its debtors none. <see cref="Code"/> is the short unique code every file, filter and
/// strategy names the client by (<c>ACME</c>); it never changes, the name may.
/// </summary>
public sealed class Client
{
    public const int MaxNameLength = 200;

    private Client()
    {
        Code = "";
        Name = "";
    }

    private Client(ClientId id, string code, string name, DateTimeOffset createdAt)
    {
        Id = id;
        Code = code;
        Name = name;
        CreatedAt = createdAt;
        Active = true;
    }

    public ClientId Id { get; private set; }

    /// <summary>Upper-case letters, digits, <c>-</c> and <c>_</c>, 2 to 16 characters, starting with a letter or digit (<see cref="ClientCode"/>).</summary>
    public string Code { get; private set; }

    public string Name { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>An inactive client keeps its debtors and history but places no new debtors (the import refuses them).</summary>
    public bool Active { get; private set; }

    /// <summary>A new, active client; the code is upper-cased, and every mistake is named by field.</summary>
    public static Result<Client> Create(ClientId id, string? code, string? name, DateTimeOffset now)
    {
        var normalized = ClientCode.Normalize(code);
        if (ClientCode.Problem(normalized) is { } codeProblem)
        {
            return new Error("client_code_invalid", codeProblem, "code");
        }

        if (NameProblem(name) is { } nameProblem)
        {
            return new Error("client_name_invalid", nameProblem, "name");
        }

        return new Client(id, normalized!, name!.Trim(), now);
    }

    /// <summary>Gives the client a new name (its code stays).</summary>
    public Result<string> Rename(string? name)
    {
        if (NameProblem(name) is { } problem)
        {
            return new Error("client_name_invalid", problem, "name");
        }

        Name = name!.Trim();
        return Name;
    }

    public void SetActive(bool active) => Active = active;

    private static string? NameProblem(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "Give the client a name"
        : name.Trim().Length > MaxNameLength ? $"The name is {name.Trim().Length} characters long; at most {MaxNameLength} are allowed"
        : null;
}

/// <summary>The rules of a client code: what the import, the API, the report filter and the strategies accept.</summary>
public static class ClientCode
{
    public const int MaxLength = 16;

    /// <summary>Trimmed and upper-cased; null for blank.</summary>
    public static string? Normalize(string? code) => string.IsNullOrWhiteSpace(code) ? null : code.Trim().ToUpperInvariant();

    /// <summary>Why the (normalized) code is not a client code, or null when it is one.</summary>
    public static string? Problem(string? code)
    {
        if (code is null)
        {
            return "Give the client a code, e.g. ACME";
        }

        if (code.Length is < 2 or > MaxLength
            || !char.IsAsciiLetterOrDigit(code[0])
            || !code.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c is '-' or '_'))
        {
            return $"'{code}' is not a client code: 2 to {MaxLength} letters, digits, '-' or '_', starting with a letter or digit, e.g. ACME";
        }

        return null;
    }
}
