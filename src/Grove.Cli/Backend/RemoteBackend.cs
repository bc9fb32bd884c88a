using System.Text.Json;
using Grove.Cli.Remote;
using Grove.Client;
using Grove.Tree;
using Grove.Tree.Query;

namespace Grove.Cli.Backend;

/// <summary>
/// The backend over a Grove server (<c>--server URL</c>), through <see cref="GroveClient"/>. Paths, filters, sort keys
/// and limits are checked here as the kernel checks them, and the server's refusals become <see cref="TreeException"/>s
/// with the server's code and message, so every verb prints the same as over a local data folder.
/// </summary>
public sealed class RemoteBackend : ITreeBackend
{
    private readonly GroveClient _client;

    /// <summary>A backend over a client that is already signed in; it disposes the client.</summary>
    public RemoteBackend(GroveClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        Location = client.BaseAddress.ToString();
    }

    /// <inheritdoc/>
    public string Location { get; }

    /// <inheritdoc/>
    public Task<TreeObject?> FindAsync(string path, CancellationToken ct) =>
        CallAsync(async () => await _client.FindAsync(TreeNames.Normalize(path), ct) is { } o ? RemoteObjects.ToTree(o) : null);

    /// <inheritdoc/>
    public Task<TreeObject> GetAsync(string path, CancellationToken ct) =>
        CallAsync(async () => RemoteObjects.ToTree(await _client.StatAsync(TreeNames.Normalize(path), ct)));

    /// <inheritdoc/>
    public Task<TreeObject> GetByIdAsync(string id, CancellationToken ct) =>
        CallAsync(async () => RemoteObjects.ToTree(await _client.StatByIdAsync(id, ct)));

    /// <inheritdoc/>
    public Task<Page<TreeObject>> ListAsync(string path, string? after, int limit, CancellationToken ct)
    {
        CheckLimit(limit);
        return CallAsync(async () => RemoteObjects.ToTree(await _client.ListAsync(TreeNames.Normalize(path), after, limit, ct)));
    }

    /// <inheritdoc/>
    public Task<Page<TreeObject>> QueryAsync(FindQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        CheckLimit(query.Limit);
        var sort = (query.Sort ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var key in sort)
        {
            SortKey.Parse(key);
        }

        var where = string.IsNullOrWhiteSpace(query.Where) ? null : query.Where;
        if (where is not null)
        {
            // Note that the filter is parsed here only to fail as the local backend does; it travels as typed.
            FilterParser.Parse(where);
        }

        var request = new GroveQuery
        {
            Parent = query.Parent is null ? null : TreeNames.Normalize(query.Parent),
            Where = where,
            Sort = sort,
            Limit = query.Limit,
            After = query.After,
        };
        return CallAsync(async () => RemoteObjects.ToTree(await _client.QueryAsync(request, ct)));
    }

    /// <inheritdoc/>
    public Task<TreeObject> MkdirAsync(string path, bool parents, CancellationToken ct) =>
        CallAsync(async () => RemoteObjects.ToTree(await _client.MkdirAsync(TreeNames.Normalize(path), parents, ct)));

    /// <inheritdoc/>
    public Task<TreeObject> WriteAsync(string path, Stream content, IProgress<long>? progress, CancellationToken ct)
    {
        var target = TreeNames.Normalize(path);
        return CallAsync(async () => RemoteObjects.ToTree(await _client.UploadAsync(target, content, new GroveUploadOptions { Progress = progress }, ct)));
    }

    /// <inheritdoc/>
    public async Task<Stream> OpenReadAsync(string path, CancellationToken ct)
    {
        var target = TreeNames.Normalize(path);
        try
        {
            return new DownloadStream(await _client.OpenReadAsync(target, null, ct));
        }
        catch (GroveApiException e) when (e.Code == TreeErrorCode.IsADirectory)
        {
            // Note that the server's message points at its HTTP routes; the CLI says what the kernel says.
            throw new TreeException(TreeErrorCode.IsADirectory, $"{target} is a directory", e);
        }
        catch (GroveApiException e)
        {
            throw Translate(e);
        }
    }

    /// <inheritdoc/>
    public Task<TreeObject> SetMetaAsync(string path, IReadOnlyDictionary<string, JsonElement> set, IReadOnlyCollection<string> unset, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(set);
        var values = set.ToDictionary(kv => kv.Key, kv => (object?)kv.Value, StringComparer.Ordinal);
        return CallAsync(async () => RemoteObjects.ToTree(await _client.SetMetaAsync(TreeNames.Normalize(path), values, unset, ct)));
    }

    /// <inheritdoc/>
    public Task<TreeObject> MoveAsync(string from, string to, CancellationToken ct) =>
        CallAsync(async () => RemoteObjects.ToTree(await _client.MoveAsync(TreeNames.Normalize(from), TreeNames.Normalize(to), ct)));

    /// <inheritdoc/>
    public Task DeleteAsync(string path, bool recursive, CancellationToken ct) =>
        CallAsync(async () =>
        {
            await _client.DeleteAsync(TreeNames.Normalize(path), recursive, ct);
            return true;
        });

    /// <inheritdoc/>
    public Task<TreeObject> MountAsync(string path, string expression, CancellationToken ct) =>
        CallAsync(async () => RemoteObjects.ToTree(await _client.MountAsync(TreeNames.Normalize(path), expression, ct)));

    /// <inheritdoc/>
    public Task<TreeObject> UnmountAsync(string path, CancellationToken ct) =>
        CallAsync(async () => RemoteObjects.ToTree(await _client.UnmountAsync(TreeNames.Normalize(path), ct)));

    /// <inheritdoc/>
    public Task<FsckReport> FsckAsync(bool repair, bool removeOrphans, CancellationToken ct) =>
        CallAsync(async () => RemoteObjects.ToTree(await _client.FsckAsync(repair, keepOrphans: !removeOrphans, ct)));

    /// <inheritdoc/>
    public Task<int> SweepExpiredAsync(CancellationToken ct) =>
        CallAsync(async () => (int)await _client.SweepAsync(ct));

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChangePage> WatchAsync(string path, long? from, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var changes = _client.WatchAsync(TreeNames.Normalize(path), from, ct).GetAsyncEnumerator(ct);
        await using (changes)
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await changes.MoveNextAsync();
                }
                catch (GroveApiException e)
                {
                    throw Translate(e);
                }

                if (!more)
                {
                    yield break;
                }

                var c = changes.Current;
                yield return c.IsResync
                    ? new ChangePage([], c.Revision, Resync: true)
                    : new ChangePage([new TreeChange(c.Revision, ChangeJson.Parse(c.Kind) ?? ChangeKind.Meta, c.Path, c.OldPath, c.Id, c.IsDir, c.Version, c.User, c.Time)], c.Revision, Resync: false);
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The kernel's page-size rule, so a bad <c>--limit</c> fails with the same code and message as locally.</summary>
    private static void CheckLimit(int limit)
    {
        if (limit is < 1 or > TreeService.MaxPage)
        {
            throw new TreeException(TreeErrorCode.InvalidFilter, $"limit must be 1 to {TreeService.MaxPage}");
        }
    }

    private async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (GroveApiException e)
        {
            throw Translate(e);
        }
    }

    /// <summary>The server's refusal as the kernel's exception, with a hint to sign in again when the token is refused.</summary>
    private TreeException Translate(GroveApiException e)
    {
        var hint = e.IsUnauthorized ? $" (sign in with: grove login --server {Location} --user NAME)" : "";
        return new TreeException(e.Code, e.Message + hint, e);
    }
}
