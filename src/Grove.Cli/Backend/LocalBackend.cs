using System.Text.Json;
using Grove.Tree;
using Grove.Tree.Query;

namespace Grove.Cli.Backend;

/// <summary>
/// The backend over a <see cref="TreeService"/> opened in this process. The service locks the data folder while
/// open, so a backend lives for one command and is disposed at its end.
/// </summary>
public sealed class LocalBackend : ITreeBackend
{
    /// <summary>The SQLite index file in a data folder.</summary>
    public const string IndexFile = "index.db";

    private readonly TreeService _tree;

    private LocalBackend(TreeService tree, string location)
    {
        _tree = tree;
        Location = location;
    }

    /// <inheritdoc/>
    public string Location { get; }

    /// <summary>Opens (creating if needed) the tree in the settings' data folder or store.</summary>
    public static async Task<LocalBackend> OpenAsync(BackendSettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = new TreeOptions { DataPath = settings.DataPath, Store = settings.Store };
        var tree = await TreeService.OpenAsync(options, ct);
        return new LocalBackend(tree, settings.InMemory ? "memory (nothing is kept)" : settings.DataPath);
    }

    /// <inheritdoc/>
    public Task<TreeObject?> FindAsync(string path, CancellationToken ct) => _tree.FindAsync(path, ct);

    /// <inheritdoc/>
    public Task<TreeObject> GetAsync(string path, CancellationToken ct) => _tree.GetAsync(path, ct);

    /// <inheritdoc/>
    public Task<TreeObject> GetByIdAsync(string id, CancellationToken ct) => _tree.GetByIdAsync(id, ct);

    /// <inheritdoc/>
    public Task<Page<TreeObject>> ListAsync(string path, string? after, int limit, CancellationToken ct) =>
        _tree.ListAsync(path, after, limit, ct);

    /// <inheritdoc/>
    public Task<Page<TreeObject>> QueryAsync(FindQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sort = (query.Sort ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(SortKey.Parse)
            .ToList();
        return _tree.QueryAsync(new TreeQuery
        {
            Filter = string.IsNullOrWhiteSpace(query.Where) ? null : FilterParser.Parse(query.Where),
            Parent = query.Parent,
            Sort = sort,
            Limit = query.Limit,
            After = query.After,
        }, ct);
    }

    /// <inheritdoc/>
    public Task<TreeObject> MkdirAsync(string path, bool parents, CancellationToken ct) => parents
        ? _tree.MkdirAsync(path, ct: ct)
        : _tree.CreateAsync(path, ObjectRace.Dir, new CreateOptions { Parents = false, ExistOk = false }, ct);

    /// <inheritdoc/>
    public Task<TreeObject> WriteAsync(string path, Stream content, IProgress<long>? progress, CancellationToken ct) =>
        _tree.WriteAsync(path, content, new PutOptions { Progress = progress }, ct);

    /// <inheritdoc/>
    public Task<Stream> OpenReadAsync(string path, CancellationToken ct) => _tree.OpenReadAsync(path, ct);

    /// <inheritdoc/>
    public Task<TreeObject> SetMetaAsync(
        string path, IReadOnlyDictionary<string, JsonElement> set, IReadOnlyCollection<string> unset, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(set);
        var values = set.ToDictionary(kv => kv.Key, kv => (object?)kv.Value, StringComparer.Ordinal);
        return _tree.SetMetaAsync(path, values, unset, ct: ct);
    }

    /// <inheritdoc/>
    public Task<TreeObject> MoveAsync(string from, string to, CancellationToken ct) => _tree.MoveAsync(from, to, ct: ct);

    /// <inheritdoc/>
    public Task DeleteAsync(string path, bool recursive, CancellationToken ct) => _tree.DeleteAsync(path, recursive, ct);

    /// <inheritdoc/>
    public Task<TreeObject> MountAsync(string path, string expression, CancellationToken ct) =>
        _tree.MountAsync(path, expression, ct);

    /// <inheritdoc/>
    public Task<TreeObject> UnmountAsync(string path, CancellationToken ct) => _tree.UnmountAsync(path, ct);

    /// <inheritdoc/>
    public Task<FsckReport> FsckAsync(bool repair, bool removeOrphans, CancellationToken ct) =>
        _tree.FsckAsync(repair, removeOrphans, ct);

    /// <inheritdoc/>
    public Task<int> SweepExpiredAsync(CancellationToken ct) => _tree.SweepExpiredAsync(ct);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _tree.DisposeAsync();
}
