using System.Collections.Concurrent;
using System.Diagnostics;
using Grove.Tree.Internal.Postgres;
using Npgsql;
using Xunit.Abstractions;

namespace Grove.Tree.Tests.Cluster;

/// <summary>The cluster bus and leases between two nodes on one PostgreSQL database.</summary>
public sealed class PostgresClusterTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private string? _store;

    public async Task InitializeAsync() => _store = await PostgresServer.DatabaseOrSkipAsync(output);

    public Task DisposeAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }

    private Task<TreeService> NodeAsync(string name) =>
        TreeService.OpenAsync(new TreeOptions { Store = _store, DataPath = _folder.Combine(name), LockDataFolder = false });

    private static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException($"not within 10 s: {what}");
            }

            await Task.Delay(5);
        }
    }

    private async Task TerminateAsync(int pid)
    {
        await using var c = new NpgsqlConnection(_store);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT pg_terminate_backend(@p)", c);
        cmd.Parameters.AddWithValue("p", pid);
        await cmd.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Publish_OnOneNode_HeardOnTheOtherAndOwnOnlyWhenAsked()
    {
        if (_store is null) return;
        await using var a = await NodeAsync("a");
        await using var b = await NodeAsync("b");
        var onB = new ConcurrentQueue<BusMessage>();
        var ownOnA = new ConcurrentQueue<BusMessage>();
        var othersOnA = new ConcurrentQueue<BusMessage>();
        using var s1 = b.Bus.Subscribe("test.topic", onB.Enqueue);
        using var s2 = a.Bus.Subscribe("test.topic", ownOnA.Enqueue, includeOwn: true);
        using var s3 = a.Bus.Subscribe("test.topic", othersOnA.Enqueue);

        await a.Bus.PublishAsync("test.topic", "hello", default);

        await EventuallyAsync(() => onB.Count == 1 && ownOnA.Count == 1, "b and a's own subscriber hear it");
        onB.Single().ShouldBe(new BusMessage("test.topic", "hello", a.Bus.NodeId, Resync: false, Own: false));
        ownOnA.Single().Own.ShouldBeTrue();
        othersOnA.ShouldBeEmpty();
    }

    [Fact]
    public async Task Publish_InATransactionRolledBack_NeverHeard()
    {
        if (_store is null) return;
        await using var a = await NodeAsync("a");
        await using var b = await NodeAsync("b");
        var onB = new ConcurrentQueue<string>();
        using var s = b.Bus.Subscribe("test.tx", m => onB.Enqueue(m.Payload));
        await using (var c = await a.Engines.OpenConnectionAsync(default))
        {
            await using var tx = await c.BeginTransactionAsync();
            await a.Bus.PublishAsync("test.tx", "rolled back", tx, default);
            await tx.RollbackAsync();
            await using var tx2 = await c.BeginTransactionAsync();
            await a.Bus.PublishAsync("test.tx", "committed", tx2, default);
            await tx2.CommitAsync();
        }

        await EventuallyAsync(() => onB.Count == 1, "the committed message");
        onB.Single().ShouldBe("committed");
    }

    [Fact]
    public async Task StaleReadAfterDatabaseInterruption_CacheServesNothingDuringTheGapAndResyncsAfter()
    {
        if (_store is null) return;
        await using var a = await NodeAsync("a");
        await using var b = await NodeAsync("b");
        var resyncs = 0;
        using var s = b.Bus.Subscribe("tree", m => Interlocked.Add(ref resyncs, m.Resync ? 1 : 0));
        await a.WriteAsync("/doc.txt", "v1"u8.ToArray());
        await b.GetAsync("/doc.txt");
        var hits = b.CacheStats.Hits;
        await b.GetAsync("/doc.txt");
        b.CacheStats.Hits.ShouldBeGreaterThan(hits, "b serves /doc.txt from its cache");

        var bus = (PostgresBus)b.Bus;
        var reconnect = new TaskCompletionSource();
        bus.BeforeReconnect = () => reconnect.Task;
        await TerminateAsync(bus.ListenerPid);
        // Note that the bus marks itself disconnected just before it tells subscribers: wait for both.
        await EventuallyAsync(() => !b.Bus.Connected && Volatile.Read(ref resyncs) == 1, "b notices its listener is gone and resyncs");

        var v2 = await a.WriteAsync("/doc.txt", "v2"u8.ToArray());
        (await b.GetAsync("/doc.txt")).Sha256.ShouldBe(v2.Sha256, "no stale read during the gap, when a's notice cannot arrive");
        (await b.ReadAllBytesAsync("/doc.txt")).ShouldBe("v2"u8.ToArray());

        bus.BeforeReconnect = null;
        reconnect.SetResult();
        await EventuallyAsync(() => b.Bus.Connected && Volatile.Read(ref resyncs) == 2, "b listens again and resyncs");
        var v3 = await a.WriteAsync("/doc.txt", "v3"u8.ToArray());
        await EventuallyAsync(() => b.GetAsync("/doc.txt").GetAwaiter().GetResult().Sha256 == v3.Sha256, "b hears a's change again");
    }

    [Fact]
    public async Task Lease_TwoNodes_OneHolderTokensGrowAndExpiryHandsItOver()
    {
        if (_store is null) return;
        await using var a = await NodeAsync("a");
        await using var b = await NodeAsync("b");

        var first = (await a.Locks.TryAcquireAsync("job", TimeSpan.FromMinutes(1))).ShouldNotBeNull();
        (await b.Locks.TryAcquireAsync("job", TimeSpan.FromMinutes(1))).ShouldBeNull();
        (await b.Locks.Leases.HolderAsync("job", default)).ShouldNotBeNull().Holder.ShouldBe(a.Bus.NodeId);
        var waiting = b.Locks.AcquireAsync("job", TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(30));
        waiting.IsCompleted.ShouldBeFalse();
        await first.DisposeAsync();
        var second = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        second.Token.ShouldBeGreaterThan(first.Token);

        // b lets its 300 ms lease run out; a takes over, and b's renewal then fails.
        var third = await a.Locks.AcquireAsync("job", TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10));
        third.Token.ShouldBeGreaterThan(second.Token);
        (await second.RenewAsync(TimeSpan.FromMinutes(1))).ShouldBeFalse();
        await third.DisposeAsync();
    }
}
