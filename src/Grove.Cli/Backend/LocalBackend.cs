using System.Text.Json;
using Grove.Identity;
using Grove.Tree;
using Grove.Tree.Query;

namespace Grove.Cli.Backend;

/// <summary>
/// The backend over a <see cref="TreeService"/> opened in this process. The service locks the data folder while
/// open, so a backend lives for one command and is disposed at its end. Every operation goes through
/// <see cref="GuardedTree"/> as the acting principal: the data folder's owner (an admin) by default, or the user of
/// <c>--as</c>, who then sees and may change exactly what the server would let them.
/// </summary>
public sealed class LocalBackend : ITreeBackend
{
    private readonly TreeService _tree;
    private readonly GuardedTree _guarded;
    private readonly Principal _actor;
    private readonly Grove.Queues.QueueService _queues;

    private LocalBackend(TreeService tree, Grove.Queues.QueueService queues, Principal actor, string location)
    {
        _tree = tree;
        _queues = queues;
        _guarded = new GuardedTree(tree);
        _actor = actor;
        Location = location;
    }

    /// <inheritdoc/>
    public string Location { get; }

    /// <summary>Opens (creating if needed) the tree in the settings' data folder or store, acting as <see cref="BackendSettings.As"/> when set.</summary>
    public static async Task<LocalBackend> OpenAsync(BackendSettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var tree = await TreeService.OpenAsync(settings.TreeOptions, ct);
        try
        {
            var actor = settings.As is { } user ? await ActorAsync(tree, user, ct) : Principal.System;

            // Note that a file put into a queue directory is a message: the queue engine must see every change.
            var queues = await Grove.Queues.QueueService.OpenAsync(tree, ct: ct);
            return new LocalBackend(tree, queues, actor, tree.UsesDataFolder ? settings.DataPath : tree.StoreDescription);
        }
        catch
        {
            await tree.DisposeAsync();
            throw;
        }
    }

    private static async Task<Principal> ActorAsync(TreeService tree, string user, CancellationToken ct)
    {
        await using var identity = await IdentityService.OpenAsync(tree, new IdentityOptions(), ct);
        return await identity.PrincipalOfAsync(user, ct)
            ?? throw new CliException(IdentityErrorCode.NotFound, $"no user '{user}' in this data folder (--as)");
    }

    /// <inheritdoc/>
    public Task<TreeObject?> FindAsync(string path, CancellationToken ct) => _guarded.Access.FindVisibleAsync(_actor, path, ct);

    /// <inheritdoc/>
    public Task<TreeObject> GetAsync(string path, CancellationToken ct) => _guarded.StatAsync(_actor, path, ct);

    /// <inheritdoc/>
    public Task<TreeObject> GetByIdAsync(string id, CancellationToken ct) => _guarded.GetByIdAsync(_actor, id, ct);

    /// <inheritdoc/>
    public async Task<Page<TreeObject>> ListAsync(string path, string? after, int limit, CancellationToken ct)
    {
        var page = await _guarded.ListAsync(_actor, path, after, limit, ct);
        return new Page<TreeObject>([.. page.Items.Select(l => l.Readable ? l.Object : HiddenEntry.Of(l.Object.Name, l.Object.IsDir))], page.Next);
    }

    /// <inheritdoc/>
    public Task<Page<TreeObject>> QueryAsync(FindQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sort = (query.Sort ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(SortKey.Parse)
            .ToList();
        return _guarded.QueryAsync(_actor, new TreeQuery
        {
            Filter = string.IsNullOrWhiteSpace(query.Where) ? null : FilterParser.Parse(query.Where),
            Parent = query.Parent,
            Sort = sort,
            Limit = query.Limit,
            After = query.After,
        }, ct);
    }

    /// <inheritdoc/>
    public async Task<TreeObject> MkdirAsync(string path, bool parents, CancellationToken ct) =>
        (await _guarded.MkdirAsync(_actor, path, parents, ct)).Directory;

    /// <inheritdoc/>
    public Task<TreeObject> WriteAsync(string path, Stream content, IProgress<long>? progress, CancellationToken ct) =>
        _guarded.WriteAsync(_actor, path, content, new PutOptions { Progress = progress }, ct);

    /// <inheritdoc/>
    public async Task<Stream> OpenReadAsync(string path, CancellationToken ct) => (await _guarded.OpenFileAsync(_actor, path, ct)).Content;

    /// <inheritdoc/>
    public Task<TreeObject> SetMetaAsync(
        string path, IReadOnlyDictionary<string, JsonElement> set, IReadOnlyCollection<string> unset, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(set);
        var values = set.ToDictionary(kv => kv.Key, kv => (object?)kv.Value, StringComparer.Ordinal);
        return _guarded.SetMetaAsync(_actor, path, values, unset, ct);
    }

    /// <inheritdoc/>
    public Task<TreeObject> MoveAsync(string from, string to, CancellationToken ct) => _guarded.MoveAsync(_actor, from, to, ct);

    /// <inheritdoc/>
    public Task DeleteAsync(string path, bool recursive, CancellationToken ct) => _guarded.DeleteAsync(_actor, path, recursive, ct);

    /// <inheritdoc/>
    public Task<TreeObject> MountAsync(string path, string expression, CancellationToken ct) => _guarded.MountAsync(_actor, path, expression, ct);

    /// <inheritdoc/>
    public Task<TreeObject> UnmountAsync(string path, CancellationToken ct) => _guarded.UnmountAsync(_actor, path, ct);

    /// <inheritdoc/>
    public Task<FsckReport> FsckAsync(bool repair, bool removeOrphans, CancellationToken ct) => _guarded.FsckAsync(_actor, repair, removeOrphans, ct);

    /// <inheritdoc/>
    public Task<int> SweepExpiredAsync(CancellationToken ct) => _guarded.SweepExpiredAsync(_actor, ct);

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChangePage> WatchAsync(string path, long? from, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var root = await _guarded.RequireWatchableAsync(_actor, path, ct);
        var after = from ?? await _tree.ChangeRevisionAsync(ct);
        while (true)
        {
            var page = await _guarded.ChangesAsync(_actor, root, after, 1000, ct);
            var moved = page.Revision != after;
            after = page.Revision;
            if (page.Resync || page.Changes.Count > 0)
            {
                yield return page;
            }

            if (!moved)
            {
                await _tree.WaitForChangesAsync(after, TimeSpan.FromSeconds(5), ct);
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _queues.DisposeAsync();
        await _tree.DisposeAsync();
    }
}
