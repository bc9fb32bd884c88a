using System.Text;
using Grove.Cli.Tests.Infrastructure;
using Grove.Hooks;

namespace Grove.Cli.Tests;

/// <summary><c>grove hook</c> in the CLI's local mode (issue 13, section 4): on a data folder, without a server.</summary>
public sealed class HookCommandTests : IDisposable
{
    private readonly GroveRunner _g = new();
    private readonly WebhookReceiver _receiver = new();

    public void Dispose()
    {
        _receiver.Dispose();
        _g.Dispose();
    }

    [Fact]
    public async Task Hook_LocalAddLsTestRm_WorkOnTheDataFolder()
    {
        (await _g.RunAsync("init")).ShouldSucceed();

        var added = (await _g.RunAsync("hook", "add", "/inbox", "--on", "create,write", "--url", _receiver.Url)).ShouldSucceed();
        var fields = added.Lines[0].Split('\t');
        var id = fields[0];
        fields[1..].ShouldBe(["/inbox", "create,write", _receiver.Url]);
        var secret = added.Lines[1]["secret: ".Length..];
        var listed = (await _g.RunAsync("hook", "ls")).ShouldSucceed().Lines.ShouldHaveSingleItem();
        listed.ShouldStartWith($"{id}\t/inbox\tcreate,write\t{_receiver.Url}\trev ");
        listed.ShouldEndWith("\tok");

        var test = (await _g.RunAsync("hook", "test", id)).ShouldSucceed();

        test.Out.Trim().ShouldBe("delivered");
        var (signature, _, body) = _receiver.Received.ShouldHaveSingleItem();
        signature.ShouldBe(HookService.Sign(secret, body), "signed with the secret add printed");
        Encoding.UTF8.GetString(body).ShouldContain("\"path\":\"/inbox\"");

        (await _g.RunAsync("hook", "rm", id)).ShouldSucceed().Out.Trim().ShouldBe("removed");
        (await _g.RunAsync("hook", "ls")).ShouldSucceed().Out.ShouldBeEmpty();
        var again = await _g.RunAsync("hook", "rm", id);
        again.ExitCode.ShouldNotBe(0);
        again.Error.ShouldContain("not_found");
    }

    [Fact]
    public async Task Hook_LocalTestOfAFailingUrl_ReportsAndListsTheFailure()
    {
        (await _g.RunAsync("init")).ShouldSucceed();
        _receiver.Statuses.Enqueue(500);
        var id = (await _g.RunAsync("hook", "add", "/", "--on", "delete", "--url", _receiver.Url)).ShouldSucceed().Lines[0].Split('\t')[0];

        var test = await _g.RunAsync("hook", "test", id);

        test.ExitCode.ShouldBe(2);
        test.Out.ShouldStartWith("failed: ");
        (await _g.RunAsync("hook", "ls")).ShouldSucceed().Out.ShouldContain("failing");
    }

    [Fact]
    public async Task Hook_LocalQueueHook_NamesTheQueue()
    {
        (await _g.RunAsync("init")).ShouldSucceed();
        (await _g.RunAsync("mount", "/events", "mq(events)")).ShouldSucceed();

        var added = (await _g.RunAsync("hook", "add", "/docs", "--on", "delete,move", "--queue", "/events")).ShouldSucceed();

        added.Lines[0].Split('\t')[1..].ShouldBe(["/docs", "move,delete", "/events"]);
        (await _g.RunAsync("hook", "ls")).ShouldSucceed().Out.ShouldContain("\t/events\t");
    }

    [Theory]
    [InlineData("create,bogus", "--url", "http://127.0.0.1:1/x", "bogus")]
    [InlineData("create", "--queue", "/not-a-queue", "not_a_queue")]
    [InlineData("create", "--url", "ftp://example.org/x", "invalid_argument")]
    public async Task Hook_LocalAddWithBadInput_IsRefusedAndAddsNothing(string on, string option, string value, string error)
    {
        (await _g.RunAsync("init")).ShouldSucceed();

        var refused = await _g.RunAsync("hook", "add", "/docs", "--on", on, option, value);

        refused.ExitCode.ShouldNotBe(0);
        refused.Error.ShouldContain(error);
        (await _g.RunAsync("hook", "ls")).ShouldSucceed().Out.ShouldBeEmpty();
    }

    [Fact]
    public async Task Hook_AddedLocally_IsDeliveredByTheServerThatOpensTheFolder()
    {
        (await _g.RunAsync("init")).ShouldSucceed();
        (await _g.RunAsync("hook", "add", "/inbox", "--on", "create", "--url", _receiver.Url)).ShouldSucceed();

        await using var server = await RunningServer.StartAsync(data: _g.DataPath);
        using var admin = await server.AdminAsync();
        (await admin.PutAsync("/api/v1/files/inbox/a.txt", new StringContent("a"))).EnsureSuccessStatusCode();

        // Note that the upload also creates /inbox itself: that is an event too.
        bool Delivered() => _receiver.Received.Any(r => Encoding.UTF8.GetString(r.Body).Contains("\"path\":\"/inbox/a.txt\"", StringComparison.Ordinal));
        await Poll.UntilAsync(Delivered, "the server delivering the hook the CLI added to its folder");
    }
}
