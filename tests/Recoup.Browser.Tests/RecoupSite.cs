using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Recoup.Data.Identity;
using Recoup.Services.Demo;
using Recoup.Services.Imports;
using Recoup.Services.Storage;
using Recoup.Testing;
using Recoup.Web;
using Recoup.Web.Identity;
using static Microsoft.Playwright.Assertions;

namespace Recoup.Browser.Tests;

/// <summary>
/// The real web application on a fresh demo-like database (a generated portfolio, a user per role),
/// listening on a free loopback port, and the system's Chromium driven by Playwright. One per test
/// run: the tests share it and each opens its own browser context (its own cookies).
/// </summary>
public sealed class RecoupSite : IAsyncLifetime
{
    public const string Password = "Browser-test-2026";

    /// <summary>The Debian Chromium; Playwright never downloads a browser here (test.sh installs the package).</summary>
    public const string Chromium = "/usr/bin/chromium";

    private WebApplication? _app;
    private IPlaywright? _playwright;

    public RecoupDatabase Database { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where the app listens, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; private set; } = "";

    public DateOnly Today { get; } = DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>Full-page screenshots of the main screens, for a person to look at.</summary>
    public static string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Directory.CreateDirectory(Screenshots);
        EnsureWebRoot();

        Database = await TestDatabases.CreateAsync(DatabaseProvider.Sqlite);
        var folder = TempFolder.Create("portfolio");
        PortfolioGenerator.Write(folder, new PortfolioSpec(300, Today));
        var imported = await new ImportPortfolio(Database, TimeProvider.System).RunAsync(folder);
        Assert.True(imported.Succeeded, string.Join(Environment.NewLine, imported.Errors.Take(10)));
        await AddUsersAsync();

        _app = RecoupWeb.Build([], Database, builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await _app.StartAsync();
        Url = _app.Urls.Single();

        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"{Chromium} is missing: install the Debian package (apt-get install -y chromium), as test.sh does.");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>A new browser (own cookies) at a laptop's size, with <see cref="Url"/> as the base of relative addresses.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Url,
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(10_000);
        return await context.NewPageAsync();
    }

    /// <summary>A new browser signed in as <paramref name="user"/> (who is also that user's role), on the dashboard.</summary>
    public async Task<IPage> SignedInAsync(string user)
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/login");
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // The dashboard is the first page after signing in. Wait for its heading by polling the page, not for a load
        // event: the sign-in form posts through Blazor's enhanced navigation, which may change the address before the
        // dashboard's document loads, and a wait for the load event that began on the address then hung for its whole
        // timeout about one run in four (a race, not slowness: it happened on a quiet machine too). On a loaded CI
        // machine the first load can also take longer than a click's timeout, hence the minute.
        await Expect(page).ToHaveURLAsync(Url + "/", new() { Timeout = 60_000 });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Portfolio", Level = 1 })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        return page;
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    private async Task AddUsersAsync()
    {
        await using var services = AdminServices.Create(Database);
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Users>();
        foreach (var role in Roles.All)
        {
            var added = await users.AddAsync(role, role, Password, role);
            Assert.True(added.IsSuccess, added.Error?.Message);
        }
    }

    /// <summary>
    /// The app serves its stylesheet and script from <c>wwwroot</c> beside the running assembly. Until
    /// Recoup.Web copies them into the output of the programs that host it, copy them here from the
    /// source tree, so the screens (and their screenshots) look as designed.
    /// </summary>
    private static void EnsureWebRoot()
    {
        var source = Path.Combine(RepositoryRoot.Path, "src", "Recoup.Web", "wwwroot");
        var target = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            if (!File.Exists(copy) || File.GetLastWriteTimeUtc(copy) < File.GetLastWriteTimeUtc(file))
            {
                File.Copy(file, copy, overwrite: true);
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SiteCollection : ICollectionFixture<RecoupSite>
{
    public const string Name = "site";
}
