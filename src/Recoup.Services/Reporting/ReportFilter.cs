using Microsoft.EntityFrameworkCore;
using Recoup.Domain;
using Recoup.Domain.Clients;
using Recoup.Domain.Debtors;
using Recoup.Services.Storage;

namespace Recoup.Services.Reporting;

/// <summary>
/// Narrows a report to some accounts: those assigned to a collector (the account's assignment today,
/// <c>account_assignments</c>), those of debtors of one debt type, those in one currency, those of
/// debtors placed by one creditor client (<see cref="Client"/>, its code). Empty: the whole portfolio.
/// The filters combine with "and".
/// </summary>
public sealed record ReportFilter(string? Collector = null, DebtType? DebtType = null, Currency? Currency = null, string? Client = null)
{
    public static ReportFilter None { get; } = new();

    /// <summary>The client's code, upper case (given in any case).</summary>
    public string? Client { get; init; } = ClientCode.Normalize(Client);

    public bool IsEmpty => Collector is null && DebtType is null && Currency is null && Client is null;

    /// <summary>Reads the filter's query-string or command-line values; a blank value is no filter. Whether the client exists is <see cref="UnknownClientAsync"/>'s to say.</summary>
    public static Result<ReportFilter> Parse(string? collector, string? debtType, string? currency, string? client = null)
    {
        DebtType? type = null;
        if (!string.IsNullOrWhiteSpace(debtType))
        {
            if (!Enum.TryParse<DebtType>(debtType.Trim(), ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(debtType, out _))
            {
                return Result<ReportFilter>.Fail("debt_type_unknown", $"Unknown debt type '{debtType}': use {string.Join(", ", Enum.GetNames<DebtType>().Select(n => n.ToLowerInvariant()))}", "debt_type");
            }

            type = parsed;
        }

        Currency? code = null;
        if (!string.IsNullOrWhiteSpace(currency))
        {
            if (!Domain.Currency.TryFromCode(currency.Trim().ToUpperInvariant(), out var c))
            {
                return Result<ReportFilter>.Fail("currency_unknown", $"Unknown currency '{currency}'", "currency");
            }

            code = c;
        }

        var clientCode = ClientCode.Normalize(client);
        if (clientCode is not null && ClientCode.Problem(clientCode) is { } problem)
        {
            return Result<ReportFilter>.Fail("client_unknown", $"Unknown client '{client}': {problem}", "client");
        }

        return new ReportFilter(string.IsNullOrWhiteSpace(collector) ? null : collector.Trim(), type, code, clientCode);
    }

    /// <summary>The error to show when the filter names a client that does not exist (field <c>client</c>); null when it names none or one that exists.</summary>
    public async Task<Error?> UnknownClientAsync(RecoupDatabase database, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (Client is null)
        {
            return null;
        }

        await using var db = database.CreateContext();
        if (await db.Clients.AnyAsync(c => c.Code == Client, ct))
        {
            return null;
        }

        var codes = await db.Clients.AsNoTracking().OrderBy(c => c.Code).Select(c => c.Code).Take(20).ToListAsync(ct);
        return new Error("client_unknown",
            $"Unknown client '{Client}': " + (codes.Count == 0 ? "there are no clients" : $"the clients are {string.Join(", ", codes)}"), "client");
    }

    /// <summary>For titles and file headers: "collector ana, debt type consumer, USD, client ACME", or "whole portfolio".</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Collector is not null)
        {
            parts.Add($"collector {Collector}");
        }

        if (DebtType is { } type)
        {
            parts.Add($"debt type {type.ToString().ToLowerInvariant()}");
        }

        if (Currency is { } currency)
        {
            parts.Add(currency.Code);
        }

        if (Client is not null)
        {
            parts.Add($"client {Client}");
        }

        return parts.Count == 0 ? "whole portfolio" : string.Join(", ", parts);
    }
}
