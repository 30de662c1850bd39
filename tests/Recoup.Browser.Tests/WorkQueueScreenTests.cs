using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Recoup.Data.Identity;
using Recoup.Data.WorkQueues;
using Recoup.Domain.Conversations;
using Recoup.Domain.Debtors;
using Recoup.Domain.WorkQueues;
using Recoup.Services.Imports;
using Recoup.Services.Storage;
using Recoup.Services.WorkQueues;
using Recoup.Testing;
using Recoup.Web;
using Recoup.Web.Identity;
using static Microsoft.Playwright.Assertions;

namespace Recoup.Browser.Tests;

/// <summary>
/// The collector's "next account" flow with the keyboard only: sign in, go to the work queue, choose the
/// outcome with a number key, write the note, pick a reason and a callback, save with Ctrl+Enter, and
/// carry on with the next account without leaving the page.
/// </summary>
/// <remarks>
/// The gate's answer depends on the time of day in the debtor's zone, so this test runs its own copy of
/// the application whose clock reads 17:00 UTC today (11:00 in Chicago, 9:00 in Los Angeles, 7:00 in
/// Honolulu — too early to call there) and moves on from there in real time.
/// </remarks>
[Collection(SiteCollection.Name)]
public sealed class WorkQueueScreenTests(RecoupSite site) : IAsyncLifetime
{
    private WebApplication? _app;
    private RecoupDatabase _database = null!;
    private ShiftedClock _clock = null!;
    private string _url = "";

    public async Task InitializeAsync()
    {
        _clock = ShiftedClock.To(new DateTimeOffset(site.Today.ToDateTime(new TimeOnly(17, 0)), TimeSpan.Zero));
        _database = await TestDatabases.CreateAsync(DatabaseProvider.Sqlite);
        var portfolio = new TestPortfolio()
            .Debtors(
                "B1,Maria Gonzalez,person,consumer,maria@example.com,+1 312 555 0147,1418 W Belmont Ave,Chicago,IL,60657,US,",
                "B2,Lena Ortiz,person,consumer,,+1 213 555 0101,500 S Grand Ave,Los Angeles,CA,90071,US,",
                "B3,Noah Kim,person,consumer,,+1 212 555 0103,10 Wall St,New York,NY,10005,US,",
                "B4,Kai Akana,person,consumer,,+1 808 555 0104,2335 Kalakaua Ave,Honolulu,HI,96815,US,")
            .Invoices(
                "B-1,B1,2026-06-01,2026-07-01,2400.00,USD",
                "B-2,B2,2026-06-01,2026-07-01,1800.00,USD",
                "B-3,B3,2026-06-01,2026-07-01,900.00,USD",
                "B-4,B4,2026-06-01,2026-07-01,5000.00,USD");
        Assert.True((await new ImportPortfolio(_database, _clock).RunAsync(portfolio.Folder)).Succeeded);

        await using (var services = AdminServices.Create(_database))
        await using (var scope = services.CreateAsyncScope())
        {
            var added = await scope.ServiceProvider.GetRequiredService<Users>().AddAsync("collector", Roles.Collector, RecoupSite.Password);
            Assert.True(added.IsSuccess, added.Error?.Message);
        }

        await using (var db = _database.CreateContext())
        {
            db.CollectorProfiles.Add(new CollectorProfile { UserName = "collector", Capacity = 100 });
            db.AssignmentRules.Add(new AssignmentRuleRecord { Id = Guid.CreateVersion7(), Order = 1, Name = "Consumer", DebtType = DebtType.Consumer, Collectors = ["collector"] });
            await db.SaveChangesAsync();
        }

        await new BuildWorkQueues(_database, _clock).RunAsync("supervisor");
        _app = RecoupWeb.Build([], _database, builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.AddSingleton<TimeProvider>(_clock);
        });
        await _app.StartAsync();
        _url = _app.Urls.Single();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task NextAccount_LogTheOutcome_ScheduleACallback_AndMoveOn_WithTheKeyboardOnly()
    {
        var context = await site.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _url,
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(10_000);
        var page = await context.NewPageAsync();

        // Sign in: the user name has the focus; Tab to the password; Enter signs in.
        await page.GotoAsync("/login");
        await page.Keyboard.TypeAsync("collector");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(RecoupSite.Password);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(_url + "/");

        // "w" opens the work queue: Maria in Chicago first; Kai in Honolulu (5,000.00, the highest
        // balance) is passed over because it is 7:00 there.
        await page.Keyboard.PressAsync("w");
        await page.WaitForURLAsync(_url + "/work");
        var head = page.GetByTestId("work-account");
        await RecoupSite.ScreenshotAsync(page, "20-work-next-account");
        await Expect(head).ToContainTextAsync("Maria Gonzalez");
        await Expect(page.GetByTestId("contact-now")).ToContainTextAsync("+1 312 555 0147");
        await Expect(page.GetByTestId("skipped")).ToContainTextAsync("B4");
        await Expect(page.GetByTestId("queue-remaining")).ToContainTextAsync("4 accounts left");
        await RecoupSite.ScreenshotAsync(page, "20-work-next-account");

        // 6 = callback requested, and the focus moves to the notes.
        await page.Keyboard.PressAsync("6");
        await Expect(page.Locator("#outcome-callback_requested")).ToBeCheckedAsync();
        await Expect(page.Locator("#outcome-notes")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("Hours cut at work; asked us to call back tomorrow at 10.");
        await page.Keyboard.PressAsync("Tab"); // spoke with: as the outcome says
        await page.Keyboard.PressAsync("Tab"); // reason for delinquency
        await page.Keyboard.TypeAsync("Job");
        await page.Keyboard.PressAsync("Tab"); // follow-up
        await page.Keyboard.TypeAsync("C");
        await Expect(page.Locator("#outcome-reason")).ToHaveValueAsync("job_loss");
        await Expect(page.Locator("#follow-kind")).ToHaveValueAsync("callback");
        await RecoupSite.ScreenshotAsync(page, "21-work-outcome-filled");

        await page.Keyboard.PressAsync("Control+Enter");
        await page.WaitForURLAsync(new Regex("/work\\?logged="));
        await Expect(page.GetByTestId("flash")).ToContainTextAsync("Logged outbound call with Maria Gonzalez: callback requested.");
        var tomorrow = site.Today.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await Expect(page.GetByTestId("flash")).ToContainTextAsync($"Callback scheduled for {tomorrow} 10:00 in Chicago.");
        await Expect(head).ToContainTextAsync("Lena Ortiz");
        await Expect(page.GetByTestId("queue-remaining")).ToContainTextAsync("3 accounts left");
        await RecoupSite.ScreenshotAsync(page, "22-work-after-save");

        await using (var db = _database.CreateContext())
        {
            var call = await db.Interactions.AsNoTracking().SingleAsync();
            Assert.Equal((InteractionChannel.OutboundCall, InteractionOutcome.CallbackRequested, DelinquencyReason.JobLoss, PartyReached.Debtor, "collector"),
                (call.Channel, call.Outcome, call.Reason, call.Party, call.RecordedBy));
            var callback = await db.FollowUps.AsNoTracking().SingleAsync();
            Assert.Equal((FollowUpKind.Callback, "collector", "America/Chicago"), (callback.Kind, callback.Owner, callback.DueTimeZone));

            // 10:00 in Chicago in winter is 16:00 UTC.
            Assert.Equal(new DateTimeOffset(site.Today.AddDays(1).ToDateTime(new TimeOnly(16, 0)), TimeSpan.Zero), callback.DueAt);
        }

        // Lena: no answer (1), save; Noah: voicemail (2), save. Only Kai is left, and it is too early in Honolulu.
        await page.Keyboard.PressAsync("1");
        await page.Keyboard.PressAsync("Control+Enter");
        await Expect(head).ToContainTextAsync("Noah Kim");
        await page.Keyboard.PressAsync("2");
        await page.Keyboard.PressAsync("Control+Enter");
        await Expect(page.GetByTestId("queue-empty")).ToContainTextAsync("Nobody left in your queue may be contacted right now.");
        await Expect(page.GetByTestId("queue-empty")).ToContainTextAsync("18:00 UTC");
        await Expect(page.GetByTestId("skipped")).ToContainTextAsync("It is 07:");
        await RecoupSite.ScreenshotAsync(page, "23-work-queue-blocked");
        await context.CloseAsync();
    }

    /// <summary>The system clock moved by a fixed amount: time flows, but the day starts where the test wants it.</summary>
    private sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public static ShiftedClock To(DateTimeOffset now) => new(now - System.GetUtcNow());

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
    }
}
