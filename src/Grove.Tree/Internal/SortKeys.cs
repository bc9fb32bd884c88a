using Grove.Tree.Query;

namespace Grove.Tree.Internal;

/// <summary>Checks sort keys and makes <c>id</c> the final tie-breaker.</summary>
internal static class SortKeys
{
    /// <summary>The keys, validated, with <c>id</c> ascending appended unless the last key already is <c>id</c>.</summary>
    public static IReadOnlyList<SortKey> Normalize(IReadOnlyList<SortKey>? keys)
    {
        var list = new List<SortKey>((keys?.Count ?? 0) + 1);
        foreach (var k in keys ?? [])
        {
            if (k is null)
            {
                throw FilterError.Invalid("a sort key is null");
            }

            FilterKeys.ValidateSort(k.Key);
            list.Add(k);
        }

        if (list.Count == 0 || list[^1].Key != "id")
        {
            list.Add(new SortKey("id"));
        }

        return list;
    }
}
