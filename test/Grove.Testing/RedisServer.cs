namespace Grove.Testing;

/// <summary>
/// The Redis server the tests share: Debian's <c>redis-server</c> (or the one <c>GROVE_REDIS_SERVER</c> names) started
/// privately on a free port, nothing saved to disk. Each test uses its own key prefix.
/// </summary>
public static class RedisServer
{
    /// <summary>The environment variable that may name the redis-server executable.</summary>
    public const string EnvironmentVariable = "GROVE_REDIS_SERVER";

    private static readonly Lazy<ServiceProcess> Shared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The shared server; the first call starts it (about 30 ms).</summary>
    public static ServiceProcess Instance => Shared.Value;

    /// <summary>Its StackExchange.Redis configuration string.</summary>
    public static string Configuration => $"127.0.0.1:{Instance.Port}";

    private static ServiceProcess Start()
    {
        var exe = Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } e ? e : Find();
        if (exe is null)
        {
            return ServiceProcess.Unavailable("redis-server", "no redis-server on PATH (apt-get install redis-server, or set " + EnvironmentVariable + ")");
        }

        return ServiceProcess.Start("redis-server", exe, (port, dir) =>
            ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir],
            TimeSpan.FromSeconds(10));
    }

    private static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/bin").Append("/usr/sbin")
            .Select(d => Path.Combine(d, "redis-server")).FirstOrDefault(File.Exists);
}
