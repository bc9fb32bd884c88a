using System.Runtime.CompilerServices;
using Grove.Tree;
using Grove.Tree.Query;

namespace Grove.Config.Internal;

/// <summary>
/// Configs as tree objects under <c>/sys/config</c>: in SQLite by default, in PostgreSQL (shared by every node) when
/// the tree is there. Every change commits the config, its history entry and the revision counter together.
/// </summary>
internal sealed partial class TreeConfigStore : IConfigStore
{
    private const string Admin = "admin";
    private const int SysMode = 0b111_000_000;
    private const int MaxReadAttempts = 8;
    private const string KeyIdMeta = "mkid";

    private readonly TreeService _tree;
    private readonly TimeProvider _time;
    private readonly TimeSpan? _retention;
    private readonly string _revisionId;

    private TreeConfigStore(TreeService tree, TimeProvider time, TimeSpan? retention, string revisionId)
    {
        _tree = tree;
        _time = time;
        _retention = retention;
        _revisionId = revisionId;
        _tree.RemoteChange += OnRemoteChange;
    }

    public event Action? RemoteChanged;

    /// <summary>Creates the layout (directories owned by admin, mode 0700; the revision counter) and indexes the history key.</summary>
    public static async Task<TreeConfigStore> OpenAsync(TreeService tree, TimeProvider time, TimeSpan? retention, string masterKeyId, CancellationToken ct)
    {
        var dirOptions = new CreateOptions { ExistOk = true, User = Admin, Group = Admin, Mode = SysMode };
        foreach (var dir in ConfigPaths.Dirs)
        {
            await tree.MkdirAsync(dir, dirOptions, ct);
        }

        await CheckMasterKeyAsync(tree, masterKeyId, ct);

        var counter = await tree.FindAsync(ConfigPaths.Revision, ct);
        if (counter is null)
        {
            try
            {
                counter = (await tree.CommitAsync(new TreeBatch().Create(ConfigPaths.Revision, new BatchFile { Meta = StoredCodec.Counter(0) }, Admin), ct))[0]!;
            }
            catch (TreeException e) when (e.Code == TreeErrorCode.AlreadyExists)
            {
                counter = await tree.GetAsync(ConfigPaths.Revision, ct); // Another node made it at the same moment.
            }
        }

        await tree.EnsureIndexAsync(ConfigMeta.Key, ct);
        return new TreeConfigStore(tree, time, retention, counter.Id);
    }

    /// <summary>
    /// The first node to open the store records its master key's id; every node after it must hold the same key, or
    /// secrets published on one node would be unreadable on another (refused at start, naming both ids).
    /// </summary>
    private static async Task CheckMasterKeyAsync(TreeService tree, string keyId, CancellationToken ct)
    {
        var record = await tree.FindAsync(ConfigPaths.MasterKey, ct);
        if (record is null)
        {
            try
            {
                record = (await tree.CommitAsync(new TreeBatch().Create(ConfigPaths.MasterKey, new BatchFile { Meta = ConfigMeta.Of((KeyIdMeta, keyId)) }, Admin), ct))[0]!;
            }
            catch (TreeException e) when (e.Code == TreeErrorCode.AlreadyExists)
            {
                record = await tree.GetAsync(ConfigPaths.MasterKey, ct);
            }
        }

        var stored = record.Meta.TryGetValue(KeyIdMeta, out var v) && v.ValueKind == System.Text.Json.JsonValueKind.String ? v.GetString() : null;
        if (!string.Equals(stored, keyId, StringComparison.Ordinal))
        {
            throw new ConfigException(
                ConfigErrorCode.MasterKeyMismatch,
                $"this node's config master key (id {keyId}) is not the one the store was first opened with (id {stored}): give every node the same key (Grove:Config:MasterKeyFile or Grove:Config:MasterKey)");
        }
    }

    private void OnRemoteChange(IReadOnlyList<string>? ids)
    {
        // Note that every commit of the engine updates the counter, so its id is in the notice of every config change.
        if (ids is null || ids.Contains(_revisionId, StringComparer.Ordinal))
        {
            RemoteChanged?.Invoke();
        }
    }

    public async Task<long> ReadRevisionAsync(CancellationToken ct)
    {
        // A query goes to the index itself, never to the tree's cache: this is the probe of the database.
        var page = await _tree.QueryAsync(new TreeQuery { Parent = ConfigPaths.Root, Filter = Filter.Eq("nm", "rev"), Limit = 1 }, ct);
        return page.Items.Count == 0 ? 0 : ConfigMeta.Long(page.Items[0].Meta, ConfigMeta.Counter);
    }

    public async IAsyncEnumerable<StoredHeader> ListAllAsync([EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var (top, isBeta) in new[] { (ConfigPaths.Items, false), (ConfigPaths.Betas, true) })
        {
            await foreach (var o in _tree.WalkAsync(top, ct))
            {
                if (!o.IsDir && ConfigPaths.KeyOf(top, o.Path!) is { } key)
                {
                    yield return new StoredHeader(key, isBeta, ConfigMeta.Long(o.Meta, ConfigMeta.Rev));
                }
            }
        }
    }

    public async Task<StoredConfig?> ReadMainAsync(ConfigKey key, CancellationToken ct) =>
        await ReadConsistentAsync(ConfigPaths.Item(key), (o, body) => StoredCodec.Main(key, o, body), ct);

    /// <summary>The released config's metadata and version, without reading its content (the body is empty).</summary>
    private async Task<StoredConfig?> ReadMainHeaderAsync(ConfigKey key, CancellationToken ct) =>
        await _tree.FindAsync(ConfigPaths.Item(key), ct) is { } o ? StoredCodec.Main(key, o, []) : null;

    public async Task<StoredBeta?> ReadBetaAsync(ConfigKey key, CancellationToken ct) =>
        await ReadConsistentAsync(ConfigPaths.Beta(key), (o, body) => StoredCodec.Beta(key, o, body), ct);

    /// <summary>Metadata and content of one version: read again when the object changed between the two reads.</summary>
    private async Task<T?> ReadConsistentAsync<T>(string path, Func<TreeObject, byte[], T> build, CancellationToken ct)
        where T : class
    {
        for (var attempt = 1; ; attempt++)
        {
            var before = await _tree.FindAsync(path, ct);
            if (before is null)
            {
                return null;
            }

            byte[] body;
            try
            {
                body = await _tree.ReadAllBytesAsync(path, ct);
            }
            catch (TreeException e) when (e.Code == TreeErrorCode.NotFound && attempt < MaxReadAttempts)
            {
                continue;
            }

            var after = await _tree.FindAsync(path, ct);
            if (after?.Version == before.Version || attempt >= MaxReadAttempts)
            {
                return after is null ? null : build(after, body);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _tree.RemoteChange -= OnRemoteChange;
        return ValueTask.CompletedTask;
    }
}
