using Microsoft.EntityFrameworkCore;
using Recoup.Data;

namespace Recoup.Services.Storage;

/// <summary>Planner settings for one transaction.</summary>
public static class QueryPlanning
{
    /// <summary>
    /// On PostgreSQL, no JIT compilation of queries until the transaction ends (<c>SET LOCAL jit = off</c>); nothing on SQLite.
    /// </summary>
    /// <remarks>
    /// The server compiles any query whose estimated cost passes <c>jit_above_cost</c>. A look-up of a
    /// chunk of a few thousand keys (<c>= ANY(@keys)</c>) passes it though it reads only those keys'
    /// index entries, and compiling it takes 30–60 ms of server time, more than running it: in a
    /// 100,000-payment import that was seconds spent on compilation alone. Only for transactions that
    /// read and write by key; the reports' scans of whole tables keep their compilation.
    /// </remarks>
    public static Task WithoutJitAsync(this RecoupDbContext db, CancellationToken ct) =>
        db.IsSqlite || db.Database.CurrentTransaction is null
            ? Task.CompletedTask
            : db.Database.ExecuteSqlRawAsync("SET LOCAL jit = off", ct);
}
