using Recoup.Domain;
using Recoup.Domain.Debtors;

namespace Recoup.Services.Reporting;

/// <summary>
/// Narrows a report to some accounts: those assigned to a collector (the account's assignment today,
/// <c>account_assignments</c>), those of debtors of one debt type, those in one currency. Empty: the
/// whole portfolio. The filters combine with "and".
/// </summary>
/// <remarks>
/// There is no client (creditor) filter: Recoup keeps one creditor's receivables and its schema has no
/// client on accounts or invoices (docs/reports.md).
/// </remarks>
public sealed record ReportFilter(string? Collector = null, DebtType? DebtType = null, Currency? Currency = null)
{
    public static ReportFilter None { get; } = new();

    public bool IsEmpty => Collector is null && DebtType is null && Currency is null;

    /// <summary>Reads the filter's query-string or command-line values; a blank value is no filter.</summary>
    public static Result<ReportFilter> Parse(string? collector, string? debtType, string? currency)
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

        return new ReportFilter(string.IsNullOrWhiteSpace(collector) ? null : collector.Trim(), type, code);
    }

    /// <summary>For titles and file headers: "collector ana, debt type consumer, USD", or "whole portfolio".</summary>
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

        return parts.Count == 0 ? "whole portfolio" : string.Join(", ", parts);
    }
}
