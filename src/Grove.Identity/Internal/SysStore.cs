using System.Text.Json;
using Grove.Tree;
using Grove.Tree.Query;

namespace Grove.Identity.Internal;

/// <summary>
/// Identity objects in the tree. Point reads go through a query (straight to the index, not the tree's object cache),
/// so a change made by another node sharing PostgreSQL is seen at once.
/// </summary>
internal sealed class SysStore(TreeService tree)
{
    private const int PageSize = 1000;

    private static readonly Dictionary<string, object?> Stamp = new(StringComparer.Ordinal)
    {
        ["md"] = (long)SysPaths.Mode,
        ["c"] = SysPaths.Admin,
        ["g"] = SysPaths.Admin,
    };

    /// <summary>Creates the <c>/sys</c> directories, and puts their owner, group and mode right when they are not.</summary>
    public async Task EnsureLayoutAsync(CancellationToken ct)
    {
        foreach (var dir in SysPaths.Dirs)
        {
            var o = await tree.MkdirAsync(dir, Options() with { ExistOk = true }, ct);
            if (o.Mode != SysPaths.Mode || o.Creator != SysPaths.Admin || o.Group != SysPaths.Admin)
            {
                await tree.SetMetaAsync(dir, Stamp, null, SysPaths.Admin, ct);
            }
        }
    }

    /// <summary>The child <paramref name="name"/> of <paramref name="dir"/>, read from the index, or null.</summary>
    public async Task<TreeObject?> FindAsync(string dir, string name, CancellationToken ct)
    {
        var page = await tree.QueryAsync(new TreeQuery { Parent = dir, Filter = Filter.Eq("nm", name), Limit = 1 }, ct);
        return page.Items.Count == 0 ? null : page.Items[0];
    }

    /// <summary>Creates a file object; <see cref="TreeException"/> <c>already_exists</c> when the name is taken.</summary>
    public Task<TreeObject> CreateAsync(string path, Dictionary<string, JsonElement> meta, long? expires, CancellationToken ct) =>
        tree.CreateAsync(path, ObjectRace.File, Options() with { Parents = false, Meta = meta, Expires = expires }, ct);

    public Task<TreeObject> SetAsync(string path, string key, object? value, CancellationToken ct) =>
        tree.SetMetaAsync(path, new Dictionary<string, object?>(StringComparer.Ordinal) { [key] = value }, null, SysPaths.Admin, ct);

    /// <summary>Deletes an object; false when it was not there.</summary>
    public async Task<bool> DeleteAsync(string path, CancellationToken ct)
    {
        try
        {
            await tree.DeleteAsync(path, recursive: false, ct);
            return true;
        }
        catch (TreeException e) when (e.Code == TreeErrorCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>All children of a directory, in name order.</summary>
    public async Task<List<TreeObject>> ListAsync(string dir, CancellationToken ct)
    {
        var all = new List<TreeObject>();
        await foreach (var o in tree.ListAllAsync(dir, PageSize, ct))
        {
            all.Add(o);
        }

        return all;
    }

    /// <summary>The children of a directory whose custom key <paramref name="key"/> equals <paramref name="value"/>.</summary>
    public async Task<List<TreeObject>> WhereAsync(string dir, string key, string value, CancellationToken ct)
    {
        var all = new List<TreeObject>();
        string? after = null;
        do
        {
            var query = new TreeQuery { Parent = dir, Filter = Filter.Eq(key, value), Limit = PageSize, After = after };
            var page = await tree.QueryAsync(query, ct);
            all.AddRange(page.Items);
            after = page.Next;
        }
        while (after is not null);
        return all;
    }

    private static CreateOptions Options() => new() { User = SysPaths.Admin, Group = SysPaths.Admin, Mode = SysPaths.Mode };
}
