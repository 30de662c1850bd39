using Recoup.Services.Storage;
using Recoup.Web;

// `dotnet run --project src/Recoup.Web` serves like `recoup serve`; the recoup CLI is the usual way in.
var database = RecoupDatabase.Resolve(null, Environment.GetEnvironmentVariable(RecoupDatabase.EnvironmentVariable));
await database.MigrateAsync();
var app = RecoupWeb.Build(args, database);
await app.RunAsync();

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
