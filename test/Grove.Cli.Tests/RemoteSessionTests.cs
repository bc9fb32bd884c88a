using System.Text.Json;
using Grove.Cli.Tests.Infrastructure;
using Grove.Client;

namespace Grove.Cli.Tests;

/// <summary><c>grove login</c>, <c>logout</c>, stored tokens, and the refusals a remote user meets.</summary>
public sealed class RemoteSessionTests : IAsyncLifetime, IDisposable
{
    private readonly GroveRunner _g = new();
    private RunningServer _server = null!;
    private string _url = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        _url = _server.Address.ToString().TrimEnd('/');
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _g.Dispose();

    private string CredentialsFile => Path.Join(_g.ConfigPath, "grove", "credentials.json");

    [Fact]
    public async Task Login_WrongPassword_ExitsTwoWithOneLineAndStoresNothing()
    {
        _g.SetEnvironment("GROVE_PASSWORD", "not-the-password");

        var result = await _g.RunRawAsync(["login", "--server", _url, "--user", "admin"]);

        result.ShouldFail(2, "unauthorized");
        result.Out.ShouldBeEmpty();
        File.Exists(CredentialsFile).ShouldBeFalse();
    }

    [Fact]
    public async Task Login_RightPassword_StoresOwnerOnlyTokenKeyedByServer()
    {
        _g.SetEnvironment("GROVE_PASSWORD", RunningServer.AdminPassword);

        var result = (await _g.RunRawAsync(["login", "--server", _url + "/", "--user", "admin"])).ShouldSucceed();

        result.Out.ShouldStartWith($"signed in to {_url} as admin (until ");
        using var doc = JsonDocument.Parse(File.ReadAllText(CredentialsFile));
        var entry = doc.RootElement.GetProperty("servers").GetProperty(_url);
        entry.GetProperty("user").GetString().ShouldBe("admin");
        var token = entry.GetProperty("token").GetString()!;
        using var client = new GroveClient(_server.Address, token);
        (await client.MeAsync()).User.ShouldBe("admin");
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(CredentialsFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.GetUnixFileMode(Path.GetDirectoryName(CredentialsFile)!).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        (await _g.RunRawAsync(["whoami", "--server", _url])).ShouldSucceed().Out.ShouldBe("admin  groups: admin  (admin)\n");
    }

    [Fact]
    public async Task Logout_EndsTheSessionOnTheServerAndForgetsTheToken()
    {
        _g.SetEnvironment("GROVE_PASSWORD", RunningServer.AdminPassword);
        _g.SetEnvironment("GROVE_SERVER", _url);
        (await _g.RunRawAsync(["login", "--user", "admin"])).ShouldSucceed();
        var token = JsonDocument.Parse(File.ReadAllText(CredentialsFile)).RootElement.GetProperty("servers").GetProperty(_url).GetProperty("token").GetString();

        (await _g.RunRawAsync(["logout"])).ShouldSucceed().Out.ShouldBe($"signed out of {_url}\n");

        using var client = new GroveClient(_server.Address, token);
        (await Should.ThrowAsync<GroveApiException>(() => client.MeAsync())).Code.ShouldBe(GroveErrorCode.Unauthorized);
        File.ReadAllText(CredentialsFile).ShouldNotContain(_url);
        (await _g.RunRawAsync(["ls"])).ShouldFail(2, "unauthorized").Error.ShouldContain("grove login --server " + _url);
        (await _g.RunRawAsync(["logout"])).ShouldSucceed().Out.ShouldBe($"not signed in to {_url}\n");
    }

    [Fact]
    public async Task AnyVerb_ExpiredOrRevokedToken_ExitsTwoWithHintToSignIn()
    {
        _g.SetEnvironment("GROVE_TOKEN", "revoked-or-made-up");

        var result = await _g.RunRawAsync(["--server", _url, "stat", "/"]);

        result.ShouldFail(2, "unauthorized").Error.ShouldContain("grove login --server");
    }

    [Fact]
    public async Task AnyVerb_UnreachableServer_ExitsSixtyNineWithOneLine()
    {
        _g.SetEnvironment("GROVE_TOKEN", "whatever");
        await _server.DisposeAsync();
        _server = await RunningServer.StartAsync();

        var result = await _g.RunRawAsync(["--server", _url, "ls"]);

        result.ShouldFail(69, "unavailable");
    }

    [Fact]
    public async Task Verbs_RemoteUserWithoutRights_AreForbidden()
    {
        var admin = await _server.AdminAsync();
        (await admin.PostAsync("/api/v1/dirs/private", null)).EnsureSuccessStatusCode();
        using var lockDown = new StringContent("""{"set":{"md":448}}""", System.Text.Encoding.UTF8, "application/json");
        (await admin.PatchAsync("/api/v1/meta/private", lockDown)).EnsureSuccessStatusCode();
        await _server.UserAsync("bob");
        _g.SetEnvironment("GROVE_SERVER", _url);
        _g.SetEnvironment("GROVE_PASSWORD", RunningServer.UserPassword);
        (await _g.RunRawAsync(["login", "--user", "bob"])).ShouldSucceed();
        _g.TextFile("x.txt", "x");

        (await _g.RunRawAsync(["ls", "/private"])).ShouldFail(2, "forbidden");
        (await _g.RunRawAsync(["put", "x.txt", "/private/x.txt"])).ShouldFail(2, "forbidden");
        (await _g.RunRawAsync(["fsck"])).ShouldFail(2, "forbidden");
        _g.SetEnvironment("GROVE_NEW_PASSWORD", "eve-password-1");
        (await _g.RunRawAsync(["users", "add", "eve"])).ShouldFail(2, "forbidden");
        (await _g.RunRawAsync(["put", "x.txt", "/x.txt"])).ShouldFail(2, "forbidden");
    }

    [Fact]
    public async Task Init_WithServer_IsAUsageError()
    {
        (await _g.RunRawAsync(["--server", _url, "init"])).ShouldFail(64, "invalid_argument");
        (await _g.RunRawAsync(["--server", "ftp://x", "ls"])).ShouldFail(64, "invalid_argument");
        (await _g.RunRawAsync(["login", "--user", "admin"])).ShouldFail(64, "invalid_argument");
    }

    [Fact]
    public async Task UsersAndKeys_AdminManagesAccountsAndAKeyActsAsItsUser()
    {
        _g.SetEnvironment("GROVE_SERVER", _url);
        _g.SetEnvironment("GROVE_PASSWORD", RunningServer.AdminPassword);
        _g.SetEnvironment("GROVE_NEW_PASSWORD", "carol-password-1");
        (await _g.RunRawAsync(["login", "--user", "admin"])).ShouldSucceed();

        (await _g.RunRawAsync(["users", "add", "carol", "--group", "staff"])).ShouldSucceed().Out.ShouldBe("added user carol\n");
        var users = (await _g.RunRawAsync(["users"])).ShouldSucceed().Lines;
        users.ShouldContain(l => l.StartsWith("carol ", StringComparison.Ordinal) && l.EndsWith(" staff", StringComparison.Ordinal));
        var key = (await _g.RunRawAsync(["keys", "add", "ci"])).ShouldSucceed().Out.Trim();
        var listed = JsonDocument.Parse((await _g.RunRawAsync(["--json", "keys"])).ShouldSucceed().Out).RootElement;
        var id = listed.EnumerateArray().Single(k => k.GetProperty("name").GetString() == "ci").GetProperty("id").GetString()!;

        var service = new GroveRunner();
        try
        {
            service.SetEnvironment("GROVE_SERVER", _url);
            service.SetEnvironment("GROVE_TOKEN", key);
            (await service.RunRawAsync(["whoami"])).ShouldSucceed().Out.ShouldStartWith("admin ");
            (await _g.RunRawAsync(["keys", "rm", id])).ShouldSucceed();
            (await service.RunRawAsync(["whoami"])).ShouldFail(2, "unauthorized");
        }
        finally
        {
            service.Dispose();
        }

        (await _g.RunRawAsync(["passwd", "carol"])).ShouldSucceed();
        (await _g.RunRawAsync(["users", "rm", "carol"])).ShouldSucceed();
        (await _g.RunRawAsync(["users"])).ShouldSucceed().Out.ShouldNotContain("carol");
    }
}
