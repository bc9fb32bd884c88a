using Grove.Tree;
using Microsoft.Extensions.Configuration;

namespace Grove.Server;

public sealed partial class GroveServer
{
    private static readonly Dictionary<string, string> Switches = new(StringComparer.Ordinal)
    {
        ["--data"] = "Grove:Data",
        ["--store"] = "Grove:Store",
        ["--urls"] = "Grove:Urls",
    };

    private static readonly (string Env, string Key)[] EnvAliases =
    [
        ("GROVE_DATA", "Grove:Data"),
        ("GROVE_STORE", "Grove:Store"),
        ("GROVE_URLS", "Grove:Urls"),
        ("GROVE_ADMIN_PASSWORD", "Grove:Identity:AdminPassword"),
    ];

    /// <summary>
    /// The configuration of a server started from the command line, lowest first: <c>appsettings.json</c> beside the
    /// program, environment variables (<c>Grove__Data</c> and the short <c>GROVE_DATA</c>, <c>GROVE_STORE</c>,
    /// <c>GROVE_URLS</c>, <c>GROVE_ADMIN_PASSWORD</c>), then the flags <c>--data</c>, <c>--store</c>, <c>--urls</c>.
    /// </summary>
    public static IConfiguration LoadConfiguration(string[] args)
    {
        var aliases = EnvAliases
            .Select(a => (a.Key, Value: Environment.GetEnvironmentVariable(a.Env)))
            .Where(a => !string.IsNullOrEmpty(a.Value))
            .ToDictionary(a => a.Key, a => a.Value);
        return new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(aliases)
            .AddCommandLine(args, Switches)
            .Build();
    }

    /// <summary>The <c>Grove</c> section of a configuration as options.</summary>
    public static GroveServerOptions LoadOptions(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Grove");
        return section.Get<GroveServerOptions>(o => o.ErrorOnUnknownConfiguration = false) ?? new GroveServerOptions();
    }

    /// <summary>
    /// Runs a server from command-line arguments until Ctrl+C or SIGTERM: prints where it listens and, on the very
    /// first start, the generated <c>admin</c> password. Returns the process exit code: 0, 3 when the store is locked by
    /// another process (as every <c>grove</c> command), 2 for any other failure to start.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, CancellationToken ct = default)
    {
        output ??= Console.Out;
        GroveServer server;
        try
        {
            var configuration = LoadConfiguration(args);
            var options = LoadOptions(configuration);
            server = await StartAsync(options, configuration, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Note that a start-up failure is one line on stderr, never a stack trace: what is wrong, not where.
            await Console.Error.WriteLineAsync("grove-server: " + (e is GroveException g ? g.Code + ": " : "") + e.Message.ReplaceLineEndings(" "));
            // Note that a busy store exits 3, as every grove command does (grove serve runs this): 2 is any other refusal.
            return e is TreeException { Code: TreeErrorCode.StoreLocked or TreeErrorCode.LockTimeout } ? 3 : 2;
        }

        await using (server)
        {
            await output.WriteLineAsync($"Grove listening on {string.Join(", ", server.Addresses)} (data {Path.GetFullPath(server.Options.Data)}, {server.Tree.StoreDescription} store)");
            if (server.BootstrapPassword is { } password)
            {
                await output.WriteLineAsync($"Created user 'admin' with password: {password}");
                await output.WriteLineAsync("This password is shown once; change it with: grove passwd (or POST /api/v1/users/admin/password).");
            }

            await output.FlushAsync(ct);
            await server.WaitForShutdownAsync(ct);
        }

        return 0;
    }
}
