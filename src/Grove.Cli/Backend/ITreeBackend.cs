using System.Text.Json;
using Grove.Tree;

namespace Grove.Cli.Backend;

/// <summary>
/// The tree operations the commands use. <see cref="LocalBackend"/> serves them from a data folder in this process;
/// a remote backend (<c>--server URL</c>) can serve the same calls over HTTP. Failures are <see cref="TreeException"/>s
/// with the stable codes of <see cref="TreeErrorCode"/>, whichever backend raised them.
/// One backend serves one command invocation: dispose it to release the store.
/// </summary>
public interface ITreeBackend : IAsyncDisposable
{
    /// <summary>Where the tree lives, for messages: a data folder, "memory", or a server address.</summary>
    string Location { get; }

    /// <summary>The object at an absolute path, or null.</summary>
    Task<TreeObject?> FindAsync(string path, CancellationToken ct);

    /// <summary>The object at an absolute path; <c>not_found</c> when there is none.</summary>
    Task<TreeObject> GetAsync(string path, CancellationToken ct);

    /// <summary>The object with an id (plain or <c>home:refer</c>); <c>not_found</c> when there is none.</summary>
    Task<TreeObject> GetByIdAsync(string id, CancellationToken ct);

    /// <summary>One page of a directory's children in name order, after the name <paramref name="after"/>.</summary>
    Task<Page<TreeObject>> ListAsync(string path, string? after, int limit, CancellationToken ct);

    /// <summary>One page of a query; <see cref="Page{T}.Next"/> is the cursor of the next page.</summary>
    Task<Page<TreeObject>> QueryAsync(FindQuery query, CancellationToken ct);

    /// <summary>Creates a directory; with <paramref name="parents"/>, also missing parents, and an existing one is fine.</summary>
    Task<TreeObject> MkdirAsync(string path, bool parents, CancellationToken ct);

    /// <summary>Writes a file's whole content, creating the file and missing parents; reports bytes sent so far.</summary>
    Task<TreeObject> WriteAsync(string path, Stream content, IProgress<long>? progress, CancellationToken ct);

    /// <summary>Opens a file's content for reading.</summary>
    Task<Stream> OpenReadAsync(string path, CancellationToken ct);

    /// <summary>Sets (JSON values) and removes custom or settable built-in metadata keys; returns the updated object.</summary>
    Task<TreeObject> SetMetaAsync(string path, IReadOnlyDictionary<string, JsonElement> set, IReadOnlyCollection<string> unset, CancellationToken ct);

    /// <summary>Moves or renames an object to exactly <paramref name="to"/>, which must not exist.</summary>
    Task<TreeObject> MoveAsync(string from, string to, CancellationToken ct);

    /// <summary>Deletes an object; a directory with children needs <paramref name="recursive"/>.</summary>
    Task DeleteAsync(string path, bool recursive, CancellationToken ct);

    /// <summary>Mounts an expression (<c>mem</c>, <c>lbm(Name)</c>, <c>file:///abs</c>…) on an empty directory.</summary>
    Task<TreeObject> MountAsync(string path, string expression, CancellationToken ct);

    /// <summary>Removes a directory's mount.</summary>
    Task<TreeObject> UnmountAsync(string path, CancellationToken ct);

    /// <summary>Checks content against metadata, optionally repairing reference counts and keeping orphans.</summary>
    Task<FsckReport> FsckAsync(bool repair, bool removeOrphans, CancellationToken ct);

    /// <summary>Removes expired objects; returns how many.</summary>
    Task<int> SweepExpiredAsync(CancellationToken ct);

    /// <summary>
    /// Follows committed changes under <paramref name="path"/> after revision <paramref name="from"/> (null: from now):
    /// pages with changes, or a resync, until cancelled.
    /// </summary>
    IAsyncEnumerable<ChangePage> WatchAsync(string path, long? from, CancellationToken ct);
}
