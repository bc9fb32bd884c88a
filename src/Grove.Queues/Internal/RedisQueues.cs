using System.Collections.Concurrent;
using Grove.Tree.Redis;
using StackExchange.Redis;

namespace Grove.Queues.Internal;

/// <summary>
/// Finds which queues live on Redis: a queue directory whose files are kept by a <c>redis(Key)</c> index (the nearest
/// mount above it that keeps its own rows) uses Redis Streams; any other queue uses the message table. Each queue's
/// answer is kept (a queue directory is found once per node; its keys are named by its id).
/// </summary>
internal sealed class RedisQueues(TreeService tree)
{
    // Note that the value is the queue on Redis, or null for a queue in the message table.
    private readonly ConcurrentDictionary<string, RedisQueue?> _queues = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _inStep = new(StringComparer.Ordinal);

    private string? Configuration => tree.Options.Settings
        .FirstOrDefault(kv => string.Equals(kv.Key, RedisConnections.SettingKey, StringComparison.OrdinalIgnoreCase)).Value is { Length: > 0 } c ? c : null;

    /// <summary>The Redis queue of a queue directory, or null when its messages live in the message table.</summary>
    /// <remarks>Note that every queue operation asks this: a queue known already is answered without a task.</remarks>
    public ValueTask<RedisQueue?> OfAsync(TreeObject queue, CancellationToken ct) =>
        _queues.TryGetValue(queue.Id, out var known) ? new(known) : new(FindAsync(queue, ct));

    /// <summary>The Redis queue of a queue directory this node has found already (false when unknown or in the message table).</summary>
    public bool TryKnown(string queueId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RedisQueue? queue) =>
        _queues.TryGetValue(queueId, out queue) && queue is not null;

    private async Task<RedisQueue?> FindAsync(TreeObject queue, CancellationToken ct)
    {
        var key = await KeyAboveAsync(queue.Path ?? "/", ct);
        var found = key is null || key == Foreign ? null : await OpenAsync(key, queue.Id, await RedisStorageAsync(queue.Path ?? "/", ct));
        _inStep[queue.Id] = key is null;
        return _queues[queue.Id] = found;
    }

    /// <summary>Forgets what is known of a directory (its mount may have changed).</summary>
    public void Forget(string id)
    {
        _queues.TryRemove(id, out _);
        _inStep.TryRemove(id, out _);
    }

    /// <summary>
    /// Whether a queue's message rows change in the same transaction as its files (its files are in the root index of
    /// a SQL store), so a row never outlives its file.
    /// </summary>
    public async Task<bool> InStepAsync(TreeObject queue, CancellationToken ct)
    {
        if (!_inStep.TryGetValue(queue.Id, out var inRoot))
        {
            await OfAsync(queue, ct);
            inRoot = _inStep.GetValueOrDefault(queue.Id);
        }

        return tree.SharesEngineTransactions && inRoot;
    }

    // Note that KeyAboveAsync answers the redis key, null for the root index, or Foreign for another index of its own.
    private const string Foreign = "\0";

    /// <summary>The queue that a directory deleted at <paramref name="path"/> had on Redis, if any (to drop its keys).</summary>
    public async Task<RedisQueue?> OfDeletedAsync(string path, string id, CancellationToken ct)
    {
        Forget(id);
        return await KeyAboveAsync(path, ct) is { } key && key != Foreign ? await OpenAsync(key, id, null) : null;
    }

    /// <summary>
    /// For a directory whose metadata changed (a mount, perhaps) inside a <c>redis</c> mount: a step that records it
    /// in the registry of Redis queues once the change is committed, if it is a queue, so that the stats of every queue
    /// show it before its first message. Null outside Redis.
    /// </summary>
    public async Task<Func<Task>?> RegistrationAsync(string path, string id, CancellationToken ct)
    {
        Forget(id);
        if (await KeyAboveAsync(path, ct) is not { } key || key == Foreign)
        {
            return null;
        }

        var queue = await OpenAsync(key, id, null);
        return async () =>
        {
            // Note that the tree's cache may still hold the row as it was: read the committed row from Redis.
            var db = (await RedisConnections.GetAsync(Configuration!, $"redis({key})")).GetDatabase();
            if (await RedisIndexLayout.ReadRowAsync(db, key, RedisQueue.LocalId(id)) is { Mount: { } m } && QueueHook.IsQueueMount(m, tree.Storage))
            {
                await queue.RegisterAsync();
            }
        };
    }

    /// <summary>Every queue on Redis that holds messages or was mounted.</summary>
    public async Task<IReadOnlyList<RedisQueue>> AllAsync()
    {
        if (Configuration is not { } config)
        {
            return [];
        }

        var db = (await RedisConnections.GetAsync(config, "queues")).GetDatabase();
        var list = new List<RedisQueue>();
        foreach (var m in await db.SetMembersAsync(RedisQueue.Registry))
        {
            var parts = m.ToString().Split('\n');
            if (parts.Length == 3)
            {
                list.Add(new RedisQueue(db, parts[0], parts[2]));
            }
        }

        return list;
    }

    private async Task<RedisQueue> OpenAsync(string key, string queueId, RedisStorage? storage)
    {
        var config = Configuration ?? throw new QueueException(QueueErrorCode.NotAQueue, $"redis({key}): no Redis is configured (Grove:Redis:Configuration)");
        var db = (await RedisConnections.GetAsync(config, $"redis({key})")).GetDatabase();
        return new RedisQueue(db, key, queueId, storage);
    }

    /// <summary>The key of the <c>redis</c> index that keeps the rows of a directory's children at <paramref name="path"/>'s parent, or null.</summary>
    private async Task<string?> KeyAboveAsync(string path, CancellationToken ct)
    {
        var p = path;
        while (p != "/")
        {
            p = Parent(p);
            if (await tree.FindAsync(p, ct) is not { Mount: { } mount }
                || !MountSpec.TryParse(mount, out var spec, tree.Storage) || spec.IndexType.Length == 0)
            {
                continue;
            }

            string kind;
            bool keepsInParent;
            try
            {
                var provider = tree.Storage.Index(spec.IndexType);
                (kind, keepsInParent) = (provider.Kind, provider.KeepsObjectsInParent);
            }
            catch (TreeException)
            {
                return Foreign;
            }

            if (!keepsInParent)
            {
                return kind == "redis" ? spec.IndexSetting ?? "_" : Foreign;
            }
        }

        return null;
    }

    /// <summary>The <c>redis(Name)</c> storage that new files in the directory at <paramref name="path"/> go to, or null when it is another bucket.</summary>
    private async Task<RedisStorage?> RedisStorageAsync(string path, CancellationToken ct)
    {
        for (var p = path; ; p = Parent(p))
        {
            if (await tree.FindAsync(p, ct) is { Mount: { } mount } && MountSpec.TryParse(mount, out var spec, tree.Storage)
                && spec.StorageKind.Length > 0 && !spec.IsFile)
            {
                return tree.Storage.Canonical(spec.StorageKind) == "redis" ? new RedisStorage(spec.StorageSetting) : null;
            }

            if (p == "/")
            {
                return null;
            }
        }
    }

    private static string Parent(string path)
    {
        var cut = path.LastIndexOf('/');
        return cut <= 0 ? "/" : path[..cut];
    }
}

/// <summary><c>redis(Name)</c> storage: <paramref name="Setting"/> is the Name, null for the default one.</summary>
internal sealed record RedisStorage(string? Setting);
