using Npgsql;
using Xunit.Abstractions;

namespace Grove.Testing;

/// <summary>
/// The PostgreSQL server the tests share, started on first use and stopped at process exit. With the environment
/// variable <c>GROVE_TEST_PG</c> set, that Npgsql connection string names the server; otherwise a private cluster is
/// started (<see cref="PostgresCluster"/>). Each test takes a fresh database from <see cref="DatabaseOrSkipAsync"/>.
/// </summary>
public sealed class PostgresServer
{
    /// <summary>The environment variable holding an external server's connection string.</summary>
    public const string EnvironmentVariable = "GROVE_TEST_PG";

    private static readonly Lazy<PostgresServer> Shared = new(Connect, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string? _adminConnectionString;
    private readonly PostgresCluster? _cluster;
    private readonly SemaphoreSlim _createLock = new(1, 1);
    private readonly List<string> _created = [];

    private PostgresServer(string? adminConnectionString, PostgresCluster? cluster, string? unavailableReason, string source)
    {
        _adminConnectionString = adminConnectionString;
        _cluster = cluster;
        UnavailableReason = unavailableReason;
        Source = source;
        if (unavailableReason is null)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Shutdown();
        }
    }

    /// <summary>The shared server; the first call starts it (a few seconds for a private cluster).</summary>
    public static PostgresServer Instance => Shared.Value;

    /// <summary>True when the environment variable <c>CI</c> is <c>true</c> (or <c>1</c>): PostgreSQL must then be available.</summary>
    public static bool IsCi => Environment.GetEnvironmentVariable("CI")?.Trim().ToLowerInvariant() is "true" or "1";

    /// <summary>Why no server can be used, or null when one can.</summary>
    public string? UnavailableReason { get; }

    /// <summary>Where the server comes from, for test output.</summary>
    public string Source { get; }

    /// <summary>
    /// A fresh database on the shared server, as a connection string; or, when PostgreSQL is unavailable, null after
    /// writing the reason to <paramref name="output"/> (the test should then return). Under CI it throws instead.
    /// </summary>
    public static Task<string?> DatabaseOrSkipAsync(ITestOutputHelper output, CancellationToken cancellationToken = default) =>
        Instance.DatabaseOrSkipAsync(output, IsCi, cancellationToken);

    /// <summary>Creates an empty, uniquely named database and returns its connection string.</summary>
    /// <exception cref="InvalidOperationException">When the server is unavailable.</exception>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        if (UnavailableReason is not null || _adminConnectionString is null)
        {
            throw new InvalidOperationException($"PostgreSQL is unavailable: {UnavailableReason}");
        }

        var name = "grove_test_" + Guid.NewGuid().ToString("N");
        await _createLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = new NpgsqlConnection(_adminConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
            _created.Add(name);
        }
        finally
        {
            _createLock.Release();
        }

        return new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>A server that cannot be used, for testing the skip and CI paths.</summary>
    public static PostgresServer Unavailable(string reason) => new(null, null, reason, "none");

    public async Task<string?> DatabaseOrSkipAsync(ITestOutputHelper output, bool ci, CancellationToken cancellationToken)
    {
        if (UnavailableReason is { } reason)
        {
            if (ci)
            {
                throw new InvalidOperationException($"PostgreSQL is required under CI=true but unavailable: {reason}");
            }

            output.WriteLine($"Skipped: PostgreSQL is unavailable: {reason}");
            return null;
        }

        return await CreateDatabaseAsync(cancellationToken);
    }

    private static PostgresServer Connect()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } external)
        {
            try
            {
                Probe(external);
                return new PostgresServer(external, null, null, $"{EnvironmentVariable} ({Describe(external)})");
            }
            catch (Exception e) when (e is NpgsqlException or ArgumentException or InvalidOperationException or TimeoutException)
            {
                return Unavailable($"{EnvironmentVariable} is set but that server does not answer: {e.Message}");
            }
        }

        if (PostgresCluster.FindBinDirectory() is not { } binDir)
        {
            return Unavailable("no initdb/pg_ctl on PATH or under /usr/lib/postgresql/*/bin "
                + $"(install the postgresql package, or set {EnvironmentVariable} to a connection string)");
        }

        PostgresCluster? cluster = null;
        try
        {
            cluster = PostgresCluster.Start(binDir);
            Probe(cluster.ConnectionString);
            return new PostgresServer(cluster.ConnectionString, cluster, null, $"private cluster from {binDir} on port {cluster.Port}");
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException or IOException
            or UnauthorizedAccessException)
        {
            cluster?.Stop();
            return Unavailable($"could not start a private PostgreSQL cluster with {binDir}: {e.Message}");
        }
    }

    private static void Probe(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT 1", connection);
        command.ExecuteScalar();
    }

    private static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }

    private void Shutdown()
    {
        NpgsqlConnection.ClearAllPools();
        if (_cluster is not null)
        {
            _cluster.Stop();
            return;
        }

        // An external server outlives us: drop the databases we made there.
        try
        {
            using var connection = new NpgsqlConnection(_adminConnectionString);
            connection.Open();
            foreach (var name in _created)
            {
                using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
                drop.ExecuteNonQuery();
            }
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            // Best effort at process exit.
        }
    }
}
