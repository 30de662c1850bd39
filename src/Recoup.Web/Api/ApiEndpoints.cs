using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Recoup.Services.Accounts;
using Recoup.Services.Aging;
using Recoup.Services.Audit;
using Recoup.Services.Dashboard;
using Recoup.Services.Ledger;
using Recoup.Services.Payments;
using Recoup.Services.Storage;
using Recoup.Services.WorkQueues;
using Recoup.Domain.WorkQueues;

namespace Recoup.Web.Api;

/// <summary>
/// The REST API under /api, one file per capability: accounts, payments, debtors, aging, dashboard,
/// audit. JSON is snake_case; money is <c>{"amount":"123.45","currency":"USD"}</c>; every error is
/// an RFC 9457 problem document (docs/api.md).
/// </summary>
public static class ApiEndpoints
{
    public static IServiceCollection AddRecoupApi(this IServiceCollection services)
    {
        services.AddScoped<AgingQuery>();
        services.AddScoped<AccountStatement>();
        services.AddScoped<AccountSearch>();
        services.AddScoped<AccountDetails>();
        services.AddScoped<Recoup.Services.Risk.AccountRiskScores>();
        services.AddScoped<DebtorDirectory>();
        services.AddScoped<PostPayment>();
        services.AddSingleton(provider => PaymentSettings.Load(provider.GetService<IConfiguration>()));
        services.AddSingleton<IPaymentGateway>(provider => provider.GetRequiredService<PaymentSettings>().Gateway switch
        {
            "test" => new TestPaymentGateway(provider.GetRequiredService<TimeProvider>()),
            _ => new NoPaymentGateway(),
        });
        services.AddScoped<TakeCardPayment>();
        services.AddScoped<ReversePayment>();
        services.AddScoped<Refunds>();
        services.AddSingleton(PaymentReaders.Default);
        services.AddScoped(provider => new ImportPaymentFile(provider.GetRequiredService<RecoupDatabase>(), provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<PaymentReaders>(), provider.GetRequiredService<PaymentSettings>())
        {
            AutoPostThreshold = PaymentImportEndpoints.AutoPostThreshold(provider.GetService<IConfiguration>()),
        });
        services.AddScoped<UnmatchedPayments>();
        services.AddScoped<MatchUnmatchedPayment>();
        services.AddScoped<ReturnUnmatchedPayment>();

        // The gate's rules, read once from Recoup:Compliance; a wrong configuration stops the start-up (ComplianceConfigurationCheck).
        services.AddSingleton(provider => Recoup.Services.Compliance.RuleSetConfiguration.Load(provider.GetService<IConfiguration>()));
        services.AddHostedService<ComplianceConfigurationCheck>();
        services.AddScoped<Recoup.Services.Compliance.ComplianceCheck>();
        services.AddScoped<Recoup.Services.Compliance.RecordComplianceException>();
        services.AddScoped<Recoup.Services.Compliance.RevokeComplianceException>();
        services.AddScoped<Recoup.Services.Compliance.ListComplianceExceptions>();
        services.AddScoped<DashboardQuery>();
        services.AddScoped<AuditLog>();
        services.AddScoped<RebuildAccountSummaries>();
        services.AddScoped(provider => new BuildWorkQueues(provider.GetRequiredService<RecoupDatabase>(), provider.GetRequiredService<TimeProvider>())
        {
            Weights = provider.GetRequiredService<QueuePriorityWeights>(),
            DailyQueueSize = DailyQueueSize(provider.GetService<IConfiguration>()),
        });
        services.AddScoped(provider => new ReassignAccounts(provider.GetRequiredService<RecoupDatabase>(), provider.GetRequiredService<TimeProvider>())
        {
            Weights = provider.GetRequiredService<QueuePriorityWeights>(),
        });
        services.AddScoped(provider => new NextAccount(provider.GetRequiredService<RecoupDatabase>(), provider.GetRequiredService<TimeProvider>())
        {
            Rules = provider.GetRequiredService<Recoup.Domain.Compliance.RuleSet>(),
        });
        services.AddScoped<FollowUps>();
        services.AddScoped<QueueListing>();
        services.AddScoped<Recoup.Services.Conversations.ConversationLog>();
        services.AddSingleton(provider => PriorityWeights(provider.GetService<IConfiguration>()));
        services.AddScoped<Recoup.Services.Contacts.ContactPoints>();
        services.AddScoped<Recoup.Services.Contacts.ImportSkipTrace>();
        services.AddScoped<AssignmentRules>();
        services.AddScoped<IdempotencyClaims>();
        services.AddSingleton(provider => Recoup.Services.Plans.PlanSettings.Load(provider.GetService<IConfiguration>()));
        services.AddScoped<Recoup.Services.Plans.Promises>();
        services.AddScoped<Recoup.Services.Plans.PaymentPlans>();
        services.AddScoped<Recoup.Services.Plans.Settlements>();
        services.AddScoped<Recoup.Services.Plans.PlanMonitoring>();
        services.AddScoped<Recoup.Services.Plans.CashFlow>();
        services.AddSingleton(provider => Recoup.Services.Ach.AchSettings.Load(provider.GetService<IConfiguration>()));
        services.AddScoped<Recoup.Services.Ach.AchAuthorizations>();
        services.AddScoped<Recoup.Services.Ach.AchDebits>();
        services.AddScoped<Recoup.Services.Ach.AchReturns>();
        services.AddHoldsAndCharges();
        Recoup.Web.Messaging.MessagingRegistration.AddRecoupMessaging(services);
        services.AddDisputes();
        services.AddRecoupTemplates();
        services.AddRecoupReports();
        services.AddRecoupStrategies();
        services.AddScoped<Recoup.Services.Clients.ClientBook>();

        // Minimal APIs only: Razor components do not serialise with these options.
        services.ConfigureHttpJsonOptions(options => ApiJson.Configure(options.SerializerOptions));
        services.Configure<ProblemDetailsOptions>(options => options.CustomizeProblemDetails = Explain);
        services.Configure<OpenApiOptions>("v1", options => options.AddDocumentTransformer(DescribeAsync));
        return services;
    }

    public static void MapRecoupApi(this WebApplication app)
    {
        var api = app.MapGroup("/api")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapAccounts();
        api.MapPayments();
        api.MapCardPayments();
        api.MapRefunds();
        api.MapPlans();
        api.MapAch();
        api.MapDebtors();
        api.MapAging();
        api.MapDashboard();
        api.MapAudit();
        api.MapCompliance();
        api.MapWorkQueues();
        api.MapContactPoints();
        api.MapInteractions();
        api.MapFollowUps();
        api.MapAssignmentRules();
        api.MapSkipTrace();
        api.MapPaymentImports();
        api.MapHoldsAndCharges();
        api.MapMessaging();
        api.MapDisputes();
        api.MapTemplates();
        api.MapReports();
        api.MapReportSubscriptions();
        api.MapCollectorTargets();
        api.MapStrategies();
        api.MapClients();
    }

    /// <summary>How many accounts each collector's queue holds for the day (<c>Recoup:WorkQueues:DailyQueueSize</c>, default 5,000; 0 for all).</summary>
    /// <exception cref="InvalidOperationException">The value is not a whole number of at least 0.</exception>
    public static int DailyQueueSize(IConfiguration? configuration)
    {
        const string Key = "Recoup:WorkQueues:DailyQueueSize";
        var text = configuration?[Key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return BuildWorkQueues.DefaultDailyQueueSize;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size)
            ? size
            : throw new InvalidOperationException($"The configuration key {Key} is invalid: '{text}' is not a whole number of accounts (0 for all)");
    }

    /// <summary>The work-queue priority weights from the configuration section <c>Recoup:WorkQueues:Priority</c> (docs/work-queues.md).</summary>
    /// <exception cref="InvalidOperationException">A weight is out of range; the message names every key at fault.</exception>
    public static QueuePriorityWeights PriorityWeights(IConfiguration? configuration)
    {
        const string Section = "Recoup:WorkQueues:Priority";
        var weights = configuration?.GetSection(Section).Get<QueuePriorityWeights>() ?? QueuePriorityWeights.Default;
        var errors = weights.Validate();
        return errors.Count == 0
            ? weights
            : throw new InvalidOperationException($"The configuration section {Section} is invalid: " +
                string.Join("; ", errors.Select(e => $"{Section}:{e.Field}: {e.Message}")));
    }

    /// <summary>Problem documents written by the framework (401, 403, 404 of unknown routes) say what to do.</summary>
    private static void Explain(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Detail is not null)
        {
            return; // written by an endpoint, which said what it meant
        }

        switch (problem.Status)
        {
            case StatusCodes.Status401Unauthorized:
                problem.Title = "Sign in first";
                problem.Detail = "This needs a signed-in user: send an API key as 'Authorization: Bearer KEY' or 'X-Api-Key: KEY' (recoup api-key create), or sign in at /login.";
                problem.Extensions.TryAdd("code", "unauthenticated");
                break;
            case StatusCodes.Status403Forbidden:
                problem.Title = "Not allowed for your role";
                problem.Detail = "You are signed in, but your role does not allow this. Ask an administrator if you need it.";
                problem.Extensions.TryAdd("code", "forbidden");
                break;
            case StatusCodes.Status415UnsupportedMediaType:
                problem.Title = "Unsupported media type";
                problem.Detail = "The body's Content-Type is not one this endpoint reads: send JSON with 'Content-Type: application/json' (a CSV import: 'Content-Type: text/csv').";
                problem.Extensions.TryAdd("code", "unsupported_media_type");
                break;
            case StatusCodes.Status405MethodNotAllowed:
                problem.Title = "Method not allowed";
                problem.Detail = $"{context.HttpContext.Request.Method} is not supported at {context.HttpContext.Request.Path}; see the Allow header for what is.";
                problem.Extensions.TryAdd("code", "method_not_allowed");
                break;
            case StatusCodes.Status404NotFound:
                problem.Detail = $"There is nothing at {context.HttpContext.Request.Path}.";
                problem.Extensions.TryAdd("code", "not_found");
                break;
        }
    }

    private static Task DescribeAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info.Title = "Recoup API";
        document.Info.Description =
            "Collections management: debtors, accounts, invoices, the ledger, payments, aging, the dashboard and the audit log. " +
            "Authenticate with an API key (`Authorization: Bearer KEY` or `X-Api-Key: KEY`). JSON is snake_case; amounts are decimal strings " +
            "with their currency; lists are cursor-paged; errors are RFC 9457 problem documents. See docs/api.md.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key from `recoup api-key create`, as `Authorization: Bearer KEY`.",
        };
        document.Components.SecuritySchemes["api_key"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-Api-Key",
            Description = "The same API key, as `X-Api-Key: KEY`.",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] });
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("api_key", document)] = [] });
        return Task.CompletedTask;
    }
}
