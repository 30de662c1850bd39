using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Recoup.Domain;
using Recoup.Domain.Plans;
using Recoup.Services.Imports;
using Recoup.Services.Plans;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Web.Tests.Templates;

/// <summary>
/// Installment reminders are written with the messaging settings of the host that writes them (its <c>Recoup:Company</c>),
/// not with settings one host left in a static for every other host of the process. About the host's services, not
/// storage: one provider.
/// </summary>
public sealed class HostMessagingSettingsTests
{
    [Fact]
    public async Task A_host_s_installment_reminders_come_from_its_own_configured_company()
    {
        var clock = RecoupApiFactory.FixedClock();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var database = await TestDatabases.CreateAsync(DatabaseProvider.Sqlite);
        var portfolio = new TestPortfolio()
            .Debtors("N1,Nora Lind,person,consumer,nora@example.com,,,,,,,America/New_York")
            .Invoices("N-INV-1,N1,2026-08-01,2026-08-31,600.00,USD");
        Assert.True((await new ImportPortfolio(database, clock).RunAsync(portfolio.Folder)).Succeeded);
        AccountId account;
        await using (var db = database.CreateContext())
        {
            account = (await db.Accounts.SingleAsync()).Id;
        }

        var plan = await new PaymentPlans(database, clock, new PlanSettings()).CreateAsync(
            new CreatePlan(account, null, Money.Zero(Currency.USD), PlanFrequency.Monthly, today.AddDays(2), 3, null), "sam", mayApprove: true);
        Assert.True(plan.IsSuccess, plan.Error?.Message);

        // Two hosts in one process, the second with a company of its own.
        await using var plain = new RecoupApiFactory(database, clock);
        await using var configured = new RecoupApiFactory(database, clock).WithWebHostBuilder(builder => builder.ConfigureAppConfiguration((_, configuration) =>
            configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes("""{"Recoup": {"Company": {"Name": "Northwind Recoveries"}}}""")))));
        plain.CreateClient().Dispose();
        configured.CreateClient().Dispose();

        await using (var scope = configured.Services.CreateAsyncScope())
        {
            var run = await scope.ServiceProvider.GetRequiredService<PlanMonitoring>().RunAsync(today);
            Assert.Equal(1, run.RemindersQueued + run.RemindersBlocked);
        }

        await using var check = database.CreateContext();
        var reminder = await check.Outbox.AsNoTracking().SingleAsync(m => m.Purpose == PlanReminders.Purpose);
        Assert.Contains("Northwind Recoveries", reminder.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Recoup Collections", reminder.Body, StringComparison.Ordinal);
    }
}
