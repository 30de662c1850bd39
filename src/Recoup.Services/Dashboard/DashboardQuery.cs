using Microsoft.EntityFrameworkCore;
using Recoup.Data.Accounts;
using Recoup.Domain;
using Recoup.Domain.Aging;
using Recoup.Services.Storage;

namespace Recoup.Services.Dashboard;

/// <summary>One aging bucket on the dashboard: the open amount of the accounts whose oldest open invoice is in it.</summary>
public sealed record DashboardBucket(string Name, Money Open, int Accounts);

/// <summary>The portfolio in one currency.</summary>
/// <param name="Balance">What is owed: the sum of the balances (credit balances reduce it).</param>
/// <param name="Open">Open on invoices together.</param>
/// <param name="PastDue">Open on accounts that have anything past due.</param>
/// <param name="Buckets">Accounts aged by their oldest open invoice, from <c>current</c> to <c>121+</c>.</param>
/// <param name="AccountsByStatus">How many accounts are in each delinquency status (every status is present, zero or not).</param>
public sealed record CurrencyDashboard(
    Currency Currency,
    Money Balance,
    Money Open,
    Money PastDue,
    IReadOnlyList<DashboardBucket> Buckets,
    IReadOnlyDictionary<DelinquencyStatus, int> AccountsByStatus)
{
    public int Accounts => AccountsByStatus.Values.Sum();
}

/// <summary>The dashboard: the portfolio's figures per currency as of a date.</summary>
public sealed record DashboardView(DateOnly AsOf, IReadOnlyList<CurrencyDashboard> Currencies);

/// <summary>
/// The dashboard's figures, from the account summaries: one grouped query over the accounts, however
/// many invoices they hold.
/// </summary>
/// <remarks>
/// Aging here is by account: an account's whole open amount is counted in the bucket of its oldest
/// open invoice, the way a collector sees the account. The aging report (<c>GET /api/aging</c>,
/// <c>recoup aging</c>) ages each invoice on its own, so its buckets differ while its total open
/// amount is the same. The summaries hold the ledger as it is now; an earlier as-of date changes how
/// old things are, not which payments count.
/// </remarks>
public sealed class DashboardQuery(RecoupDatabase database)
{
    public async Task<DashboardView> GetAsync(DateOnly asOf, CancellationToken ct = default)
    {
        await using var db = database.CreateContext();
        var groups = await db.AccountSummaries.AsNoTracking()
            .GroupBy(s => new { s.Currency, s.OldestDueDate, WrittenOff = s.WrittenOffMinor > 0, Billed = s.InvoiceCount > 0 })
            .Select(g => new
            {
                g.Key.Currency,
                g.Key.OldestDueDate,
                g.Key.WrittenOff,
                g.Key.Billed,
                Accounts = g.Count(),
                Balance = g.Sum(s => s.BalanceMinor),
                Open = g.Sum(s => s.OpenMinor),
            })
            .ToListAsync(ct);

        var buckets = AgingBuckets.Default;
        var currencies = groups
            .GroupBy(g => g.Currency.Code, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(section =>
            {
                var currency = section.First().Currency;
                var bucketOpen = new long[buckets.Buckets.Count];
                var bucketAccounts = new int[buckets.Buckets.Count];
                var byStatus = Enum.GetValues<DelinquencyStatus>().ToDictionary(s => s, _ => 0);
                long balance = 0, open = 0, pastDue = 0;
                foreach (var group in section)
                {
                    var isOpen = group.OldestDueDate != AccountSummary.NothingOpen;
                    var daysPastDue = isOpen ? Math.Max(0, AgingBuckets.DaysPastDue(group.OldestDueDate, asOf)) : 0;
                    var status = DelinquencyPolicy.Default.StatusOf(new DelinquencyFacts(
                        isOpen ? Math.Max(1, group.Open) : 0, daysPastDue, group.WrittenOff ? 1 : 0, group.Billed ? 1 : 0));
                    byStatus[status] += group.Accounts;
                    balance = checked(balance + group.Balance);
                    open = checked(open + group.Open);
                    if (!isOpen)
                    {
                        continue;
                    }

                    var index = buckets.IndexFor(group.OldestDueDate, asOf);
                    bucketOpen[index] = checked(bucketOpen[index] + group.Open);
                    bucketAccounts[index] += group.Accounts;
                    if (daysPastDue > 0)
                    {
                        pastDue = checked(pastDue + group.Open);
                    }
                }

                return new CurrencyDashboard(
                    currency,
                    new Money(balance, currency),
                    new Money(open, currency),
                    new Money(pastDue, currency),
                    buckets.Buckets.Select((b, i) => new DashboardBucket(b.Name, new Money(bucketOpen[i], currency), bucketAccounts[i])).ToList(),
                    byStatus);
            })
            .ToList();
        return new DashboardView(asOf, currencies);
    }
}
