namespace Grove.Tree.Query;

/// <summary>One sort key of a query.</summary>
/// <param name="Key">A built-in short name or a custom key.</param>
/// <param name="Descending">Sort from high to low.</param>
public sealed record SortKey(string Key, bool Descending = false)
{
    /// <summary>Parses <c>key</c>, <c>-key</c> (descending) or <c>key:desc</c>.</summary>
    /// <exception cref="TreeException">With <see cref="TreeErrorCode.InvalidFilter"/> for a blank key or a bad direction.</exception>
    public static SortKey Parse(string text)
    {
        var t = text?.Trim() ?? "";
        if (t.TrimStart('-').Trim().Length == 0 || t.StartsWith(':'))
        {
            throw new TreeException(TreeErrorCode.InvalidFilter, $"a sort key names a key, as 'nm', '-lm' or 'len:desc', not '{text}'");
        }

        if (t.StartsWith('-'))
        {
            return new SortKey(t[1..].Trim(), true);
        }

        var colon = t.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
        {
            var dir = t[(colon + 1)..].Trim().ToLowerInvariant();
            if (dir is not ("asc" or "desc" or "1" or "-1"))
            {
                throw new TreeException(TreeErrorCode.InvalidFilter, $"bad sort direction '{dir}' in '{text}'");
            }

            return new SortKey(t[..colon], dir is "desc" or "-1");
        }

        return new SortKey(t);
    }
}
