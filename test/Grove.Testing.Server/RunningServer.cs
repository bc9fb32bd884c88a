using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Grove.Identity;
using Grove.Server;

namespace Grove.Testing;

/// <summary>
/// A real Grove server (Kestrel on a free loopback port) over a temp data folder, as the server's users meet it.
/// The <c>admin</c> password is <see cref="AdminPassword"/>; password hashing is cheap so tests sign in fast.
/// </summary>
public sealed class RunningServer : IAsyncDisposable
{
    public const string AdminPassword = "admin-password-1";
    public const string UserPassword = "user-password-1";

    private readonly TempFolder? _ownFolder;
    private readonly List<HttpClient> _clients = [];

    private RunningServer(GroveServer server, GroveServerOptions options, TempFolder? ownFolder)
    {
        Server = server;
        Options = options;
        _ownFolder = ownFolder;
    }

    /// <summary>The config master key every test node on a shared store is given.</summary>
    public static readonly string SharedMasterKey = Convert.ToBase64String([.. Enumerable.Range(40, 32).Select(i => (byte)i)]);

    public GroveServer Server { get; private set; }

    public GroveServerOptions Options { get; }

    public Uri Address => Server.Address;

    /// <summary>
    /// Starts a server. <paramref name="data"/> is the data folder (a fresh temp folder when null);
    /// <paramref name="store"/> a PostgreSQL store string or null for SQLite.
    /// </summary>
    public static async Task<RunningServer> StartAsync(Func<GroveServerOptions, GroveServerOptions>? configure = null, string? data = null, string? store = null)
    {
        var own = data is null ? new TempFolder("grove-server-") : null;
        var options = new GroveServerOptions
        {
            Data = data ?? own!.Path,
            Store = store,
            Urls = "http://127.0.0.1:0",
            Identity = new Grove.Identity.IdentityOptions { AdminPassword = AdminPassword, PasswordIterations = 1_000 },
            RateLimitPerSecond = 0,
            ShutdownTimeout = TimeSpan.FromSeconds(5),
            // Note that the idle trim's full GC is process-wide: in a test process of many servers it would pause them all.
            IdleTrimAfter = TimeSpan.Zero,
        };
        if (store is not null)
        {
            // Note that nodes sharing a store must share the config master key (a node with its own refuses to start).
            options = options with { Config = options.Config with { MasterKey = SharedMasterKey } };
        }

        options = configure?.Invoke(options) ?? options;
        try
        {
            return new RunningServer(await GroveServer.StartAsync(options), options, own);
        }
        catch
        {
            own?.Dispose();
            throw;
        }
    }

    /// <summary>Stops the server and starts it again on the same folder and store (a new port).</summary>
    public async Task RestartAsync()
    {
        await Server.StopAsync();
        Server = await GroveServer.StartAsync(Options);
    }

    /// <summary>A client with no credentials.</summary>
    public HttpClient Anonymous()
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        _clients.Add(client);
        return client;
    }

    /// <summary>A client signed in as <c>admin</c>.</summary>
    public Task<HttpClient> AdminAsync() => SignedInAsync("admin", AdminPassword);

    /// <summary>Creates a user (not admin) in the given groups and returns a client signed in as them.</summary>
    public async Task<HttpClient> UserAsync(string name, params string[] groups)
    {
        await Server.Identity.CreateUserAsync(Principal.System, name, UserPassword, groups, admin: false);
        return await SignedInAsync(name, UserPassword);
    }

    /// <summary>A client signed in with a user name and password.</summary>
    public async Task<HttpClient> SignedInAsync(string user, string password)
    {
        var client = Anonymous();
        using var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { user, password });
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", doc.RootElement.GetProperty("token").GetString());
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _clients)
        {
            c.Dispose();
        }

        await Server.DisposeAsync();
        _ownFolder?.Dispose();
    }
}
