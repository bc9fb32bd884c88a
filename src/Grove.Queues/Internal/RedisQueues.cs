using System.Collections.Concurrent;
using System.Security.Cryptography;
using Grove.Tree.Redis;
using StackExchange.Redis;

namespace Grove.Queues.Internal;

/// <summary>
/// Finds which queues live on Redis: a queue directory whose files are kept by a <c>redis(Key)</c> index (the nearest
/// mount above it that keeps its own rows) uses Redis Streams; any other queue uses the message table.
/// </summary>
internal sealed class RedisQueues(TreeService tree, QueueOptions options)
{
    private readonly ConcurrentDictionary<string, string> _keys = new(StringComparer.Ordinal);

    private long MaxVisibilityMs => (long)options.MaxVisibility.TotalMilliseconds;

    private string? Configuration => tree.Options.Settings
        .FirstOrDefault(kv => string.Equals(kv.Key, RedisConnections.SettingKey, StringComparison.OrdinalIgnoreCase)).Value is { Length: > 0 } c ? c : null;

    /// <summary>The Redis queue of a queue directory, or null when its messages live in the message table.</summary>
    public async Task<RedisQueue?> OfAsync(TreeObject queue, CancellationToken ct)
    {
        var key = await HomeAsync(queue, ct);
        return key.Length == 0 || key == Foreign ? null : await OpenAsync(key, queue.Id);
    }

    /// <summary>
    /// Whether a queue's message rows change in the same transaction as its files (its files are in the root index of
    /// a SQL store), so a row never outlives its file.
    /// </summary>
    public async Task<bool> InStepAsync(TreeObject queue, CancellationToken ct) =>
        tree.SharesEngineTransactions && (await HomeAsync(queue, ct)).Length == 0;

    // Note that the value is the redis key, "" for the root index, or Foreign for another index of its own.
    private const string Foreign = "\0";

    private async Task<string> HomeAsync(TreeObject queue, CancellationToken ct)
    {
        if (!_keys.TryGetValue(queue.Id, out var key))
        {
            key = await KeyAboveAsync(queue.Path ?? "/", ct) ?? "";
            _keys[queue.Id] = key;
        }

        return key;
    }

    /// <summary>The queue that a directory deleted at <paramref name="path"/> had on Redis, if any (to drop its keys).</summary>
    public async Task<RedisQueue?> OfDeletedAsync(string path, string id, CancellationToken ct)
    {
        _keys.TryRemove(id, out _);
        return await KeyAboveAsync(path, ct) is { } key && key != Foreign ? await OpenAsync(key, id) : null;
    }

    /// <summary>Every queue on Redis that holds messages.</summary>
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
                list.Add(new RedisQueue(db, parts[0], parts[2], MaxVisibilityMs));
            }
        }

        return list;
    }

    /// <summary>A claim's secret: a tag of the queue (so another queue's receipt reads as invalid, not stale) and 96 random bits.</summary>
    public static string Secret(string queueId) => Tag(queueId) + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    public static string Tag(string queueId) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(RedisQueue.LocalId(queueId))).AsSpan(0, 3));

    private async Task<RedisQueue> OpenAsync(string key, string queueId)
    {
        var config = Configuration ?? throw new QueueException(QueueErrorCode.NotAQueue, $"redis({key}): no Redis is configured (Grove:Redis:Configuration)");
        var db = (await RedisConnections.GetAsync(config, $"redis({key})")).GetDatabase();
        return new RedisQueue(db, key, queueId, MaxVisibilityMs);
    }

    /// <summary>The key of the <c>redis</c> index that keeps the rows of a directory's children at <paramref name="path"/>'s parent, or null.</summary>
    private async Task<string?> KeyAboveAsync(string path, CancellationToken ct)
    {
        var p = path;
        while (p != "/")
        {
            var cut = p.LastIndexOf('/');
            p = cut <= 0 ? "/" : p[..cut];
            if (await tree.FindAsync(p, ct) is not { Mount: { } mount }
                || !MountSpec.TryParse(mount, out var spec, tree.Storage) || spec is null || spec.IndexType.Length == 0)
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
}
