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

    /// <summary>
    /// On PostgreSQL, lets the connection's sorts and hash tables use up to <see cref="ReportWorkMemory"/> each
    /// (<c>SET work_mem</c>) for the reports' grouped passes over whole tables; nothing on SQLite. The connection pool
    /// resets the setting when the connection goes back to it.
    /// </summary>
    /// <remarks>
    /// The default (4 MB) made the monthly pack's per-account aggregates spill to disk: the cure-rate query wrote
    /// 250 MB of hash batches for a million accounts and took 15.9 s alone, 13.5 s with the memory (docs/benchmarks.md).
    /// </remarks>
    public static Task WithReportMemoryAsync(this RecoupDbContext db, CancellationToken ct) =>
        db.IsSqlite ? Task.CompletedTask : db.Database.ExecuteSqlRawAsync("SET work_mem = '" + ReportWorkMemory + "'", ct);

    /// <summary>The memory per sort or hash table of a report query on PostgreSQL.</summary>
    public const string ReportWorkMemory = "128MB";
}
