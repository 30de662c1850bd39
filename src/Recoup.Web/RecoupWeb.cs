using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.AspNetCore.Identity;
using Recoup.Data;
using Recoup.Data.Identity;
using Recoup.Services.Storage;
using Recoup.Web.Api;
using Recoup.Web.Components;
using Recoup.Web.Identity;
using Scalar.AspNetCore;

namespace Recoup.Web;

/// <summary>
/// Builds Recoup's web application: the collector screens (server-rendered Razor components), the
/// REST API under /api with its OpenAPI document, sign-in with cookies or API keys, health checks.
/// </summary>
public static class RecoupWeb
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Signs in a browser by cookie, a script by API key: chosen per request.</summary>
    public const string Scheme = "recoup";

    public static WebApplication Build(string[] args, RecoupDatabase database, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        AddServices(builder.Services, database);
        if (Environment.GetEnvironmentVariable("RECOUP_LOG_FORMAT") == "json")
        {
            builder.Logging.ClearProviders().AddJsonConsole();
        }

        configure?.Invoke(builder);
        var app = builder.Build();
        UseRecoup(app);
        return app;
    }

    /// <summary>The services of the web application; also used by the CLI's user and API-key commands.</summary>
    public static void AddServices(IServiceCollection services, RecoupDatabase database)
    {
        services.AddSingleton(database);
        services.AddSingleton(TimeProvider.System);
        services.AddScoped(_ => database.CreateContext());

        services.AddIdentity<RecoupUser, IdentityRole>(options =>
            {
                PasswordRules(options);
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
                options.User.RequireUniqueEmail = false;
            })
            .AddEntityFrameworkStores<RecoupDbContext>()
            .AddDefaultTokenProviders();

        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/login";
            options.LogoutPath = "/logout";
            options.AccessDeniedPath = "/denied";
            options.Cookie.Name = "recoup";
            options.SlidingExpiration = true;
            options.ExpireTimeSpan = TimeSpan.FromHours(10);
            options.Events.OnRedirectToLogin = context => ApiAware(context, StatusCodes.Status401Unauthorized);
            options.Events.OnRedirectToAccessDenied = context => ApiAware(context, StatusCodes.Status403Forbidden);
        });

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = Scheme;
                options.DefaultAuthenticateScheme = Scheme;
                options.DefaultChallengeScheme = Scheme;
                options.DefaultForbidScheme = Scheme;
            })
            .AddPolicyScheme(Scheme, "Cookie or API key", options =>
                options.ForwardDefaultSelector = context =>
                    ApiKeyAuthentication.HasKey(context.Request) ? ApiKeyAuthentication.SchemeName : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(Scheme).RequireRole(Roles.All).Build())
            .AddPolicy(Policies.MoveMoney, p => p.RequireRole(Roles.Collector, Roles.Supervisor, Roles.Manager, Roles.Admin))
            .AddPolicy(Policies.GrantComplianceException, p => p.RequireRole(Roles.Manager, Roles.Admin))
            .AddPolicy(Policies.ReadAudit, p => p.RequireRole(Roles.Auditor, Roles.Admin))
            .AddPolicy(Policies.Administer, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Policies.ManageWorkQueues, p => p.RequireRole(Roles.Supervisor, Roles.Manager, Roles.Admin))
            .AddPolicy(Policies.ApproveRefunds, p => p.RequireRole(Roles.Supervisor, Roles.Manager, Roles.Admin))
            .AddPolicy(Policies.ManageClients, p => p.RequireRole(Roles.Manager, Roles.Admin));

        services.AddScoped<ApiKeys>();
        services.AddScoped<Users>();
        services.AddScoped<Recoup.Services.Reporting.ReportSubscriptions>();
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddOpenApi();
        services.AddHealthChecks().AddDbContextCheck<RecoupDbContext>("database", tags: ["ready"]);
        services.AddHttpLogging(options =>
        {
            options.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;
            options.CombineLogs = true;
        });
        services.AddRazorComponents();
        services.AddCascadingAuthenticationState();
        services.AddHttpContextAccessor();
        services.AddRecoupApi();
    }

    /// <summary>At least 10 characters with a digit, a lower-case and an upper-case letter.</summary>
    public static void PasswordRules(IdentityOptions options)
    {
        options.Password.RequiredLength = 10;
        options.Password.RequireNonAlphanumeric = false;
    }

    private static void UseRecoup(WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        // A browser gets a page for an error status (the unknown address above all); the API keeps its problem documents.
        app.UseStatusCodePagesWithReExecute("/status/{0}", createScopeForStatusCodePages: true);
        app.Use((context, next) =>
        {
            // Only the re-execution is switched off here: the problem documents above still answer the API.
            if (IsApi(context.Request.Path) && context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages)
            {
                pages.Enabled = false;
            }

            return next(context);
        });
        app.UseHttpLogging();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();
        app.MapOpenApi();
        app.MapScalarApiReference("/api/reference");
        app.MapRecoupApi();
        app.MapSignIn();
        app.MapRazorComponents<App>();
    }

    private static bool IsApi(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/health");

    private static Task ApiAware(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/openapi"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}

/// <summary>Authorization policies beyond "any role".</summary>
public static class Policies
{
    /// <summary>Posting payments, adjustments and the like.</summary>
    public const string MoveMoney = "move-money";

    /// <summary>Recording and revoking a documented exception to a compliance rule: managers and admins, never collectors or supervisors.</summary>
    public const string GrantComplianceException = "grant-compliance-exception";

    public const string ReadAudit = "read-audit";
    public const string Administer = "administer";

    /// <summary>Building the work queues and moving accounts between collectors.</summary>
    public const string ManageWorkQueues = "manage-work-queues";

    /// <summary>Approving or rejecting a refund above the approval threshold: supervisors, managers and admins.</summary>
    public const string ApproveRefunds = "approve-refunds";

    /// <summary>Adding and changing creditor clients: managers and admins.</summary>
    public const string ManageClients = "manage-clients";
}

/// <summary>The services the CLI's administrative commands need (users, API keys), without a web server.</summary>
public static class AdminServices
{
    public static ServiceProvider Create(RecoupDatabase database)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection();
        services.AddSingleton(database);
        services.AddSingleton(TimeProvider.System);
        services.AddScoped(_ => database.CreateContext());
        services.AddIdentityCore<RecoupUser>(RecoupWeb.PasswordRules)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<RecoupDbContext>();
        services.AddScoped<ApiKeys>();
        services.AddScoped<Users>();
        return services.BuildServiceProvider();
    }
}
