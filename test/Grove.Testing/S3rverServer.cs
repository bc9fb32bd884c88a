namespace Grove.Testing;

/// <summary>
/// The S3-compatible server the tests share: npm <c>s3rver</c> 3.7.1 from the environment variable
/// <c>GROVE_S3RVER</c> (the executable, e.g. <c>node_modules/.bin/s3rver</c>; <c>.ci/run</c> installs it under
/// <c>.ci/tools</c>). Keys <c>S3RVER</c> / <c>S3RVER</c>; tests create their own buckets.
/// </summary>
public static class S3rverServer
{
    /// <summary>The environment variable naming the s3rver executable.</summary>
    public const string EnvironmentVariable = "GROVE_S3RVER";

    /// <summary>The access key and secret s3rver accepts.</summary>
    public const string Key = "S3RVER";

    private static readonly Lazy<ServiceProcess> Shared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The shared server; the first call starts it (about half a second).</summary>
    public static ServiceProcess Instance => Shared.Value;

    /// <summary>Its endpoint.</summary>
    public static string ServiceUrl => $"http://127.0.0.1:{Instance.Port}";

    private static ServiceProcess Start()
    {
        var exe = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(exe))
        {
            return ServiceProcess.Unavailable("s3rver", $"{EnvironmentVariable} is not set (npm i s3rver@3.7.1 and point it at node_modules/.bin/s3rver)");
        }

        if (!File.Exists(exe))
        {
            return ServiceProcess.Unavailable("s3rver", $"{EnvironmentVariable}={exe} does not exist");
        }

        return ServiceProcess.Start("s3rver", exe, (port, dir) => ["-d", dir, "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent"], TimeSpan.FromSeconds(20));
    }
}
