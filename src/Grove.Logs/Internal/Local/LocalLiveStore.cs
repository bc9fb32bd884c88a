using System.Collections.Concurrent;

namespace Grove.Logs.Internal.Local;

/// <summary>
/// The single-node live store: a folder per task under <c>&lt;root&gt;</c> holding append-only segment files. Every
/// task found at open is recovered (torn tails cut) before the store serves anything.
/// </summary>
internal sealed class LocalLiveStore : ILiveStore
{
    private readonly string _root;
    private readonly LocalConfig _config;
    private readonly ConcurrentDictionary<string, LocalTask> _tasks = new(StringComparer.Ordinal);

    private LocalLiveStore(string root, LocalConfig config)
    {
        _root = root;
        _config = config;
    }

    public Action<string>? Changed { get; set; }

    /// <summary>Opens the store, recovering every task folder in it (in parallel).</summary>
    public static LocalLiveStore Open(string root, LocalConfig config, long now)
    {
        Directory.CreateDirectory(root);
        var store = new LocalLiveStore(root, config);
        foreach (var doomed in Directory.GetDirectories(root, "*.deleting"))
        {
            Directory.Delete(doomed, recursive: true);
        }

        var dirs = Directory.GetDirectories(root).Where(d => TaskIds.IsValid(Path.GetFileName(d))).ToList();
        Parallel.ForEach(dirs, dir =>
        {
            var id = Path.GetFileName(dir);
            if (LocalTask.Load(id, dir, config, now) is { } task)
            {
                store._tasks[id] = task;
            }
            else
            {
                Directory.Delete(dir, recursive: true);
            }
        });
        return store;
    }

    public Task CreateAsync(string id, long now, CancellationToken ct)
    {
        if (!_tasks.ContainsKey(id))
        {
            _tasks.TryAdd(id, LocalTask.Create(id, Path.Join(_root, id), _config, now));
        }

        return Task.CompletedTask;
    }

    public Task<LiveState?> GetStateAsync(string id, CancellationToken ct) =>
        Task.FromResult(_tasks.TryGetValue(id, out var t) ? t.State : null);

    public Task<IReadOnlyDictionary<string, LiveState>> GetStatesAsync(IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        var found = new Dictionary<string, LiveState>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            if (_tasks.TryGetValue(id, out var t))
            {
                found[id] = t.State;
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, LiveState>>(found);
    }

    public async Task<AppendPlan?> AppendAsync(string id, IReadOnlyList<LogLine> lines, IReadOnlyList<int>? cut, long now, CancellationToken ct)
    {
        if (!_tasks.TryGetValue(id, out var task))
        {
            return null;
        }

        var plan = await task.AppendAsync(lines, cut, now, ct);
        if (plan.Accepted > 0)
        {
            Changed?.Invoke(id);
        }

        return plan;
    }

    public Task<bool> TouchAsync(string id, long now, CancellationToken ct)
    {
        if (!_tasks.TryGetValue(id, out var task))
        {
            return Task.FromResult(false);
        }

        task.Touch(now);
        return Task.FromResult(true);
    }

    public async Task<LiveState?> SealAsync(string id, LogTaskStatus status, int? exitCode, long now, CancellationToken ct)
    {
        if (!_tasks.TryGetValue(id, out var task))
        {
            return null;
        }

        var state = await task.SealAsync(status, exitCode, now, ct);
        Changed?.Invoke(id);
        return state;
    }

    public Task<LiveRead?> ReadAsync(string id, long from, int limit, CancellationToken ct)
    {
        if (!_tasks.TryGetValue(id, out var task))
        {
            return Task.FromResult<LiveRead?>(null);
        }

        try
        {
            return Task.FromResult<LiveRead?>(task.Read(from, limit));
        }
        catch (LiveTaskGoneException)
        {
            return Task.FromResult<LiveRead?>(null);
        }
    }

    public async Task DeleteAsync(string id, CancellationToken ct)
    {
        if (_tasks.TryGetValue(id, out var task))
        {
            await task.DeleteAsync(ct);
            _tasks.TryRemove(id, out _);
            Changed?.Invoke(id);
        }
    }

    public Task<IReadOnlyList<string>> ListIdleAsync(long cutoff, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<string>>(
            [.. _tasks.Where(kv => kv.Value.State is { Sealed: null } s && s.Activity < cutoff).Select(kv => kv.Key)]);

    public Task<IReadOnlyList<string>> ListSealedAsync(int limit, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<string>>(
            [.. _tasks.Select(kv => (kv.Key, kv.Value.State)).Where(t => t.State.Sealed is not null)
                .OrderBy(t => t.State.SealedAt).Take(limit).Select(t => t.Key)]);

    public ValueTask DisposeAsync()
    {
        foreach (var t in _tasks.Values)
        {
            t.Dispose();
        }

        _tasks.Clear();
        return ValueTask.CompletedTask;
    }
}
