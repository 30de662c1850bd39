using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Recoup.Data;
using Recoup.Services.Storage;
using Recoup.Testing;

namespace Recoup.Web.Tests;

/// <summary>
/// The web application in memory, on a test database of the chosen provider and a fixed clock:
/// Program's own database and clock registrations are replaced.
/// </summary>
public sealed class RecoupApiFactory(RecoupDatabase database, TimeProvider clock) : WebApplicationFactory<Program>
{
    static RecoupApiFactory()
    {
        // Program migrates the database RECOUP_DB names before the test's replaces it: give it a
        // throwaway file instead of recoup.db in the working directory.
        Environment.SetEnvironmentVariable(RecoupDatabase.EnvironmentVariable, Path.Combine(TempFolder.Create("program"), "unused.db"));
    }

    public RecoupDatabase Database => database;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<RecoupDatabase>();
            services.AddSingleton(database);
            services.RemoveAll<RecoupDbContext>();
            services.AddScoped(_ => database.CreateContext());
            services.RemoveAll<TimeProvider>();
            services.AddSingleton(clock);
        });
    }

    /// <summary>A client that follows no redirects and sends no credentials.</summary>
    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>A client that sends the API key as <c>Authorization: Bearer KEY</c>.</summary>
    public HttpClient WithBearer(string key)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>A client that sends the API key as <c>X-Api-Key: KEY</c>.</summary>
    public HttpClient WithApiKey(string key)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    public static FakeTimeProvider FixedClock() =>
        new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero)) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };
}
