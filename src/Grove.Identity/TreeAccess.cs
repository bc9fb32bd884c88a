using System.Diagnostics.CodeAnalysis;
using Grove.Tree;

namespace Grove.Identity;

/// <summary>
/// The permission rules of docs/api.md over the tree: to see anything a caller needs list on every directory above
/// it; reading needs read, listing needs list, creating needs write on the parent, changing or deleting needs write
/// on the object (and on its parent to delete or move it). A denial is 403 whether or not the object exists: a
/// missing object is only reported as 404 inside directories the caller may list. One instance per tree, shared by
/// the server and the CLI's local mode (<see cref="GuardedTree"/> composes each operation with its one check).
/// </summary>
public sealed class TreeAccess(TreeService tree)
{
    /// <summary>The object at <paramref name="path"/> when every directory above it may be listed; null when missing.</summary>
    public async Task<TreeObject?> FindVisibleAsync(Principal p, string path, CancellationToken ct)
    {
        var norm = TreeNames.Normalize(path);
        if (p.IsAdmin || norm == "/")
        {
            return await tree.FindAsync(norm, ct);
        }

        var prefix = "";
        foreach (var name in TreeNames.Split(norm))
        {
            var dir = await tree.FindAsync(prefix.Length == 0 ? "/" : prefix, ct);
            if (dir is null || !dir.IsDir)
            {
                return null;
            }

            Demand(p, dir, Access.List, prefix.Length == 0 ? "/" : prefix);
            prefix += "/" + name;
        }

        return await tree.FindAsync(norm, ct);
    }

    /// <summary>The object at <paramref name="path"/>, which the caller may see and has <paramref name="bit"/> on.</summary>
    public async Task<TreeObject> RequireAsync(Principal p, string path, int bit, CancellationToken ct)
    {
        var o = await FindVisibleAsync(p, path, ct) ?? throw TreeException.NotFound(TreeNames.Normalize(path));
        Demand(p, o, bit, o.Path ?? path);
        return o;
    }

    /// <summary>
    /// <see cref="RequireAsync"/> answered from the tree's object cache alone, for hot paths: true with the object when
    /// it and every directory above it are cached and the caller may list those and has <paramref name="bit"/> on it;
    /// false otherwise (something not cached, missing or refused), and the caller then asks <see cref="RequireAsync"/>,
    /// which reads what is missing and words any refusal. Same rules and same cache as every other check, so a change
    /// of mode, owner or group is seen here exactly as there; no I/O and, for a canonical path, no allocation.
    /// </summary>
    public bool TryRequireCached(Principal p, string path, int bit, [NotNullWhen(true)] out TreeObject? found)
    {
        ArgumentNullException.ThrowIfNull(p);
        found = null;
        var norm = TreeNames.Normalize(path);
        if (!p.IsAdmin && norm.Length > 1)
        {
            // Note that the directories checked are those of FindVisibleAsync: "/", then each prefix above the object.
            var end = 0;
            while (end >= 0)
            {
                if (!tree.TryFindCached(end == 0 ? "/" : norm.AsSpan(0, end), out var dir) || !dir.IsDir || !Access.Allows(p, dir, Access.List))
                {
                    return false;
                }

                end = norm.IndexOf('/', end + 1);
            }
        }

        if (!tree.TryFindCached(norm, out var o) || !Access.Allows(p, o, bit))
        {
            return false;
        }

        found = o;
        return true;
    }

    /// <summary>
    /// Checks that the caller may create <paramref name="path"/> (with missing parents): write and list on the
    /// deepest directory that exists. Returns the object when it exists already.
    /// </summary>
    public async Task<TreeObject?> CheckCreateAsync(Principal p, string path, CancellationToken ct)
    {
        var norm = TreeNames.Normalize(path);
        if (p.IsAdmin)
        {
            return await tree.FindAsync(norm, ct);
        }

        var existing = "/";
        var dir = await tree.FindAsync("/", ct) ?? throw TreeException.NotFound("/");
        foreach (var name in TreeNames.Split(norm))
        {
            Demand(p, dir, Access.List, existing);
            var next = existing == "/" ? "/" + name : existing + "/" + name;
            var child = await tree.FindAsync(next, ct);
            if (child is null)
            {
                Demand(p, dir, Access.Write, existing);
                return null;
            }

            if (next == norm)
            {
                return child;
            }

            if (!child.IsDir)
            {
                throw new TreeException(TreeErrorCode.NotADirectory, $"{next} is a file");
            }

            existing = next;
            dir = child;
        }

        return dir;
    }

    /// <summary>Checks write on the object and on its parent (delete, move away).</summary>
    public async Task<TreeObject> RequireRemovableAsync(Principal p, string path, CancellationToken ct)
    {
        var o = await RequireAsync(p, path, Access.Write, ct);
        if (!p.IsAdmin && !o.IsRoot)
        {
            var parent = await tree.FindAsync(ParentOf(o.Path ?? TreeNames.Normalize(path)), ct) ?? throw TreeException.NotFound(path);
            Demand(p, parent, Access.Write, parent.Path ?? "/");
        }

        return o;
    }

    /// <summary>Whether the caller may see and read an object that a query or a listing found.</summary>
    public async Task<bool> CanReadAsync(Principal p, TreeObject o, CancellationToken ct)
    {
        if (p.IsAdmin)
        {
            return true;
        }

        if (!Access.Allows(p, o, Access.Read) || o.Path is null)
        {
            return false;
        }

        try
        {
            return await FindVisibleAsync(p, o.Path, ct) is not null;
        }
        catch (IdentityException)
        {
            return false;
        }
    }

    /// <summary>Throws <c>forbidden</c> unless the caller has <paramref name="bit"/> on <paramref name="o"/>.</summary>
    public static void Demand(Principal p, TreeObject o, int bit, string path)
    {
        if (!Access.Allows(p, o, bit))
        {
            // Note that a check of several rights names the ones missing, not the first in some order.
            var missing = new[] { Access.Read, Access.Write, Access.List }.Where(b => (bit & b) != 0 && !Access.Allows(p, o, b)).Select(Verb);
            throw new IdentityException(IdentityErrorCode.Forbidden, $"{p.User} may not {string.Join(" or ", missing)} {path}");
        }
    }

    /// <summary>Throws <c>forbidden</c> unless the caller is an admin.</summary>
    public static void DemandAdmin(Principal p, string what)
    {
        if (!p.IsAdmin)
        {
            throw new IdentityException(IdentityErrorCode.Forbidden, $"only an admin may {what}");
        }
    }

    /// <summary>The parent path of a normalized path (<c>/</c> for top-level names).</summary>
    public static string ParentOf(string norm)
    {
        var cut = norm.LastIndexOf('/');
        return cut <= 0 ? "/" : norm[..cut];
    }

    private static string Verb(int bit) => bit switch
    {
        Access.Read => "read",
        Access.Write => "write",
        Access.List => "list",
        _ => "use",
    };
}
