using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Grove.Testing;

/// <summary>
/// A private, throw-away PostgreSQL cluster: initdb into a fresh folder under /tmp, pg_ctl start on a free port
/// (127.0.0.1 only, trust authentication, fsync off). As root everything runs as the <c>postgres</c> user, since
/// PostgreSQL refuses to run as root.
/// </summary>
public sealed class PostgresCluster
{
    private static readonly TimeSpan InitTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly string _binDir;
    private readonly string _baseDir;
    private readonly bool _asPostgresUser;
    private PortRelay? _relay;

    private PostgresCluster(string binDir, string baseDir, bool asPostgresUser)
    {
        _binDir = binDir;
        _baseDir = baseDir;
        _asPostgresUser = asPostgresUser;
    }

    /// <summary>The TCP port clients connect to: the server's, or the relay's in front of it (<c>pausable</c>).</summary>
    public int Port => _relay?.Port ?? ServerPort;

    /// <summary>The TCP port the server listens on (a new one after <see cref="Resume"/>).</summary>
    public int ServerPort { get; private set; }

    /// <summary>A connection string for the <c>postgres</c> database as the <c>postgres</c> superuser.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = "postgres",
        Timeout = 15,
        CommandTimeout = 60,
    }.ConnectionString;

    private string DataDir => Path.Join(_baseDir, "data");

    private string LogFile => Path.Join(_baseDir, "server.log");

    /// <summary>The folder holding initdb and pg_ctl: on PATH, else the newest /usr/lib/postgresql/*/bin; null if none.</summary>
    public static string? FindBinDirectory()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : -1)
                .Select(d => Path.Join(d, "bin"))
            : [];
        return onPath.Concat(installed)
            .Where(d => File.Exists(Path.Join(d, "initdb")) && File.Exists(Path.Join(d, "pg_ctl")))
            .Select(RealBinDirectory)
            .FirstOrDefault();
    }

    /// <summary>
    /// Creates and starts a cluster. Throws with initdb's or pg_ctl's output (and the server log) on failure.
    /// <paramref name="pausable"/>: clients connect through a <see cref="PortRelay"/>, so <see cref="Pause"/> and
    /// <see cref="Resume"/> keep their address while the server comes back on a new port.
    /// </summary>
    public static PostgresCluster Start(string binDir, bool pausable = false)
    {
        var asPostgresUser = !OperatingSystem.IsWindows() && Environment.IsPrivilegedProcess;
        var parent = Directory.Exists("/tmp") ? "/tmp" : Path.GetTempPath();
        var baseDir = Path.Join(parent, "grove-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(baseDir);
        var cluster = new PostgresCluster(binDir, baseDir, asPostgresUser);
        ExitWatchdog.Arrange(baseDir, cluster.Command("pg_ctl", ["-D", cluster.DataDir, "-m", "immediate", "stop"]));
        try
        {
            if (asPostgresUser)
            {
                ProcessRunner.Run("chown", ["-R", "postgres", baseDir], StopTimeout);
            }

            cluster.Pg("initdb", ["-D", cluster.DataDir, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"], InitTimeout);
            cluster.StartServer();
            if (pausable)
            {
                cluster._relay = new PortRelay(cluster.ServerPort);
            }

            return cluster;
        }
        catch
        {
            cluster.Stop();
            throw;
        }
    }

    /// <summary>Stops the server at once (<c>pg_ctl stop -m immediate</c>) and deletes its folder. Never throws.</summary>
    public void Stop()
    {
        try
        {
            if (File.Exists(Path.Join(DataDir, "postmaster.pid")))
            {
                Pg("pg_ctl", ["-D", DataDir, "-m", "immediate", "-w", "-t", "20", "stop"], StopTimeout, check: false);
            }

            _relay?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            Directory.Delete(_baseDir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or TimeoutException)
        {
            // Best effort at process exit.
        }
    }

    /// <summary>
    /// Stops the server (<c>pg_ctl stop -m immediate</c>, as a crash or a pulled cable would) and keeps its data, so
    /// <see cref="Resume"/> can bring it back: a database outage for the tests of what survives one. The cluster must be
    /// started <c>pausable</c>: the port the server frees can be taken by any process before it comes back.
    /// </summary>
    public void Pause()
    {
        var relay = _relay ?? throw new InvalidOperationException("start the cluster with pausable: true to pause it");
        // Note that the cluster runs with synchronous_commit=off: without a checkpoint an immediate stop would lose commits
        // the server already acknowledged, which a real outage (synchronous commits) never does.
        using (var connection = new NpgsqlConnection(ConnectionString))
        {
            connection.Open();
            using var checkpoint = new NpgsqlCommand("CHECKPOINT", connection);
            checkpoint.ExecuteNonQuery();
        }

        relay.Target = null;
        Pg("pg_ctl", ["-D", DataDir, "-m", "immediate", "-w", "-t", "20", "stop"], StopTimeout);
    }

    /// <summary>Starts the server again after <see cref="Pause"/> (on a new port, behind the same relay).</summary>
    public void Resume()
    {
        var relay = _relay ?? throw new InvalidOperationException("start the cluster with pausable: true to pause it");
        StartServer();
        relay.Target = ServerPort;
    }

    private string Options(int port) => $"-p {port} -k {_baseDir} -c listen_addresses=127.0.0.1 -c fsync=off "
        + "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200";

    private void StartServer()
    {
        for (var attempt = 1; ; attempt++)
        {
            ServerPort = FreePort();
            var result = Pg("pg_ctl", ["-D", DataDir, "-l", LogFile, "-w", "-t", "60", "-o", Options(ServerPort), "start"], StartTimeout, check: false);
            if (result.ExitCode == 0)
            {
                return;
            }

            var log = ReadLog();
            if (attempt < 3 && log.Contains("could not bind", StringComparison.OrdinalIgnoreCase))
            {
                continue; // Someone took the port between our probe and the server's bind.
            }

            throw new InvalidOperationException(
                $"'{result.CommandLine}' failed with exit code {result.ExitCode}; {result.Output}; server log: {log}");
        }
    }

    private ProcessResult Pg(string tool, IReadOnlyList<string> args, TimeSpan timeout, bool check = true)
    {
        var command = Command(tool, args);
        return ProcessRunner.Run(command[0], command[1..], timeout, _baseDir, check);
    }

    /// <summary>The command line running a PostgreSQL tool, through runuser when we are root.</summary>
    private string[] Command(string tool, IReadOnlyList<string> args)
    {
        var program = Path.Join(_binDir, tool);
        return _asPostgresUser ? ["runuser", "-u", "postgres", "--", program, .. args] : [program, .. args];
    }

    /// <summary>The folder of initdb's real file when it is a link (as /usr/local/bin/initdb often is).</summary>
    private static string RealBinDirectory(string dir)
    {
        var real = new FileInfo(Path.Join(dir, "initdb")).ResolveLinkTarget(returnFinalTarget: true) is { } target
            ? Path.GetDirectoryName(target.FullName)
            : null;
        return real is not null && File.Exists(Path.Join(real, "pg_ctl")) ? real : dir;
    }

    private string ReadLog()
    {
        try
        {
            var text = File.ReadAllText(LogFile).Trim();
            return text.Length <= 4000 ? text : "..." + text[^4000..];
        }
        catch (IOException e)
        {
            return $"(no server log: {e.Message})";
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
