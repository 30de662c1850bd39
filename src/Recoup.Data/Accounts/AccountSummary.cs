using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Recoup.Domain;
using Recoup.Domain.Debtors;

namespace Recoup.Data.Accounts;

/// <summary>
/// One row per account with what the accounts list searches, filters and sorts on: derived from the
/// ledger and written in the same transaction as every change to it (import, payment), so a list of
/// a million accounts is one indexed query instead of a sum over the ledger. The ledger stays the
/// truth: a summary can always be rebuilt from it.
/// </summary>
/// <remarks>
/// Nothing here depends on the date: days past due and the delinquency status are derived from
/// <see cref="OldestDueDate"/> when the list is read.
/// </remarks>
public sealed class AccountSummary
{
    /// <summary>The date stored in <see cref="OldestDueDate"/> when nothing is open, so that it sorts last and never counts as past due.</summary>
    public static readonly DateOnly NothingOpen = DateOnly.MaxValue;

    /// <summary>
    /// The account's id. A plain <see cref="Guid"/> rather than an <c>AccountId</c>, because the
    /// keyset pagination compares ids in SQL and LINQ can only compare an orderable type.
    /// </summary>
    public Guid AccountId { get; set; }

    public DebtorId DebtorId { get; set; }

    /// <summary>The creditor's debtor id (<c>D-0000001</c>).</summary>
    public string DebtorExternalId { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>
    /// Lower-case name, then debtor id, e-mail addresses and the digits of phone numbers, joined by
    /// <c>|</c>: a search is one LIKE over this column (a trigram index on PostgreSQL).
    /// </summary>
    public string SearchText { get; set; } = "";

    public DebtType DebtType { get; set; }
    public Currency Currency { get; set; }

    /// <summary>The code of the debtor's creditor client (<c>ACME</c>); null when the debtor has none. Client codes never change.</summary>
    public string? ClientCode { get; set; }

    /// <summary>What the debtor owes: the sum of the ledger entries, in minor units.</summary>
    public long BalanceMinor { get; set; }

    /// <summary>
    /// The balance in ten-thousandths of the major unit (the largest ISO 4217 exponent is 4), so that
    /// balances in currencies with different exponents sort and filter as amounts: 1 USD and 1 JPY both
    /// become 10,000. (No exchange rates: 1 JPY sorts with 1 USD.)
    /// </summary>
    public long BalanceSortKey { get; set; }

    /// <summary>What is open on invoices together, in minor units.</summary>
    public long OpenMinor { get; set; }

    /// <summary>Written-off debt not recovered, in minor units.</summary>
    public long WrittenOffMinor { get; set; }

    public int InvoiceCount { get; set; }

    /// <summary>The due date of the oldest invoice with something open; <see cref="NothingOpen"/> when none is.</summary>
    public DateOnly OldestDueDate { get; set; }

    /// <summary>The state or province of the debtor's primary address (upper case), for assignment by region.</summary>
    public string? Region { get; set; }

    /// <summary>The debtor's preferred language (ISO 639-1).</summary>
    public string Language { get; set; } = "en";

    /// <summary>The IANA zones the debtor may be in, separated by spaces (see <c>Debtor.PossibleTimeZones</c>).</summary>
    public string TimeZones { get; set; } = "";

    /// <summary>When anyone last tried to reach the debtor about this account (calls, messages, letters; not notes).</summary>
    public DateTimeOffset? LastContactAt { get; set; }

    /// <summary>The account's version when the summary was written (equal to the account's when it is up to date).</summary>
    public long Version { get; set; }

    /// <summary>Balance in major units for every currency exponent: <c>minor × 10^(4 − exponent)</c>.</summary>
    public static long SortKeyFor(long minor, Currency currency) => checked(minor * (10_000 / currency.MinorPerMajor));
}

internal sealed class AccountSummaryConfiguration : IEntityTypeConfiguration<AccountSummary>
{
    public void Configure(EntityTypeBuilder<AccountSummary> builder)
    {
        builder.HasKey(s => s.AccountId);
        builder.Property(s => s.DebtorExternalId).HasMaxLength(64);
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.SearchText).HasMaxLength(2000);
        builder.Property(s => s.Region).HasMaxLength(8);
        builder.Property(s => s.Language).HasMaxLength(2).HasDefaultValue("en");
        builder.Property(s => s.TimeZones).HasMaxLength(400).HasDefaultValue("");

        // The sorts of the accounts list, each ending in the id as tie-breaker for keyset pagination.
        // The due-date index serves the oldest-first sort (largest balance first within a day) and the
        // status and bucket filters, which are due-date ranges, in balance order.
        builder.HasIndex(s => new { s.BalanceSortKey, s.AccountId });
        builder.HasIndex(s => new { s.OldestDueDate, s.BalanceSortKey, s.AccountId }).IsDescending(false, true, true);
        builder.HasIndex(s => new { s.Name, s.AccountId });

        // Filters in balance order, and look-ups.
        builder.HasIndex(s => new { s.DebtType, s.BalanceSortKey, s.AccountId });
        builder.Property(s => s.ClientCode).HasMaxLength(16);
        builder.HasIndex(s => new { s.ClientCode, s.BalanceSortKey, s.AccountId });
        builder.HasIndex(s => s.DebtorId);
        builder.HasIndex(s => s.DebtorExternalId);
    }
}
