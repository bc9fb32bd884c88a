using Grove.Tree;

namespace Grove.Identity;

/// <summary>The permission check on tree objects: Unix-style owner, group and others bits of <c>md</c>.</summary>
public static class Access
{
    /// <summary>Read content and metadata.</summary>
    public const int Read = 4;

    /// <summary>Create, write, move or delete (on the object, or on the parent directory).</summary>
    public const int Write = 2;

    /// <summary>List a directory, or pass through it.</summary>
    public const int List = 1;

    /// <summary>
    /// Whether <paramref name="p"/> has all of <paramref name="bit"/> on <paramref name="o"/>: the owner bits
    /// (<c>(md &gt;&gt; 6) &amp; 7</c>) when the principal created the object, else the group bits (<c>(md &gt;&gt; 3) &amp; 7</c>)
    /// when the object's group is one of the principal's, else the others bits (<c>md &amp; 7</c>). Admins (and
    /// <see cref="Principal.System"/>) are always allowed.
    /// </summary>
    public static bool Allows(Principal p, TreeObject o, int bit)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(o);
        if (p.IsAdmin)
        {
            return true;
        }

        int bits;
        if (o.Creator is { } owner && string.Equals(owner, p.User, StringComparison.Ordinal))
        {
            bits = (o.Mode >> 6) & 7;
        }
        else if (o.Group is { } group && InGroup(p.Groups, group))
        {
            bits = (o.Mode >> 3) & 7;
        }
        else
        {
            bits = o.Mode & 7;
        }

        return (bits & bit) == bit;
    }

    // Note that this runs on every permission check: an indexed loop enumerates nothing on the heap.
    private static bool InGroup(IReadOnlyList<string> groups, string group)
    {
        for (var i = 0; i < groups.Count; i++)
        {
            if (string.Equals(groups[i], group, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
