namespace Grove.Client.Tests;

/// <summary>A real server per test and a <see cref="GroveClient"/> signed in as <c>admin</c>.</summary>
public abstract class ClientTestBase : IAsyncLifetime
{
    private readonly List<GroveClient> _clients = [];

    protected RunningServer Server { get; private set; } = null!;

    protected GroveClient Admin { get; private set; } = null!;

    /// <summary>Adjusts the server's options before it starts.</summary>
    protected virtual Grove.Server.GroveServerOptions Configure(Grove.Server.GroveServerOptions options) => options;

    public async Task InitializeAsync()
    {
        Server = await RunningServer.StartAsync(Configure);
        Admin = Client();
        await Admin.LoginAsync("admin", RunningServer.AdminPassword);
    }

    public async Task DisposeAsync()
    {
        foreach (var c in _clients)
        {
            c.Dispose();
        }

        await Server.DisposeAsync();
    }

    /// <summary>A client of the server with no credential (or the given one).</summary>
    protected GroveClient Client(string? token = null)
    {
        var client = new GroveClient(Server.Address, token);
        _clients.Add(client);
        return client;
    }

    /// <summary>Creates a plain user in <paramref name="groups"/> and returns a client signed in as them.</summary>
    protected async Task<GroveClient> UserAsync(string name, params string[] groups)
    {
        await Admin.CreateUserAsync(name, RunningServer.UserPassword, groups);
        var client = Client();
        await client.LoginAsync(name, RunningServer.UserPassword);
        return client;
    }

    /// <summary>Asserts that <paramref name="call"/> is refused with <paramref name="status"/> and <paramref name="code"/>.</summary>
    protected static async Task<GroveApiException> ShouldBeRefusedAsync(Func<Task> call, int status, string code)
    {
        var e = await Should.ThrowAsync<GroveApiException>(call);
        e.Status.ShouldBe(status, e.ToString());
        e.Code.ShouldBe(code, e.ToString());
        return e;
    }
}
