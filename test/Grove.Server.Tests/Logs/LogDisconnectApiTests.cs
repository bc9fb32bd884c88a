namespace Grove.Server.Tests.Logs;

/// <summary>Clients that walk away from a follow stream (issue 12 #7): a client leaving is normal, never an error.</summary>
public sealed class LogDisconnectApiTests : IAsyncLifetime
{
    private readonly LogCapture _log = new();
    private RunningServer _server = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(o => o with { LoggerProvider = _log });
        _admin = await _server.AdminAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task FollowDisconnect_WhileWaitingOrStreaming_LogsNoError()
    {
        using var ends = new RequestEnds();
        var id = await _admin.CreateTaskAsync();
        await _admin.AppendOkAsync(id, LogApi.Lines(0, 3));
        const int Followers = 12;
        for (var i = 0; i < Followers; i++)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var from = i % 2 == 0 ? 0 : 3;
            if (i % 3 == 2)
            {
                using var ndjson = await _admin.GetAsync($"/api/v1/logs/{id}/follow?from={from}&format=ndjson", HttpCompletionOption.ResponseHeadersRead, deadline.Token);
                ndjson.EnsureSuccessStatusCode();
                continue;
            }

            var events = await SseReader.OpenAsync(_admin, $"/api/v1/logs/{id}/follow?from={from}", deadline.Token);
            if (from == 0)
            {
                (await events.NextAsync()).Id.ShouldBe("0");
            }

            // Leaves while the server waits for new lines (from 3) or with lines still to send (from 0).
            await events.DisposeAsync();
        }

        await Eventually.HoldsAsync(() => Task.FromResult(ends.Count($"/logs/{id}/follow") >= Followers), "every follow request ended", 30);
        _log.Errors.ShouldBeEmpty();
    }
}
