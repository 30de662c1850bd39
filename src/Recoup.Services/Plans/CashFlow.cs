using Microsoft.EntityFrameworkCore;
using Recoup.Domain;
using Recoup.Domain.Plans;
using Recoup.Services.Storage;

namespace Recoup.Services.Plans;

/// <summary>The forecast and the keep rates behind it.</summary>
public sealed record CashFlowView(Currency Currency, DateOnly From, decimal PromiseKeepRate, decimal InstallmentKeepRate, IReadOnlyList<ForecastWeek> Weeks);

/// <summary>
/// Expected receipts by week from open promises and plan installments, each discounted by its
/// observed keep rate: promises by the portfolio's rate over the last year; an installment by its own
/// plan's record so far, leaning on the portfolio's installment rate while that record is short
/// (<see cref="CashFlowForecast.Blend"/>).
/// </summary>
public sealed class CashFlow(RecoupDatabase database, TimeProvider clock)
{
    /// <summary>Used until there is any history to measure.</summary>
    public const decimal DefaultPromiseKeepRate = 0.5m;

    public const decimal DefaultInstallmentKeepRate = 0.7m;

    public async Task<CashFlowView> ForecastAsync(Currency currency, int weeks, CancellationToken ct = default)
    {
        var today = clock.Today();
        var yearAgo = today.AddDays(-365);
        await using var db = database.CreateContext();

        var resolved = await db.Promises.AsNoTracking()
            .Where(p => p.Currency == currency && p.ResolvedOn >= yearAgo && p.Status != PromiseStatus.Pending && p.Status != PromiseStatus.Cancelled)
            .GroupBy(p => p.Status == PromiseStatus.Kept).Select(g => new { Kept = g.Key, Count = g.Count() }).ToListAsync(ct);
        var promiseTotal = resolved.Sum(r => r.Count);
        var promiseRate = promiseTotal == 0 ? DefaultPromiseKeepRate : (decimal)resolved.Where(r => r.Kept).Sum(r => r.Count) / promiseTotal;

        var receipts = new List<ExpectedReceipt>();
        var open = await db.Promises.AsNoTracking().Where(p => p.Currency == currency && p.Status == PromiseStatus.Pending)
            .Select(p => new { p.PromisedFor, Left = p.AmountMinor - p.PaidMinor }).ToListAsync(ct);
        receipts.AddRange(open.Where(p => p.Left > 0).Select(p => new ExpectedReceipt(p.PromisedFor, p.Left, promiseRate, FromPromise: true)));

        var installments = await (
            from i in db.PlanInstallments.AsNoTracking()
            join p in db.PaymentPlans on new { i.PlanId, i.Version } equals new { PlanId = p.Id, Version = p.ScheduleVersion }
            where p.Status == PlanStatus.Active && p.Currency == currency
            select new { i.PlanId, i.Due, i.AmountMinor, i.PaidMinor, i.Status }).ToListAsync(ct);
        var judged = installments.Where(i => i.Status != InstallmentStatus.Pending).ToList();
        var portfolioRate = judged.Count == 0 ? DefaultInstallmentKeepRate : (decimal)judged.Count(i => i.Status != InstallmentStatus.Missed) / judged.Count;
        foreach (var plan in installments.GroupBy(i => i.PlanId))
        {
            var record = plan.Where(i => i.Status != InstallmentStatus.Pending).ToList();
            var rate = CashFlowForecast.Blend(record.Count(i => i.Status != InstallmentStatus.Missed), record.Count, portfolioRate);
            receipts.AddRange(plan.Where(i => i.Status == InstallmentStatus.Pending && i.AmountMinor > i.PaidMinor)
                .Select(i => new ExpectedReceipt(i.Due, i.AmountMinor - i.PaidMinor, rate, FromPromise: false)));
        }

        return new CashFlowView(currency, today, decimal.Round(promiseRate, 4), decimal.Round(portfolioRate, 4), CashFlowForecast.ByWeek(receipts, today, weeks));
    }
}
