using Microsoft.EntityFrameworkCore;
using Recoup.Services.Imports;
using Recoup.Testing;

namespace Recoup.Web.Tests;

/// <summary>
/// Debtors of one test's own, imported into the shared fixture database, so that tests which change
/// contact points, log conversations or schedule follow-ups never disturb the debtors other tests name.
/// Their debt is commercial: the work-queue tests assign every consumer account to the collector and
/// look at what "next account" skips, which an opted-out number added here must not change.
/// </summary>
internal static class TestDebtors
{
    /// <summary>A debtor with one USD invoice of 500.00 issued 2026-09-01; the id is new each time (W + hex digits).</summary>
    /// <param name="contacts">The debtors.csv columns from email to time_zone: <c>email,phone,address_line1,city,region,postal_code,country,time_zone</c>.</param>
    public static async Task<(string DebtorId, string AccountId)> AddAsync(ApiFixture fixture, string name, string contacts = ",,,,,,,")
    {
        var id = $"W{Guid.NewGuid():N}"[..12];
        var portfolio = new TestPortfolio()
            .Debtors($"{id},{name},person,commercial,{contacts}")
            .Invoices($"{id}-INV,{id},2026-09-01,2026-10-01,500.00,USD");
        var outcome = await new ImportPortfolio(fixture.Database, fixture.Clock).RunAsync(portfolio.Folder);
        Assert.True(outcome.Succeeded, string.Join("\n", outcome.Errors));
        return (id, await fixture.AccountOfAsync(id));
    }

    /// <summary>The ids of the debtor's contact points of a kind, as stored.</summary>
    public static async Task<List<string>> PointsAsync(ApiFixture fixture, string debtorId, Domain.Debtors.ContactKind kind)
    {
        await using var db = fixture.Database.CreateContext();
        var points = await db.ContactPoints.AsNoTracking()
            .Where(c => c.Kind == kind && db.Debtors.Any(d => d.Id == c.DebtorId && d.ExternalId == debtorId))
            .ToListAsync();
        return points.OrderBy(p => p.CreatedAt).ThenBy(p => p.Id.Value).Select(p => p.Id.ToString()).ToList();
    }

    /// <summary>The audit actions recorded about the account, oldest first.</summary>
    public static async Task<List<string>> AuditActionsAsync(ApiFixture fixture, string accountId)
    {
        await using var db = fixture.Database.CreateContext();
        var actions = await db.AuditLog.AsNoTracking().Where(a => a.Entity == "account" && a.EntityId == accountId).ToListAsync();
        return actions.OrderBy(a => a.At).ThenBy(a => a.Id).Select(a => a.Action).ToList();
    }
}
