using System.Diagnostics;
using Grove.Tree.Redis;
using Grove.Tree.Storage;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Grove.Queues.Tests;

/// <summary>
/// A queue with <c>redis(Name)</c> storage on a redis-server of its own that writes every command to its append-only
/// file before answering (<c>--appendonly yes --appendfsync always</c>), killed and started again on the same folder.
/// The tree reaches it through a relay that keeps its address: the server comes back on a new port, since the port it
/// had is free after the kill and any process on the machine may take it.
/// </summary>
public sealed class RedisQueueRestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private PortRelay? _relay;
    private Process? _redis;
    private TreeService? _tree;
    private QueueService? _queues;

    public async Task InitializeAsync()
    {
        if (!RedisServer.Instance.AvailableOrSkip(output))
        {
            return;
        }

        var port = await StartRedisAsync();
        _relay = new PortRelay(port);
        _tree = await TreeService.OpenAsync(new TreeOptions
        {
            DataPath = _folder.Combine("node"),
            Storage = StorageRegistry.CreateDefault().AddRedis().Freeze(),
            Settings = new Dictionary<string, string?> { [RedisConnections.SettingKey] = $"127.0.0.1:{_relay.Port}" },
            ReclaimInterval = TimeSpan.Zero,
        });
        _queues = await QueueService.OpenAsync(_tree);
        await _tree.MountAsync("/r", "redis(restart)", createMissing: true);
        await _tree.MountAsync("/r/q", "mq(jobs)://redis(jobs)", createMissing: true);
    }

    public async Task DisposeAsync()
    {
        if (_queues is not null)
        {
            await _queues.DisposeAsync();
        }

        if (_tree is not null)
        {
            await _tree.DisposeAsync();
        }

        Stop();
        if (_relay is not null)
        {
            await _relay.DisposeAsync();
        }

        _folder.Dispose();
    }

    [Fact]
    public async Task Claim_AfterRedisIsKilledAndStartedAgainWithItsAppendOnlyFile_PushedMessagesAndTheGroupAreKept()
    {
        if (_queues is null) return;
        await _queues.PushAsync("/r/q", new MemoryStream("1"u8.ToArray()), name: "m1");
        await _queues.PushAsync("/r/q", new MemoryStream("2"u8.ToArray()), name: "m2");
        var first = (await _queues.ClaimAsync("/r/q"))!;
        await _queues.AckAsync("/r/q", first.Receipt);

        _relay!.Target = null;
        Stop();
        _relay.Target = await StartRedisAsync();

        ClaimedMessage? second = null;
        await Poll.UntilAsync(async () =>
        {
            try
            {
                second = await _queues.ClaimAsync("/r/q");
                return second is not null;
            }
            catch (RedisException)
            {
                return false; // Note that the connection comes back on its own a moment after the server.
            }
        }, "a claim after the restart");

        first.Message.Path.ShouldBe("/r/q/m1");
        second!.Message.Path.ShouldBe("/r/q/m2");
        second.Message.Deliveries.ShouldBe(1);
        (await _tree!.ReadAllBytesAsync("/r/q/m2")).ShouldBe("2"u8.ToArray());
        (await _tree.FindAsync("/r/q/m1")).ShouldBeNull();
        await _queues.AckAsync("/r/q", second.Receipt);
        (await _queues.StatsAsync("/r/q")).Depth.ShouldBe(0);
    }

    /// <summary>Starts redis-server on a free port (another one if that was taken before it could bind); returns the port.</summary>
    private async Task<int> StartRedisAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = ServiceProcess.FreePort();
            var info = new ProcessStartInfo(Environment.GetEnvironmentVariable(RedisServer.EnvironmentVariable) is { Length: > 0 } e ? e : "redis-server") { UseShellExecute = false, RedirectStandardOutput = true };
            foreach (var a in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "yes", "--appendfsync", "always", "--daemonize", "no", "--dir", _folder.Path })
            {
                info.ArgumentList.Add(a);
            }

            var p = Process.Start(info)!;
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            p.OutputDataReceived += (_, line) =>
            {
                if (line.Data?.Contains("Ready to accept connections", StringComparison.Ordinal) == true)
                {
                    ready.TrySetResult();
                }
            };
            p.BeginOutputReadLine();
            ExitWatchdog.Arrange(_folder.Path, ["kill", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            // Note that its own "ready" line, not a connection that succeeds: another process may be listening on the port.
            await Poll.UntilAsync(() => ready.Task.IsCompleted || p.HasExited, "redis-server to listen or exit", seconds: 30);
            if (ready.Task.IsCompleted)
            {
                _redis = p;
                return port;
            }

            p.Dispose();
            if (attempt == 3)
            {
                throw new InvalidOperationException($"redis-server exited at start three times (last on port {port})");
            }
        }
    }

    private void Stop()
    {
        if (_redis is { HasExited: false })
        {
            _redis.Kill();
            _redis.WaitForExit(5000);
        }

        _redis?.Dispose();
        _redis = null;
    }
}
