using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace Recoup.Testing;

/// <summary>
/// A throwaway PostgreSQL server for tests: one cluster per test process, started on first use from
/// the machine's own binaries (<c>/usr/lib/postgresql/*/bin</c> or <c>PATH</c>) in a temporary folder,
/// listening on a free loopback port, and stopped (<c>pg_ctl stop -m immediate</c>) and deleted when
/// the process exits. Each test asks for its own database with <see cref="CreateDatabaseAsync"/>.
/// </summary>
/// <remarks>
/// <para>PostgreSQL refuses to run as root; when the tests run as root (CI) the cluster is owned by the
/// <c>postgres</c> user and <c>initdb</c>/<c>pg_ctl</c> are run through <c>runuser -u postgres --</c>.</para>
/// <para>When the environment variable <c>RECOUP_TEST_PG</c> holds a connection string, that existing
/// server is used instead (its database, or <c>postgres</c>, serves for administration) and the
/// databases created by the tests are dropped when the process exits.</para>
/// </remarks>
public sealed class PostgresServer
{
    /// <summary>The environment variable naming an existing server to use instead of a throwaway one.</summary>
    public const string ExternalServerVariable = "RECOUP_TEST_PG";

    private const string FolderPrefix = "recoup-pg-";
    private const string SuperUser = "postgres";
    private const int StartAttempts = 5;
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    private static readonly Lazy<Task<PostgresServer>> Shared =
        new(() => Task.Run(Start), LazyThreadSafetyMode.ExecutionAndPublication);

    private static int databaseCounter;

    private readonly NpgsqlConnectionStringBuilder? external;
    private readonly Cluster? cluster;
    private readonly ConcurrentQueue<string> createdDatabases = new();

    private PostgresServer(Cluster cluster)
    {
        this.cluster = cluster;
        Host = IPAddress.Loopback.ToString();
        Port = cluster.Port;
        Username = SuperUser;
        AdminConnectionString = ConnectionStringFor("postgres");
    }

    private PostgresServer(NpgsqlConnectionStringBuilder external)
    {
        this.external = external;
        Host = external.Host ?? "localhost";
        Port = external.Port;
        Username = external.Username ?? SuperUser;
        AdminConnectionString = ConnectionStringFor(string.IsNullOrEmpty(external.Database) ? "postgres" : external.Database);
    }

    /// <summary>The host name or address the server listens on.</summary>
    public string Host { get; }

    /// <summary>The TCP port the server listens on.</summary>
    public int Port { get; }

    /// <summary>The (super)user the connection strings log in as.</summary>
    public string Username { get; }

    /// <summary>True when the server is the existing one named by <c>RECOUP_TEST_PG</c>.</summary>
    public bool IsExternal => external is not null;

    /// <summary>The throwaway cluster's folder (data directory, socket, log); null for an external server.</summary>
    public string? Folder => cluster?.Folder;

    /// <summary>The throwaway cluster's server log; null for an external server.</summary>
    public string? LogFile => cluster?.LogFile;

    /// <summary>A connection string to the maintenance database (<c>postgres</c>).</summary>
    public string AdminConnectionString { get; }

    /// <summary>
    /// The server shared by every test in this process, started on the first call. Thread-safe; every
    /// caller gets the same task (a failure to start is reported to every caller).
    /// </summary>
    public static Task<PostgresServer> SharedAsync() => Shared.Value;

    /// <summary>A connection string to <paramref name="database"/> on this server.</summary>
    public string ConnectionStringFor(string database)
    {
        ArgumentException.ThrowIfNullOrEmpty(database);
        if (external is null)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"Host={Host};Port={Port};Username={Username};Database={database};Pooling=true;Include Error Detail=true;Connection Idle Lifetime=2;Connection Pruning Interval=1");
        }

        var builder = new NpgsqlConnectionStringBuilder(external.ConnectionString)
        {
            Database = database,
            Pooling = true,
            IncludeErrorDetail = true,

            // Every test has a database, so a pool of its own: idle connections close within seconds,
            // or the finished tests' pools together exhaust the server's connections.
            ConnectionIdleLifetime = 2,
            ConnectionPruningInterval = 1,
        };
        return builder.ConnectionString;
    }

    /// <summary>
    /// Creates a new, empty database with a unique name (starting with <paramref name="prefix"/>,
    /// reduced to lower-case letters, digits and underscores) and returns its connection string.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string? prefix = null, CancellationToken cancellationToken = default)
    {
        var name = UniqueDatabaseName(prefix);
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            // FILE_COPY (PostgreSQL 15+; the only strategy before) copies the small template several
            // times faster than the default WAL_LOG when fsync is off.
            command.CommandText = connection.PostgreSqlVersion.Major >= 15
                ? $"CREATE DATABASE \"{name}\" STRATEGY = FILE_COPY"
                : $"CREATE DATABASE \"{name}\"";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        if (external is not null)
        {
            createdDatabases.Enqueue(name);
        }

        return ConnectionStringFor(name);
    }

    /// <summary>Drops <paramref name="database"/> (if it exists), closing the connections to it.</summary>
    public async Task DropDatabaseAsync(string database, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(database);
        await using (var pooled = new NpgsqlConnection(ConnectionStringFor(database)))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\" WITH (FORCE)";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"PostgreSQL at {Host}:{Port}{(IsExternal ? " (external)" : $" in {Folder}")}");

    private static string UniqueDatabaseName(string? prefix)
    {
        var clean = new StringBuilder();
        foreach (var c in (string.IsNullOrWhiteSpace(prefix) ? "test" : prefix).ToLowerInvariant())
        {
            clean.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' ? c : '_');
        }

        if (!char.IsAsciiLetterLower(clean[0]) && clean[0] != '_')
        {
            clean.Insert(0, "t_");
        }

        var stem = clean.Length > 36 ? clean.ToString(0, 36) : clean.ToString();
        var counter = Interlocked.Increment(ref databaseCounter);
        var random = Guid.NewGuid().ToString("N")[..12];
        return string.Create(CultureInfo.InvariantCulture, $"{stem}_{counter}_{random}");
    }

    private static PostgresServer Start()
    {
        var externalConnectionString = Environment.GetEnvironmentVariable(ExternalServerVariable);
        if (!string.IsNullOrWhiteSpace(externalConnectionString))
        {
            var server = new PostgresServer(new NpgsqlConnectionStringBuilder(externalConnectionString));
            AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DropCreatedDatabases();
            return server;
        }

        return new PostgresServer(Cluster.Start());
    }

    private void DropCreatedDatabases()
    {
        try
        {
            NpgsqlConnection.ClearAllPools();
            using var connection = new NpgsqlConnection(AdminConnectionString);
            connection.Open();
            while (createdDatabases.TryDequeue(out var name))
            {
                using var command = connection.CreateCommand();
                command.CommandText = $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)";
                command.CommandTimeout = 30;
                command.ExecuteNonQuery();
            }
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            // Best effort: the process is exiting; a leftover test database on a shared server is harmless.
        }
    }

    /// <summary>The throwaway cluster: its folder, port and the commands that start and stop it.</summary>
    private sealed class Cluster
    {
        private int stopped;

        private Cluster(string folder, Binaries binaries, bool asPostgresUser)
        {
            Folder = folder;
            Bin = binaries;
            AsPostgresUser = asPostgresUser;
        }

        public string Folder { get; }

        public string DataDirectory => System.IO.Path.Combine(Folder, "data");

        public string LogFile => System.IO.Path.Combine(Folder, "postgres.log");

        public int Port { get; private set; }

        private Binaries Bin { get; }

        private bool AsPostgresUser { get; }

        public static Cluster Start()
        {
            var binaries = Binaries.Find();
            var asPostgresUser = Environment.IsPrivilegedProcess;
            var tempRoot = TempRoot(asPostgresUser);
            RemoveStaleClusters(tempRoot, binaries, asPostgresUser);

            var folder = Directory.CreateTempSubdirectory(
                string.Create(CultureInfo.InvariantCulture, $"{FolderPrefix}{Environment.ProcessId}-")).FullName;
            if (!OperatingSystem.IsWindows() && tempRoot != System.IO.Path.GetTempPath().TrimEnd('/'))
            {
                // CreateTempSubdirectory uses TMPDIR; move to a root the postgres user can reach.
                Directory.Delete(folder);
                folder = System.IO.Path.Combine(tempRoot, System.IO.Path.GetFileName(folder));
                Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var cluster = new Cluster(folder, binaries, asPostgresUser);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.StopAndDelete();
            try
            {
                if (asPostgresUser)
                {
                    Command.Run(Command.Find("chown"), ["-R", SuperUser + ":", folder], folder, CommandTimeout).ThrowIfFailed(null);
                }

                cluster.StartWatcher();
                cluster.InitDb();
                cluster.StartServer();
                return cluster;
            }
            catch
            {
                cluster.StopAndDelete();
                throw;
            }
        }

        private static string TempRoot(bool asPostgresUser)
        {
            var root = System.IO.Path.GetTempPath().TrimEnd('/');
            if (!asPostgresUser || OperatingSystem.IsWindows())
            {
                return root;
            }

            // The postgres user must be able to reach the folder: every ancestor needs o+x.
            for (var dir = new DirectoryInfo(root); dir is not null; dir = dir.Parent)
            {
                if (!dir.Exists || (dir.UnixFileMode & UnixFileMode.OtherExecute) == 0)
                {
                    return "/tmp";
                }
            }

            return root;
        }

        /// <summary>Clusters left behind by test processes that were killed before they could clean up.</summary>
        private static void RemoveStaleClusters(string tempRoot, Binaries binaries, bool asPostgresUser)
        {
            string[] candidates;
            try
            {
                candidates = Directory.GetDirectories(tempRoot, FolderPrefix + "*");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return;
            }

            foreach (var folder in candidates)
            {
                var name = System.IO.Path.GetFileName(folder)[FolderPrefix.Length..];
                var dash = name.IndexOf('-', StringComparison.Ordinal);
                if (dash <= 0
                    || !int.TryParse(name.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var ownerPid)
                    || ownerPid == Environment.ProcessId
                    || IsRunning(ownerPid))
                {
                    continue;
                }

                new Cluster(folder, binaries, asPostgresUser).StopAndDelete();
            }
        }

        private static bool IsRunning(int pid)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                return !process.HasExited;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                return false;
            }
        }

        /// <summary>
        /// Starts a detached shell that stops the cluster and deletes its folder once this process is gone.
        /// The ProcessExit handler usually does that first, but the test platform kills a test host that
        /// takes more than 100 ms to exit (VSTEST_TESTHOST_SHUTDOWN_TIMEOUT), and a crashed or killed
        /// process runs no handler at all.
        /// </summary>
        private void StartWatcher()
        {
            const string script = """
                exec </dev/null >/dev/null 2>&1
                trap '' HUP INT
                owner=$1; data=$2; folder=$3; shift 3
                while kill -0 "$owner"; do sleep 0.25; done
                if [ -f "$data/postmaster.pid" ]; then "$@" stop -D "$data" -m immediate -w -t 15; fi
                rm -rf "$folder"
                """;
            List<string> tool = AsPostgresUser ? [Command.Find("runuser"), "-u", SuperUser, "--", Bin.PgCtl] : [Bin.PgCtl];
            List<string> parameters = ["recoup-pg-watcher", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), DataDirectory, Folder, .. tool];
            var setsid = Command.FindOnPath("setsid");
            var result = setsid is not null
                ? Command.Run(setsid, ["-f", "/bin/sh", "-c", script, .. parameters], "/", CommandTimeout)
                : Command.Run("/bin/sh", ["-c", "(\n" + script + "\n) &", .. parameters], "/", CommandTimeout);
            result.ThrowIfFailed("Could not start the watcher that cleans up the test cluster.");
        }

        private void InitDb()
        {
            string[] common = ["-D", DataDirectory, "-A", "trust", "-U", SuperUser, "--encoding=UTF8", "--no-sync"];
            var result = RunTool(Bin.InitDb, [.. common, "--locale=C.UTF-8"]);
            if (result.ExitCode == 0)
            {
                return;
            }

            // The C.UTF-8 locale is missing on some systems: fall back to no locale at all.
            DeleteQuietly(DataDirectory);
            var fallback = RunTool(Bin.InitDb, [.. common, "--no-locale"]);
            if (fallback.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    "initdb failed (with --locale=C.UTF-8 and with --no-locale).\n" + result.Describe() + "\n" + fallback.Describe());
            }
        }

        private void StartServer()
        {
            var socketDir = Folder.Contains('\'', StringComparison.Ordinal)
                ? throw new InvalidOperationException($"The cluster folder may not contain a quote: {Folder}")
                : Folder;
            CommandResult? last = null;
            for (var attempt = 1; attempt <= StartAttempts; attempt++)
            {
                Port = FreeLoopbackPort();
                var options = string.Create(
                    CultureInfo.InvariantCulture,
                    $"-p {Port} -k '{socketDir}' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400");
                var logLength = File.Exists(LogFile) ? new FileInfo(LogFile).Length : 0;
                last = RunTool(Bin.PgCtl, ["-w", "-t", "60", "-D", DataDirectory, "-o", options, "-l", LogFile, "start"]);
                if (last.ExitCode == 0)
                {
                    return;
                }

                var log = ReadLog(logLength);
                var portClash = log.Contains("Address already in use", StringComparison.OrdinalIgnoreCase)
                    || log.Contains("could not create any TCP/IP sockets", StringComparison.OrdinalIgnoreCase)
                    || log.Contains("could not bind", StringComparison.OrdinalIgnoreCase);
                if (!portClash)
                {
                    break;
                }
            }

            throw new InvalidOperationException(
                "PostgreSQL did not start.\n" + last!.Describe() + "\n--- tail of " + LogFile + " ---\n" + LogTail(60));
        }

        private static int FreeLoopbackPort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                return ((IPEndPoint)listener.LocalEndpoint).Port;
            }
            finally
            {
                listener.Stop();
            }
        }

        public void StopAndDelete()
        {
            if (Interlocked.Exchange(ref stopped, 1) != 0)
            {
                return;
            }

            try
            {
                if (File.Exists(System.IO.Path.Combine(DataDirectory, "postmaster.pid")))
                {
                    RunTool(Bin.PgCtl, ["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "15"], StopTimeout);
                }
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Best effort: deleting the folder below is what matters most.
            }

            DeleteQuietly(Folder);
        }

        private CommandResult RunTool(string tool, IReadOnlyList<string> arguments, TimeSpan? timeout = null)
        {
            // Run in the cluster folder: the postgres user may not be allowed into the current directory.
            return AsPostgresUser
                ? Command.Run(Command.Find("runuser"), ["-u", SuperUser, "--", tool, .. arguments], Folder, timeout ?? CommandTimeout)
                : Command.Run(tool, arguments, Folder, timeout ?? CommandTimeout);
        }

        private string ReadLog(long from)
        {
            try
            {
                using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                stream.Seek(Math.Min(from, stream.Length), SeekOrigin.Begin);
                using var reader = new StreamReader(stream);
                return reader.ReadToEnd();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return string.Empty;
            }
        }

        private string LogTail(int lines)
        {
            var log = ReadLog(0);
            if (log.Length == 0)
            {
                return "(the log is empty or missing)";
            }

            var all = log.Split('\n');
            return string.Join('\n', all[Math.Max(0, all.Length - lines)..]);
        }

        private static void DeleteQuietly(string path)
        {
            for (var attempt = 0; attempt < 3; attempt++)
            {
                try
                {
                    if (Directory.Exists(path))
                    {
                        Directory.Delete(path, recursive: true);
                    }

                    return;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Thread.Sleep(100);
                }
            }
        }
    }

    /// <summary>Where <c>initdb</c> and <c>pg_ctl</c> are.</summary>
    private sealed record Binaries(string InitDb, string PgCtl)
    {
        public static Binaries Find()
        {
            const string debianRoot = "/usr/lib/postgresql";
            if (Directory.Exists(debianRoot))
            {
                var best = Directory.GetDirectories(debianRoot)
                    .Select(dir => (Dir: System.IO.Path.Combine(dir, "bin"), Version: Version(System.IO.Path.GetFileName(dir))))
                    .Where(candidate => candidate.Version is not null
                        && File.Exists(System.IO.Path.Combine(candidate.Dir, "initdb"))
                        && File.Exists(System.IO.Path.Combine(candidate.Dir, "pg_ctl")))
                    .OrderByDescending(candidate => candidate.Version)
                    .Select(candidate => candidate.Dir)
                    .FirstOrDefault();
                if (best is not null)
                {
                    return new Binaries(System.IO.Path.Combine(best, "initdb"), System.IO.Path.Combine(best, "pg_ctl"));
                }
            }

            var initDb = Command.FindOnPath("initdb");
            var pgCtl = initDb is null ? null : System.IO.Path.Combine(System.IO.Path.GetDirectoryName(initDb)!, "pg_ctl");
            if (pgCtl is null || !File.Exists(pgCtl))
            {
                pgCtl = Command.FindOnPath("pg_ctl");
            }

            return initDb is not null && pgCtl is not null
                ? new Binaries(initDb, pgCtl)
                : throw new InvalidOperationException(
                    "PostgreSQL server binaries (initdb, pg_ctl) were not found under /usr/lib/postgresql/*/bin nor on PATH. "
                    + "Install them (./test.sh does: apt-get install postgresql) or set "
                    + ExternalServerVariable + " to the connection string of an existing server.");
        }

        private static Version? Version(string name) =>
            System.Version.TryParse(name.Contains('.', StringComparison.Ordinal) ? name : name + ".0", out var version) ? version : null;
    }

    private sealed record CommandResult(string CommandLine, int ExitCode, string Output)
    {
        public string Describe() =>
            string.Create(CultureInfo.InvariantCulture, $"$ {CommandLine}\n(exit code {ExitCode})\n{Output.TrimEnd()}");

        public void ThrowIfFailed(string? context)
        {
            if (ExitCode != 0)
            {
                throw new InvalidOperationException((context ?? "A command failed.") + "\n" + Describe());
            }
        }
    }

    private static class Command
    {
        public static string Find(string name) =>
            FindOnPath(name)
            ?? new[] { "/usr/sbin", "/sbin", "/usr/bin", "/bin" }
                .Select(dir => System.IO.Path.Combine(dir, name))
                .FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"The command '{name}' was not found.");

        public static string? FindOnPath(string name) =>
            (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
                .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => System.IO.Path.Combine(dir, name))
                .FirstOrDefault(File.Exists);

        public static CommandResult Run(string fileName, IReadOnlyList<string> arguments, string workingDirectory, TimeSpan timeout)
        {
            var commandLine = string.Join(' ', arguments.Prepend(fileName).Select(Quote));
            var start = new ProcessStartInfo(fileName)
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            // PG* variables of the calling environment (PGHOST, PGPORT, PGDATA, ...) must not leak in.
            foreach (var variable in start.Environment.Keys.Where(key => key.StartsWith("PG", StringComparison.Ordinal)).ToList())
            {
                start.Environment.Remove(variable);
            }

            using var process = new Process { StartInfo = start };
            try
            {
                process.Start();
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new InvalidOperationException($"Could not run: {commandLine}\n{e.Message}", e);
            }

            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            var exited = process.WaitForExit(timeout);
            if (!exited)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // It exited meanwhile.
                }

                process.WaitForExit(TimeSpan.FromSeconds(5));
            }

            // Drain the output, bounded in case a grandchild kept a pipe open.
            Task.WaitAll([stdout, stderr], TimeSpan.FromSeconds(5));
            var output = (stdout.IsCompletedSuccessfully ? stdout.Result : string.Empty)
                + (stderr.IsCompletedSuccessfully ? stderr.Result : string.Empty);
            return exited
                ? new CommandResult(commandLine, process.ExitCode, output)
                : new CommandResult(
                    commandLine,
                    -1,
                    output + string.Create(CultureInfo.InvariantCulture, $"(killed after {timeout.TotalSeconds:0} s)"));
        }

        private static string Quote(string argument) =>
            argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@".Contains(c, StringComparison.Ordinal))
                ? argument
                : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
