using System.Runtime.CompilerServices;
using Grove.Config.Internal;

namespace Grove.Config.Tests;

/// <summary>A store the test takes down (every call fails as an unreachable database would) and brings back.</summary>
internal sealed class FlakyStore(Func<CancellationToken, Task<IConfigStore>> open) : IConfigStore
{
    private IConfigStore? _inner;

    public bool Down { get; set; }

    /// <summary>When true, other nodes' notices are dropped (a node that missed them).</summary>
    public bool Deaf { get; set; }

    public int Connects;

    public event Action? RemoteChanged;

    public async Task<IConfigStore> ConnectAsync(CancellationToken ct)
    {
        Interlocked.Increment(ref Connects);
        Check();
        if (_inner is null)
        {
            _inner = await open(ct);
            _inner.RemoteChanged += () =>
            {
                if (!Deaf)
                {
                    RemoteChanged?.Invoke();
                }
            };
        }

        return this;
    }

    private IConfigStore Inner
    {
        get
        {
            Check();
            return _inner!;
        }
    }

    private void Check()
    {
        if (Down)
        {
            throw new IOException("connection refused (the test took the store down)");
        }
    }

    public Task<long> ReadRevisionAsync(CancellationToken ct) => Inner.ReadRevisionAsync(ct);

    public async IAsyncEnumerable<StoredHeader> ListAllAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var h in Inner.ListAllAsync(ct))
        {
            Check();
            yield return h;
        }
    }

    public Task<StoredConfig?> ReadMainAsync(ConfigKey key, CancellationToken ct) => Inner.ReadMainAsync(key, ct);

    public Task<StoredBeta?> ReadBetaAsync(ConfigKey key, CancellationToken ct) => Inner.ReadBetaAsync(key, ct);

    /// <summary>When set, commits wait for it (a slow database), so writes queue up behind them.</summary>
    public TaskCompletionSource? Hold { get; set; }

    /// <summary>Store transactions asked for, and how many changes each held.</summary>
    public List<int> CommitSizes { get; } = [];

    public async Task<IReadOnlyList<AppliedChange>> CommitAsync(IReadOnlyList<ConfigKey> keys, ReadNeeds needs, Func<IReadOnlyDictionary<ConfigKey, KeyState>, IReadOnlyList<Change>> decide, CancellationToken ct)
    {
        if (Hold is { } hold)
        {
            await hold.Task.WaitAsync(ct);
        }

        var applied = await Inner.CommitAsync(keys, needs, decide, ct);
        lock (CommitSizes)
        {
            CommitSizes.Add(applied.Count);
        }

        return applied;
    }

    public Task<IReadOnlyList<LogRecord>> ReadLogAsync(long afterRev, int limit, CancellationToken ct) => Inner.ReadLogAsync(afterRev, limit, ct);

    public Task<IReadOnlyList<HistoryRecord>> ListHistoryAsync(ConfigKey key, long? beforeId, int limit, CancellationToken ct) => Inner.ListHistoryAsync(key, beforeId, limit, ct);

    public Task<HistoryRecord?> GetHistoryAsync(long id, CancellationToken ct) => Inner.GetHistoryAsync(id, ct);

    public Task<IReadOnlyList<HistoryRecord>> ListAuditAsync(AuditQuery query, CancellationToken ct) => Inner.ListAuditAsync(query, ct);

    public ValueTask DisposeAsync() => _inner?.DisposeAsync() ?? ValueTask.CompletedTask;
}
