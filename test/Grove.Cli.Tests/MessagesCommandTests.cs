using System.Text.Json;
using Grove.Cli.Tests.Infrastructure;
using Grove.Client;
using Grove.Config;

namespace Grove.Cli.Tests;

/// <summary><c>grove messages send|ls|show|print</c> against a server.</summary>
public sealed class MessagesCommandTests : IAsyncLifetime, IDisposable
{
    private readonly GroveRunner _g = new();
    private RunningServer _server = null!;
    private string _url = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        _url = _server.Address.ToString().TrimEnd('/');
        await _server.Server.ConfigCenter.PublishAsync(new PublishRequest
        {
            Key = ConfigKey.Create("acme.waybill", "GROVE_MESSAGES"),
            Type = ConfigType.Json,
            Content = """{"sourceId": "id", "fields": [{"path": "no", "name": "no", "display": "运单号", "required": true}]}""",
        });
        using var admin = new GroveClient(_server.Address);
        await admin.LoginAsync("admin", RunningServer.AdminPassword);
        _g.SetEnvironment("GROVE_TOKEN", (await admin.CreateApiKeyAsync("cli")).Key);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _g.Dispose();

    [Fact]
    public async Task SendLsShowPrint_AgainstServer()
    {
        var file = _g.Temp.File("m.json", """{"id": "s-1", "no": "WB-9"}""");
        (await _g.RunRawAsync(["messages", "send", "acme", "waybill", file, "--server", _url])).ShouldSucceed().Out.ShouldStartWith("received message ");
        (await _g.RunRawAsync(["messages", "send", "acme", "waybill", file, "--server", _url])).ShouldSucceed().Out.ShouldStartWith("already received message ");

        var ls = (await _g.RunRawAsync(["messages", "ls", "--partner", "acme", "--json", "--server", _url])).ShouldSucceed();
        using (var doc = JsonDocument.Parse(ls.Out))
        {
            doc.RootElement.GetProperty("items")[0].GetProperty("document").GetProperty("no").GetString().ShouldBe("WB-9");
        }

        (await _g.RunRawAsync(["messages", "show", "acme", "s-1", "--server", _url])).ShouldSucceed().Out.ShouldContain("运单号: WB-9");
        var pdf = _g.Temp.Combine("m.pdf");
        (await _g.RunRawAsync(["messages", "print", "acme", "s-1", pdf, "--server", _url])).ShouldSucceed();
        (await File.ReadAllBytesAsync(pdf))[..4].ShouldBe("%PDF"u8.ToArray());
        (await _g.RunRawAsync(["messages", "show", "acme", "nope", "--server", _url])).ShouldFail(2, "not_found");
    }
}
