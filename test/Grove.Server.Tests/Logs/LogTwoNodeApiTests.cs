using System.Text.Json;
using Xunit.Abstractions;

namespace Grove.Server.Tests.Logs;

/// <summary>Two server nodes on one PostgreSQL: any node takes appends and serves follows and reads of any task.</summary>
public sealed class LogTwoNodeApiTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private string? _store;

    public async Task InitializeAsync() => _store = await PostgresServer.DatabaseOrSkipAsync(output);

    public Task DisposeAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task AppendOnNodeA_IsFollowedAndReadOnNodeB()
    {
        if (_store is null)
        {
            return;
        }

        await using var a = await RunningServer.StartAsync(data: _folder.Dir("a"), store: _store);
        await using var b = await RunningServer.StartAsync(data: _folder.Dir("b"), store: _store);
        a.Server.Logs.LiveStore.ShouldBe(Grove.Logs.LiveStoreKind.Postgres);
        var onA = await a.AdminAsync();
        var onB = await b.AdminAsync();

        var id = await onA.CreateTaskAsync("shared");
        await onA.AppendOkAsync(id, LogApi.Lines(0, 3));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var events = await SseReader.OpenAsync(onB, $"/api/v1/logs/{id}/follow", deadline.Token);
        for (var i = 0; i < 3; i++)
        {
            (await events.NextAsync()).Id.ShouldBe(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await onA.AppendOkAsync(id, LogApi.Lines(3, 1));
        var fresh = await events.NextAsync();
        output.WriteLine($"node b delivered the line appended on node a after {clock.Elapsed.TotalMilliseconds:0.0} ms");
        JsonDocument.Parse(fresh.Data).RootElement.GetProperty("text").GetString().ShouldBe("line 3");

        await onB.AppendOkAsync(id, LogApi.Lines(4, 2));
        LogApi.LinesOf(await onA.PageAsync(id)).Count.ShouldBe(6, "node b's append is read on node a");
        (await events.NextAsync()).Id.ShouldBe("4");
        (await events.NextAsync()).Id.ShouldBe("5");

        await onA.FinishAsync(id);
        (await events.NextAsync()).Event.ShouldBe("end");
    }
}
