namespace Grove.Tree.Tests.Cluster;

/// <summary>The in-process bus of a SQLite tree (no other process can open its data folder).</summary>
public sealed class LocalBusTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private TreeService _tree = null!;

    public async Task InitializeAsync() => _tree = await TreeService.OpenAsync(new TreeOptions { DataPath = _folder.Path });

    public async Task DisposeAsync()
    {
        await _tree.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Publish_TypedTopic_DeliveredInProcessToOwnSubscribersOnly()
    {
        var topic = new BusTopic<long>("test.rev", v => v.ToString(System.Globalization.CultureInfo.InvariantCulture), long.Parse);
        var own = new List<(long, bool)>();
        var others = new List<long>();
        using var s1 = topic.Subscribe(_tree.Bus, (v, isOwn) => own.Add((v, isOwn)), () => own.Add((-1, false)), includeOwn: true);
        using var s2 = topic.Subscribe(_tree.Bus, (v, _) => others.Add(v), () => others.Add(-1));

        await topic.PublishAsync(_tree.Bus, 42, default);

        _tree.Bus.Shared.ShouldBeFalse();
        own.ShouldBe([(42L, true)]);
        others.ShouldBeEmpty();
    }

    [Fact]
    public async Task Publish_BadTopicOrOversizedPayload_Refused()
    {
        await Should.ThrowAsync<ArgumentException>(() => _tree.Bus.PublishAsync("no spaces", "x", default));
        await Should.ThrowAsync<ArgumentException>(() => _tree.Bus.PublishAsync("ok", new string('x', BusLimits.MaxPayloadBytes + 1), default));
    }

    [Fact]
    public async Task Subscribe_Disposed_NoLongerCalled()
    {
        var heard = 0;
        var s = _tree.Bus.Subscribe("t", _ => heard++, includeOwn: true);
        await _tree.Bus.PublishAsync("t", "1", default);
        s.Dispose();
        await _tree.Bus.PublishAsync("t", "2", default);

        heard.ShouldBe(1);
    }
}
