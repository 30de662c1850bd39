using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Recoup.Data.Identity;
using Recoup.Domain;
using Recoup.Services.Dashboard;
using Recoup.Services.Payments;
using Recoup.Web;
using Recoup.Web.Identity;
using static Microsoft.Playwright.Assertions;

namespace Recoup.Browser.Tests;

/// <summary>A collector's day: sign in, read the dashboard, find accounts, open one, post a payment.</summary>
[Collection(SiteCollection.Name)]
public sealed class CollectorScreenTests(RecoupSite site)
{
    [Fact]
    public async Task SignIn_WithWrongPassword_ShowsTheError_ThenSignsIn()
    {
        var page = await site.NewPageAsync();
        await page.GotoAsync("/accounts");
        await Expect(page).ToHaveURLAsync(new Regex("/login\\?"));
        await RecoupSite.ScreenshotAsync(page, "01-login");

        await page.GetByLabel("User name").FillAsync("collector");
        await page.GetByLabel("Password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Wrong user name or password");
        await RecoupSite.ScreenshotAsync(page, "02-login-wrong-password");

        await page.GetByLabel("User name").FillAsync("collector");
        await page.GetByLabel("Password").FillAsync(RecoupSite.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(site.Url + "/accounts");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Accounts", Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Dashboard_ShowsTheBucketTotalsOfEachCurrency()
    {
        var expected = await new DashboardQuery(site.Database).GetAsync(site.Today);
        var page = await site.SignedInAsync("collector");

        Assert.NotEmpty(expected.Currencies);
        foreach (var currency in expected.Currencies)
        {
            var aging = page.GetByTestId("aging-" + currency.Currency.Code);
            foreach (var bucket in currency.Buckets)
            {
                var row = aging.Locator($"tr[data-bucket='{bucket.Name}']");
                await Expect(row.Locator("td").Nth(1)).ToHaveTextAsync(Grouped(bucket.Open));
                await Expect(row.Locator("td").Nth(3)).ToHaveTextAsync(bucket.Accounts.ToString("N0", CultureInfo.InvariantCulture));
            }

            await Expect(aging.Locator("tfoot td").Nth(1)).ToHaveTextAsync(Grouped(currency.Open));
            await Expect(page.GetByTestId("past-due-" + currency.Currency.Code)).ToContainTextAsync(Grouped(currency.PastDue));
        }

        await RecoupSite.ScreenshotAsync(page, "03-dashboard");
    }

    [Fact]
    public async Task Search_ByName_WithTheKeyboardOnly_OpensTheAccount()
    {
        var account = await Portfolio.UniquelyNamedAsync(site.Database);
        var page = await site.SignedInAsync("collector");

        // "/" focuses the search in the top bar; Enter searches; the first result has the focus; Enter opens it.
        await page.Keyboard.PressAsync("/");
        await page.Keyboard.TypeAsync(account.Name);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(new Regex("/accounts\\?q="));
        var first = page.GetByTestId("accounts").Locator("tbody tr").First;
        await Expect(first).ToContainTextAsync(account.Name);
        await Expect(first).ToContainTextAsync(account.DebtorExternalId);
        await Expect(first.Locator("a[data-row-link]")).ToBeFocusedAsync();

        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(site.Url + $"/accounts/{account.AccountId}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(account.Name);
    }

    [Fact]
    public async Task Search_ByInvoiceNumber_FindsItsAccount()
    {
        var (number, account) = await Portfolio.OpenInvoiceAsync(site.Database);
        var page = await site.SignedInAsync("collector");

        await page.GotoAsync("/accounts");
        await Expect(page.GetByTestId("accounts").Locator("tbody tr")).ToHaveCountAsync(50);
        await RecoupSite.ScreenshotAsync(page, "04-accounts");

        // The search box on the list has the focus when the list opens without a search.
        await Expect(page.Locator("#q")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(number);
        await page.Keyboard.PressAsync("Enter");
        var rows = page.GetByTestId("accounts").Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync(account.Name);
        await RecoupSite.ScreenshotAsync(page, "05-accounts-search");

        await rows.First.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.GetByTestId("open-invoices").Or(page.GetByTestId("ledger")).First).ToContainTextAsync(number);
    }

    [Fact]
    public async Task Filters_And_Paging_KeepTheirStateInTheAddress()
    {
        var page = await site.SignedInAsync("collector");
        await page.GotoAsync("/accounts");
        await page.GetByLabel("Status").SelectOptionAsync("delinquent");
        await page.GetByLabel("Sort by").SelectOptionAsync("dpd_desc");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("status=delinquent.*sort=dpd_desc"));

        var rows = page.GetByTestId("accounts").Locator("tbody tr");
        await Expect(rows.First).ToBeVisibleAsync();
        foreach (var pill in await rows.Locator(".pill").AllInnerTextsAsync())
        {
            Assert.Equal("Delinquent", pill);
        }

        var days = (await rows.Locator("td:nth-child(4)").AllInnerTextsAsync()).Select(t => int.Parse(t, NumberStyles.AllowThousands, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(days.OrderByDescending(d => d), days);

        var next = page.GetByRole(AriaRole.Link, new() { Name = "Next" });
        if (await next.CountAsync() > 0)
        {
            await next.ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("cursor="));
            await Expect(page.GetByLabel("Status")).ToHaveValueAsync("delinquent");
            await page.GoBackAsync();
            await Expect(page).Not.ToHaveURLAsync(new Regex("cursor="));
        }
    }

    [Fact]
    public async Task PostPayment_ChangesTheBalanceTheLedgerAndTheTimeline()
    {
        var account = await Portfolio.UniquelyNamedAsync(site.Database, skip: 1);
        var currency = account.Currency;
        var page = await site.SignedInAsync("collector");
        await page.GotoAsync($"/accounts/{account.AccountId}");

        var before = new Money(account.BalanceMinor, currency);
        await Expect(page.GetByTestId("balance")).ToHaveTextAsync($"{Grouped(before)} {currency.Code}");
        var ledgerRows = page.GetByTestId("ledger").Locator("tbody tr");
        var entries = await ledgerRows.CountAsync();
        await RecoupSite.ScreenshotAsync(page, "06-account");

        // Pay a little less than the balance, by check, with a reference.
        var amount = new Money(Math.Min(account.BalanceMinor - 1, 2_500 * currency.MinorPerMajor / 100), currency);
        await page.Keyboard.PressAsync("p");
        await Expect(page.Locator("#payment").GetByLabel("Amount")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(amount.ToDecimalString());
        await page.GetByLabel("Method").SelectOptionAsync("check");
        await page.GetByLabel("Reference").FillAsync("1042");
        await page.GetByRole(AriaRole.Button, new() { Name = "Post payment" }).ClickAsync();

        // Post-redirect-get: back on the account, with the payment in the figures, the ledger and the timeline.
        await page.WaitForURLAsync(new Regex($"/accounts/{account.AccountId}\\?posted=\\d+$"));
        var after = before - amount;
        await Expect(page.GetByTestId("flash")).ToContainTextAsync($"Payment of {Grouped(amount)} {currency.Code} posted");
        await Expect(page.GetByTestId("balance")).ToHaveTextAsync($"{Grouped(after)} {currency.Code}");
        await Expect(ledgerRows).ToHaveCountAsync(entries + 1);
        var paymentRow = ledgerRows.Filter(new() { HasText = "check 1042" });
        await Expect(paymentRow).ToHaveCountAsync(1);
        await Expect(paymentRow.Locator("td").Nth(4)).ToHaveTextAsync("\u2212" + Grouped(amount));
        await Expect(paymentRow.Locator("td").Nth(5)).ToHaveTextAsync(Grouped(after));
        var latest = page.GetByTestId("timeline").Locator("li").First;
        await Expect(latest).ToContainTextAsync($"Payment of {amount.ToDecimalString()} {currency.Code} received on {site.Today:yyyy-MM-dd}");
        await Expect(latest).ToContainTextAsync("collector");
        await RecoupSite.ScreenshotAsync(page, "07-account-after-payment");

        // Reloading the page shows the same account; it posts nothing again.
        await page.ReloadAsync();
        await Expect(ledgerRows).ToHaveCountAsync(entries + 1);
        await using var db = site.Database.CreateContext();
        Assert.Equal(after.Minor, (await db.AccountSummaries.SingleAsync(s => s.AccountId == account.AccountId)).BalanceMinor);
    }

    [Fact]
    public async Task PostPayment_WithBadInput_ShowsEachErrorNextToItsField_AndPostsNothing()
    {
        var account = await Portfolio.UniquelyNamedAsync(site.Database, skip: 2);
        var page = await site.SignedInAsync("collector");
        await page.GotoAsync($"/accounts/{account.AccountId}");
        var entries = await page.GetByTestId("ledger").Locator("tbody tr").CountAsync();

        await page.Locator("#payment").GetByLabel("Amount").FillAsync("twelve");
        await page.GetByLabel("Received on").FillAsync(site.Today.AddDays(3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Post payment" }).ClickAsync();

        await Expect(page.GetByTestId("payment-error")).ToContainTextAsync("Nothing was posted");
        await Expect(page.Locator("#amount-error")).ToContainTextAsync("'twelve' is not an amount");
        await Expect(page.Locator("#method-error")).ToContainTextAsync("Choose how the payment was received");
        await Expect(page.Locator("#received_on-error")).ToContainTextAsync("cannot be received in the future");
        await Expect(page.Locator("#payment").GetByLabel("Amount")).ToHaveValueAsync("twelve");
        await Expect(page.Locator("#payment").GetByLabel("Amount")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByTestId("ledger").Locator("tbody tr")).ToHaveCountAsync(entries);
        await RecoupSite.ScreenshotAsync(page, "08-account-payment-errors");
    }

    [Fact]
    public async Task PostPayment_OnAnAccountChangedMeanwhile_PostsNothing_UntilSentAgain()
    {
        var account = await Portfolio.UniquelyNamedAsync(site.Database, skip: 5);
        var page = await site.SignedInAsync("collector");
        await page.GotoAsync($"/accounts/{account.AccountId}");
        var ledgerRows = page.GetByTestId("ledger").Locator("tbody tr");
        var entries = await ledgerRows.CountAsync();

        // Someone else posts a payment while this page is open.
        var other = await new PostPayment(site.Database, TimeProvider.System).RunAsync(
            new PostPaymentRequest(new AccountId(account.AccountId), 1m, site.Today, "cash", "counter", null, null), "supervisor");
        Assert.True(other.IsSuccess, other.Error?.Message);

        await page.Locator("#payment").GetByLabel("Amount").FillAsync("2.00");
        await page.GetByLabel("Method").SelectOptionAsync("card");
        await page.GetByRole(AriaRole.Button, new() { Name = "Post payment" }).ClickAsync();
        await Expect(page.GetByTestId("payment-error")).ToContainTextAsync("Nothing was posted: the account changed after you opened it");
        await Expect(ledgerRows).ToHaveCountAsync(entries + 1);
        await Expect(page.GetByTestId("timeline").Locator("li").First).ToContainTextAsync("supervisor");
        await Expect(page.Locator("#payment").GetByLabel("Amount")).ToHaveValueAsync("2.00");

        // Having seen the change, the collector sends the form again: now it posts.
        await page.GetByRole(AriaRole.Button, new() { Name = "Post payment" }).ClickAsync();
        await Expect(page.GetByTestId("flash")).ToContainTextAsync("Payment of 2.00");
        await Expect(ledgerRows).ToHaveCountAsync(entries + 2);
    }

    [Fact]
    public async Task SignIn_AfterFiveWrongPasswords_SaysTheUserIsLocked()
    {
        // A user of its own: locking out one the other tests sign in as would fail them for the lockout's length.
        var user = $"locked-{Guid.NewGuid():N}"[..16];
        await using (var services = AdminServices.Create(site.Database))
        await using (var scope = services.CreateAsyncScope())
        {
            var added = await scope.ServiceProvider.GetRequiredService<Users>().AddAsync(user, Roles.Manager, RecoupSite.Password, "Locked Manager");
            Assert.True(added.IsSuccess, added.Error?.Message);
        }

        var page = await site.NewPageAsync();
        await page.GotoAsync("/login");
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await page.GetByLabel("User name").FillAsync(user);
            await page.GetByLabel("Password").FillAsync("wrong-" + attempt.ToString(CultureInfo.InvariantCulture));
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        }

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("This user is locked");

        // Even the right password is refused while the lockout lasts.
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(RecoupSite.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("This user is locked");
        await RecoupSite.ScreenshotAsync(page, "02b-login-locked");
    }

    [Fact]
    public async Task Screens_FitASmallLaptop_WithoutScrollingSideways()
    {
        var account = await Portfolio.UniquelyNamedAsync(site.Database, skip: 4);
        var page = await site.SignedInAsync("collector");
        await page.SetViewportSizeAsync(1280, 800);
        foreach (var (address, name) in new[] { ("/", "11-dashboard-1280"), ("/accounts", "12-accounts-1280"), ($"/accounts/{account.AccountId}", "13-account-1280") })
        {
            await page.GotoAsync(address);
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"{address} is {overflow}px wider than a 1280px window");
            await RecoupSite.ScreenshotAsync(page, name);
        }
    }

    [Fact]
    public async Task UnknownAccount_ShowsTheFriendlyNotFoundPage()
    {
        var page = await site.SignedInAsync("collector");
        var response = await page.GotoAsync($"/accounts/{Guid.NewGuid()}");
        Assert.Equal(404, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "There is nothing here" })).ToBeVisibleAsync();

        response = await page.GotoAsync("/accounts/not-an-account");
        Assert.Equal(404, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "There is nothing here" })).ToBeVisibleAsync();
        await RecoupSite.ScreenshotAsync(page, "10-not-found");
    }

    [Fact]
    public async Task Collector_CannotOpenTheAuditLog()
    {
        var page = await site.SignedInAsync("collector");
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Audit log" })).ToHaveCountAsync(0);
        await page.GotoAsync("/audit");
        await Expect(page).ToHaveURLAsync(new Regex("/denied"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed for your role" })).ToBeVisibleAsync();
    }

    /// <summary>An amount as the screens write it: grouped by thousands, the currency's decimals.</summary>
    public static string Grouped(Money money) =>
        (money.IsNegative ? "\u2212" : "") + Math.Abs(money.ToDecimal()).ToString("N" + money.Currency.Exponent.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
