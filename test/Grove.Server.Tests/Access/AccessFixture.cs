using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Grove.Server.Tests.ApiAssertions;

namespace Grove.Server.Tests.Access;

/// <summary>
/// The callers and objects of the access matrix. <c>olga</c> owns <c>/m</c> (0750, group <c>team</c>), the file
/// <c>/m/f.txt</c> (0640), a task log, a record set, and edits configs (group <c>config</c>); <c>mia</c> is in
/// <c>team</c>; <c>otto</c> in no group; the API key is olga's; the expired token is olga's, signed out; the token
/// past its lifetime and the key past its expiry are olga's, issued on the server's clock 13 h in the past (each used
/// once then, so the server has cached them) and expired when the clock is back at now.
/// </summary>
internal sealed class AccessFixture : IAsyncDisposable
{
    public enum Caller
    {
        Anonymous = 0,
        Owner = 1,
        Member = 2,
        Other = 3,
        Admin = 4,
        Key = 5,
        Expired = 6,
        PastLifetime = 7,
        KeyPastExpiry = 8,
    }

    /// <summary>The server's clock: the system's, shifted while the fixture issues credentials in the past.</summary>
    private readonly ShiftedTime _time;

    private readonly Dictionary<Caller, string?> _tokens = [];
    private readonly Dictionary<Caller, string?> _logoutTokens = [];

    private AccessFixture(RunningServer server, ShiftedTime time)
    {
        Server = server;
        _time = time;
    }

    public RunningServer Server { get; }

    public HttpClient Http { get; private set; } = null!;

    public string TaskId { get; private set; } = "";

    public string VictimKeyId { get; private set; } = "";

    public string HookId { get; private set; } = "h0";

    public string MessageId { get; private set; } = "1";

    public string FileId { get; private set; } = "";

    public static async Task<AccessFixture> StartAsync()
    {
        var time = new ShiftedTime();
        var server = await RunningServer.StartAsync(o => o with
        {
            Time = time,
            Config = o.Config with { MinLongPoll = TimeSpan.FromMilliseconds(200), HeartbeatInterval = TimeSpan.FromSeconds(1) },
        });
        var f = new AccessFixture(server, time);
        await f.ArrangeAsync();
        return f;
    }

    /// <summary>The bearer a caller sends on a route (a spare session on logout, so signing out spends nothing).</summary>
    public string? Token(Caller caller, string route) =>
        route == "POST /api/v1/auth/logout" ? _logoutTokens[caller] : _tokens[caller];

    private async Task ArrangeAsync()
    {
        Http = Server.Anonymous();
        var identity = Server.Server.Identity;
        await identity.CreateUserAsync(Grove.Identity.Principal.System, "olga", RunningServer.UserPassword, ["team", "config", "partner-acme"], admin: false);
        await identity.CreateUserAsync(Grove.Identity.Principal.System, "mia", RunningServer.UserPassword, ["team"], admin: false);
        await identity.CreateUserAsync(Grove.Identity.Principal.System, "otto", RunningServer.UserPassword, [], admin: false);
        await identity.CreateUserAsync(Grove.Identity.Principal.System, "vic", RunningServer.UserPassword, [], admin: false);
        _tokens[Caller.Anonymous] = null;
        _logoutTokens[Caller.Anonymous] = null;
        foreach (var (caller, user, password) in new[]
        {
            (Caller.Owner, "olga", RunningServer.UserPassword), (Caller.Member, "mia", RunningServer.UserPassword),
            (Caller.Other, "otto", RunningServer.UserPassword), (Caller.Admin, "admin", RunningServer.AdminPassword),
        })
        {
            _tokens[caller] = await LoginAsync(user, password);
            _logoutTokens[caller] = await LoginAsync(user, password);
        }

        var olga = Client(_tokens[Caller.Owner]!);
        var admin = Client(_tokens[Caller.Admin]!);
        _tokens[Caller.Key] = await CreateKeyAsync(olga, "matrix");
        _logoutTokens[Caller.Key] = await CreateKeyAsync(olga, "matrix-logout");
        var spent = await LoginAsync("olga", RunningServer.UserPassword);
        (await Client(spent).PostAsync("/api/v1/auth/logout", null)).EnsureSuccessStatusCode();
        _tokens[Caller.Expired] = spent;
        _logoutTokens[Caller.Expired] = spent;
        await IssuePastCredentialsAsync();
        using (var victim = await olga.PostAsJsonAsync("/api/v1/keys", new { name = "victim" }))
        {
            VictimKeyId = (await victim.JsonAsync(HttpStatusCode.Created)).Str("id");
        }

        // The tree: /m owned by olga for team, with a file, a file to delete and one to move.
        foreach (var name in new[] { "f.txt", "victim.txt", "mv.txt" })
        {
            (await admin.PutAsync("/api/v1/files/m/" + name, new StringContent("content of " + name))).EnsureSuccessStatusCode();
            (await admin.PatchAsync("/api/v1/meta/m/" + name, Json("""{"set":{"c":"olga","g":"team","md":416}}"""))).EnsureSuccessStatusCode(); // 0640
        }

        (await admin.PatchAsync("/api/v1/meta/m", Json("""{"set":{"c":"olga","g":"team","md":488}}"""))).EnsureSuccessStatusCode(); // 0750
        FileId = (await (await admin.GetAsync("/api/v1/stat/m/f.txt")).JsonAsync()).Str("id");

        // Shared folders of the engines: team may create there, others only pass through.
        foreach (var root in new[] { "logs", "records" })
        {
            (await admin.PostAsync("/api/v1/dirs/" + root, null)).StatusCode.ShouldBeOneOf(HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.Conflict);
            (await admin.PatchAsync("/api/v1/meta/" + root, Json("""{"set":{"g":"team","md":505}}"""))).EnsureSuccessStatusCode(); // 0771
        }

        using (var task = await olga.PostAsync("/api/v1/logs", Json("""{"name":"matrix"}""")))
        {
            TaskId = (await task.JsonAsync(HttpStatusCode.Created)).Str("id");
        }

        (await olga.PostAsync($"/api/v1/logs/{TaskId}/lines", Json("""{"lines":[{"n":0,"t":1767225600000,"text":"hello"}]}"""))).EnsureSuccessStatusCode();
        using (var set = await olga.PutAsync("/api/v1/records/r1", Json("""{"tableName":"t_r1","fields":[{"name":"id","type":"String"},{"name":"v","type":"Integer"}],"pks":["id"]}""")))
        {
            set.StatusCode.ShouldBeOneOf([HttpStatusCode.Created, HttpStatusCode.OK], await set.Content.ReadAsStringAsync());
        }

        (await olga.PostAsync("/api/v1/records/r1/rows", Json("""{"id":"k1","v":1}"""))).EnsureSuccessStatusCode();
        using (var hook = await admin.PostAsync("/api/v1/hooks", Json("""{"path":"/m","on":["write"],"url":"http://127.0.0.1:9/"}""")))
        {
            if (hook.IsSuccessStatusCode)
            {
                HookId = (await hook.JsonAsync(HttpStatusCode.Created)).Str("id");
            }
        }
    }

    /// <summary>
    /// A session token past its lifetime (12 h) and an API key past its expiry, by time alone: issued with the clock
    /// 13 h back and used once there (so they sit in the server's credential cache too), expired once it is now again.
    /// </summary>
    private async Task IssuePastCredentialsAsync()
    {
        _time.Offset = TimeSpan.FromHours(-13);
        try
        {
            var token = await LoginAsync("olga", RunningServer.UserPassword);
            var inThePast = Client(token);
            var expiresAt = _time.GetUtcNow().AddHours(1).ToUnixTimeMilliseconds();
            using var created = await inThePast.PostAsJsonAsync("/api/v1/keys", new { name = "past", expiresAt });
            var key = (await created.JsonAsync(HttpStatusCode.Created)).Str("key");
            (await inThePast.GetAsync("/api/v1/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK, "the token works while it is valid");
            (await Client(key).GetAsync("/api/v1/auth/me")).StatusCode.ShouldBe(HttpStatusCode.OK, "the key works while it is valid");
            _tokens[Caller.PastLifetime] = _logoutTokens[Caller.PastLifetime] = token;
            _tokens[Caller.KeyPastExpiry] = _logoutTokens[Caller.KeyPastExpiry] = key;
        }
        finally
        {
            _time.Offset = TimeSpan.Zero;
        }
    }

    private async Task<string> LoginAsync(string user, string password)
    {
        using var response = await Http.PostAsJsonAsync("/api/v1/auth/login", new { user, password });
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("token").GetString()!;
    }

    private static async Task<string> CreateKeyAsync(HttpClient client, string name)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/keys", new { name });
        return (await response.JsonAsync(HttpStatusCode.Created)).Str("key");
    }

    private HttpClient Client(string token)
    {
        var client = Server.Anonymous();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
